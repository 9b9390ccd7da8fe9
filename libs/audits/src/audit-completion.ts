import type { AuditResult } from '@mmreplay/explorer';
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
    verdict: 'inconclusive',
    boundHit: true,
    bound: 'cancelled',
    statesStored: p?.states ?? 0,
    transitions: p?.transitions ?? 0,
    schedules: 0,
    maxDepth: p?.depth ?? 0,
    elapsedMs: p?.elapsedMs ?? 0,
    reductions: [],
    pctBound: null,
    sampling: null,
    summary: `inconclusive: ${stopped} before a verdict, after ${(p?.states ?? 0).toLocaleString('en-US')} states; nothing is claimed about ${view.invariants.join(', ')}`,
    counterexample: null,
    stopped,
    error: null,
  };
}
