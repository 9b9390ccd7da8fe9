import { DomainError } from '@mmreplay/model';

/**
 * A step the machine cannot execute: `ret` with an empty call stack, a call stack overflow, a loop
 * of local steps that never reaches an atomic step, an instruction on a register that names no
 * object (-1). The kernel's own paths never do this, so a variant wrote it: the request's `variant`
 * is at fault.
 */
export class ProgramFaultError extends DomainError {
  readonly kind = 'invalid';
  constructor(message: string) {
    super(message, { issues: [{ field: 'variant', message }] });
  }
}
