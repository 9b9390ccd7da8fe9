import { Worker } from 'node:worker_threads';
import type { World } from '@mmreplay/model';
import { Machine, mergeModelBounds, type ModelBoundMet } from '@mmreplay/engine';
import {
  DEFAULT_BOUNDS,
  counterexampleAlong,
  stateComponents,
  type BoundName,
  type Bounds,
  type Counterexample,
  type ExplorationResult,
  type ExploreOptions,
} from './explorer.js';
import { firstBrokenEndState } from './end-state.js';
import { SharedInternTable, sharedTables, type SharedTableBuffers } from './shared-intern.js';
import { SharedVisited, type SharedVisitedBuffers } from './shared-visited.js';
import {
  SharedSearcher,
  START,
  Stop,
  raiseStop,
  searchFigures,
  statsBuffer,
  teamBuffers,
  type FoundViolation,
  type SearchSettings,
  type SearcherReport,
  type TeamBuffers,
} from './shared-search.js';
import type { FromSharedWorker, SharedWorkerData } from './shared-worker.js';
import { builtModule, workerSource } from './worker-module.js';

// The parallel search on one shared visited set (shared-visited.ts, shared-search.ts): W worker
// threads run the levels together, and this thread only starts them, relays a cancellation and
// builds the result. The search begins here, on this thread alone (a team of one, writing as
// writer W), while the workers load: a search that ends within its first `sequentialFirst` states
// or 100 ms never starts them, and a larger one is handed over at the first level's start after
// they have loaded, with nothing to copy (the visited set is already shared).

export interface ParallelOptions extends ExploreOptions {
  /** worker threads; 1 searches on the calling thread (`explore`) */
  readonly workers: number;
  /** the file: URL of a module exporting runSharedThread (the explorer's index.js will do); default this build's shared-worker.js */
  readonly entry?: string;
  /**
   * The search begins on the calling thread (a team of one), and starts the workers once it has
   * stored this many states (default 50,000) or run 100 ms: a search that ends sooner never starts
   * them. A larger one goes on there while the workers load, and hands its levels to them at the
   * start of the first level after they have loaded, so nothing is searched twice. A state bound
   * no larger than this is searched by `explore`, exact to the state. 0: the workers search from
   * the initial state, started at once.
   */
  readonly sequentialFirst?: number;
}

/** ms this thread searches alone before it starts the workers, whatever it has stored */
const FIRST_MS = 100;
/** ms between two looks at the caller's cancellation while the workers search */
const CANCEL_POLL_MS = 20;

const WORKER_SOURCE = workerSource('runSharedThread');

/** The worker threads of one search, and what they reported. */
class Workers {
  readonly threads: Worker[];
  readonly team: TeamBuffers;
  loaded = 0;
  /** the first failure: a worker's error or its death (memory: it ran out of heap) */
  failure: { memory: boolean; message: string } | null = null;
  readonly done: ({ report: SearcherReport; bounds: readonly ModelBoundMet[] } | null)[];
  private settle: (() => void) | null = null;

  constructor(data: Omit<SharedWorkerData, 'rank' | 'team'>, heapMB: number, onLevel: (depth: number) => void) {
    this.done = Array.from({ length: data.workers }, () => null);
    // every worker's list and the calling thread's
    this.team = teamBuffers(data.workers + 1);
    this.threads = Array.from({ length: data.workers }, (_, rank) => {
      const w = new Worker(WORKER_SOURCE, {
        eval: true,
        execArgv: [],
        workerData: { ...data, rank, team: this.team } satisfies SharedWorkerData,
        resourceLimits: { maxOldGenerationSizeMb: heapMB, maxYoungGenerationSizeMb: Math.min(64, Math.max(8, Math.floor(heapMB / 8))) },
      });
      w.on('message', (m: FromSharedWorker) => {
        if (m.type === 'loaded') this.loaded++;
        else if (m.type === 'level') onLevel(m.depth);
        else if (m.type === 'done') this.done[rank] = m;
        else this.failure ??= { memory: false, message: m.message };
        this.settle?.();
      });
      w.on('error', (e: Error & { code?: string }) => {
        this.failure ??= { memory: e.code === 'ERR_WORKER_OUT_OF_MEMORY', message: e.message };
        this.settle?.();
      });
      return w;
    });
  }

  get finished(): boolean {
    return this.done.every((d) => d !== null);
  }

  /** Resolves at the next message or failure. */
  changed(): Promise<void> {
    return new Promise((resolve) => (this.settle = resolve));
  }

  /** Raises the team's STOP (a cancellation). */
  stop(why: Stop): void {
    raiseStop(this.team, why);
  }

  /** Starts the team at level `depth`. */
  start(depth: number): void {
    const ctl = new Int32Array(this.team.ctl);
    Atomics.store(ctl, START, depth);
    Atomics.notify(ctl, START);
  }

  async close(): Promise<void> {
    await Promise.all(this.threads.map((w) => w.terminate()));
  }
}

/**
 * One search's shared state as this thread holds it: the visited set, the component tables and
 * the figures the threads share, and this thread's own searcher (writer `writer` of `writers`),
 * with which it searches alone and, at the end, reads the result out of the visited set.
 */
class SharedSearch {
  readonly started = performance.now();
  readonly settings: SearchSettings;
  readonly tableBuffers: SharedTableBuffers[];
  readonly visitedBuffers: SharedVisitedBuffers;
  readonly visited: SharedVisited;
  readonly stats: SharedArrayBuffer;
  readonly here: SharedSearcher;

  constructor(
    world: World,
    private readonly opts: ExploreOptions,
    bounds: Bounds,
    writers: number,
    readonly writer: number,
  ) {
    this.stats = statsBuffer(writers);
    const memoryBytes = bounds.maxMemoryMB * 2 ** 20;
    this.tableBuffers = sharedTables(world, memoryBytes);
    const tables = this.tableBuffers.map((b) => new SharedInternTable(b));
    const arity = stateComponents(new Machine(world)).length;
    // the arena holds what the memory bound allows, and past the state bound what a level can add
    const capacity = Math.max(1 << 16, Math.min(2 * bounds.maxStates + (1 << 20), Math.floor(memoryBytes / (4 * (arity + 1) + 16))));
    this.visitedBuffers = SharedVisited.buffers(arity, capacity, writers);
    this.visited = new SharedVisited(this.visitedBuffers);
    this.settings = {
      symmetry: opts.symmetry,
      deadRegisters: opts.deadRegisters,
      maxDepth: bounds.maxDepth,
      maxStates: bounds.maxStates,
      memoryBytes,
      deadline: Date.now() + bounds.maxSeconds * 1000,
    };
    const cancel = opts.cancel;
    this.here = new SharedSearcher(
      world,
      { ...this.settings, cancelled: cancel ? () => cancel.cancelled : undefined, heapUsed: () => process.memoryUsage().heapUsed },
      this.visited,
      tables,
      teamBuffers(1),
      this.stats,
      0,
      1,
      writer,
    );
    this.here.seed();
  }

  /** Tells the caller's onProgress that level `depth` has begun. */
  progress = (depth: number): void => {
    if (!this.opts.onProgress) return;
    const f = searchFigures(this.stats);
    const ms = performance.now() - this.started;
    this.opts.onProgress({ states: f.stored, transitions: f.transitions, depth, elapsedMs: ms, statesPerSecond: (f.stored * 1000) / Math.max(1, ms) });
  };

  /** One level on this thread alone; its decision (Stop.None: expanded). */
  level(depth: number): Stop {
    const stop = this.here.level(depth, [this.writer]);
    if (stop === Stop.None) this.progress(depth + 1);
    return stop;
  }

  result(
    verdict: ExplorationResult['verdict'],
    boundHit: BoundName | null,
    counterexample: Counterexample | null,
    met: readonly (readonly ModelBoundMet[])[] = [],
  ): ExplorationResult {
    const f = searchFigures(this.stats);
    if (this.opts.stats) this.opts.stats.bytes = this.here.keptBytes();
    const modelBounds = mergeModelBounds([this.here.m.boundsMet, ...met]);
    return {
      verdict,
      boundHit,
      statesStored: f.stored,
      transitions: f.transitions,
      schedules: f.endStates,
      maxDepth: f.maxDepth,
      elapsedMs: Math.round(performance.now() - this.started),
      reductions: this.here.reductions,
      counterexample,
      ...(modelBounds.length > 0 ? { modelBounds } : {}),
    };
  }

  /**
   * The result of a team that stopped: `leader`'s decision at the start of level `leader.depth`;
   * `writers(level)`: the writers whose lists hold a level's heads.
   */
  finish(
    leader: SearcherReport,
    reports: readonly SearcherReport[],
    writers: (level: number) => readonly number[],
    met: readonly (readonly ModelBoundMet[])[] = [],
  ): ExplorationResult {
    const depthBound = [leader, ...reports].some((r) => r.depthBounded) ? 'depth' : null;
    switch (leader.stop) {
      case Stop.Done:
        return this.result(depthBound ? 'inconclusive' : 'holds', depthBound, null, met);
      case Stop.Violation: {
        // found while expanding the level before the one whose start stopped the team
        const v = this.shortest([leader, ...reports], leader.depth - 1, writers(leader.depth - 1));
        return this.result('violated', depthBound, this.counterexample(v), met);
      }
      case Stop.Failed:
        throw new Error([leader, ...reports].find((r) => r.failure !== null)?.failure ?? 'a search thread failed');
      default:
        return this.result('inconclusive', boundName(leader.stop), null, met);
    }
  }

  /** The shortest violation the threads found at level `depth`: an end state breaks at this depth, a step one later. */
  private shortest(reports: readonly SearcherReport[], depth: number, writers: readonly number[]): FoundViolation {
    const found = reports.map((r) => r.violation).filter((v): v is FoundViolation => v !== null);
    const end = found.find((v) => v.step === null);
    if (end) return end;
    // only steps broke an invariant: a head of the level left unexpanded may be an end state that breaks one
    const heads = this.visited.heads(depth & 1, writers);
    const here = this.here;
    for (let r = 0; r < heads.starts.length; r++) {
      const e = firstBrokenEndState(here.m, (id, v) => here.read(id, v), heads.starts[r], heads.ends[r]);
      if (e) return { id: e.id, step: null, invariant: e.invariant, message: e.message };
    }
    return found[0];
  }

  private counterexample(v: FoundViolation): Counterexample {
    const here = this.here;
    const path: Int32Array[] = [];
    for (let id = v.id; ;) {
      const parent = this.visited.parentOf(id);
      if (parent < 0) break;
      path.push(here.read(id, new Int32Array(here.m.layout.size)));
      id = parent;
    }
    path.reverse();
    return counterexampleAlong(here.m, here.canon, path, v.step, v.invariant, v.step ? undefined : v.message);
  }
}

/**
 * The shared-set search on this thread alone, to its end: the code every worker runs, as a team
 * of one (what exploreParallel runs while its workers load). The same states, transitions,
 * verdict and counterexample length as `explore` without partial order; synchronous, for the
 * specs and the reductions fuzz, which hold the search to the references without threads.
 */
export function exploreSharedAlone(world: World, opts: ExploreOptions = {}): ExplorationResult {
  const search = new SharedSearch(world, opts, { ...DEFAULT_BOUNDS, ...opts.bounds }, 1, 0);
  for (let depth = 0; ; depth++) {
    const stop = search.level(depth);
    if (stop !== Stop.None) return search.finish(search.here.report(depth, stop), [], () => [0]);
  }
}

/**
 * Exhaustive breadth-first search on `workers` threads sharing one visited set: the same states,
 * transitions, verdict and counterexample length as `explore`. The caller (exploreParallel) has
 * checked that the world may be searched in parallel.
 */
export async function exploreShared(world: World, opts: ParallelOptions, bounds: Bounds): Promise<ExplorationResult & { workers: number }> {
  const W = Math.max(1, Math.floor(opts.workers));
  // this thread writes as writer W, after the workers
  const search = new SharedSearch(world, opts, bounds, W + 1, W);
  const launch = (): Workers =>
    new Workers(
      {
        entry: opts.entry ?? builtModule('shared-worker.js'),
        world,
        settings: search.settings,
        workers: W,
        visited: search.visitedBuffers,
        tables: search.tableBuffers,
        stats: search.stats,
        caller: W,
      },
      Math.max(64, Math.floor(bounds.maxMemoryMB / W)),
      search.progress,
    );
  const first = opts.sequentialFirst ?? 50_000;
  let depth = 0;
  let team: Workers | null = null;
  // the levels on this thread: until the workers have loaded (or to the end, should one fail to load)
  try {
    for (; ; depth++) {
      if (team === null && (first === 0 || searchFigures(search.stats).stored >= first || performance.now() - search.started >= FIRST_MS)) team = launch();
      // searched from the initial state by the workers alone: wait for them to load
      while (first === 0 && team !== null && team.failure === null && team.loaded < W) await team.changed();
      if (team !== null && team.failure === null && team.loaded === W) break;
      const stop = search.level(depth);
      if (stop !== Stop.None) {
        await team?.close();
        return { ...search.finish(search.here.report(depth, stop), [], () => [W]), workers: 1 };
      }
      // the workers' messages (that they have loaded) are read between levels
      if (team !== null) await new Promise((resolve) => setImmediate(resolve));
    }
  } catch (e) {
    await (team as Workers | null)?.close();
    throw e;
  }
  const workers: Workers = team;
  const handedAt = depth;
  if (opts.cancel?.cancelled) workers.stop(Stop.Cancelled);
  workers.start(depth);
  const poll = setInterval(() => opts.cancel?.cancelled && workers.stop(Stop.Cancelled), CANCEL_POLL_MS);
  try {
    while (!workers.finished && workers.failure === null) await workers.changed();
    if (workers.failure !== null) {
      if (workers.failure.memory) return { ...search.result('inconclusive', 'memory', null), workers: W };
      throw new Error(workers.failure.message);
    }
    const reports = workers.done.map((d) => d!.report);
    const all = Array.from({ length: W }, (_, i) => i);
    const result = search.finish(
      reports[0],
      reports,
      (level) => (level === handedAt ? [...all, W] : level > handedAt ? all : [W]),
      workers.done.map((d) => d!.bounds),
    );
    return { ...result, workers: W };
  } finally {
    clearInterval(poll);
    await workers.close();
  }
}

function boundName(stop: Stop): BoundName {
  switch (stop) {
    case Stop.Time:
      return 'time';
    case Stop.Cancelled:
      return 'cancelled';
    case Stop.States:
      return 'states';
    default:
      return 'memory';
  }
}
