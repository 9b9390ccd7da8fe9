import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveModel, type World } from '@mmreplay/model';
import { explore, type ExploreOptions } from './explorer.js';
import { StepMemo } from './step-memo.js';

// explore()'s memory bound and its `stats.bytes` (issue 20, from the mutation run over explorer.ts
// lines 1-207 and session 17's over 208-308). The estimate adds the process's heap in use, which the
// garbage collector moves by more than any one term of the visited set's bytes at the sizes a spec
// can search, so the heap is fixed here (process.memoryUsage mocked): the estimate then is exact,
// and a search stopped at its first check reports in `stats.bytes` the same visited-set bytes the
// check added.

const MB = 2 ** 20;
const NO_REDUCTIONS = { symmetry: false, partialOrder: false, deadRegisters: false };
// symmetric, searched on tuples by default, fewer than 1,024 heads: the bounds are checked once
const c10 = resolveModel({ scenario: 'c10-device-private' }).world;

/** The visited set's bytes where a search stops at its first check of the bounds (head 0). */
function bytesAtFirstCheck(world: World, opts: ExploreOptions): number {
  const stats = { bytes: 0 };
  const r = explore(world, { ...opts, stats, cancel: { cancelled: true } });
  expect(r).toMatchObject({ boundHit: 'cancelled', statesStored: 1 });
  return stats.bytes;
}

/** process.memoryUsage() reporting `heapUsed(call)` as the heap in use, call 0 first. */
function heapReads(heapUsed: (call: number) => number): void {
  const real = process.memoryUsage.bind(process);
  let call = 0;
  vi.spyOn(process, 'memoryUsage').mockImplementation(() => ({ ...real(), heapUsed: heapUsed(call++) }));
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('the memory bound: the heap in use plus the visited set, checked every 16,384 heads', () => {
  it('stops when the estimate exceeds the bound by one byte and goes on when it meets it exactly', () => {
    const bytes = bytesAtFirstCheck(c10, {});
    // the state table, the search tree (1 << 16 parents) and the step memos at least
    expect(bytes).toBeGreaterThan(4 * (1 << 16) + 2 * new StepMemo().bytes);
    const maxMemoryMB = 64;
    heapReads(() => maxMemoryMB * MB - bytes);
    expect(explore(c10, { bounds: { maxMemoryMB } })).toMatchObject({ verdict: 'holds', boundHit: null });
    vi.restoreAllMocks();
    heapReads(() => maxMemoryMB * MB - bytes + 1);
    expect(explore(c10, { bounds: { maxMemoryMB } })).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory', statesStored: 1, transitions: 0 });
  });

  it('is not checked at the heads between (1,024 to 16,383), where the other bounds are', () => {
    // 1,224 states without reductions: the bounds are checked at heads 0 and 1,024; a heap that
    // grows past the bound after the first read is never read again
    const world = resolveModel({ scenario: 'c3-remap-file-pages' }).world;
    heapReads((call) => (call === 0 ? 0 : 1024 * 1024 * MB));
    expect(explore(world, { ...NO_REDUCTIONS, bounds: { maxMemoryMB: 64 } })).toMatchObject({ verdict: 'holds', boundHit: null, statesStored: 1224 });
    expect(process.memoryUsage).toHaveBeenCalledTimes(1);
  });
});

describe('stats.bytes', () => {
  it('counts the two step memos on tuples, and nothing of them where the search is on state vectors', () => {
    // the same states, tables and tree on both paths: at the first check they differ by the memos alone
    expect(bytesAtFirstCheck(c10, {}) - bytesAtFirstCheck(c10, { tuples: false })).toBe(2 * new StepMemo().bytes);
    // searches that are never on tuples: without symmetry, or with partial order beside it
    for (const opts of [{ symmetry: false }, { symmetry: false, partialOrder: false }, NO_REDUCTIONS, { partialOrderWithSymmetry: true }]) {
      expect(bytesAtFirstCheck(c10, opts), JSON.stringify(opts)).toBe(bytesAtFirstCheck(c10, { ...opts, tuples: false }));
    }
  });
});
