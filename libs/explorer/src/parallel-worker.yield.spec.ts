import { MessageChannel } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { runPartitionThread, type FromWorker, type WorkerData } from './parallel-worker.js';
import { sharedTables } from './parallel-team.js';
import { GiftBoard } from './parallel-gifts.js';

// A partition on the calling thread (ParallelOptions.callingThread) gives that thread's event loop
// a turn at least every WorkerData.yieldMs: the messages and timers there (an audit's
// cancellation, the coordinator's relay of it) would otherwise wait for a whole level. One
// partition alone never waits on a ring, so without yieldMs a level runs in one go.

/** Event-loop turns taken on this thread while one partition expands every level of seed 4x4, and the states it stored. */
async function turnsWhileExpanding(yieldMs: number | undefined): Promise<{ turns: number; levels: number; states: number }> {
  const world = resolveModel({ scenario: 'seed', params: { ptes: 4, faults: 4 } }).world;
  const data: WorkerData = {
    entry: '',
    world,
    self: 0,
    partitions: 1,
    maxDepth: 10_000,
    deadline: Date.now() + 60_000,
    memoryBytes: 2 ** 31,
    cancel: new SharedArrayBuffer(4),
    out: [null],
    in: [null],
    tables: sharedTables(world, 2 ** 30),
    gifts: GiftBoard.buffer(1),
    ...(yieldMs !== undefined ? { yieldMs } : {}),
  };
  const { port1, port2 } = new MessageChannel();
  const next = () => new Promise<FromWorker>((resolve) => port1.once('message', resolve));
  runPartitionThread(port2, data);
  expect((await next()).type).toBe('loaded');
  port1.postMessage({ type: 'seed' });
  let m = await next();
  let turns = 0;
  let levels = 0;
  try {
    for (let depth = 0; m.type !== 'expanded' || m.frontier > 0; depth++) {
      // turns counted from the level's start to its report's arrival
      let counting = true;
      let during = 0;
      const tick = () => {
        if (!counting) return;
        during++;
        setImmediate(tick);
      };
      setImmediate(tick);
      port1.postMessage({ type: 'expand', depth });
      m = await next();
      counting = false;
      if (m.type !== 'expanded') throw new Error(`a ${m.type} instead of the level's report`);
      // the report's own delivery takes a turn or two
      turns += Math.max(0, during - 3);
      levels++;
    }
    return { turns, levels, states: m.count };
  } finally {
    port1.close();
  }
}

describe("a partition on the calling thread yields to that thread's event loop", () => {
  it('with yieldMs 0, after every slice of heads: the same states, many turns; without, a level in one go', async () => {
    const yielding = await turnsWhileExpanding(0);
    const straight = await turnsWhileExpanding(undefined);
    expect(yielding.states).toBe(straight.states);
    expect(yielding.levels).toBe(straight.levels);
    expect(straight.turns).toBe(0);
    // 136,456 states in slices of 64 heads: thousands of turns
    expect(yielding.turns).toBeGreaterThan(1000);
  });
});
