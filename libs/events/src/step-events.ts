// The step event, kept generic and in one file on purpose: the engine decides the exact kinds
// (PteSet, PageUnlocked, ...) and their names; this file is the single place to align them.

export const STEP_RECORDED = 'StepRecorded';

/** Kernel source a step stands for, e.g. `{ file: 'mm/migrate.c', fn: 'remove_migration_pte', version: 'v6.8' }`. */
export interface KernelSourceRef {
  file: string;
  fn: string;
  version: string;
}

/**
 * One field of one simulated object changed by a step: `slot` is the object's index in the
 * engine's state vector, `object` its kind and name (`pte[3]`, `page[0]`, `ptl`), `field` the
 * field (`val`, `locked`, `refcount`, `mapcount`), with the value before and after the step.
 * Projections apply deltas and never need the engine to rebuild state.
 */
export interface StateDelta {
  slot: number;
  object: string;
  field: string;
  before: number;
  after: number;
}

/** One atomic action of one kernel thread, recorded as the state deltas it caused. */
export interface StepRecorded {
  /** 0-based step number within the run. */
  step: number;
  /** Simulated kernel thread, e.g. `migrate0`, `fault2`. */
  thread: string;
  /** Instruction executed, e.g. `trylock_page`, `pte_set`, `ptl_unlock`. */
  op: string;
  /** Human label of the step as in the modelled kernel code. */
  label: string;
  src: KernelSourceRef;
  /** Kind of state change, e.g. `PteSet`, `PageUnlocked`, `BugOn`. */
  kind: string;
  deltas: StateDelta[];
  /** Kind-specific extras, e.g. `{ woke: ['fault1'] }` for a page unlock. */
  data?: Record<string, unknown>;
}
