import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rel } from './relation.js';

const N = 40;
const pairs = fc.array(fc.tuple(fc.nat(N - 1), fc.nat(N - 1)), { maxLength: 60 });

/** The textbook definitions, on sets of pairs. */
const key = (a: number, b: number) => a * N + b;
function naiveSeq(r: Set<number>, s: Set<number>): Set<number> {
  const out = new Set<number>();
  for (const x of r) for (const y of s) if (x % N === Math.floor(y / N)) out.add(key(Math.floor(x / N), y % N));
  return out;
}
function naivePlus(r: Set<number>): Set<number> {
  let cur = new Set(r);
  for (;;) {
    const next = new Set([...cur, ...naiveSeq(cur, r)]);
    if (next.size === cur.size) return cur;
    cur = next;
  }
}
const asSet = (r: Rel) => new Set(r.pairs().map(([a, b]) => key(a, b)));

describe('Rel (bit-matrix relations over 40 events, two words a row)', () => {
  it('composition, transitive closure, inverse and acyclicity agree with their definitions', () => {
    fc.assert(
      fc.property(pairs, pairs, (p, q) => {
        const r = Rel.from(N, p);
        const s = Rel.from(N, q);
        const rs = new Set(p.map(([a, b]) => key(a, b)));
        const ss = new Set(q.map(([a, b]) => key(a, b)));
        expect(asSet(r.seq(s))).toEqual(naiveSeq(rs, ss));
        const plus = naivePlus(rs);
        expect(asSet(r.plus())).toEqual(plus);
        expect(asSet(r.inverse())).toEqual(new Set(p.map(([a, b]) => key(b, a))));
        expect(r.isAcyclic()).toBe(![...plus].some((x) => Math.floor(x / N) === x % N));
        expect(asSet(r.union(s))).toEqual(new Set([...rs, ...ss]));
        expect(asSet(r.minus(s))).toEqual(new Set([...rs].filter((x) => !ss.has(x))));
      }),
      { numRuns: 200, seed: 7 },
    );
  });
});
