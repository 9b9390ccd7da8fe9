/** A run id that names no stored run. */
export class UnknownRunError extends Error {
  readonly code = 'UNKNOWN_RUN';
  constructor(readonly runId: string) {
    super(`unknown run '${runId}'`);
    this.name = 'UnknownRunError';
  }
}

/** A run request that cannot be executed as given (the field says which part). */
export class InvalidRunRequestError extends Error {
  readonly code = 'INVALID_RUN_REQUEST';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'InvalidRunRequestError';
  }
}

/**
 * A run id that already holds a different run: its `RunStarted` differs from the one this request
 * makes (another scenario, seed, variant, actor, ...). Nothing was written.
 */
export class RunConflictError extends Error {
  readonly code = 'RUN_CONFLICT';
  constructor(
    readonly runId: string,
    readonly field: string,
    readonly stored: unknown,
    readonly requested: unknown,
  ) {
    super(`run '${runId}' already exists with ${field} = ${JSON.stringify(stored)}, not ${JSON.stringify(requested)}: use another id, or the same request to continue it`);
    this.name = 'RunConflictError';
  }
}

/**
 * The stored events of a run are not the ones its re-simulation produces (another engine version,
 * or a damaged log). A run is never overwritten: nothing was appended.
 */
export class RunDivergedError extends Error {
  readonly code = 'RUN_DIVERGED';
  constructor(
    readonly runId: string,
    readonly revision: bigint,
    readonly detail: string,
  ) {
    super(`run '${runId}' cannot be continued: its stored event at revision ${revision} differs from the re-simulation (${detail}); nothing was written`);
    this.name = 'RunDivergedError';
  }
}

/** A query whose arguments do not fit (a range with from > to, a bad limit). */
export class InvalidQueryError extends Error {
  readonly code = 'INVALID_QUERY';
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
    this.name = 'InvalidQueryError';
  }
}
