import { describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';
import { ImageMap, Symmetry } from './symmetry.js';
import { StateStore } from './state-store.js';
import { stateComponents } from './explorer.js';

// The sizes of what canonicalTuple remembers (issue 20: the mutation run over symmetry.ts lines
// 418-745 left the memo's byte count and the image table's growth alive; symmetry-tuples.spec
// compares results, which neither changes). The explorer adds memoBytes to its memory bound, so
// it must be the bytes of the typed arrays held: the record pool, each thread's index by component
// id and the image table, which doubles once more than half of its slots are taken.

const WORD = 4;

describe('the image table', () => {
  it('starts at 1,024 slots of four words and doubles on the 513th key, not on a key set again', () => {
    const map = new ImageMap();
    expect(map.bytes).toBe(1024 * 4 * WORD);
    for (let k = 0; k < 512; k++) map.set(k, k % 7, 3, k);
    // the same keys set again take no slot
    for (let k = 0; k < 512; k++) map.set(k, k % 7, 3, k + 1);
    expect(map.bytes).toBe(1024 * 4 * WORD);
    map.set(512, 512 % 7, 3, 0);
    expect(map.bytes).toBe(2048 * 4 * WORD);
    for (let k = 0; k <= 512; k++) expect(map.get(k, k % 7, 3)).toBe(k === 512 ? 0 : k + 1);
  });
});

describe("canonicalTuple's memo size", () => {
  it("c10: the pool and the image table at first, then one index of 64 entries per thread and the shared objects' records (1,024 words)", () => {
    const m = new Machine(resolveModel({ scenario: 'c10-device-private' }).world);
    const sym = new Symmetry(m);
    expect(sym.tuples).toBe(true);
    expect(sym.memoBytes).toBe((1 << 12) * WORD + 1024 * 4 * WORD);
    const store = new StateStore(m.layout.size, stateComponents(m));
    const raw = new Uint32Array(stateComponents(m).length);
    const s = m.initialState();
    sym.canonicalTuple(s, store.tupleOf(s, -1, raw), new Uint32Array(raw.length), (v, k) => store.intern(v, k));
    expect(sym.memoBytes).toBe((1 << 12) * WORD + 1024 * 4 * WORD + m.layout.nThreads * 64 * WORD + 1024 * WORD);
  });
});
