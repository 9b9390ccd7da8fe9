import { Worker } from 'node:worker_threads';
import type { World } from '@mmreplay/model';
import { Machine, mergeModelBounds, type ModelBoundMet } from '@mmreplay/engine';
import { counterexampleAlong, stateComponents, type BoundName, type Counterexample, type ExplorationResult, type ExploreOptions } from './explorer.js';
import { firstBrokenEndState } from './end-state.js';
import { sharedTables } from './parallel-team.js';
import { SharedInternTable } from './shared-intern.js';
import { SharedVisited } from './shared-visited.js';
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
import type { Bounds } from './explorer.js';

// The parallel search on one shared visited set (shared-visited.ts, shared-search.ts): W worker
// threads run the levels together, and this thread only starts them, relays a cancellation and
// builds the result. The search begins here, on this thread alone (a team of one, writing as
// writer W), while the workers load: a search that ends within its first `sequentialFirst` states
// or 100 ms never starts them, and a larger one is handed over at the first level's start after
// they have loaded, with nothing to copy (the visited set is already shared).

export interface SharedSearchOptions extends ExploreOptions {
  readonly workers: number;
  /** the file: URL of a module exporting runSharedThread (the explorer's index.js will do); default this build's shared-worker.js */
  readonly entry?: string;
  /** as ParallelOptions.sequentialFirst: states this thread stores before it starts the workers (or 100 ms); 0: they start at once */
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
 * Exhaustive breadth-first search on `workers` threads sharing one visited set: the same states,
 * transitions, verdict and counterexample length as `explore`. The caller (exploreParallel) has
 * checked that the world may be searched in parallel.
 */
export async function exploreShared(world: World, opts: SharedSearchOptions, bounds: Bounds): Promise<ExplorationResult & { workers: number }> {
  const W = Math.max(1, Math.floor(opts.workers));
  const started = performance.now();
  const deadline = Date.now() + bounds.maxSeconds * 1000;
  const memoryBytes = bounds.maxMemoryMB * 2 ** 20;
  const tableBuffers = sharedTables(world, memoryBytes);
  const tables = tableBuffers.map((b) => new SharedInternTable(b));
  const arity = stateComponents(new Machine(world)).length;
  // the arena holds what the memory bound allows, and past the state bound what a level can add
  const capacity = Math.max(1 << 16, Math.min(2 * bounds.maxStates + (1 << 20), Math.floor(memoryBytes / (4 * (arity + 1) + 16))));
  const visitedBuffers = SharedVisited.buffers(arity, capacity, W + 1);
  const visited = new SharedVisited(visitedBuffers);
  const stats = statsBuffer(W + 1);
  const settings: SearchSettings = {
    symmetry: opts.symmetry,
    deadRegisters: opts.deadRegisters,
    maxDepth: bounds.maxDepth,
    maxStates: bounds.maxStates,
    memoryBytes,
    deadline,
  };
  const cancelled = opts.cancel ? () => opts.cancel!.cancelled : undefined;
  // this thread: a team of one, writer W
  const here = new SharedSearcher(
    world,
    { ...settings, cancelled, heapUsed: () => process.memoryUsage().heapUsed },
    visited,
    tables,
    teamBuffers(1),
    stats,
    0,
    1,
    W,
  );
  here.seed();
  const progress = (depth: number) => {
    if (!opts.onProgress) return;
    const f = searchFigures(stats);
    const ms = performance.now() - started;
    opts.onProgress({ states: f.stored, transitions: f.transitions, depth, elapsedMs: ms, statesPerSecond: (f.stored * 1000) / Math.max(1, ms) });
  };
  const launch = (): Workers =>
    new Workers(
      {
        entry: opts.entry ?? builtModule('shared-worker.js'),
        world,
        settings,
        workers: W,
        visited: visitedBuffers,
        tables: tableBuffers,
        stats,
        caller: W,
      },
      Math.max(64, Math.floor(bounds.maxMemoryMB / W)),
      progress,
    );
  const first = opts.sequentialFirst ?? 50_000;
  let depth = 0;
  let team: Workers | null = null;
  // the levels on this thread: until the workers have loaded (or to the end, should one fail to load)
  try {
    for (; ; depth++) {
      if (team === null && (first === 0 || searchFigures(stats).stored >= first || performance.now() - started >= FIRST_MS)) team = launch();
      // searched from the initial state by the workers alone: wait for them to load
      while (first === 0 && team !== null && team.failure === null && team.loaded < W) await team.changed();
      if (team !== null && team.failure === null && team.loaded === W) break;
      const stop = here.level(depth, [W]);
      if (stop !== Stop.None) {
        await team?.close();
        team = null;
        return finish(here.report(depth, stop), [], () => [W]);
      }
      progress(depth + 1);
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
      if (workers.failure.memory) return result('inconclusive', 'memory', null);
      throw new Error(workers.failure.message);
    }
    const reports = workers.done.map((d) => d!.report);
    const all = Array.from({ length: W }, (_, i) => i);
    return finish(
      reports[0],
      reports,
      (level) => (level === handedAt ? [...all, W] : level > handedAt ? all : [W]),
      workers.done.map((d) => d!.bounds),
    );
  } finally {
    clearInterval(poll);
    await workers.close();
  }

  function result(
    verdict: ExplorationResult['verdict'],
    boundHit: BoundName | null,
    counterexample: Counterexample | null,
    met: readonly (readonly ModelBoundMet[])[] = [],
  ): ExplorationResult & { workers: number } {
    const f = searchFigures(stats);
    const modelBounds = mergeModelBounds([here.m.boundsMet, ...met]);
    return {
      verdict,
      boundHit,
      statesStored: f.stored,
      transitions: f.transitions,
      schedules: f.endStates,
      maxDepth: f.maxDepth,
      elapsedMs: Math.round(performance.now() - started),
      reductions: here.reductions,
      counterexample,
      ...(modelBounds.length > 0 ? { modelBounds } : {}),
      workers: team === null ? 1 : W,
    };
  }

  /**
   * The result of a team that stopped: `leader`'s decision at the start of level `leader.depth`;
   * `writers(level)`: the writers whose lists hold a level's heads.
   */
  function finish(
    leader: SearcherReport,
    reports: readonly SearcherReport[],
    writers: (level: number) => readonly number[],
    met: readonly (readonly ModelBoundMet[])[] = [],
  ) {
    const depthBound = [leader, ...reports].some((r) => r.depthBounded) ? 'depth' : null;
    switch (leader.stop) {
      case Stop.Done:
        return result(depthBound ? 'inconclusive' : 'holds', depthBound, null, met);
      case Stop.Violation:
        // found while expanding the level before the one whose start stopped the team
        return result('violated', depthBound, counterexample(shortest([leader, ...reports], leader.depth - 1, writers(leader.depth - 1))), met);
      case Stop.Failed:
        throw new Error([leader, ...reports].find((r) => r.failure !== null)?.failure ?? 'a search thread failed');
      default:
        return result('inconclusive', boundName(leader.stop), null, met);
    }
  }

  /** The shortest violation the threads found at level `depth`: an end state breaks at this depth, a step one later. */
  function shortest(reports: readonly SearcherReport[], depth: number, writers: readonly number[]): FoundViolation {
    const found = reports.map((r) => r.violation).filter((v): v is FoundViolation => v !== null);
    const end = found.find((v) => v.step === null);
    if (end) return end;
    // only steps broke an invariant: a head of the level left unexpanded may be an end state that breaks one
    const heads = visited.heads(depth & 1, writers);
    for (let r = 0; r < heads.starts.length; r++) {
      const e = firstBrokenEndState(here.m, (id, v) => here.read(id, v), heads.starts[r], heads.ends[r]);
      if (e) return { id: e.id, step: null, invariant: e.invariant, message: e.message };
    }
    return found[0];
  }

  function counterexample(v: FoundViolation): Counterexample {
    const path: Int32Array[] = [];
    for (let id = v.id; ;) {
      const parent = visited.parentOf(id);
      if (parent < 0) break;
      path.push(here.read(id, new Int32Array(here.m.layout.size)));
      id = parent;
    }
    path.reverse();
    return counterexampleAlong(here.m, here.canon, path, v.step, v.invariant, v.step ? undefined : v.message);
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
