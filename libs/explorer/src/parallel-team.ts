import { EventEmitter } from 'node:events';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { World } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';
import { stateComponents } from './explorer.js';
import { Partition, partitionTables } from './partition.js';
import { SharedInternTable, type SharedTableBuffers } from './shared-intern.js';
import { Ring } from './parallel-ring.js';
import { GiftBoard } from './parallel-gifts.js';
import { builtModule, workerSource } from './worker-module.js';
import { clock, runPartitionThread, type FromWorker, type WorkerData } from './parallel-worker.js';

// The workers of one parallel search (parallel.ts) and the memory they share: the component
// tables, the rings, the gift board, the cancel flag. A Team is made as soon as the search looks
// large enough to need it, so that the workers load their code and make their partitions while
// the calling thread runs the search's first levels (ParallelOptions.sequentialFirst); each then
// adopts its partition's states from those levels, or seeds it when there were none.

export interface TeamOptions {
  readonly workers: number;
  readonly symmetry?: boolean;
  readonly deadRegisters?: boolean;
  readonly maxDepth: number;
  readonly maxSeconds: number;
  readonly maxMemoryMB: number;
  /** the file: URL of a module exporting runPartitionThread (the explorer's index.js will do) the workers import; default this build's parallel-worker.js */
  readonly entry?: string;
  /** every worker's code on the calling thread (ParallelOptions.onOneThread) */
  readonly onOneThread?: boolean;
  /** partition 0 on the calling thread, the others on worker threads (ParallelOptions.callingThread) */
  readonly callingThread?: boolean;
  /** with callingThread: partition 0 itself, holding the states of the first levels this thread ran (its worker then continues, not adopts) */
  readonly own?: Partition;
  /** the component tables the workers share (sharedTables), which a search's first levels on the calling thread may already have filled */
  readonly tables: SharedTableBuffers[];
}

// the worker module alone, not the whole library: a worker loads in about half the time (about
// 140 ms against 260 here), which is CPU the search's first levels on the calling thread share
const builtEntry = (): string => builtModule('parallel-worker.js');

const WORKER_SOURCE = workerSource('runPartitionThread');

/** What the coordinator uses of a worker: a Worker, or a SameThreadWorker. */
interface PartitionWorker {
  on(event: 'message', listener: (m: FromWorker) => void): unknown;
  on(event: 'error', listener: (e: Error & { code?: string }) => void): unknown;
  postMessage(m: unknown, transfer?: ArrayBuffer[]): void;
  terminate(): Promise<number>;
}

/** A worker whose code runs on the calling thread (ParallelOptions.onOneThread), driven through a MessageChannel as a worker thread is through its port. */
class SameThreadWorker extends EventEmitter implements PartitionWorker {
  private readonly port: MessagePort;
  private readonly far: MessagePort;

  constructor(data: WorkerData, own?: Partition) {
    super();
    const channel = new MessageChannel();
    this.port = channel.port1;
    this.far = channel.port2;
    this.port.on('message', (m: FromWorker) => this.emit('message', m));
    // as a worker thread would, once it has loaded its code
    setImmediate(() => runPartitionThread(this.far, data, own));
  }

  postMessage(m: unknown, transfer?: ArrayBuffer[]): void {
    this.port.postMessage(m, transfer);
  }

  async terminate(): Promise<number> {
    this.port.close();
    this.far.close();
    return 0;
  }
}

/**
 * The longest a partition on the calling thread runs between two turns of that thread's event
 * loop (ms): the messages a search's caller gets there (an audit's cancellation, a signal) wait no
 * longer, and the coordinator's relay of a cancellation to the workers runs.
 */
const CALLING_THREAD_YIELD_MS = 20;

export class Team {
  readonly size: number;
  /** worker 0 runs on the calling thread with the partition the first levels made (TeamOptions.own): it continues from them */
  readonly continues: boolean;
  /** a partition on this thread: the machine and canonical form a counterexample is rebuilt with */
  readonly local: Partition;
  readonly memoryBytes: number;
  /** Date.now() time the workers stop at */
  readonly deadline: number;
  readonly cancelFlag = new SharedArrayBuffer(4);
  readonly gifts: GiftBoard;
  /** when the workers had been created (clock()) */
  readonly createdAt: number;
  /** when worker i's last message reached this thread (clock(); the timings) */
  readonly arrived: Float64Array;
  /** workers that have loaded their code and made their partition, which waits to be seeded or to adopt states (FromWorker 'loaded') */
  loaded = 0;
  /** the first error a worker reported or died of; it ends every wait */
  failure: { memory: boolean; message: string } | null = null;
  private readonly workers: PartitionWorker[];
  // one pending reply per worker at a time
  private readonly waiting: ((m: FromWorker) => void)[] = [];
  private readonly failWaits: ((e: Error) => void)[] = [];
  /** messages that came before their reply was asked for (a worker ready while this thread still tries the search alone) */
  private readonly early: FromWorker[][];

  constructor(world: World, o: TeamOptions) {
    const W = (this.size = o.workers);
    this.deadline = Date.now() + o.maxSeconds * 1000;
    this.local = new Partition(world, 0, 1, { symmetry: o.symmetry, deadRegisters: o.deadRegisters, maxDepth: o.maxDepth }, partitionTables(world));
    this.memoryBytes = o.maxMemoryMB * 2 ** 20;
    // rings[i][j]: what worker i writes to j; about 4 MB a worker for its incoming rings, however many
    let ringWords = 1 << 15;
    while (ringWords * 2 * (W - 1) <= 1 << 20) ringWords *= 2;
    const rings = Array.from({ length: W }, (_, i) => Array.from({ length: W }, (_, j) => (i === j ? null : Ring.buffers(ringWords))));
    const board = GiftBoard.buffer(W);
    this.gifts = new GiftBoard(board, W);
    const heapMB = Math.max(64, Math.floor(o.maxMemoryMB / W));
    const here = o.callingThread === true && !o.onOneThread;
    this.continues = here && o.own !== undefined;
    this.workers = Array.from({ length: W }, (_, self): PartitionWorker => {
      const onCallingThread = here && self === 0;
      const data: WorkerData = {
        entry: o.entry ?? builtEntry(),
        world,
        self,
        partitions: W,
        symmetry: o.symmetry,
        deadRegisters: o.deadRegisters,
        maxDepth: o.maxDepth,
        deadline: this.deadline,
        memoryBytes: this.memoryBytes / W,
        cancel: this.cancelFlag,
        out: rings[self],
        in: rings.map((r) => r[self]),
        tables: o.tables,
        gifts: board,
        ...(onCallingThread ? { yieldMs: CALLING_THREAD_YIELD_MS } : {}),
      };
      if (o.onOneThread) return new SameThreadWorker(data);
      if (onCallingThread) return new SameThreadWorker(data, o.own);
      return new Worker(WORKER_SOURCE, {
        eval: true,
        execArgv: [],
        workerData: data,
        resourceLimits: { maxOldGenerationSizeMb: heapMB, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(heapMB / 8))) },
      });
    });
    this.createdAt = clock();
    this.arrived = new Float64Array(W);
    this.early = this.workers.map(() => []);
    this.workers.forEach((w, i) => {
      w.on('message', (m: FromWorker) => {
        this.arrived[i] = clock();
        if (m.type === 'loaded') {
          this.loaded++;
          return;
        }
        if (m.type === 'error') {
          this.failure ??= { memory: m.memory === true, message: m.message };
          this.failWaits.forEach((f) => f(new Error(m.message)));
          return;
        }
        const k = this.waiting[i];
        delete this.waiting[i];
        if (k) k(m);
        else this.early[i].push(m);
      });
      w.on('error', (e: Error & { code?: string }) => {
        this.failure ??= { memory: e.code === 'ERR_WORKER_OUT_OF_MEMORY', message: e.message };
        this.failWaits.forEach((f) => f(e));
      });
    });
  }

  /** Worker i's next message. */
  reply(i: number): Promise<FromWorker> {
    return new Promise<FromWorker>((resolve, reject) => {
      if (this.failure) return reject(new Error(this.failure.message));
      const m = this.early[i].shift();
      if (m) return resolve(m);
      this.waiting[i] = resolve;
      this.failWaits[i] = reject;
    });
  }

  /** Every worker's next message. */
  all(): Promise<FromWorker[]> {
    return Promise.all(this.workers.map((_, i) => this.reply(i)));
  }

  /** `transfer`: buffers of `m` moved to the worker, not copied */
  post(i: number, m: unknown, transfer?: ArrayBuffer[]): void {
    this.workers[i].postMessage(m, transfer);
  }

  postAll(m: unknown): void {
    for (const w of this.workers) w.postMessage(m);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }
}

/**
 * The shared component tables of a search on `world`, one per table of its components. Each may take up to an
 * eighth of the memory bound (the buffers are reserved, and committed only where written); one
 * that fills up ends the search at its memory bound.
 */
export function sharedTables(world: World, memoryBytes: number): SharedTableBuffers[] {
  const components = stateComponents(new Machine(world));
  const widths: number[] = [];
  for (const c of components) widths[c.table] = c.width;
  return widths.map((w) => SharedInternTable.buffers(w, Math.max(1 << 10, Math.min(1 << 22, Math.floor(memoryBytes / 8 / (4 * (w + 5)))))));
}
