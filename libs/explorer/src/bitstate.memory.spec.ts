import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { exploreBitstate } from './bitstate.js';

// Hash compaction's room to grow, with the heap fixed at 0 (process.memoryUsage mocked) so that the
// memory bound compares the search's own bytes alone: its signature table doubles only if the bound
// leaves room for the doubled table beside everything else. Mutation testing of bitstate.ts
// (issue 20, session 19) found the room test's sum untested: a heap far over the table hid it.

afterEach(() => vi.restoreAllMocks());

describe('hash compaction under a memory bound, the heap fixed at 0', () => {
  it('the table doubles only when the bound has room for the search and the new table; without, it fills past half and the search stops at memory', () => {
    const real = process.memoryUsage.bind(process);
    vi.spyOn(process, 'memoryUsage').mockImplementation(() => ({ ...real(), heapUsed: 0 }));
    const w = resolveModel({ scenario: 'seed', params: { ptes: 4, faults: 4 } }).world;
    const at = (maxMemoryMB: number) => {
      const stats = { bytes: 0 };
      const r = exploreBitstate(w, { bitstate: { method: 'hashcompact' }, deadRegisters: false, symmetry: false, bounds: { maxMemoryMB }, stats });
      return { r, bytes: stats.bytes };
    };
    // 2 MB: the search holds about 1.4 MB when its 2^16 slots are half full, and doubling them takes 512 KB more for the
    // new table beside the old (1 MB asked): no room
    const tight = at(2);
    expect(tight.r).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory' });
    expect(tight.r.approximate.log2Bits).toBe(22);
    expect(tight.r.approximate.fill).toBeGreaterThan(0.5);
    expect(tight.bytes + 2 ** 20).toBeGreaterThan(2 * 2 ** 20);
    // 3 MB: room for one doubling, not for the next
    const roomier = at(3);
    expect(roomier.r).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory' });
    expect(roomier.r.approximate.log2Bits).toBe(23);
    expect(roomier.r.approximate.fill).toBeGreaterThan(0.5);
  });
});
