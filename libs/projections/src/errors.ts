/** The log does not fit the projection (a delta's `before` differs, a step is missing): never shown as a state. */
export class ProjectionMismatchError extends Error {
  readonly code = 'PROJECTION_MISMATCH';
  constructor(message: string) {
    super(message);
    this.name = 'ProjectionMismatchError';
  }
}

/** A step a run does not have. Step -1 is the state before the first step. */
export class StepOutOfRangeError extends Error {
  readonly code = 'STEP_OUT_OF_RANGE';
  constructor(
    readonly runId: string,
    readonly step: number,
    /** the run's last recorded step (-1 when it has none yet) */
    readonly lastStep: number,
  ) {
    super(`run ${runId} has steps -1 (initial state) to ${lastStep}; there is no step ${step}`);
    this.name = 'StepOutOfRangeError';
  }
}

/** An object name that the run's model does not have (`page:X`, `pte:e9`, ...). */
export class UnknownObjectError extends Error {
  readonly code = 'UNKNOWN_OBJECT';
  constructor(
    readonly object: string,
    message: string,
  ) {
    super(message);
    this.name = 'UnknownObjectError';
  }
}
