import { randomUUID } from 'node:crypto';
import type { EventData, EventMetadata, RecordedEvent, UpcasterRegistry } from '@mmreplay/events';

/** An event ready to be written: identified, stamped and serialised. */
export interface PreparedEvent {
  id: string;
  type: string;
  /** JSON text. */
  data: string;
  /** JSON text. */
  metadata: string;
}

export function assertStreamName(stream: string): void {
  if (typeof stream !== 'string' || stream.length === 0) throw new TypeError('a stream name is a non-empty string');
}

export function assertRevision(revision: 'start' | 'end' | bigint): void {
  if (revision === 'start' || revision === 'end' || (typeof revision === 'bigint' && revision >= 0n)) return;
  throw new RangeError(`a revision is 'start', 'end' or a bigint >= 0n, not ${String(revision)}`);
}

export function assertMaxCount(maxCount: number | undefined): void {
  if (maxCount === undefined || maxCount === Infinity) return;
  if (!Number.isSafeInteger(maxCount) || maxCount < 0) throw new RangeError(`maxCount must be a non-negative integer, not ${maxCount}`);
}

/** A batch is a non-empty array of events that each have a type; checked before anything is written. */
export function assertBatch(events: readonly EventData[]): void {
  if (!Array.isArray(events) || events.length === 0) throw new TypeError('appendToStream needs at least one event');
  for (let i = 0; i < events.length; i++) {
    const event = events[i];
    if (!event || typeof event.type !== 'string' || event.type.length === 0) throw new TypeError(`event ${i} of the batch has no type`);
  }
}

/** The event's data as JSON text; throws for data JSON cannot hold (BigInt, cycles, undefined). */
export function encodeData(event: EventData, index: number): string {
  const data = JSON.stringify(event.data);
  if (data === undefined) throw new TypeError(`event ${index} of the batch (${event.type}) has no JSON data`);
  return data;
}

/**
 * The event's metadata as JSON text, with `schemaVersion` (current version of the type, else 1)
 * and `recordedAt` (the batch's time) filled in when absent.
 */
export function encodeMetadata(event: EventData, recordedAt: string, upcasters?: UpcasterRegistry): string {
  const given = event.metadata;
  if (given?.schemaVersion !== undefined) {
    if (given.recordedAt !== undefined) return JSON.stringify(given);
    // The common case on the hot path (events made by createEvent): append the one missing key
    // to the text rather than copying the object.
    const text = JSON.stringify(given);
    return `${text.length === 2 ? '{' : `${text.slice(0, -1)},`}"recordedAt":${JSON.stringify(recordedAt)}}`;
  }
  const metadata: EventMetadata = {
    ...given,
    schemaVersion: upcasters?.currentVersion(event.type) ?? 1,
    recordedAt: given?.recordedAt ?? recordedAt,
  };
  return JSON.stringify(metadata);
}

/** Checks and serialises a whole batch up front, so that a batch with one bad event fails whole. */
export function prepareEvents(events: readonly EventData[], upcasters?: UpcasterRegistry): PreparedEvent[] {
  assertBatch(events);
  const recordedAt = new Date().toISOString();
  return events.map((event, i) => ({
    id: event.id ?? randomUUID(),
    type: event.type,
    data: encodeData(event, i),
    metadata: encodeMetadata(event, recordedAt, upcasters),
  }));
}

/** Builds a recorded event from its stored parts and brings it to the current schema version. */
export function decodeEvent(
  streamId: string,
  revision: bigint,
  position: bigint,
  id: string,
  type: string,
  data: string,
  metadata: string,
  upcasters?: UpcasterRegistry,
): RecordedEvent {
  const event: RecordedEvent = {
    type,
    data: JSON.parse(data),
    metadata: JSON.parse(metadata),
    streamId,
    revision,
    position,
    id,
  };
  return upcasters ? upcasters.upcast(event) : event;
}
