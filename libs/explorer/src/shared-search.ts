import { Machine } from '@mmreplay/engine';
import type { World } from '@mmreplay/model';
import { Symmetry } from './symmetry.js';
import { DeadRegisters } from './dead-registers.js';
import { TupleCodec, tupleHash, type ComponentTable } from './state-store.js';
import { SuccessorBatch } from './successor-batch.js';
import { TupleSteps } from './tuple-steps.js';
import { stateComponents } from './explorer.js';
import { endStateViolation } from './end-state.js';
import { SharedVisited, VisitedFull, type LevelHeads, type VisitedWriter } from './shared-visited.js';
import { ComponentTableFull } from './shared-intern.js';

// One thread of the parallel breadth-first search on a shared visited set (shared-visited.ts).
// The threads of a team run the same levels: at each level's start two barriers, between which
// the leader (rank 0) decides for all whether to go on (the search's end, a violation or a bound,
// so that every thread leaves at the same level); then each claims runs of CHUNK heads from a
// counter until none is left, first among the states it stored itself (still in its processor's
// caches: about 6 % less CPU at N = 6 than claiming from one list), then among the others', expands
// them, and inserts every successor itself. A thread
// that finds a violation, or meets a bound, raises STOP: the others stop claiming, and the level
// ends at the next barrier. The levels are synchronised, so the first violation is at the
// smallest depth and a counterexample is a shortest one. No I/O: the threads' messages go
// through the `report` callbacks (shared-worker.ts, parallel-shared.ts).

/** The control words of a team (SearchTeam.ctl). */
const ARRIVED = 0;
const GEN = 1;
const STOP = 3;
const DECISION = 4;
/** the claim counter of the heads in the i-th writer's list is at CLAIMS + 16 i, each on a cache line of its own */
const CLAIMS = 16;
/** the level the workers start at (-1: not yet), written by the coordinator */
export const START = 5;

/** Why a team stops (STOP, DECISION). */
export const Stop = { None: 0, Done: 1, Violation: 2, Time: 3, Cancelled: 4, Memory: 5, States: 6, Failed: 7 } as const;
export type Stop = (typeof Stop)[keyof typeof Stop];

/** per writer, in the stats buffer: what the leader sums to decide, and the search's figures */
const STORED = 0;
const TRANSITIONS = 1;
const END_STATES = 2;
const HEAP = 3;
const DEEPEST = 4;
/** the thread's step and symmetry memos (typed arrays, outside its heap) */
const MEMOS = 5;
const STAT_WORDS = 6;

/** heads claimed at a time */
const CHUNK = 64;
/** chunks between two looks at the memory bound */
const MEMORY_EVERY = 64;

/** The buffers of a team of threads searching together. */
export interface TeamBuffers {
  /** Int32 control words (ARRIVED, GEN, STOP, DECISION, START, the claim counters) */
  readonly ctl: SharedArrayBuffer;
}

/** Control words for a team whose levels have heads in at most `lists` writers' lists. */
export function teamBuffers(lists: number): TeamBuffers {
  const ctl = new Int32Array(new SharedArrayBuffer(4 * (CLAIMS + 16 * lists)));
  ctl[START] = -1;
  return { ctl: ctl.buffer as SharedArrayBuffer };
}

/** Raises a team's STOP from outside it (the coordinator's relay of a cancellation); the first reason raised stands. */
export function raiseStop(team: TeamBuffers, why: Stop): void {
  Atomics.compareExchange(new Int32Array(team.ctl), STOP, Stop.None, why);
}

/** Float64 figures of every writer of a search (STAT_WORDS each). */
export function statsBuffer(writers: number): SharedArrayBuffer {
  return new SharedArrayBuffer(8 * STAT_WORDS * writers);
}

/** What a search's threads are told alike (the coordinator's settings, sent to each worker). */
export type SearchSettings = Omit<SearcherOptions, 'cancelled' | 'heapUsed'>;

export interface SearcherOptions {
  readonly symmetry?: boolean;
  readonly deadRegisters?: boolean;
  readonly maxDepth: number;
  readonly maxStates: number;
  /** bytes of the memory bound: the visited set, the component tables and every thread's heap and memos */
  readonly memoryBytes: number;
  /** Date.now() time the search stops at */
  readonly deadline: number;
  /** the caller's cancellation, where this thread can read it (the coordinator raises STOP for the workers) */
  readonly cancelled?: () => boolean;
  /** this thread's heap in use (bytes) */
  readonly heapUsed: () => number;
}

/** A violation a thread found: the state's id, and the step that broke (null: the state is an end state that breaks). */
export interface FoundViolation {
  readonly id: number;
  readonly step: { thread: number; choice: number } | null;
  readonly invariant: string;
  readonly message: string;
}

/** What a thread reports when its team stops. */
export interface SearcherReport {
  /** the level the team stopped at, and why */
  readonly depth: number;
  readonly stop: Stop;
  readonly violation: FoundViolation | null;
  /** a state beyond the depth bound was not expanded */
  readonly depthBounded: boolean;
  /** what failed, for Stop.Failed */
  readonly failure: string | null;
}

/** The figures of a search, summed over its writers. */
export function searchFigures(stats: SharedArrayBuffer): { stored: number; transitions: number; endStates: number; maxDepth: number; memoBytes: number } {
  const s = new Float64Array(stats);
  const out = { stored: 0, transitions: 0, endStates: 0, maxDepth: 0, memoBytes: 0 };
  for (let at = 0; at < s.length; at += STAT_WORDS) {
    out.stored += s[at + STORED];
    out.transitions += s[at + TRANSITIONS];
    out.endStates += s[at + END_STATES];
    out.maxDepth = Math.max(out.maxDepth, s[at + DEEPEST]);
    out.memoBytes += s[at + MEMOS];
  }
  return out;
}

export class SharedSearcher {
  readonly m: Machine;
  private readonly sym: Symmetry;
  private readonly useSymmetry: boolean;
  private readonly dead: DeadRegisters | null;
  private readonly codec: TupleCodec;
  private readonly steps: TupleSteps | null;
  private readonly batch: SuccessorBatch;
  private readonly writer: VisitedWriter;
  private readonly ctl: Int32Array;
  private readonly stats: Float64Array;
  private readonly arity: number;
  private readonly tuple: Uint32Array;
  private readonly held: Uint32Array;
  private readonly s: Int32Array;
  private readonly next: Int32Array;
  private transitions = 0;
  private endStates = 0;
  private deepest = 0;
  private depthBounded = false;
  private violation: FoundViolation | null = null;
  private failure: string | null = null;
  private chunks = 0;

  /**
   * `rank` of `size` in the team whose control words are `team`; `writer`: its index among the
   * search's writers of states (its list of ranges, its figures in `stats`).
   */
  constructor(
    world: World,
    private readonly opts: SearcherOptions,
    private readonly visited: SharedVisited,
    private readonly tables: ComponentTable[],
    team: TeamBuffers,
    stats: SharedArrayBuffer,
    readonly rank: number,
    readonly size: number,
    writer: number,
  ) {
    this.m = new Machine(world);
    this.sym = new Symmetry(this.m);
    this.useSymmetry = opts.symmetry !== false && this.sym.active;
    this.dead = opts.deadRegisters !== false ? new DeadRegisters(this.m) : null;
    const components = stateComponents(this.m);
    this.arity = components.length;
    this.codec = new TupleCodec(components, tables);
    this.steps = this.useSymmetry && this.sym.tuples ? new TupleSteps(this.m, this.sym, this.dead, this.codec, this.arity) : null;
    this.batch = new SuccessorBatch(this.arity);
    this.writer = visited.writer(writer);
    this.ctl = new Int32Array(team.ctl);
    this.stats = new Float64Array(stats, 8 * STAT_WORDS * writer, STAT_WORDS);
    this.tuple = new Uint32Array(this.arity);
    this.held = new Uint32Array(this.arity).fill(0xffffffff);
    this.s = new Int32Array(this.m.layout.size);
    this.next = new Int32Array(this.m.layout.size);
  }

  get reductions(): string[] {
    return ['state-deduplication', 'local-steps-merged', ...(this.useSymmetry ? ['symmetry'] : []), ...(this.dead ? ['dead-registers'] : [])];
  }

  /** The representative stored for a state (dead registers cleared, then canonical); t: the thread that just stepped. */
  canon = (s: Int32Array, t = -1): Int32Array => {
    const live = this.dead ? (t < 0 ? this.dead.clear(s) : this.dead.clearThread(s, t)) : s;
    return this.useSymmetry ? this.sym.canonical(live) : live;
  };

  /** Stores the initial state, the one head of level 0 (in this writer's list of parity 0). */
  seed(): void {
    this.writer.beginLevel(0);
    this.collapse(this.canon(this.m.initialState()), this.batch.next(-1, 0, 0));
    this.flush();
    this.writer.endLevel();
    this.publish();
  }

  /** A stored state's vector. */
  read(id: number, out: Int32Array): Int32Array {
    return this.codec.decode(this.visited.tupleAt(id, this.tuple), out);
  }

  /**
   * Runs the team's levels from `depth` until it stops; `first`: the writers whose lists hold the
   * heads of that first level, `writers` those of the later ones. `onLevel` (the leader's) is told
   * of each level begun.
   */
  run(depth: number, first: readonly number[], writers: readonly number[], onLevel?: (depth: number) => void): SearcherReport {
    for (let d = depth; ; d++) {
      const stop = this.level(d, d === depth ? first : writers, onLevel);
      if (stop !== Stop.None) return this.report(d, stop);
    }
  }

  /**
   * One level of the team: the decision whether to go on, then, if so, its share of the heads of
   * level `depth` (the lists of `writers`). Returns the decision (Stop.None: the level was expanded).
   */
  level(depth: number, writers: readonly number[], onLevel?: (depth: number) => void): Stop {
    const ctl = this.ctl;
    this.publish();
    this.barrier();
    // each writer's heads apart: a thread expands the states it stored itself first (in its own
    // processor's cache), then helps with the others'
    const lists = writers.map((w) => this.visited.heads(depth & 1, [w]));
    if (this.rank === 0) {
      for (let i = 0; i < lists.length; i++) ctl[CLAIMS + 16 * i] = 0;
      ctl[DECISION] = this.decide(lists.reduce((a, h) => a + h.total, 0));
      if (ctl[DECISION] === Stop.None) onLevel?.(depth);
    }
    this.barrier();
    const decision = ctl[DECISION] as Stop;
    if (decision !== Stop.None) return decision;
    this.writer.beginLevel((depth + 1) & 1);
    const stored = this.writer.stored;
    try {
      const own = Math.max(0, writers.indexOf(this.writer.index));
      for (let k = 0; k < lists.length && Atomics.load(ctl, STOP) === Stop.None; k++) {
        const i = (own + k) % lists.length;
        this.expandLevel(depth, lists[i], CLAIMS + 16 * i);
      }
      this.flush();
    } catch (e) {
      this.fail(e);
    }
    this.writer.endLevel();
    if (this.writer.stored > stored) this.deepest = depth + 1;
    // the figures as the level left them (a team of one hands its last level to another)
    this.publish();
    return Stop.None;
  }

  /** What this thread reports at the end (the leader's `stop` is the team's). */
  report(depth: number, stop: Stop): SearcherReport {
    return { depth, stop, violation: this.violation, depthBounded: this.depthBounded, failure: this.failure };
  }

  /** Raises STOP (the first reason raised stands). */
  stop(why: Stop): void {
    Atomics.compareExchange(this.ctl, STOP, Stop.None, why);
  }

  /** The leader's decision at a level's start, from the figures every thread has published. */
  private decide(heads: number): Stop {
    const stopped = Atomics.load(this.ctl, STOP) as Stop;
    if (stopped !== Stop.None) return stopped;
    if (heads === 0) return Stop.Done;
    if (this.opts.cancelled?.()) return Stop.Cancelled;
    if (Date.now() > this.opts.deadline) return Stop.Time;
    if (this.overMemory()) return Stop.Memory;
    if (this.storedByAll() > this.opts.maxStates) return Stop.States;
    return Stop.None;
  }

  private storedByAll(): number {
    return searchFigures(this.stats.buffer as SharedArrayBuffer).stored;
  }

  /**
   * Bytes the search keeps, as explore counts its own: the visited set (states, parents, table),
   * the component tables and every thread's memos (as last published).
   */
  keptBytes(): number {
    let tables = 0;
    for (const t of this.tables) tables += t.bytes;
    return this.visited.bytes + tables + searchFigures(this.stats.buffer as SharedArrayBuffer).memoBytes;
  }

  /** Whether what the search keeps and the threads' heaps (as last published) pass the memory bound. */
  private overMemory(): boolean {
    const all = new Float64Array(this.stats.buffer);
    let heaps = 0;
    for (let at = HEAP; at < all.length; at += STAT_WORDS) heaps += all[at];
    return this.keptBytes() + heaps > this.opts.memoryBytes;
  }

  /** This thread's figures, for the leader and the coordinator. */
  private publish(): void {
    const st = this.stats;
    st[STORED] = this.writer.stored;
    st[TRANSITIONS] = this.transitions;
    st[END_STATES] = this.endStates;
    st[HEAP] = this.opts.heapUsed();
    st[MEMOS] = (this.steps?.bytes ?? 0) + (this.useSymmetry ? this.sym.memoBytes : 0);
    st[DEEPEST] = this.deepest;
  }

  /** A sense-counting barrier of the team: the last to arrive moves the generation on. */
  private barrier(): void {
    const ctl = this.ctl;
    const gen = Atomics.load(ctl, GEN);
    if (Atomics.add(ctl, ARRIVED, 1) === this.size - 1) {
      Atomics.store(ctl, ARRIVED, 0);
      Atomics.add(ctl, GEN, 1);
      Atomics.notify(ctl, GEN);
    } else while (Atomics.load(ctl, GEN) === gen) Atomics.wait(ctl, GEN, gen);
  }

  private fail(e: unknown): void {
    if (e instanceof VisitedFull || e instanceof ComponentTableFull) {
      this.stop(this.storedByAll() > this.opts.maxStates ? Stop.States : Stop.Memory);
      return;
    }
    this.failure ??= String((e as Error)?.stack ?? e);
    this.stop(Stop.Failed);
  }

  /** Claims runs of `heads` (one writer's of the level, counted at ctl[claim]) until none is left or the team stops. */
  private expandLevel(depth: number, heads: LevelHeads, claim: number): void {
    const ctl = this.ctl;
    const { starts, prefix, total } = heads;
    let r = 0;
    for (;;) {
      if (Atomics.load(ctl, STOP) !== Stop.None) break;
      if (Date.now() > this.opts.deadline) {
        this.stop(Stop.Time);
        break;
      }
      if (this.opts.cancelled?.()) {
        this.stop(Stop.Cancelled);
        break;
      }
      if (++this.chunks % MEMORY_EVERY === 0) {
        this.publish();
        if (this.overMemory()) {
          this.stop(Stop.Memory);
          break;
        }
      }
      const from = Atomics.add(ctl, claim, CHUNK);
      if (from >= total) break;
      const to = Math.min(total, from + CHUNK);
      for (let x = from; x < to; x++) {
        while (prefix[r + 1] <= x) r++;
        while (prefix[r] > x) r--;
        if (depth + 1 > this.opts.maxDepth) {
          this.depthBounded = true;
          continue;
        }
        if (!this.expandHead(starts[r] + (x - prefix[r]))) {
          this.stop(Stop.Violation);
          return;
        }
      }
      this.flush();
    }
  }

  /** Expands state `id`; false when it breaks an invariant (then in `violation`). */
  private expandHead(id: number): boolean {
    const m = this.m;
    const steps = this.steps;
    const s = this.s;
    const next = this.next;
    if (steps !== null) {
      this.visited.tupleAt(id, steps.parentTuple);
      steps.begin();
    } else this.codec.decodeSince(this.visited.tupleAt(id, this.tuple), s, this.held);
    let anyRunnable = false;
    for (let t = 0; t < m.threadCount; t++) {
      const k = steps !== null ? steps.choices(t) : m.isRunnable(s, t) ? m.choiceCount(s, t) : -1;
      if (k < 0) continue;
      anyRunnable = true;
      for (let c = 0; c < k; c++) {
        this.transitions++;
        if (steps !== null) {
          if (!steps.step(t, c)) return this.found(id, { thread: t, choice: c }, m.violation!.invariant, m.violation!.message);
          steps.canonical(this.batch.next(id, 0, 0));
          continue;
        }
        next.set(s);
        if (!m.step(next, t, c)) return this.found(id, { thread: t, choice: c }, m.violation!.invariant, m.violation!.message);
        this.collapse(this.canon(next, t), this.batch.next(id, 0, 0));
      }
    }
    if (!anyRunnable) {
      this.endStates++;
      const e = endStateViolation(m, steps !== null ? steps.vector() : s);
      if (e) return this.found(id, null, e.invariant, e.message);
    }
    return true;
  }

  private found(id: number, step: FoundViolation['step'], invariant: string, message: string): false {
    this.violation = { id, step, invariant, message };
    return false;
  }

  /** The tuple of a (canonical) state vector, into `out`. */
  private collapse(v: Int32Array, out: Uint32Array): void {
    for (let k = 0; k < this.arity; k++) out[k] = this.codec.intern(v, k);
  }

  /** Inserts the successors found since the last flush. */
  private flush(): void {
    const b = this.batch;
    if (b.count === 0) return;
    const arity = this.arity;
    for (let i = 0; i < b.count; i++) b.hashes[i] = tupleHash(b.tuples, i * arity, arity);
    const count = b.count;
    b.count = 0;
    this.writer.insertBatch(b.tuples, b.hashes, b.parents, count);
    this.steps?.fit(this.visited.handed);
  }
}
