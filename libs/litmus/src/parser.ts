import type { BinaryOp, Condition, Expr, InitEntry, LitmusTest, Param, Place, Process, Prop, Quantifier, Stmt, Value } from './ast.js';
import { LitmusSyntaxError, UnsupportedConstructError } from './errors.js';
import { lex, type Token } from './lexer.js';
import { PRIMITIVES } from './primitives.js';

/** Type names accepted in declarations; a pointer is the type followed by `*`s. */
const TYPE_WORDS = new Set([
  'int',
  'long',
  'unsigned',
  'signed',
  'short',
  'char',
  'u8',
  'u16',
  'u32',
  'u64',
  's32',
  's64',
  'intptr_t',
  'uintptr_t',
  'spinlock_t',
  'atomic_t',
  'atomic_long_t',
  'const',
  'volatile',
]);
const REFUSED_STATEMENTS = new Set([
  'while',
  'for',
  'do',
  'goto',
  'return',
  'switch',
  'break',
  'continue',
  'case',
  'default',
  'struct',
  'union',
  'typedef',
  'static',
  'sizeof',
]);
const REFUSED_TYPES = new Set(['struct', 'union', 'srcu_struct', 'struct_srcu', 'rwlock_t', 'raw_spinlock_t', 'mutex', 'seqcount_t']);

/**
 * Parses a C litmus test of `tools/memory-model` (herd7's C dialect). Syntax errors throw
 * `LitmusSyntaxError`; well-formed constructs this checker does not model (loops, SRCU, unknown
 * functions, `?:`, compound assignment, ...) throw `UnsupportedConstructError` naming the construct
 * and its line.
 */
export function parseLitmus(text: string): LitmusTest {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  if (first < 0) throw new LitmusSyntaxError('empty test', 1);
  const header = /^\s*(\S+)\s+(\S+)/.exec(lines[first]);
  if (!header) throw new LitmusSyntaxError('expected "C <test name>" on the first line', first + 1);
  if (header[1] !== 'C') throw new UnsupportedConstructError(`architecture ${header[1]}`, first + 1, 'only C litmus tests (tools/memory-model) are supported');
  const rest = lines.slice(first + 1).join('\n');
  const { tokens, comments } = lex(rest, first + 2);
  const documented = comments.map((c) => /Result:\s*([A-Za-z]+)/.exec(c)?.[1]).find((r) => r !== undefined);
  const p = new Parser(tokens);
  const test = p.test(header[2], documented);
  validate(test);
  return test;
}

class Parser {
  private i = 0;
  constructor(private readonly toks: Token[]) {}

  private peek(k = 0): Token {
    return this.toks[Math.min(this.i + k, this.toks.length - 1)];
  }
  private next(): Token {
    return this.toks[this.i++ < this.toks.length - 1 ? this.i - 1 : this.toks.length - 1];
  }
  private is(v: string, k = 0): boolean {
    const t = this.peek(k);
    return (t.t === 'op' || t.t === 'id') && t.v === v;
  }
  private eat(v: string): boolean {
    if (this.is(v)) {
      this.i++;
      return true;
    }
    return false;
  }
  private expect(v: string): Token {
    const t = this.peek();
    if (!this.is(v)) throw new LitmusSyntaxError(`expected '${v}', found ${describe(t)}`, t.line);
    return this.next();
  }
  private ident(what: string): Token {
    const t = this.peek();
    if (t.t !== 'id') throw new LitmusSyntaxError(`expected ${what}, found ${describe(t)}`, t.line);
    return this.next();
  }

  test(name: string, documentedResult: string | undefined): LitmusTest {
    const init = this.initBlock();
    const processes: Process[] = [];
    while (this.peek().t === 'id' && /^P\d+$/.test(this.peek().v) && this.is('(', 1)) processes.push(this.process(processes.length));
    if (processes.length === 0) throw new LitmusSyntaxError(`expected a process P0(...), found ${describe(this.peek())}`, this.peek().line);
    let locations: Place[] = [];
    let filter: Prop | undefined;
    let condition: Condition | undefined;
    while (this.peek().t !== 'eof') {
      const t = this.peek();
      if (this.eat('locations')) {
        locations = this.locationList();
      } else if (this.eat('filter')) {
        filter = this.prop();
      } else if (this.is('exists') || this.is('forall') || (this.is('~') && this.is('exists', 1))) {
        if (condition) throw new LitmusSyntaxError('a second final condition', t.line);
        condition = this.condition();
      } else if (t.t === 'id' && /^P\d+$/.test(t.v)) {
        throw new LitmusSyntaxError(`process ${t.v} after the processes P0..P${processes.length - 1} (expected P${processes.length} in order)`, t.line);
      } else {
        throw new LitmusSyntaxError(`expected locations, filter, exists, ~exists or forall; found ${describe(t)}`, t.line);
      }
    }
    if (!condition) throw new LitmusSyntaxError('missing final condition (exists, ~exists or forall)', this.peek().line);
    return { name, documentedResult, init, processes, locations, filter, condition };
  }

  private initBlock(): InitEntry[] {
    this.expect('{');
    const entries: InitEntry[] = [];
    while (!this.eat('}')) {
      if (this.eat(';')) continue;
      entries.push(this.initEntry());
      if (!this.is('}')) this.expect(';');
    }
    return entries;
  }

  private initEntry(): InitEntry {
    const start = this.peek();
    if (start.t === 'num' && this.is(':', 1)) {
      const thread = Number(this.next().v);
      this.expect(':');
      const name = this.ident('a register').v;
      this.expect('=');
      return { place: { thread, name }, value: this.initValue() };
    }
    const type = this.typeWords();
    const name = this.ident('a location').v;
    const value = this.eat('=') ? this.initValue() : undefined;
    return { place: { name }, type: type || undefined, value };
  }

  private initValue(): Value {
    const t = this.next();
    if (t.t === 'num') return Number(t.v);
    if (t.t === 'op' && t.v === '-' && this.peek().t === 'num') return -Number(this.next().v);
    if (t.t === 'op' && t.v === '&') return { addr: this.ident('a location').v };
    // `atomic_t x = ATOMIC_INIT(1);`: the kernel's initializer of an atomic_t, its integer (herd7 takes it)
    if (t.t === 'id' && t.v === 'ATOMIC_INIT' && this.is('(')) {
      this.next();
      const v = this.initValue();
      if (typeof v !== 'number') throw new LitmusSyntaxError('ATOMIC_INIT takes an integer', t.line);
      this.expect(')');
      return v;
    }
    if (t.t === 'id') return { addr: t.v };
    throw new LitmusSyntaxError(`expected an initial value, found ${describe(t)}`, t.line);
  }

  /** `int`, `unsigned long`, `spinlock_t *`, `int **`: the type words and stars; '' if none. */
  private typeWords(): string {
    const words: string[] = [];
    while (this.peek().t === 'id' && (TYPE_WORDS.has(this.peek().v) || REFUSED_TYPES.has(this.peek().v))) {
      const t = this.next();
      if (REFUSED_TYPES.has(t.v)) throw new UnsupportedConstructError(`type ${t.v}`, t.line);
      words.push(t.v);
    }
    let stars = '';
    while (this.is('*')) {
      this.next();
      stars += '*';
    }
    return words.join(' ') + (stars ? ` ${stars}` : '');
  }

  private process(id: number): Process {
    const head = this.next();
    if (head.v !== `P${id}`) throw new LitmusSyntaxError(`expected P${id}, found ${head.v} (processes are numbered in order from P0)`, head.line);
    this.expect('(');
    const params: Param[] = [];
    while (!this.eat(')')) {
      const type = this.typeWords();
      const name = this.ident('a parameter name').v;
      params.push({ name, type });
      if (!this.is(')')) this.expect(',');
    }
    const body = this.block();
    return { id, params, body, line: head.line };
  }

  private block(): Stmt[] {
    this.expect('{');
    const out: Stmt[] = [];
    while (!this.eat('}')) {
      if (this.peek().t === 'eof') throw new LitmusSyntaxError("missing '}'", this.peek().line);
      out.push(...this.statement());
    }
    return out;
  }

  private statement(): Stmt[] {
    const t = this.peek();
    if (this.is('{')) return this.block();
    if (this.eat(';')) return [];
    if (t.t === 'id' && REFUSED_STATEMENTS.has(t.v))
      throw new UnsupportedConstructError(`'${t.v}'`, t.line, 'litmus tests here are loop-free straight-line code with if/else');
    if (this.eat('if')) {
      this.expect('(');
      const cond = this.expr();
      this.expect(')');
      const then = this.statement();
      const els = this.eat('else') ? this.statement() : [];
      return [{ k: 'if', cond, then, else: els, line: t.line }];
    }
    if (t.t === 'id' && (TYPE_WORDS.has(t.v) || REFUSED_TYPES.has(t.v))) return this.declaration();
    const lhs = this.expr();
    if (this.is('+=') || this.is('-=') || this.is('++') || this.is('--'))
      throw new UnsupportedConstructError(`'${this.peek().v}'`, this.peek().line, 'write the assignment out (r = r + 1)');
    if (this.eat('=')) {
      if (lhs.k !== 'name' && lhs.k !== 'deref') throw new LitmusSyntaxError('the left side of = must be a register or *pointer', t.line);
      const value = this.expr();
      this.expect(';');
      return [{ k: 'assign', target: lhs, value, line: t.line }];
    }
    this.expect(';');
    return [{ k: 'expr', e: lhs, line: t.line }];
  }

  private declaration(): Stmt[] {
    const line = this.peek().line;
    this.typeWords();
    const out: Stmt[] = [];
    for (;;) {
      while (this.eat('*'));
      const name = this.ident('a variable name').v;
      out.push(this.eat('=') ? { k: 'decl', name, init: this.expr(), line } : { k: 'decl', name, line });
      if (this.eat(';')) return out;
      this.expect(',');
    }
  }

  // Expressions, by C precedence.
  private expr(): Expr {
    const e = this.binary(0);
    if (this.is('?')) throw new UnsupportedConstructError("'?:'", this.peek().line, 'use if/else');
    return e;
  }

  private static readonly LEVELS: BinaryOp[][] = [['||'], ['&&'], ['|'], ['^'], ['&'], ['==', '!='], ['<', '>', '<=', '>='], ['+', '-'], ['*', '/', '%']];

  private binary(level: number): Expr {
    if (level === Parser.LEVELS.length) return this.unary();
    let l = this.binary(level + 1);
    for (;;) {
      const t = this.peek();
      const op = Parser.LEVELS[level].find((o) => t.t === 'op' && t.v === o);
      if (!op) return l;
      this.next();
      const r = this.binary(level + 1);
      l = { k: 'binary', op, l, r, line: t.line };
    }
  }

  private unary(): Expr {
    const t = this.peek();
    if (this.eat('*')) return { k: 'deref', e: this.unary(), line: t.line };
    if (this.eat('&')) return { k: 'addrof', name: this.ident('a location').v, line: t.line };
    if (this.eat('!')) return { k: 'unary', op: '!', e: this.unary(), line: t.line };
    if (this.eat('~')) return { k: 'unary', op: '~', e: this.unary(), line: t.line };
    if (this.eat('-')) return { k: 'unary', op: '-', e: this.unary(), line: t.line };
    if (this.is('++') || this.is('--')) throw new UnsupportedConstructError(`'${t.v}'`, t.line, 'write the assignment out (r = r + 1)');
    return this.postfix();
  }

  private postfix(): Expr {
    const t = this.next();
    let e: Expr;
    if (t.t === 'num') e = { k: 'num', v: Number(t.v), line: t.line };
    else if (t.t === 'op' && t.v === '(') {
      if (this.peek().t === 'id' && TYPE_WORDS.has(this.peek().v)) throw new UnsupportedConstructError('a cast', t.line);
      e = this.expr();
      this.expect(')');
    } else if (t.t === 'id') {
      if (this.eat('(')) {
        const args: Expr[] = [];
        while (!this.eat(')')) {
          args.push(this.expr());
          if (!this.is(')')) this.expect(',');
        }
        e = { k: 'call', name: t.v, args, line: t.line };
      } else e = { k: 'name', name: t.v, line: t.line };
    } else throw new LitmusSyntaxError(`expected an expression, found ${describe(t)}`, t.line);
    if (this.is('[') || this.is('->') || this.is('.'))
      throw new UnsupportedConstructError(`'${this.peek().v}'`, this.peek().line, 'arrays and structures are not modelled');
    return e;
  }

  // The final condition: herd's propositions over registers (`1:r0`) and locations (`x`).
  private condition(): Condition {
    let quantifier: Quantifier;
    if (this.eat('~')) {
      this.expect('exists');
      quantifier = '~exists';
    } else quantifier = this.next().v as Quantifier;
    return { quantifier, prop: this.prop() };
  }

  private prop(): Prop {
    let l = this.conj();
    while (this.eat('\\/')) l = { k: 'or', l, r: this.conj() };
    return l;
  }

  private conj(): Prop {
    let l = this.atom();
    while (this.eat('/\\')) l = { k: 'and', l, r: this.atom() };
    return l;
  }

  private atom(): Prop {
    if (this.eat('~') || this.eat('not')) return { k: 'not', p: this.atom() };
    if (this.eat('(')) {
      const p = this.prop();
      this.expect(')');
      return p;
    }
    if (this.eat('true')) return { k: 'true' };
    if (this.eat('false')) return { k: 'false' };
    const place = this.place();
    const op = this.next();
    if (op.v !== '=' && op.v !== '==' && op.v !== '!=') throw new LitmusSyntaxError(`expected = after ${place.name}, found ${describe(op)}`, op.line);
    const value = this.initValue();
    const eq: Prop = { k: 'eq', place, value };
    return op.v === '!=' ? { k: 'not', p: eq } : eq;
  }

  private place(): Place {
    const t = this.peek();
    if (t.t === 'num' && this.is(':', 1)) {
      this.next();
      this.next();
      return { thread: Number(t.v), name: this.ident('a register').v };
    }
    if (t.t === 'id' && /^P\d+$/.test(t.v) && this.is(':', 1)) {
      this.next();
      this.next();
      return { thread: Number(t.v.slice(1)), name: this.ident('a register').v };
    }
    return { name: this.ident('a register or location').v };
  }

  private locationList(): Place[] {
    this.expect('[');
    const out: Place[] = [];
    while (!this.eat(']')) {
      if (this.eat(';')) continue;
      out.push(this.place());
    }
    return out;
  }
}

function describe(t: Token): string {
  return t.t === 'eof' ? 'end of test' : `'${t.v}'`;
}

/** Every call names a primitive this checker models, with its number of arguments. */
function validate(test: LitmusTest): void {
  const visitExpr = (e: Expr): void => {
    switch (e.k) {
      case 'call': {
        const prim = PRIMITIVES.get(e.name);
        if (!prim) throw new UnsupportedConstructError(`${e.name}()`, e.line, 'not a primitive this checker models');
        if (prim.arity !== e.args.length) throw new LitmusSyntaxError(`${e.name}() takes ${prim.arity} argument(s), given ${e.args.length}`, e.line);
        e.args.forEach(visitExpr);
        return;
      }
      case 'deref':
      case 'unary':
        return visitExpr(e.e);
      case 'binary':
        visitExpr(e.l);
        return visitExpr(e.r);
      default:
        return;
    }
  };
  const visit = (s: Stmt): void => {
    switch (s.k) {
      case 'decl':
        if (s.init) visitExpr(s.init);
        return;
      case 'assign':
        visitExpr(s.target);
        return visitExpr(s.value);
      case 'expr':
        return visitExpr(s.e);
      case 'if':
        visitExpr(s.cond);
        s.then.forEach(visit);
        s.else.forEach(visit);
        return;
    }
  };
  for (const p of test.processes) p.body.forEach(visit);
}
