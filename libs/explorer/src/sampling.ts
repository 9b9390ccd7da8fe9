import { makeScheduler, PctScheduler, Runtime, estimateSteps } from '@mmreplay/engine';
import type { World } from '@mmreplay/model';
import type { ExplorationResult } from './explorer.js';

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
export function sampleAudit(world: World, o: SamplingOptions): ExplorationResult & { pctBound: number | null } {
  const started = performance.now();
  const runtime = new Runtime(world);
  const maxSteps = o.maxSteps ?? 1_000_000;
  const depth = o.depth ?? 3;
  const k = estimateSteps(world, maxSteps);
  let transitions = 0;
  let runs = 0;
  let boundHit: ExplorationResult['boundHit'] = null;
  for (; runs < o.runs; runs++) {
    if ((runs & 63) === 0 && o.cancel?.cancelled) {
      boundHit = 'cancelled';
      break;
    }
    if ((runs & 63) === 0 && performance.now() - started > (o.maxSeconds ?? 300) * 1000) {
      boundHit = 'time';
      break;
    }
    const r = runtime.run({ scheduler: makeScheduler({ strategy: o.strategy, seed: (o.seed ?? 0) + runs, depth }, world, maxSteps), maxSteps });
    transitions += r.steps;
    if (r.outcome === 'violation' && r.violation) {
      return {
        verdict: 'violated',
        boundHit: null,
        statesStored: 0,
        transitions,
        schedules: runs + 1,
        maxDepth: r.steps,
        elapsedMs: Math.round(performance.now() - started),
        reductions: [],
        counterexample: { schedule: r.schedule, length: r.steps, invariant: r.violation.invariant, step: r.violation.step, thread: r.violation.thread, message: r.violation.message },
        pctBound: o.strategy === 'pct' ? PctScheduler.probabilityBound(world.threads.length, k, depth) : null,
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
    pctBound: o.strategy === 'pct' ? PctScheduler.probabilityBound(world.threads.length, k, depth) : null,
  };
}
