import type { ExpectedRevision } from './port.js';

/** Base class of the errors the event store port defines. */
export abstract class EventStoreError extends Error {
  abstract readonly code: string;
}

/** An append whose expected revision does not match the stream. Nothing was written. */
export class WrongExpectedVersionError extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_VERSION';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** Revision of the last event of the stream when the append was refused. */
    readonly actual: bigint | 'no-stream',
  ) {
    super(`append to ${stream} expected ${String(expected)} but the stream is at ${String(actual)}`);
    this.name = 'WrongExpectedVersionError';
  }
}

/** A read of a stream that has no event. */
export class StreamNotFoundError extends EventStoreError {
  readonly code = 'STREAM_NOT_FOUND';
  constructor(readonly stream: string) {
    super(`stream ${stream} not found`);
    this.name = 'StreamNotFoundError';
  }
}

/**
 * The store cannot be used right now: read-only or full disk, locked database past the retry
 * deadline, connection refused, closed store. Worth retrying later; an API answers 503.
 */
export class StoreUnavailableError extends EventStoreError {
  readonly code = 'STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** A store configuration string that names no known adapter or is malformed. */
export class EventStoreConfigError extends EventStoreError {
  readonly code = 'STORE_CONFIG';
  constructor(message: string) {
    super(message);
    this.name = 'EventStoreConfigError';
  }
}
