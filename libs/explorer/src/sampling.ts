import { makeScheduler, PctScheduler, Runtime, estimateSteps } from '@mmreplay/engine';
import type { World } from '@mmreplay/model';
import type { ExplorationResult } from './explorer.js';

/** What a sampled audit did and guarantees. */
export interface SamplingScope {
  /** runs done (fewer than asked when a bound or a violation stopped it) */
  readonly runs: number;
  /** PCT's bug depth d: the bound is for bugs that need at most d ordering constraints */
  readonly depth: number;
  /** PCT: the guaranteed probability that one run finds a bug of depth d, 1 / (n k^(d-1)); null for random */
  readonly perRun: number | null;
  /** PCT: at least this probability that the runs done find such a bug, 1 - (1 - perRun)^runs; null for random */
  readonly foundProbability: number | null;
}

/** 1 - (1 - p)^runs without losing precision for a tiny p; no run finds nothing, whatever p is. */
export const foundProbability = (p: number, runs: number): number => (runs <= 0 ? 0 : p >= 1 ? 1 : -Math.expm1(runs * Math.log1p(-p)));

export interface SamplingOptions {
  readonly strategy: 'pct' | 'random';
  readonly runs: number;
  readonly seed?: number;
  readonly depth?: number;
  readonly maxSteps?: number;
  readonly maxSeconds?: number;
  readonly cancel?: { readonly cancelled: boolean };
}

/**
 * Non-exhaustive audit: independent PCT or random schedules. A violation is a definite verdict; no
 * violation is only `inconclusive`, with PCT's guaranteed per-run probability of hitting a bug of
 * the given depth reported alongside.
 */
export function sampleAudit(world: World, o: SamplingOptions): ExplorationResult & { pctBound: number | null; sampling: SamplingScope } {
  const started = performance.now();
  const runtime = new Runtime(world);
  const maxSteps = o.maxSteps ?? 1_000_000;
  const depth = o.depth ?? 3;
  const k = estimateSteps(world, maxSteps);
  let transitions = 0;
  let runs = 0;
  let boundHit: ExplorationResult['boundHit'] = null;
  const perRun = o.strategy === 'pct' ? PctScheduler.probabilityBound(world.threads.length, k, depth) : null;
  const scope = (done: number): SamplingScope => ({ runs: done, depth, perRun, foundProbability: perRun === null ? null : foundProbability(perRun, done) });
  for (; runs < o.runs; runs++) {
    if ((runs & 63) === 0 && o.cancel?.cancelled) {
      boundHit = 'cancelled';
      break;
    }
    if ((runs & 63) === 0 && performance.now() - started > (o.maxSeconds ?? 300) * 1000) {
      boundHit = 'time';
      break;
    }
    // PCT's step estimate k is the same for every run: computed once above, not per run.
    const seed = (o.seed ?? 0) + runs;
    const scheduler =
      o.strategy === 'pct' ? new PctScheduler(seed, world.threads.length, depth, k) : makeScheduler({ strategy: o.strategy, seed }, world, maxSteps);
    const r = runtime.run({ scheduler, maxSteps });
    transitions += r.steps;
    // an end state that breaks an invariant the world audits (a deadlock) is a violation, as in the exhaustive search
    if (r.violation && (r.outcome === 'violation' || world.invariants.includes(r.violation.invariant))) {
      return {
        verdict: 'violated',
        boundHit: null,
        statesStored: 0,
        transitions,
        schedules: runs + 1,
        maxDepth: r.steps,
        elapsedMs: Math.round(performance.now() - started),
        reductions: [],
        counterexample: {
          schedule: r.schedule,
          length: r.steps,
          invariant: r.violation.invariant,
          step: r.violation.step,
          thread: r.violation.thread,
          message: r.violation.message,
        },
        pctBound: perRun,
        sampling: scope(runs + 1),
      };
    }
  }
  return {
    verdict: 'inconclusive',
    boundHit,
    statesStored: 0,
    transitions,
    schedules: runs,
    maxDepth: 0,
    elapsedMs: Math.round(performance.now() - started),
    reductions: [],
    counterexample: null,
    pctBound: perRun,
    sampling: scope(runs),
  };
}
