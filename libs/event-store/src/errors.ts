import { DomainError } from '@mmreplay/model';
import type { ExpectedRevision } from './port.js';

/** Base class of the errors the event store port defines. */
export abstract class EventStoreError extends DomainError {
  abstract readonly code: string;
}

/** An append whose expected revision does not match the stream. Nothing was written. */
export class WrongExpectedVersionError extends EventStoreError {
  readonly code = 'WRONG_EXPECTED_VERSION';
  readonly kind = 'stale';
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** Revision of the last event of the stream when the append was refused. */
    readonly actual: bigint | 'no-stream',
  ) {
    super(`append to ${stream} expected ${String(expected)} but the stream is at ${String(actual)}`, {
      detail: `another write to ${stream} came first; read it again and retry`,
    });
  }
}

/** A read of a stream that has no event. */
export class StreamNotFoundError extends EventStoreError {
  readonly code = 'STREAM_NOT_FOUND';
  readonly kind = 'not-found';
  constructor(readonly stream: string) {
    super(`stream ${stream} not found`);
  }
}

/** How long a client is told to wait before retrying when the store is unavailable, s. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * The store cannot be used right now: read-only or full disk, locked database past the retry
 * deadline, connection refused, closed store. Worth retrying later; an API answers 503.
 */
export class StoreUnavailableError extends EventStoreError {
  readonly code = 'STORE_UNAVAILABLE';
  readonly kind = 'unavailable';
  constructor(message: string, options?: { cause?: unknown }) {
    // The message may name files and hosts: a client is told only that the store is unavailable.
    super(message, { cause: options?.cause, detail: 'the event store is unavailable; retry later', retryAfterSeconds: STORE_RETRY_AFTER_SECONDS });
  }
}

/** A store configuration string that names no known adapter or is malformed. */
export class EventStoreConfigError extends EventStoreError {
  readonly code = 'STORE_CONFIG';
  readonly kind = 'misconfigured';
  constructor(message: string) {
    super(message);
  }
}
