// The integer expressions of a scenario document: `${ptes - 1}`, `e${i}`, `${16 * (i + 1)}`.
// A small recursive-descent evaluator over integers (no `eval`): parameters and `repeat`
// variables by name, + - * / % (integer division, truncated), comparisons, && || ! and
// min()/max() and c ? a : b. A comparison or a logical operator gives 1 or 0.

export class ExprError extends Error {}

type Env = Readonly<Record<string, number>>;

const TOKEN = /\s*(?:(\d+)|([A-Za-z_][A-Za-z0-9_]*)|(&&|\|\||==|!=|<=|>=|[-+*/%()<>!,?:]))/y;

function tokenize(src: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let at = 0;
  while (at < src.length) {
    if (/^\s*$/.test(src.slice(at))) break;
    TOKEN.lastIndex = at;
    const m = TOKEN.exec(src);
    if (!m) throw new ExprError(`unexpected '${src.slice(at).trim()[0]}' in '${src}'`);
    out.push(m[1] ?? m[2] ?? m[3]);
    at = TOKEN.lastIndex;
  }
  if (out.length > 200) throw new ExprError(`expression '${src.slice(0, 40)}...' is too long (at most 200 tokens)`);
  return out;
}

const BINARY: readonly (readonly string[])[] = [['||'], ['&&'], ['==', '!='], ['<', '<=', '>', '>='], ['+', '-'], ['*', '/', '%']];

function apply(op: string, a: number, b: number, src: string): number {
  switch (op) {
    case '||':
      return a !== 0 || b !== 0 ? 1 : 0;
    case '&&':
      return a !== 0 && b !== 0 ? 1 : 0;
    case '==':
      return a === b ? 1 : 0;
    case '!=':
      return a !== b ? 1 : 0;
    case '<':
      return a < b ? 1 : 0;
    case '<=':
      return a <= b ? 1 : 0;
    case '>':
      return a > b ? 1 : 0;
    case '>=':
      return a >= b ? 1 : 0;
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    default:
      if (b === 0) throw new ExprError(`division by zero in '${src}'`);
      return op === '/' ? Math.trunc(a / b) : a % b;
  }
}

/** The value of one expression (the text between `${` and `}`). */
export function evalExpr(src: string, env: Env): number {
  const toks = tokenize(src);
  let i = 0;
  const peek = () => toks[i];
  const expect = (t: string) => {
    if (toks[i] !== t) throw new ExprError(`expected '${t}' in '${src}'`);
    i++;
  };
  const level = (n: number): number => {
    if (n === BINARY.length) return unary();
    let v = level(n + 1);
    while (BINARY[n].includes(peek())) {
      const op = toks[i++];
      v = apply(op, v, level(n + 1), src);
    }
    return v;
  };
  const unary = (): number => {
    const t = toks[i++];
    if (t === undefined) throw new ExprError(`'${src}' ends too early`);
    if (t === '-') return -unary();
    if (t === '!') return unary() === 0 ? 1 : 0;
    if (t === '(') {
      const v = ternary();
      expect(')');
      return v;
    }
    if (/^\d+$/.test(t)) return Number(t);
    if (/^[A-Za-z_]/.test(t)) {
      if ((t === 'min' || t === 'max') && peek() === '(') {
        i++;
        const a = level(0);
        expect(',');
        const b = level(0);
        expect(')');
        return t === 'min' ? Math.min(a, b) : Math.max(a, b);
      }
      if (!Object.prototype.hasOwnProperty.call(env, t)) {
        const known = Object.keys(env);
        throw new ExprError(`unknown name '${t}' in '${src}' (known: ${known.join(', ') || 'none'})`);
      }
      return env[t];
    }
    throw new ExprError(`unexpected '${t}' in '${src}'`);
  };
  // c ? a : b, lowest precedence, right-associative
  const ternary = (): number => {
    const c = level(0);
    if (peek() !== '?') return c;
    i++;
    const a = ternary();
    expect(':');
    const b = ternary();
    return c !== 0 ? a : b;
  };
  const v = ternary();
  if (i !== toks.length) throw new ExprError(`unexpected '${toks[i]}' in '${src}'`);
  if (!Number.isSafeInteger(v)) throw new ExprError(`'${src}' is not a safe integer`);
  return v;
}

const WHOLE = /^\$\{([^{}]*)\}$/;
const PART = /\$\{([^{}]*)\}/g;

/**
 * A document scalar after substitution: a string that is exactly one `${expr}` is that number; a
 * string with `${expr}` inside is the string with each replaced by its value; anything else as is.
 */
export function substitute(value: unknown, env: Env): unknown {
  if (typeof value !== 'string' || !value.includes('${')) return value;
  const whole = WHOLE.exec(value);
  if (whole) return evalExpr(whole[1], env);
  return value.replace(PART, (_, e: string) => String(evalExpr(e, env)));
}

/** `${expr}` strings and their expressions, for checks before evaluation. */
export const isTemplate = (v: unknown): v is string => typeof v === 'string' && v.includes('${');
