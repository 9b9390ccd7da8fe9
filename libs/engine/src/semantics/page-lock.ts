import { PAGE_WIDTH, PageField, PageFlag, PteKind, ThreadField, WaitFlag, isMigrationEntry, pteKind, ptePfn } from '@mmreplay/model';
import { I, type StepHost } from './context.js';
import { putPage } from './refcount-rmap.js';

// Page lock and wait queues: PG_locked with its owner, PG_waiters, and each thread's wait entry
// (the page it waits on, WOKEN / exclusive, and its position in the page's FIFO wait queue).
// `R` is the slot of the thread's register 0.

/** A queued waiter's position in its page's wait queue, above the WaitFlag bits of its wait flags. */
const QUEUE_POS = 4;

export function trylockPage(m: StepHost, s: Int32Array, t: number, R: number, page: number, ok: number): boolean {
  const p = m.layout.pages + s[R + page] * PAGE_WIDTH;
  let good = true;
  if (s[p + PageField.flags] & PageFlag.freed) good = m.fail(t, 'use-after-free', `trylock of freed page ${m.pageName(s[R + page])}`);
  if (s[p + PageField.flags] & PageFlag.locked) s[R + ok] = 0;
  else {
    s[p + PageField.flags] |= PageFlag.locked;
    s[p + PageField.owner] = t + 1;
    s[R + ok] = 1;
    relocked(m, s, s[R + page]);
  }
  return good;
}

/**
 * lkmm (Layout.unlockedBy): page pi's lock word is written by a lock now, so its newest store is no
 * folio_unlock() any more (a thread's failed folio_trylock() may read an older locked store only
 * after another CPU's unlock: Machine.staleLock).
 */
function relocked(m: StepHost, s: Int32Array, pi: number): void {
  if (m.layout.unlockedBy >= 0) s[m.layout.unlockedBy + pi] = 0;
}

/** Whether thread t's folio_lock of the page in register `page` takes the lock now: PG_locked is clear, or an unlock handed it over. */
export function lockPageTakes(m: StepHost, s: Int32Array, t: number, R: number, page: number): boolean {
  const p = m.layout.pages + s[R + page] * PAGE_WIDTH;
  const handedOff = s[m.layout.thread(t, ThreadField.waitPage)] === s[R + page] && s[p + PageField.owner] === t + 1;
  return (s[p + PageField.flags] & PageFlag.locked) === 0 || handedOff;
}

/**
 * folio_lock. Sets `slept` when the thread queued as an exclusive waiter (it retries the step when
 * woken, and by then the unlocker has handed it the lock).
 */
export function lockPage(m: StepHost, s: Int32Array, t: number, R: number, page: number, out: { slept: boolean }): boolean {
  const base = m.layout.thread(t, 0);
  const p = m.layout.pages + s[R + page] * PAGE_WIDTH;
  let good = true;
  if (s[p + PageField.flags] & PageFlag.freed) good = m.fail(t, 'use-after-free', `folio_lock of freed page ${m.pageName(s[R + page])}`);
  if (lockPageTakes(m, s, t, R, page)) {
    // Free, or the unlocker handed the lock to this exclusive waiter (WQ_FLAG_DONE).
    s[p + PageField.flags] |= PageFlag.locked;
    s[p + PageField.owner] = t + 1;
    relocked(m, s, s[R + page]);
    s[base + ThreadField.waitPage] = -1;
    s[base + ThreadField.waitFlags] = 0;
    out.slept = false;
  } else {
    // Sleep as an exclusive waiter at the tail of the queue until an unlock hands the lock over.
    s[p + PageField.flags] |= PageFlag.waiters;
    s[base + ThreadField.waitFlags] = WaitFlag.exclusive | (queued(m, s, s[R + page]) << QUEUE_POS);
    s[base + ThreadField.waitPage] = s[R + page];
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
  // (lkmm: who released it, while it stays unlocked; a hand-over below locks it again)
  if (m.layout.unlockedBy >= 0) s[m.layout.unlockedBy + pi] = t + 1;
  if (s[p + PageField.flags] & PageFlag.waiters) wakeUpPageBit(m, s, pi);
  return good;
}

/**
 * waitq_add, and put_and_wait (`put`): queue a shared waiter at the tail of the queue; WOKEN at
 * once if the page is unlocked. put_and_wait holds a reference until it queues; waitq_add holds
 * none, which ffa65753c431 makes safe only under the PTL of an entry that pins the page.
 */
export function queueWaiter(m: StepHost, s: Int32Array, t: number, R: number, page: number, put: boolean): boolean {
  const base = m.layout.thread(t, 0);
  const pi = s[R + page];
  const p = m.layout.pages + pi * PAGE_WIDTH;
  let good = true;
  if (s[p + PageField.flags] & PageFlag.freed) good = m.fail(t, 'use-after-free', `queues on the wait queue of freed page ${m.pageName(pi)}`);
  if (good && (m.enabled & I.waiterRef) !== 0) {
    // put_and_wait queues on the reference it holds (and drops it after); waitq_add holds none.
    if (put && s[p + PageField.ref] === 0) good = m.fail(t, 'waiter-ref', `put_and_wait on ${m.pageName(pi)} without the reference it drops (refcount 0)`);
    else if (!put && !pinnedUnderHeldPtl(m, s, t, pi)) {
      good = m.fail(t, 'waiter-ref', `queues on ${m.pageName(pi)} without a reference and without holding the PTL of an entry that pins it`);
    }
  }
  s[p + PageField.flags] |= PageFlag.waiters;
  s[base + ThreadField.waitFlags] = s[p + PageField.flags] & PageFlag.locked ? queued(m, s, pi) << QUEUE_POS : WaitFlag.woken;
  s[base + ThreadField.waitPage] = pi;
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

/** How many entries page pi's wait queue holds: waiters not yet woken (a woken entry has left it). */
function queued(m: StepHost, s: Int32Array, pi: number): number {
  const L = m.layout;
  let n = 0;
  m.readOthers = true;
  for (let th = 0; th < m.threadCount; th++) {
    const b = L.thread(th, 0);
    if (s[b + ThreadField.waitPage] === pi && (s[b + ThreadField.waitFlags] & WaitFlag.woken) === 0) n++;
  }
  return n;
}

/**
 * folio_unlock -> folio_wake_bit (wake_up_page_bit in v5.15) with PG_locked just cleared: walk
 * the queue in FIFO order (each entry's position is kept in its wait flags); wake every shared
 * waiter up to the first exclusive one, hand the lock to that one (wake_page_function's
 * test_and_set_bit, WQ_FLAG_DONE) and stop there. PG_waiters is cleared only if the queue is
 * then empty; the entries left behind keep their order.
 */
function wakeUpPageBit(m: StepHost, s: Int32Array, pi: number): void {
  const L = m.layout;
  const n = m.threadCount;
  const order = new Int32Array(n).fill(-1);
  m.readOthers = true;
  for (let th = 0; th < n; th++) {
    const b = L.thread(th, 0);
    const f = s[b + ThreadField.waitFlags];
    if (s[b + ThreadField.waitPage] === pi && (f & WaitFlag.woken) === 0) order[f >> QUEUE_POS] = th;
  }
  const p = L.pages + pi * PAGE_WIDTH;
  let left = 0;
  let handedOff = false;
  for (let pos = 0; pos < n; pos++) {
    const th = order[pos];
    if (th < 0) continue;
    m.wroteOthers = true;
    const wf = L.thread(th, ThreadField.waitFlags);
    if (handedOff) s[wf] = (s[wf] & (WaitFlag.exclusive | WaitFlag.woken)) | (left++ << QUEUE_POS);
    else if ((s[wf] & WaitFlag.exclusive) !== 0) {
      s[p + PageField.flags] |= PageFlag.locked;
      s[p + PageField.owner] = th + 1;
      relocked(m, s, pi);
      s[wf] = WaitFlag.exclusive | WaitFlag.woken;
      handedOff = true;
    } else s[wf] = WaitFlag.woken;
  }
  if (left === 0) s[p + PageField.flags] &= ~PageFlag.waiters;
}

/** Thread t holds the PTL of a PTE whose migration or device-private entry names page pi (or a tail of it). */
function pinnedUnderHeldPtl(m: StepHost, s: Int32Array, t: number, pi: number): boolean {
  const L = m.layout;
  for (let e = 0; e < L.nPtes; e++) {
    if (s[L.ptl(L.ptlOfPte[e])] !== t + 1) continue;
    const v = s[L.ptes + e];
    const k = pteKind(v);
    if (k !== PteKind.migration && k !== PteKind.devicePrivate) continue;
    const q = ptePfn(v);
    if (q === pi || s[L.pages + q * PAGE_WIDTH + PageField.head] === pi) return true;
  }
  return false;
}

function hasMigrationEntries(m: StepHost, s: Int32Array, pi: number): boolean {
  const L = m.layout;
  for (let e = 0; e < L.nPtes; e++) {
    const v = s[L.ptes + e];
    if (isMigrationEntry(v) && s[L.pages + ptePfn(v) * PAGE_WIDTH + PageField.head] === pi) return true;
  }
  return false;
}
