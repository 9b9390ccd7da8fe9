// The integer expressions of a document (expr.ts) against values worked out by hand: every
// operator, precedence and associativity, the ternary, min/max, and each error's message.
import { describe, expect, it } from 'vitest';
import { evalExpr, ExprError, isTemplate, substitute } from './expr.js';

const env = { n: 7, k: 2, zero: 0 };
const ev = (src: string) => evalExpr(src, env);
const error = (src: string, e: Record<string, number> = env): string => {
  try {
    evalExpr(src, e);
  } catch (x) {
    expect(x).toBeInstanceOf(ExprError);
    return (x as Error).message;
  }
  return expect.unreachable(`'${src}' evaluated`);
};

describe('evalExpr', () => {
  it('arithmetic: + - * and division and remainder truncated toward zero', () => {
    expect([ev('n + k'), ev('n - k'), ev('n * k'), ev('n / k'), ev('n % k')]).toEqual([9, 5, 14, 3, 1]);
    expect([ev('-n / k'), ev('-n % k'), ev('n / -k'), ev('0 - n % k')]).toEqual([-3, -1, -3, -1]);
    expect([ev('42'), ev('  n  '), ev('-k'), ev('--k'), ev('- -k')]).toEqual([42, 7, -2, 2, 2]);
  });

  it('comparisons and logic give 1 or 0', () => {
    const cases: [string, number][] = [
      ['n == 7', 1],
      ['n == 6', 0],
      ['n != 7', 0],
      ['n != 6', 1],
      ['n != 4', 1],
      ['n > 4', 1],
      ['k < n', 1],
      ['n < n', 0],
      ['n <= n', 1],
      ['n <= k', 0],
      ['n > k', 1],
      ['n > n', 0],
      ['n >= n', 1],
      ['k >= n', 0],
      ['n && k', 1],
      ['n && zero', 0],
      ['zero && n', 0],
      ['zero || k', 1],
      ['n || zero', 1],
      ['zero || zero', 0],
      ['!zero', 1],
      ['!n', 0],
      ['!!n', 1],
    ];
    for (const [src, v] of cases) expect(ev(src), src).toBe(v);
  });

  it('precedence: * over +, + over comparison, comparison over equality, && over ||; left to right within a level', () => {
    expect(ev('1 + 2 * 3')).toBe(7);
    expect(ev('(1 + 2) * 3')).toBe(9);
    expect(ev('n - k - 1')).toBe(4);
    expect(ev('n / k / 2')).toBe(1);
    expect(ev('1 + 1 < 3')).toBe(1);
    expect(ev('k < n == 1')).toBe(1);
    expect(ev('1 || 0 && 0')).toBe(1);
    expect(ev('0 && 1 || 1')).toBe(1);
    expect(ev('-k * 3')).toBe(-6);
    expect(ev('!zero + 1')).toBe(2);
  });

  it('c ? a : b, lowest and right-associative; min and max', () => {
    expect(ev('n > k ? 10 : 20')).toBe(10);
    expect(ev('n < k ? 10 : 20')).toBe(20);
    expect(ev('zero ? 1 : k ? 2 : 3')).toBe(2);
    expect(ev('zero ? 1 : zero ? 2 : 3')).toBe(3);
    expect(ev('1 + 1 ? n : k')).toBe(7);
    expect(ev('(zero ? 1 : 2) * 3')).toBe(6);
    expect([ev('min(n, k)'), ev('max(n, k)'), ev('min(k, n)'), ev('max(k, n)'), ev('min(n - 10, 0) + max(1, 2) * 2')]).toEqual([2, 7, 2, 7, -3 + 4]);
    // `min` without a call is a name
    expect(evalExpr('min + 1', { min: 4 })).toBe(5);
    // names may end in digits; only min and max are called
    expect(evalExpr('x1 + i10', { x1: 4, i10: 10 })).toBe(14);
    expect(error('n(1, 2)')).toBe("unexpected '(' in 'n(1, 2)'");
  });

  it('errors name the expression', () => {
    expect(error('n +')).toBe("'n +' ends too early");
    expect(error('n # 2')).toBe("unexpected '#' in 'n # 2'");
    expect(error('n 2')).toBe("unexpected '2' in 'n 2'");
    expect(error(')')).toBe("unexpected ')' in ')'");
    expect(error('(n + 1')).toBe("expected ')' in '(n + 1'");
    expect(error('min(n k)')).toBe("expected ',' in 'min(n k)'");
    expect(error('max(n, k')).toBe("expected ')' in 'max(n, k'");
    expect(error('n ? 1')).toBe("expected ':' in 'n ? 1'");
    expect(error('m + 1')).toBe("unknown name 'm' in 'm + 1' (known: n, k, zero)");
    expect(error('m', {})).toBe("unknown name 'm' in 'm' (known: none)");
    expect(error('toString')).toBe("unknown name 'toString' in 'toString' (known: n, k, zero)");
    expect(error('n / zero')).toBe("division by zero in 'n / zero'");
    expect(error('n % 0')).toBe("division by zero in 'n % 0'");
    expect(error('99999999 * 99999999 * 99')).toBe("'99999999 * 99999999 * 99' is not a safe integer");
    const long = Array.from({ length: 101 }, () => '1').join('+');
    expect(error(long)).toBe(`expression '${long.slice(0, 40)}...' is too long (at most 200 tokens)`);
    // 200 tokens are fine: -1 and 99 times +1
    expect(evalExpr(`-${Array.from({ length: 100 }, () => '1').join('+')}`, {})).toBe(98);
  });
});

describe('substitute', () => {
  it('a whole `${expr}` is a number, `${expr}` inside a string is replaced, anything else as is', () => {
    expect(substitute('${n * 2}', env)).toBe(14);
    expect(substitute('e${n}-${k + 1}', env)).toBe('e7-3');
    expect(substitute('plain', env)).toBe('plain');
    expect(substitute('$n', env)).toBe('$n');
    expect(substitute(5, env)).toBe(5);
    expect(substitute(null, env)).toBe(null);
    expect(() => substitute('x${nope}', env)).toThrow(ExprError);
    expect([isTemplate('a${b}'), isTemplate('ab'), isTemplate(3), isTemplate('$ {b}')]).toEqual([true, false, false, false]);
  });
});
