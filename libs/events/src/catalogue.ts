import type { EventData, EventMetadataInput, RecordedEvent } from './envelope.js';
import type { AuditCompleted, AuditProgressed, AuditRequested, CounterexampleFound } from './audit-events.js';
import type { RunCompleted, RunStarted } from './run-events.js';
import type { StepRecorded } from './step-events.js';
import { UpcasterRegistry } from './upcasting.js';

/** Every event type of mmreplay and the shape of its data at the current schema version. */
export interface MmreplayEventMap {
  RunStarted: RunStarted;
  StepRecorded: StepRecorded;
  RunCompleted: RunCompleted;
  AuditRequested: AuditRequested;
  AuditProgressed: AuditProgressed;
  CounterexampleFound: CounterexampleFound;
  AuditCompleted: AuditCompleted;
}

export type MmreplayEventType = keyof MmreplayEventMap;

/** A recorded mmreplay event, discriminated on `type`. */
export type MmreplayRecordedEvent = {
  [K in MmreplayEventType]: RecordedEvent<MmreplayEventMap[K], K>;
}[MmreplayEventType];

/**
 * Current schema version of each event type. Bumping one means adding, in `mmreplayUpcasters`,
 * the upcaster from the previous version (a unit test checks the two agree).
 */
export const SCHEMA_VERSIONS: Readonly<Record<MmreplayEventType, number>> = {
  RunStarted: 1,
  StepRecorded: 1,
  RunCompleted: 1,
  AuditRequested: 1,
  AuditProgressed: 1,
  CounterexampleFound: 1,
  AuditCompleted: 1,
};

/** The upcasters of every mmreplay event type (none yet: every type is at version 1). */
export function mmreplayUpcasters(): UpcasterRegistry {
  return new UpcasterRegistry();
}

/** An event to append, at the current schema version of its type. */
export function createEvent<K extends MmreplayEventType>(
  type: K,
  data: MmreplayEventMap[K],
  metadata: EventMetadataInput = {},
): EventData<MmreplayEventMap[K], K> {
  return { type, data, metadata: { ...metadata, schemaVersion: metadata.schemaVersion ?? SCHEMA_VERSIONS[type] } };
}

/** Narrows a recorded event to one mmreplay type. */
export function isEventOfType<K extends MmreplayEventType>(event: RecordedEvent, type: K): event is RecordedEvent<MmreplayEventMap[K], K> {
  return event.type === type;
}
