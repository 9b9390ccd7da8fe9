// The error taxonomy every layer throws in. An error says what went wrong as the caller sees it
// (its `kind`) and which fields of the request are at fault; each interface translates the kind
// once: the API's problem details (apps/api/src/http/problem.ts) and the CLI's exit codes
// (apps/cli/src/exit-codes.ts) are total lookups on it, so they cannot disagree, and a new error
// is one class in the library that throws it.

/** What went wrong, from the caller's side. */
export type ErrorKind =
  /** the request is malformed, out of range or names what the model does not have */
  | 'invalid'
  /** well formed, but does not fit the model (a variant's path or step, a schedule) */
  | 'not-applicable'
  /** answering would cost more work than one request may */
  | 'budget'
  /** no such object for this caller (another team's objects are not found either) */
  | 'not-found'
  /** conflicts with what is stored: change the request (another id, another state) */
  | 'conflict'
  /** another write came first: read again and retry */
  | 'stale'
  /** the stored log differs from its re-simulation: nothing can be appended to it */
  | 'diverged'
  /** a concurrency limit is reached: retry when something has finished */
  | 'limit'
  /** the store cannot be used right now: retry later */
  | 'unavailable'
  /** this server is shutting down and takes no new work: retry later */
  | 'shutting-down'
  /** the operator's configuration is wrong (a server's fault; on the command line, the user's) */
  | 'misconfigured'
  /** stored data does not fit its projection: never shown, the operators must look */
  | 'corrupt';

/** One field of a request and what is wrong with it. */
export interface FieldIssue {
  /** a path into the request, e.g. `bounds.maxStates`, `variant.patches[0].at` */
  readonly field: string;
  readonly message: string;
}

export interface DomainErrorOptions {
  /** the fields at fault, relative to `at` */
  issues?: readonly FieldIssue[];
  /** the request field the issues are relative to (`variant`, `where`) */
  at?: string;
  /** what a client is told, when it differs from the message (default: the message) */
  detail?: string;
  /** when retrying makes sense (kinds `limit`, `unavailable`, `shutting-down`) */
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** Base of every error a caller can be told about. Anything else is a fault of the code (a 500). */
export abstract class DomainError extends Error {
  abstract readonly kind: ErrorKind;
  /** the fields at fault, relative to `at` */
  readonly issues: readonly FieldIssue[];
  readonly at: string | undefined;
  /** what a client is told (the message may say more than a server shows) */
  readonly detail: string;
  readonly retryAfterSeconds: number | undefined;

  constructor(message: string, options: DomainErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.issues = options.issues ?? [];
    this.at = options.at;
    this.detail = options.detail ?? message;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }

  /** The issues with their fields named from the request's root. */
  requestIssues(): FieldIssue[] {
    const at = this.at;
    return this.issues.map((i) => ({ field: at === undefined ? i.field : i.field ? `${at}.${i.field}` : at, message: i.message }));
  }
}

/** Issues as one line: `field: message; field: message`. */
export const formatIssues = (issues: readonly FieldIssue[], root = '(root)'): string => issues.map((i) => `${i.field || root}: ${i.message}`).join('; ');

/** A request that names one invalid field; the message reads `field: message`. */
export abstract class FieldError extends DomainError {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`, { issues: [{ field, message }] });
  }
}
