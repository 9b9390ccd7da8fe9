import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { stateComponents } from './explorer.js';
import { Team, sharedTables } from './parallel-team.js';
import type { FromWorker, WorkerData } from './parallel-worker.js';
import { Partition, emptyReport } from './partition.js';
import { SharedInternTable } from './shared-intern.js';

// The Team alone (parallel-team.ts), its workers replaced by stand-ins that record how they were
// made and send what a test tells them to: what each worker thread is given (its heap limit, its
// rings, the shared tables' capacity, the entry it loads), and how the coordinator's waits meet
// the workers' messages and errors. The searches of parallel.in-process.spec and
// parallel.one-thread.spec go through the same code, but their figures do not move with these
// sizes, nor with a message that comes before it is asked for (issue 20, mutation batch `team`).
const made = vi.hoisted(
  () => [] as { source: string; options: { eval?: boolean; execArgv?: string[]; workerData: WorkerData; resourceLimits?: object }; worker: EventEmitter }[],
);
// what runPartitionThread was given on this thread (a partition on the calling thread, or onOneThread)
const onThisThread = vi.hoisted(() => [] as { data: WorkerData; own: unknown }[]);
vi.mock('./parallel-worker.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./parallel-worker.js')>();
  return {
    ...real,
    runPartitionThread: (...args: Parameters<typeof real.runPartitionThread>) => {
      onThisThread.push({ data: args[1], own: args[2] });
      real.runPartitionThread(...args);
    },
  };
});
vi.mock('node:worker_threads', async (importOriginal) => {
  const real = await importOriginal<typeof import('node:worker_threads')>();
  const { EventEmitter } = await import('node:events');
  class StandIn extends EventEmitter {
    readonly posted: unknown[] = [];
    terminated = false;
    constructor(source: string, options: (typeof made)[number]['options']) {
      super();
      made.push({ source, options, worker: this });
    }
    postMessage(m: unknown): void {
      this.posted.push(m);
    }
    async terminate(): Promise<number> {
      this.terminated = true;
      return 0;
    }
  }
  return { ...real, Worker: StandIn };
});

const world = resolveModel({ scenario: 'seed', params: { ptes: 2, faults: 2 } }).world;
const MB = 2 ** 20;
const team = (o: Partial<ConstructorParameters<typeof Team>[1]> = {}) =>
  new Team(world, { workers: 3, maxDepth: 100, maxSeconds: 60, maxMemoryMB: 1024, tables: sharedTables(world, (o.maxMemoryMB ?? 1024) * MB), ...o });
const ready = (count: number): FromWorker => ({ type: 'ready', count, frontier: 1, bytes: 0 }) as FromWorker;

afterEach(() => {
  made.length = 0;
  onThisThread.length = 0;
});

describe('Team: what each worker thread is given', () => {
  it('a heap of the memory bound shared out, at least 64 MB, a young generation of an eighth of it between 8 and 64 MB; eval of the loader, no execArgv', async () => {
    const t = team({ maxMemoryMB: 1024 });
    expect(made).toHaveLength(3);
    for (const { source, options } of made) {
      expect(source).toContain('runPartitionThread');
      expect(options.eval).toBe(true);
      expect(options.execArgv).toEqual([]);
      // 1024 / 3 = 341 MB each, young 341 / 8 = 42
      expect(options.resourceLimits).toEqual({ maxOldGenerationSizeMb: 341, maxYoungGenerationSizeMb: 42 });
    }
    await t.close();
    made.length = 0;
    const small = team({ maxMemoryMB: 100 });
    expect(made[0].options.resourceLimits).toEqual({ maxOldGenerationSizeMb: 64, maxYoungGenerationSizeMb: 8 });
    await small.close();
    made.length = 0;
    const large = team({ workers: 2, maxMemoryMB: 4096 });
    expect(made[0].options.resourceLimits).toEqual({ maxOldGenerationSizeMb: 2048, maxYoungGenerationSizeMb: 64 });
    await large.close();
  });

  it('the entry a worker imports: the one given, else the built parallel-worker.js beside this source (dist/)', async () => {
    const given = 'file:///somewhere/index.js';
    const t = team({ entry: given });
    expect(made.map((m) => m.options.workerData.entry)).toEqual([given, given, given]);
    await t.close();
    made.length = 0;
    const built = team();
    expect(made[0].options.workerData.entry).toBe(new URL('../dist/parallel-worker.js', import.meta.url).href);
    await built.close();
  });

  it('4 MB of incoming rings a worker whatever their number, one ring a pair, none to itself', async () => {
    for (const workers of [2, 3, 5]) {
      made.length = 0;
      const t = team({ workers });
      expect(made).toHaveLength(workers);
      for (const [self, { options }] of made.entries()) {
        const d = options.workerData;
        expect(d.self).toBe(self);
        expect(d.partitions).toBe(workers);
        expect(d.out[self]).toBeNull();
        expect(d.in[self]).toBeNull();
        const incoming = d.in.reduce((a, r) => a + (r?.data.byteLength ?? 0), 0);
        // the largest power of two per ring that keeps the sum within 4 MB
        expect(incoming).toBeLessThanOrEqual(4 * MB);
        expect(incoming).toBeGreaterThan(2 * MB);
        // what j receives from i is what i sends to j
        for (let j = 0; j < workers; j++) if (j !== self) expect(made[j].options.workerData.in[self]).toBe(d.out[j]);
      }
      await t.close();
    }
    made.length = 0;
    const three = team({ workers: 3 });
    expect(made[0].options.workerData.in[1]!.data.byteLength).toBe(2 * MB);
    await three.close();
  });

  it("each shared table holds an eighth of the memory bound's bytes in its entries (width + 5 words each), between 1,024 and 4M entries", async () => {
    const check = async (maxMemoryMB: number, capacity: (width: number) => number) => {
      made.length = 0;
      const tables = sharedTables(world, maxMemoryMB * MB);
      const t = team({ maxMemoryMB, tables });
      // the workers are given the tables the search made (its first levels on this thread share them)
      expect(made[0].options.workerData.tables).toBe(tables);
      // one per table of the state's components (the seed's: thread counters, threads)
      expect(tables.map((b) => b.width)).toEqual(
        [...new Set(stateComponents(t.local.m).map((c) => c.table))].map((k) => stateComponents(t.local.m).find((c) => c.table === k)!.width),
      );
      for (const b of tables) expect(b.capacity).toBe(capacity(b.width));
      // every worker shares the same tables
      expect(made[2].options.workerData.tables).toBe(tables);
      expect(made[0].options.workerData.memoryBytes).toBe((maxMemoryMB * MB) / 3);
      await t.close();
    };
    await check(64, (w) => Math.floor((64 * MB) / 8 / (4 * (w + 5))));
    await check(0.1, () => 1024);
    await check(65536, () => 1 << 22);
  });

  it('the partition kept on this thread searches with the options given (no reduction switched off is on there)', async () => {
    const off = team({ symmetry: false, deadRegisters: false });
    expect(off.local.reductions).toEqual(['state-deduplication', 'local-steps-merged']);
    await off.close();
    const on = team();
    expect(on.local.reductions).toContain('dead-registers');
    await on.close();
  });
});

describe("Team: the workers' messages and errors", () => {
  it("counts the workers that have loaded (their 'loaded' message), which is no reply", async () => {
    const t = team({ workers: 2 });
    expect(t.loaded).toBe(0);
    made[0].worker.emit('message', { type: 'loaded' });
    expect(t.loaded).toBe(1);
    made[1].worker.emit('message', { type: 'loaded' });
    expect(t.loaded).toBe(2);
    made[1].worker.emit('message', ready(5));
    made[0].worker.emit('message', ready(2));
    expect(((await t.all()) as { count: number }[]).map((m) => m.count)).toEqual([2, 5]);
    await t.close();
  });

  it('a message that comes before its reply is asked for is kept for it, in order, worker by worker', async () => {
    const t = team({ workers: 2 });
    made[1].worker.emit('message', ready(7));
    made[0].worker.emit('message', ready(3));
    made[0].worker.emit('message', ready(4));
    expect(t.arrived[0]).toBeGreaterThan(0);
    const first = await t.all();
    expect(first.map((m) => (m as { count: number }).count)).toEqual([3, 7]);
    expect(((await t.reply(0)) as { count: number }).count).toBe(4);
    // and one asked for first is handed over when it comes
    const later = t.reply(1);
    made[1].worker.emit('message', ready(9));
    expect(((await later) as { count: number }).count).toBe(9);
    await t.close();
    expect(made.every((m) => (m.worker as unknown as { terminated: boolean }).terminated)).toBe(true);
  });

  it("a worker's error message ends every wait with its message; the first failure is kept, and whether it was the memory", async () => {
    const t = team({ workers: 2 });
    const waits = t.all();
    made[1].worker.emit('message', { type: 'error', message: 'component table full', memory: true });
    await expect(waits).rejects.toThrow('component table full');
    expect(t.failure).toEqual({ memory: true, message: 'component table full' });
    made[0].worker.emit('message', { type: 'error', message: 'later' });
    expect(t.failure).toEqual({ memory: true, message: 'component table full' });
    // a wait asked for after the failure is refused at once
    await expect(t.reply(0)).rejects.toThrow('component table full');
    await t.close();

    made.length = 0;
    const u = team({ workers: 2 });
    const w = u.reply(0);
    made[0].worker.emit('message', { type: 'error', message: 'ret with an empty call stack' });
    await expect(w).rejects.toThrow('ret with an empty call stack');
    expect(u.failure).toEqual({ memory: false, message: 'ret with an empty call stack' });
    await u.close();
  });

  it('a worker that dies out of heap is a memory failure; any other death is not', async () => {
    const t = team({ workers: 2 });
    const w = t.reply(1);
    made[1].worker.emit('error', Object.assign(new Error('worker ran out of memory'), { code: 'ERR_WORKER_OUT_OF_MEMORY' }));
    await expect(w).rejects.toThrow('worker ran out of memory');
    expect(t.failure).toEqual({ memory: true, message: 'worker ran out of memory' });
    await t.close();
    made.length = 0;
    const u = team({ workers: 2 });
    made[0].worker.emit('error', new Error('boom'));
    expect(u.failure).toEqual({ memory: false, message: 'boom' });
    await u.close();
  });
});

describe('Team on one thread (onOneThread)', () => {
  it('starts no worker thread, and once closed its workers hear nothing more', async () => {
    const t = team({ workers: 2, onOneThread: true });
    expect(made).toHaveLength(0);
    // each loads, then waits to be seeded (or to adopt a search's first levels)
    while (t.loaded < 2) await new Promise((r) => setImmediate(r));
    t.postAll({ type: 'seed' });
    const first = await t.all();
    expect(first.map((m) => m.type)).toEqual(['ready', 'ready']);
    await t.close();
    const arrived = [...t.arrived];
    // a closed worker's port delivers nothing: an expand posted now is never answered
    t.postAll({ type: 'expand', depth: 0 });
    await new Promise((r) => setTimeout(r, 50));
    expect([...t.arrived]).toEqual(arrived);
  });
});

describe('Team with partition 0 on the calling thread (callingThread)', () => {
  it('starts worker threads for the others only; partition 0 yields to this thread every 20 ms, and seeds its own partition', async () => {
    const t = team({ workers: 3, callingThread: true });
    expect(made.map((m) => m.options.workerData.self)).toEqual([1, 2]);
    for (const m of made) expect(m.options.workerData.yieldMs).toBeUndefined();
    expect(t.continues).toBe(false);
    while (t.loaded < 1) await new Promise((r) => setImmediate(r));
    expect(onThisThread.map((c) => [c.data.self, c.data.yieldMs, c.own])).toEqual([[0, 20, undefined]]);
    t.post(0, { type: 'seed' });
    expect(await t.reply(0)).toMatchObject({ type: 'ready', frontier: 1 });
    await t.close();
  });

  it("given the first levels' partition 0, goes on with it: 'continue' answers with its states, nothing adopted", async () => {
    const tables = sharedTables(world, 1024 * MB);
    const own = new Partition(
      world,
      0,
      2,
      { maxDepth: 100 },
      tables.map((b) => new SharedInternTable(b)),
    );
    own.seed();
    own.expand(0, 0, 100, emptyReport());
    own.nextLevel();
    const t = team({ workers: 2, callingThread: true, own, tables });
    expect(t.continues).toBe(true);
    expect(made).toHaveLength(1);
    while (t.loaded < 1) await new Promise((r) => setImmediate(r));
    expect(onThisThread[0].own).toBe(own);
    t.post(0, { type: 'continue' });
    expect(await t.reply(0)).toMatchObject({ type: 'ready', count: own.count, frontier: own.frontier });
    expect(own.count).toBeGreaterThan(0);
    await t.close();
  });

  it('onOneThread runs every partition here without yielding (a measurement of the threads against one core), and no partition of its own', async () => {
    const t = team({ workers: 2, onOneThread: true, callingThread: true });
    expect(t.continues).toBe(false);
    while (t.loaded < 2) await new Promise((r) => setImmediate(r));
    expect(onThisThread.map((c) => [c.data.self, c.data.yieldMs])).toEqual([
      [0, undefined],
      [1, undefined],
    ]);
    await t.close();
  });
});
