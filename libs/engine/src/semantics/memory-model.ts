import { Fence, Ordering, PageFlag, RmwOrdering, SB_ENTRY_WIDTH, invariantBit, isMigrationEntry, formatPte, litmusPointee } from '@mmreplay/model';
import type { MemAction, Violation } from '../machine.js';
import type { StepHost } from './context.js';

// The memory models sc and tso (docs/memory-model.md); under lkmm a thread with relaxed accesses
// runs semantics/propagation.ts instead (the machine calls the steps below only when its layout has
// no propagation state). Memory is flat and multi-copy atomic: a location's value is one slot of
// the state (the page's head or flags slot, a litmus variable), which every SC step reads and
// writes directly. What tso adds is per thread and lives in the layout's memory section: a store
// buffer. A relaxed store is queued, and becomes visible later, as a step of its own (a choice of
// the owning thread), oldest first (FIFO). A thread's loads read its own newest buffered store to
// the location first (store forwarding). smp_mb drains the buffer; smp_rmb and smp_wmb order
// nothing tso does not order already. SC steps are full barriers. Draining everything inside one
// step loses no behaviour: each flush is also a step of its own that can be taken earlier. Which
// flushes are possible (the choices) is the machine's business (machine.ts).
// The load-queue readers (lqCount, pendingRegs, lqHasLoc) read lkmm's queue of outstanding loads,
// which propagation.ts fills; the machine asks them under lkmm.

function log(m: StepHost, kind: MemAction['kind'], loc: number, value: number, reg = -1, index = -1, forwarded = false, order = 0): void {
  m.memLog.push({ kind, loc, value, reg, index, forwarded, order, pos: -1 });
}

/** Store-buffer entries of thread t. */
export function sbCount(m: StepHost, s: Int32Array, t: number): number {
  const L = m.layout;
  const cap = L.sbCapacity[t];
  let n = 0;
  while (n < cap && s[L.sbEntry(t, n)] !== 0) n++;
  return n;
}

/** Outstanding loads of thread t. */
export function lqCount(m: StepHost, s: Int32Array, t: number): number {
  const L = m.layout;
  const cap = L.lqCapacity[t];
  let n = 0;
  while (n < cap && s[L.lqEntry(t, n)] !== 0) n++;
  return n;
}

/** Bit mask of the registers thread t's outstanding loads will write. */
export function pendingRegs(m: StepHost, s: Int32Array, t: number): number {
  const L = m.layout;
  let mask = 0;
  for (let i = 0, cap = L.lqCapacity[t]; i < cap; i++) {
    const r = s[L.lqEntry(t, i)];
    if (r === 0) break;
    mask |= 1 << (r - 1);
  }
  return mask;
}

/** Thread t has an outstanding load of loc. */
export function lqHasLoc(m: StepHost, s: Int32Array, t: number, loc: number): boolean {
  const L = m.layout;
  for (let i = 0, cap = L.lqCapacity[t]; i < cap; i++) {
    const e = L.lqEntry(t, i);
    if (s[e] === 0) return false;
    if (s[e + 1] === loc) return true;
  }
  return false;
}

/** The newest store-buffer entry of thread t for loc, or -1. */
export function sbNewest(m: StepHost, s: Int32Array, t: number, loc: number): number {
  const L = m.layout;
  for (let i = sbCount(m, s, t) - 1; i >= 0; i--) if (s[L.sbEntry(t, i)] === loc + 1) return i;
  return -1;
}

/** A relaxed load into register `reg` (sc; tso: its own newest buffered store to loc first). */
export function relaxedLoad(m: StepHost, s: Int32Array, t: number, reg: number, loc: number, ordering: number): void {
  const L = m.layout;
  const slot = L.reg(t, reg);
  if (m.weak && m.weakThread[t] === 1) {
    const i = L.sbCapacity[t] > 0 ? sbNewest(m, s, t, loc) : -1;
    if (i >= 0) {
      s[slot] = s[L.sbEntry(t, i) + 1];
      log(m, 'read', loc, s[slot], reg, i, true, ordering);
      return;
    }
  }
  s[slot] = s[L.locSlot(loc)];
  log(m, 'read', loc, s[slot], reg, -1, false, ordering);
}

export function relaxedStore(m: StepHost, s: Int32Array, t: number, loc: number, value: number, ordering: number): void {
  const L = m.layout;
  if (!m.weak || L.sbCapacity[t] === 0) {
    s[L.locSlot(loc)] = value;
    log(m, 'write', loc, value, -1, -1, false, ordering);
    return;
  }
  // tso: a release store is ordered by the FIFO flush like any other. The entry's meta slot
  // stays 0 (the layout's entries are three slots wide for lkmm's use of them).
  const n = sbCount(m, s, t);
  const e = L.sbEntry(t, n);
  s[e] = loc + 1;
  s[e + 1] = value;
  log(m, 'buffer', loc, value, -1, n, false, ordering);
}

/**
 * sc; tso: a read-modify-write of loc (the machine drained the store buffer first: x86's locked
 * instructions are full barriers): it reads memory and, when `next` is not null, writes it in the
 * same step. Returns the value read.
 */
export function rmw(m: StepHost, s: Int32Array, t: number, reg: number, loc: number, next: number | null, ordering: number): number {
  const slot = m.layout.locSlot(loc);
  const value = s[slot];
  log(m, 'read', loc, value, reg, -1, false, ordering === RmwOrdering.acquire ? Ordering.acquire : Ordering.plain);
  if (next === null) return value;
  s[slot] = next;
  log(m, 'write', loc, next, -1, -1, false, ordering === RmwOrdering.release ? Ordering.release : Ordering.plain);
  return value;
}

export function fence(m: StepHost, s: Int32Array, t: number, kind: number): void {
  log(m, 'fence', -1, 0, -1, -1, false, kind);
  // tso keeps loads in order and flushes stores in order: smp_rmb and smp_wmb add nothing.
  if (!m.weak || m.weakThread[t] === 0 || kind === Fence.rmb || kind === Fence.wmb) return;
  settle(m, s, t);
}

/** Drains the store buffer: a full barrier. */
export function settle(m: StepHost, s: Int32Array, t: number): void {
  while (sbCount(m, s, t) > 0) flush(m, s, t, 0);
}

/** Store-buffer entry i of thread t becomes visible to every thread. */
export function flush(m: StepHost, s: Int32Array, t: number, i: number): void {
  const L = m.layout;
  const n = sbCount(m, s, t);
  const e = L.sbEntry(t, i);
  const loc = s[e] - 1;
  const value = s[e + 1];
  s[L.locSlot(loc)] = value;
  s.copyWithin(e, e + SB_ENTRY_WIDTH, L.sbEntry(t, n));
  s.fill(0, L.sbEntry(t, n - 1), L.sbEntry(t, n));
  log(m, 'flush', loc, value, -1, i);
}

/** Record register `value` as litmus result `result`. */
export function observe(m: StepHost, s: Int32Array, R: number, result: number, value: number): boolean {
  s[m.layout.results + result] = s[R + value];
  s[m.layout.observed + result] = 1;
  return true;
}

/** The BUG_ON of softleaf_to_folio on a flags word this thread loaded (maybe stale). */
export function checkLockedLoaded(m: StepHost, s: Int32Array, t: number, R: number, entry: number, flags: number): boolean {
  const v = s[R + entry];
  if (!isMigrationEntry(v) || (s[R + flags] & PageFlag.locked) !== 0) return true;
  return m.fail(t, 'bug-on', `BUG_ON(!folio_test_locked) in softleaf_to_folio: ${formatPte(v, (i) => m.pageName(i))} and the flags it loaded say unlocked`);
}

/** A litmus test's `exists` clause, over the final variables and recorded results. */
export function weakOutcome(m: StepHost, s: Int32Array): Violation | null {
  const lit = m.world.litmus;
  if (!lit || lit.exists.length === 0 || (m.enabled & invariantBit('weak-outcome')) === 0) return null;
  const L = m.layout;
  const value = (name: string): number | undefined => {
    const v = L.varIndex.get(name);
    if (v !== undefined) return s[L.vars + v];
    const r = L.resultIndex.get(name);
    return r === undefined ? undefined : s[L.results + r];
  };
  if (!lit.exists.every((c) => value(c.name) === c.value)) return null;
  // a pointer (litmusPointer) as the name of the variable it points to, as herd7 writes it
  const show = (v: number | undefined) => (v !== undefined && litmusPointee(v, lit.vars.length) >= 0 ? lit.vars[litmusPointee(v, lit.vars.length)] : v);
  const final = [...lit.vars, ...lit.results].map((n) => `${n}=${show(value(n))}`).join(' ');
  const cond = lit.exists.map((c) => `${c.name}=${show(c.value)}`).join(' /\\ ');
  return { invariant: 'weak-outcome', thread: 0, message: `the weak outcome exists (${cond}) is reachable under ${m.world.memoryModel}: final state ${final}` };
}
