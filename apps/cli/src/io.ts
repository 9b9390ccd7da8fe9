import { DomainError } from '@mmreplay/model';

/** Where the CLI writes; tests pass their own. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
}

/** A usage error: printed without a stack trace, exit code 2. */
export class UsageError extends DomainError {
  readonly kind = 'invalid';
}
