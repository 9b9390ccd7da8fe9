import { afterEach, describe, expect, it, vi } from 'vitest';
import { exploreBitstate } from './bitstate.js';
import { wideLevelWorld } from '../test/wide-level.js';

// The approximate search reads the heap (process.memoryUsage, which walks the heap's spaces) at a
// level's first head and then every 16,384 heads, not at each 1,024th where it reads the clock.
// Mutation testing of bitstate.ts (issue 20, session 20) found reading it every 1,024 heads
// undetected: the catalogue worlds small specs search have no level of over 1,024 states. The world
// of eight threads that never meet has one (depth 8: 1,107 states) and no level of 16,384.

const world = () => wideLevelWorld(8);
const opts = { symmetry: false, deadRegisters: false, bitstate: { log2Bits: 20 } } as const;

/** The heap mocked: `heapUsed` 0 for the first `low` readings, then far over any bound; the readings counted. */
const heap = (low: number) => {
  const real = process.memoryUsage.bind(process);
  let reads = 0;
  vi.spyOn(process, 'memoryUsage').mockImplementation(() => ({ ...real(), heapUsed: reads++ < low ? 0 : 2 ** 50 }));
  return () => reads;
};

afterEach(() => vi.restoreAllMocks());

describe('the approximate search reads the heap once a level under 16,384 heads', () => {
  it('the wide world: 3^8 states over 17 levels, one heap reading a level', () => {
    const reads = heap(Infinity);
    const r = exploreBitstate(world(), opts);
    expect({ verdict: r.verdict, states: r.statesStored, depth: r.maxDepth }).toEqual({ verdict: 'holds', states: 3 ** 8, depth: 16 });
    expect(reads()).toBe(17);
  });

  it('a heap over the bound from the tenth reading on stops the search at the start of depth 9, the widest level searched whole', () => {
    const reads = heap(9);
    const r = exploreBitstate(world(), opts);
    expect(r).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory' });
    // every state to depth 9: 1 + 8 + 36 + 112 + 266 + 504 + 784 + 1,016 + 1,107 + 1,016
    expect(r.statesStored).toBe(4850);
    expect(reads()).toBe(10);
  });
});
