import type { Observable } from 'rxjs';
import type { EventData, RecordedEvent, UpcasterRegistry } from '@mmreplay/events';
import { StoreUnavailableError, StreamNotFoundError, WrongExpectedVersionError } from './errors.js';
import type {
  AllFilter,
  AppendOptions,
  AppendResult,
  CheckpointStore,
  Direction,
  EventStore,
  ExpectedRevision,
  PagingOptions,
  ReadAllOptions,
  ReadRevision,
  ReadStreamOptions,
  SnapshotStore,
  SubscribeToAllOptions,
  SubscribeToStreamOptions,
} from './port.js';
import { assertBatch, assertMaxCount, assertRevision, assertStreamName } from './internal/encoding.js';
import { assertFilter } from './internal/filter.js';
import { catchUp } from './internal/catch-up.js';
import type { ChangeNotifier } from './internal/notifier.js';
import { iterateStreamPages, pageSizeOf } from './internal/paging.js';

export interface LocalStoreOptions {
  /** Applied to every event read, so old events come back at the current schema version. */
  upcasters?: UpcasterRegistry;
  /** Events read per page by catch-up subscriptions. Default 2,000. */
  subscriptionPageSize?: number;
}

/** A slice of `$all`: positions in (`after`, `upTo`], in `direction`, at most `maxCount`, filtered. */
export interface AllRange {
  direction: Direction;
  /** Exclusive lower bound; undefined: from the first event. */
  after?: bigint;
  /** Inclusive upper bound; undefined: up to the last event. */
  upTo?: bigint;
  maxCount: number;
  filter?: AllFilter;
}

/** Checks an append's expectation against the stream's last revision (undefined: no stream). */
export function checkExpectedRevision(stream: string, expected: ExpectedRevision, head: bigint | undefined): void {
  const ok =
    expected === 'any' ||
    (expected === 'no-stream' && head === undefined) ||
    (expected === 'stream-exists' && head !== undefined) ||
    (typeof expected === 'bigint' && head === expected);
  if (!ok) throw new WrongExpectedVersionError(stream, expected, head ?? 'no-stream');
}

export function assertExpectedRevision(expected: unknown): asserts expected is ExpectedRevision {
  if (expected === 'any' || expected === 'no-stream' || expected === 'stream-exists') return;
  if (typeof expected === 'bigint' && expected >= 0n) return;
  throw new TypeError(`expectedRevision must be 'any', 'no-stream', 'stream-exists' or a revision >= 0n, not ${String(expected)}`);
}

/**
 * What the in-process adapters (memory, SQLite) share: option handling, paging and catch-up
 * subscriptions over their integer global positions. An adapter supplies the storage primitives.
 */
export abstract class LocalEventStore implements EventStore {
  abstract readonly checkpoints: CheckpointStore;
  abstract readonly snapshots: SnapshotStore;
  protected abstract readonly changes: ChangeNotifier;
  private closed = false;
  private readonly subscriptions = new Set<() => void>();

  protected constructor(protected readonly options: LocalStoreOptions = {}) {}

  /**
   * Writes a batch (checked: non-empty, every event typed) in one transaction, checking the
   * expectation first. Serialising happens here, so that a bad event fails the whole batch.
   */
  protected abstract appendBatch(stream: string, events: readonly EventData[], expected: ExpectedRevision): Promise<AppendResult>;
  /** Events of a stream; throws `StreamNotFoundError` when it has none. */
  protected abstract scanStream(stream: string, direction: Direction, from: ReadRevision, maxCount: number): Promise<RecordedEvent[]>;
  protected abstract scanAll(range: AllRange): Promise<RecordedEvent[]>;
  /** Position of the last event of the log, undefined when empty. */
  protected abstract headPosition(): Promise<bigint | undefined>;
  /** Called when the number of live subscriptions changes. */
  protected subscriptionsChanged(_count: number): void {}
  protected abstract release(): Promise<void>;

  protected assertOpen(): void {
    if (this.closed) throw new StoreUnavailableError('the event store is closed');
  }

  async appendToStream(stream: string, events: readonly EventData[], options: AppendOptions = {}): Promise<AppendResult> {
    this.assertOpen();
    assertStreamName(stream);
    const expected = options.expectedRevision ?? 'any';
    assertExpectedRevision(expected);
    assertBatch(events);
    const result = await this.appendBatch(stream, events, expected);
    this.changes.notify();
    return result;
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    assertStreamName(stream);
    assertMaxCount(options.maxCount);
    const direction = options.direction ?? 'forwards';
    const from = options.fromRevision ?? (direction === 'forwards' ? 'start' : 'end');
    assertRevision(from);
    return this.scanStream(stream, direction, from, options.maxCount ?? Infinity);
  }

  iterateStream(stream: string, options: ReadStreamOptions & PagingOptions = {}): AsyncIterable<RecordedEvent> {
    return iterateStreamPages((s, o) => this.readStream(s, o), stream, options);
  }

  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    this.assertOpen();
    const range = this.rangeOf(options);
    return range ? this.scanAll(range) : [];
  }

  async *iterateAll(options: ReadAllOptions & PagingOptions = {}): AsyncGenerator<RecordedEvent> {
    this.assertOpen();
    const pageSize = pageSizeOf(options);
    const range = this.rangeOf(options);
    if (!range) return;
    let remaining = range.maxCount;
    while (remaining > 0) {
      const want = Math.min(pageSize, remaining);
      this.assertOpen();
      const page = await this.scanAll({ ...range, maxCount: want });
      for (const event of page) yield event;
      remaining -= page.length;
      if (page.length < want) return;
      const last = page[page.length - 1].position;
      if (range.direction === 'forwards') range.after = last;
      else range.upTo = last - 1n;
    }
  }

  private rangeOf(options: ReadAllOptions): AllRange | undefined {
    assertMaxCount(options.maxCount);
    assertFilter(options.filter);
    const direction = options.direction ?? 'forwards';
    const from = options.fromPosition ?? (direction === 'forwards' ? 'start' : 'end');
    const maxCount = options.maxCount ?? Infinity;
    const filter = options.filter;
    if (direction === 'forwards') {
      if (from === 'end') return undefined;
      return { direction, after: from === 'start' ? undefined : from - 1n, maxCount, filter };
    }
    if (from === 'start') return undefined;
    return { direction, upTo: from === 'end' ? undefined : from, maxCount, filter };
  }

  subscribeToStream(stream: string, options: SubscribeToStreamOptions = {}): Observable<RecordedEvent> {
    this.assertOpen();
    assertStreamName(stream);
    const from = options.fromRevision ?? 'start';
    assertRevision(from);
    return catchUp(
      {
        initialCursor: async () => {
          if (from === 'start') return undefined;
          if (from !== 'end') return from;
          return (await this.orEmpty(this.scanStream(stream, 'backwards', 'end', 1)))[0]?.revision;
        },
        readPage: async (cursor, max) => {
          const fromRevision = cursor === undefined ? 0n : cursor + 1n;
          const events = await this.orEmpty(this.scanStream(stream, 'forwards', fromRevision, max));
          return { events, next: events.length > 0 ? events[events.length - 1].revision : cursor };
        },
      },
      this.catchUpHooks(),
    );
  }

  subscribeToAll(options: SubscribeToAllOptions = {}): Observable<RecordedEvent> {
    this.assertOpen();
    assertFilter(options.filter);
    const from = options.fromPosition ?? 'start';
    const filter = options.filter;
    return catchUp(
      {
        initialCursor: async () => (from === 'start' ? undefined : from === 'end' ? await this.headPosition() : from),
        readPage: async (cursor, max) => {
          // Bound the scan by the head read first: when fewer than `max` events match, everything
          // up to the head has been scanned, and the next read starts after it.
          const head = await this.headPosition();
          if (head === undefined || (cursor !== undefined && head <= cursor)) return { events: [], next: cursor };
          const events = await this.scanAll({ direction: 'forwards', after: cursor, upTo: head, maxCount: max, filter });
          return { events, next: events.length >= max ? events[events.length - 1].position : head };
        },
      },
      this.catchUpHooks(),
    );
  }

  private async orEmpty(read: Promise<RecordedEvent[]>): Promise<RecordedEvent[]> {
    try {
      return await read;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return [];
      throw error;
    }
  }

  private catchUpHooks() {
    return {
      changes: this.changes,
      pageSize: this.options.subscriptionPageSize ?? 2_000,
      track: (end: () => void) => {
        this.subscriptions.add(end);
        this.subscriptionsChanged(this.subscriptions.size);
        let released = false;
        return () => {
          if (released) return;
          released = true;
          this.subscriptions.delete(end);
          this.subscriptionsChanged(this.subscriptions.size);
        };
      },
    };
  }

  /** Number of subscriptions currently open on this store. */
  get activeSubscriptions(): number {
    return this.subscriptions.size;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const end of [...this.subscriptions]) end();
    this.subscriptions.clear();
    this.subscriptionsChanged(0);
    await this.release();
  }
}
