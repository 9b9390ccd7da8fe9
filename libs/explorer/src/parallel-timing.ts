// Where a parallel search's wall time goes (issue 15): with two workers the search spends more
// wall time than its CPU time divided by two, and these figures say where: starting up, the
// coordinator's own work between levels, and per level each worker's busy time against the time
// it waited (for the level to reach it, for another worker's batches or end of level, for the
// slowest worker). Reported through ParallelOptions.onTiming, for bench/explorer-levels.js; the
// search itself never reads them.

/** Start-up, in ms from the call of exploreParallel. */
export interface StartTiming {
  readonly kind: 'start';
  /** the search's first levels on the calling thread, handed to the workers once they had loaded (ParallelOptions.sequentialFirst) */
  readonly sequentialMs: number;
  /** until every worker had been created (the shared tables, the rings, the threads) */
  readonly setupMs: number;
  /** until each worker reported its partition seeded, or the first levels' states adopted */
  readonly readyMs: readonly number[];
}

/** One worker's part of one level, in ms from the coordinator's posting of the level. */
export interface WorkerLevelTiming {
  /** states of the level this worker expanded */
  readonly frontier: number;
  /** until the worker began the level (the message's way to it, and its thread's queue) */
  readonly startMs: number;
  /** until it had nothing more to expand, of its own heads or given ones (it then only sends, receives and waits) */
  readonly expandedMs: number;
  /** until it posted its report */
  readonly postedMs: number;
  /** until its report reached the coordinator */
  readonly doneMs: number;
  /** time it ran the level's code: expanding, storing what the others sent, writing to them */
  readonly busyMs: number;
  /** of busyMs, the part before expandedMs */
  readonly expandBusyMs: number;
  /** heads of its own it gave to others, and heads of others' it was given and expanded (parallel-gifts.ts) */
  readonly gave: number;
  readonly took: number;
}

/** One level: its wall time is the slowest worker's doneMs. */
export interface LevelTiming {
  readonly kind: 'level';
  readonly depth: number;
  /** the coordinator's own work from the previous level's last report to posting this one */
  readonly serialMs: number;
  readonly wallMs: number;
  readonly workers: readonly WorkerLevelTiming[];
}

export type ParallelTiming = StartTiming | LevelTiming;

/** A whole search's timings, summed: where each worker's share of the wall time went. */
export interface TimingSummary {
  readonly levels: number;
  readonly startMs: number;
  readonly serialMs: number;
  /** the levels' wall time, summed */
  readonly levelsMs: number;
  readonly workers: readonly {
    readonly busyMs: number;
    /** waiting for a level to reach it */
    readonly lateMs: number;
    /** waiting before it had nothing more to expand: a full ring, or an ask for heads not yet answered (parallel-gifts.ts) */
    readonly blockedMs: number;
    /** after it had nothing more to expand: waiting for the others' batches and ends of level */
    readonly tailMs: number;
    /** its report's way to the coordinator */
    readonly replyMs: number;
    /** after its report reached the coordinator: waiting for the slowest worker */
    readonly barrierMs: number;
  }[];
}

/** Sums a search's timings (the 'start' one and every 'level' one). */
export function summariseTimings(timings: readonly ParallelTiming[]): TimingSummary {
  const start = timings.find((t): t is StartTiming => t.kind === 'start');
  const levels = timings.filter((t): t is LevelTiming => t.kind === 'level');
  const W = levels[0]?.workers.length ?? start?.readyMs.length ?? 0;
  const sum = (f: (l: LevelTiming) => number) => levels.reduce((a, l) => a + f(l), 0);
  const workers = Array.from({ length: W }, (_, i) => ({
    busyMs: sum((l) => l.workers[i].busyMs),
    lateMs: sum((l) => l.workers[i].startMs),
    blockedMs: sum((l) => l.workers[i].expandedMs - l.workers[i].startMs - l.workers[i].expandBusyMs),
    tailMs: sum((l) => l.workers[i].postedMs - l.workers[i].expandedMs - (l.workers[i].busyMs - l.workers[i].expandBusyMs)),
    replyMs: sum((l) => l.workers[i].doneMs - l.workers[i].postedMs),
    barrierMs: sum((l) => l.wallMs - l.workers[i].doneMs),
  }));
  return {
    levels: levels.length,
    startMs: start ? Math.max(0, ...start.readyMs) : 0,
    serialMs: sum((l) => l.serialMs),
    levelsMs: sum((l) => l.wallMs),
    workers,
  };
}
