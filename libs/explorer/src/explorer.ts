import { getHeapStatistics } from 'node:v8';
import { encodeSchedule, Machine, mergeModelBounds, type ModelBoundMet } from '@mmreplay/engine';
import { THREAD_WIDTH, type World } from '@mmreplay/model';
import { Symmetry } from './symmetry.js';
import { PartialOrder } from './partial-order.js';
import { endStateViolation, firstBrokenEndState } from './end-state.js';
import { DeadRegisters } from './dead-registers.js';
import { StateStore, type Component } from './state-store.js';
import { SuccessorBatch } from './successor-batch.js';
import { TupleSteps } from './tuple-steps.js';

export type Verdict = 'holds' | 'violated' | 'inconclusive';
export type BoundName = 'states' | 'depth' | 'time' | 'memory' | 'cancelled';

export interface Bounds {
  readonly maxStates: number;
  readonly maxDepth: number;
  readonly maxSeconds: number;
  readonly maxMemoryMB: number;
}

/** The memory bound defaults to 70% of this process's heap limit, so the bound trips before V8 does. */
export const DEFAULT_BOUNDS: Bounds = {
  maxStates: 5_000_000,
  maxDepth: 100_000,
  maxSeconds: 300,
  maxMemoryMB: Math.floor((getHeapStatistics().heap_size_limit * 0.7) / 2 ** 20),
};

export interface Progress {
  readonly states: number;
  readonly transitions: number;
  readonly depth: number;
  readonly elapsedMs: number;
  readonly statesPerSecond: number;
}

export interface Counterexample {
  readonly schedule: string;
  readonly length: number;
  readonly invariant: string;
  /** the step (0-based) at which the invariant broke */
  readonly step: number;
  readonly thread: string;
  readonly message: string;
  /**
   * set when this one may be longer than the shortest: partial-order reduction found it, and the
   * search without the reduction that finds a shortest stopped at this bound first (explore)
   */
  readonly notShortest?: BoundName;
}

export interface ExplorationResult {
  readonly verdict: Verdict;
  readonly boundHit: BoundName | null;
  readonly statesStored: number;
  readonly transitions: number;
  /** complete schedules: distinct end states for an exhaustive search, runs for sampling */
  readonly schedules: number;
  readonly maxDepth: number;
  readonly elapsedMs: number;
  readonly reductions: readonly string[];
  readonly counterexample: Counterexample | null;
  /**
   * tso/lkmm: the engine's own bounds on weak-memory state that held a thread back during the
   * search (each where it did first; absent when none did). The search then missed executions
   * beyond them: a `holds` is the engine's within its bounds, not the memory model's.
   */
  readonly modelBounds?: readonly ModelBoundMet[];
  /**
   * the reductions that found the violation and were then left out to find a shortest
   * counterexample (explore: partial order); the figures and `reductions` are that second search's
   */
  readonly shortestWithout?: readonly string[];
}

export interface ExploreOptions {
  readonly bounds?: Partial<Bounds>;
  /** symmetry reduction (on by default where the scenario declares symmetric tuples) */
  readonly symmetry?: boolean;
  /** partial-order reduction with ample sets (on by default) */
  readonly partialOrder?: boolean;
  /** clear registers that are dead at the thread's pc (on by default) */
  readonly deadRegisters?: boolean;
  /**
   * partial order on a world where symmetry is on too (off by default: see explore; the
   * reductions fuzz checks the combination, so that the default can change once it has agreed long enough)
   */
  readonly partialOrderWithSymmetry?: boolean;
  readonly onProgress?: (p: Progress) => void;
  /** polled during the search; set `cancelled` to stop it */
  readonly cancel?: { cancelled: boolean };
  /** filled in at the end: bytes held by the visited set (compressed states, tables, parents) */
  readonly stats?: { bytes: number };
  /**
   * canonicalise successors as tuples of component ids where symmetry allows (on by default);
   * off, on state vectors: the same states in the same order, the reference tests hold the tuples to
   */
  readonly tuples?: boolean;
}

/** The `modelBounds` field of a result: the bounds the machines of a search met, when any did. */
export function modelBoundsOf(machines: readonly Pick<Machine, 'boundsMet'>[]): { modelBounds?: readonly ModelBoundMet[] } {
  const met = mergeModelBounds(machines.map((m) => m.boundsMet));
  return met.length > 0 ? { modelBounds: met } : {};
}

/**
 * Exhaustive breadth-first search over every interleaving (and every outcome of steps that have
 * several) with visited-state deduplication on the whole state vector. Breadth-first order makes
 * the first violation found a shortest one: no counterexample with fewer steps exists.
 *
 * Partial-order reduction keeps every violation reachable, not every shortest path to one: an
 * ample thread's step taken first can stand in front of the violating step of another thread
 * (seed's install-before-lock: 17 steps against 16). So a violation found with it is looked for
 * again without it, and that search's result is the answer; it stops at the first violation, no
 * deeper than the one found. If it stops at a bound first, the counterexample found with the
 * reduction stands, marked as maybe longer than the shortest (`Counterexample.notShortest`).
 */
export function explore(world: World, opts: ExploreOptions = {}): ExplorationResult {
  const found = exploreOnce(world, opts);
  if (found.verdict !== 'violated' || !found.reductions.includes('partial-order')) return found;
  const bounds = { ...DEFAULT_BOUNDS, ...opts.bounds };
  const again = exploreOnce(world, {
    ...opts,
    partialOrder: false,
    bounds: { ...bounds, maxSeconds: Math.max(0, bounds.maxSeconds - found.elapsedMs / 1000) },
  });
  return shortestAnswer(found, again);
}

/** explore's answer from a violation found with partial order (`found`) and the search again without it (`again`). */
export function shortestAnswer(found: ExplorationResult, again: ExplorationResult): ExplorationResult {
  const elapsedMs = found.elapsedMs + again.elapsedMs;
  if (again.verdict === 'violated') return { ...again, elapsedMs, shortestWithout: ['partial-order'] };
  // the reduced search's path is one of the full search's, so only a bound can keep it from a violation
  if (again.boundHit === null) throw new Error(`partial-order reduction found ${found.counterexample!.invariant} broken, the search without it nothing`);
  return { ...found, elapsedMs, counterexample: { ...found.counterexample!, notShortest: again.boundHit } };
}

/**
 * One breadth-first search with the reductions as given: with partial-order reduction, a
 * violation's counterexample may be longer than the shortest (explore looks for that one). The
 * specs that hold the reduced search itself to a reference use it.
 */
export function exploreOnce(world: World, opts: ExploreOptions = {}): ExplorationResult {
  const bounds = { ...DEFAULT_BOUNDS, ...opts.bounds };
  const m = new Machine(world);
  const sym = new Symmetry(m);
  const useSymmetry = opts.symmetry !== false && sym.active;
  const dead = opts.deadRegisters !== false ? new DeadRegisters(m) : null;
  // `s` is always a fresh successor here, so clearing dead registers in place is safe.
  // A cleared register holds no object (-1, or 0 for a PTE value or a VMA set), which renaming
  // leaves as it is: clearing before canonicalising is enough.
  // A successor of thread t's step only needs t cleared (DeadRegisters.clearThread).
  const canon = (s: Int32Array, t = -1) => {
    const live = dead ? (t < 0 ? dead.clear(s) : dead.clearThread(s, t)) : s;
    return useSymmetry ? sym.canonical(live) : live;
  };
  // Partial order together with symmetry and dead registers lost a violation the reference
  // enumerator finds (reductions fuzzing, seeds 898 and 13740, c10-device-private). The cause was
  // the ample sets' PTL horizon, whose premise a stray spin_unlock breaks (partial-order.ts, fixed);
  // the combination stays off by default until the fuzz has run it long enough (an option turns
  // it on). Symmetry gains far more than partial order here, and searches on several workers and
  // on tuples (docs/architecture.md).
  const por = opts.partialOrder !== false && (!useSymmetry || opts.partialOrderWithSymmetry === true) ? new PartialOrder(m) : null;
  const reductions = [
    'state-deduplication',
    'local-steps-merged',
    ...(useSymmetry ? ['symmetry'] : []),
    ...(por ? ['partial-order'] : []),
    ...(dead ? ['dead-registers'] : []),
  ];
  const started = performance.now();
  const n = m.threadCount;

  const store = new StateStore(m.layout.size, stateComponents(m));
  const tree = new SearchTree();
  store.add(canon(m.initialState()));
  tree.push(-1);
  // Breadth-first levels: states [levelStart, levelEnd) are at `depth` steps from the initial state.
  let depth = 0;
  let levelEnd = 1;
  let transitions = 0;
  let endStates = 0;
  let maxDepth = 0;
  let boundHit: BoundName | null = null;
  let lastProgress = started;
  const s = new Int32Array(m.layout.size);
  const next = new Int32Array(m.layout.size);
  const pending: Int32Array[] = [];
  // With symmetry, successors are canonicalised as tuples of component ids (Symmetry.canonicalTuple):
  // the same states as canon(), at a fraction of the cost.
  const tuples = useSymmetry && por === null && sym.tuples && opts.tuples !== false;
  const arity = stateComponents(m).length;
  // the tuple of the state `s` holds (the search on vectors)
  const heldTuple = new Uint32Array(arity).fill(0xffffffff);
  // On tuples, the successors of up to BATCH_HEADS heads are canonicalised first and inserted
  // together, in the order found (the same ids, parents and counts as inserting each at once):
  // looking at all their visited-table slots before inserting lets the processor overlap those
  // cache misses (StateStore.touch). Each keeps the counters as they were when it was found, so
  // that a search stopped by its state bound reports what it would have without the batch.
  const batch = tuples ? new SuccessorBatch(arity) : null;
  // On tuples, a step that reads only its thread's vector and the shared objects is remembered by
  // their ids, and so is enabledness (tuple-steps.ts): a step met again is not run, nor its
  // successor collapsed, and a head whose steps are all remembered is never decoded.
  const steps = tuples ? new TupleSteps(m, sym, dead, store, arity) : null;
  const flush = (): ExplorationResult | null => {
    if (batch === null || batch.count === 0) return null;
    const { tuples: all, hashes, parents } = batch;
    steps?.fit(store.count);
    for (let i = 0; i < batch.count; i++) hashes[i] = store.hashAt(all, i * arity);
    let seen = 0;
    for (let i = 0; i < batch.count; i++) seen ^= store.touch(hashes[i]);
    batch.sink ^= seen;
    for (let i = 0; i < batch.count; i++) {
      if (store.count >= bounds.maxStates && !store.hasTupleAt(all, i * arity, hashes[i])) {
        transitions = batch.transitions[i];
        endStates = batch.endStates[i];
        batch.count = 0;
        boundHit = 'states';
        return finish('inconclusive', null);
      }
      if (store.addTupleAt(all, i * arity, hashes[i]) >= 0) {
        tree.push(parents[i]);
        maxDepth = Math.max(maxDepth, depth + 1);
      }
    }
    batch.count = 0;
    return null;
  };

  const finish = (verdict: Verdict, counterexample: Counterexample | null): ExplorationResult => {
    if (opts.stats) opts.stats.bytes = store.bytes + tree.bytes + sym.memoBytes + (steps?.bytes ?? 0);
    return result(verdict, counterexample);
  };
  const result = (verdict: Verdict, counterexample: Counterexample | null): ExplorationResult => ({
    verdict,
    boundHit,
    statesStored: store.count,
    transitions,
    schedules: endStates,
    maxDepth,
    elapsedMs: Math.round(performance.now() - started),
    reductions,
    counterexample,
    ...modelBoundsOf([m]),
  });
  // A step of `head` broke an invariant: the counterexample is the step's, unless an end state
  // among the level's heads after it breaks one, one step shorter (end-state.ts; those before it
  // were expanded).
  const violated = (head: number, t: number, c: number) => {
    const invariant = m.violation!.invariant;
    const stopped = flush();
    if (stopped) return stopped;
    const end = firstBrokenEndState(m, (h, v) => store.read(h, v), head + 1, levelEnd);
    if (end) return finish('violated', counterexample(m, canon, store, tree, end.id, null, end.invariant, end.message));
    return finish('violated', counterexample(m, canon, store, tree, head, { thread: t, choice: c }, invariant));
  };

  for (let head = 0; ; head++) {
    // the batch ends with a level, and every BATCH_HEADS heads (so before the bounds are checked)
    if (head === levelEnd || (head & (BATCH_HEADS - 1)) === 0) {
      const stopped = flush();
      if (stopped) return stopped;
    }
    if (head === levelEnd) {
      if (head === store.count) break;
      depth++;
      levelEnd = store.count;
    }
    // on vectors, `s` is only read below (steps run on `next`): it still holds the state read last, whose tuple heldTuple is
    if (steps !== null) {
      store.tupleAt(head, steps.parentTuple);
      steps.begin();
    } else store.readSince(head, s, heldTuple);
    if ((head & 1023) === 0) {
      const now = performance.now();
      if (opts.cancel?.cancelled) boundHit = 'cancelled';
      else if (now - started > bounds.maxSeconds * 1000) boundHit = 'time';
      else if (
        (head & 16383) === 0 &&
        process.memoryUsage().heapUsed + store.bytes + tree.bytes + sym.memoBytes + (steps?.bytes ?? 0) > bounds.maxMemoryMB * 2 ** 20
      )
        boundHit = 'memory';
      if (boundHit) return finish('inconclusive', null);
      if (opts.onProgress && now - lastProgress > 100) {
        lastProgress = now;
        opts.onProgress({
          states: store.count,
          transitions,
          depth,
          elapsedMs: now - started,
          statesPerSecond: (store.count * 1000) / Math.max(1, now - started),
        });
      }
    }
    if (depth + 1 > bounds.maxDepth) {
      boundHit = 'depth';
      continue;
    }
    // Partial-order reduction: expand only one thread when its step commutes with everything the
    // others may still do, unless one of its successors is already known (the cycle proviso).
    const ample = por ? por.ample(s) : -1;
    let expanded = false;
    if (ample >= 0) {
      pending.length = 0;
      let closesCycle = false;
      for (let c = 0, k = m.choiceCount(s, ample); c < k; c++) {
        next.set(s);
        transitions++;
        if (!m.step(next, ample, c)) return violated(head, ample, c);
        const cn = canon(next, ample);
        if (store.has(cn)) closesCycle = true;
        pending.push(cn.slice());
      }
      if (!closesCycle) {
        for (let i = 0; i < pending.length; i++) {
          if (store.count >= bounds.maxStates) return ((boundHit = 'states'), finish('inconclusive', null));
          if (store.add(pending[i]) >= 0) tree.push(head);
        }
        maxDepth = Math.max(maxDepth, depth + 1);
        expanded = true;
      }
    }
    if (expanded) continue;
    let anyRunnable = false;
    for (let t = 0; t < n; t++) {
      const k = steps !== null ? steps.choices(t) : m.isRunnable(s, t) ? m.choiceCount(s, t) : -1;
      if (k < 0) continue;
      anyRunnable = true;
      for (let c = 0; c < k; c++) {
        transitions++;
        if (steps !== null) {
          // on tuples: run or recalled, canonicalised, and inserted with the batch
          if (!steps.step(t, c)) return violated(head, t, c);
          steps.canonical(batch!.next(head, transitions, endStates));
          continue;
        }
        next.set(s);
        if (!m.step(next, t, c)) return violated(head, t, c);
        const cn = canon(next, t);
        if (store.count >= bounds.maxStates && !store.has(cn, head)) return ((boundHit = 'states'), finish('inconclusive', null));
        if (store.add(cn, head) >= 0) {
          tree.push(head);
          maxDepth = Math.max(maxDepth, depth + 1);
        }
      }
    }
    if (!anyRunnable) {
      const v = steps !== null ? steps.vector() : s;
      endStates++;
      const end = endStateViolation(m, v);
      if (end) return flush() ?? finish('violated', counterexample(m, canon, store, tree, head, null, end.invariant, end.message));
    }
  }
  return finish(boundHit ? 'inconclusive' : 'holds', null);
}

/** Heads whose successors explore() canonicalises before inserting them (a power of two, dividing 1,024). */
const BATCH_HEADS = 64;

/** How each stored state was first reached: its parent's id (the decision is found again from the states). */
export class SearchTree {
  parent = new Int32Array(1 << 16);
  count = 0;
  get bytes(): number {
    return this.parent.byteLength;
  }
  push(parent: number): void {
    if (this.count === this.parent.length) {
      const grown = new Int32Array(this.parent.length * 2);
      grown.set(this.parent);
      this.parent = grown;
    }
    this.parent[this.count++] = parent;
  }
}

/**
 * The parts of a state vector that change independently, each interned on its own (collapse
 * compression): the shared objects, each thread's local vector (one table for all threads), and
 * the weak-memory section when there is one.
 */
export function stateComponents(m: Machine): Component[] {
  const L = m.layout;
  const out: Component[] = [{ offset: 0, width: L.threads, table: 0 }];
  for (let t = 0; t < m.threadCount; t++) out.push({ offset: L.thread(t, 0), width: THREAD_WIDTH, table: 1 });
  if (L.size > L.mem) out.push({ offset: L.mem, width: L.size - L.mem, table: 2 });
  return out;
}

/**
 * Turns the BFS tree path into a schedule that replays from the real initial state. Stored states
 * are symmetry representatives, so each step is re-found from the concrete state: the decision
 * whose successor has the stored representative.
 */
function counterexample(
  m: Machine,
  canon: (s: Int32Array) => Int32Array,
  store: StateStore,
  tree: SearchTree,
  last: number,
  final: { thread: number; choice: number } | null,
  invariant: string,
  endMessage?: string,
): Counterexample {
  const ids: number[] = [];
  for (let id = last; id > 0; id = tree.parent[id]) ids.push(id);
  const path = ids.reverse().map((id) => store.read(id, new Int32Array(store.width)));
  return counterexampleAlong(m, canon, path, final, invariant, endMessage);
}

/**
 * The schedule along a path of stored states (the initial state's successors first), ending with
 * the violating decision `final`, or at an end state that breaks `invariant`.
 */
export function counterexampleAlong(
  m: Machine,
  canon: (s: Int32Array) => Int32Array,
  path: readonly Int32Array[],
  final: { thread: number; choice: number } | null,
  invariant: string,
  endMessage?: string,
): Counterexample {
  const threads: number[] = [];
  const choices: number[] = [];
  let s = m.initialState();
  const decide = (t: number, c: number) => {
    threads.push(t);
    if (m.choiceCount(s, t) > 1) choices.push(c);
  };
  for (let id = 0; id < path.length; id++) {
    const target = path[id].join(',');
    let found = false;
    for (let t = 0; t < m.threadCount && !found; t++) {
      if (!m.isRunnable(s, t)) continue;
      for (let c = 0; c < m.choiceCount(s, t) && !found; c++) {
        const next = s.slice();
        if (m.step(next, t, c) && canon(next.slice()).join(',') === target) {
          decide(t, c);
          s = next;
          found = true;
        }
      }
    }
    if (!found) throw new Error(`counterexample reconstruction lost the path at step ${id + 1}`);
  }
  let message = endMessage ?? '';
  let thread = '';
  if (final) {
    // The violating step from the concrete state: the same invariant must break.
    for (let t = 0; t < m.threadCount && !message; t++) {
      if (!m.isRunnable(s, t)) continue;
      for (let c = 0; c < m.choiceCount(s, t); c++) {
        const next = s.slice();
        if (!m.step(next, t, c) && m.violation?.invariant === invariant) {
          decide(t, c);
          message = m.violation.message;
          thread = m.world.threads[t].name;
          break;
        }
      }
    }
  } else {
    // The thread a replay names (Runtime records the end state's violation): the one the machine
    // blames, else the first that cannot finish.
    const end = m.endState(s).violation;
    const blamed = end?.invariant === invariant ? end.thread : m.world.threads.findIndex((_, t) => !m.isFinished(s, t));
    thread = m.world.threads[blamed]?.name ?? '';
  }
  return {
    schedule: encodeSchedule({ threads, choices }),
    length: threads.length,
    invariant,
    step: final ? threads.length - 1 : threads.length,
    thread,
    message,
  };
}
