import { describe, expect, it, vi } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import { explore } from './explorer.js';
import { exploreParallel } from './parallel.js';
import { Ring } from './parallel-ring.js';
import type { LevelTiming, ParallelTiming } from './parallel-timing.js';

// ParallelOptions.onOneThread: the workers' code on the calling thread, for measuring what the
// threads cost (bench/explorer-cpu.js --one-thread). A worker thread started here fails the test,
// so the option cannot fall back to threads unnoticed; the search must still be the sequential one.
vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:worker_threads')>();
  class NoWorker {
    constructor() {
      throw new Error('onOneThread started a worker thread');
    }
  }
  return { ...real, Worker: NoWorker };
});

const seed = (n: number, variant?: string) => resolveModel({ scenario: 'seed', params: { ptes: n, faults: n }, variant }).world;

describe('exploreParallel with onOneThread (issue 15)', () => {
  it('seed 3x3 on 2 and 3 partitions: the states, transitions, end states and depth of explore, no thread started', async () => {
    const world = seed(3);
    const one = explore(world);
    for (const workers of [2, 3]) {
      const r = await exploreParallel(world, { algorithm: 'partitions', workers, sequentialFirst: 0, onOneThread: true });
      expect(r.workers).toBe(workers);
      expect({ verdict: r.verdict, states: r.statesStored, transitions: r.transitions, endStates: r.schedules, depth: r.maxDepth }).toEqual({
        verdict: one.verdict,
        states: one.statesStored,
        transitions: one.transitions,
        endStates: one.schedules,
        depth: one.maxDepth,
      });
    }
  });

  it('a wait on a ring that the writer wrote to meanwhile (written() gives no promise) is a look again, not an error', async () => {
    // Ring.written returns null when the writer has written past the reader since the reader
    // looked: on threads, a write between a worker's last read and its wait. One thread never
    // has that race, so a spy answers null for the first waits of each level (issue 20:
    // parallel-worker.ts's resume taking null for a promise survived).
    const world = seed(2);
    const one = explore(world);
    const real = Ring.prototype.written;
    let nulls = 0;
    const spy = vi.spyOn(Ring.prototype, 'written').mockImplementation(function (this: Ring, ms: number) {
      if (nulls++ % 3 === 0) return null;
      return real.call(this, ms);
    });
    try {
      const r = await exploreParallel(world, { algorithm: 'partitions', workers: 2, sequentialFirst: 0, onOneThread: true });
      expect({ states: r.statesStored, transitions: r.transitions }).toEqual({ states: one.statesStored, transitions: one.transitions });
    } finally {
      spy.mockRestore();
    }
    expect(nulls).toBeGreaterThan(3);
  });

  it('unlock-before-remove: violated with a counterexample as short as explore finds', async () => {
    const world = seed(3, 'unlock-before-remove');
    const one = explore(world);
    const r = await exploreParallel(world, { algorithm: 'partitions', workers: 2, sequentialFirst: 0, onOneThread: true });
    expect(r.verdict).toBe('violated');
    expect(r.counterexample?.length).toBe(one.counterexample?.length);
    expect(r.counterexample?.invariant).toBe(one.counterexample?.invariant);
  });

  it("balance: a worker done with its own heads is given some of another's (every head given is expanded once), the figures unchanged; none with balance false", async () => {
    const world = seed(3);
    const one = explore(world);
    for (const workers of [2, 3]) {
      for (const balance of [true, false]) {
        const timings: ParallelTiming[] = [];
        const r = await exploreParallel(world, {
          algorithm: 'partitions',
          workers,
          sequentialFirst: 0,
          onOneThread: true,
          balance,
          onTiming: (t) => timings.push(t),
        });
        expect({ states: r.statesStored, transitions: r.transitions, endStates: r.schedules, depth: r.maxDepth }).toEqual({
          states: one.statesStored,
          transitions: one.transitions,
          endStates: one.schedules,
          depth: one.maxDepth,
        });
        const levels = timings.filter((t): t is LevelTiming => t.kind === 'level');
        const sum = (f: (w: LevelTiming['workers'][number]) => number) => levels.reduce((a, l) => a + l.workers.reduce((b, w) => b + f(w), 0), 0);
        // a level's heads: those its workers had, every one expanded by one of them
        expect(sum((w) => w.frontier)).toBe(one.statesStored);
        expect(sum((w) => w.took)).toBe(sum((w) => w.gave));
        if (balance) expect(sum((w) => w.took)).toBeGreaterThan(100);
        else expect(sum((w) => w.took)).toBe(0);
      }
    }
  });

  it('unlock-before-remove with heads given: the counterexample is as short as explore finds, and replays to the invariant', async () => {
    const world = seed(4, 'unlock-before-remove');
    const one = explore(world);
    const timings: ParallelTiming[] = [];
    const r = await exploreParallel(world, { algorithm: 'partitions', workers: 2, sequentialFirst: 0, onOneThread: true, onTiming: (t) => timings.push(t) });
    expect(r.verdict).toBe('violated');
    expect(r.counterexample?.length).toBe(one.counterexample?.length);
    expect(r.counterexample?.invariant).toBe(one.counterexample?.invariant);
    const levels = timings.filter((t): t is LevelTiming => t.kind === 'level');
    expect(levels.some((l) => l.workers.some((w) => w.took > 0))).toBe(true);
    const c = r.counterexample!;
    const run = new Runtime(world).run({ scheduler: new ReplayScheduler(c.schedule), maxSteps: c.length + 1 });
    expect(run.violation?.invariant).toBe(c.invariant);
    expect(run.steps).toBe(c.length);
  });
});
