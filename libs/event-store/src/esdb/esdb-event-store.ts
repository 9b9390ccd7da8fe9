import { Observable } from 'rxjs';
import {
  ANY,
  BACKWARDS,
  END,
  ErrorType,
  EventStoreDBClient,
  FORWARDS,
  NO_STREAM,
  START,
  STREAM_EXISTS,
  StreamNotFoundError as EsdbStreamNotFoundError,
  WrongExpectedVersionError as EsdbWrongExpectedVersionError,
  eventTypeFilter,
  excludeSystemEvents,
  streamNameFilter,
  type AppendExpectedRevision,
  type EventData as EsdbEventData,
  type Filter,
  type Position,
  type RecordedEvent as EsdbRecordedEvent,
  type StreamingRead,
} from '@eventstore/db-client';
import type { EventData, JsonValue, RecordedEvent, UpcasterRegistry } from '@mmreplay/events';
import { EventStoreConfigError, EventStoreError, StoreUnavailableError, StreamNotFoundError, WrongExpectedVersionError } from '../errors.js';
import type {
  AppendOptions,
  AppendResult,
  CheckpointStore,
  EventStore,
  ExpectedRevision,
  PagingOptions,
  ReadAllOptions,
  ReadStreamOptions,
  Snapshot,
  SnapshotLoadOptions,
  SnapshotStore,
  SubscribeToAllOptions,
  SubscribeToStreamOptions,
} from '../port.js';
import { assertExpectedRevision } from '../local-store.js';
import { assertMaxCount, assertRevision, assertStreamName, prepareEvents } from '../internal/encoding.js';
import { assertFilter, filterPredicate } from '../internal/filter.js';
import { assertConsumer, assertSnapshot, serialiseState } from '../internal/snapshots.js';

export interface EsdbEventStoreOptions {
  upcasters?: UpcasterRegistry;
}

/** Streams this adapter keeps its snapshots and checkpoints in; hidden from `$all` reads. */
export const ESDB_SNAPSHOT_STREAM_PREFIX = 'mmreplay.snapshot-';
export const ESDB_CHECKPOINT_STREAM_PREFIX = 'mmreplay.checkpoint-';
const SNAPSHOT_EVENT = 'MmreplaySnapshot';
const CHECKPOINT_EVENT = 'MmreplayCheckpoint';
const CHECKPOINTS_KEPT = 10;

/** Server-side events (`$`-prefixed streams or types) and this adapter's own streams. */
function isHidden(stream: string, type: string): boolean {
  return stream.startsWith('$') || type.startsWith('$') || stream.startsWith('mmreplay.');
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function toEsdbExpected(expected: ExpectedRevision): AppendExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no-stream') return NO_STREAM;
  if (expected === 'stream-exists') return STREAM_EXISTS;
  return expected;
}

function fromEsdbActual(actual: unknown): bigint | 'no-stream' {
  if (actual === NO_STREAM || actual === undefined || actual === null) return 'no-stream';
  const revision = BigInt(actual as bigint | number | string);
  return revision < 0n ? 'no-stream' : revision;
}

const UNAVAILABLE_TYPES = new Set<string>([ErrorType.UNAVAILABLE, ErrorType.DEADLINE_EXCEEDED, ErrorType.TIMEOUT, ErrorType.NOT_LEADER]);

/** The client's errors in the port's terms; `expected` is what the failed append expected. */
function mapError(error: unknown, stream?: string, expected?: ExpectedRevision): unknown {
  if (error instanceof EventStoreError) return error;
  if (error instanceof EsdbWrongExpectedVersionError) {
    return new WrongExpectedVersionError(stream ?? error.streamName, expected ?? 'any', fromEsdbActual(error.actualVersion));
  }
  if (error instanceof EsdbStreamNotFoundError) return new StreamNotFoundError(stream ?? String(error.streamName));
  const { type, code, message } = (error ?? {}) as { type?: string; code?: number; message?: string };
  if (
    (type !== undefined && UNAVAILABLE_TYPES.has(type)) ||
    code === 14 /* UNAVAILABLE */ ||
    code === 4 /* DEADLINE_EXCEEDED */ ||
    /ECONNREFUSED|ECONNRESET|ETIMEDOUT|Failed to discover|UNAVAILABLE/.test(message ?? '')
  ) {
    return new StoreUnavailableError(`EventStoreDB unavailable: ${message}`, { cause: error });
  }
  return error;
}

/**
 * EventStoreDB / KurrentDB through `@eventstore/db-client`, with the port's semantics:
 * - global positions are commit positions (single events written by an append have
 *   commit = prepare position), passed back to the server as `{ commit, prepare }`;
 * - `readAll` and `subscribeToAll` hide server events (`$` streams and types) and this adapter's
 *   own streams; a stream-prefix filter runs on the server, an event-type filter too when it is
 *   the only one, the rest on the client;
 * - snapshots live in `mmreplay.snapshot-<key>` streams, checkpoints in
 *   `mmreplay.checkpoint-<consumer>` streams (only the last ten kept);
 * - `kurrentdb://` connection strings are accepted and read as `esdb://` (same protocol).
 * The connecting user must be allowed to read `$all`.
 */
export class EsdbEventStore implements EventStore {
  private closed = false;
  private readonly subscriptions = new Set<() => void>();

  private constructor(
    private readonly client: EventStoreDBClient,
    private readonly options: EsdbEventStoreOptions,
  ) {}

  /** Creates the client; the connection itself is made by the first operation. */
  static async connect(connectionString: string, options: EsdbEventStoreOptions = {}): Promise<EsdbEventStore> {
    const esdb = connectionString.replace(/^kurrent(?:db)?(\+discover)?:\/\//i, (_match, discover: string | undefined) => `esdb${discover ?? ''}://`);
    try {
      return new EsdbEventStore(EventStoreDBClient.connectionString(esdb), options);
    } catch (error) {
      throw new EventStoreConfigError(`invalid EventStoreDB connection string: ${(error as Error).message}`);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
  }

  private decode(event: EsdbRecordedEvent): RecordedEvent {
    const recorded: RecordedEvent = {
      type: event.type,
      data: event.data as unknown,
      metadata: event.metadata as RecordedEvent['metadata'],
      streamId: event.streamId,
      revision: event.revision,
      position: event.position?.commit ?? -1n,
      id: event.id,
    };
    return this.options.upcasters ? this.options.upcasters.upcast(recorded) : recorded;
  }

  async appendToStream(stream: string, events: readonly EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    assertStreamName(stream);
    const expected = options.expectedRevision ?? 'any';
    assertExpectedRevision(expected);
    const prepared = prepareEvents(events, this.options.upcasters);
    const esdbEvents = prepared.map(
      (event) =>
        ({
          id: event.id,
          contentType: 'application/json',
          type: event.type,
          data: JSON.parse(event.data),
          metadata: JSON.parse(event.metadata),
        }) as EsdbEventData,
    );
    try {
      const result = await this.client.appendToStream(stream, esdbEvents, { expectedRevision: toEsdbExpected(expected) });
      return { nextExpectedRevision: result.nextExpectedRevision, position: result.position?.commit ?? -1n };
    } catch (error) {
      throw mapError(error, stream, expected);
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    for await (const event of this.iterateStream(stream, options)) out.push(event);
    return out;
  }

  /** One streaming gRPC read: the server pages, the client applies back-pressure (`pageSize` is not used). */
  async *iterateStream(stream: string, options: ReadStreamOptions & PagingOptions = {}): AsyncGenerator<RecordedEvent> {
    this.assertOpen();
    assertStreamName(stream);
    assertMaxCount(options.maxCount);
    const direction = options.direction ?? 'forwards';
    const from = options.fromRevision ?? (direction === 'forwards' ? 'start' : 'end');
    assertRevision(from);
    const maxCount = options.maxCount ?? Infinity;
    if (maxCount === 0 || (direction === 'forwards' && from === 'end')) {
      // Nothing to return, but a missing stream is still an error.
      await this.readStream(stream, { direction: 'backwards', maxCount: 1 });
      return;
    }
    const read = this.client.readStream(stream, {
      fromRevision: from === 'start' ? START : from === 'end' ? END : from,
      direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
      ...(maxCount === Infinity ? {} : { maxCount }),
    });
    try {
      for await (const resolved of read) if (resolved.event) yield this.decode(resolved.event);
    } catch (error) {
      throw mapError(error, stream);
    }
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const out: RecordedEvent[] = [];
    for await (const event of this.iterateAll(options)) out.push(event);
    return out;
  }

  async *iterateAll(options: ReadAllOptions & PagingOptions = {}): AsyncGenerator<RecordedEvent> {
    this.assertOpen();
    assertMaxCount(options.maxCount);
    assertFilter(options.filter);
    const direction = options.direction ?? 'forwards';
    const from = options.fromPosition ?? (direction === 'forwards' ? 'start' : 'end');
    const maxCount = options.maxCount ?? Infinity;
    const matches = filterPredicate(options.filter);
    if (maxCount === 0 || (direction === 'forwards' && from === 'end') || (direction === 'backwards' && from === 'start')) return;
    let count = 0;
    const accept = (event: EsdbRecordedEvent | undefined): event is EsdbRecordedEvent =>
      event !== undefined && !isHidden(event.streamId, event.type) && matches(event.streamId, event.type);

    if (direction === 'backwards' && typeof from === 'bigint') {
      // The event at exactly `from` first (a backwards read of $all starts before its position),
      // then everything strictly before it.
      for await (const resolved of this.readAllRaw({ commit: from, prepare: from }, 'forwards', 1)) {
        if (resolved.event?.position?.commit === from && accept(resolved.event)) {
          yield this.decode(resolved.event);
          count++;
        }
      }
    }
    if (count >= maxCount) return;
    const position: Position | typeof START | typeof END = from === 'start' ? START : from === 'end' ? END : { commit: from, prepare: from };
    for await (const resolved of this.readAllRaw(position, direction)) {
      const event = resolved.event;
      if (!accept(event)) continue;
      const commit = event.position?.commit;
      if (typeof from === 'bigint' && commit !== undefined && (direction === 'forwards' ? commit < from : commit >= from)) continue;
      yield this.decode(event);
      if (++count >= maxCount) return;
    }
  }

  private async *readAllRaw(
    fromPosition: Position | typeof START | typeof END,
    direction: 'forwards' | 'backwards',
    maxCount?: number,
  ): AsyncGenerator<{ event?: EsdbRecordedEvent }> {
    const read: StreamingRead<{ event?: EsdbRecordedEvent }> = this.client.readAll({
      fromPosition,
      direction: direction === 'forwards' ? FORWARDS : BACKWARDS,
      ...(maxCount === undefined ? {} : { maxCount }),
    });
    try {
      yield* read;
    } catch (error) {
      throw mapError(error);
    }
  }

  subscribeToStream(stream: string, options: SubscribeToStreamOptions = {}): Observable<RecordedEvent> {
    this.assertOpen();
    assertStreamName(stream);
    const from = options.fromRevision ?? 'start';
    assertRevision(from);
    return this.observe(
      () => this.client.subscribeToStream(stream, { fromRevision: from === 'start' ? START : from === 'end' ? END : from }),
      () => true,
      stream,
    );
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Observable<RecordedEvent> {
    this.assertOpen();
    assertFilter(options.filter);
    const from = options.fromPosition ?? 'start';
    const matches = filterPredicate(options.filter);
    const { streamPrefix, eventTypes } = options.filter ?? {};
    let filter: Filter;
    if (streamPrefix && streamPrefix.length > 0) filter = streamNameFilter({ prefixes: streamPrefix });
    else if (eventTypes && eventTypes.length > 0) filter = eventTypeFilter({ regex: `^(?:${eventTypes.map(escapeRegex).join('|')})$` });
    else filter = excludeSystemEvents();
    return this.observe(
      () =>
        this.client.subscribeToAll({
          fromPosition: from === 'start' ? START : from === 'end' ? END : { commit: from, prepare: from },
          filter,
        }),
      (event) => !isHidden(event.streamId, event.type) && matches(event.streamId, event.type),
    );
  }

  private observe(
    open: () => NodeJS.EventEmitter & { unsubscribe(): Promise<void> },
    accept: (event: EsdbRecordedEvent) => boolean,
    stream?: string,
  ): Observable<RecordedEvent> {
    return new Observable<RecordedEvent>((subscriber) => {
      const subscription = open();
      const end = () => {
        subscription.unsubscribe().catch(() => {});
        subscriber.complete();
      };
      this.subscriptions.add(end);
      subscription.on('data', (resolved: { event?: EsdbRecordedEvent }) => {
        if (resolved.event && accept(resolved.event)) subscriber.next(this.decode(resolved.event));
      });
      subscription.on('error', (error: unknown) => subscriber.error(mapError(error, stream)));
      subscription.on('end', () => subscriber.complete());
      return () => {
        this.subscriptions.delete(end);
        subscription.unsubscribe().catch(() => {});
      };
    });
  }

  readonly checkpoints: CheckpointStore = {
    load: async (consumer) => {
      assertConsumer(consumer);
      const stream = ESDB_CHECKPOINT_STREAM_PREFIX + consumer;
      try {
        const [last] = await this.readStream(stream, { direction: 'backwards', maxCount: 1 });
        return last ? BigInt((last.data as { position: string }).position) : undefined;
      } catch (error) {
        if (error instanceof StreamNotFoundError) return undefined;
        throw error;
      }
    },
    store: async (consumer, position) => {
      assertConsumer(consumer);
      if (typeof position !== 'bigint') throw new TypeError('a checkpoint is a bigint position');
      const stream = ESDB_CHECKPOINT_STREAM_PREFIX + consumer;
      const result = await this.appendToStream(stream, [{ type: CHECKPOINT_EVENT, data: { position: position.toString() } }]);
      if (result.nextExpectedRevision === 0n) {
        await this.client.setStreamMetadata(stream, { maxCount: CHECKPOINTS_KEPT }).catch((error: unknown) => {
          throw mapError(error, stream);
        });
      }
    },
  };

  readonly snapshots: SnapshotStore = {
    save: async (stream, snapshot) => {
      assertSnapshot(stream, snapshot);
      const state = JSON.parse(serialiseState(snapshot.state)) as JsonValue;
      await this.appendToStream(ESDB_SNAPSHOT_STREAM_PREFIX + stream, [
        { type: SNAPSHOT_EVENT, data: { revision: snapshot.revision.toString(), version: snapshot.version, state } },
      ]);
    },
    load: async <S extends JsonValue = JsonValue>(stream: string, options: SnapshotLoadOptions = {}) => {
      // Newest first; the first snapshot met at the highest eligible revision is the last saved there.
      let best: Snapshot<S> | undefined;
      try {
        for await (const event of this.iterateStream(ESDB_SNAPSHOT_STREAM_PREFIX + stream, { direction: 'backwards' })) {
          const data = event.data as { revision: string; version: number; state: S };
          const revision = BigInt(data.revision);
          if (options.atOrBefore !== undefined && revision > options.atOrBefore) continue;
          if (options.version !== undefined && data.version !== options.version) continue;
          if (!best || revision > best.revision) best = { revision, version: data.version, state: data.state };
        }
      } catch (error) {
        if (error instanceof StreamNotFoundError) return undefined;
        throw error;
      }
      return best;
    },
  };

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const end of [...this.subscriptions]) end();
    this.subscriptions.clear();
    await this.client.dispose();
  }
}
