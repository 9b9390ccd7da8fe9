import { PAGE_WIDTH, PageField, PageFlag, ThreadField, WaitFlag, isMigrationEntry, ptePfn } from '@mmreplay/model';
import { I, type StepHost } from './context.js';
import { putPage } from './refcount-rmap.js';

// Page lock and wait queues: PG_locked with its owner, PG_waiters, and each thread's wait entry
// (the page it waits on, WOKEN / exclusive). `R` is the slot of the thread's register 0.

export function trylockPage(m: StepHost, s: Int32Array, t: number, R: number, page: number, ok: number): boolean {
  const p = m.layout.pages + s[R + page] * PAGE_WIDTH;
  let good = true;
  if (s[p + PageField.flags] & PageFlag.freed) good = m.fail(t, 'use-after-free', `trylock of freed page ${m.pageName(s[R + page])}`);
  if (s[p + PageField.flags] & PageFlag.locked) s[R + ok] = 0;
  else {
    s[p + PageField.flags] |= PageFlag.locked;
    s[p + PageField.owner] = t + 1;
    s[R + ok] = 1;
  }
  return good;
}

/** folio_lock. Sets `slept` when the thread queued as an exclusive waiter (it retries the step when woken). */
export function lockPage(m: StepHost, s: Int32Array, t: number, R: number, page: number, out: { slept: boolean }): boolean {
  const base = m.layout.thread(t, 0);
  const p = m.layout.pages + s[R + page] * PAGE_WIDTH;
  let good = true;
  if (s[p + PageField.flags] & PageFlag.freed) good = m.fail(t, 'use-after-free', `folio_lock of freed page ${m.pageName(s[R + page])}`);
  if ((s[p + PageField.flags] & PageFlag.locked) === 0) {
    s[p + PageField.flags] |= PageFlag.locked;
    s[p + PageField.owner] = t + 1;
    s[base + ThreadField.waitPage] = -1;
    s[base + ThreadField.waitFlags] = 0;
    out.slept = false;
  } else {
    // Sleep as an exclusive waiter; the retry happens when an unlock wakes us.
    s[p + PageField.flags] |= PageFlag.waiters;
    s[base + ThreadField.waitPage] = s[R + page];
    s[base + ThreadField.waitFlags] = WaitFlag.exclusive;
    out.slept = true;
  }
  return good;
}

export function unlockPage(m: StepHost, s: Int32Array, t: number, R: number, page: number): boolean {
  const pi = s[R + page];
  const p = m.layout.pages + pi * PAGE_WIDTH;
  let good = true;
  if ((s[p + PageField.flags] & PageFlag.locked) === 0 || s[p + PageField.owner] !== t + 1) {
    good = m.fail(t, 'bug-on', `VM_BUG_ON_FOLIO(!folio_test_locked) in folio_unlock of ${m.pageName(pi)}`);
  }
  if (good && (m.enabled & I.I6) !== 0 && hasMigrationEntries(m, s, pi)) {
    good = m.fail(t, 'I6', `unlocks ${m.pageName(pi)} while migration entries for it exist`);
  }
  s[p + PageField.flags] &= ~PageFlag.locked;
  s[p + PageField.owner] = 0;
  if (s[p + PageField.flags] & PageFlag.waiters) {
    s[p + PageField.flags] &= ~PageFlag.waiters;
    wakeAll(m, s, pi);
  }
  return good;
}

/** waitq_add, and put_and_wait (`put`): queue a shared waiter; WOKEN at once if the page is unlocked. */
export function queueWaiter(m: StepHost, s: Int32Array, t: number, R: number, page: number, put: boolean): boolean {
  const base = m.layout.thread(t, 0);
  const pi = s[R + page];
  const p = m.layout.pages + pi * PAGE_WIDTH;
  let good = true;
  if (s[p + PageField.flags] & PageFlag.freed) good = m.fail(t, 'use-after-free', `queues on the wait queue of freed page ${m.pageName(pi)}`);
  if (good && (m.enabled & I.waiterRef) !== 0 && s[p + PageField.ref] === 0) good = m.fail(t, 'waiter-ref', `queues as a waiter on ${m.pageName(pi)} whose refcount is 0`);
  s[p + PageField.flags] |= PageFlag.waiters;
  s[base + ThreadField.waitPage] = pi;
  s[base + ThreadField.waitFlags] = s[p + PageField.flags] & PageFlag.locked ? 0 : WaitFlag.woken;
  if (put && good) good = putPage(m, s, t, pi);
  return good;
}

/** io_schedule returns: the thread's wait entry is gone. */
export function wake(m: StepHost, s: Int32Array, t: number): boolean {
  const base = m.layout.thread(t, 0);
  s[base + ThreadField.waitPage] = -1;
  s[base + ThreadField.waitFlags] = 0;
  return true;
}

function wakeAll(m: StepHost, s: Int32Array, pi: number): void {
  const L = m.layout;
  for (let th = 0; th < m.threadCount; th++) {
    const b = L.thread(th, 0);
    if (s[b + ThreadField.waitPage] === pi) s[b + ThreadField.waitFlags] |= WaitFlag.woken;
  }
}

function hasMigrationEntries(m: StepHost, s: Int32Array, pi: number): boolean {
  const L = m.layout;
  for (let e = 0; e < L.nPtes; e++) {
    const v = s[L.ptes + e];
    if (isMigrationEntry(v) && s[L.pages + ptePfn(v) * PAGE_WIDTH + PageField.head] === pi) return true;
  }
  return false;
}
