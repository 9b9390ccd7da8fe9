import { describe, expect, it } from 'vitest';
import { Observable } from 'rxjs';
import type { EventData, RecordedEvent } from '@mmreplay/events';
import { StoreUnavailableError } from './errors.js';
import { LogFollower } from './follower.js';
import { InMemoryEventStore } from './memory/memory-event-store.js';
import type { EventStore, SubscribeToAllOptions } from './port.js';

const event = (i: number): EventData => ({ type: 'ThingHappened', data: { i }, metadata: { actor: 'test' } });

/**
 * An in-memory store whose `$all` subscriptions fail: the first one after `deliverFirst` events,
 * the next `failNext` ones at once. Reads and appends work.
 */
function failingStore(
  deliverFirst: number,
  failNext: number,
): { store: EventStore; subscriptions: { from: SubscribeToAllOptions['fromPosition']; at: number }[] } {
  const inner = new InMemoryEventStore();
  const subscriptions: { from: SubscribeToAllOptions['fromPosition']; at: number }[] = [];
  const subscribeToAll = (options?: SubscribeToAllOptions) => {
    const n = subscriptions.push({ from: options?.fromPosition, at: Date.now() });
    if (n > 1 && n <= 1 + failNext) return new Observable<RecordedEvent>((s) => s.error(new StoreUnavailableError('connection refused')));
    const source = inner.subscribeToAll(options);
    if (n > 1) return source;
    return new Observable<RecordedEvent>((s) => {
      let seen = 0;
      const sub = source.subscribe({
        next: (e) => {
          s.next(e);
          if (++seen === deliverFirst) s.error(new StoreUnavailableError('database is locked'));
        },
        error: (e) => s.error(e),
      });
      return () => sub.unsubscribe();
    });
  };
  const store = new Proxy(inner, {
    get(target, prop) {
      if (prop === 'subscribeToAll') return subscribeToAll;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as EventStore;
  return { store, subscriptions };
}

describe('LogFollower', () => {
  it('rebuilds from the log, and resolves start once it has applied the head', async () => {
    const store = new InMemoryEventStore();
    for (let i = 0; i < 5; i++) await store.appendToStream(`thing-${i}`, [event(i)], { expectedRevision: 'no-stream' });
    const seen: number[] = [];
    const follower = new LogFollower(store, { filter: { streamPrefix: ['thing-'] }, apply: (e) => seen.push((e.data as { i: number }).i) });
    await follower.start();
    expect(seen).toEqual([0, 1, 2, 3, 4]);
    const appended = await store.appendToStream('thing-5', [event(5)], { expectedRevision: 'no-stream' });
    await follower.waitFor(appended.position);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5]);
    follower.stop();
  });

  it('when the store fails, retries with a growing delay from the last event applied: every event once, in order', async () => {
    const { store, subscriptions } = failingStore(3, 3);
    for (let i = 0; i < 6; i++) await store.appendToStream(`thing-${i}`, [event(i)], { expectedRevision: 'no-stream' });
    const seen: number[] = [];
    const errors: unknown[] = [];
    const follower = new LogFollower(store, {
      filter: { streamPrefix: ['thing-'] },
      apply: (e) => seen.push((e.data as { i: number }).i),
      onError: (e) => errors.push(e),
      firstRetryMs: 20,
      maxRetryMs: 1_000,
    });
    await follower.start();
    // A live event after the failures reaches the model too.
    const appended = await store.appendToStream('thing-6', [event(6)], { expectedRevision: 'no-stream' });
    await follower.waitFor(appended.position);
    follower.stop();
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(errors).toHaveLength(4);
    expect(errors.every((e) => e instanceof StoreUnavailableError)).toBe(true);
    // Resubscribed from the third event's position, not from the start.
    expect(subscriptions).toHaveLength(5);
    expect(subscriptions[0].from).toBe('start');
    expect(new Set(subscriptions.slice(1).map((s) => s.from)).size).toBe(1);
    expect(typeof subscriptions[1].from).toBe('bigint');
    // Backing off: 20, 40, 80, 160 ms between attempts (timers fire late, never early).
    const gaps = subscriptions.slice(1).map((s, k) => s.at - subscriptions[k].at);
    expect(gaps[1]).toBeGreaterThanOrEqual(38);
    expect(gaps[2]).toBeGreaterThanOrEqual(78);
    expect(gaps[3]).toBeGreaterThanOrEqual(158);
  });
});
