import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from './envelope.js';
import { createEvent, isEventOfType, SCHEMA_VERSIONS } from './catalogue.js';

describe('createEvent', () => {
  it('stamps the current schema version and keeps the metadata given', () => {
    const event = createEvent(
      'CounterexampleFound',
      { runId: 'r1', schedule: 's', length: 12, invariant: 'migration-entry-page-locked', step: 11 },
      { actor: 'ann', correlationId: 'audit-1' },
    );
    expect(event).toEqual({
      type: 'CounterexampleFound',
      data: { runId: 'r1', schedule: 's', length: 12, invariant: 'migration-entry-page-locked', step: 11 },
      metadata: { actor: 'ann', correlationId: 'audit-1', schemaVersion: SCHEMA_VERSIONS.CounterexampleFound },
    });
  });
});

describe('isEventOfType', () => {
  it('narrows on the type', () => {
    const event: RecordedEvent = {
      type: 'AuditProgressed',
      data: { states: 10, transitions: 20, depth: 3, elapsedMs: 5 },
      metadata: { schemaVersion: 1, recordedAt: '2026-01-01T00:00:00.000Z' },
      streamId: 'audit-1',
      revision: 1n,
      position: 2n,
      id: '00000000-0000-4000-8000-000000000000',
    };
    expect(isEventOfType(event, 'AuditProgressed') && event.data.states).toBe(10);
    expect(isEventOfType(event, 'AuditCompleted')).toBe(false);
  });
});
