import type { JsonObject, JsonValue } from './envelope.js';

export const RUN_STARTED = 'RunStarted';
export const RUN_COMPLETED = 'RunCompleted';

/** First event of a `run-<id>` stream: everything needed to reproduce the run. */
export interface RunStarted {
  runId: string;
  /** Scenario name, e.g. `seed`. */
  scenario: string;
  /** Scenario parameters, e.g. `{ ptes: 5, faulters: 5 }`. */
  params: Record<string, JsonValue>;
  /** Protocol variant name, or null for the unmodified kernel paths. */
  variant: string | null;
  /** The exact model the run executed (opaque here; content-hashed into `modelHash`). */
  model: JsonObject;
  modelHash: string;
  engineVersion: string;
  /** Scheduler: `random`, `pct`, `replay`, `dfs`, ... */
  strategy: string;
  seed: number | string;
  actor: string;
  team: string;
}

export type RunOutcome = 'completed' | 'violation' | 'deadlock' | 'step-bound';

export interface RunViolation {
  /** Name of the invariant that failed (or `BUG_ON` site). */
  invariant: string;
  /** Step at which it failed. */
  step: number;
  message?: string;
  [extra: string]: JsonValue | undefined;
}

/** Last event of a `run-<id>` stream. */
export interface RunCompleted {
  outcome: RunOutcome;
  violation: RunViolation | null;
  /** Number of steps executed. */
  steps: number;
  /** Serialised schedule token that replays the run exactly. */
  schedule: string;
}
