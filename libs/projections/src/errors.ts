import { DomainError } from '@mmreplay/model';

/** The log does not fit the projection (a delta's `before` differs, a step is missing): never shown as a state. */
export class ProjectionMismatchError extends DomainError {
  readonly code = 'PROJECTION_MISMATCH';
  readonly kind = 'corrupt';
  constructor(message: string) {
    super(message, { detail: 'the stored run does not fit its projection; the operators have been told' });
  }
}

/** A step a run does not have. Step -1 is the state before the first step. */
export class StepOutOfRangeError extends DomainError {
  readonly code = 'STEP_OUT_OF_RANGE';
  readonly kind = 'invalid';
  constructor(
    readonly runId: string,
    readonly step: number,
    /** the run's last recorded step (-1 when it has none yet) */
    readonly lastStep: number,
  ) {
    const message = `run ${runId} has steps -1 (initial state) to ${lastStep}; there is no step ${step}`;
    super(message, { issues: [{ field: 'step', message }] });
  }
}

/** An object name that the run's model does not have (`page:X`, `pte:e9`, ...). */
export class UnknownObjectError extends DomainError {
  readonly code = 'UNKNOWN_OBJECT';
  readonly kind = 'invalid';
  constructor(
    readonly object: string,
    message: string,
  ) {
    super(message, { issues: [{ field: 'object', message }] });
  }
}
