import { HttpException } from '@nestjs/common';
import { DomainError, formatIssues, type ErrorKind, type FieldIssue } from '@mmreplay/model';
import { STORE_RETRY_AFTER_SECONDS } from '@mmreplay/event-store';

// RFC 9457 problem details, and the one mapping from every error the services throw to a
// problem: a lookup on the error's kind (libs/model/src/errors.ts). REST answers it as
// `application/problem+json`; GraphQL turns it into a typed error (`extensions.code`). Nothing here
// ever shows a stack trace or an internal message.

export type { FieldIssue };

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  /** every invalid field (400, 422) */
  errors?: FieldIssue[];
  /** seconds (429, 503): also sent as the Retry-After header */
  retryAfter?: number;
}

/** The problem types this API answers with; each is documented at `/problems/<slug>`. */
export const PROBLEM_TYPES = {
  'invalid-request': {
    status: 400,
    title: 'The request is not valid',
    code: 'BAD_USER_INPUT',
    doc: 'One or more fields are missing, of the wrong type or out of range; `errors` names every one.',
  },
  unauthenticated: {
    status: 401,
    title: 'Authentication required',
    code: 'UNAUTHENTICATED',
    doc: 'Send `Authorization: Bearer <token>` with a live API token (not revoked, not expired).',
  },
  forbidden: {
    status: 403,
    title: 'Not allowed',
    code: 'FORBIDDEN',
    doc: "The token's role does not allow this: viewers read, members also start and cancel, owners also manage the team's members and tokens, admins manage teams.",
  },
  'not-found': {
    status: 404,
    title: 'Not found',
    code: 'NOT_FOUND',
    doc: "No such resource for your team. Another team's runs and audits are not found either.",
  },
  conflict: {
    status: 409,
    title: 'Conflict',
    code: 'CONFLICT',
    doc: 'The request conflicts with what is stored: another write came first (expected revision), the id is taken, or the object is not in a state that allows it.',
  },
  'payload-too-large': { status: 413, title: 'Request body too large', code: 'PAYLOAD_TOO_LARGE', doc: 'The body exceeds the limit this server accepts.' },
  'unsupported-media-type': { status: 415, title: 'Unsupported media type', code: 'BAD_USER_INPUT', doc: 'Send JSON with `Content-Type: application/json`.' },
  'variant-not-applicable': {
    status: 422,
    title: 'The variant does not apply to the scenario',
    code: 'VARIANT_NOT_APPLICABLE',
    doc: 'The variant is well formed but names a path, step or named variant the scenario does not have; `errors` says which. (An unknown switch or switch value, or an invariant the scenario does not have, is a 400.)',
  },
  'budget-exceeded': {
    status: 422,
    title: 'The request exceeds a work budget',
    code: 'BUDGET_EXCEEDED',
    doc: 'Answering would take more work than this server allows one request (the detail names the budget): ask for less, e.g. a predicate with fewer nested quantifiers or a shorter step range.',
  },
  'too-many-requests': {
    status: 429,
    title: 'Too many requests',
    code: 'RATE_LIMITED',
    doc: 'The rate limit of your token, or the number of audits your team may run at once, is reached. Retry after `Retry-After` seconds.',
  },
  'shutting-down': {
    status: 503,
    title: 'The server is shutting down',
    code: 'SHUTTING_DOWN',
    doc: 'This server is stopping and starts no new work. Retry after `Retry-After` seconds (another instance, or this one once restarted, will take it).',
  },
  'store-unavailable': {
    status: 503,
    title: 'The event store is unavailable',
    code: 'STORE_UNAVAILABLE',
    doc: 'The event store cannot be reached or written right now. Retry after `Retry-After` seconds.',
  },
  internal: {
    status: 500,
    title: 'Internal error',
    code: 'INTERNAL',
    doc: 'Something failed on the server. The request was not at fault; the log has the details.',
  },
} as const;

export type ProblemSlug = keyof typeof PROBLEM_TYPES;

export const problemType = (slug: ProblemSlug): string => `/problems/${slug}`;

export function problem(slug: ProblemSlug, detail: string, extra: Partial<Problem> = {}): Problem {
  const t = PROBLEM_TYPES[slug];
  return { type: problemType(slug), title: t.title, status: t.status, detail, ...extra };
}

/** A request that failed validation, with every invalid field. */
export class RequestValidationError extends DomainError {
  readonly kind = 'invalid';
  constructor(issues: readonly FieldIssue[]) {
    super(`invalid request: ${formatIssues(issues)}`, { issues });
  }
}

/** Thrown by the auth guard and resolvers. */
export class ApiError extends Error {
  constructor(
    readonly slug: ProblemSlug,
    message: string,
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** A 400 naming one field. */
  static invalid(field: string, message: string): RequestValidationError {
    return new RequestValidationError([{ field, message }]);
  }
}

export { STORE_RETRY_AFTER_SECONDS };

/** The problem each kind of error is answered with; the 500s are the server's fault and are logged. */
export const PROBLEM_OF_KIND: Readonly<Record<ErrorKind, ProblemSlug>> = {
  invalid: 'invalid-request',
  'not-applicable': 'variant-not-applicable',
  budget: 'budget-exceeded',
  'not-found': 'not-found',
  conflict: 'conflict',
  stale: 'conflict',
  diverged: 'conflict',
  limit: 'too-many-requests',
  unavailable: 'store-unavailable',
  'shutting-down': 'shutting-down',
  // The server's own configuration or data: not the request's fault, and retrying does not help.
  misconfigured: 'internal',
  corrupt: 'internal',
};

/** The problem an error stands for; `unexpected` is called for the errors that are a server fault (500). */
export function toProblem(error: unknown, unexpected: (error: unknown) => void = () => undefined): Problem {
  if (error instanceof ApiError) return problem(error.slug, error.message, error.retryAfter ? { retryAfter: error.retryAfter } : {});
  if (error instanceof DomainError) return fromDomainError(error, unexpected);
  if (error instanceof HttpException) return fromHttpException(error, unexpected);
  unexpected(error);
  return problem('internal', 'internal error');
}

function fromDomainError(error: DomainError, unexpected: (error: unknown) => void): Problem {
  const slug = PROBLEM_OF_KIND[error.kind];
  const status = PROBLEM_TYPES[slug].status;
  if (status >= 500 && status !== 503) {
    unexpected(error);
    // Its detail, when it has one of its own, is written for clients; its message is not.
    return problem(slug, error.detail === error.message ? 'internal error' : error.detail);
  }
  const extra: Partial<Problem> = {};
  if (error.issues.length) extra.errors = error.requestIssues();
  if (status === 429 || status === 503) extra.retryAfter = error.retryAfterSeconds ?? STORE_RETRY_AFTER_SECONDS;
  return problem(slug, error.detail, extra);
}

function fromHttpException(error: HttpException, unexpected: (error: unknown) => void): Problem {
  const status = error.getStatus();
  const message = error.message;
  switch (status) {
    case 400: {
      // e.g. malformed JSON (Fastify's parser): say what the parser said, never more.
      return problem('invalid-request', message, { errors: [{ field: '(body)', message }] });
    }
    case 401:
      return problem('unauthenticated', message);
    case 403:
      return problem('forbidden', message);
    case 404:
      return problem('not-found', message);
    case 405:
      return { ...problem('not-found', message), status: 405, title: 'Method not allowed' };
    case 413:
      return problem('payload-too-large', message);
    case 415:
      return problem('unsupported-media-type', message);
    case 429:
      return problem('too-many-requests', message);
    default:
      if (status >= 400 && status < 500) return { ...problem('invalid-request', message), status, title: 'Request not accepted' };
      unexpected(error);
      return problem('internal', 'internal error');
  }
}
