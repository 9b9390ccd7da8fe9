import {
  auditIdOf,
  runIdOf,
  type AuditCompleted,
  type AuditRequested,
  type CounterexampleFound,
  type JsonValue,
  type RecordedEvent,
  type RunCompleted,
  type RunStarted,
} from '@mmreplay/events';

// The run and audit catalogues: a read model folded from the log alone (pure: evolve(state, event)).
// Folding the same events always gives the same catalogue, so a rebuild from scratch reproduces it.

/** Version of the catalogue's saved shape: a saved catalogue of another version is rebuilt. */
export const CATALOGUE_VERSION = 2;

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

/** The catalogue as saved: what it has read up to, and its entries in the order they appeared. */
export interface CatalogueState {
  /** global position of the last event folded (decimal), null before the first */
  position: string | null;
  runs: RunEntry[];
  audits: AuditEntry[];
}

export class Catalogue {
  private readonly runs = new Map<string, RunEntry>();
  private readonly audits = new Map<string, AuditEntry>();
  position: bigint | undefined;

  static fromState(state: CatalogueState): Catalogue {
    const c = new Catalogue();
    c.position = state.position === null ? undefined : BigInt(state.position);
    for (const r of state.runs) c.runs.set(r.runId, r);
    for (const a of state.audits) c.audits.set(a.auditId, a);
    return c;
  }

  /** Folds one event; returns whether the catalogue changed. */
  apply(event: RecordedEvent): boolean {
    if (this.position !== undefined && event.position <= this.position) return false;
    this.position = event.position;
    const at = String(event.metadata.recordedAt ?? '');
    switch (event.type) {
      case 'RunStarted': {
        const d = event.data as RunStarted;
        const runId = runIdOf(event.streamId) ?? d.runId;
        if (this.runs.has(runId)) return false;
        this.runs.set(runId, {
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
          counterexampleOf: [...this.auditsLinking(runId)],
          position: String(event.position),
        });
        return true;
      }
      case 'RunCompleted': {
        const run = this.runs.get(runIdOf(event.streamId) ?? '');
        if (!run) return false;
        const d = event.data as RunCompleted;
        Object.assign(run, {
          status: 'completed',
          outcome: d.outcome,
          violation: d.violation,
          steps: d.steps,
          schedule: d.schedule,
          completedAt: at,
          ...(d.reason !== undefined ? { reason: d.reason } : {}),
        });
        return true;
      }
      case 'AuditRequested': {
        const d = event.data as AuditRequested;
        const auditId = auditIdOf(event.streamId) ?? d.auditId;
        if (this.audits.has(auditId)) return false;
        this.audits.set(auditId, {
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
        });
        return true;
      }
      case 'CounterexampleFound': {
        const audit = this.audits.get(auditIdOf(event.streamId) ?? '');
        if (!audit) return false;
        this.link(audit, (event.data as CounterexampleFound).runId);
        return true;
      }
      case 'AuditCompleted': {
        const audit = this.audits.get(auditIdOf(event.streamId) ?? '');
        if (!audit) return false;
        const d = event.data as AuditCompleted;
        Object.assign(audit, { status: 'completed', verdict: d.verdict, completedAt: at });
        if (d.counterexample) this.link(audit, d.counterexample.runId);
        return true;
      }
      default:
        return false;
    }
  }

  private link(audit: AuditEntry, runId: string): void {
    if (!audit.counterexamples.includes(runId)) audit.counterexamples.push(runId);
    const run = this.runs.get(runId);
    if (run && !run.counterexampleOf.includes(audit.auditId)) run.counterexampleOf.push(audit.auditId);
  }

  /** Audits that linked a run before the run itself was recorded. */
  private *auditsLinking(runId: string): Iterable<string> {
    for (const a of this.audits.values()) if (a.counterexamples.includes(runId)) yield a.auditId;
  }

  listRuns(filter: { team?: string } = {}): RunEntry[] {
    return [...this.runs.values()].filter((r) => filter.team === undefined || r.team === filter.team);
  }

  listAudits(filter: { team?: string } = {}): AuditEntry[] {
    return [...this.audits.values()].filter((a) => filter.team === undefined || a.team === filter.team);
  }

  getRun(runId: string): RunEntry | undefined {
    return this.runs.get(runId);
  }

  toState(): CatalogueState {
    return { position: this.position === undefined ? null : String(this.position), runs: [...this.runs.values()], audits: [...this.audits.values()] };
  }

  toJson(): JsonValue {
    return this.toState() as unknown as JsonValue;
  }
}
