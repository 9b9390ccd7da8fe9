import { getHeapStatistics } from 'node:v8';
import type { MessagePort } from 'node:worker_threads';
import type { World } from '@mmreplay/model';
import type { ModelBoundMet } from '@mmreplay/engine';
import { Partition, emptyReport, type LevelReport, type PartitionStates } from './partition.js';
import { ComponentTableFull, SharedInternTable, type SharedTableBuffers } from './shared-intern.js';
import { Ring, type RingBuffers } from './parallel-ring.js';
import { GiftBoard } from './parallel-gifts.js';

// One worker of the parallel search (parallel.ts): its partition, driven level by level by the
// coordinator's messages. A level: expand its own heads, giving the last of them to a worker that
// asks (parallel-gifts.ts); then expand what it is given, asking again while anyone may still give;
// meanwhile store what the others send it and send them theirs (parallel-ring.ts); at the end write
// its end of the level to each and wait for each one's.

export interface WorkerData {
  readonly entry: string;
  readonly world: World;
  readonly self: number;
  readonly partitions: number;
  readonly symmetry?: boolean;
  readonly deadRegisters?: boolean;
  readonly maxDepth: number;
  /** Date.now() deadline */
  readonly deadline: number;
  readonly memoryBytes: number;
  readonly cancel: SharedArrayBuffer;
  /** per other worker: the ring this one writes to it, and the one it reads from it (null for itself) */
  readonly out: (RingBuffers | null)[];
  readonly in: (RingBuffers | null)[];
  /** the shared component tables, one per table of stateComponents */
  readonly tables: SharedTableBuffers[];
  /** the gift board (GiftBoard.buffer) */
  readonly gifts: SharedArrayBuffer;
  /** at most this long (ms) on the thread between two turns of its event loop: set for a partition on the calling thread, whose event loop has the search's other messages to read (parallel-team.ts) */
  readonly yieldMs?: number;
}

/** A worker's level on the common clock (ms), for ParallelOptions.onTiming. */
export interface WorkerTiming {
  readonly began: number;
  readonly expandedAt: number;
  readonly postedAt: number;
  readonly busyMs: number;
  readonly expandBusyMs: number;
  /** heads it gave away, and heads it was given and expanded */
  readonly gave: number;
  readonly took: number;
}

export type FromWorker =
  | { type: 'loaded' }
  | { type: 'ready'; count: number; frontier: number; bytes: number }
  | {
      type: 'expanded';
      report: LevelReport;
      count: number;
      frontier: number;
      bytes: number;
      bounds: readonly ModelBoundMet[];
      timing: WorkerTiming;
    }
  | { type: 'state'; state: Int32Array; parent: number }
  | { type: 'ends'; report: LevelReport }
  | { type: 'error'; message: string; memory?: boolean };

/** A clock every thread of the process agrees on (ms), for the timings. */
export const clock = (): number => performance.timeOrigin + performance.now();

/** the longest a waiting worker sleeps before it looks at its rings again (ms) */
const WAIT_MS = 5;
/** heads expanded between two looks at the rings and the asks (about 0.3 ms at N = 7 on a quiet machine) */
const SLICE = 64;
/** the memory bound is looked at every this many slices */
const MEMORY_EVERY = 16;
/**
 * A worker gives only when it has at least twice this many heads left: half of them, at most
 * GIVE_MAX. Small, so that a level's last heads still split: what one worker may be left alone
 * with at a level's end is about the larger of this and SLICE.
 */
const GIVE_MIN = 32;
const GIVE_MAX = 1024;
/**
 * A worker asks for heads when fewer than this are left to it (of its own, or given), so that a
 * giver, which looks at the asks every SLICE heads, answers before they are done. One that has
 * asked gives no more, so that two near the end of a level do not trade heads.
 */
const ASK_AHEAD = 4 * SLICE;

/** A batch of successors, or a gift of heads, on its way to worker `to`. */
interface Outgoing {
  readonly to: number;
  readonly data: Int32Array;
  readonly words: number;
  readonly gift?: boolean;
}

/**
 * The worker side: one partition, driven by the coordinator's messages. `own`: the partition to
 * run, already holding the states of the search's first levels (on the calling thread, which ran
 * them: the coordinator then says 'continue', not 'adopt'); a worker thread makes its own.
 */
export function runPartitionThread(parent: MessagePort, data: WorkerData, own?: Partition): void {
  const self = data.self;
  const flag = new Int32Array(data.cancel);
  const p =
    own ??
    new Partition(
      data.world,
      self,
      data.partitions,
      {
        symmetry: data.symmetry,
        deadRegisters: data.deadRegisters,
        maxDepth: data.maxDepth,
        cancelled: () => Atomics.load(flag, 0) === 1 || Date.now() > data.deadline,
      },
      data.tables.map((b) => new SharedInternTable(b)),
    );
  const board = new GiftBoard(data.gifts, data.partitions);
  const fail = (e: unknown) =>
    parent.postMessage({ type: 'error', message: String((e as Error)?.message ?? e), memory: e instanceof ComponentTableFull || undefined });
  const outs = data.out.map((b) => (b ? new Ring(b) : null));
  const ins = data.in.map((b) => (b ? new Ring(b) : null));
  const ringBytes = ins.reduce((a, r) => a + (r?.bytes ?? 0), 0);
  const take = (batch: Int32Array, words: number) => void p.receive(batch, words);
  const overMemory = () => p.bytes + ringBytes + getHeapStatistics().used_heap_size > data.memoryBytes;
  // A worker never blocks its thread: where it must wait (a full ring, a gift, the others' ends of
  // the level) it waits asynchronously, reading its own rings whenever it runs, so that no two
  // workers wait on each other (and the workers of parallel.in-process.spec can share one thread).
  const expandLevel = (depth: number) => {
    const report = emptyReport();
    const stopped = () => report.violationAt >= 0 || (report.boundHit !== null && report.boundHit !== 'depth');
    const began = clock();
    // the level's running time so far, and where the current slice began (the timings)
    let busy = 0;
    let sliceAt = began;
    let expandedAt = began;
    let expandBusy = 0;
    let gave = 0;
    let took = 0;
    let slices = 0;
    // own heads expanded; whether it may still give; gifts to expand, and how far into the first
    let done = 0;
    let giving = p.own > 0;
    if (!giving) board.stopGiving(self);
    const gifts: Int32Array[] = [];
    let giftAt = 0;
    let expanding = true;
    const pending: Outgoing[] = [];
    const ends = outs.map((r) => r !== null);
    // whose end of the level was read
    const ended = new Uint8Array(data.partitions);
    let endsToRead = data.partitions - 1;
    const takeGift = (gift: Int32Array, words: number) => {
      // a gift answers this worker's claimed ask; one that comes after it stopped is dropped
      if (expanding && !stopped()) gifts.push(gift.slice(0, words));
      board.received(self);
    };
    const poll = () => {
      for (let j = 0; j < ins.length; j++) {
        if (ins[j] !== null && ended[j] === 0 && ins[j]!.read(take, takeGift)) {
          ended[j] = 1;
          endsToRead--;
        }
      }
    };
    const giftHeadsLeft = () => gifts.reduce((a, g) => a + g.length / p.givenWords, 0) - giftAt;
    const checkMemory = () => {
      if (slices++ % MEMORY_EVERY === 0 && report.violationAt < 0 && report.boundHit === null && overMemory()) report.boundHit = 'memory';
    };
    /** Answers the open asks of others with the last of its own heads, while it has enough. */
    const give = () => {
      if (board.hasAsked(self)) return;
      for (let j = 0; j < data.partitions; j++) {
        const left = p.own - done;
        if (left < 2 * GIVE_MIN) return;
        if (j === self || !board.isAsking(j) || !board.claim(j, self)) continue;
        const gift = p.give(done, Math.min(GIVE_MAX, Math.floor(left / 2)));
        pending.push({ to: j, data: gift, words: gift.length, gift: true });
        gave += gift.length / p.givenWords;
      }
    };
    /** Asks for heads before this worker runs out, if it has no ask open and anyone may still give. */
    const askAhead = () => {
      if (!board.hasAsked(self) && board.othersGiving(self)) board.ask(self);
    };
    /** One step of the level: false when it must wait (and has arranged to resume), true to go on. */
    const step = (): boolean => {
      poll();
      // a gift goes out with this step's writes, not after the next slice
      if (expanding && giving && !stopped()) give();
      while (pending.length > 0) {
        const b = pending[0];
        const ring = outs[b.to]!;
        const since = ring.readAt;
        if (!(b.gift ? ring.tryGive(b.data, b.words) : ring.tryWrite(b.data, b.words))) return resume(ring.readSome(WAIT_MS, since));
        pending.shift();
        if (!b.gift) p.recycle(b.data);
      }
      if (expanding && giving) {
        const before = done;
        done = p.expand(depth, done, SLICE, report);
        pending.push(...p.drain(false));
        checkMemory();
        if (done >= p.own || done === before || stopped()) {
          giving = false;
          board.stopGiving(self);
        } else if (p.own - done < ASK_AHEAD) askAhead();
        return true;
      }
      if (expanding && gifts.length > 0 && !stopped()) {
        const g = gifts[0];
        const before = giftAt;
        giftAt = p.expandGiven(depth, g, giftAt, SLICE, report);
        took += giftAt - before;
        pending.push(...p.drain(false));
        checkMemory();
        if (giftAt >= g.length / p.givenWords || giftAt === before) {
          gifts.shift();
          giftAt = 0;
        }
        if (!stopped() && giftHeadsLeft() < ASK_AHEAD) askAhead();
        return true;
      }
      if (expanding) {
        // nothing left to expand: ask, wait for a gift, or end the level once none can come
        if (!stopped()) {
          if (!board.hasAsked(self)) {
            if (board.othersGiving(self)) {
              board.ask(self);
              return true;
            }
          } else if (board.isAsking(self)) {
            if (board.othersGiving(self)) return resume(board.changed(self, WAIT_MS));
            if (!board.withdraw(self)) return true;
          } else return resume(ins[board.giverOf(self)]!.written(WAIT_MS));
        } else if (board.isAsking(self)) board.withdraw(self);
        // a gift claimed before it stopped is read, and dropped, before its giver's end
        expanding = false;
        expandedAt = clock();
        expandBusy = busy + expandedAt - sliceAt;
        pending.push(...p.drain(true));
        return true;
      }
      const j = ends.indexOf(true);
      if (j >= 0) {
        const since = outs[j]!.readAt;
        if (!outs[j]!.tryEnd()) return resume(outs[j]!.readSome(WAIT_MS, since));
        ends[j] = false;
        return true;
      }
      if (endsToRead > 0) return resume(ins[ended.findIndex((e, i) => e === 0 && i !== self)]!.written(WAIT_MS));
      if (report.boundHit === 'cancelled' && Date.now() > data.deadline && Atomics.load(flag, 0) !== 1) report.boundHit = 'time';
      const frontier = p.nextLevel();
      const postedAt = clock();
      const timing: WorkerTiming = { began, expandedAt, postedAt, busyMs: busy + postedAt - sliceAt, expandBusyMs: expandBusy, gave, took };
      parent.postMessage({ type: 'expanded', report, count: p.count, frontier, bytes: p.bytes + ringBytes, bounds: p.m.boundsMet, timing });
      return false;
    };
    const slice = (): void => {
      sliceAt = clock();
      const until = data.yieldMs !== undefined ? sliceAt + data.yieldMs : Infinity;
      try {
        while (step()) {
          if (until !== Infinity && clock() > until) {
            resume(null);
            break;
          }
        }
      } catch (e) {
        fail(e);
      }
      busy += clock() - sliceAt;
    };
    /** Arranges the next slice (after `wait`, or at once on the event loop); false, for step's caller to stop. */
    const resume = (wait: Promise<unknown> | null): false => {
      if (wait) void wait.then(slice);
      else setImmediate(slice);
      return false;
    };
    slice();
  };
  type ToWorker =
    | { type: 'seed' }
    | { type: 'adopt'; states: PartitionStates }
    | { type: 'continue' }
    | { type: 'expand'; depth: number }
    | { type: 'state'; id: number }
    | { type: 'ends' }
    | { type: 'close' };
  parent.on('message', (msg: ToWorker) => {
    try {
      if (msg.type === 'seed' || msg.type === 'adopt' || msg.type === 'continue') {
        // a search from its initial state, or one whose first levels the calling thread ran (with this partition, on that thread: continue)
        if (msg.type === 'seed') p.seed();
        else if (msg.type === 'adopt') p.adopt(msg.states);
        parent.postMessage({ type: 'ready', count: p.count, frontier: p.frontier, bytes: p.bytes });
      } else if (msg.type === 'expand') expandLevel(msg.depth);
      else if (msg.type === 'ends') {
        // only steps broke an invariant in the level just expanded: an end state of it may be shorter
        const report = emptyReport();
        p.endStateViolation(report, true);
        parent.postMessage({ type: 'ends', report });
      } else if (msg.type === 'state') {
        const { state, parent: par } = p.state(msg.id);
        parent.postMessage({ type: 'state', state, parent: par });
      } else parent.close();
    } catch (e) {
      fail(e);
    }
  });
  parent.postMessage({ type: 'loaded' });
}
