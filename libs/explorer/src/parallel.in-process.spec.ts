import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import type { Progress } from './explorer.js';
import { exploreParallel } from './parallel.js';
import { explore } from './explorer.js';
import { referenceBfs, REFERENCE_REQUESTS, requestName } from '../test/reference-bfs.js';

// The parallel search's coordinator and its partition threads (runPartitionThread) with the
// threads replaced by the same code on this thread: each "worker" is a MessageChannel whose far end
// runPartitionThread drives, so every message, ring and level barrier is the real one, and the
// code a worker runs is the code under test (issue 20: code run on another thread is beyond a
// mutation run's reach, and a stale build would not fail parallel.spec's worker tests). The
// figures are held to the reference BFS (test/reference-bfs.ts).
const started = vi.hoisted(() => ({ workers: 0 }));
vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:worker_threads')>();
  class SameThreadWorker extends EventEmitter {
    private readonly port: import('node:worker_threads').MessagePort;
    private readonly far: import('node:worker_threads').MessagePort;
    constructor(_source: string, o: { workerData: unknown }) {
      super();
      started.workers++;
      const ch = new real.MessageChannel();
      this.port = ch.port1;
      this.far = ch.port2;
      this.port.on('message', (m: { type: string }) => this.emit('message', m));
      // as a worker would: it loads its code, then runs the partition thread on its port
      setImmediate(() => void import('./parallel.js').then(({ runPartitionThread }) => runPartitionThread(this.far, o.workerData as never)));
    }
    postMessage(m: unknown): void {
      this.port.postMessage(m);
    }
    async terminate(): Promise<number> {
      for (const p of [this.port, this.far]) p.close();
      return 0;
    }
  }
  return { ...real, Worker: SameThreadWorker };
});

const OFF = { symmetry: false, partialOrder: false, deadRegisters: false };

function replays(schedule: string, length: number, invariant: string, world: ReturnType<typeof resolveModel>['world']): void {
  const run = new Runtime(world).run({ scheduler: new ReplayScheduler(schedule), maxSteps: length + 1 });
  expect(run.violation?.invariant).toBe(invariant);
  expect(run.steps).toBe(length);
}

describe('the parallel search, its threads on this one, is the reference BFS', () => {
  for (const req of REFERENCE_REQUESTS) {
    it(`${requestName(req)} on 2 and 3 workers: verdict, states, transitions, end states, depth, the shortest counterexample`, async () => {
      const world = resolveModel(req).world;
      const ref = referenceBfs(world);
      for (const workers of [2, 3]) {
        const before = started.workers;
        const progress: Progress[] = [];
        const r = await exploreParallel(world, { ...OFF, workers, sequentialFirst: 0, onProgress: (p) => progress.push(p) });
        expect(r.workers).toBe(workers);
        // on this thread: no real worker ran it
        expect(started.workers - before).toBe(workers);
        expect(r.reductions).toEqual(['state-deduplication', 'local-steps-merged']);
        expect(r.verdict).toBe(ref.violationLength === null ? 'holds' : 'violated');
        if (ref.violationLength === null) {
          expect(r.boundHit).toBeNull();
          expect(r.counterexample).toBeNull();
          expect({ states: r.statesStored, transitions: r.transitions, endStates: r.schedules, maxDepth: r.maxDepth }).toEqual({
            states: ref.states,
            transitions: ref.transitions,
            endStates: ref.endStates,
            maxDepth: ref.maxDepth,
          });
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
    const one = await exploreParallel(world, { workers: 1 });
    const two = await exploreParallel(world, { workers: 2, sequentialFirst: 0 });
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

  it('the bounds: states, depth, time, memory and a cancellation end it inconclusive, and a search under them holds', async () => {
    const world = resolveModel({ scenario: 'c8-shmem-refcount' }).world;
    const ref = referenceBfs(world);
    const run = (o: object) => exploreParallel(world, { ...OFF, workers: 2, sequentialFirst: 0, ...o });
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
  });

  it('a cancellation while the workers expand reaches them, and ends the search cancelled', async () => {
    const world = resolveModel({ scenario: 'seed', params: { ptes: 3, faults: 3 } }).world;
    const cancel = { cancelled: false };
    // cancelled after the first level is settled: the flag is relayed to the partitions
    const r = await exploreParallel(world, {
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

  it('a small search ends on the calling thread first; a large one starts over on the workers', async () => {
    const world = resolveModel({ scenario: 'c8-shmem-refcount' }).world;
    const ref = referenceBfs(world);
    const small = await exploreParallel(world, { ...OFF, workers: 2, sequentialFirst: ref.states + 1 });
    expect(small).toMatchObject({ workers: 1, statesStored: ref.states, verdict: 'holds' });
    const large = await exploreParallel(world, { ...OFF, workers: 2, sequentialFirst: 10 });
    expect(large).toMatchObject({ workers: 2, statesStored: ref.states, verdict: 'holds' });
    // a state bound the quick search already reaches: its answer stands
    const bounded = await exploreParallel(world, { ...OFF, workers: 2, sequentialFirst: 10, bounds: { maxStates: 10 } });
    expect(bounded).toMatchObject({ workers: 1, verdict: 'inconclusive', boundHit: 'states' });
    // partial order on: one thread
    expect(await exploreParallel(world, { symmetry: false, workers: 2, sequentialFirst: 0 })).toMatchObject({ workers: 1 });
  });

  it('a try that runs past its first progress report starts the workers meanwhile: they are closed if it ends the search, used if not', async () => {
    // seed 4x4 with its reductions: 136,456 states, several hundred ms on one thread
    const world = resolveModel({ scenario: 'seed', params: { ptes: 4, faults: 4 } }).world;
    const one = explore(world);
    let before = started.workers;
    const progress: Progress[] = [];
    const small = await exploreParallel(world, { workers: 2, sequentialFirst: one.statesStored + 1, onProgress: (p) => progress.push(p) });
    expect(small).toMatchObject({ workers: 1, statesStored: one.statesStored, transitions: one.transitions, verdict: 'holds' });
    // the try reported its progress to the caller, as before, and had started two workers
    expect(progress.length).toBeGreaterThan(0);
    expect(started.workers - before).toBe(2);
    before = started.workers;
    const large = await exploreParallel(world, { workers: 2, sequentialFirst: 50_000 });
    expect(large).toMatchObject({ workers: 2, statesStored: one.statesStored, transitions: one.transitions, verdict: 'holds' });
    expect(started.workers - before).toBe(2);
  });

  it('a partition that fails reports its error, and the search rejects with it', async () => {
    const variant = {
      name: 'stray-ret',
      patches: [{ op: 'insert' as const, path: 'migrate_pages', after: 'U2.locked', steps: [{ label: 'X1', op: 'ret', args: [] }] }],
    };
    const world = resolveModel({ scenario: 'seed', params: { ptes: 2, faults: 2 }, variant: variant as never }).world;
    await expect(exploreParallel(world, { ...OFF, workers: 2, sequentialFirst: 0 })).rejects.toThrow(/ret with an empty call stack/);
  });
});
