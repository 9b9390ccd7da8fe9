import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { lbThreeLoads } from '../test/worlds.js';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import { explore } from './explorer.js';
import { exploreParallel, exploreSharedAlone } from './parallel.js';
// Test support shared by the multi-process tests, outside every project (no dependency edge).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { buildChildLibraries, type ChildLibraries } from '../../../test-support/child-lib.js';

const seed = (n: number, variant?: string) => resolveModel({ scenario: 'seed', params: { ptes: n, faults: n }, variant }).world;
const counts = (r: { verdict: string; statesStored: number; transitions: number; schedules: number }) => ({
  verdict: r.verdict,
  states: r.statesStored,
  transitions: r.transitions,
  schedules: r.schedules,
});

describe("the shared-set search's code on this thread alone stores what explore does (issue 15)", () => {
  for (const n of [2, 3]) {
    it(`seed ${n}x${n}: the same states, transitions, end states and depth as explore, with and without reductions`, () => {
      const world = seed(n);
      // without reductions only where that is small
      for (const opts of n === 2 ? [{}, { symmetry: false, deadRegisters: false }] : [{}]) {
        const oneStats = { bytes: 0 };
        const one = explore(world, { ...opts, partialOrder: false, stats: oneStats });
        const stats = { bytes: 0 };
        const alone = exploreSharedAlone(world, { ...opts, stats });
        expect(counts(alone)).toEqual(counts(one));
        expect(alone.maxDepth).toBe(one.maxDepth);
        // what it keeps, as explore counts its own: the same order of size
        expect(stats.bytes / oneStats.bytes).toBeGreaterThan(0.5);
        expect(stats.bytes / oneStats.bytes).toBeLessThan(2);
      }
    });
  }

  it('unlock-before-remove: a counterexample as short as the sequential one, which replays', () => {
    const world = seed(3, 'unlock-before-remove');
    const one = explore(world);
    const many = exploreSharedAlone(world);
    expect(many.verdict).toBe('violated');
    expect(many.counterexample!.length).toBe(one.counterexample!.length);
    const run = new Runtime(world).run({ scheduler: new ReplayScheduler(many.counterexample!.schedule), maxSteps: many.counterexample!.length });
    expect(run.violation?.invariant).toBe(many.counterexample!.invariant);
  });
});

describe('the parallel search on worker threads', () => {
  // The workers import the sources as they are now, transpiled for them: not a stale dist/.
  let libs: ChildLibraries;
  let entry: string;
  beforeAll(() => {
    libs = buildChildLibraries(['model', 'engine', 'explorer'], 'parallel-search');
    entry = pathToFileURL(libs.entries.explorer).href;
  });
  afterAll(() => libs.cleanup());

  it('seed 4x4 on 2 workers: the same verdict, states, transitions and depth as on one', async () => {
    const world = seed(4);
    const one = explore(world);
    const two = await exploreParallel(world, { workers: 2, entry, sequentialFirst: 0 });
    expect(two.workers).toBe(2);
    expect(counts(two)).toEqual(counts(one));
    expect(two.maxDepth).toBe(one.maxDepth);
  }, 120_000);

  it('unlock-before-remove on 2 workers: violated, the first counterexample as short as on one, and it replays', async () => {
    const world = seed(3, 'unlock-before-remove');
    const one = explore(world);
    const two = await exploreParallel(world, { workers: 2, entry, sequentialFirst: 0 });
    expect(two.verdict).toBe('violated');
    expect(two.counterexample!.length).toBe(one.counterexample!.length);
    const run = new Runtime(world).run({ scheduler: new ReplayScheduler(two.counterexample!.schedule), maxSteps: two.counterexample!.length });
    expect(run.violation?.invariant).toBe('bug-on');
  }, 120_000);

  it('a memory bound the workers cannot keep ends inconclusive with bound memory, not a crash', async () => {
    const r = await exploreParallel(seed(4), { workers: 2, entry, sequentialFirst: 0, bounds: { maxMemoryMB: 1 } });
    expect(r).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory' });
  }, 120_000);

  it('a small search ends on the calling thread, without starting workers', async () => {
    const world = seed(3);
    const r = await exploreParallel(world, { workers: 2, entry: 'file:///nonexistent/index.js' });
    expect(r.workers).toBe(1);
    expect(counts(r)).toEqual(counts(explore(world)));
  });

  it("the workers report the engine's own bounds that held a thread back, as one worker does", async () => {
    const world = lbThreeLoads().world;
    const one = explore(world, { partialOrder: false });
    const two = await exploreParallel(world, { workers: 2, entry, sequentialFirst: 0, partialOrder: false });
    expect(two.workers).toBe(2);
    expect(counts(two)).toEqual(counts(one));
    expect(two.modelBounds).toEqual([{ bound: 'loads', thread: 'P0', label: 'P0.read_c', kept: 2 }]);
  }, 120_000);

  it('a world that partial order reduces is searched on one thread, and says so', async () => {
    const world = seed(2);
    const r = await exploreParallel(world, { workers: 2, entry, sequentialFirst: 0, symmetry: false });
    expect(r.workers).toBe(1);
    expect(r.reductions).toContain('partial-order');
    expect(counts(r)).toEqual(counts(explore(world, { symmetry: false })));
  });
});
