import { describe, expect, it } from 'vitest';
import { UpcasterRegistry } from '@mmreplay/events';
import { encodeMetadata } from './encoding.js';

const at = '2026-01-02T03:04:05.678Z';

describe('encodeMetadata', () => {
  it('fills schemaVersion and recordedAt only when absent', () => {
    const parse = (text: string) => JSON.parse(text) as Record<string, unknown>;
    expect(parse(encodeMetadata({ type: 'A', data: 1 }, at))).toEqual({ schemaVersion: 1, recordedAt: at });
    expect(parse(encodeMetadata({ type: 'A', data: 1, metadata: {} }, at))).toEqual({ schemaVersion: 1, recordedAt: at });
    expect(parse(encodeMetadata({ type: 'A', data: 1, metadata: { schemaVersion: 2 } }, at))).toEqual({ schemaVersion: 2, recordedAt: at });
    expect(parse(encodeMetadata({ type: 'A', data: 1, metadata: { schemaVersion: 2, step: 4, actor: 'a"b' } }, at))).toEqual({
      schemaVersion: 2,
      step: 4,
      actor: 'a"b',
      recordedAt: at,
    });
    expect(parse(encodeMetadata({ type: 'A', data: 1, metadata: { schemaVersion: 2, recordedAt: undefined } }, at))).toEqual({
      schemaVersion: 2,
      recordedAt: at,
    });
    expect(parse(encodeMetadata({ type: 'A', data: 1, metadata: { recordedAt: 'then', step: 1 } }, at))).toEqual({
      step: 1,
      schemaVersion: 1,
      recordedAt: 'then',
    });
    expect(parse(encodeMetadata({ type: 'A', data: 1, metadata: { schemaVersion: 3, recordedAt: 'then' } }, at))).toEqual({
      schemaVersion: 3,
      recordedAt: 'then',
    });
  });

  it('appends recordedAt to metadata whose JSON text is {}: still one JSON object', () => {
    // The index signature of EventMetadata lets a caller's metadata carry a toJSON; one that
    // serialises to nothing leaves no key to put a comma after.
    const given = { schemaVersion: 2, toJSON: () => ({}) };
    expect(JSON.parse(encodeMetadata({ type: 'A', data: 1, metadata: given }, at))).toEqual({ recordedAt: at });
  });

  it('writes new events at the current version of their type', () => {
    const upcasters = new UpcasterRegistry().register('A', 1, (d) => d).register('A', 2, (d) => d);
    expect(JSON.parse(encodeMetadata({ type: 'A', data: 1 }, at, upcasters)).schemaVersion).toBe(3);
    expect(JSON.parse(encodeMetadata({ type: 'B', data: 1 }, at, upcasters)).schemaVersion).toBe(1);
  });
});
