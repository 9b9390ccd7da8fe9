import { describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { explore } from './explorer.js';

// The parallel search as the built package runs it (the benchmarks, and any caller of the package
// that passes no `entry`): its workers load the build's own shared-worker.js beside the
// coordinator's file. Every other spec runs the search from the sources, whose workers load
// ../dist/shared-worker.js, so a wrong path for the built case shows only here. `npm test` builds
// before it tests. The workers start at once (sequentialFirst 0): seed 4x4 may otherwise end on the
// calling thread before they have loaded.
const built = new URL('../dist/index.js', import.meta.url).href;

describe('the built package searches on worker threads', () => {
  it('seed 4x4 on two workers: the states, transitions and verdict of explore', async () => {
    const { exploreParallel } = (await import(built)) as typeof import('./index.js');
    const world = resolveModel({ scenario: 'seed', params: { ptes: 4, faults: 4 } }).world;
    const two = await exploreParallel(world, { workers: 2, sequentialFirst: 0 });
    const one = explore(world);
    expect(two.workers).toBe(2);
    expect([two.statesStored, two.transitions, two.verdict]).toEqual([one.statesStored, one.transitions, one.verdict]);
    expect(one.statesStored).toBe(136_456);
  });
});
