import { DomainError, type DomainErrorOptions } from '@mmreplay/model';

/** The request's `test` field is at fault (the API's detail reads as it did when it was a validation error). */
const inTest = (message: string): DomainErrorOptions => ({ issues: [{ field: 'test', message }], detail: `invalid request: test: ${message}` });

/** The test text is not a well-formed C litmus test; `line` is 1-based. */
export class LitmusSyntaxError extends DomainError {
  readonly kind = 'invalid';
  constructor(
    readonly what: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${what}`, inTest(`line ${line}: ${what}`));
  }
}

/**
 * The test uses something this checker does not model (a primitive, a statement, an operator).
 * It is refused by name, never skipped: a checker that ignored a barrier would answer for a
 * different test.
 */
export class UnsupportedConstructError extends DomainError {
  readonly kind = 'invalid';
  constructor(
    readonly construct: string,
    readonly line: number,
    readonly why = 'not supported',
  ) {
    super(`line ${line}: ${construct}: ${why}`, inTest(`line ${line}: ${construct}: ${why}`));
  }
}

/** The test is well formed but too big to enumerate within the checker's bounds. */
export class LitmusBoundError extends DomainError {
  readonly kind = 'invalid';
  constructor(message: string) {
    super(message, inTest(`too large to check here: ${message}`));
  }
}
