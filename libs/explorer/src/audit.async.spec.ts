import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ParallelOptions } from './parallel.js';

// runAuditAsync's choice between the calling thread and the workers, and what it hands the
// workers (issue 20: audit.ts:154-165 survived, since exploreParallel first searches 50,000
// states on the calling thread, so no spec's world ever reached the workers' result). The parallel
// search is replaced by one that records its options and answers with figures of its own; the
// worker search itself is parallel.*.spec's.
const parallelCalls: ParallelOptions[] = [];
vi.mock('./parallel.js', async (original) => ({
  ...(await original<typeof import('./parallel.js')>()),
  exploreParallel: vi.fn(async (_world: unknown, opts: ParallelOptions) => {
    parallelCalls.push(opts);
    return {
      verdict: 'holds',
      boundHit: null,
      statesStored: 4_242,
      transitions: 9_999,
      schedules: 3,
      maxDepth: 17,
      elapsedMs: 5,
      reductions: [],
      counterexample: null,
      workers: opts.workers,
    };
  }),
}));

const { runAudit, runAuditAsync } = await import('./audit.js');

describe('runAuditAsync', () => {
  beforeEach(() => {
    parallelCalls.length = 0;
  });

  it('hands an exhaustive audit on several workers to the parallel search, with its bounds but runs and seed', async () => {
    const cancel = { cancelled: false };
    const onProgress = () => undefined;
    const r = await runAuditAsync(
      { scenario: 'seed', strategy: 'exhaustive', workers: 3, bounds: { maxStates: 777, maxDepth: 55, runs: 9, seed: 4 }, reductions: { symmetry: false } },
      { entry: 'file:///entry.js', onProgress, cancel },
    );
    expect(parallelCalls).toHaveLength(1);
    const opts = parallelCalls[0];
    expect(opts.workers).toBe(3);
    expect(opts.entry).toBe('file:///entry.js');
    expect(opts.bounds).toEqual({ maxStates: 777, maxDepth: 55 });
    expect(opts.symmetry).toBe(false);
    expect(opts.onProgress).toBe(onProgress);
    expect(opts.cancel).toBe(cancel);
    // the parallel search's figures, read as an audit's
    expect(r).toMatchObject({ statesStored: 4_242, transitions: 9_999, workers: 3, pctBound: null, sampling: null, strategy: 'exhaustive' });
    expect(r.summary).toMatch(/^holds: .*exhaustive search on 3 workers, 4,242 states/);
  });

  it('hands it over without bounds too', async () => {
    const r = await runAuditAsync({ scenario: 'seed', strategy: 'exhaustive', workers: 2 });
    expect(parallelCalls).toHaveLength(1);
    expect(parallelCalls[0].bounds).toEqual({});
    expect(r.workers).toBe(2);
  });

  it('keeps one worker, sampling and approximate audits on the calling thread', async () => {
    const seed = { scenario: 'seed', params: { ptes: 2, faults: 2 }, strategy: 'exhaustive' as const, bounds: { maxStates: 2_000 } };
    const one = await runAuditAsync({ ...seed, workers: 1 });
    expect(one.statesStored).toBe(runAudit({ ...seed, workers: 1 }).statesStored);
    expect(one.workers).toBeUndefined();
    await runAuditAsync({ ...seed, workers: 2, approximate: true });
    await runAuditAsync({ scenario: 'seed', params: { ptes: 2, faults: 2 }, strategy: 'random', workers: 2, bounds: { runs: 3, seed: 1 } });
    expect(parallelCalls).toHaveLength(0);
  });
});
