import { describe, expect, it } from 'vitest';
import { KernelPath, PageField, PageFlag, ThreadField, WaitFlag, type World } from '@mmreplay/model';
import { Machine } from './machine.js';
import { eventKind } from './event-kind.js';

// wake_up_page_bit (mm/filemap.c, v5.15; folio_wake_bit from v5.16): the unlock walks the page's
// wait queue in FIFO order, wakes shared waiters, hands the lock to the first exclusive waiter and
// stops there; PG_waiters stays set while entries remain. Not "wake everyone, clear PG_waiters".

function lockUnlock(name: string): KernelPath {
  const k = new KernelPath(name, name, { page: 'page' });
  k.at('mm/filemap.c', '__folio_lock', 'v6.6');
  k.folio_lock('L.folio_lock', 'page');
  k.folio_unlock('L.folio_unlock', 'page');
  k.done('L.done');
  return k;
}

function sharedWaiter(): KernelPath {
  const k = new KernelPath('waiter', 'waiter', { page: 'page' });
  k.at('mm/filemap.c', 'migration_entry_wait_on_locked', 'v6.6');
  k.folio_wait_queue_add('W.folio_set_waiters', 'page');
  k.io_schedule('W.io_schedule');
  k.done('W.done');
  return k;
}

const world: World = {
  scenario: 'wake-up',
  params: {},
  memoryModel: 'sc',
  rmapOrder: 'fixed',
  pages: [{ name: 'P', ref: 1, map: 0, mapping: 'anon', index: 0 }],
  vmas: [],
  ptes: [],
  ptls: [],
  threads: [
    { name: 'owner', path: 'owner', args: { page: 'P' } },
    { name: 'x', path: 'x', args: { page: 'P' } },
    { name: 'sh', path: 'waiter', args: { page: 'P' } },
  ],
  paths: { owner: lockUnlock('owner').build(), x: lockUnlock('x').build(), waiter: sharedWaiter().build() },
  invariants: ['bug-on', 'I9', 'deadlock'],
  symmetry: [],
};

describe('unlock_page wakes as wake_up_page_bit does', () => {
  const m = new Machine(world);
  const L = m.layout;
  const [OWNER, X, SH] = [0, 1, 2];
  const flags = (s: Int32Array) => s[L.page(0, PageField.flags)];
  const woken = (s: Int32Array, t: number) => (s[L.thread(t, ThreadField.waitFlags)] & WaitFlag.woken) !== 0;

  it('hands the lock to the first exclusive waiter, leaves the shared waiter queued behind it asleep, and keeps PG_waiters', () => {
    const s = m.initialState();
    expect(m.step(s, OWNER)).toBe(true); // owner takes PG_locked
    expect(m.step(s, X)).toBe(true); // x sleeps, exclusive, first in the queue
    expect(m.step(s, SH)).toBe(true); // sh queues behind it
    expect(m.isRunnable(s, X)).toBe(false);
    expect(m.step(s, OWNER)).toBe(true); // unlock: x gets the lock, the walk stops
    expect(s[L.page(0, PageField.owner)]).toBe(X + 1);
    expect(flags(s) & PageFlag.locked).toBe(PageFlag.locked);
    expect(flags(s) & PageFlag.waiters).toBe(PageFlag.waiters);
    expect(woken(s, X)).toBe(true);
    expect(woken(s, SH)).toBe(false);
    expect(m.isRunnable(s, SH)).toBe(false);
    // x runs with the lock it was handed, and its unlock wakes sh and empties the queue.
    expect(m.step(s, X)).toBe(true);
    expect(m.step(s, X)).toBe(true);
    expect(woken(s, SH)).toBe(true);
    expect(flags(s) & (PageFlag.waiters | PageFlag.locked)).toBe(0);
    expect(m.step(s, SH)).toBe(true);
    expect(m.endState(s).outcome).toBe('completed');
  });

  it('records the handed-off folio_lock as PageLocked (the bit was set for it), and the sleep before it as LockWaitQueued', () => {
    const s = m.initialState();
    const kindOf = (t: number) => {
      const before = s.slice();
      expect(m.step(s, t)).toBe(true);
      const deltas = [...s.keys()].filter((i) => s[i] !== before[i]).map((i) => ({ slot: i, ...L.describe(i), before: before[i], after: s[i] }));
      return eventKind('lock_page', deltas);
    };
    expect(kindOf(OWNER)).toBe('PageLocked');
    expect(kindOf(X)).toBe('LockWaitQueued');
    m.step(s, OWNER); // unlock: the lock is handed to x
    expect(kindOf(X)).toBe('PageLocked');
  });

  it('wakes every shared waiter queued before the exclusive one', () => {
    const s = m.initialState();
    m.step(s, OWNER);
    m.step(s, SH); // shared first
    m.step(s, X); // exclusive second
    m.step(s, OWNER);
    expect(woken(s, SH)).toBe(true);
    expect(s[L.page(0, PageField.owner)]).toBe(X + 1);
    expect(flags(s) & PageFlag.waiters).toBe(0);
  });
});
