import { DomainError, formatIssues, type FieldIssue } from '@mmreplay/model';

/** An audit id the caller's team has no audit under (another team's audit answers the same). */
export class UnknownAuditError extends DomainError {
  readonly code = 'UNKNOWN_AUDIT';
  readonly kind = 'not-found';
  constructor(readonly auditId: string) {
    super(`unknown audit '${auditId}'`);
  }
}

/** A comparison id the caller's team has no comparison under. */
export class UnknownComparisonError extends DomainError {
  readonly code = 'UNKNOWN_COMPARISON';
  readonly kind = 'not-found';
  constructor(readonly comparisonId: string) {
    super(`unknown comparison '${comparisonId}'`);
  }
}

/** An audit request with fields out of range or not understood (`issues` names every one). */
export class InvalidAuditRequestError extends DomainError {
  readonly code = 'INVALID_AUDIT_REQUEST';
  readonly kind = 'invalid';
  constructor(field: string, message: string, issues?: readonly FieldIssue[]) {
    super(issues ? formatIssues(issues) : `${field}: ${message}`, { issues: issues ?? [{ field, message }] });
  }

  static of(issues: readonly FieldIssue[]): InvalidAuditRequestError {
    return new InvalidAuditRequestError(issues[0]?.field ?? '(root)', issues[0]?.message ?? 'invalid', issues);
  }
}

/** The team runs as many audits as the server allows at once: retry when one has finished. */
export class AuditLimitError extends DomainError {
  readonly code = 'AUDIT_LIMIT';
  readonly kind = 'limit';
  constructor(
    readonly limit: number,
    retryAfterSeconds: number,
  ) {
    super(`your team already runs ${limit} audit(s), the most this server allows at once; retry when one has finished or cancel one`, { retryAfterSeconds });
  }
}

/** The server is shutting down: it starts no audit. Another instance, or this one restarted, will. */
export class AuditsShuttingDownError extends DomainError {
  readonly code = 'SHUTTING_DOWN';
  readonly kind = 'shutting-down';
  constructor(retryAfterSeconds: number) {
    super('this server is shutting down and starts no new audit; retry in a moment', { retryAfterSeconds });
  }
}

/** Cancelling an audit that has already finished. */
export class AuditNotRunningError extends DomainError {
  readonly code = 'AUDIT_NOT_RUNNING';
  readonly kind = 'conflict';
  constructor(
    readonly auditId: string,
    readonly status: string,
  ) {
    super(`audit '${auditId}' is not running (it is ${status})`);
  }
}
