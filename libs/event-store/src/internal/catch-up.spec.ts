import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@mmreplay/events';
import { catchUp } from './catch-up.js';
import { ChangeNotifier } from './notifier.js';

// A catch-up subscription stops reading the log once it is unsubscribed (issue 20, survivors of
// the mutation run over catch-up.ts): rxjs drops what a closed subscriber is given, so only the
// reads show whether the loop really stopped.

const event = (position: number): RecordedEvent => ({
  type: 'A',
  data: position,
  metadata: { schemaVersion: 1, recordedAt: '2026-12-02T00:00:00.000Z' },
  streamId: 's',
  revision: BigInt(position - 1),
  position: BigInt(position),
  id: `e${position}`,
});

/** A log of positions 1..n and a count of the pages read from it. */
function source(log: RecordedEvent[]) {
  const reads = { count: 0 };
  return {
    reads,
    src: {
      initialCursor: async () => undefined,
      readPage: async (cursor: bigint | undefined, max: number) => {
        reads.count++;
        const events = log.filter((e) => cursor === undefined || e.position > cursor).slice(0, max);
        return { events, next: events.length > 0 ? events[events.length - 1].position : cursor };
      },
    },
  };
}

const macrotasks = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('catch-up subscriptions stop reading when unsubscribed', () => {
  it('no page is read after unsubscribe, however often the log grows', async () => {
    const log = [event(1), event(2)];
    const changes = new ChangeNotifier();
    const { reads, src } = source(log);
    let released = 0;
    const seen: unknown[] = [];
    const sub = catchUp(src, { changes, pageSize: 10, track: () => () => released++ }).subscribe((e) => seen.push(e.data));
    await macrotasks(5);
    expect(seen).toEqual([1, 2]);
    log.push(event(3));
    changes.notify();
    await macrotasks(5);
    expect(seen).toEqual([1, 2, 3]);
    sub.unsubscribe();
    const before = reads.count;
    for (let p = 4; p < 10; p++) {
      log.push(event(p));
      changes.notify();
      await macrotasks(2);
    }
    expect(reads.count).toBe(before);
    expect(released).toBeGreaterThanOrEqual(1);
  });

  it('unsubscribed in the middle of a page: the rest of that page is not delivered and nothing more is read', async () => {
    const log = Array.from({ length: 6 }, (_, i) => event(i + 1));
    const changes = new ChangeNotifier();
    const { reads, src } = source(log);
    const given: unknown[] = [];
    // pages of 3: a full page makes the loop read again at once, unless it stopped
    const observable = catchUp(src, { changes, pageSize: 3, track: () => () => {} });
    const sub = observable.subscribe((e) => {
      given.push(e.data);
      if (e.data === 2) sub.unsubscribe();
    });
    await macrotasks(10);
    expect(given).toEqual([1, 2]);
    expect(reads.count).toBe(1);
  });

  it('unsubscribed at the last event of a short page: the loop ends without waiting for another change', async () => {
    // Were it to wait, the notifier would hold a waiter for a closed subscription until the log
    // next changes; `wait` is counted to see it.
    class CountingNotifier extends ChangeNotifier {
      waits = 0;
      override wait(since: number) {
        this.waits++;
        return super.wait(since);
      }
    }
    const changes = new CountingNotifier();
    const { reads, src } = source([event(1), event(2)]);
    const given: unknown[] = [];
    const sub = catchUp(src, { changes, pageSize: 10, track: () => () => {} }).subscribe((e) => {
      given.push(e.data);
      if (e.data === 2) sub.unsubscribe();
    });
    await macrotasks(5);
    expect(given).toEqual([1, 2]);
    expect(reads.count).toBe(1);
    expect(changes.waits).toBe(0);
  });
});
