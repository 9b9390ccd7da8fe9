import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { Machine } from '@mmreplay/engine';
import { StepMemo } from './step-memo.js';
import { TupleSteps } from './tuple-steps.js';
import type { TupleCodec } from './state-store.js';

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

  it('grows once the states stored are over 16 times its slots, and loses no entry it held when it grows', () => {
    const memo = new StepMemo();
    // a full table of 1,024 slots
    for (let i = 0; i < 5000; i++) memo.set(i % 5, i % 7, i, i % 1000, i + 1, i + 2);
    const held = (m: StepMemo) => {
      const found: number[] = [];
      for (let i = 0; i < 5000; i++) if (m.get(i % 5, i % 7, i, i % 1000) && m.shared === i + 1 && m.local === i + 2) found.push(i);
      return found;
    };
    const before = held(memo);
    expect(before.length).toBeGreaterThan(500);
    memo.fit(16 * 1024);
    expect(memo.bytes).toBe(16 * 1024);
    memo.fit(16 * 1024 + 1);
    expect(memo.bytes).toBe(32 * 1024);
    expect(held(memo)).toEqual(before);
    // a vector id 1 with thread and choice 0 packs like any other
    memo.set(0, 0, 3, 1, 8, 9);
    expect(memo.get(0, 0, 3, 1)).toBe(true);
    expect([memo.shared, memo.local]).toEqual([8, 9]);
  });

  it('loses no entry it held when it grows from a table with empty slots, whichever slot an entry moves to', () => {
    // issue 20: a grow that also copied the empty slots (or one slot past the old table) wrote an
    // empty entry to the slot where a key of zeros hashes, over whatever entry had moved there;
    // the full table above has hardly an empty slot. Tables about half full, with keys drawn
    // afresh for each, so that in some of them an entry moves to that slot.
    for (let r = 0; r < 32; r++) {
      const memo = new StepMemo();
      const keys = Array.from({ length: 600 }, (_, i) => [(i * 7 + r) % 32, (i * 13 + r) % 32, 1000 * r + i, (i * 31 + r) % 5000] as const);
      keys.forEach(([t, c, shared, local], i) => memo.set(t, c, shared, local, i + 1, -i));
      const held = () => keys.flatMap(([t, c, shared, local], i) => (memo.get(t, c, shared, local) && memo.shared === i + 1 && memo.local === -i ? [i] : []));
      const before = held();
      expect(before.length).toBeGreaterThan(300);
      memo.fit(1e9);
      expect(held(), `table ${r}`).toEqual(before);
    }
  });

  it('a search’s two memos (TupleSteps): their bytes, grown together with the states stored', () => {
    const steps = new TupleSteps({ layout: { size: 4 } } as unknown as Machine, null, null, {} as TupleCodec, 3);
    expect(steps.bytes).toBe(2 * 16 * 1024);
    steps.fit(16 * 1024);
    expect(steps.bytes).toBe(2 * 16 * 1024);
    steps.fit(16 * 1024 + 1);
    expect(steps.bytes).toBe(2 * 32 * 1024);
  });

  it('a key that does not pack (thread or choice 32 and over, a vector id of 2^21 - 1 and over) is not remembered, and overwrites nothing', () => {
    const memo = new StepMemo();
    memo.set(1, 2, 5, 7, 11, 13);
    // every slot of the 1,024 is met by some shared-object id among these
    for (let shared = 0; shared < 20_000; shared++) {
      memo.set(32, 0, shared, 0, 1, 1);
      memo.set(0, 32, shared, 0, 1, 1);
      memo.set(0, 0, shared, (1 << 21) - 1, 1, 1);
    }
    expect(memo.get(1, 2, 5, 7)).toBe(true);
    expect([memo.shared, memo.local]).toEqual([11, 13]);
    expect(memo.get(32, 0, 5, 0)).toBe(false);
    expect(memo.get(0, 0, 5, (1 << 21) - 1)).toBe(false);
    // the largest that packs
    memo.set(31, 31, 9, (1 << 21) - 2, 3, 4);
    expect(memo.get(31, 31, 9, (1 << 21) - 2)).toBe(true);
    expect([memo.shared, memo.local]).toEqual([3, 4]);
  });
});
