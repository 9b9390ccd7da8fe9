import type { Observable } from 'rxjs';
import type { EventData, JsonValue, RecordedEvent } from '@mmreplay/events';

// The event store port, with the semantics EventStoreDB defines. Every adapter passes the one
// contract suite in `contract/event-store.contract.ts`.

/**
 * What an append expects of the stream:
 * - `'no-stream'`: the stream has no event yet;
 * - `'stream-exists'`: the stream has at least one event;
 * - `'any'`: no check;
 * - a revision: the stream's last event has exactly this revision.
 */
export type ExpectedRevision = 'no-stream' | 'any' | 'stream-exists' | bigint;

export interface AppendOptions {
  /** Default `'any'`. */
  expectedRevision?: ExpectedRevision;
}

export interface AppendResult {
  /** Revision of the last event appended: pass it as `expectedRevision` of the next append. */
  nextExpectedRevision: bigint;
  /** Global position of the last event appended. */
  position: bigint;
}

export type Direction = 'forwards' | 'backwards';

/** A revision in a stream: `'start'` is revision 0, `'end'` the last event. */
export type ReadRevision = 'start' | 'end' | bigint;
/** A position in the global log: `'start'` before the first event, `'end'` after the last. */
export type ReadPosition = 'start' | 'end' | bigint;

export interface ReadStreamOptions {
  /** Inclusive. Default `'start'` forwards, `'end'` backwards. */
  fromRevision?: ReadRevision;
  /** Default `'forwards'`. */
  direction?: Direction;
  /** Default: no limit. */
  maxCount?: number;
}

/** Selects events of `$all`. Prefixes are OR-ed, types are OR-ed, and the two are AND-ed. */
export interface AllFilter {
  streamPrefix?: string[];
  eventTypes?: string[];
}

export interface ReadAllOptions {
  /** Inclusive (an event at exactly this position is returned). Default `'start'` forwards, `'end'` backwards. */
  fromPosition?: ReadPosition;
  direction?: Direction;
  maxCount?: number;
  filter?: AllFilter;
}

export interface PagingOptions {
  /** Events fetched per round trip. Default 1,000. */
  pageSize?: number;
}

export interface SubscribeToStreamOptions {
  /**
   * Exclusive, as in EventStoreDB: delivery starts with the event after this revision.
   * `'start'` delivers the whole stream, `'end'` only events appended after subscribing. Default `'start'`.
   */
  fromRevision?: 'start' | 'end' | bigint;
}

export interface SubscribeToAllOptions {
  /**
   * Exclusive: delivery starts after this position, so a consumer resumes from its checkpoint
   * (the position of the last event it handled). Default `'start'`.
   */
  fromPosition?: 'start' | 'end' | bigint;
  filter?: AllFilter;
}

/** Where a consumer of `$all` has got to: the position of the last event it handled. */
export interface CheckpointStore {
  load(consumer: string): Promise<bigint | undefined>;
  store(consumer: string, position: bigint): Promise<void>;
}

/**
 * Projection state as of one revision of a stream. `version` is the version of the state's shape
 * (of the projection), so that a projection can ignore a snapshot written by an older projection.
 */
export interface Snapshot<S = JsonValue> {
  revision: bigint;
  version: number;
  state: S;
}

export interface SnapshotLoadOptions {
  /** Latest snapshot at or before this revision. Default: the latest. */
  atOrBefore?: bigint;
  /** Only snapshots of this version. Default: any version (check `version` yourself). */
  version?: number;
}

/**
 * Snapshots keyed by stream (use `<stream>/<projection>` when several projections snapshot one
 * stream). Saving at a revision that already has a snapshot replaces it.
 */
export interface SnapshotStore {
  save<S extends JsonValue>(stream: string, snapshot: Snapshot<S>): Promise<void>;
  load<S extends JsonValue = JsonValue>(stream: string, options?: SnapshotLoadOptions): Promise<Snapshot<S> | undefined>;
}

export interface EventStore {
  /**
   * Appends all the events or none. Throws `WrongExpectedVersionError` when the expectation does
   * not hold, `StoreUnavailableError` when the store cannot write.
   */
  appendToStream(stream: string, events: readonly EventData[], options?: AppendOptions): Promise<AppendResult>;

  /** Events of one stream. Throws `StreamNotFoundError` when the stream has no event. */
  readStream(stream: string, options?: ReadStreamOptions): Promise<RecordedEvent[]>;

  /** Like `readStream`, fetched page by page: for streams too long to hold in memory at once. */
  iterateStream(stream: string, options?: ReadStreamOptions & PagingOptions): AsyncIterable<RecordedEvent>;

  /** Events of every stream in global order. */
  readAll(options?: ReadAllOptions): Promise<RecordedEvent[]>;

  /** Like `readAll`, fetched page by page. */
  iterateAll(options?: ReadAllOptions & PagingOptions): AsyncIterable<RecordedEvent>;

  /**
   * Catch-up subscription: the stream's events after `fromRevision`, then the events appended
   * later, in order, with no gap and no duplicate across the switch. Waits for a stream that
   * does not exist yet. Unsubscribing stops all work.
   */
  subscribeToStream(stream: string, options?: SubscribeToStreamOptions): Observable<RecordedEvent>;

  /** Catch-up subscription to `$all` (optionally filtered), same guarantees. */
  subscribeToAll(options?: SubscribeToAllOptions): Observable<RecordedEvent>;

  readonly checkpoints: CheckpointStore;
  readonly snapshots: SnapshotStore;

  /** Completes open subscriptions and releases the store. Idempotent. */
  close(): Promise<void>;
}
