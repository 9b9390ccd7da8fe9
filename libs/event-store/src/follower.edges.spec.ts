import { afterEach, describe, expect, it, vi } from 'vitest';
import { Observable } from 'rxjs';
import type { EventData, RecordedEvent } from '@mmreplay/events';
import { StoreUnavailableError } from './errors.js';
import { LogFollower } from './follower.js';
import { InMemoryEventStore } from './memory/memory-event-store.js';
import type { EventStore, SubscribeToAllOptions } from './port.js';
import { within } from '../test/within.js';

// The follower at its edges (issue 20, survivors of the mutation run over follower.ts): resuming
// from a checkpoint, an event delivered again, the head of a filtered log, waiters at exact
// positions, retry turned off, and the back-off's delays exactly (fake timers: the delays are
// read off the fake clock, so load cannot move them).

const event = (i: number, type = 'ThingHappened'): EventData => ({ type, data: { i } });
const indexOf = (e: RecordedEvent) => (e.data as { i: number }).i;
const filter = { streamPrefix: ['thing-'] };

async function storeWith(n: number, options: ConstructorParameters<typeof InMemoryEventStore>[0] = {}): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore(options);
  for (let i = 0; i < n; i++) await store.appendToStream(`thing-${i}`, [event(i)]);
  return store;
}

/** Whether the promise has settled once pending callbacks have run. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

/** `inner` with its `$all` subscriptions replaced. */
function withSubscribe(inner: EventStore, subscribeToAll: (options?: SubscribeToAllOptions) => Observable<RecordedEvent>): EventStore {
  return new Proxy(inner, {
    get(target, prop) {
      if (prop === 'subscribeToAll') return subscribeToAll;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  }) as EventStore;
}

describe('LogFollower edges', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('resumes after a checkpoint: its position until then, and nothing at or before it applied, even when delivered again', async () => {
    const inner = await storeWith(5);
    // a store that replays the whole log whatever position is asked for
    const store = withSubscribe(inner, (options) => inner.subscribeToAll({ ...options, fromPosition: 'start' }));
    const seen: number[] = [];
    const follower = new LogFollower(store, { filter, from: 3n, apply: (e) => seen.push(indexOf(e)) });
    expect(follower.position).toBe(3n);
    expect(await settled(follower.waitFor(3n))).toBe(true);
    expect(await settled(follower.waitFor(1n))).toBe(true);
    await within(follower.start(), 5_000);
    expect(seen).toEqual([3, 4]);
    expect(follower.position).toBe(5n);
    follower.stop();
  });

  it('from start: no position before the first event; start resolves at once on an empty log', async () => {
    const store = new InMemoryEventStore();
    const seen: number[] = [];
    const follower = new LogFollower(store, { filter, from: 'start', apply: (e) => seen.push(indexOf(e)) });
    expect(follower.position).toBeUndefined();
    await within(follower.start(), 5_000);
    expect(seen).toEqual([]);
    const { position } = await store.appendToStream('thing-0', [event(0)]);
    await within(follower.waitFor(position), 5_000);
    expect(seen).toEqual([0]);
    expect(follower.position).toBe(position);
    follower.stop();
  });

  it('start waits for the last event the filter passes, however many pages the subscription takes', async () => {
    // pages of 2 events, with a macrotask between pages: a start that waited for an earlier
    // event would resolve before the last pages were delivered
    const store = await storeWith(7, { subscriptionPageSize: 2 });
    await store.appendToStream('other-0', [event(99)]);
    const seen: number[] = [];
    const follower = new LogFollower(store, { filter, apply: (e) => seen.push(indexOf(e)) });
    await within(follower.start(), 5_000);
    expect(seen).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(follower.position).toBe(7n);
    follower.stop();
  });

  it('waitFor: each waiter resolves once an event at or after its position is applied, not before', async () => {
    const store = new InMemoryEventStore();
    const follower = new LogFollower(store, { filter, apply: () => undefined });
    await follower.start();
    const waits = [1n, 2n, 3n, 5n].map((p) => follower.waitFor(p));
    await store.appendToStream('thing-0', [event(0)]); // position 1
    await within(waits[0], 5_000);
    expect(await Promise.all(waits.map(settled))).toEqual([true, false, false, false]);
    await store.appendToStream('other-0', [event(1)]); // position 2, filtered out
    await store.appendToStream('thing-1', [event(2)]); // position 3
    await within(waits[2], 5_000);
    expect(await Promise.all(waits.map(settled))).toEqual([true, true, true, false]);
    // and forgets the waiters it resolved: the API waits once per append, for as long as it runs
    expect((follower as unknown as { waiters: unknown[] }).waiters).toHaveLength(1);
    follower.stop();
    // stopped: nothing more is applied, and stopping again is harmless
    await store.appendToStream('thing-2', [event(3)]);
    await store.appendToStream('thing-3', [event(4)]);
    expect(await settled(waits[3])).toBe(false);
    expect(follower.position).toBe(3n);
    follower.stop();
  });

  it('with retry off, a store failure ends the follower and rejects start, without a second subscription', async () => {
    const inner = await storeWith(2);
    let subscriptions = 0;
    const failure = new StoreUnavailableError('connection refused');
    const store = withSubscribe(inner, () => {
      subscriptions++;
      return new Observable<RecordedEvent>((s) => s.error(failure));
    });
    const errors: unknown[] = [];
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const follower = new LogFollower(store, { filter, retry: false, firstRetryMs: 1, apply: () => undefined, onError: (e) => errors.push(e) });
    const started = follower.start().then(
      () => 'resolved',
      (e: unknown) => e,
    );
    await vi.advanceTimersByTimeAsync(1_000);
    expect(await started).toBe(failure);
    expect(subscriptions).toBe(1);
    expect(errors).toEqual([]);
  });

  /**
   * A store whose `$all` subscriptions follow a script, one entry per subscription: 'fail' fails
   * at once, a number delivers that many events and then fails; past the script they work.
   * Records the fake clock at each subscription.
   */
  function scripted(inner: EventStore, script: ('fail' | number)[]) {
    const at: number[] = [];
    const store = withSubscribe(inner, (options) => {
      const step = script[at.push(Date.now()) - 1];
      if (step === 'fail') return new Observable<RecordedEvent>((s) => s.error(new StoreUnavailableError('connection refused')));
      const source = inner.subscribeToAll(options);
      if (step === undefined) return source;
      return new Observable<RecordedEvent>((s) => {
        let seen = 0;
        const sub = source.subscribe({
          next: (e) => {
            s.next(e);
            if (++seen === step) s.error(new StoreUnavailableError('database is locked'));
          },
        });
        return () => sub.unsubscribe();
      });
    });
    return { store, gaps: () => at.slice(1).map((t, k) => t - at[k]) };
  }

  it('backs off by doubling from firstRetryMs up to maxRetryMs, and starts over once events flow', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const inner = await storeWith(4);
    const { store, gaps } = scripted(inner, ['fail', 'fail', 'fail', 'fail', 2, 'fail']);
    const seen: number[] = [];
    const errors: unknown[] = [];
    const follower = new LogFollower(store, { filter, firstRetryMs: 10, maxRetryMs: 50, apply: (e) => seen.push(indexOf(e)), onError: (e) => errors.push(e) });
    const started = follower.start();
    await vi.advanceTimersByTimeAsync(1_000);
    await started;
    // 10, 20, 40, then capped at 50; the fifth subscription delivered two events, so the next
    // failure waits 10 again, then 20
    expect(gaps()).toEqual([10, 20, 40, 50, 10, 20]);
    expect(errors).toHaveLength(6);
    expect(seen).toEqual([0, 1, 2, 3]);
    follower.stop();
  });

  it('backs off from 250 ms by default, up to 30 s', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const inner = await storeWith(1);
    const { store, gaps } = scripted(
      inner,
      Array.from({ length: 9 }, () => 'fail' as const),
    );
    const follower = new LogFollower(store, { filter, apply: () => undefined });
    const started = follower.start();
    await vi.advanceTimersByTimeAsync(200_000);
    await started;
    expect(gaps()).toEqual([250, 500, 1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    follower.stop();
  });
});
