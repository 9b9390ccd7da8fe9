import type { MemoryModelName, Variant } from '@mmreplay/model';
import type { ModelBoundMet } from '@mmreplay/engine';
import { comparisonConclusion, type Approximation, type AuditStrategy, type BoundName, type SamplingScope } from '@mmreplay/explorer';
import type { AuditCompleted, AuditProgressed, AuditRequested, CounterexampleFound, JsonObject, RecordedEvent } from '@mmreplay/events';

// The audit read model: a pure fold of one `audit-<id>` stream. The events of `@mmreplay/events`
// carry what the catalogue needs; the audit service adds fields to their data (a reader that does
// not know them passes them by) and one event of its own, `AuditCancelRequested`.

export const AUDIT_CANCEL_REQUESTED = 'AuditCancelRequested';

export type { AuditStrategy };
/** Why an audit stopped before its verdict: cancelled by a member, by a server shutdown, found unfinished at start, or failed. */
export type AuditStop = 'cancelled' | 'shutdown' | 'interrupted' | 'failed';
export type AuditStatus = 'running' | 'completed' | 'cancelled' | 'interrupted' | 'failed';

/** `AuditRequested` as the audit service writes it. */
export interface AuditRequestedData extends AuditRequested {
  strategy: AuditStrategy;
  /** the variant object when one was submitted (null for a named variant or the kernel protocol) */
  variantSpec: JsonObject | null;
  /** the effective request the explorer ran (bounds after the server's caps) */
  request: JsonObject;
  comparison: { id: string; role: 'baseline' | 'fix' } | null;
  /** the memory model of the exact model audited (absent in audits recorded before it was) */
  memoryModel?: MemoryModelName;
}

export interface CounterexampleData extends CounterexampleFound {
  thread: string;
  message: string;
}

/** `AuditCompleted` as the audit service writes it. */
export interface AuditCompletedData extends AuditCompleted {
  /** which bound stopped the exploration (`boundHit` says only whether one did) */
  bound: BoundName | null;
  maxDepth: number;
  pctBound: number | null;
  stopped: AuditStop | null;
  error: string | null;
  counterexample: CounterexampleData | null;
  /** what was checked and what the verdict means, in words (absent in older audits) */
  summary?: string;
  /** sampling: the runs done and PCT's probability bound */
  sampling?: SamplingScope | null;
  /** an approximate search: its method, table and the probability that a state was missed (absent in older audits) */
  approximate?: Approximation | null;
  /** tso/lkmm: the engine's bounds on weak-memory state that held a thread back (absent when none did, and in older audits) */
  modelBounds?: readonly ModelBoundMet[];
}

export interface AuditCancelRequested {
  auditId: string;
  reason: string;
}

export interface AuditView {
  auditId: string;
  team: string;
  author: string;
  createdAt: string;
  scenario: string;
  /** the scenario document the audit ran (a published or inline one), null for a built-in */
  document: JsonObject | null;
  params: AuditRequested['params'];
  /** `kernel`, a named variant, or the submitted variant's name (`custom` when it has none) */
  variant: string;
  variantSpec: Variant | null;
  /** the invariants checked */
  invariants: string[];
  /** the memory model of the relaxed accesses (null: an audit recorded before this was kept) */
  memoryModel: MemoryModelName | null;
  /** the reductions the request switched off (the result lists those used) */
  reductionsOff: string[];
  strategy: AuditStrategy;
  bounds: JsonObject;
  modelHash: string;
  comparison: { id: string; role: 'baseline' | 'fix' } | null;
  status: AuditStatus;
  progress: AuditProgressed | null;
  verdict: AuditCompleted['verdict'] | null;
  result: {
    boundHit: boolean;
    bound: BoundName | null;
    statesStored: number;
    transitions: number;
    schedules: number;
    maxDepth: number;
    elapsedMs: number;
    reductions: string[];
    pctBound: number | null;
    sampling: SamplingScope | null;
    /** an approximate search (bitstate, hash compaction): a `holds` is approximate, with the probability that a state was missed */
    approximate: Approximation | null;
    /** tso/lkmm: the engine's own bounds that held a thread back: executions beyond them were not searched (empty when none did) */
    modelBounds: ModelBoundMet[];
    /** what was checked and what the verdict means, in words */
    summary: string | null;
  } | null;
  counterexample: CounterexampleData | null;
  cancelledBy: string | null;
  error: string | null;
  completedAt: string | null;
  /** revision of the audit's stream */
  revision: bigint;
}

/** Folds one event of an audit stream into its view (a new view on `AuditRequested`). */
export function evolveAudit(view: AuditView | undefined, event: Pick<RecordedEvent, 'type' | 'data' | 'metadata' | 'revision'>): AuditView | undefined {
  const at = String(event.metadata.recordedAt ?? '');
  if (event.type === 'AuditRequested') {
    const d = event.data as AuditRequestedData;
    return {
      auditId: d.auditId,
      team: d.team,
      author: d.actor,
      createdAt: at,
      scenario: d.scenario,
      document: (d.request?.document as JsonObject | undefined) ?? null,
      params: d.params,
      variant: d.variant ?? 'kernel',
      variantSpec: (d.variantSpec as Variant | null) ?? null,
      invariants: d.invariants,
      memoryModel: d.memoryModel ?? null,
      reductionsOff: reductionsOffIn(d.request),
      strategy: d.strategy ?? (d.mode === 'exhaustive' ? 'exhaustive' : 'pct'),
      bounds: (d.request?.bounds as JsonObject | undefined) ?? (d.bounds as JsonObject),
      modelHash: d.modelHash,
      comparison: d.comparison ?? null,
      status: 'running',
      progress: null,
      verdict: null,
      result: null,
      counterexample: null,
      cancelledBy: null,
      error: null,
      completedAt: null,
      revision: event.revision,
    };
  }
  if (!view) return view;
  const next: AuditView = { ...view, revision: event.revision };
  switch (event.type) {
    case 'AuditProgressed':
      next.progress = { ...(event.data as AuditProgressed) };
      break;
    case 'CounterexampleFound':
      next.counterexample = { thread: '', message: '', ...(event.data as CounterexampleFound) };
      break;
    case AUDIT_CANCEL_REQUESTED:
      next.cancelledBy = String(event.metadata.actor ?? 'unknown');
      break;
    case 'AuditCompleted': {
      const d = event.data as AuditCompletedData;
      next.verdict = d.verdict;
      next.status = statusOf(d.stopped ?? null);
      next.error = d.error ?? null;
      next.completedAt = at;
      next.result = {
        boundHit: d.boundHit,
        bound: d.bound ?? null,
        statesStored: d.statesStored,
        transitions: d.transitions,
        schedules: d.schedules,
        maxDepth: d.maxDepth ?? 0,
        elapsedMs: d.elapsedMs,
        reductions: d.reductions,
        pctBound: d.pctBound ?? null,
        sampling: d.sampling ?? null,
        approximate: d.approximate ?? null,
        modelBounds: [...(d.modelBounds ?? [])],
        summary: d.summary ?? null,
      };
      if (d.counterexample) next.counterexample = { ...d.counterexample };
      break;
    }
  }
  return next;
}

/** The reductions an `AuditRequested`'s effective request switched off. */
function reductionsOffIn(request: JsonObject | undefined): string[] {
  const r = (request?.reductions ?? {}) as { symmetry?: boolean; partialOrder?: boolean; deadRegisters?: boolean };
  return [
    ...(r.symmetry === false ? ['symmetry'] : []),
    ...(r.partialOrder === false ? ['partial-order'] : []),
    ...(r.deadRegisters === false ? ['dead-registers'] : []),
  ];
}

function statusOf(stopped: AuditStop | null): AuditStatus {
  switch (stopped) {
    case null:
      return 'completed';
    case 'cancelled':
      return 'cancelled';
    case 'failed':
      return 'failed';
    default:
      return 'interrupted';
  }
}

/** A baseline and a fix audited side by side, and what the pair says. */
export interface ComparisonView {
  comparisonId: string;
  team: string;
  baseline: AuditView;
  fix: AuditView;
  status: 'running' | 'completed' | 'stopped';
  /** in words, once both verdicts are in */
  conclusion: string | null;
}

export function compareViews(comparisonId: string, baseline: AuditView, fix: AuditView): ComparisonView {
  const done = (v: AuditView) => v.status !== 'running';
  const status = !done(baseline) || !done(fix) ? 'running' : baseline.status === 'completed' && fix.status === 'completed' ? 'completed' : 'stopped';
  let conclusion: string | null = null;
  if (status === 'completed') {
    // One wording for the API and `mmreplay compare` (libs/explorer).
    const side = (v: AuditView) => ({
      variant: v.variant,
      verdict: v.verdict ?? 'inconclusive',
      boundHit: v.result?.boundHit ? (v.result.bound ?? 'states') : null,
    });
    conclusion = comparisonConclusion(side(baseline), side(fix));
  }
  return { comparisonId, team: baseline.team, baseline, fix, status, conclusion };
}
