import { describe, expect, it } from 'vitest';
import { ProgramFaultError } from './errors.js';

describe('ProgramFaultError', () => {
  it('is an invalid request whose variant is at fault, with the message as the field issue', () => {
    const e = new ProgramFaultError('thread P0 at l1: ret with an empty call stack');
    expect(e.kind).toBe('invalid');
    expect(e.message).toBe('thread P0 at l1: ret with an empty call stack');
    expect(e.issues).toEqual([{ field: 'variant', message: 'thread P0 at l1: ret with an empty call stack' }]);
  });
});
