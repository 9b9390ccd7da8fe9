import {
  auditIdOf,
  runIdOf,
  type AuditCompleted,
  type AuditRequested,
  type CounterexampleFound,
  type RecordedEvent,
  type RunCompleted,
  type RunStarted,
} from '@mmreplay/events';

// The run and audit catalogues: a read model folded from the log alone. `foldCatalogue` is its
// evolve(rows, event); the rows live in an indexed table (RunIndex), never in a list in memory, so
// neither a request nor a save costs anything that grows with the number of runs. Folding the same
// events always gives the same rows, so a rebuild from scratch reproduces them.

/** Version of the catalogue's tables: tables of another version are emptied and rebuilt from the log. */
export const CATALOGUE_VERSION = 3;

/** The event types the catalogue reads; everything else in the log passes it by. */
export const CATALOGUE_EVENT_TYPES = ['RunStarted', 'RunCompleted', 'AuditRequested', 'CounterexampleFound', 'AuditCompleted'] as const;

export interface RunEntry {
  runId: string;
  team: string;
  scenario: string;
  params: RunStarted['params'];
  variant: string | null;
  /** content hash of the exact model (scenario, parameters and variant) the run executed */
  modelHash: string;
  strategy: string;
  seed: number | string;
  author: string;
  status: 'running' | 'completed';
  outcome: RunCompleted['outcome'] | null;
  violation: RunCompleted['violation'];
  steps: number | null;
  schedule: string | null;
  /** why a `failed` run failed */
  reason?: string | null;
  createdAt: string;
  completedAt: string | null;
  /** audits that found this run as a counterexample */
  counterexampleOf: string[];
  /** the log position of its RunStarted (decimal): the order of the listing, the same in every instance */
  position?: string;
}

export interface AuditEntry {
  auditId: string;
  team: string;
  scenario: string;
  params: AuditRequested['params'];
  variant: string | null;
  modelHash: string;
  mode: string;
  invariants: string[];
  author: string;
  status: 'running' | 'completed';
  verdict: AuditCompleted['verdict'] | null;
  createdAt: string;
  completedAt: string | null;
  /** runs materialising the counterexamples it found */
  counterexamples: string[];
}

/** Where the catalogue's rows are kept (RunIndex): keyed reads and writes, each O(1) or O(log runs). */
export interface CatalogueRows {
  run(runId: string): RunEntry | undefined;
  /** adds or replaces a run (its `position`, the RunStarted's, orders the listing) */
  putRun(run: RunEntry): void;
  audit(auditId: string): AuditEntry | undefined;
  /** adds or replaces an audit (`position`, its AuditRequested's, orders the listing when it is new) */
  putAudit(audit: AuditEntry, position: bigint): void;
  /** records that the audit found the run as a counterexample; false if it was known */
  addLink(auditId: string, runId: string, position: bigint): boolean;
  /** the audits that found the run as a counterexample, in the order they did */
  auditsLinking(runId: string): string[];
}

/** Folds one event into the rows; returns the run it changed, if any (and whether anything changed). */
export function foldCatalogue(rows: CatalogueRows, event: RecordedEvent): { changed: boolean; runId?: string } {
  const at = String(event.metadata.recordedAt ?? '');
  switch (event.type) {
    case 'RunStarted': {
      const d = event.data as RunStarted;
      const runId = runIdOf(event.streamId) ?? d.runId;
      if (rows.run(runId)) return { changed: false };
      rows.putRun({
        runId,
        team: d.team,
        scenario: d.scenario,
        params: d.params,
        variant: d.variant,
        modelHash: d.modelHash,
        strategy: d.strategy,
        seed: d.seed,
        author: d.actor,
        status: 'running',
        outcome: null,
        violation: null,
        steps: null,
        schedule: null,
        createdAt: at,
        completedAt: null,
        // audits that linked the run before it was recorded
        counterexampleOf: rows.auditsLinking(runId),
        position: String(event.position),
      });
      return { changed: true, runId };
    }
    case 'RunCompleted': {
      const run = rows.run(runIdOf(event.streamId) ?? '');
      if (!run) return { changed: false };
      const d = event.data as RunCompleted;
      rows.putRun({
        ...run,
        status: 'completed',
        outcome: d.outcome,
        violation: d.violation,
        steps: d.steps,
        schedule: d.schedule,
        completedAt: at,
        ...(d.reason !== undefined ? { reason: d.reason } : {}),
      });
      return { changed: true, runId: run.runId };
    }
    case 'AuditRequested': {
      const d = event.data as AuditRequested;
      const auditId = auditIdOf(event.streamId) ?? d.auditId;
      if (rows.audit(auditId)) return { changed: false };
      rows.putAudit(
        {
          auditId,
          team: d.team,
          scenario: d.scenario,
          params: d.params,
          variant: d.variant,
          modelHash: d.modelHash,
          mode: d.mode,
          invariants: d.invariants,
          author: d.actor,
          status: 'running',
          verdict: null,
          createdAt: at,
          completedAt: null,
          counterexamples: [],
        },
        event.position,
      );
      return { changed: true };
    }
    case 'CounterexampleFound': {
      const audit = rows.audit(auditIdOf(event.streamId) ?? '');
      if (!audit) return { changed: false };
      const runId = (event.data as CounterexampleFound).runId;
      link(rows, audit, runId, event.position);
      return { changed: true, runId };
    }
    case 'AuditCompleted': {
      const audit = rows.audit(auditIdOf(event.streamId) ?? '');
      if (!audit) return { changed: false };
      const d = event.data as AuditCompleted;
      const completed: AuditEntry = { ...audit, status: 'completed', verdict: d.verdict, completedAt: at };
      if (d.counterexample) link(rows, completed, d.counterexample.runId, event.position);
      else rows.putAudit(completed, event.position);
      return { changed: true, runId: d.counterexample?.runId };
    }
    default:
      return { changed: false };
  }
}

function link(rows: CatalogueRows, audit: AuditEntry, runId: string, position: bigint): void {
  rows.addLink(audit.auditId, runId, position);
  rows.putAudit(audit.counterexamples.includes(runId) ? audit : { ...audit, counterexamples: [...audit.counterexamples, runId] }, position);
  const run = rows.run(runId);
  if (run && !run.counterexampleOf.includes(audit.auditId)) rows.putRun({ ...run, counterexampleOf: [...run.counterexampleOf, audit.auditId] });
}
