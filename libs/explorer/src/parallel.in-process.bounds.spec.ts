import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { lbThreeLoads } from '../test/worlds.js';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import { getHeapStatistics } from 'node:v8';
import type { Progress } from './explorer.js';
import type { LevelTiming, ParallelTiming } from './parallel-timing.js';
import { explore } from './explorer.js';
import { exploreParallel, parallelApplies, runPartitionThread } from './parallel.js';
import { SharedInternTable } from './shared-intern.js';
import { Partition, partitionTables } from './partition.js';
import { REFERENCE_REQUESTS, referenceBfs, requestName } from '../test/reference-bfs.js';

// The parallel search's coordinator and partition threads on this thread, as in
// parallel.in-process.spec (the worker replaced by a MessageChannel that runPartitionThread drives),
// for what that spec's worlds do not reach (issue 20, the survivors of batch `parallel`): which
// worlds it applies to, the bounds each side checks (the coordinator between levels, a partition
// while it expands: its share of the memory bound, the cancellation relayed to it), a worker that
// dies, a violation at the first step, the progress figures, and every worker terminated.

const hooks = vi.hoisted(() => ({
  started: 0,
  terminated: 0,
  error: null as null | (Error & { code?: string }),
  /** per worker started: the bytes of the rings it reads from, and the messages it posted */
  workers: [] as { ringBytes: number; sent: { type: string; bytes?: number }[] }[],
  /** the heap a partition sees (getHeapStatistics().used_heap_size), when set; the real one else */
  heap: null as null | number,
  /** ms the worker started n-th waits before it loads its code (none if unset) */
  delays: [] as number[],
  /** runPartitionThread, imported below: a worker loads by calling it, not by an import() through vitest's module runner, whose time on a busy machine let a short search end before the workers loaded */
  run: null as null | ((port: import('node:worker_threads').MessagePort, data: never) => void),
}));
vi.mock('node:v8', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:v8')>();
  const getHeapStatistics = () => {
    const h = real.getHeapStatistics();
    return hooks.heap === null ? h : { ...h, used_heap_size: hooks.heap };
  };
  return { ...real, default: { ...real, getHeapStatistics }, getHeapStatistics };
});
vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:worker_threads')>();
  class SameThreadWorker extends EventEmitter {
    private readonly port: import('node:worker_threads').MessagePort;
    private readonly far: import('node:worker_threads').MessagePort;
    constructor(_source: string, o: { workerData: unknown }) {
      super();
      hooks.started++;
      const ch = new real.MessageChannel();
      this.port = ch.port1;
      this.far = ch.port2;
      const seen = { ringBytes: 0, sent: [] as { type: string; bytes?: number }[] };
      for (const b of (o.workerData as { in: ({ data: SharedArrayBuffer } | null)[] }).in) seen.ringBytes += b?.data.byteLength ?? 0;
      hooks.workers.push(seen);
      this.port.on('message', (m: { type: string }) => {
        seen.sent.push(m);
        this.emit('message', m);
      });
      const error = hooks.error;
      // as a worker would: it loads its code and runs the partition thread, or dies with an error event
      if (error) setImmediate(() => this.emit('error', error));
      else setTimeout(() => hooks.run!(this.far, o.workerData as never), hooks.delays[hooks.workers.length - 1] ?? 0);
    }
    postMessage(m: unknown): void {
      this.port.postMessage(m);
    }
    async terminate(): Promise<number> {
      hooks.terminated++;
      for (const p of [this.port, this.far]) p.close();
      return 0;
    }
  }
  return { ...real, Worker: SameThreadWorker };
});

hooks.run = runPartitionThread;

afterEach(() => {
  hooks.error = null;
  hooks.workers = [];
  hooks.heap = null;
  hooks.delays = [];
  // every worker started was terminated, however the search ended
  expect(hooks.terminated).toBe(hooks.started);
});

const OFF = { symmetry: false, partialOrder: false, deadRegisters: false };
const seed = (n: number, variant?: string) => resolveModel({ scenario: 'seed', params: { ptes: n, faults: n }, variant }).world;
const c8 = () => resolveModel({ scenario: 'c8-shmem-refcount' }).world;

describe('parallelApplies: on threads unless partial order reduces the world', () => {
  it('a symmetric world: symmetry on keeps partial order off (unless asked for both), so it applies; symmetry off leaves partial order on', () => {
    const w = seed(2);
    expect(parallelApplies(w, {})).toBe(true);
    expect(parallelApplies(w, { partialOrderWithSymmetry: true })).toBe(false);
    expect(parallelApplies(w, { symmetry: false })).toBe(false);
    expect(parallelApplies(w, { symmetry: false, partialOrder: false })).toBe(true);
    expect(parallelApplies(w, { partialOrderWithSymmetry: true, partialOrder: false })).toBe(true);
  });

  it('a world without symmetry: only with partial order off', () => {
    const w = c8();
    expect(parallelApplies(w, {})).toBe(false);
    expect(parallelApplies(w, { symmetry: true })).toBe(false);
    expect(parallelApplies(w, { partialOrder: false })).toBe(true);
  });

  it('a world it does not apply to ends on the calling thread, without workers', async () => {
    const before = hooks.started;
    const r = await exploreParallel(c8(), { algorithm: 'partitions', workers: 2, sequentialFirst: 0 });
    expect(r.workers).toBe(1);
    expect(hooks.started).toBe(before);
    expect(r.reductions).toContain('partial-order');
  });
});

describe('the bounds, each where it is checked', () => {
  it('a state bound below the initial state, or a memory bound the heap is already over: checked before the first level, nothing expanded', async () => {
    for (const workers of [2, 3]) {
      const none = await exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers, sequentialFirst: 0, bounds: { maxStates: 0 } });
      expect(none).toMatchObject({ verdict: 'inconclusive', boundHit: 'states', statesStored: 1, transitions: 0, maxDepth: 0 });
      const tight = await exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers, sequentialFirst: 0, bounds: { maxMemoryMB: 1 } });
      expect(tight).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory', statesStored: 1, transitions: 0, maxDepth: 0 });
    }
  });

  it("a partition's share of the memory bound: over it while it expands, the search ends at bound memory", async () => {
    // the coordinator's check (its heap and every partition's bytes against the whole bound) passes;
    // each of the 2 partitions may use half, which this heap alone is over (by a margin: a
    // collection between here and the partition's check may shrink the heap a third)
    const heapMB = getHeapStatistics().used_heap_size / 2 ** 20;
    const r = await exploreParallel(c8(), {
      algorithm: 'partitions',
      ...OFF,
      workers: 2,
      sequentialFirst: 0,
      bounds: { maxMemoryMB: Math.ceil(heapMB * 1.3) },
    });
    expect(r).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory', maxDepth: 0 });
    expect(r.transitions).toBeGreaterThan(0);
    // with room for both, the same search holds
    const ref = referenceBfs(c8());
    expect(
      await exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0, bounds: { maxMemoryMB: Math.ceil(heapMB * 4) + 64 } }),
    ).toMatchObject({
      verdict: 'holds',
      statesStored: ref.states,
    });
  });

  it("a partition's share counts the rings it reads from: over the share by their size, the search ends at bound memory", async () => {
    // the coordinator's check (the real heap) passes by far; each of the 2 partitions sees a heap
    // of its share less its 4 MB of incoming rings, so that its own bytes put it over
    const maxMemoryMB = Math.ceil((getHeapStatistics().used_heap_size / 2 ** 20) * 4) + 64;
    const share = (maxMemoryMB * 2 ** 20) / 2;
    hooks.heap = share - 4 * 2 ** 20;
    // both partitions on worker threads (stand-ins): each one's share and rings seen
    const r = await exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0, callingThread: false, bounds: { maxMemoryMB } });
    expect(hooks.workers.map((w) => w.ringBytes)).toEqual([4 * 2 ** 20, 4 * 2 ** 20]);
    expect(r).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory', maxDepth: 0 });
    // a heap 4 MB smaller leaves room for the rings and a partition's few hundred kB: the search holds
    hooks.heap = share - 8 * 2 ** 20;
    expect(
      await exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0, callingThread: false, bounds: { maxMemoryMB } }),
    ).toMatchObject({
      verdict: 'holds',
    });
  });

  it('a cancellation seen only by the relay (polled while the workers expand) reaches the partitions and ends the search cancelled', async () => {
    // seed 5x5 with its reductions: levels long enough, even on a quiet machine, for the relay's
    // 20 ms poll to run between a partition's slices (seed 3x3's were not, once the search got
    // faster, nor seed 4x4's, about 10 ms a level, once it got faster again). The flag reads as set
    // only from a timer's callback, so the coordinator's own check between levels never sees it.
    const world = seed(5);
    const fromTimer = () => /listOnTimeout|processTimers/.test(new Error().stack ?? '');
    let relayed = 0;
    const cancel = {
      get cancelled() {
        const t = fromTimer();
        if (t) relayed++;
        return t;
      },
    };
    const r = await exploreParallel(world, { algorithm: 'partitions', workers: 2, sequentialFirst: 0, cancel });
    expect(relayed).toBeGreaterThan(0);
    expect(r).toMatchObject({ verdict: 'inconclusive', boundHit: 'cancelled' });
    expect(r.statesStored).toBeLessThan(explore(world).statesStored);
  });

  it('the deadline passed while a partition expands: bound time, not a cancellation', async () => {
    // Date.now() as the partitions see it while they expand is past any deadline; as the coordinator sees it, not
    const real = Date.now.bind(Date);
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => real() + (/\b(expandLevel|slice|cancelled)\b/.test(new Error().stack ?? '') ? 1e9 : 0));
    try {
      const r = await exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0, bounds: { maxSeconds: 60 } });
      expect(r).toMatchObject({ verdict: 'inconclusive', boundHit: 'time', transitions: 0, maxDepth: 0 });
    } finally {
      spy.mockRestore();
    }
  });

  it("a worker not stopped while it expands reports no bound, whatever the clock says as it ends its level: only a partition's cancellation past the deadline becomes time", async () => {
    // Date.now() past any deadline in a worker's own code, but for its partition's bound check
    // (Partition.stopped): the partitions never stop, and the coordinator sees the real time
    const real = Date.now.bind(Date);
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => {
      const stack = new Error().stack ?? '';
      return real() + (/parallel-worker/.test(stack) && !/\bstopped\b/.test(stack) ? 1e9 : 0);
    });
    try {
      const ref = referenceBfs(c8());
      const r = await exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0, bounds: { maxSeconds: 60 } });
      expect(r).toMatchObject({ verdict: 'holds', boundHit: null, statesStored: ref.states, transitions: ref.transitions });
    } finally {
      spy.mockRestore();
    }
  });
});

/** c10 whose device fault starts with unlock_page(src): its BUG_ON fires on the first step. */
function unlockFirstWorld() {
  return resolveModel({
    scenario: 'c10-device-private',
    variant: {
      name: 'early',
      patches: [{ op: 'insert', path: 'do_swap_page_device', before: 'D1.pte_offset_map_lock', steps: [{ label: 'x0', op: 'unlock_page', args: ['src'] }] }],
    },
  }).world;
}

describe('what the coordinator reports', () => {
  it('a violation at the first step (the initial state, global id 0 or another): a counterexample of one step', async () => {
    const world = unlockFirstWorld();
    for (const workers of [2, 3, 4]) {
      const r = await exploreParallel(world, { algorithm: 'partitions', ...OFF, workers, sequentialFirst: 0 });
      expect(r).toMatchObject({ verdict: 'violated', workers, counterexample: { length: 1, step: 0, invariant: 'bug-on' } });
    }
  });

  it("a worker's bytes: its partition's and, once it expands, those of the rings it reads from", async () => {
    await exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0, callingThread: false });
    expect(hooks.workers.length).toBe(2);
    for (const w of hooks.workers) {
      // 4 MB of incoming rings each (parallel-team.ts), the other worker's
      expect(w.ringBytes).toBe(4 * 2 ** 20);
      const ready = w.sent.find((m) => m.type === 'ready')!;
      const levels = w.sent.filter((m) => m.type === 'expanded');
      expect(levels.length).toBeGreaterThan(2);
      // the partition alone is well under the rings' size, so that a level's figure must count them
      expect(ready.bytes!).toBeLessThan(w.ringBytes / 2);
      for (const m of levels) expect(m.bytes!).toBeGreaterThan(w.ringBytes);
    }
  });

  it('a shared table of components that fills while the workers expand ends the search at bound memory', async () => {
    // tables of 64 components, fewer than seed 3x3's search needs
    const buffers = SharedInternTable.buffers.bind(SharedInternTable);
    const spy = vi.spyOn(SharedInternTable, 'buffers').mockImplementation((width, capacity) => buffers(width, Math.min(capacity, 64)));
    try {
      const r = await exploreParallel(seed(3), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0, callingThread: false });
      expect(r).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory' });
      expect(r.statesStored).toBeGreaterThan(1);
      // the worker says which table, as the table put it, and that it is the memory bound
      const errors = hooks.workers.flatMap((w) => w.sent).filter((m) => m.type === 'error');
      expect(errors.length).toBeGreaterThan(0);
      for (const e of errors)
        expect(e).toEqual({
          type: 'error',
          message: expect.stringMatching(/^the shared table of components of \d+ words is full \(64 components\)$/),
          memory: true,
        });
    } finally {
      spy.mockRestore();
    }
  });

  it("a worker's busy time at a level: the part before it ran out of heads is within the whole, the whole within the level, neither negative", async () => {
    const timings: ParallelTiming[] = [];
    await exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0, onTiming: (t) => timings.push(t) });
    const workers = timings.filter((t): t is LevelTiming => t.kind === 'level').flatMap((l) => l.workers);
    expect(workers.length).toBeGreaterThan(4);
    for (const w of workers) {
      expect(w.expandBusyMs).toBeGreaterThanOrEqual(0);
      expect(w.expandBusyMs).toBeLessThanOrEqual(w.busyMs);
      // and the whole within the worker's time from the level's start to its report
      expect(w.busyMs).toBeLessThanOrEqual(w.postedMs - w.startMs + 1e-6);
    }
  });

  it('progress and time: elapsed milliseconds from the start, states a second from them', async () => {
    const progress: Progress[] = [];
    const t0 = performance.now();
    const r = await exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0, onProgress: (p) => progress.push(p) });
    const took = performance.now() - t0;
    expect(r.elapsedMs).toBeGreaterThanOrEqual(0);
    expect(r.elapsedMs).toBeLessThanOrEqual(Math.ceil(took) + 1);
    expect(progress.length).toBeGreaterThan(2);
    for (const p of progress) {
      expect(p.elapsedMs).toBeGreaterThanOrEqual(0);
      expect(p.elapsedMs).toBeLessThanOrEqual(took + 1);
      expect(p.statesPerSecond).toBeCloseTo((p.states * 1000) / Math.max(1, p.elapsedMs), 6);
    }
  });

  it('a worker that runs out of heap ends the search at bound memory; another error rejects it with its message', async () => {
    hooks.error = Object.assign(new Error('worker out of memory'), { code: 'ERR_WORKER_OUT_OF_MEMORY' });
    expect(await exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0 })).toMatchObject({
      verdict: 'inconclusive',
      boundHit: 'memory',
    });
    hooks.error = Object.assign(new Error('the worker crashed'), { code: 'ERR_SOMETHING' });
    await expect(exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0 })).rejects.toThrow('the worker crashed');
  });
});

describe('a partition that throws outside its levels (issue 20, batch `worker` of session 19)', () => {
  // The workers' partitions (one of W each), not the coordinator's own (one of 1), throw: a worker
  // must report such an error, or the coordinator waits for its answer for ever.
  const throwing = <K extends 'seed' | 'state'>(method: K, message: string | null) => {
    const real = Partition.prototype[method] as (...args: unknown[]) => unknown;
    return vi.spyOn(Partition.prototype, method).mockImplementation(function (this: Partition, ...args: unknown[]) {
      if (this.partitions > 1) throw message === null ? null : new Error(message);
      return real.apply(this, args);
    } as never);
  };

  it('its seeding: the worker reports the error instead of being ready, and the search rejects with it', async () => {
    const spy = throwing('seed', 'the partition cannot seed');
    try {
      await expect(exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0 })).rejects.toThrow('the partition cannot seed');
    } finally {
      spy.mockRestore();
    }
  }, 20_000);

  it('its seeding, throwing what is not an Error (null): the worker reports it as text, and the search rejects with it', async () => {
    const spy = throwing('seed', null);
    try {
      await expect(exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0 })).rejects.toThrow(/^null$/);
    } finally {
      spy.mockRestore();
    }
  }, 20_000);

  it('a state the coordinator asks for to rebuild a counterexample: the worker reports the error, and the search rejects with it', async () => {
    const world = seed(3, 'unlock-before-remove');
    expect(explore(world, OFF).counterexample!.length).toBeGreaterThan(1);
    const spy = throwing('state', 'the partition has no such state');
    try {
      await expect(exploreParallel(world, { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0 })).rejects.toThrow(
        'the partition has no such state',
      );
    } finally {
      spy.mockRestore();
    }
  }, 20_000);
});

describe("the coordinator's own paths (issue 20, batch `parallel` of session 17)", () => {
  it('one worker, or a small search under the default first try: searched on this thread, no worker started', async () => {
    const before = hooks.started;
    // seed 3x3 is one the parallel search applies to (symmetric, so partial order stays off)
    const world = seed(3);
    expect(parallelApplies(world, {})).toBe(true);
    const one = explore(world);
    expect(await exploreParallel(world, { algorithm: 'partitions', workers: 1, sequentialFirst: 0 })).toMatchObject({
      workers: 1,
      statesStored: one.statesStored,
      transitions: one.transitions,
    });
    // c8's 241 states: within the default try (50,000 states). The try also starts the workers once
    // it has run 100 ms, which a loaded machine can take for these few states (a CI run did), so the
    // clock is held still here: only the state count could start them.
    const ref = referenceBfs(c8());
    const still = performance.now();
    const now = vi.spyOn(performance, 'now').mockReturnValue(still);
    try {
      expect(await exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2 })).toMatchObject({
        workers: 1,
        statesStored: ref.states,
        transitions: ref.transitions,
      });
    } finally {
      now.mockRestore();
    }
    expect(hooks.started).toBe(before);
  });

  it('a world whose first try throws: the search rejects with its error, no worker started', async () => {
    const variant = {
      name: 'stray-ret',
      patches: [{ op: 'insert' as const, path: 'migrate_pages', after: 'U2.locked', steps: [{ label: 'X1', op: 'ret', args: [] }] }],
    };
    const world = resolveModel({ scenario: 'seed', params: { ptes: 2, faults: 2 }, variant: variant as never }).world;
    const before = hooks.started;
    await expect(exploreParallel(world, { algorithm: 'partitions', ...OFF, workers: 2 })).rejects.toThrow(/ret with an empty call stack/);
    expect(hooks.started).toBe(before);
  });

  it('the start timing: the workers created while the first levels ran here, each ready (their states adopted) after those, within the call', async () => {
    const timings: ParallelTiming[] = [];
    const t0 = performance.timeOrigin + performance.now();
    // seed 3x3 (its reductions): long enough after its first 10 states for the workers to load, whatever the machine's load
    await exploreParallel(seed(3), { algorithm: 'partitions', workers: 2, sequentialFirst: 10, onTiming: (t) => timings.push(t) });
    const took = performance.timeOrigin + performance.now() - t0;
    const start = timings[0];
    if (start.kind !== 'start') throw new Error(`the first timing is a ${start.kind}`);
    expect(start.readyMs.length).toBe(2);
    expect(start.setupMs).toBeGreaterThanOrEqual(0);
    expect(start.sequentialMs).toBeGreaterThanOrEqual(start.setupMs);
    for (const r of start.readyMs) {
      expect(r).toBeGreaterThanOrEqual(start.sequentialMs);
      expect(r).toBeLessThanOrEqual(took + 1);
    }
  });

  it("the engine's own bounds that held a thread back, merged over the workers' levels, as explore reports them", async () => {
    const world = lbThreeLoads().world;
    const one = explore(world, OFF);
    expect(one.modelBounds).toEqual([{ bound: 'loads', thread: 'P0', label: 'P0.read_c', kept: 2 }]);
    for (const workers of [2, 3]) {
      const r = await exploreParallel(world, { algorithm: 'partitions', ...OFF, workers, sequentialFirst: 0 });
      expect(r).toMatchObject({ workers, verdict: one.verdict, statesStored: one.statesStored });
      expect(r.modelBounds).toEqual(one.modelBounds);
    }
  });

  it("a caller's progress callback that throws: the search rejects with its error, and its workers are terminated", async () => {
    const stop = new Error('the caller stops here');
    await expect(
      exploreParallel(c8(), {
        algorithm: 'partitions',
        ...OFF,
        workers: 2,
        sequentialFirst: 0,
        onProgress: () => {
          throw stop;
        },
      }),
    ).rejects.toBe(stop);
  });
  it("a level's serial time leaves out the time the caller's onTiming took, however long", async () => {
    const levels: LevelTiming[] = [];
    const SLOW = 300;
    let calls = 0;
    await exploreParallel(c8(), {
      algorithm: 'partitions',
      ...OFF,
      workers: 2,
      sequentialFirst: 0,
      onTiming: (t) => {
        if (t.kind === 'level') levels.push(t);
        // a measurer that takes its time at the start and the first two levels (busy, as a
        // synchronous callback would): the coordinator's serial work between two levels is a few
        // ms, some tens on a loaded machine, far under it
        if (calls++ >= 3) return;
        const until = performance.now() + SLOW;
        while (performance.now() < until);
      },
    });
    expect(levels.length).toBeGreaterThan(2);
    for (const l of levels) {
      expect(l.serialMs).toBeGreaterThanOrEqual(0);
      expect(l.serialMs).toBeLessThan(SLOW);
    }
  });
  it("each level's timing gives every worker's frontier: over the workers, the states first reached at that depth", async () => {
    const levels: LevelTiming[] = [];
    const progress: Progress[] = [];
    for (const workers of [2, 3]) {
      levels.length = 0;
      progress.length = 0;
      await exploreParallel(c8(), {
        algorithm: 'partitions',
        ...OFF,
        workers,
        sequentialFirst: 0,
        onTiming: (t) => t.kind === 'level' && levels.push(t),
        onProgress: (p) => progress.push(p),
      });
      expect(levels.length).toBe(progress.length);
      // the states stored before level d: the initial one, then as reported after each level
      const storedBefore = [1, ...progress.map((p) => p.states)];
      for (const l of levels) {
        expect(l.workers.length).toBe(workers);
        expect(l.workers.reduce((a, w) => a + w.frontier, 0)).toBe(storedBefore[l.depth] - (l.depth === 0 ? 0 : storedBefore[l.depth - 1]));
      }
    }
  });
  it("a counterexample's invariant, step, thread and message are those its replay reports, for a violating step and for an end state", async () => {
    const kinds = new Set<string>();
    for (const req of REFERENCE_REQUESTS) {
      const world = resolveModel(req).world;
      const one = explore(world, OFF).counterexample;
      if (one === null) continue;
      for (const workers of [2, 3]) {
        const c = (await exploreParallel(world, { algorithm: 'partitions', ...OFF, workers, sequentialFirst: 0 })).counterexample!;
        const run = new Runtime(world).run({ scheduler: new ReplayScheduler(c.schedule), maxSteps: c.length + 1 });
        // an end state's violation is recorded after the last step, a step's at that step
        kinds.add(c.step === c.length ? 'end' : 'step');
        expect(run.violation, requestName(req)).toEqual({ invariant: c.invariant, step: c.step, thread: c.thread, message: c.message });
        expect(c.length).toBe(one.length);
      }
    }
    expect([...kinds].sort()).toEqual(['end', 'step']);
  });
  it('the deadline passed as the coordinator sees it before a level, not as the partitions do: bound time, nothing expanded', async () => {
    // Date.now() past any deadline in the coordinator's own code (exploreParallel, once its team is
    // made: the team's deadline is the real one); the partitions, on their message handlers, see the real time
    const real = Date.now.bind(Date);
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => {
      const stack = new Error().stack ?? '';
      return real() + (/\bexploreParallel\b/.test(stack) && !/\bTeam\b/.test(stack) ? 1e9 : 0);
    });
    try {
      const r = await exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0, bounds: { maxSeconds: 60 } });
      expect(r).toMatchObject({ verdict: 'inconclusive', boundHit: 'time', statesStored: 1, transitions: 0, maxDepth: 0 });
    } finally {
      spy.mockRestore();
    }
  });
  it('the relay of a cancellation: one timer a level, each cleared by the time the search ends (a timer left would keep the process alive)', async () => {
    const set = vi.spyOn(globalThis, 'setInterval');
    const clear = vi.spyOn(globalThis, 'clearInterval');
    try {
      const r = await exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0, cancel: { cancelled: false } });
      expect(r.verdict).toBe('holds');
      const timers = set.mock.results.map((x) => x.value as unknown);
      // a level each, the last one finding nothing new
      expect(timers.length).toBe(r.maxDepth + 1);
      expect(clear.mock.calls.map((c) => c[0])).toEqual(expect.arrayContaining(timers));
    } finally {
      set.mockRestore();
      clear.mockRestore();
    }
  });
  it('a violation at the first step from an initial state that partition 0 holds (global id 0): a counterexample of one step', async () => {
    const world = unlockFirstWorld();
    // with symmetry on, the initial state's canonical form hashes into partition 0 for these W
    const opts = { symmetry: true, partialOrder: false, deadRegisters: false };
    for (const workers of [2, 3]) {
      const first = new Partition(world, 0, workers, { ...opts, maxDepth: 10 }, partitionTables(world));
      first.seed();
      expect(first.store.count).toBe(1);
      const r = await exploreParallel(world, { algorithm: 'partitions', ...opts, workers, sequentialFirst: 0 });
      expect(r).toMatchObject({ verdict: 'violated', workers, counterexample: { length: 1, step: 0, invariant: 'bug-on' } });
    }
  });
  it('a depth bound below the search: the level at the bound is counted, then the search ends inconclusive at depth, as explore does', async () => {
    const ref = referenceBfs(c8());
    const maxDepth = ref.maxDepth - 3;
    const one = explore(c8(), { ...OFF, bounds: { maxDepth } });
    expect(one.statesStored).toBeLessThan(ref.states);
    for (const workers of [2, 3]) {
      const progress: Progress[] = [];
      const r = await exploreParallel(c8(), {
        algorithm: 'partitions',
        ...OFF,
        workers,
        sequentialFirst: 0,
        bounds: { maxDepth },
        onProgress: (p) => progress.push(p),
      });
      expect(r).toMatchObject({
        verdict: 'inconclusive',
        boundHit: 'depth',
        statesStored: one.statesStored,
        transitions: one.transitions,
        maxDepth: one.maxDepth,
      });
      // the level at the bound is reported too: its transitions are in the last report
      expect(progress.at(-1)).toMatchObject({ states: r.statesStored, transitions: r.transitions, depth: maxDepth + 1 });
    }
  });

  it("the coordinator's memory check between levels counts the bytes the workers reported, their incoming rings with them", async () => {
    // The coordinator sees a heap 6 MB under the bound, the partitions none (node:v8 mocked): the
    // partitions' own checks (their bytes and 4 MB of rings against half the bound) pass, the
    // coordinator's passes before the first level (the partitions' bytes then well under 6 MB)
    // and fails after it, their 8 MB of rings now counted.
    const maxMemoryMB = 64;
    hooks.heap = 0;
    const real = process.memoryUsage.bind(process);
    const spy = vi.spyOn(process, 'memoryUsage').mockImplementation(() => ({ ...real(), heapUsed: (maxMemoryMB - 6) * 2 ** 20 }));
    try {
      const r = await exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0, bounds: { maxMemoryMB } });
      expect(r).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory', maxDepth: 1 });
      expect(r.transitions).toBeGreaterThan(0);
    } finally {
      spy.mockRestore();
    }
  });
  it("level 0's serial time counts from the last worker ready, however late", async () => {
    const timings: ParallelTiming[] = [];
    // the second worker loads its code 500 ms after the first
    hooks.delays = [0, 500];
    await exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0, callingThread: false, onTiming: (t) => timings.push(t) });
    const [start, level0] = timings;
    if (start.kind !== 'start' || level0.kind !== 'level') throw new Error('the timings begin with the start and level 0');
    expect(start.readyMs[1] - start.readyMs[0]).toBeGreaterThanOrEqual(400);
    expect(level0.serialMs).toBeGreaterThanOrEqual(0);
    expect(level0.serialMs).toBeLessThan(400);
  });

  it("the coordinator's memory check before the first level counts the workers' ready bytes", async () => {
    // the coordinator sees a heap one byte under the bound, the partitions none: the bytes the
    // workers report when ready put the coordinator over before anything is expanded
    const maxMemoryMB = 64;
    hooks.heap = 0;
    const real = process.memoryUsage.bind(process);
    const spy = vi.spyOn(process, 'memoryUsage').mockImplementation(() => ({ ...real(), heapUsed: maxMemoryMB * 2 ** 20 - 1 }));
    try {
      const r = await exploreParallel(c8(), { algorithm: 'partitions', ...OFF, workers: 2, sequentialFirst: 0, bounds: { maxMemoryMB } });
      expect(r).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory', statesStored: 1, transitions: 0, maxDepth: 0 });
    } finally {
      spy.mockRestore();
    }
  });
});
