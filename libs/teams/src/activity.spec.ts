// The activity log's pure part (`activityOf`), its paging and filters, and token expiry parsing.
import { config } from 'rxjs';
import { describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '@mmreplay/event-store';
import type { RecordedEvent } from '@mmreplay/events';
import { ActivityService, activityOf } from './activity.js';
import { parseExpiry } from './expiry.js';

// Metadata as read from any store, `recordedAt` included or not (the reader does not trust it).
const recorded = (over: Omit<Partial<RecordedEvent>, 'metadata'> & { metadata?: Record<string, unknown> }): RecordedEvent =>
  ({
    streamId: 's',
    type: 'X',
    data: {},
    metadata: { schemaVersion: 1, recordedAt: '2030-01-01T00:00:00.000Z' },
    revision: 0n,
    position: 7n,
    id: 'e',
    ...over,
  }) as RecordedEvent;

describe('activityOf', () => {
  it('reads action and team from the metadata, with defaults for the rest', () => {
    expect(
      activityOf(recorded({ metadata: { schemaVersion: 1, recordedAt: 'T', action: 'a.b', team: 'mm', actor: 'bob', target: 'x:1', tokenId: 'tk' } })),
    ).toEqual({
      position: '7',
      at: 'T',
      team: 'mm',
      actor: 'bob',
      action: 'a.b',
      target: 'x:1',
      tokenId: 'tk',
    });
    expect(activityOf(recorded({ metadata: { schemaVersion: 1, action: 'a.b', team: 'mm', tokenId: 5 } }))).toEqual({
      position: '7',
      at: '',
      team: 'mm',
      actor: 'unknown',
      action: 'a.b',
      target: '',
      tokenId: null,
    });
  });

  it('needs both action and team as strings; a RunStarted without them is read from its data', () => {
    expect(activityOf(recorded({ metadata: { schemaVersion: 1, action: 'a.b' } }))).toBeUndefined();
    expect(activityOf(recorded({ metadata: { schemaVersion: 1, team: 'mm' } }))).toBeUndefined();
    expect(activityOf(recorded({ metadata: { schemaVersion: 1, action: 1, team: 'mm' } }))).toBeUndefined();
    expect(activityOf(recorded({ metadata: { schemaVersion: 1, action: 'a', team: 2 } }))).toBeUndefined();
    const run = recorded({ type: 'RunStarted', data: { runId: 'r1', team: 'mm', actor: 'carol' }, metadata: { schemaVersion: 1, recordedAt: 'T' } });
    expect(activityOf(run)).toEqual({ position: '7', at: 'T', team: 'mm', actor: 'carol', action: 'run.started', target: 'run:r1', tokenId: null });
    expect(activityOf({ ...run, type: 'RunFinished' })).toBeUndefined();
  });
});

describe('ActivityService.list', () => {
  async function seeded(n: number) {
    const store = new InMemoryEventStore();
    for (let i = 0; i < n; i++) {
      await store.appendToStream(`x-${i}`, [
        {
          type: 'Thing',
          data: {},
          metadata: { actor: i % 2 === 0 ? 'even' : 'odd', team: 'mm', action: i % 3 === 0 ? 'run.cancelled' : 'runner.moved', target: `t:${i}` },
        },
      ]);
    }
    await store.appendToStream('r-1', [{ type: 'RunStarted', data: { runId: 'r1', team: 'mm', actor: 'rita' }, metadata: {} }]);
    await store.appendToStream('other', [{ type: 'Ignored', data: {}, metadata: { actor: 'z', team: 'mm', action: 'x', target: 'y' } }]);
    const activity = new ActivityService(store, ['Thing']);
    await activity.start();
    return activity;
  }

  it('default page of 50; next is the last entry listed, null when nothing older is left', async () => {
    const activity = await seeded(60);
    const first = activity.list('mm');
    expect(first.entries).toHaveLength(50);
    expect(first.entries[0].target).toBe('run:r1');
    expect(first.next).toBe(first.entries[49].position);
    const rest = activity.list('mm', { before: first.next! });
    expect(rest.entries.map((e) => e.target)).toEqual(Array.from({ length: 11 }, (_, i) => `t:${10 - i}`));
    expect(rest.next).toBeNull();
    // A page that ends exactly at the oldest entry has no next.
    expect(activity.list('mm', { limit: 61 }).next).toBeNull();
    expect(activity.list('mm', { limit: 60 }).next).not.toBeNull();
    expect(activity.list('nobody')).toEqual({ entries: [], next: null });
    activity.stop();
  });

  it('filters by actor and by action or action prefix (whole words), paging over the filtered entries', async () => {
    const activity = await seeded(12);
    expect(activity.list('mm', { actor: 'odd' }).entries.map((e) => e.target)).toEqual(['t:11', 't:9', 't:7', 't:5', 't:3', 't:1']);
    expect(activity.list('mm', { action: 'run' }).entries.map((e) => e.target)).toEqual(['run:r1', 't:9', 't:6', 't:3', 't:0']);
    expect(activity.list('mm', { action: 'run.cancelled' }).entries.map((e) => e.target)).toEqual(['t:9', 't:6', 't:3', 't:0']);
    expect(activity.list('mm', { action: 'runner' }).entries).toHaveLength(8);
    expect(activity.list('mm', { action: 'ru' }).entries).toHaveLength(0);
    const page = activity.list('mm', { actor: 'even', limit: 2 });
    expect(page.entries.map((e) => e.target)).toEqual(['t:10', 't:8']);
    expect(activity.list('mm', { actor: 'even', limit: 2, before: page.next! }).entries.map((e) => e.target)).toEqual(['t:6', 't:4']);
    // entries are copies
    page.entries[0].actor = 'mallory';
    expect(activity.list('mm', { actor: 'even', limit: 1 }).entries[0].actor).toBe('even');
    activity.stop();
  });

  it('skips an event of its types that carries no activity; a stopped service lists nothing new', async () => {
    const store = new InMemoryEventStore();
    await store.appendToStream('x-1', [{ type: 'Thing', data: {}, metadata: {} }]);
    await store.appendToStream('x-2', [{ type: 'Thing', data: {}, metadata: { actor: 'a', team: 'mm', action: 'thing.done', target: 't:2' } }]);
    // A throw in the follower's apply would not fail `start`: RxJS reports it from a timer of its own.
    const reported: unknown[] = [];
    const saved = config.onUnhandledError;
    config.onUnhandledError = (e) => reported.push(e);
    const activity = new ActivityService(store, ['Thing']);
    try {
      await activity.start();
      await new Promise((resolve) => setTimeout(resolve, 0));
    } finally {
      config.onUnhandledError = saved;
    }
    expect(reported).toEqual([]);
    expect(activity.list('mm').entries.map((e) => e.target)).toEqual(['t:2']);
    activity.stop();
    const live = new ActivityService(store, ['Thing']);
    await live.start();
    const r = await store.appendToStream('x-3', [{ type: 'Thing', data: {}, metadata: { actor: 'a', team: 'mm', action: 'thing.done', target: 't:3' } }]);
    await live.caughtUp(r.position);
    expect(live.list('mm').entries.map((e) => e.target)).toEqual(['t:3', 't:2']);
    expect(activity.list('mm').entries.map((e) => e.target)).toEqual(['t:2']);
    live.stop();
  });

  it('caughtUp waits for an event appended after start', async () => {
    const store = new InMemoryEventStore();
    const activity = new ActivityService(store, []);
    await activity.start();
    const r = await store.appendToStream('r-2', [{ type: 'RunStarted', data: { runId: 'r2', team: 'mm', actor: 'rita' }, metadata: {} }]);
    await activity.caughtUp(r.position);
    expect(activity.list('mm').entries.map((e) => e.target)).toEqual(['run:r2']);
    activity.stop();
  });
});

describe('parseExpiry', () => {
  it('days, hours and minutes from now; anything else as given; undefined as never', () => {
    const now = Date.parse('2030-01-01T00:00:00.000Z');
    expect(parseExpiry('30d', now)).toBe('2030-01-31T00:00:00.000Z');
    expect(parseExpiry('12h', now)).toBe('2030-01-01T12:00:00.000Z');
    expect(parseExpiry('45m', now)).toBe('2030-01-01T00:45:00.000Z');
    expect(parseExpiry('2031-05-05T00:00:00Z', now)).toBe('2031-05-05T00:00:00Z');
    expect(parseExpiry('x30d', now)).toBe('x30d');
    expect(parseExpiry('30dd', now)).toBe('30dd');
    expect(parseExpiry('d', now)).toBe('d');
    expect(parseExpiry(undefined, now)).toBeUndefined();
    expect(Math.abs(Date.parse(parseExpiry('1h')!) - Date.now() - 3_600_000)).toBeLessThan(60_000);
  });
});
