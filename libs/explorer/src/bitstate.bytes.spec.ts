import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';
import { exploreBitstate } from './bitstate.js';
import { stateComponents } from './explorer.js';
import { internTables } from './state-store.js';
import { LevelQueue } from './frontier.js';

// The approximate search's own bytes (`stats.bytes`, and what its memory bound adds to the heap)
// counted part by part, and the bound reached to the byte with the heap fixed at 0. Mutation testing
// of bitstate.ts (issue 20, session 20) found a sign flipped in the sum, or the heap minus the
// bytes, passing specs whose bounds are a megabyte wide or whose heap is far over the bound.

const c8 = () => resolveModel({ scenario: 'c8-shmem-refcount' }).world;

/**
 * c8's search on vectors (no step memos) with a bit table of 2^20 bits, part by part: its levels
 * stay under 4,096 states and its states under 2^16, so the two levels, the parent links and the
 * interned components keep the sizes they start with.
 */
const expectedBytes = () => {
  const components = stateComponents(new Machine(c8()));
  const tables = internTables(components);
  const level = new LevelQueue(0, tables, components, null).bytes;
  const parentLinks = 2 ** 16 * (4 + 2);
  return 2 ** 20 / 8 + 2 * level + parentLinks + tables.reduce((a, t) => a + t.bytes, 0);
};

const search = (o: { tuples?: boolean; maxMemoryMB?: number } = {}) => {
  const stats = { bytes: 0 };
  const r = exploreBitstate(c8(), { bitstate: { log2Bits: 20 }, tuples: o.tuples, bounds: { maxMemoryMB: o.maxMemoryMB ?? 512 }, stats });
  return { r, bytes: stats.bytes };
};

afterEach(() => vi.restoreAllMocks());

describe("the approximate search's bytes", () => {
  it('the bit table, the two levels, the parent links and decisions and the interned components, each counted once; the step memos on top', () => {
    const onVectors = search({ tuples: false });
    expect(onVectors.r.verdict).toBe('holds');
    expect(onVectors.r.statesStored).toBeLessThan(4096);
    expect(onVectors.bytes).toBe(expectedBytes());
    // on tuples the step and enabledness memos hold bytes of their own
    expect(search().bytes).toBeGreaterThan(onVectors.bytes);
  });

  it('with the heap fixed at 0, the memory bound stops the search only once its bytes pass the bound', () => {
    const real = process.memoryUsage.bind(process);
    vi.spyOn(process, 'memoryUsage').mockImplementation(() => ({ ...real(), heapUsed: 0 }));
    const bytes = expectedBytes();
    const all = search({ tuples: false });
    // c8's search holds these bytes from its first state on (nothing it holds grows): a bound equal to
    // them is not passed; one byte fewer stops it at its first state
    expect(search({ tuples: false, maxMemoryMB: bytes / 2 ** 20 }).r).toMatchObject({ verdict: 'holds', boundHit: null, statesStored: all.r.statesStored });
    expect(search({ tuples: false, maxMemoryMB: (bytes - 1) / 2 ** 20 }).r).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory', statesStored: 1 });
  });
});
