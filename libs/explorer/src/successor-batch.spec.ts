import { describe, expect, it } from 'vitest';
import { SuccessorBatch } from './successor-batch.js';

// The batch of successors not inserted yet (successor-batch.ts), on its own: explorer.batch.spec
// compares whole searches, whose batches rarely outgrow the first 256 rows. Here a batch grows
// several times and must keep every row it held: tuple, hash, parent, and counters.

describe('SuccessorBatch', () => {
  it('hands out one row per successor, in order, and keeps every field of each row as it grows past 256, 512, 1024 rows', () => {
    const arity = 3;
    const b = new SuccessorBatch(arity);
    const n = 1500;
    for (let i = 0; i < n; i++) {
      const row = b.next(i * 2, i * 10 + 0.5, i * 100 + 0.25);
      expect(row).toHaveLength(arity);
      expect(b.count).toBe(i + 1);
      row.set([i, i + 1, i + 2]);
      b.hashes[i] = -i - 1;
    }
    expect(b.parents.length).toBeGreaterThanOrEqual(n);
    expect(b.tuples.length).toBe(b.parents.length * arity);
    for (const a of [b.hashes, b.parents, b.transitions, b.endStates]) expect(a.length).toBe(b.parents.length);
    for (let i = 0; i < n; i++) {
      expect(Array.from(b.view(i))).toEqual([i, i + 1, i + 2]);
      expect(Array.from(b.tuples.subarray(i * arity, (i + 1) * arity))).toEqual([i, i + 1, i + 2]);
      expect([b.hashes[i], b.parents[i], b.transitions[i], b.endStates[i]]).toEqual([-i - 1, i * 2, i * 10 + 0.5, i * 100 + 0.25]);
    }
  });

  it('a view is the tuple itself (writes through), the same view each time until the batch grows', () => {
    const b = new SuccessorBatch(2);
    const v = b.next(0, 0, 0);
    expect(b.view(0)).toBe(v);
    v[1] = 9;
    expect(b.tuples[1]).toBe(9);
    b.count = 0;
    expect(b.next(5, 1, 2)).toBe(v);
    for (let i = 1; i <= 256; i++) b.next(i, 0, 0);
    // grown: a view of the new storage, with what the old one held
    const w = b.view(0);
    expect(w).not.toBe(v);
    expect(Array.from(w)).toEqual([0, 9]);
    w[0] = 4;
    expect(b.tuples[0]).toBe(4);
    expect(b.parents[0]).toBe(5);
  });
});
