import type { JsonValue } from './envelope.js';

export const AUDIT_REQUESTED = 'AuditRequested';
export const AUDIT_PROGRESSED = 'AuditProgressed';
export const COUNTEREXAMPLE_FOUND = 'CounterexampleFound';
export const AUDIT_COMPLETED = 'AuditCompleted';

export type AuditMode = 'exhaustive' | 'sampling';

/** Limits of an audit; exploration stops at the first one reached (and says so). */
export interface AuditBounds {
  maxDepth?: number;
  maxStates?: number;
  samples?: number;
  timeLimitMs?: number;
}

/** First event of an `audit-<id>` stream: the hypothesis to check. */
export interface AuditRequested {
  auditId: string;
  scenario: string;
  params: Record<string, JsonValue>;
  /** Protocol variant under audit, or null for the unmodified kernel paths. */
  variant: string | null;
  /** Invariants that must hold in every explored state. */
  invariants: string[];
  mode: AuditMode;
  bounds: AuditBounds;
  modelHash: string;
  actor: string;
  team: string;
}

/** Periodic progress of the exploration. */
export interface AuditProgressed {
  states: number;
  transitions: number;
  depth: number;
  elapsedMs: number;
}

/** A violating interleaving, recorded as its own run (`runId`) with the schedule that replays it. */
export interface CounterexampleFound {
  runId: string;
  schedule: string;
  /** Number of steps of the counterexample. */
  length: number;
  invariant: string;
  /** Step at which the invariant fails. */
  step: number;
}

export type AuditVerdict = 'holds' | 'violated' | 'inconclusive';

/** Last event of an `audit-<id>` stream. */
export interface AuditCompleted {
  verdict: AuditVerdict;
  /** Whether a bound stopped the exploration (then `holds` means "holds within the bound"). */
  boundHit: boolean;
  statesStored: number;
  transitions: number;
  schedules: number;
  elapsedMs: number;
  /** Reductions applied, e.g. `['symmetry', 'partial-order']`. */
  reductions: string[];
  /** Minimal counterexample, when violated. */
  counterexample: CounterexampleFound | null;
}
