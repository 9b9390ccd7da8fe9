// The step event is the engine's own StepEvent, recorded as is: one type, defined once, so the
// engine, the store and the projections cannot drift apart. Its `deltas` are what projections
// fold; everything else (thread, label, kernel source, operands) is for people and queries.
import type { StateDelta as EngineStateDelta, StepEvent } from '@mmreplay/engine';

export const STEP_RECORDED = 'StepRecorded';

/** Kernel source a step stands for, e.g. `{ file: 'mm/migrate.c', fn: 'remove_migration_pte', version: 'v6.6' }`. */
export type KernelSourceRef = StepEvent['src'];

/**
 * One slot of the engine's state vector changed by a step: `slot` is its index, `object` and
 * `field` its name (`pte:e0` / `entry`, `page:P` / `flags`, `thread:flt0` / `pc`, as
 * `Layout.describe` gives them), with the value before and after the step.
 */
export type StateDelta = EngineStateDelta;

/**
 * One atomic action of one kernel thread (exactly the engine's `StepEvent`): `step` (0-based),
 * `thread` and `threadIndex`, `pc` and `label` of the instruction, `op`, the event `kind`
 * (`PageUnlocked`, `MigrationEntryInstalled`, ...), `src`, the scheduler's `choice`, the operands
 * as a kernel developer reads them (`args`), and the state `deltas`.
 */
export type StepRecorded = StepEvent;
