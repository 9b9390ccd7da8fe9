import { describe, expect, it } from 'vitest';
import { EventStoreConfigError, STORE_RETRY_AFTER_SECONDS, StoreUnavailableError, StreamNotFoundError, WrongExpectedVersionError } from './errors.js';
import { parseStoreConfig } from './factory.js';

// What the API's problem details and the CLI make of the store's errors (issue 20: the mutation run
// of the library found their kinds and details unchecked): the kind picks the status (409, 404, 503,
// 500), the detail is all a client reads, and an unavailable store says when to retry.

describe('event store errors', () => {
  it('a refused append is stale, says who came first, and keeps the revisions', () => {
    const e = new WrongExpectedVersionError('run-1', 3n, 'no-stream');
    expect(e).toMatchObject({
      code: 'WRONG_EXPECTED_VERSION',
      kind: 'stale',
      name: 'WrongExpectedVersionError',
      stream: 'run-1',
      expected: 3n,
      actual: 'no-stream',
    });
    expect(e.message).toBe('append to run-1 expected 3 but the stream is at no-stream');
    expect(e.detail).toBe('another write to run-1 came first; read it again and retry');
    expect(e.retryAfterSeconds).toBeUndefined();
  });

  it('a missing stream is not found, in the message and the detail alike', () => {
    const e = new StreamNotFoundError('run-9');
    expect(e).toMatchObject({
      code: 'STREAM_NOT_FOUND',
      kind: 'not-found',
      name: 'StreamNotFoundError',
      stream: 'run-9',
      message: 'stream run-9 not found',
      detail: 'stream run-9 not found',
    });
  });

  it('an unavailable store hides its files and hosts from clients and says when to retry', () => {
    const cause = new Error('EROFS');
    const e = new StoreUnavailableError('cannot append to run-1: /srv/data/mmreplay.db is read-only', { cause });
    expect(e).toMatchObject({ code: 'STORE_UNAVAILABLE', kind: 'unavailable', name: 'StoreUnavailableError', cause });
    expect(e.message).toContain('/srv/data/mmreplay.db');
    expect(e.detail).toBe('the event store is unavailable; retry later');
    expect(STORE_RETRY_AFTER_SECONDS).toBe(5);
    expect(e.retryAfterSeconds).toBe(5);
    expect(new StoreUnavailableError('closed').cause).toBeUndefined();
  });

  it('a bad configuration string is a misconfiguration, naming what was given', () => {
    const e = new EventStoreConfigError('bad');
    expect(e).toMatchObject({ code: 'STORE_CONFIG', kind: 'misconfigured', message: 'bad', detail: 'bad' });
    expect(() => parseStoreConfig('esdb:')).toThrow('"esdb:" has no host: expected esdb://host:port');
    expect(() => parseStoreConfig('kurrent+discover:x')).toThrow('"kurrent+discover:x" has no host: expected kurrent+discover://host:port');
    expect(parseStoreConfig('  kurrent://h:2113  ')).toEqual({ kind: 'esdb', connectionString: 'kurrent://h:2113' });
    expect(parseStoreConfig(' memory: ')).toEqual({ kind: 'memory' });
  });
});
