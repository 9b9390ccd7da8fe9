import { stoppedExploration, type AuditResult, type Counterexample } from '@mmreplay/explorer';
import type { AuditProgressed } from '@mmreplay/events';
import type { AuditCompletedData, AuditStop, AuditView, CounterexampleData } from './audit-view.js';

// The `AuditCompleted` an audit ends with: from the explorer's result, or, for an audit that
// stopped without one (cancelled elsewhere, shut down, orphaned, failed), from its last progress.

/** The completion of an audit the explorer finished (`stopped`: why a cancelled search was cancelled). */
export function completedData(result: AuditResult, counterexample: CounterexampleData | null, stopped: AuditStop | null): AuditCompletedData {
  return {
    verdict: result.verdict,
    boundHit: result.boundHit !== null,
    bound: result.boundHit,
    statesStored: result.statesStored,
    transitions: result.transitions,
    schedules: result.schedules,
    maxDepth: result.maxDepth,
    elapsedMs: Math.round(result.elapsedMs),
    reductions: [...result.reductions],
    pctBound: result.pctBound,
    sampling: result.sampling,
    approximate: result.approximate ?? null,
    ...(result.modelBounds?.length ? { modelBounds: [...result.modelBounds] } : {}),
    summary: stopped ? `inconclusive: ${stopped} before a verdict; ${result.summary}` : result.summary,
    counterexample,
    stopped,
    error: null,
  };
}

/** The completion of an audit that stopped without a result of its own. */
export function stoppedResult(view: AuditView, stopped: AuditStop): AuditCompletedData {
  const p = view.progress;
  return {
    ...stoppedExploration(p, 'cancelled'),
    boundHit: true,
    bound: 'cancelled',
    summary: `inconclusive: ${stopped} before a verdict, after ${(p?.states ?? 0).toLocaleString('en-US')} states; nothing is claimed about ${view.invariants.join(', ')}`,
    stopped,
    error: null,
  };
}

/** The completion of an audit whose job failed (no worker, a worker that died). */
export function failedResult(view: AuditView, error: unknown): AuditCompletedData {
  return { ...stoppedResult(view, 'failed'), error: error instanceof Error ? error.message : String(error) };
}

/** The last `AuditProgressed`: the result's own counts. */
export function finalProgress(result: AuditResult): AuditProgressed {
  return { states: result.statesStored, transitions: result.transitions, depth: result.maxDepth, elapsedMs: Math.round(result.elapsedMs) };
}

/** The `CounterexampleFound` of a counterexample, naming the run that replays it. */
export function counterexampleData(runId: string, ce: Counterexample): CounterexampleData {
  return { runId, schedule: ce.schedule, length: ce.length, invariant: ce.invariant, step: ce.step, thread: ce.thread, message: ce.message };
}
