import { describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { exploreParallel } from './parallel.js';
import { summariseTimings, type LevelTiming, type ParallelTiming } from './parallel-timing.js';

// ParallelOptions.onTiming and its summary (bench/explorer-levels.js): a worker's share of each
// level's wall time is split into running and the kinds of waiting, which must add up to it.

const level = (depth: number, wallMs: number, workers: Partial<LevelTiming['workers'][number]>[]): LevelTiming => ({
  kind: 'level',
  depth,
  serialMs: 0.5,
  wallMs,
  workers: workers.map((w) => ({ frontier: 0, startMs: 0, expandedMs: 0, postedMs: 0, doneMs: 0, busyMs: 0, expandBusyMs: 0, gave: 0, took: 0, ...w })),
});

describe('summariseTimings', () => {
  it('splits each worker’s wall time into busy, late, blocked, tail, reply and barrier, summed over the levels', () => {
    const timings: ParallelTiming[] = [
      { kind: 'start', sequentialMs: 5, setupMs: 6, readyMs: [20, 30] },
      // worker 0: reached at 1, expanded by 8 having run 6 of those 7 ms, ran 1 more, posted at 10, report in at 11; level ends at 15
      level(0, 15, [
        { startMs: 1, expandedMs: 8, expandBusyMs: 6, busyMs: 7, postedMs: 10, doneMs: 11 },
        { startMs: 2, expandedMs: 14, expandBusyMs: 12, busyMs: 12, postedMs: 14, doneMs: 15 },
      ]),
      level(1, 4, [
        { startMs: 0, expandedMs: 4, expandBusyMs: 4, busyMs: 4, postedMs: 4, doneMs: 4 },
        { startMs: 1, expandedMs: 2, expandBusyMs: 1, busyMs: 1, postedMs: 3, doneMs: 3 },
      ]),
    ];
    const s = summariseTimings(timings);
    expect(s).toMatchObject({ levels: 2, startMs: 30, serialMs: 1, levelsMs: 19 });
    expect(s.workers[0]).toEqual({ busyMs: 11, lateMs: 1, blockedMs: 1, tailMs: 1, replyMs: 1, barrierMs: 4 });
    expect(s.workers[1]).toEqual({ busyMs: 13, lateMs: 3, blockedMs: 0, tailMs: 1, replyMs: 1, barrierMs: 1 });
    for (const w of s.workers) expect(w.busyMs + w.lateMs + w.blockedMs + w.tailMs + w.replyMs + w.barrierMs).toBe(s.levelsMs);
  });

  it('a search that ended before its first level, or with no timings at all: the start alone, or nothing', () => {
    const zero = { busyMs: 0, lateMs: 0, blockedMs: 0, tailMs: 0, replyMs: 0, barrierMs: 0 };
    expect(summariseTimings([{ kind: 'start', sequentialMs: 1, setupMs: 2, readyMs: [4, 9, 3] }])).toEqual({
      levels: 0,
      startMs: 9,
      serialMs: 0,
      levelsMs: 0,
      workers: [zero, zero, zero],
    });
    expect(summariseTimings([])).toEqual({ levels: 0, startMs: 0, serialMs: 0, levelsMs: 0, workers: [] });
    // the start is found wherever it is in the list
    const s = summariseTimings([level(0, 3, [{ doneMs: 3 }]), { kind: 'start', sequentialMs: 0, setupMs: 0, readyMs: [7] }]);
    expect(s).toMatchObject({ levels: 1, startMs: 7, levelsMs: 3 });
  });

  it('a search on workers reports its start and every level once, each worker’s parts adding up to the levels’ wall time', async () => {
    const world = resolveModel({ scenario: 'seed', params: { ptes: 3, faults: 3 } }).world;
    const timings: ParallelTiming[] = [];
    const r = await exploreParallel(world, { algorithm: 'partitions', workers: 2, sequentialFirst: 0, onOneThread: true, onTiming: (t) => timings.push(t) });
    expect(timings[0].kind).toBe('start');
    const levels = timings.filter((t): t is LevelTiming => t.kind === 'level');
    expect(levels.map((l) => l.depth)).toEqual(Array.from({ length: r.maxDepth + 1 }, (_, i) => i));
    const s = summariseTimings(timings);
    for (const w of s.workers) {
      expect(w.busyMs).toBeGreaterThan(0);
      expect(w.busyMs + w.lateMs + w.blockedMs + w.tailMs + w.replyMs + w.barrierMs).toBeCloseTo(s.levelsMs, 6);
    }
    // the timings are reported in order on one clock: a worker starts a level after it is posted and reports before it ends
    for (const l of levels)
      for (const w of l.workers) expect([w.startMs <= w.expandedMs, w.expandedMs <= w.postedMs, w.doneMs <= l.wallMs]).toEqual([true, true, true]);
  });
});
