import { describe, expect, it } from 'vitest';
import { StateStore } from './state-store.js';

// StateStore.tuplesUpTo, which hands a partition's states on (Partition.export): the tuples are
// kept in chunks of 65,536 states, and the copy must take each chunk's part, the last one partly.

describe('StateStore.tuplesUpTo', () => {
  it('is the stored tuples in order, up to any count, across the chunks', () => {
    const store = new StateStore(2, [
      { offset: 0, width: 1, table: 0 },
      { offset: 1, width: 1, table: 1 },
    ]);
    const n = 70_000;
    for (let i = 0; i < n; i++) expect(store.add(new Int32Array([i % 300, Math.floor(i / 300)]))).toBe(i);
    const one = new Uint32Array(2);
    for (const upTo of [0, 1, 65_535, 65_536, 65_537, n]) {
      const all = store.tuplesUpTo(upTo);
      expect(all.length).toBe(2 * upTo);
      for (const id of [0, upTo >> 1, upTo - 2, upTo - 1].filter((x) => x >= 0 && x < upTo)) {
        expect([all[2 * id], all[2 * id + 1]], `state ${id} of ${upTo}`).toEqual([...store.tupleAt(id, one)]);
      }
    }
    // every state, by its ids read back as its components
    const all = store.tuplesUpTo(n);
    const s = new Int32Array(2);
    for (let id = 0; id < n; id += 997) expect([...store.read(id, s)], `state ${id}`).toEqual([id % 300, Math.floor(id / 300)]);
    expect(new Set(Array.from({ length: n }, (_, id) => `${all[2 * id]},${all[2 * id + 1]}`)).size).toBe(n);
  });
});
