import type { EventData, JsonValue, RecordedEvent } from '@mmreplay/events';
import { StreamNotFoundError } from '../errors.js';
import type { AppendResult, CheckpointStore, Direction, ExpectedRevision, ReadRevision, Snapshot, SnapshotLoadOptions, SnapshotStore } from '../port.js';
import { checkExpectedRevision, LocalEventStore, type AllRange, type LocalStoreOptions } from '../local-store.js';
import { decodeEvent, prepareEvents, type PreparedEvent } from '../internal/encoding.js';
import { filterPredicate } from '../internal/filter.js';
import { ChangeNotifier } from '../internal/notifier.js';
import { assertConsumer, assertSnapshot, serialiseState } from '../internal/snapshots.js';

interface StoredEvent extends PreparedEvent {
  stream: string;
  revision: bigint;
  position: bigint;
}

/**
 * The log in memory, for unit tests. Events are kept serialised, as the durable adapters keep
 * them, so a reader never shares an object with the writer or with another reader.
 * Global positions are 1, 2, 3, ...
 */
export class InMemoryEventStore extends LocalEventStore {
  protected readonly changes = new ChangeNotifier();
  private readonly log: StoredEvent[] = [];
  private readonly streams = new Map<string, StoredEvent[]>();
  private readonly snapshotsByStream = new Map<string, Map<bigint, { version: number; state: string }>>();
  private readonly checkpointsByConsumer = new Map<string, bigint>();

  constructor(options: LocalStoreOptions = {}) {
    super(options);
  }

  protected async appendBatch(stream: string, batch: readonly EventData[], expected: ExpectedRevision): Promise<AppendResult> {
    const events = prepareEvents(batch, this.options.upcasters);
    const existing = this.streams.get(stream);
    const head = existing ? BigInt(existing.length - 1) : undefined;
    checkExpectedRevision(stream, expected, head);
    const target = existing ?? [];
    let revision = head === undefined ? 0n : head + 1n;
    for (const event of events) {
      const stored: StoredEvent = { ...event, stream, revision: revision++, position: BigInt(this.log.length + 1) };
      this.log.push(stored);
      target.push(stored);
    }
    this.streams.set(stream, target);
    return { nextExpectedRevision: revision - 1n, position: BigInt(this.log.length) };
  }

  protected async scanStream(stream: string, direction: Direction, from: ReadRevision, maxCount: number): Promise<RecordedEvent[]> {
    const events = this.streams.get(stream);
    if (!events) throw new StreamNotFoundError(stream);
    const out: RecordedEvent[] = [];
    if (direction === 'forwards') {
      const start = from === 'start' ? 0 : from === 'end' ? events.length : Number(from);
      for (let i = start; i < events.length && out.length < maxCount; i++) out.push(this.decode(events[i]));
    } else {
      const last = events.length - 1;
      const start = from === 'end' ? last : from === 'start' ? 0 : Math.min(Number(from), last);
      for (let i = start; i >= 0 && out.length < maxCount; i--) out.push(this.decode(events[i]));
    }
    return out;
  }

  protected async scanAll(range: AllRange): Promise<RecordedEvent[]> {
    const matches = filterPredicate(range.filter);
    // position p is at index p - 1
    const low = range.after === undefined ? 0 : Math.max(0, Number(range.after));
    const high = range.upTo === undefined ? this.log.length - 1 : Math.min(this.log.length - 1, Number(range.upTo) - 1);
    const out: RecordedEvent[] = [];
    const take = (event: StoredEvent) => {
      if (matches(event.stream, event.type)) out.push(this.decode(event));
    };
    if (range.direction === 'forwards') {
      for (let i = low; i <= high && out.length < range.maxCount; i++) take(this.log[i]);
    } else {
      for (let i = high; i >= low && out.length < range.maxCount; i--) take(this.log[i]);
    }
    return out;
  }

  protected async headPosition(): Promise<bigint | undefined> {
    return this.log.length > 0 ? BigInt(this.log.length) : undefined;
  }

  private decode(event: StoredEvent): RecordedEvent {
    const { stream, revision, position, id, type, data, metadata } = event;
    return decodeEvent(stream, revision, position, id, type, data, metadata, this.options.upcasters);
  }

  readonly checkpoints: CheckpointStore = {
    load: async (consumer) => {
      this.assertOpen();
      assertConsumer(consumer);
      return this.checkpointsByConsumer.get(consumer);
    },
    store: async (consumer, position) => {
      this.assertOpen();
      assertConsumer(consumer);
      if (typeof position !== 'bigint') throw new TypeError('a checkpoint is a bigint position');
      this.checkpointsByConsumer.set(consumer, position);
    },
  };

  readonly snapshots: SnapshotStore = {
    save: async (stream, snapshot) => {
      this.assertOpen();
      assertSnapshot(stream, snapshot);
      let byRevision = this.snapshotsByStream.get(stream);
      if (!byRevision) this.snapshotsByStream.set(stream, (byRevision = new Map()));
      byRevision.set(snapshot.revision, { version: snapshot.version, state: serialiseState(snapshot.state) });
    },
    load: async <S extends JsonValue = JsonValue>(stream: string, options: SnapshotLoadOptions = {}) => {
      this.assertOpen();
      let best: Snapshot<S> | undefined;
      for (const [revision, { version, state }] of this.snapshotsByStream.get(stream) ?? []) {
        if (options.atOrBefore !== undefined && revision > options.atOrBefore) continue;
        if (options.version !== undefined && version !== options.version) continue;
        if (!best || revision > best.revision) best = { revision, version, state: JSON.parse(state) as S };
      }
      return best;
    },
  };

  protected async release(): Promise<void> {}
}
