import { DomainError, FieldError } from '@mmreplay/model';

/** A run id that names no stored run. */
export class UnknownRunError extends DomainError {
  readonly code = 'UNKNOWN_RUN';
  readonly kind = 'not-found';
  constructor(readonly runId: string) {
    super(`unknown run '${runId}'`);
  }
}

/** A run request that cannot be executed as given (the field says which part). */
export class InvalidRunRequestError extends FieldError {
  readonly code = 'INVALID_RUN_REQUEST';
  readonly kind = 'invalid';
}

/**
 * A run id that already holds a different run: its `RunStarted` differs from the one this request
 * makes (another scenario, seed, variant, actor, ...). Nothing was written.
 */
export class RunConflictError extends DomainError {
  readonly code = 'RUN_CONFLICT';
  readonly kind = 'conflict';
  constructor(
    readonly runId: string,
    readonly field: string,
    readonly stored: unknown,
    readonly requested: unknown,
  ) {
    super(
      `run '${runId}' already exists with ${field} = ${JSON.stringify(stored)}, not ${JSON.stringify(requested)}: use another id, or the same request to continue it`,
    );
  }
}

/**
 * The stored events of a run are not the ones its re-simulation produces (another engine version,
 * or a damaged log). A run is never overwritten: nothing was appended.
 */
export class RunDivergedError extends DomainError {
  readonly code = 'RUN_DIVERGED';
  readonly kind = 'diverged';
  constructor(
    readonly runId: string,
    readonly revision: bigint,
    /** what differs */
    readonly difference: string,
  ) {
    super(`run '${runId}' cannot be continued: its stored event at revision ${revision} differs from the re-simulation (${difference}); nothing was written`);
  }
}

/** A query whose arguments do not fit (a range with from > to, a bad limit). */
export class InvalidQueryError extends FieldError {
  readonly code = 'INVALID_QUERY';
  readonly kind = 'invalid';
}
