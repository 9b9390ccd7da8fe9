import { describe, expect, it } from 'vitest';
import type { EventEnvelope } from './envelope.js';
import type { RunCompleted } from './run-events.js';
import { UpcastError, UpcasterRegistry } from './upcasting.js';
import { SCHEMA_VERSIONS, mmreplayUpcasters, type MmreplayEventType } from './catalogue.js';

// A hypothetical history of RunCompleted, to exercise the mechanism:
//  v1 had no step count; the schedule token was `<seed>:<choice>,<choice>,...` (one choice per step).
//  v2 added `steps`, but called the bounded outcome `bound`.
//  v3 (current) calls it `step-bound`.
interface RunCompletedV1 {
  outcome: string;
  violation: RunCompleted['violation'];
  schedule: string;
}
interface RunCompletedV2 extends RunCompletedV1 {
  steps: number;
}

function runCompletedHistory(): UpcasterRegistry {
  return new UpcasterRegistry()
    .register<RunCompletedV1, RunCompletedV2>('RunCompleted', 1, (v1) => ({
      ...v1,
      steps: v1.schedule.split(':')[1]?.split(',').filter(Boolean).length ?? 0,
    }))
    .register<RunCompletedV2, RunCompleted>('RunCompleted', 2, (v2) => ({
      ...v2,
      outcome: (v2.outcome === 'bound' ? 'step-bound' : v2.outcome) as RunCompleted['outcome'],
    }));
}

function stored<T>(type: string, schemaVersion: number, data: T): EventEnvelope<T> {
  return { type, data, metadata: { schemaVersion, recordedAt: '2026-01-01T00:00:00.000Z', actor: 'ann' } };
}

describe('UpcasterRegistry', () => {
  it('reads a v1 RunCompleted without steps as the current RunCompleted', () => {
    const registry = runCompletedHistory();
    const v1 = stored<RunCompletedV1>('RunCompleted', 1, { outcome: 'bound', violation: null, schedule: '42:0,1,1,0,2' });
    const frozen = structuredClone(v1);

    const current = registry.upcast(v1) as EventEnvelope<RunCompleted>;

    expect(registry.currentVersion('RunCompleted')).toBe(3);
    expect(current.data).toEqual({ outcome: 'step-bound', violation: null, schedule: '42:0,1,1,0,2', steps: 5 });
    expect(current.metadata).toEqual({ ...v1.metadata, schemaVersion: 3 });
    expect(v1).toEqual(frozen); // the stored event is never rewritten
  });

  it('applies only the missing part of the chain', () => {
    const v2 = stored<RunCompletedV2>('RunCompleted', 2, { outcome: 'completed', violation: null, schedule: 't', steps: 7 });
    expect(runCompletedHistory().upcast(v2).data).toEqual({ outcome: 'completed', violation: null, schedule: 't', steps: 7 });
  });

  it('returns a current-version event as the same object', () => {
    const v3 = stored('RunCompleted', 3, { outcome: 'completed', violation: null, schedule: 't', steps: 1 });
    expect(runCompletedHistory().upcast(v3)).toBe(v3);
  });

  it('passes through types without upcasters, whatever their version', () => {
    const step = stored('StepRecorded', 1, { step: 0 });
    const registry = runCompletedHistory();
    expect(registry.upcast(step)).toBe(step);
    expect(registry.currentVersion('StepRecorded')).toBe(1);
  });

  it('refuses an event written by a newer schema', () => {
    const v4 = stored('RunCompleted', 4, {});
    expect(() => runCompletedHistory().upcast(v4)).toThrow(UpcastError);
  });

  it('refuses a chain with a missing link', () => {
    const registry = new UpcasterRegistry().register('X', 1, (d) => d).register('X', 3, (d) => d);
    expect(registry.currentVersion('X')).toBe(4);
    expect(() => registry.upcast(stored('X', 1, {}))).toThrow(/X v2 -> v3/);
  });

  it('refuses a second upcaster for the same version and versions below 1', () => {
    const registry = new UpcasterRegistry().register('X', 1, (d) => d);
    expect(() => registry.register('X', 1, (d) => d)).toThrow(/already registered/);
    expect(() => registry.register('X', 0, (d) => d)).toThrow(RangeError);
  });

  it('gives every upcaster the metadata at the version it reads', () => {
    const seen: number[] = [];
    const registry = new UpcasterRegistry()
      .register('X', 1, (d, m) => (seen.push(m.schemaVersion), d))
      .register('X', 2, (d, m) => (seen.push(m.schemaVersion), d));
    registry.upcast(stored('X', 1, {}));
    expect(seen).toEqual([1, 2]);
  });
});

describe('mmreplay schema versions', () => {
  it('agree with the registered upcasters', () => {
    const registry = mmreplayUpcasters();
    for (const [type, version] of Object.entries(SCHEMA_VERSIONS)) {
      expect(registry.currentVersion(type as MmreplayEventType), type).toBe(version);
    }
    for (const type of registry.types()) expect(Object.keys(SCHEMA_VERSIONS)).toContain(type);
  });
});
