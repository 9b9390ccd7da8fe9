import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { lbThreeLoads } from '../test/worlds.js';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import type { ExplorationResult, Progress } from './explorer.js';
import { exploreParallel, runPartitionThread } from './parallel.js';
import { explore } from './explorer.js';
import { Partition } from './partition.js';
import { referenceBfs, REFERENCE_REQUESTS, requestName, referenceCounts, searchCounts } from '../test/reference-bfs.js';

// The parallel search's coordinator and its partition threads (runPartitionThread) with the
// threads replaced by the same code on this thread: each "worker" is a MessageChannel whose far end
// runPartitionThread drives, so every message, ring and level barrier is the real one, and the
// code a worker runs is the code under test (issue 20: code run on another thread is beyond a
// mutation run's reach, and a stale build would not fail parallel.spec's worker tests). The
// figures are held to the reference BFS (test/reference-bfs.ts).
// loadDelayMs: how long a worker takes to load its code (0: at once), so that a search's first
// levels on the calling thread can end before the workers have loaded, or not
// loadFails: a worker cannot load its code, and says so as one on a thread does
// run: runPartitionThread, imported below. A worker "loads" by calling it, never by an import() of
// its own: under vitest that goes through the module runner, which on a busy machine took long
// enough for a short search to end first (a CI run saw workers: 1 where a test wanted the hand-over).
const started = vi.hoisted(() => ({
  workers: 0,
  loadDelayMs: 0,
  loadFails: false,
  run: null as null | ((port: import('node:worker_threads').MessagePort, data: never) => void),
  /** when set, a worker loads after this many turns of the event loop instead (the first levels take one a level) */
  loadAfterTurns: 0,
  /** changes what a worker thread says before the coordinator reads it (null: nothing) */
  edit: null as null | ((m: { type: string }) => { type: string }),
}));
vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:worker_threads')>();
  class SameThreadWorker extends EventEmitter {
    private readonly port: import('node:worker_threads').MessagePort;
    private readonly far: import('node:worker_threads').MessagePort;
    private readonly loading: ReturnType<typeof setTimeout>;
    constructor(_source: string, o: { workerData: unknown }) {
      super();
      started.workers++;
      const ch = new real.MessageChannel();
      this.port = ch.port1;
      this.far = ch.port2;
      this.port.on('message', (m: { type: string }) => this.emit('message', started.edit ? started.edit(m) : m));
      // as a worker would: it loads its code, then runs the partition thread on its port
      // with no delay, at the calling thread's next turn: loaded within a level or two of the start
      const load = () => {
        if (started.loadFails) this.far.postMessage({ type: 'error', message: 'cannot load the explorer in a worker: no such file' });
        else started.run!(this.far, o.workerData as never);
      };
      let turns = started.loadAfterTurns;
      const turn = () => (turns-- > 0 ? setImmediate(turn) : load());
      this.loading = started.loadAfterTurns > 0 ? setTimeout(turn, 0) : setTimeout(load, started.loadDelayMs);
    }
    postMessage(m: unknown): void {
      this.port.postMessage(m);
    }
    async terminate(): Promise<number> {
      clearTimeout(this.loading);
      for (const p of [this.port, this.far]) p.close();
      return 0;
    }
  }
  return { ...real, Worker: SameThreadWorker };
});

started.run = runPartitionThread;

const OFF = { symmetry: false, partialOrder: false, deadRegisters: false };

function replays(schedule: string, length: number, invariant: string, world: ReturnType<typeof resolveModel>['world']): void {
  const run = new Runtime(world).run({ scheduler: new ReplayScheduler(schedule), maxSteps: length + 1 });
  expect(run.violation?.invariant).toBe(invariant);
  expect(run.steps).toBe(length);
}

describe('the parallel search, its threads on this one, is the reference BFS', () => {
  for (const req of REFERENCE_REQUESTS) {
    it(`${requestName(req)} on 2 and 3 workers, partition 0 on the calling thread or not: verdict, states, transitions, end states, depth, the shortest counterexample`, async () => {
      const world = resolveModel(req).world;
      const ref = referenceBfs(world);
      for (const [workers, callingThread] of [
        [2, true],
        [2, false],
        [3, true],
        [3, false],
      ] as const) {
        const before = started.workers;
        const progress: Progress[] = [];
        const r = await exploreParallel(world, {
          algorithm: 'partitions',
          ...OFF,
          workers,
          sequentialFirst: 0,
          callingThread,
          onProgress: (p) => progress.push(p),
        });
        expect(r.workers).toBe(workers);
        // on this thread: no real worker ran it; with callingThread, partition 0 needs none
        expect(started.workers - before).toBe(callingThread ? workers - 1 : workers);
        expect(r.reductions).toEqual(['state-deduplication', 'local-steps-merged']);
        expect(r.verdict).toBe(ref.violationLength === null ? 'holds' : 'violated');
        if (ref.violationLength === null) {
          expect(r.boundHit).toBeNull();
          expect(r.counterexample).toBeNull();
          expect(searchCounts(r)).toEqual(referenceCounts(ref));
          // one report a level, the last with every state
          expect(progress.map((p) => p.depth)).toEqual(Array.from({ length: progress.length }, (_, i) => i + 1));
          expect(progress.at(-1)!.states).toBe(ref.states);
          expect(progress.at(-1)!.transitions).toBe(ref.transitions);
          continue;
        }
        expect(r.counterexample).toMatchObject({ invariant: ref.invariant, length: ref.violationLength });
        replays(r.counterexample!.schedule, r.counterexample!.length, ref.invariant!, world);
      }
    });
  }

  it('seed 3x3 with its reductions: the same figures as the sequential search, on 2 workers', async () => {
    const world = resolveModel({ scenario: 'seed', params: { ptes: 3, faults: 3 } }).world;
    const one = await exploreParallel(world, { algorithm: 'partitions', workers: 1 });
    const two = await exploreParallel(world, { algorithm: 'partitions', workers: 2, sequentialFirst: 0 });
    expect(one.workers).toBe(1);
    expect(two.workers).toBe(2);
    expect(two.reductions).toEqual(one.reductions);
    expect([two.verdict, two.statesStored, two.transitions, two.schedules, two.maxDepth]).toEqual([
      one.verdict,
      one.statesStored,
      one.transitions,
      one.schedules,
      one.maxDepth,
    ]);
  });

  // on the workers from the start, and in the first levels on this thread (the workers never load)
  for (const [where, o, workers] of [
    ['on the workers', { sequentialFirst: 0 }, 2],
    ['in the first levels on this thread', { sequentialFirst: 1 }, 1],
  ] as const) {
    it(`the bounds ${where}: states, depth, time, memory and a cancellation end it inconclusive, and a search under them holds`, async () => {
      started.loadDelayMs = workers === 1 ? 60_000 : 0;
      try {
        const world = resolveModel({ scenario: 'c8-shmem-refcount' }).world;
        const ref = referenceBfs(world);
        const run = async (b: object) => {
          const r = await exploreParallel(world, { algorithm: 'partitions', ...OFF, workers: 2, ...o, ...b });
          expect(r.workers).toBe(workers);
          return r;
        };
        expect(await run({ bounds: { maxStates: ref.states } })).toMatchObject({ verdict: 'holds', boundHit: null, statesStored: ref.states });
        // checked between levels: the search stops at the first level past the bound
        const over = await run({ bounds: { maxStates: ref.states - 1 } });
        expect(over).toMatchObject({ verdict: 'inconclusive', boundHit: 'states', statesStored: ref.states });
        expect(await run({ bounds: { maxStates: 3 } })).toMatchObject({ verdict: 'inconclusive', boundHit: 'states' });
        const deep = await run({ bounds: { maxDepth: ref.maxDepth } });
        expect(deep).toMatchObject({ verdict: 'inconclusive', boundHit: 'depth', statesStored: ref.states, maxDepth: ref.maxDepth });
        expect(await run({ bounds: { maxDepth: ref.maxDepth + 1 } })).toMatchObject({ verdict: 'holds', boundHit: null });
        expect(await run({ bounds: { maxSeconds: -1 } })).toMatchObject({ verdict: 'inconclusive', boundHit: 'time' });
        expect(await run({ bounds: { maxMemoryMB: 1 } })).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory' });
        expect(await run({ cancel: { cancelled: true } })).toMatchObject({ verdict: 'inconclusive', boundHit: 'cancelled' });
      } finally {
        started.loadDelayMs = 0;
      }
    });
  }

  it('a cancellation while the workers expand reaches them, and ends the search cancelled', async () => {
    const world = resolveModel({ scenario: 'seed', params: { ptes: 3, faults: 3 } }).world;
    const cancel = { cancelled: false };
    // cancelled after the first level is settled: the flag is relayed to the partitions
    const r = await exploreParallel(world, {
      algorithm: 'partitions',
      ...OFF,
      workers: 2,
      sequentialFirst: 0,
      cancel,
      onProgress: () => {
        cancel.cancelled = true;
      },
    });
    expect(r).toMatchObject({ verdict: 'inconclusive', boundHit: 'cancelled', maxDepth: 1 });
  });

  it('a small search ends on the calling thread, and starts no worker', async () => {
    const world = resolveModel({ scenario: 'c8-shmem-refcount' }).world;
    const ref = referenceBfs(world);
    const before = started.workers;
    const small = await exploreParallel(world, { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: ref.states + 1 });
    expect(small).toMatchObject({ workers: 1, statesStored: ref.states, transitions: ref.transitions, verdict: 'holds' });
    expect(started.workers).toBe(before);
    // a state bound within the first levels' share: explore's, exact to the state
    const bounded = await exploreParallel(world, { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 10, bounds: { maxStates: 10 } });
    expect(bounded).toMatchObject({ workers: 1, verdict: 'inconclusive', boundHit: 'states', statesStored: 10 });
    // partial order on: one thread
    expect(await exploreParallel(world, { algorithm: 'partitions', symmetry: false, workers: 2, sequentialFirst: 0 })).toMatchObject({ workers: 1 });
  });

  describe('a larger search starts the workers and goes on meanwhile', () => {
    // seed 4x4 with its reductions: 136,456 states in 36 levels, several hundred ms on one thread
    const world = resolveModel({ scenario: 'seed', params: { ptes: 4, faults: 4 } }).world;
    const one = explore(world);
    const figures = (r: ExplorationResult) => [r.verdict, r.boundHit, r.statesStored, r.transitions, r.schedules, r.maxDepth];

    for (const callingThread of [true, false]) {
      it(`hands its levels to the workers once they have loaded${callingThread ? ', partition 0 going on with the one that ran them' : ''}: the same figures as explore, and the workers begin past the first level`, async () => {
        const before = started.workers;
        const adopt = vi.spyOn(Partition.prototype, 'adopt');
        const firstLevel: number[] = [];
        const progress: Progress[] = [];
        try {
          const r = await exploreParallel(world, {
            algorithm: 'partitions',
            workers: 3,
            sequentialFirst: 1000,
            callingThread,
            onProgress: (p) => progress.push(p),
            onTiming: (t) => void (t.kind === 'level' && firstLevel.length === 0 && firstLevel.push(t.depth)),
          });
          expect(r.workers).toBe(3);
          expect(started.workers - before).toBe(callingThread ? 2 : 3);
          // on the calling thread, partition 0 is the first levels' own: nothing to adopt
          expect(adopt).toHaveBeenCalledTimes(callingThread ? 2 : 3);
          expect(figures(r)).toEqual(figures(one));
          // the workers went on from the levels run here: none began again from the initial state
          expect(firstLevel[0]).toBeGreaterThan(0);
          expect(progress.at(-1)!.states).toBe(one.statesStored);
        } finally {
          adopt.mockRestore();
        }
      });
    }

    it('closes the workers when it ends the search before they have loaded', async () => {
      started.loadDelayMs = 60_000;
      try {
        const before = started.workers;
        const progress: Progress[] = [];
        const r = await exploreParallel(world, { algorithm: 'partitions', workers: 2, sequentialFirst: 1000, onProgress: (p) => progress.push(p) });
        expect(r.workers).toBe(1);
        expect(figures(r)).toEqual(figures(one));
        // partition 0 would have run on this thread
        expect(started.workers - before).toBe(1);
        // it reported its progress as it went
        expect(progress.length).toBeGreaterThan(0);
        expect(progress.map((p) => p.states)).toEqual([...progress.map((p) => p.states)].sort((a, b) => a - b));
      } finally {
        started.loadDelayMs = 0;
      }
    });

    it('ends the search on this thread when a worker cannot load', async () => {
      started.loadFails = true;
      try {
        const r = await exploreParallel(world, { algorithm: 'partitions', workers: 2, sequentialFirst: 1000 });
        expect(r.workers).toBe(1);
        expect(figures(r)).toEqual(figures(one));
      } finally {
        started.loadFails = false;
      }
    });

    it('a violation: the shortest counterexample, found in the first levels or by the workers after them', async () => {
      const mutant = resolveModel({ scenario: 'seed', params: { ptes: 4, faults: 4 }, variant: 'unlock-before-remove' }).world;
      const ref = explore(mutant);
      expect(ref.verdict).toBe('violated');
      for (const [delay, workers] of [
        [60_000, 1],
        [0, 2],
      ] as const) {
        started.loadDelayMs = delay;
        try {
          const r = await exploreParallel(mutant, { algorithm: 'partitions', workers: 2, sequentialFirst: 10 });
          expect(r.workers, `workers loaded after ${delay} ms`).toBe(workers);
          expect(r.verdict).toBe('violated');
          expect(r.counterexample).toMatchObject({ invariant: ref.counterexample!.invariant, length: ref.counterexample!.length });
          replays(r.counterexample!.schedule, r.counterexample!.length, ref.counterexample!.invariant, mutant);
        } finally {
          started.loadDelayMs = 0;
        }
      }
    });
  });

  it("the engine's bounds met in the first levels on this thread are in the result the workers end", async () => {
    const world = lbThreeLoads().world;
    const one = explore(world, OFF);
    expect(one.modelBounds).toEqual([{ bound: 'loads', thread: 'P0', label: 'P0.read_c', kept: 2 }]);
    const firstLevel: number[] = [];
    const r = await exploreParallel(world, {
      algorithm: 'partitions',
      ...OFF,
      workers: 2,
      sequentialFirst: 1,
      onTiming: (t) => void (t.kind === 'level' && firstLevel.length === 0 && firstLevel.push(t.depth)),
    });
    expect(r).toMatchObject({ workers: 2, verdict: one.verdict, statesStored: one.statesStored, transitions: one.transitions });
    expect(firstLevel[0]).toBeGreaterThan(0);
    expect(r.modelBounds).toEqual(one.modelBounds);
    // the workers on threads say they met none: what the result has is the first levels' alone,
    // which met the bound by depth 3 of 15 (loaded 6 turns, so about 6 levels, after the start)
    started.edit = (m) => (m.type === 'expanded' ? { ...m, bounds: [] } : m);
    started.loadAfterTurns = 6;
    try {
      const before = await exploreParallel(world, { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 1, callingThread: false });
      expect(before.workers).toBe(2);
      expect(before.modelBounds).toEqual(one.modelBounds);
    } finally {
      started.edit = null;
      started.loadAfterTurns = 0;
    }
  });

  it('a partition that fails reports its error, and the search rejects with it', async () => {
    const variant = {
      name: 'stray-ret',
      patches: [{ op: 'insert' as const, path: 'migrate_pages', after: 'U2.locked', steps: [{ label: 'X1', op: 'ret', args: [] }] }],
    };
    const world = resolveModel({ scenario: 'seed', params: { ptes: 2, faults: 2 }, variant: variant as never }).world;
    await expect(exploreParallel(world, { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0 })).rejects.toThrow(/ret with an empty call stack/);
  });
});
