import { describe, expect, it } from 'vitest';
import { ChangeNotifier } from './notifier.js';

// The notifier on its own (issue 20, survivors of the mutation run over notifier.ts): the stores'
// specs see it only through subscriptions that deliver in the end, which a wake-up that comes
// early, late or twice does not change.

/** Whether the promise has settled once pending callbacks have run. */
async function settled(promise: Promise<void>): Promise<boolean> {
  let done = false;
  void promise.then(() => (done = true));
  await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('ChangeNotifier', () => {
  it('counts changes from 0, one per notify', () => {
    const changes = new ChangeNotifier();
    expect(changes.version).toBe(0);
    changes.notify();
    changes.notify();
    expect(changes.version).toBe(2);
  });

  it('a wait from the current version resolves at the next notify, not before', async () => {
    const changes = new ChangeNotifier();
    changes.notify();
    const { promise } = changes.wait(changes.version);
    expect(await settled(promise)).toBe(false);
    changes.notify();
    expect(await settled(promise)).toBe(true);
  });

  it('a wait from an older version resolves at once: a change between read and wait is not missed', async () => {
    const changes = new ChangeNotifier();
    const since = changes.version;
    changes.notify();
    expect(await settled(changes.wait(since).promise)).toBe(true);
  });

  it('one notify wakes every waiter; a waiter that comes after it waits for the next', async () => {
    const changes = new ChangeNotifier();
    const first = changes.wait(0).promise;
    const second = changes.wait(0).promise;
    changes.notify();
    const third = changes.wait(1).promise;
    expect(await settled(first)).toBe(true);
    expect(await settled(second)).toBe(true);
    expect(await settled(third)).toBe(false);
    changes.notify();
    expect(await settled(third)).toBe(true);
  });

  it('cancel resolves that wait alone, at once', async () => {
    const changes = new ChangeNotifier();
    const cancelled = changes.wait(0);
    const other = changes.wait(0);
    cancelled.cancel();
    expect(await settled(cancelled.promise)).toBe(true);
    expect(await settled(other.promise)).toBe(false);
    expect(changes.version).toBe(0);
    // cancelling a wait that resolved at once is harmless
    changes.notify();
    changes.wait(0).cancel();
    expect(await settled(other.promise)).toBe(true);
  });
});
