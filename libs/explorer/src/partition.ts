import { Machine } from '@mmreplay/engine';
import type { World } from '@mmreplay/model';
import { Symmetry } from './symmetry.js';
import { DeadRegisters } from './dead-registers.js';
import { StateStore, internTables, type ComponentTable } from './state-store.js';
import { SuccessorBatch } from './successor-batch.js';
import { TupleSteps } from './tuple-steps.js';
import { stateComponents } from './explorer.js';
import { endStateViolation, firstBrokenEndState } from './end-state.js';

// One part of a parallel breadth-first search. The partitions share their component tables (one
// id per component in every partition: InternTables on one thread, shared-intern.ts between
// threads), and the states are partitioned by the hash of their (canonical) tuple of ids, the
// visited table's own hash: partition p stores, deduplicates and expands the states that hash to
// p, so no visited table is shared. A successor that belongs to another partition is sent to it in
// batches as its hash, its parent and its tuple; it is inserted there as a state of the next level.
// The levels are synchronised (parallel.ts): every partition finishes level d, and every batch of level d is
// inserted, before any state of level d + 1 is expanded. The states stored at each level, and so
// the state count and the verdict, are those of the sequential search; the first violation found
// is at the smallest depth, so a counterexample is still a shortest one.
// No I/O here: the coordinator moves the batches (on threads, or in one thread for tests).
//
// Any partition can expand any state: the memos are caches keyed on the shared component ids, and
// a successor goes to its owner whoever found it. So a partition that has expanded its own heads
// of a level can be given some of another's (give, expandGiven), as records [the head's global id,
// its tuple], and the levels stay balanced when the hash splits them unevenly; the states stored
// stay where they belong.

/**
 * Successors for another partition (see Partition.queue): `words` words of records [the tuple's
 * hash, the parent's global id, then the tuple: one component id per component].
 */
export interface Batch {
  readonly from: number;
  readonly to: number;
  readonly data: Int32Array;
  readonly words: number;
}

export interface PartitionOptions {
  readonly symmetry?: boolean;
  readonly deadRegisters?: boolean;
  readonly maxDepth: number;
  /**
   * Which partition a state belongs to: by the hash of its whole tuple ('state'), or of its shared
   * objects' component id alone ('shared'). With 'shared', a successor whose step left the shared
   * objects as they were (and the symmetry did not rename them) stays in its parent's partition,
   * and a partition's states share their shared objects, which the step memos are keyed on: the
   * seed at N = 6 sends 37 % of its successors across instead of 50 %, and the partitions spend
   * about a quarter less CPU; the levels split a few per cent less evenly (3.6 % at N = 6). A
   * world whose states have few distinct shared objects would split badly, so the default is
   * 'shared' only where symmetry works on tuples (the seed's kind of world), 'state' elsewhere.
   */
  readonly owners?: 'state' | 'shared';
  /** the search's deadline (performance.now() time) and its cancel flag, polled while expanding */
  readonly deadline?: number;
  readonly cancelled?: () => boolean;
}

/** A partition's states, as a search hands them on to go on elsewhere (Partition.export, adopt). */
export interface PartitionStates {
  /** `arity` component ids a state, in the order stored */
  readonly tuples: Uint32Array;
  /** per state: its parent's global id, -1 for the initial state */
  readonly parents: Int32Array;
  /** the first state of the level to expand next */
  readonly levelStart: number;
}

/** What expanding one level of one partition found. */
export interface LevelReport {
  transitions: number;
  endStates: number;
  /** global id of the state whose successor or end breaks an invariant, or -1 */
  violationAt: number;
  /** the violating decision, or null for an end state */
  violationStep: { thread: number; choice: number } | null;
  invariant: string;
  message: string;
  boundHit: 'time' | 'cancelled' | 'depth' | 'memory' | null;
}

/** words of a batch: a few thousand successors of a few words each */
const BATCH_WORDS = 1 << 14;
/** heads whose successors are canonicalised before they are stored or queued (a power of two, dividing 1,024) */
const BATCH_HEADS = 64;
/** The partition of a tuple whose hash is h: from its top bits, since a visited table indexes by the low ones. */
export function ownerOfHash(h: number, partitions: number): number {
  return partitions === 1 ? 0 : Math.floor(((h >>> 0) * partitions) / 4294967296);
}

/** The hash PartitionOptions.owners 'shared' assigns by: of the shared objects' component id (a murmur-style mix). */
function sharedHash(id: number): number {
  const h = Math.imul(id ^ 0x5bd1e995, 0x9e3779b1);
  return Math.imul(h ^ (h >>> 15), 0x85ebca6b) ^ (h >>> 13);
}

/** Component tables for the partitions of one search, which share them (ordinary tables: for partitions on one thread). */
export function partitionTables(world: World): ComponentTable[] {
  return internTables(stateComponents(new Machine(world)));
}

export class Partition {
  readonly m: Machine;
  private readonly sym: Symmetry;
  private readonly useSymmetry: boolean;
  private readonly dead: DeadRegisters | null;
  readonly store: StateStore;
  /** per local state: the parent's global id (local id × partitions + partition), -1 for the initial state */
  private parents = new Int32Array(1 << 14);
  private levelStart = 0;
  private levelEnd = 0;
  /** the level nextLevel() closed last: [closedStart, closedEnd) */
  private closedStart = 0;
  private closedEnd = 0;
  /** the end of the current level's heads this partition expands itself: levelEnd, less those it gave away */
  private ownEnd = 0;
  /** on vectors: a given head's tuple, decoded into `s` */
  private readonly givenTuple: Uint32Array;
  private readonly width: number;
  private readonly outbox: (Int32Array | null)[];
  /** words used in each outbox */
  private readonly outFill: Int32Array;
  private readonly arity: number;
  /** words of a record: the hash, the parent, the tuple */
  private readonly recordWords: number;
  /** batches sent to each partition during the current level */
  readonly sent: Int32Array;
  /** successors and words sent to other partitions, over the whole search (the traffic) */
  readonly traffic = { records: 0, words: 0 };
  /**
   * Successors canonicalised as tuples (Symmetry.canonicalTuple), with the step and enabledness
   * memos, as in explore (tuple-steps.ts); null on vectors. The memos are keyed on component ids,
   * which the partitions share, so a worker's memo answers for any state it expands.
   */
  private readonly steps: TupleSteps | null;
  private readonly raw: Uint32Array;
  /** on vectors: the head read last (kept between calls of expand: StateStore.readSince) and its tuple */
  private readonly parentTuple: Uint32Array;
  private readonly s: Int32Array;
  private readonly next: Int32Array;
  /** PartitionOptions.owners is 'shared' */
  private readonly bySharedObjects: boolean;
  /** successors on tuples canonicalised, then stored or queued together (successor-batch.ts) */
  private readonly batch: SuccessorBatch;

  /** `tables`: the component tables every partition of the search shares (partitionTables, or SharedInternTables between threads) */
  constructor(
    readonly world: World,
    readonly self: number,
    readonly partitions: number,
    private readonly opts: PartitionOptions,
    tables: ComponentTable[],
  ) {
    this.m = new Machine(world);
    this.sym = new Symmetry(this.m);
    this.useSymmetry = opts.symmetry !== false && this.sym.active;
    this.dead = opts.deadRegisters !== false ? new DeadRegisters(this.m) : null;
    this.width = this.m.layout.size;
    this.store = new StateStore(this.width, stateComponents(this.m), tables);
    this.raw = new Uint32Array(stateComponents(this.m).length);
    this.steps = this.useSymmetry && this.sym.tuples ? new TupleSteps(this.m, this.sym, this.dead, this.store, this.raw.length) : null;
    this.bySharedObjects = (opts.owners ?? (this.steps !== null ? 'shared' : 'state')) === 'shared';
    this.parentTuple = new Uint32Array(this.raw.length).fill(0xffffffff);
    this.givenTuple = new Uint32Array(this.raw.length);
    this.s = new Int32Array(this.width);
    this.next = new Int32Array(this.width);
    this.batch = new SuccessorBatch(this.raw.length);
    this.arity = this.raw.length;
    this.recordWords = this.arity + 2;
    this.outbox = Array.from({ length: partitions }, () => null);
    this.outFill = new Int32Array(partitions);
    this.sent = new Int32Array(partitions);
  }

  get reductions(): string[] {
    return ['state-deduplication', 'local-steps-merged', ...(this.useSymmetry ? ['symmetry'] : []), ...(this.dead ? ['dead-registers'] : [])];
  }

  /** The representative stored for a state (dead registers cleared, then canonical); t: the thread that just stepped. */
  canon = (s: Int32Array, t = -1): Int32Array => {
    const live = this.dead ? (t < 0 ? this.dead.clear(s) : this.dead.clearThread(s, t)) : s;
    return this.useSymmetry ? this.sym.canonical(live) : live;
  };

  /** The partition a (canonical) state belongs to: by the hash of its tuple, which every partition computes alike (the ids are shared). */
  owner(s: Int32Array): number {
    const tuple = this.store.tupleOf(s, -1, this.raw);
    return this.ownerAt(tuple, 0, this.store.hashAt(tuple, 0));
  }

  /** The partition of the (canonical) tuple at tuples[at, ...), whose hash (StateStore.hashAt) is h. */
  ownerAt(tuples: Uint32Array, at: number, h: number): number {
    return ownerOfHash(this.bySharedObjects ? sharedHash(tuples[at]) : h, this.partitions);
  }

  get count(): number {
    return this.store.count;
  }

  get frontier(): number {
    return this.levelEnd - this.levelStart;
  }

  /** Heads of the current level this partition expands itself (the frontier, less those given away): expand's end. */
  get own(): number {
    return this.ownEnd - this.levelStart;
  }

  /** words of a given head's record: its global id, then its tuple */
  get givenWords(): number {
    return 1 + this.arity;
  }

  get bytes(): number {
    let out = 0;
    for (const b of this.outbox) if (b) out += b.byteLength;
    return this.store.bytes + this.parents.byteLength + out + (this.steps?.bytes ?? 0);
  }

  /** Stores the initial state if it is this partition's; then it is level 0. */
  seed(): void {
    const h = this.store.hashAt(this.store.tupleOf(this.canon(this.m.initialState()), -1, this.raw), 0);
    if (this.ownerAt(this.raw, 0, h) === this.self) this.record(this.store.addTupleAt(this.raw, 0, h), -1);
    this.levelEnd = this.ownEnd = this.store.count;
  }

  /**
   * This partition's states at a level's end (after nextLevel), for its worker to go on from
   * (adopt): every state's tuple and its parent's global id, in the order stored, and where the
   * level to expand next begins (it ends with the states).
   */
  export(): PartitionStates {
    const n = this.store.count;
    return { tuples: this.store.tuplesUpTo(n), parents: this.parents.slice(0, n), levelStart: this.levelStart };
  }

  /**
   * Takes over the states of this partition of the same search (export, with ids from the same
   * component tables) in place of seed(): each keeps its id, so every global id, parent and level
   * stays as it was.
   */
  adopt(states: PartitionStates): void {
    if (this.store.count !== 0) throw new Error('a partition adopts states only before it stores any');
    const { tuples, parents } = states;
    const arity = this.arity;
    for (let id = 0; id < parents.length; id++) {
      if (this.store.addTupleAt(tuples, id * arity, this.store.hashAt(tuples, id * arity)) !== id) throw new Error(`adopted state ${id} is stored twice`);
      this.record(id, parents[id]);
    }
    this.levelStart = states.levelStart;
    this.levelEnd = this.ownEnd = this.store.count;
  }

  private record(id: number, parent: number): boolean {
    if (id < 0) return false;
    if (id === this.parents.length) {
      const grown = new Int32Array(this.parents.length * 2);
      grown.set(this.parents);
      this.parents = grown;
    }
    this.parents[id] = parent;
    return true;
  }

  /** Inserts a batch of successors another partition sent (in any order); returns how many were new. */
  receive(data: Int32Array, words: number): number {
    const store = this.store;
    const rec = this.recordWords;
    // every slot read first, so that the processor overlaps the cache misses (successor-batch.ts)
    let seen = 0;
    for (let at = 0; at < words; at += rec) seen ^= store.touch(data[at]);
    this.batch.sink ^= seen;
    const tuples = new Uint32Array(data.buffer, data.byteOffset, words);
    let added = 0;
    for (let at = 0; at < words; at += rec) if (this.record(store.addTupleAt(tuples, at + 2, data[at]), data[at + 1])) added++;
    return added;
  }

  /**
   * Expands the current level's own heads from `from` on, at most `limit` of them; successors of
   * this partition are stored at once, the others queued for their partition (`drain`). Returns
   * where it stopped (its own heads are done when that is `own`).
   */
  expand(depth: number, from: number, limit: number, report: LevelReport): number {
    const steps = this.steps;
    const end = Math.min(this.ownEnd, this.levelStart + from + limit);
    let head = this.levelStart + from;
    for (; head < end; head++) {
      if ((head & (BATCH_HEADS - 1)) === 0) this.flush();
      if ((head & 1023) === 0 && this.stopped(report)) break;
      if (depth + 1 > this.opts.maxDepth) {
        report.boundHit = 'depth';
        continue;
      }
      // on vectors, `s` is only read below: it still holds the head read last, whose tuple parentTuple is
      if (steps !== null) {
        this.store.tupleAt(head, steps.parentTuple);
        steps.begin();
      } else this.store.readSince(head, this.s, this.parentTuple);
      if (!this.expandHead(head * this.partitions + this.self, head, report)) return head - this.levelStart + 1;
    }
    this.flush();
    return head - this.levelStart;
  }

  /**
   * Gives away the last `count` of the heads this partition has yet to expand itself (at most
   * those from `from` on), as records for another partition's expandGiven; it will not expand them.
   */
  give(from: number, count: number): Int32Array {
    const k = Math.max(0, Math.min(count, this.ownEnd - this.levelStart - from));
    const rec = this.givenWords;
    const out = new Int32Array(k * rec);
    const tuple = new Uint32Array(out.buffer);
    for (let i = 0, id = this.ownEnd - k; i < k; i++, id++) {
      out[i * rec] = id * this.partitions + this.self;
      this.store.tupleAt(id, tuple.subarray(i * rec + 1, (i + 1) * rec));
    }
    this.ownEnd -= k;
    return out;
  }

  /**
   * Expands heads another partition gave (give), from record `from` on, at most `limit` of them,
   * as expand does its own. Returns where it stopped (done when that is the records' count).
   */
  expandGiven(depth: number, given: Int32Array, from: number, limit: number, report: LevelReport): number {
    const steps = this.steps;
    const rec = this.givenWords;
    const end = Math.min(given.length / rec, from + limit);
    const tuple = steps !== null ? steps.parentTuple : this.givenTuple;
    let i = from;
    for (; i < end; i++) {
      if ((i & (BATCH_HEADS - 1)) === 0) this.flush();
      if ((i & 1023) === 0 && this.stopped(report)) break;
      if (depth + 1 > this.opts.maxDepth) {
        report.boundHit = 'depth';
        continue;
      }
      for (let k = 0; k < this.arity; k++) tuple[k] = given[i * rec + 1 + k];
      if (steps !== null) steps.begin();
      else this.store.decodeSince(tuple, this.s, this.parentTuple);
      // not stored here: no stored state to take equal components from (`like` -1)
      if (!this.expandHead(given[i * rec], -1, report)) return i + 1;
    }
    this.flush();
    return i;
  }

  /** Whether the search was cancelled or ran out of time (checked every 1,024 heads); says so in the report. */
  private stopped(report: LevelReport): boolean {
    if (this.opts.cancelled?.()) report.boundHit = 'cancelled';
    else if (this.opts.deadline !== undefined && performance.now() > this.opts.deadline) report.boundHit = 'time';
    return report.boundHit !== null;
  }

  /**
   * Expands one head, of global id `gid`, whose tuple is in steps.parentTuple (on tuples) or whose
   * vector is in `s` (on vectors; `like`: its local id, or -1 when it is not stored here). False
   * when it breaks an invariant (then in the report).
   */
  private expandHead(gid: number, like: number, report: LevelReport): boolean {
    const m = this.m;
    const n = m.threadCount;
    const s = this.s;
    const next = this.next;
    const steps = this.steps;
    let anyRunnable = false;
    for (let t = 0; t < n; t++) {
      const k = steps !== null ? steps.choices(t) : m.isRunnable(s, t) ? m.choiceCount(s, t) : -1;
      if (k < 0) continue;
      anyRunnable = true;
      for (let c = 0; c < k; c++) {
        report.transitions++;
        let fine: boolean;
        if (steps !== null) fine = steps.step(t, c);
        else {
          next.set(s);
          fine = m.step(next, t, c);
        }
        if (!fine) {
          this.flush();
          this.violation(report, gid, { thread: t, choice: c }, m.violation!.invariant, m.violation!.message);
          return false;
        }
        if (steps !== null) {
          // as in explore: run or recalled, canonical as a tuple, stored or queued with the batch
          steps.canonical(this.batch.next(gid, 0, 0));
          continue;
        }
        const tuple = this.store.tupleOf(this.canon(next, t), like, this.raw);
        const h = this.store.hashAt(tuple, 0);
        const o = this.ownerAt(tuple, 0, h);
        if (o === this.self) this.record(this.store.addTupleAt(tuple, 0, h), gid);
        else this.queue(o, tuple, 0, gid, h);
      }
    }
    if (!anyRunnable) {
      report.endStates++;
      const e = endStateViolation(m, steps !== null ? steps.vector() : s);
      if (e) {
        this.flush();
        this.violation(report, gid, null, e.invariant, e.message);
        return false;
      }
    }
    return true;
  }

  /** Stores this partition's successors of the batch and queues the others', in the order found. */
  private flush(): void {
    const b = this.batch;
    if (b.count === 0) return;
    const { tuples, hashes, parents, owners } = b;
    const arity = this.arity;
    // the memos grow with the whole search's states, about `partitions` times this one's
    this.steps?.fit(this.store.count * this.partitions);
    for (let i = 0; i < b.count; i++) owners[i] = this.ownerAt(tuples, i * arity, (hashes[i] = this.store.hashAt(tuples, i * arity)));
    // The slots are read in a loop of their own: a few instructions apart, many of their cache
    // misses are in flight at once, where with each successor's hash between two reads the
    // processor held few (at N = 6 these reads took about 3 times as long, one partition against explore).
    let seen = 0;
    for (let i = 0; i < b.count; i++) if (owners[i] === this.self) seen ^= this.store.touch(hashes[i]);
    b.sink ^= seen;
    for (let i = 0; i < b.count; i++) {
      if (owners[i] === this.self) this.record(this.store.addTupleAt(tuples, i * arity, hashes[i]), parents[i]);
      else this.queue(owners[i], tuples, i * arity, parents[i], hashes[i]);
    }
    b.count = 0;
  }

  private violation(report: LevelReport, gid: number, step: LevelReport['violationStep'], invariant: string, message: string): void {
    // An end state breaks at this depth, a step one later: keep the shorter.
    if (report.violationAt >= 0 && (report.violationStep === null || step !== null)) return;
    report.violationAt = gid;
    report.violationStep = step;
    report.invariant = invariant;
    report.message = message;
  }

  /** Queues a successor for partition o: the tuple at tuples[from, from + arity), whose hash is h. */
  private queue(o: number, tuples: Uint32Array, from: number, parent: number, h: number): void {
    let box = this.outbox[o];
    if (box !== null && this.outFill[o] + this.recordWords > box.length) {
      this.flushTo(o);
      box = null;
    }
    if (box === null) box = this.outbox[o] = this.spare.pop() ?? new Int32Array(this.boxWords);
    let at = this.outFill[o];
    box[at++] = h;
    box[at++] = parent;
    for (let k = 0; k < this.arity; k++) box[at++] = tuples[from + k];
    this.traffic.records++;
    this.traffic.words += this.recordWords;
    this.outFill[o] = at;
  }

  private readonly ready: Batch[] = [];
  /** words of an outbox: whole records, about BATCH_WORDS */
  private get boxWords(): number {
    return Math.max(1, Math.floor(BATCH_WORDS / this.recordWords)) * this.recordWords;
  }
  /** outboxes whose batches were delivered (recycle), for the next ones */
  private readonly spare: Int32Array[] = [];

  /**
   * Takes back the data of a batch this partition sent, once the receiver has read it (or the
   * ring copied it): the next outbox reuses it. Without it, every batch was a new array of 64 KB,
   * and a worker made about 200 MB of garbage at N = 6.
   */
  recycle(data: Int32Array): void {
    if (this.spare.length < 2 * this.partitions && data.length === this.boxWords) this.spare.push(data);
  }

  private flushTo(o: number): void {
    const box = this.outbox[o];
    if (box === null || this.outFill[o] === 0) return;
    this.ready.push({ from: this.self, to: o, data: box, words: this.outFill[o] });
    this.sent[o]++;
    this.outbox[o] = null;
    this.outFill[o] = 0;
  }

  /** The batches ready to send; with `all`, the partly filled ones too (the level is done). */
  drain(all: boolean): Batch[] {
    if (all) for (let o = 0; o < this.partitions; o++) this.flushTo(o);
    return this.ready.splice(0);
  }

  /** Ends the level: the states stored since it began form the next one. */
  nextLevel(): number {
    this.closedStart = this.levelStart;
    this.closedEnd = this.levelEnd;
    this.levelStart = this.levelEnd;
    this.levelEnd = this.ownEnd = this.store.count;
    this.sent.fill(0);
    return this.frontier;
  }

  /**
   * Looks among this partition's own heads of the level (the one being expanded, or with `closed`
   * the one nextLevel() closed last) for an end state that breaks an invariant, into `report`
   * (end-state.ts). For a level where a step broke one: its heads after that step were not all
   * expanded, here or by the workers they were given to.
   */
  endStateViolation(report: LevelReport, closed = false): void {
    const from = closed ? this.closedStart : this.levelStart;
    const to = closed ? this.closedEnd : this.levelEnd;
    const end = firstBrokenEndState(this.m, (h, v) => this.store.read(h, v), from, to);
    if (end) this.violation(report, end.id * this.partitions + this.self, null, end.invariant, end.message);
  }

  /** A stored state and its parent's global id, for the counterexample's path. */
  state(localId: number): { state: Int32Array; parent: number } {
    return { state: this.store.read(localId, new Int32Array(this.width)), parent: this.parents[localId] };
  }
}

export function emptyReport(): LevelReport {
  return { transitions: 0, endStates: 0, violationAt: -1, violationStep: null, invariant: '', message: '', boundHit: null };
}
