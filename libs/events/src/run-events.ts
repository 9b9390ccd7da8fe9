import type { JsonObject, JsonValue } from './envelope.js';
import type { StateDelta } from './step-events.js';

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
  /** Scheduler: `random`, `pct`, `replay`, `round-robin`, ... */
  strategy: string;
  seed: number | string;
  /** The schedule token a `replay` run follows; null for the other strategies. */
  schedule: string | null;
  /** PCT's bug depth d; null for the other strategies. */
  depth: number | null;
  /** The step bound the run was started with. */
  maxSteps: number;
  /**
   * What the engine does before step 0: every thread runs its local instructions (register moves,
   * branches, calls) up to its first atomic step, so the engine's initial state is
   * `new Layout(model).initialState()` with these slots changed. Recording them keeps a run
   * self-describing: a projection rebuilds any state from the log alone, without the engine.
   */
  initialDeltas: StateDelta[];
  /**
   * The scenario document the run's world was resolved from, as submitted (a team's published
   * version or an inline document; absent for a built-in): the run says exactly which text it ran.
   */
  document?: JsonObject;
  actor: string;
  team: string;
}

/** `failed`: the engine or the store failed mid-run (see `RunCompleted.reason`); the run will not be resumed. */
export type RunOutcome = 'completed' | 'violation' | 'deadlock' | 'step-bound' | 'infeasible' | 'model-bound' | 'failed';

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
  /** Serialised schedule token that replays the run exactly (empty for a `failed` run). */
  schedule: string;
  /** why a `failed` run failed */
  reason?: string;
}
