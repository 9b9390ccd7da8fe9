/** The test text is not a well-formed C litmus test; `line` is 1-based. */
export class LitmusSyntaxError extends Error {
  constructor(
    readonly detail: string,
    readonly line: number,
  ) {
    super(`line ${line}: ${detail}`);
    this.name = 'LitmusSyntaxError';
  }
}

/**
 * The test uses something this checker does not model (a primitive, a statement, an operator).
 * It is refused by name, never skipped: a checker that ignored a barrier would answer for a
 * different test.
 */
export class UnsupportedConstructError extends Error {
  constructor(
    readonly construct: string,
    readonly line: number,
    readonly why = 'not supported',
  ) {
    super(`line ${line}: ${construct}: ${why}`);
    this.name = 'UnsupportedConstructError';
  }
}

/** The test is well formed but too big to enumerate within the checker's bounds. */
export class LitmusBoundError extends Error {
  constructor(readonly detail: string) {
    super(detail);
    this.name = 'LitmusBoundError';
  }
}
