import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { StepMemo } from './step-memo.js';

// The memo is a cache: whatever it answers must be what was remembered under that exact key (a
// slot shared by two keys answers only the newer), and growing it keeps what fits.

describe('StepMemo', () => {
  it('answers only what was remembered under the whole key, against a Map, while it grows', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 40 }), fc.nat(3000), fc.nat(1 << 22), fc.nat(), fc.nat()), {
          minLength: 1,
          maxLength: 3000,
        }),
        (steps) => {
          const memo = new StepMemo();
          const known = new Map<string, [number, number]>();
          let hits = 0;
          steps.forEach(([t, c, shared, local, a, b], i) => {
            const key = `${t} ${c} ${shared} ${local}`;
            if (memo.get(t, c, shared, local)) {
              hits++;
              expect(known.get(key)).toEqual([memo.shared, memo.local]);
            }
            memo.set(t, c, shared, local, a, b);
            known.set(key, [a, b]);
            memo.fit(i * 64);
            // a key that packs is found right after it is set (nothing overwrote it yet)
            if (t < 32 && c < 32 && local < (1 << 21) - 1) {
              expect(memo.get(t, c, shared, local)).toBe(true);
              expect([memo.shared, memo.local]).toEqual([a, b]);
            } else expect(memo.get(t, c, shared, local)).toBe(false);
          });
          expect(hits).toBeLessThanOrEqual(steps.length);
        },
      ),
      { numRuns: 100 },
    );
  });

  it('keeps its entries when it grows, and grows only up to its bound', () => {
    const memo = new StepMemo();
    for (let i = 0; i < 200; i++) memo.set(i % 7, i % 3, i, 2 * i, 3 * i, 4 * i);
    const before = memo.bytes;
    memo.fit(1e9);
    expect(memo.bytes).toBe(2 * before);
    let found = 0;
    for (let i = 0; i < 200; i++) if (memo.get(i % 7, i % 3, i, 2 * i)) found += memo.shared === 3 * i && memo.local === 4 * i ? 1 : 0;
    // whatever survived the collisions of the small table survives the growth
    expect(found).toBeGreaterThan(150);
    for (let k = 0; k < 20; k++) memo.fit(1e9);
    expect(memo.bytes).toBe(16 << 17);
  });
});
