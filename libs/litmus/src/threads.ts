import { showValue, valueEquals, type Expr, type Process, type Stmt, type Value } from './ast.js';
import { LitmusBoundError, LitmusSyntaxError, UnsupportedConstructError } from './errors.js';
import { PRIMITIVES, type FenceKind, type RmwOrder } from './primitives.js';

/** The annotation of an access: herd's `once`, `acquire`, `release`, `noreturn`, or a plain C access. */
export type AccessMode = 'once' | 'acquire' | 'release' | 'noreturn' | 'plain';

/** lock.cat's lock events: lock read/write, unlock, failed trylock, spin_is_locked true/false. */
export type LockKind = 'LKR' | 'LKW' | 'UL' | 'LF' | 'RL' | 'RU';

/** One event of one process's path; dependencies name earlier reads of the same path by index. */
export interface ThreadEvent {
  readonly kind: 'R' | 'W' | 'F';
  readonly loc?: string;
  readonly value?: Value;
  readonly mode?: AccessMode;
  readonly lock?: LockKind;
  readonly fence?: FenceKind;
  /** For the read of a read-modify-write: the index of its write. */
  rmwWith?: number;
  readonly addr: readonly number[];
  readonly data: readonly number[];
  readonly ctrl: readonly number[];
  readonly line: number;
  /** The primitive, for witnesses and time travel (`WRITE_ONCE`, `spin_lock`, `*x = ...`). */
  readonly source: string;
}

/** A path through one process: its events in program order and its registers at the end. */
export interface ThreadTrace {
  readonly events: readonly ThreadEvent[];
  readonly regs: ReadonlyMap<string, Value>;
}

interface Tainted {
  readonly v: Value;
  /** Indices of the reads this value was computed from (dependencies through registers). */
  readonly deps: readonly number[];
}

/** A guessed read value that makes the path impossible (null dereference, division by zero). */
class Infeasible extends Error {}

const MAX_PATHS = 20_000;

/**
 * Every path through a process, with each read's value guessed from `domain(loc)`: the values
 * some write of the test may store there. The candidate-execution enumerator later keeps only
 * the guesses that some write justifies (the read reads from a write of that value).
 */
export function threadTraces(
  proc: Process,
  domain: (loc: string) => readonly Value[],
  lockLocations: ReadonlySet<string>,
  initRegs: ReadonlyMap<string, Value>,
): ThreadTrace[] {
  const out: ThreadTrace[] = [];
  let prefix: number[] = [];
  let firstInfeasible: Infeasible | undefined;
  for (;;) {
    const widths: number[] = [];
    const taken: number[] = [];
    const choose = (n: number): number => {
      const pos = taken.length;
      const c = pos < prefix.length ? prefix[pos] : 0;
      widths.push(n);
      taken.push(c);
      return c;
    };
    try {
      out.push(new PathRunner(proc, domain, lockLocations, initRegs, choose).run());
    } catch (e) {
      if (!(e instanceof Infeasible)) throw e;
      firstInfeasible ??= e;
    }
    if (out.length > MAX_PATHS) throw new LitmusBoundError(`P${proc.id} has more than ${MAX_PATHS} paths`);
    let k = taken.length - 1;
    while (k >= 0 && taken[k] + 1 >= widths[k]) k--;
    if (k < 0) break;
    prefix = [...taken.slice(0, k), taken[k] + 1];
  }
  if (out.length === 0 && firstInfeasible) throw new LitmusSyntaxError(`P${proc.id}: no path can run: ${firstInfeasible.message}`, proc.line);
  return out;
}

class PathRunner {
  private readonly events: ThreadEvent[] = [];
  private readonly regs = new Map<string, Tainted>();
  private readonly params = new Set<string>();
  private ctrl: number[] = [];

  constructor(
    private readonly proc: Process,
    private readonly domain: (loc: string) => readonly Value[],
    private readonly lockLocations: ReadonlySet<string>,
    initRegs: ReadonlyMap<string, Value>,
    private readonly choose: (n: number) => number,
  ) {
    for (const p of proc.params) this.params.add(p.name);
    for (const [r, v] of initRegs) this.regs.set(r, { v, deps: [] });
  }

  run(): ThreadTrace {
    this.block(this.proc.body);
    const regs = new Map<string, Value>();
    for (const [r, t] of this.regs) regs.set(r, t.v);
    return { events: this.events, regs };
  }

  private block(stmts: readonly Stmt[]): void {
    for (const s of stmts) this.stmt(s);
  }

  private stmt(s: Stmt): void {
    switch (s.k) {
      case 'decl':
        if (this.params.has(s.name)) throw new LitmusSyntaxError(`${s.name} is already a parameter of P${this.proc.id}`, s.line);
        this.regs.set(s.name, s.init ? this.eval(s.init) : { v: 0, deps: [] });
        return;
      case 'assign': {
        if (s.target.k === 'name') {
          if (this.params.has(s.target.name)) throw new UnsupportedConstructError(`assignment to parameter ${s.target.name}`, s.line);
          this.regs.set(s.target.name, this.eval(s.value));
          return;
        }
        if (s.target.k !== 'deref') throw new LitmusSyntaxError('bad assignment target', s.line);
        const where = this.eval(s.target.e);
        const value = this.eval(s.value);
        this.write(this.location(where, s.line), value.v, 'plain', where.deps, value.deps, s.line, '*p = ...');
        return;
      }
      case 'expr':
        this.eval(s.e);
        return;
      case 'if': {
        const c = this.eval(s.cond);
        const saved = this.ctrl;
        // herd7: a control dependency reaches the events of the branch taken, not those after the if.
        this.ctrl = union(saved, c.deps);
        this.block(truthy(c.v) ? s.then : s.else);
        this.ctrl = saved;
        return;
      }
    }
  }

  private location(p: Tainted, line: number): string {
    if (typeof p.v === 'number') throw new Infeasible(`line ${line}: dereference of the integer ${p.v}`);
    return p.v.addr;
  }

  private eval(e: Expr): Tainted {
    switch (e.k) {
      case 'num':
        return { v: e.v, deps: [] };
      case 'name': {
        const r = this.regs.get(e.name);
        if (r) return r;
        if (this.params.has(e.name)) return { v: { addr: e.name }, deps: [] };
        throw new LitmusSyntaxError(`${e.name} is neither a register nor a parameter of P${this.proc.id}`, e.line);
      }
      case 'addrof':
        if (!this.params.has(e.name)) throw new UnsupportedConstructError(`&${e.name}`, e.line, 'only the address of a parameter');
        throw new UnsupportedConstructError(`&${e.name}`, e.line, 'pass the location as a parameter and use it as a pointer');
      case 'deref': {
        const p = this.eval(e.e);
        return this.read(this.location(p, e.line), 'plain', p.deps, e.line, '*p');
      }
      case 'unary': {
        const x = this.eval(e.e);
        if (e.op === '!') return { v: truthy(x.v) ? 0 : 1, deps: x.deps };
        return { v: e.op === '-' ? -this.int(x, e.line) : ~this.int(x, e.line), deps: x.deps };
      }
      case 'binary':
        return this.binary(e);
      case 'call':
        return this.call(e);
    }
  }

  private int(x: Tainted, line: number): number {
    if (typeof x.v !== 'number') throw new UnsupportedConstructError('pointer arithmetic', line);
    return x.v;
  }

  private binary(e: Extract<Expr, { k: 'binary' }>): Tainted {
    // Both sides are evaluated (their reads happen) in order; && and || do not short-circuit
    // loads here, which herd7's C front end does not either for side-effect-free operands.
    const l = this.eval(e.l);
    const r = this.eval(e.r);
    const deps = union(l.deps, r.deps);
    if (e.op === '==' || e.op === '!=') {
      const eq = valueEquals(l.v, r.v);
      return { v: (e.op === '==') === eq ? 1 : 0, deps };
    }
    if (e.op === '&&') return { v: truthy(l.v) && truthy(r.v) ? 1 : 0, deps };
    if (e.op === '||') return { v: truthy(l.v) || truthy(r.v) ? 1 : 0, deps };
    const a = this.int(l, e.line);
    const b = this.int(r, e.line);
    const ops: Record<string, () => number> = {
      '+': () => a + b,
      '-': () => a - b,
      '*': () => a * b,
      '/': () => {
        if (b === 0) throw new Infeasible(`line ${e.line}: division by zero`);
        return Math.trunc(a / b);
      },
      '%': () => {
        if (b === 0) throw new Infeasible(`line ${e.line}: division by zero`);
        return a % b;
      },
      '&': () => a & b,
      '|': () => a | b,
      '^': () => a ^ b,
      '<': () => (a < b ? 1 : 0),
      '>': () => (a > b ? 1 : 0),
      '<=': () => (a <= b ? 1 : 0),
      '>=': () => (a >= b ? 1 : 0),
    };
    return { v: ops[e.op](), deps };
  }

  /** The address operand of a primitive: `*x` for READ_ONCE-style, `x` for pointer-style. */
  private address(arg: Expr, form: 'lvalue' | 'pointer', name: string): Tainted {
    if (form === 'lvalue') {
      if (arg.k !== 'deref') throw new UnsupportedConstructError(`${name}(${arg.k === 'name' ? arg.name : '...'})`, arg.line, `${name} takes *pointer`);
      return this.eval(arg.e);
    }
    return this.eval(arg);
  }

  private call(e: Extract<Expr, { k: 'call' }>): Tainted {
    const prim = PRIMITIVES.get(e.name);
    if (!prim) throw new UnsupportedConstructError(`${e.name}()`, e.line, 'not a primitive this checker models');
    const src = e.name;
    switch (prim.op) {
      case 'load': {
        const p = this.address(e.args[0], prim.address, e.name);
        return this.read(this.location(p, e.line), prim.mode, p.deps, e.line, src);
      }
      case 'store': {
        const p = this.address(e.args[0], prim.address, e.name);
        const v = this.eval(e.args[1]);
        this.write(this.location(p, e.line), v.v, prim.mode, p.deps, v.deps, e.line, src);
        if (prim.mbAfter) this.fence('mb', e.line, src);
        return { v: 0, deps: [] };
      }
      case 'fence':
        this.fence(prim.fence, e.line, src);
        return { v: 0, deps: [] };
      case 'xchg': {
        const p = this.eval(e.args[0]);
        const v = this.eval(e.args[1]);
        return this.rmw(this.location(p, e.line), prim.order, p.deps, () => v, e.line, src).old;
      }
      case 'cmpxchg': {
        const p = this.eval(e.args[0]);
        const expected = this.eval(e.args[1]);
        const v = this.eval(e.args[2]);
        const loc = this.location(p, e.line);
        this.checkNotLock(loc, e);
        // Guess the value read; on a mismatch cmpxchg is a plain read (no write, no barrier).
        const values = this.domain(loc);
        const guess = values[this.choose(values.length)];
        if (!valueEquals(guess, expected.v)) {
          const mode: AccessMode = prim.order === 'acquire' ? 'acquire' : 'once';
          const i = this.push({ kind: 'R', loc, value: guess, mode, addr: p.deps, data: [], ctrl: this.ctrl, line: e.line, source: `${src} (failed)` });
          return { v: guess, deps: [i] };
        }
        return this.rmw(loc, prim.order, p.deps, () => v, e.line, src, guess).old;
      }
      case 'atomic': {
        const pArg = e.args[prim.value === 'arg0' ? 1 : 0];
        const operand = prim.value === 'arg0' ? this.eval(e.args[0]) : { v: prim.value, deps: [] };
        const p = this.eval(pArg);
        const result = this.rmw(
          this.location(p, e.line),
          prim.order,
          p.deps,
          (old) => ({ v: this.int(old, e.line) + prim.sign * this.int(operand, e.line), deps: operand.deps }),
          e.line,
          src,
        );
        const value = prim.returns === 'old' ? result.old : result.new;
        if (prim.test === 'zero') return { v: value.v === 0 ? 1 : 0, deps: value.deps };
        if (prim.test === 'negative') return { v: this.int(value, e.line) < 0 ? 1 : 0, deps: value.deps };
        return prim.returns === 'none' ? { v: 0, deps: [] } : value;
      }
      case 'lock':
      case 'unlock':
      case 'trylock':
      case 'is_locked': {
        const p = this.eval(e.args[0]);
        const loc = this.location(p, e.line);
        const base = { loc, value: 0, addr: p.deps, data: [], ctrl: this.ctrl, line: e.line, source: src };
        if (prim.op === 'unlock') {
          this.push({ ...base, kind: 'W', lock: 'UL', mode: 'release' });
          return { v: 0, deps: [] };
        }
        if (prim.op === 'is_locked') {
          const locked = this.choose(2) === 1;
          const i = this.push({ ...base, kind: 'R', lock: locked ? 'RL' : 'RU', mode: 'once' });
          return { v: locked ? 1 : 0, deps: [i] };
        }
        if (prim.op === 'trylock' && this.choose(2) === 1) {
          const i = this.push({ ...base, kind: 'R', lock: 'LF', mode: 'once' });
          return { v: 0, deps: [i] };
        }
        const r = this.push({ ...base, kind: 'R', lock: 'LKR', mode: 'acquire' });
        const w = this.push({ ...base, kind: 'W', lock: 'LKW', mode: 'once', value: 1 });
        this.events[r].rmwWith = w;
        return { v: 1, deps: [r] };
      }
    }
  }

  private checkNotLock(loc: string, e: { name: string; line: number }): void {
    if (this.lockLocations.has(loc))
      throw new UnsupportedConstructError(`${e.name} on spinlock ${loc}`, e.line, 'a spinlock is only taken with spin_* primitives');
  }

  private push(ev: ThreadEvent): number {
    this.events.push(ev);
    return this.events.length - 1;
  }

  private read(loc: string, mode: AccessMode, addr: readonly number[], line: number, source: string): Tainted {
    if (this.lockLocations.has(loc))
      throw new UnsupportedConstructError(`${source} of spinlock ${loc}`, line, 'a spinlock is only accessed with spin_* primitives');
    const values = this.domain(loc);
    const v = values[this.choose(values.length)];
    const i = this.push({ kind: 'R', loc, value: v, mode, addr, data: [], ctrl: this.ctrl, line, source });
    return { v, deps: [i] };
  }

  private write(loc: string, value: Value, mode: AccessMode, addr: readonly number[], data: readonly number[], line: number, source: string): void {
    if (this.lockLocations.has(loc))
      throw new UnsupportedConstructError(`${source} of spinlock ${loc}`, line, 'a spinlock is only accessed with spin_* primitives');
    this.push({ kind: 'W', loc, value, mode, addr, data, ctrl: this.ctrl, line, source });
  }

  private fence(fence: FenceKind, line: number, source: string): void {
    this.push({ kind: 'F', fence, addr: [], data: [], ctrl: this.ctrl, line, source });
  }

  /**
   * A read-modify-write: a read and a write of one location linked by `rmw`. Fully ordered
   * variants (no suffix) are a relaxed pair between two `smp_mb()` fences, as herd7 builds them.
   */
  private rmw(
    loc: string,
    order: RmwOrder,
    addr: readonly number[],
    next: (old: Tainted) => Tainted,
    line: number,
    source: string,
    guessed?: Value,
  ): { old: Tainted; new: Tainted } {
    if (this.lockLocations.has(loc))
      throw new UnsupportedConstructError(`${source} on spinlock ${loc}`, line, 'a spinlock is only accessed with spin_* primitives');
    if (order === 'mb') this.fence('mb', line, source);
    const values = this.domain(loc);
    const v = guessed ?? values[this.choose(values.length)];
    const rmode: AccessMode = order === 'acquire' ? 'acquire' : order === 'noreturn' ? 'noreturn' : 'once';
    const wmode: AccessMode = order === 'release' ? 'release' : 'once';
    const r = this.push({ kind: 'R', loc, value: v, mode: rmode, addr, data: [], ctrl: this.ctrl, line, source });
    const old: Tainted = { v, deps: [r] };
    const nv = next({ v, deps: [] });
    const w = this.push({ kind: 'W', loc, value: nv.v, mode: wmode, addr, data: nv.deps, ctrl: this.ctrl, line, source });
    this.events[r].rmwWith = w;
    if (order === 'mb') this.fence('mb', line, source);
    return { old, new: { v: nv.v, deps: [r] } };
  }
}

function truthy(v: Value): boolean {
  return typeof v === 'number' ? v !== 0 : true;
}

function union(a: readonly number[], b: readonly number[]): number[] {
  if (b.length === 0) return a as number[];
  if (a.length === 0) return b as number[];
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}

export function describeValue(v: Value): string {
  return showValue(v);
}
