import { describe, expect, it } from 'vitest';
import { auditIdOf, auditStream, runIdOf, runStream } from './streams.js';

describe('stream names', () => {
  it('names one stream per run and per audit', () => {
    expect(runStream('7f3a')).toBe('run-7f3a');
    expect(auditStream('7f3a')).toBe('audit-7f3a');
  });

  it('reads the id back', () => {
    expect(runIdOf(runStream('a-b'))).toBe('a-b');
    expect(auditIdOf(auditStream('x'))).toBe('x');
    expect(runIdOf('audit-x')).toBeUndefined();
    expect(runIdOf('run-')).toBeUndefined();
    expect(auditIdOf('run-x')).toBeUndefined();
  });
});
