/**
 * The abstract syntax of a C litmus test as `tools/memory-model` writes them (herd7's C dialect):
 * a name, an initial state, processes P0..Pn, optional `locations` and `filter`, and a final
 * condition. Values are integers or the address of a shared location (a pointer such as `&x`,
 * written `x` in the initial state and in conditions).
 */

/** An integer, or the address of the shared location of that name. */
export type Value = number | { readonly addr: string };

export type Expr =
  | { readonly k: 'num'; readonly v: number; readonly line: number }
  | { readonly k: 'name'; readonly name: string; readonly line: number }
  | { readonly k: 'deref'; readonly e: Expr; readonly line: number }
  | { readonly k: 'addrof'; readonly name: string; readonly line: number }
  | { readonly k: 'unary'; readonly op: '!' | '-' | '~'; readonly e: Expr; readonly line: number }
  | { readonly k: 'binary'; readonly op: BinaryOp; readonly l: Expr; readonly r: Expr; readonly line: number }
  | { readonly k: 'call'; readonly name: string; readonly args: readonly Expr[]; readonly line: number };

export type BinaryOp = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '==' | '!=' | '<' | '>' | '<=' | '>=' | '&&' | '||';

export type Stmt =
  | { readonly k: 'decl'; readonly name: string; readonly init?: Expr; readonly line: number }
  | { readonly k: 'assign'; readonly target: Expr; readonly value: Expr; readonly line: number }
  | { readonly k: 'expr'; readonly e: Expr; readonly line: number }
  | { readonly k: 'if'; readonly cond: Expr; readonly then: readonly Stmt[]; readonly else: readonly Stmt[]; readonly line: number };

export interface Param {
  readonly name: string;
  /** The declared type, e.g. `int *`, `spinlock_t *`. */
  readonly type: string;
}

export interface Process {
  readonly id: number;
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
  readonly line: number;
}

/** `x`, or `1:r0` (a register of process 1). */
export interface Place {
  readonly thread?: number;
  readonly name: string;
}

export type Prop =
  | { readonly k: 'true' }
  | { readonly k: 'false' }
  | { readonly k: 'eq'; readonly place: Place; readonly value: Value }
  | { readonly k: 'not'; readonly p: Prop }
  | { readonly k: 'and' | 'or'; readonly l: Prop; readonly r: Prop };

export type Quantifier = 'exists' | '~exists' | 'forall';

export interface Condition {
  readonly quantifier: Quantifier;
  readonly prop: Prop;
}

export interface InitEntry {
  readonly place: Place;
  readonly type?: string;
  readonly value?: Value;
}

export interface LitmusTest {
  readonly name: string;
  /** The `Result:` documented in the test's leading comment, if any (`Never`, `Sometimes`, ...). */
  readonly documentedResult?: string;
  readonly init: readonly InitEntry[];
  readonly processes: readonly Process[];
  readonly locations: readonly Place[];
  readonly filter?: Prop;
  readonly condition: Condition;
}

export function valueEquals(a: Value, b: Value): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  return a.addr === b.addr;
}

export function showValue(v: Value): string {
  return typeof v === 'number' ? String(v) : v.addr;
}

export function showPlace(p: Place): string {
  return p.thread === undefined ? p.name : `${p.thread}:${p.name}`;
}
