import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import type { Progress } from './explorer.js';
import { explore } from './explorer.js';
import { exploreParallel } from './parallel.js';
import { referenceBfs, REFERENCE_REQUESTS, requestName, referenceCounts, searchCounts } from '../test/reference-bfs.js';
import { endAndStepWorld } from '../test/end-and-step.js';
// Test support shared by the multi-process tests, outside every project (no dependency edge).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { buildChildLibraries, type ChildLibraries } from '../../../test-support/child-lib.js';

// The parallel search on one shared visited set (parallel-shared.ts), its workers real threads
// that load the sources as they are now (transpiled for them, not a stale dist/), held to the
// reference breadth-first search: every figure, the shortest counterexample, every bound. The same
// search with workers that never load runs on the calling thread alone (a team of one), which is
// where a mutation run can reach its code.

const OFF = { symmetry: false, partialOrder: false, deadRegisters: false };
/** a module that never finishes loading: the workers never say they have loaded */
const NEVER = 'data:text/javascript,await new Promise(() => {})';

const figures = (r: { verdict: string; statesStored: number; transitions: number; schedules: number; maxDepth: number }) => [
  r.verdict,
  r.statesStored,
  r.transitions,
  r.schedules,
  r.maxDepth,
];

function replays(schedule: string, length: number, invariant: string, world: ReturnType<typeof resolveModel>['world']): void {
  const run = new Runtime(world).run({ scheduler: new ReplayScheduler(schedule), maxSteps: length + 1 });
  expect(run.violation?.invariant).toBe(invariant);
  expect(run.steps).toBe(length);
}

describe('the parallel search on a shared visited set', () => {
  let libs: ChildLibraries;
  let entry: string;
  beforeAll(() => {
    libs = buildChildLibraries(['model', 'engine', 'explorer'], 'parallel-shared');
    entry = pathToFileURL(libs.entries.explorer).href;
  });
  afterAll(() => libs.cleanup());

  for (const req of REFERENCE_REQUESTS) {
    it(`${requestName(req)}: on 2 and 3 workers from the start, and here alone: the reference's figures and shortest counterexample`, async () => {
      const world = resolveModel(req).world;
      const ref = referenceBfs(world);
      for (const [workers, o, ran] of [
        [2, { sequentialFirst: 0 }, 2],
        [3, { sequentialFirst: 0 }, 3],
        [2, { sequentialFirst: 1, entry: NEVER }, 1],
      ] as const) {
        const progress: Progress[] = [];
        const r = await exploreParallel(world, { ...OFF, entry, workers, ...o, onProgress: (p) => progress.push(p) });
        expect(r.workers).toBe(ran);
        expect(r.reductions).toEqual(['state-deduplication', 'local-steps-merged']);
        expect(r.verdict).toBe(ref.violationLength === null ? 'holds' : 'violated');
        if (ref.violationLength !== null) {
          expect(r.counterexample).toMatchObject({ invariant: ref.invariant, length: ref.violationLength });
          replays(r.counterexample!.schedule, r.counterexample!.length, ref.invariant!, world);
          continue;
        }
        expect(r.boundHit).toBeNull();
        expect(r.counterexample).toBeNull();
        expect(searchCounts(r)).toEqual(referenceCounts(ref));
        // the levels reported in order, the last with every state
        expect(progress.map((p) => p.depth)).toEqual([...progress.map((p) => p.depth)].sort((a, b) => a - b));
        expect(progress.at(-1)!.states).toBe(ref.states);
      }
    });
  }

  it('seed 4x4 with its reductions on 2 workers: the states, transitions, end states and depth of explore', async () => {
    const world = resolveModel({ scenario: 'seed', params: { ptes: 4, faults: 4 } }).world;
    const oneStats = { bytes: 0 };
    const one = explore(world, { stats: oneStats });
    const stats = { bytes: 0 };
    const two = await exploreParallel(world, { entry, workers: 2, sequentialFirst: 0, stats });
    expect(two.workers).toBe(2);
    expect(two.reductions).toEqual(one.reductions);
    expect(figures(two)).toEqual(figures(one));
    // what it keeps (states, parents, tables, both workers' memos), as explore counts its own:
    // the same order of size (81 and 97 bytes a state)
    expect(stats.bytes / oneStats.bytes).toBeGreaterThan(0.8);
    expect(stats.bytes / oneStats.bytes).toBeLessThan(1.5);
  });

  it('seed 5x5 begun here and handed to 2 workers once they have loaded: the figures of explore', async () => {
    const world = resolveModel({ scenario: 'seed', params: { ptes: 5, faults: 5 } }).world;
    const one = explore(world);
    // the workers start after the first level and load while this thread goes on; 753,972 states take it seconds
    const two = await exploreParallel(world, { entry, workers: 2, sequentialFirst: 1 });
    expect(two.workers).toBe(2);
    expect(figures(two)).toEqual(figures(one));
  });

  it('unlock-before-remove on 2 workers: the first counterexample as short as explore finds, and it replays', async () => {
    const world = resolveModel({ scenario: 'seed', params: { ptes: 3, faults: 3 }, variant: 'unlock-before-remove' }).world;
    const one = explore(world);
    const two = await exploreParallel(world, { entry, workers: 2, sequentialFirst: 0 });
    expect(two.verdict).toBe('violated');
    expect(two.counterexample!.length).toBe(one.counterexample!.length);
    replays(two.counterexample!.schedule, two.counterexample!.length, two.counterexample!.invariant, world);
  });

  it('an end state that breaks an invariant beats a step that breaks one in the same level, whichever thread expands which', async () => {
    for (const order of [
      ['a', 'b'],
      ['b', 'a'],
      ['b', 'b', 'b', 'a'],
    ] as const) {
      const world = endAndStepWorld(order);
      for (const [workers, o] of [
        [2, { sequentialFirst: 0 }],
        [3, { sequentialFirst: 0 }],
        [2, { sequentialFirst: 1, entry: NEVER }],
      ] as const) {
        const r = await exploreParallel(world, { entry, workers, ...o, partialOrder: false });
        expect(r.counterexample).toMatchObject({ invariant: 'deadlock', length: 1, step: 1 });
        // and with a bound of one step, the deadlock lies past the heads explore looks at
        // (shortest-end-state.depth-bound.spec.ts): no scan of the heads at the bound
        const bounded = await exploreParallel(world, { entry, workers, ...o, partialOrder: false, bounds: { maxDepth: 1 } });
        expect(bounded).toMatchObject({ verdict: 'inconclusive', boundHit: 'depth', counterexample: null, maxDepth: 1 });
      }
    }
  });

  for (const [where, o, workers] of [
    ['on the workers', { sequentialFirst: 0 }, 2],
    ['on this thread alone', { sequentialFirst: 1, entry: NEVER }, 1],
  ] as const) {
    it(`the bounds ${where}: states, depth, time, memory and a cancellation end it inconclusive, and a search under them holds`, async () => {
      const world = resolveModel({ scenario: 'c8-shmem-refcount' }).world;
      const ref = referenceBfs(world);
      const run = async (b: object) => {
        const r = await exploreParallel(world, { ...OFF, entry, workers: 2, ...o, ...b });
        expect(r.workers).toBe(workers);
        return r;
      };
      expect(await run({ bounds: { maxStates: ref.states } })).toMatchObject({ verdict: 'holds', boundHit: null, statesStored: ref.states });
      // looked at as a level begins: the search stops at the first level past the bound
      expect(await run({ bounds: { maxStates: ref.states - 1 } })).toMatchObject({ verdict: 'inconclusive', boundHit: 'states', statesStored: ref.states });
      expect(await run({ bounds: { maxStates: 3 } })).toMatchObject({ verdict: 'inconclusive', boundHit: 'states' });
      const deep = await run({ bounds: { maxDepth: ref.maxDepth } });
      expect(deep).toMatchObject({ verdict: 'inconclusive', boundHit: 'depth', statesStored: ref.states, maxDepth: ref.maxDepth });
      expect(await run({ bounds: { maxDepth: ref.maxDepth + 1 } })).toMatchObject({ verdict: 'holds', boundHit: null });
      expect(await run({ bounds: { maxSeconds: -1 } })).toMatchObject({ verdict: 'inconclusive', boundHit: 'time' });
      expect(await run({ bounds: { maxMemoryMB: 1 } })).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory' });
      expect(await run({ cancel: { cancelled: true } })).toMatchObject({ verdict: 'inconclusive', boundHit: 'cancelled' });
    });
  }

  it('a cancellation while the workers search ends it inconclusive within a few polls', async () => {
    const world = resolveModel({ scenario: 'seed', params: { ptes: 6, faults: 6 } }).world;
    const cancel = { cancelled: false };
    const at = performance.now();
    const timer = setTimeout(() => (cancel.cancelled = true), 300);
    const r = await exploreParallel(world, { entry, workers: 2, sequentialFirst: 0, cancel });
    clearTimeout(timer);
    expect(r).toMatchObject({ verdict: 'inconclusive', boundHit: 'cancelled', workers: 2 });
    expect(performance.now() - at).toBeLessThan(5_000);
  });

  it('workers that cannot load leave the search to this thread, which ends it', async () => {
    const world = resolveModel({ scenario: 'seed', params: { ptes: 3, faults: 3 } }).world;
    const r = await exploreParallel(world, { entry: 'file:///no/such/explorer.js', workers: 2, sequentialFirst: 0 });
    expect(r.workers).toBe(1);
    expect(r.statesStored).toBe(explore(world).statesStored);
  });
});
