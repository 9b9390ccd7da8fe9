import type { World } from '@mmreplay/model';
import { Machine, mergeModelBounds, type ModelBoundMet } from '@mmreplay/engine';
import {
  DEFAULT_BOUNDS,
  counterexampleAlong,
  explore,
  modelBoundsOf,
  type BoundName,
  type Counterexample,
  type ExplorationResult,
  type ExploreOptions,
} from './explorer.js';
import type { LevelReport, Partition } from './partition.js';
import { clock, type FromWorker, type WorkerTiming } from './parallel-worker.js';
import { Team, sharedTables } from './parallel-team.js';
import { Symmetry } from './symmetry.js';
import { PartitionedLevels } from './partitioned-levels.js';
import { SharedInternTable, type SharedTableBuffers } from './shared-intern.js';
import { exploreShared } from './parallel-shared.js';
import type { ParallelTiming, WorkerLevelTiming } from './parallel-timing.js';

export { runPartitionThread } from './parallel-worker.js';

// The parallel breadth-first search: one partition of the states per worker thread (partition.ts),
// the levels synchronised here. Each level: every worker expands its frontier and writes the
// successors that belong to others straight to them (a ring buffer in shared memory per ordered
// pair of workers, parallel-ring.ts; each successor its hash, parent and tuple of component ids),
// reading what the others write to it as it goes; a worker done with its own heads is given some
// of another's (parallel-gifts.ts); at the end of its level it writes an end mark to each, and
// once it has read every other's end mark, the states it stored since the level began form its
// next frontier (parallel-worker.ts). The workers share the component tables (shared-intern.ts), so a
// component has the same id in each. Only counters cross to this thread, and a counterexample's
// states at the end. The first levels run on this thread while the workers load (firstLevels),
// with the same partitions and tables, and each worker adopts its partition's states from them.

export interface ParallelOptions extends ExploreOptions {
  /** worker threads; 1 searches on the calling thread (`explore`) */
  readonly workers: number;
  /** the file: URL of a module exporting runPartitionThread (the explorer's index.js will do) the workers import; default this build's parallel-worker.js */
  readonly entry?: string;
  /**
   * The search begins on the calling thread (the workers' algorithm, its partitions in turn), and
   * starts the workers once it has stored this many states (default 50,000) or run 100 ms: a
   * search that ends sooner never starts them. A larger one goes on there while the workers load,
   * and hands its levels to them at the end of the first level after they have loaded, so nothing
   * is searched twice. A state bound no larger than this is searched by `explore`, exact to the
   * state. 0: the workers search from the initial state, started at once.
   */
  readonly sequentialFirst?: number;
  /**
   * Runs every worker's code on the calling thread instead (a MessageChannel each): the same
   * partitions, rings, messages and level barriers on one core. For measuring what running on
   * threads costs against the same work on one (bench/explorer-cpu.js --one-thread); never faster.
   */
  readonly onOneThread?: boolean;
  /**
   * Partition 0 runs on the calling thread, between the coordinator's waits, and only the others
   * on worker threads (default true): one thread fewer to load and warm up, and none left idle.
   * When the first levels ran on the calling thread, partition 0 goes on with the very partition
   * that ran them, whose code is warm. The thread's event loop still gets a turn every 20 ms. False:
   * every partition on a worker thread of its own, the calling thread only coordinating.
   */
  readonly callingThread?: boolean;
  /**
   * Whether a worker done with its own heads of a level is given some of another's (default
   * true; parallel-gifts.ts). False only to measure what that gains (bench/explorer-levels.js --no-balance).
   */
  readonly balance?: boolean;
  /** Where the wall time goes: the start-up, then each level's (parallel-timing.ts; bench/explorer-levels.js). */
  readonly onTiming?: (t: ParallelTiming) => void;
  /**
   * 'shared' (the default): every worker expands any state and inserts its successors into one
   * visited set the workers share (parallel-shared.ts). 'partitions': each worker owns the states
   * that hash to it and sends the others theirs (partition.ts); onOneThread, callingThread,
   * balance and onTiming apply to it alone.
   */
  readonly algorithm?: 'shared' | 'partitions';
}

/** Whether the parallel search applies: partial order's cycle proviso depends on the visiting order, so a world it reduces is searched on one thread. */
export function parallelApplies(world: World, opts: ExploreOptions): boolean {
  const sym = new Symmetry(new Machine(world));
  const useSymmetry = opts.symmetry !== false && sym.active;
  return (useSymmetry && opts.partialOrderWithSymmetry !== true) || opts.partialOrder === false;
}

/**
 * Exhaustive breadth-first search on `workers` threads: the same states, transitions, verdict and
 * counterexample length as `explore` on one. A world that partial order reduces is searched by
 * `explore` on the calling thread (its cycle proviso depends on the order states are visited in).
 * Bounds: states, time and memory are checked between levels and while expanding; the memory
 * bound counts every worker's visited set, frontier and outgoing batches, and a worker that runs
 * out of heap ends the search `inconclusive` (bound `memory`), like the bound itself.
 */
export async function exploreParallel(world: World, opts: ParallelOptions): Promise<ExplorationResult & { workers: number }> {
  const W = Math.max(1, Math.floor(opts.workers));
  if (W === 1 || !parallelApplies(world, opts)) return { ...explore(world, opts), workers: 1 };
  const bounds = { ...DEFAULT_BOUNDS, ...opts.bounds };
  const first = opts.sequentialFirst ?? 50_000;
  // a state bound no larger than the first levels' share: explore's own, exact to the state
  if (first > 0 && bounds.maxStates <= first) return { ...explore(world, opts), workers: 1 };
  if ((opts.algorithm ?? 'shared') === 'shared') return exploreShared(world, opts, bounds);
  const called = clock();
  const started = performance.now();
  const tables = sharedTables(world, bounds.maxMemoryMB * 2 ** 20);
  let team: Team | null = null;
  const callingThread = opts.callingThread !== false;
  // own: partition 0 of the first levels, for the calling thread's worker to go on with
  const launch = (own?: Partition): Team =>
    (team ??= new Team(world, {
      workers: W,
      symmetry: opts.symmetry,
      deadRegisters: opts.deadRegisters,
      maxDepth: bounds.maxDepth,
      // the time bound counts from the call, the first levels included
      maxSeconds: bounds.maxSeconds - (performance.now() - started) / 1000,
      maxMemoryMB: bounds.maxMemoryMB,
      entry: opts.entry,
      onOneThread: opts.onOneThread,
      callingThread,
      own,
      tables,
    }));
  let levels: PartitionedLevels | null = null;
  if (first > 0) {
    let tried: PartitionedLevels | ExplorationResult;
    try {
      tried = await firstLevels(world, W, opts, bounds, tables, first, launch);
    } catch (e) {
      await (team as Team | null)?.close();
      throw e;
    }
    if (!(tried instanceof PartitionedLevels)) {
      await (team as Team | null)?.close();
      return { ...tried, workers: 1 };
    }
    levels = tried;
  }
  const sequentialMs = clock() - called;
  const t = launch();
  const { local, arrived, gifts, deadline, memoryBytes, cancelFlag } = t;
  const reductions = local.reductions;
  const setupMs = t.createdAt - called;

  // the counters go on from the first levels' figures, if any
  const handed = levels?.figures();
  let transitions = handed?.transitions ?? 0;
  let endStates = handed?.schedules ?? 0;
  let maxDepth = handed?.maxDepth ?? 0;
  let total = 0;
  let boundHit: BoundName | null = levels?.depthBounded ? 'depth' : null;
  let met: ModelBoundMet[] = [...(handed?.modelBounds ?? [])];
  const finish = (verdict: ExplorationResult['verdict'], counterexample: Counterexample | null): ExplorationResult & { workers: number } => ({
    verdict,
    boundHit,
    statesStored: total,
    transitions,
    schedules: endStates,
    maxDepth,
    elapsedMs: Math.round(performance.now() - started),
    reductions,
    counterexample,
    ...modelBoundsOf([{ boundsMet: met }]),
    workers: W,
  });
  // each worker goes on from its partition of the first levels, or starts from the initial state
  if (levels !== null) {
    levels.parts.forEach((p, i) => {
      if (i === 0 && t.continues) return t.post(0, { type: 'continue' });
      const states = p.export();
      t.post(i, { type: 'adopt', states }, [states.tuples.buffer as ArrayBuffer, states.parents.buffer as ArrayBuffer]);
    });
  } else t.postAll({ type: 'seed' });
  const firstDepth = levels?.depth ?? 0;
  levels = null;
  try {
    const ready = (await t.all()) as Extract<FromWorker, { type: 'ready' }>[];
    total = ready.reduce((a, r) => a + r.count, 0);
    let frontier = ready.reduce((a, r) => a + r.frontier, 0);
    let bytes = ready.reduce((a, r) => a + r.bytes, 0);
    // when the coordinator's serial work began: the last report's arrival, moved on by the time
    // onTiming itself took (which is the measurer's, not the search's)
    let levelEnded = Math.max(...arrived);
    const timed = (t: ParallelTiming) => {
      const at = clock();
      opts.onTiming?.(t);
      levelEnded += clock() - at;
    };
    timed({ kind: 'start', sequentialMs, setupMs, readyMs: [...arrived].map((t) => t - called) });
    let frontiers = ready.map((r) => r.frontier);
    for (let depth = firstDepth; frontier > 0; depth++) {
      const stop = boundBetweenLevels(opts.cancel, Date.now() > deadline, bytes, memoryBytes, total, bounds.maxStates);
      if (stop) return ((boundHit = stop), finish('inconclusive', null));
      // Relay a cancellation to the workers while they expand a long level.
      const c = opts.cancel;
      const poll = c ? setInterval(() => c.cancelled && Atomics.store(new Int32Array(cancelFlag), 0, 1), 20) : null;
      let expanded: Extract<FromWorker, { type: 'expanded' }>[];
      // with every worker's flag left at 0, none asks and none gives
      if (opts.balance !== false) gifts.openLevel();
      const postedAt = clock();
      t.postAll({ type: 'expand', depth });
      try {
        expanded = (await t.all()) as Extract<FromWorker, { type: 'expanded' }>[];
      } finally {
        if (poll) clearInterval(poll);
      }
      if (opts.onTiming) {
        const serialMs = postedAt - levelEnded;
        levelEnded = Math.max(...arrived);
        timed({
          kind: 'level',
          depth,
          serialMs,
          wallMs: levelEnded - postedAt,
          workers: expanded.map((e, i) => levelTiming(e.timing, postedAt, arrived[i], frontiers[i])),
        });
        frontiers = expanded.map((e) => e.frontier);
      }
      for (const e of expanded) {
        transitions += e.report.transitions;
        endStates += e.report.endStates;
      }
      met = mergeModelBounds([met, ...expanded.map((e) => e.bounds)]);
      // the shortest violation: an end state breaks at this depth, a step one later
      let found = expanded.map((e) => e.report).filter((r) => r.violationAt >= 0);
      if (found.length && found.every((x) => x.violationStep !== null)) {
        // only steps broke an invariant: the workers look for a shorter end state among their heads of the level
        t.postAll({ type: 'ends' });
        const ends = (await t.all()) as Extract<FromWorker, { type: 'ends' }>[];
        found = [...ends.map((e) => e.report).filter((r) => r.violationAt >= 0), ...found];
      }
      if (found.length) {
        const r = found.find((x) => x.violationStep === null) ?? found[0];
        return finish('violated', await rebuild(r));
      }
      const stopped = expanded.map((e) => e.report.boundHit).find((b) => b !== null && b !== 'depth');
      if (stopped) {
        boundHit = (Atomics.load(new Int32Array(cancelFlag), 0) === 1 ? 'cancelled' : stopped) as BoundName;
        return finish('inconclusive', null);
      }
      if (expanded.some((e) => e.report.boundHit === 'depth')) boundHit = 'depth';
      const before = total;
      total = expanded.reduce((a, r) => a + r.count, 0);
      frontier = expanded.reduce((a, r) => a + r.frontier, 0);
      bytes = expanded.reduce((a, r) => a + r.bytes, 0);
      if (total > before) maxDepth = depth + 1;
      if (opts.onProgress) {
        const ms = performance.now() - started;
        opts.onProgress({ states: total, transitions, depth: depth + 1, elapsedMs: ms, statesPerSecond: (total * 1000) / Math.max(1, ms) });
      }
    }
    return finish(boundHit ? 'inconclusive' : 'holds', null);
  } catch (e) {
    if (t.failure?.memory) {
      boundHit = 'memory';
      return finish('inconclusive', null);
    }
    throw e;
  } finally {
    await t.close();
  }

  /** The path from the initial state to the violation, state by state from the workers that hold them. */
  async function rebuild(r: LevelReport): Promise<Counterexample> {
    const path: Int32Array[] = [];
    for (let gid = r.violationAt; ;) {
      const w = gid % W;
      t.post(w, { type: 'state', id: Math.floor(gid / W) });
      const m = (await t.reply(w)) as Extract<FromWorker, { type: 'state' }>;
      if (m.parent < 0) break;
      path.push(m.state);
      gid = m.parent;
    }
    path.reverse();
    return counterexampleAlong(local.m, local.canon, path, r.violationStep, r.invariant, r.violationStep ? undefined : r.message);
  }
}

/** A worker's level timing, in ms from postedAt, the coordinator's posting of the level; doneAt: when its report arrived. */
function levelTiming(t: WorkerTiming, postedAt: number, doneAt: number, frontier: number): WorkerLevelTiming {
  return {
    frontier,
    startMs: t.began - postedAt,
    expandedMs: t.expandedAt - postedAt,
    postedMs: t.postedAt - postedAt,
    doneMs: doneAt - postedAt,
    busyMs: t.busyMs,
    expandBusyMs: t.expandBusyMs,
    gave: t.gave,
    took: t.took,
  };
}

/**
 * The bound a search stops at before its next level, if any, first to last: a cancellation, the
 * time, the memory (`bytes` of its own beside this thread's heap), the states.
 */
function boundBetweenLevels(
  cancel: ParallelOptions['cancel'],
  timeUp: boolean,
  bytes: number,
  memoryBytes: number,
  states: number,
  maxStates: number,
): BoundName | null {
  if (cancel?.cancelled) return 'cancelled';
  if (timeUp) return 'time';
  if (bytes + process.memoryUsage().heapUsed > memoryBytes) return 'memory';
  if (states > maxStates) return 'states';
  return null;
}

/** ms between two looks at the progress of the first levels (ParallelOptions.onProgress), and before the workers start */
const FIRST_REPORT_MS = 100;

/**
 * The search's first levels on the calling thread (the workers' algorithm, its partitions in turn:
 * PartitionedLevels), while the workers load. The workers are started once these have stored
 * `first` states or run FIRST_REPORT_MS, and the levels are handed to them at the end of the first
 * level after they have all loaded (the thread yields between levels, so that their messages are
 * read). Returns the levels to hand on, or the search's result when it ended first: verdict,
 * counterexample or bound. Should a worker fail to load, the search ends here, on one thread.
 */
async function firstLevels(
  world: World,
  W: number,
  opts: ParallelOptions,
  bounds: typeof DEFAULT_BOUNDS,
  tables: SharedTableBuffers[],
  first: number,
  launch: (own?: Partition) => Team,
): Promise<PartitionedLevels | ExplorationResult> {
  const started = performance.now();
  const cancel = opts.cancel;
  const levels = new PartitionedLevels(
    world,
    W,
    {
      symmetry: opts.symmetry,
      deadRegisters: opts.deadRegisters,
      maxDepth: bounds.maxDepth,
      deadline: started + bounds.maxSeconds * 1000,
      cancelled: cancel ? () => cancel.cancelled : undefined,
      share: false,
    },
    tables.map((b) => new SharedInternTable(b)),
  );
  let team: Team | null = null;
  let reported = started;
  const result = (verdict: ExplorationResult['verdict'], boundHit: BoundName | null, counterexample: Counterexample | null): ExplorationResult => ({
    verdict,
    boundHit,
    ...levels.figures(),
    elapsedMs: Math.round(performance.now() - started),
    counterexample,
  });
  const memoryBytes = bounds.maxMemoryMB * 2 ** 20;
  while (levels.frontier > 0) {
    const now = performance.now();
    const bound = boundBetweenLevels(cancel, now - started > bounds.maxSeconds * 1000, levels.bytes, memoryBytes, levels.count, bounds.maxStates);
    if (bound) return result('inconclusive', bound, null);
    if (team === null && (levels.count >= first || now - started >= FIRST_REPORT_MS)) team = launch(levels.parts[0]);
    // a worker that failed to load (or died) is never ready: the search goes on here to its end
    if (team !== null && team.failure === null && team.loaded === W) return levels;
    const r = levels.level();
    if (r !== null && r.violationAt >= 0) return result('violated', levels.depthBounded ? 'depth' : null, levels.counterexample(r));
    if (r !== null) return result('inconclusive', r.boundHit === 'cancelled' ? 'cancelled' : 'time', null);
    if (opts.onProgress && performance.now() - reported >= FIRST_REPORT_MS) {
      reported = performance.now();
      const ms = reported - started;
      opts.onProgress({
        states: levels.count,
        transitions: levels.transitions,
        depth: levels.depth,
        elapsedMs: ms,
        statesPerSecond: (levels.count * 1000) / Math.max(1, ms),
      });
    }
    // the workers' messages (that they have loaded) are read between levels
    if (team !== null) await new Promise((resolve) => setImmediate(resolve));
  }
  return result(levels.depthBounded ? 'inconclusive' : 'holds', levels.depthBounded ? 'depth' : null, null);
}
