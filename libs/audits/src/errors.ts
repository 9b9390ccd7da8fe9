/** An audit id the caller's team has no audit under (another team's audit answers the same). */
export class UnknownAuditError extends Error {
  readonly code = 'UNKNOWN_AUDIT';
  constructor(readonly auditId: string) {
    super(`unknown audit '${auditId}'`);
    this.name = 'UnknownAuditError';
  }
}

/** A comparison id the caller's team has no comparison under. */
export class UnknownComparisonError extends Error {
  readonly code = 'UNKNOWN_COMPARISON';
  constructor(readonly comparisonId: string) {
    super(`unknown comparison '${comparisonId}'`);
    this.name = 'UnknownComparisonError';
  }
}

/** An audit request with fields out of range or not understood (`issues` names every one). */
export class InvalidAuditRequestError extends Error {
  readonly code = 'INVALID_AUDIT_REQUEST';
  readonly issues: readonly { field: string; message: string }[];
  constructor(field: string, message: string, issues?: readonly { field: string; message: string }[]) {
    super(issues ? issues.map((i) => `${i.field}: ${i.message}`).join('; ') : `${field}: ${message}`);
    this.name = 'InvalidAuditRequestError';
    this.issues = issues ?? [{ field, message }];
  }

  static of(issues: readonly { field: string; message: string }[]): InvalidAuditRequestError {
    return new InvalidAuditRequestError(issues[0]?.field ?? '(root)', issues[0]?.message ?? 'invalid', issues);
  }
}

/** The team runs as many audits as the server allows at once: retry when one has finished. */
export class AuditLimitError extends Error {
  readonly code = 'AUDIT_LIMIT';
  constructor(
    readonly limit: number,
    readonly retryAfterSeconds: number,
  ) {
    super(`your team already runs ${limit} audit(s), the most this server allows at once; retry when one has finished or cancel one`);
    this.name = 'AuditLimitError';
  }
}

/** Cancelling an audit that has already finished. */
export class AuditNotRunningError extends Error {
  readonly code = 'AUDIT_NOT_RUNNING';
  constructor(
    readonly auditId: string,
    readonly status: string,
  ) {
    super(`audit '${auditId}' is not running (it is ${status})`);
    this.name = 'AuditNotRunningError';
  }
}
