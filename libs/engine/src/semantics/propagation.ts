import {
  Fence,
  LQ_ENTRY_WIDTH,
  Ordering,
  PageFlag,
  RcuField,
  RmwOrdering,
  SpecCond,
  ThreadField,
  ThreadStatus,
  litmusPointee,
  pteKind,
  ptePfn,
} from '@mmreplay/model';
import type { MemAction } from '../machine.js';
import type { StepHost } from './context.js';

// lkmm: stores propagate to each CPU on its own (docs/memory-model.md, "The engine's lkmm").
//
// Each location that relaxed stores write keeps, in coherence order, the messages some CPU may
// still read: older ones in the propagation state, the newest in the location's own slot (which is
// what SC steps read and write, and what the litmus `exists` clause reads at the end). A CPU's
// view says, per location, the newest position it has seen: a load reads any message at or after
// it, a store takes any place in the coherence order after it. A message carries the positions
// its readers must see afterwards (its mview): the stores its writer made before its last smp_wmb
// (wmb: write->write propagation order), or, for a release store, everything its writer had seen
// (A-cumulativity). smp_mb (and every SC step of a CPU with relaxed accesses) propagates what its
// CPU has seen to every CPU (a strong fence: A-cumulative, and nothing after it runs first).
// Plain loads may be left outstanding and satisfied later (load->load and load->store
// reordering), except across an smp_rmb (epochs), a dependency (the register waits), or an
// access to the same location (coherence); an acquire load, a release store, smp_mb and SC steps
// wait until none is outstanding.

// An outstanding store's meta slot: bit 0 release; then a mask of the outstanding loads it waits
// for (a release waits for every earlier load, a store in a speculated branch for the load the
// branch tests); from WMB_SHIFT, how many smp_wmb()s of its thread came after it while it was
// outstanding (it runs after the stores outstanding at more of them, before those at fewer).
const LOAD_MASK_SHIFT = 1;
const LOAD_MASK = 0xff;
// Then a mask of the outstanding loads whose address was not known when they were issued and
// that come after the store in program order (it was outstanding then): such a load, once it
// turns out to read the store's location, reads that store or a later one (CoWR).
const BEFORE_SHIFT = 9;
const BEFORE_MASK = 0x7f;
const WMB_SHIFT = 16;

/** How many of its thread's smp_wmb()s outstanding store i was outstanding at. */
function wmbsOf(m: StepHost, s: Int32Array, t: number, i: number): number {
  return s[m.layout.sbEntry(t, i) + 2] >> WMB_SHIFT;
}

function log(m: StepHost, a: Partial<MemAction> & Pick<MemAction, 'kind'>): void {
  m.memLog.push({ loc: -1, value: 0, reg: -1, index: -1, forwarded: false, order: 0, pos: -1, ...a });
}

/** Messages of mloc k: the older ones plus the newest. */
export function positions(m: StepHost, s: Int32Array, k: number): number {
  return s[m.layout.msgBase[k]] + 1;
}

/** The value of the message at position p of mloc k. */
export function valueAt(m: StepHost, s: Int32Array, k: number, p: number): number {
  const L = m.layout;
  return p === s[L.msgBase[k]] ? s[L.locSlot(L.mlocs[k])] : s[L.msg(k, p)];
}

/** The slot of the mview of the message at position p of mloc k (nMlocs positions). */
function mviewAt(m: StepHost, s: Int32Array, k: number, p: number): number {
  const L = m.layout;
  return p === s[L.msgBase[k]] ? L.newestView(k) : L.msg(k, p) + 1;
}

/** How many messages of loc thread t may read now (1 for a location no relaxed store writes). */
export function readOptions(m: StepHost, s: Int32Array, t: number, loc: number): number {
  const L = m.layout;
  const k = L.mlocOf[loc];
  return k < 0 ? 1 : positions(m, s, k) - s[L.view(t, k)];
}

/** How many places in loc's coherence order a store of thread t may take (none between a read-modify-write and the message it read). */
export function storeOptions(m: StepHost, s: Int32Array, t: number, loc: number): number {
  const L = m.layout;
  const k = L.mlocOf[loc];
  if (k < 0 || L.glueSlot[k] < 0) return readOptions(m, s, t, loc);
  const glued = s[L.glueSlot[k]];
  let n = 0;
  for (let p = positions(m, s, k); p > s[L.view(t, k)]; p--) if (((glued >> p) & 1) === 0) n++;
  return n;
}

/**
 * The place (0 the oldest message still readable) a store of thread t to mloc k takes for
 * `choice` (0: after the newest): the choice-th free place from the end, skipping each place
 * between a read-modify-write's write and the message it read (glueSlot).
 */
function placeOf(m: StepHost, s: Int32Array, t: number, k: number, choice: number): number {
  const L = m.layout;
  const n = positions(m, s, k);
  if (L.glueSlot[k] < 0) return n - choice;
  const glued = s[L.glueSlot[k]];
  for (let p = n, c = choice; p > 0; p--) if (((glued >> p) & 1) === 0 && c-- === 0) return p;
  throw new Error(`no place ${choice} for a store to ${L.locShort(L.mlocs[k])}`);
}

/**
 * The messages of loc a read-modify-write of thread t may read (newest first): those it may see
 * whose next message is not a read-modify-write's write that read it (atomicity: two cannot read
 * one store, and nothing comes between a read and its write).
 */
export function rmwReads(m: StepHost, s: Int32Array, t: number, loc: number): number[] {
  const L = m.layout;
  const k = L.mlocOf[loc];
  const glued = L.glueSlot[k] >= 0 ? s[L.glueSlot[k]] : 0;
  // (bit p + 1 of the newest, p, names no message: never set)
  return readablePositions(m, s, t, loc).filter((p) => ((glued >> (p + 1)) & 1) === 0);
}

/** The messages of loc thread t may read (newest first), as positions. */
export function readablePositions(m: StepHost, s: Int32Array, t: number, loc: number): number[] {
  const L = m.layout;
  const k = L.mlocOf[loc];
  const out: number[] = [];
  for (let p = positions(m, s, k) - 1; p >= s[L.view(t, k)]; p--) out.push(p);
  return out;
}

/** The value of loc's message at position p (an mloc's). */
export function messageValue(m: StepHost, s: Int32Array, loc: number, p: number): number {
  return valueAt(m, s, m.layout.mlocOf[loc], p);
}

/** Thread t has an outstanding load with an smp_rmb epoch older than `epoch`. */
export function olderEpochPending(m: StepHost, s: Int32Array, t: number, n: number, epoch: number): boolean {
  const L = m.layout;
  for (let i = 0; i < n; i++) if (s[L.lqEpoch(t, i)] < epoch) return true;
  return false;
}

/**
 * Thread t reads the message at position p of loc (choice order: newest first). `also`: the bases
 * of more views raised alike (what an outstanding unlock or release after the load will carry).
 */
function readMessage(m: StepHost, s: Int32Array, t: number, loc: number, choice: number, also: readonly number[] = NONE): { value: number; pos: number } {
  const L = m.layout;
  const k = L.mlocOf[loc];
  if (k < 0) return { value: s[L.locSlot(loc)], pos: -1 };
  const n = positions(m, s, k);
  const p = n - 1 - choice;
  const value = valueAt(m, s, k, p);
  // The message has propagated to this CPU, and with it what its mview says.
  const mv = mviewAt(m, s, k, p);
  const K = L.nMlocs;
  for (let j = 0; j < K; j++) {
    const v = L.view(t, j);
    const need = j === k ? p : s[mv + j];
    if (need > s[v]) s[v] = need;
    for (const a of also) if (need > s[a + j]) s[a + j] = need;
  }
  return { value, pos: p };
}

const NONE: readonly number[] = [];

/** Raises each of the n positions from slot `to` on to the one from slot `from` on, where that is later. */
function raise(s: Int32Array, to: number, from: number, n: number): void {
  for (let j = 0; j < n; j++) if (s[from + j] > s[to + j]) s[to + j] = s[from + j];
}

/** Outstanding store i of thread t is a release store other than an unlock (it has a carried set). */
function isRelease(m: StepHost, s: Int32Array, t: number, i: number): boolean {
  const L = m.layout;
  const e = L.sbEntry(t, i);
  if ((s[e + 2] & 1) === 0) return false;
  const v = s[e] - 1 - L.varLoc(0);
  return v < 0 || L.lockVar[v] !== 1;
}

/** How many of thread t's first n outstanding stores are releases other than unlocks. */
export function releasesBefore(m: StepHost, s: Int32Array, t: number, n: number): number {
  let d = 0;
  for (let i = 0; i < n; i++) if (isRelease(m, s, t, i)) d++;
  return d;
}

/**
 * The carried sets of thread t's outstanding releases that come after, in program order, the
 * access that `after` says: outstanding load `load` (the release's mask holds it), or outstanding
 * store `store` (an older entry; releases run in program order after every older store).
 */
function releaseViewsAfter(m: StepHost, s: Int32Array, t: number, load: number, store: number): number[] {
  const L = m.layout;
  if (L.relBase[t] < 0) return [];
  const out: number[] = [];
  for (let i = 0, d = 0, cap = L.sbCapacity[t]; i < cap && s[L.sbEntry(t, i)] !== 0; i++) {
    if (!isRelease(m, s, t, i)) continue;
    const after = load >= 0 ? ((s[L.sbEntry(t, i) + 2] >> (LOAD_MASK_SHIFT + load)) & 1) !== 0 : i > store;
    if (after) out.push(L.rel(t, d, 0));
    d++;
  }
  return out;
}

/** A relaxed load into `reg`: choice < readOptions reads that message now; the next one defers it. */
export function load(m: StepHost, s: Int32Array, t: number, reg: number, loc: number, ordering: number, choice: number, lqCount: number): void {
  const L = m.layout;
  const now = readOptions(m, s, t, loc);
  const slot = L.reg(t, reg);
  if (choice >= now) {
    const e = L.lqEntry(t, lqCount);
    s[e] = reg + 1;
    s[e + 1] = loc;
    s[L.lqEpoch(t, lqCount)] = s[L.rmbEpoch(t)];
    s[slot] = 0;
    log(m, { kind: 'defer', loc, reg, index: lqCount, order: ordering });
    return;
  }
  const { value, pos } = readMessage(m, s, t, loc, choice);
  s[slot] = value;
  log(m, { kind: 'read', loc, value, reg, order: ordering, pos });
}

/**
 * A load through a pointer register `ptr` that an outstanding load still writes (an address
 * dependency, linux-kernel.cat `addr` in `ppo`): it is left outstanding with its location not
 * known yet (`-(ptr + 1)` in the entry's location slot) and is resolved when that load is
 * satisfied. Only it waits; later accesses to locations it cannot read run meanwhile.
 */
export function deferUnresolved(m: StepHost, s: Int32Array, t: number, reg: number, ptr: number, lqCount: number): void {
  const L = m.layout;
  const e = L.lqEntry(t, lqCount);
  s[e] = reg + 1;
  s[e + 1] = -(ptr + 1);
  s[L.lqEpoch(t, lqCount)] = s[L.rmbEpoch(t)];
  s[L.reg(t, reg)] = 0;
  loadAfterStores(m, s, t, lqCount);
  log(m, { kind: 'defer', loc: -(ptr + 1), reg, index: lqCount });
}

/**
 * Thread t's outstanding load `index` comes after its outstanding stores in program order (a mask
 * bit in each store's entry): should one of them turn out to write the load's location (an address
 * not known yet, the load's or the store's), the load reads that store or a later one (CoWR).
 */
export function loadAfterStores(m: StepHost, s: Int32Array, t: number, index: number): void {
  const L = m.layout;
  for (let i = 0, cap = L.sbCapacity[t]; i < cap && s[L.sbEntry(t, i)] !== 0; i++) s[L.sbEntry(t, i) + 2] |= 1 << (BEFORE_SHIFT + index);
}

/**
 * Thread t's outstanding stores (a bit each) whose address is not known yet (a store through a
 * pointer an outstanding load still writes): of the first `upTo`, or, with `load` >= 0, those
 * before its outstanding load `load` in program order.
 */
export function unresolvedStores(m: StepHost, s: Int32Array, t: number, upTo: number, load = -1): number {
  const L = m.layout;
  let mask = 0;
  for (let i = 0, cap = L.sbCapacity[t]; i < upTo && i < cap && s[L.sbEntry(t, i)] !== 0; i++)
    if (s[L.sbEntry(t, i)] < 0 && (load < 0 || ((s[L.sbEntry(t, i) + 2] >> (BEFORE_SHIFT + load)) & 1) !== 0)) mask |= 1 << i;
  return mask;
}

/** The pointer register outstanding store i of thread t waits for (its address is not known yet). */
export function storePointerReg(m: StepHost, s: Int32Array, t: number, i: number): number {
  return -s[m.layout.sbEntry(t, i)] - 1;
}

/** Outstanding loads of thread t waiting for the address in register `reg`: they now load from where `value` points. */
function resolveAddresses(m: StepHost, s: Int32Array, t: number, reg: number, value: number, n: number): void {
  const L = m.layout;
  for (let i = 0; i < n; i++) {
    const e = L.lqEntry(t, i);
    if (s[e + 1] !== -(reg + 1)) continue;
    const v = litmusPointee(value, m.world.litmus?.vars.length ?? 0);
    if (v < 0) throw new Error(`thread ${m.world.threads[t].name}: a load through a pointer that reads ${value}, which points to no litmus variable`);
    s[e + 1] = L.varLoc(v);
  }
  // Outstanding stores through that pointer (store_ptr) now write where it points (an entry's
  // location slot holds loc + 1, or -(ptr + 1) while the address is not known).
  for (let i = 0, cap = L.sbCapacity[t]; i < cap && s[L.sbEntry(t, i)] !== 0; i++) {
    const e = L.sbEntry(t, i);
    if (s[e] !== -(reg + 1)) continue;
    const v = litmusPointee(value, m.world.litmus?.vars.length ?? 0);
    if (v < 0) throw new Error(`thread ${m.world.threads[t].name}: a store through a pointer that reads ${value}, which points to no litmus variable`);
    s[e] = L.varLoc(v) + 1;
  }
}

/** Whether value `v` meets a speculated branch's condition `cond` on constant `c` (SpecCond). */
export function meets(cond: number, c: number, v: number): boolean {
  switch (cond) {
    case SpecCond.eqTrue:
      return v === c;
    case SpecCond.eqFalse:
      return v !== c;
    case SpecCond.ltTrue:
      return v < c;
    case SpecCond.ltFalse:
      return v >= c;
    case SpecCond.kindTrue:
      return ((c >> pteKind(v)) & 1) !== 0;
    case SpecCond.kindFalse:
      return ((c >> pteKind(v)) & 1) === 0;
    case SpecCond.pfnTrue:
      return ptePfn(v) === c;
    case SpecCond.pfnFalse:
      return ptePfn(v) !== c;
    default:
      return true;
  }
}

/** The branches speculated on outstanding load i of thread t: does `v` go each one's way? */
function agrees(m: StepHost, s: Int32Array, t: number, i: number, v: number): boolean {
  const L = m.layout;
  for (let j = 0, d = L.specDepth[t]; j < d; j++) {
    const e = L.specIf(t, i, j);
    if (s[e] === 0) break;
    if (!meets(s[e + 1], s[e + 2], v)) return false;
  }
  return true;
}

/** The value of read choice `choice` (newest first) of loc for thread t. */
function choiceValue(m: StepHost, s: Int32Array, loc: number, choice: number): number {
  const L = m.layout;
  const k = L.mlocOf[loc];
  return k < 0 ? s[L.locSlot(loc)] : valueAt(m, s, k, positions(m, s, k) - 1 - choice);
}

/** How many messages outstanding load i of thread t may read now: those that agree with a branch speculated on it. */
export function satisfyOptions(m: StepHost, s: Int32Array, t: number, i: number, loc: number): number {
  // A failed trylock's read: a lock-held store, and its register is 0 (what the branches on it test).
  // It comes after its CPU's own stores to the lock before it in program order (an unlock left
  // outstanding): those run first.
  if (isTrylockRead(m, s, t, i))
    return (m.layout.specBase[t] >= 0 && !agrees(m, s, t, i, 0)) || ownStoreBefore(m, s, t, i, loc) ? 0 : heldOptions(m, s, t, loc);
  const n = readOptions(m, s, t, loc);
  if (m.layout.specBase[t] < 0 || s[m.layout.specIf(t, i)] === 0) return n;
  let c = 0;
  for (let j = 0; j < n; j++) if (agrees(m, s, t, i, choiceValue(m, s, loc, j))) c++;
  return c;
}

/** The read choice of the `k`th message (newest first) that outstanding load i of thread t may read now. */
export function satisfyChoice(m: StepHost, s: Int32Array, t: number, i: number, loc: number, k: number): number {
  if (isTrylockRead(m, s, t, i)) return heldChoice(m, s, t, loc, k);
  if (m.layout.specBase[t] < 0 || s[m.layout.specIf(t, i)] === 0) return k;
  for (let j = 0, n = readOptions(m, s, t, loc); j < n; j++) if (agrees(m, s, t, i, choiceValue(m, s, loc, j)) && k-- === 0) return j;
  throw new Error(`no message for load ${i} of thread ${t}`);
}

/**
 * The newest of thread t's outstanding stores to loc that come before its outstanding load i in
 * program order (i's address was not known when it was issued), or -1: the load reads it
 * (forwarding) while it is outstanding.
 */
export function storeBeforeLoad(m: StepHost, s: Int32Array, t: number, i: number, loc: number): number {
  const L = m.layout;
  let found = -1;
  for (let j = 0, cap = L.sbCapacity[t]; j < cap && s[L.sbEntry(t, j)] !== 0; j++)
    if (s[L.sbEntry(t, j)] === loc + 1 && ((s[L.sbEntry(t, j) + 2] >> (BEFORE_SHIFT + i)) & 1) !== 0) found = j;
  return found;
}

/** Whether outstanding load i of thread t may read `value` (the branches speculated on it go its way). */
export function mayRead(m: StepHost, s: Int32Array, t: number, i: number, value: number): boolean {
  return m.layout.specBase[t] < 0 || s[m.layout.specIf(t, i)] === 0 || agrees(m, s, t, i, value);
}

/** Outstanding load i of thread t comes after outstanding store j in program order (its address was not known then). */
function storeIsBefore(m: StepHost, s: Int32Array, t: number, j: number, i: number): boolean {
  return ((loadsAfter(m, s, t, j) >> i) & 1) !== 0;
}

/** The outstanding loads (a bit each) that come after thread t's outstanding store j in program order, their addresses not known when issued. */
export function loadsAfter(m: StepHost, s: Int32Array, t: number, j: number): number {
  return (s[m.layout.sbEntry(t, j) + 2] >> BEFORE_SHIFT) & BEFORE_MASK;
}

/**
 * Outstanding load `index` of thread t reads message `choice` (newest first) of its location, or,
 * with `fwd` >= 0, the value of its thread's outstanding store fwd (storeBeforeLoad).
 */
export function satisfy(m: StepHost, s: Int32Array, t: number, index: number, choice: number, lqCount: number, sbCount: number, fwd = -1): void {
  const L = m.layout;
  const e = L.lqEntry(t, index);
  const reg = s[e] - 1;
  const loc = s[e + 1];
  // A load before an outstanding spin_unlock: what it sees, the unlock (a release) will carry.
  const u = L.unlockedSlot[t] >= 0 ? pendingUnlock(m, s, t) : -1;
  const before = u >= 0 && ((s[L.sbEntry(t, u) + 2] >> (LOAD_MASK_SHIFT + index)) & 1) !== 0;
  const trylock = isTrylockRead(m, s, t, index);
  const also = L.relBase[t] >= 0 ? releaseViewsAfter(m, s, t, index, -1) : [];
  if (before) also.push(L.ulView(t, 0));
  // A load before an issued scenario release: what it sees, the release will carry.
  if (L.relPend[t] >= 0 && index < s[L.relPend[t] + 1]) also.push(L.relView(t, 0));
  // A load of an ended RCU critical section: what it sees, the section's end carries.
  const rcu = L.rcuBase[t] >= 0 && s[L.rcu(t, RcuField.pending)] !== 0 && index < s[L.rcu(t, RcuField.loads)];
  if (rcu) also.push(L.rcuView(t, 0));
  const { value, pos } = fwd >= 0 ? { value: s[L.reg(t, s[L.sbEntry(t, fwd) + 1])], pos: -1 } : readMessage(m, s, t, loc, choice, also);
  // A failed trylock read the lock held: it returns 0.
  s[L.reg(t, reg)] = trylock ? 0 : value;
  if (L.specBase[t] >= 0) sameBecomesEq(m, s, t, index, reg, trylock ? 0 : value, lqCount);
  s.copyWithin(e, e + LQ_ENTRY_WIDTH, L.lqEntry(t, lqCount));
  s.fill(0, L.lqEntry(t, lqCount - 1), L.lqEntry(t, lqCount));
  // One of the loads an issued scenario release waits for (Layout.relPend).
  if (L.relPend[t] >= 0 && index < s[L.relPend[t] + 1]) s[L.relPend[t] + 1]--;
  if (rcu) {
    s[L.rcu(t, RcuField.loads)]--;
    rcuEndIfDone(m, s, t);
  }
  s.copyWithin(L.lqEpoch(t, index), L.lqEpoch(t, index + 1), L.lqEpoch(t, lqCount));
  s[L.lqEpoch(t, lqCount - 1)] = 0;
  if (L.specBase[t] >= 0) {
    s.copyWithin(L.specIf(t, index), L.specIf(t, index + 1), L.specIf(t, lqCount));
    s.fill(0, L.specIf(t, lqCount - 1), L.specIf(t, lqCount));
  }
  normaliseEpochs(m, s, t, lqCount - 1);
  resolveAddresses(m, s, t, reg, value, lqCount - 1);
  // Outstanding stores wait for loads (a release for those issued before it, a store in a
  // speculated branch for the load the branch tests): renumber their masks.
  for (let i = 0; i < sbCount; i++) {
    const meta = L.sbEntry(t, i) + 2;
    s[meta] = renumber(renumber(s[meta], LOAD_MASK_SHIFT, LOAD_MASK, index), BEFORE_SHIFT, BEFORE_MASK, index);
  }
  log(m, { kind: 'satisfy', loc, value, reg, index, pos, forwarded: fwd >= 0 });
}

/** The load mask of `width` at `shift` in `meta` without load `index` (the later ones move down). */
function renumber(meta: number, shift: number, width: number, index: number): number {
  const mask = (meta >> shift) & width;
  if (mask === 0) return meta;
  const low = mask & ((1 << index) - 1);
  return (meta & ~(width << shift)) | ((low | ((mask >> (index + 1)) << index)) << shift);
}

/**
 * Outstanding load `index` of thread t read `value` into `reg`: a branch speculated on it and on
 * another outstanding load (bsame of two loaded registers) now asks the other load for that value.
 */
function sameBecomesEq(m: StepHost, s: Int32Array, t: number, index: number, reg: number, value: number, lqCount: number): void {
  const L = m.layout;
  for (let i = 0; i < lqCount; i++) {
    if (i === index) continue;
    for (let j = 0; j < L.specDepth[t]; j++) {
      const e = L.specIf(t, i, j);
      if (s[e] === 0) break;
      if ((s[e + 1] === SpecCond.sameTrue || s[e + 1] === SpecCond.sameFalse) && s[e + 2] === reg) {
        s[e + 1] = s[e + 1] === SpecCond.sameTrue ? SpecCond.eqTrue : SpecCond.eqFalse;
        s[e + 2] = value;
      }
    }
  }
}

/** Epochs relative to the oldest outstanding load, so that equal queues are equal bytes. */
function normaliseEpochs(m: StepHost, s: Int32Array, t: number, n: number): void {
  const L = m.layout;
  if (n === 0) {
    s[L.rmbEpoch(t)] = 0;
    return;
  }
  let min = s[L.rmbEpoch(t)];
  for (let i = 0; i < n; i++) min = Math.min(min, s[L.lqEpoch(t, i)]);
  if (min === 0) return;
  for (let i = 0; i < n; i++) s[L.lqEpoch(t, i)] -= min;
  s[L.rmbEpoch(t)] -= min;
}

/** Adds `delta` to every position of mloc k at or after `from` (a message inserted at `from`). */
function shiftPositions(m: StepHost, s: Int32Array, k: number, from: number, delta: number): void {
  const L = m.layout;
  const K = L.nMlocs;
  const bump = (slot: number) => {
    if (s[slot] >= from) s[slot] = Math.max(0, s[slot] + delta);
  };
  for (let j = 0; j < K; j++) {
    const n = s[L.msgBase[j]];
    for (let i = 0; i < n; i++) bump(L.msg(j, i) + 1 + k);
    bump(L.newestView(j) + k);
  }
  for (let t = 0; t < L.viewBase.length; t++) {
    if (L.viewBase[t] < 0) continue;
    bump(L.view(t, k));
    bump(L.own(t, k));
    bump(L.wview(t, k));
    for (let d = 0; d < L.wmbDepth[t]; d++) bump(L.wprev(t, k, d));
    if (L.unlockedSlot[t] >= 0) {
      bump(L.relCarry(t, k));
      bump(L.ulCarry(t, k));
      bump(L.ulView(t, k));
    }
    if (L.aulBase[t] >= 0) {
      bump(L.aul(t, k));
      bump(L.ownUl(t, k));
    }
    for (let d = 0; d < L.relDepth[t]; d++) bump(L.rel(t, d, k));
    if (L.relPend[t] >= 0) bump(L.relView(t, k));
  }
  for (let t = 0; t < L.rcuBase.length; t++) {
    if (!L.rcuViews(t)) continue;
    bump(L.rcuView(t, k));
    bump(L.gpView(t, k));
  }
  for (let l = 0; l < K; l++) if (L.lockCarryBase[l] >= 0) bump(L.lockCarry(l, k));
}

/**
 * A store's place relative to its thread's outstanding spin_unlock (at most one): `none` (no
 * unlock is outstanding, or the store comes after it in program order), `before` (an outstanding
 * store before it: the unlock passes it on), `unlock` (the outstanding unlock itself: it carries
 * what was seen before it, ulView, not since).
 */
export const UnlockRole = { none: 0, before: 1, unlock: 2 } as const;

/**
 * A relaxed store: it takes place `choice` from the end of loc's coherence order (0: newest).
 * `wmbs` > 0: it was outstanding at its thread's last `wmbs` smp_wmb()s, so it carries what the
 * stores before the first of them carry, and the stores after each of them carry it. `role`: see
 * UnlockRole. `carriedFrom`: the base of what an outstanding release store carries (else -1).
 */
export function store(
  m: StepHost,
  s: Int32Array,
  t: number,
  loc: number,
  value: number,
  ordering: number,
  choice: number,
  wmbs = 0,
  role: number = UnlockRole.none,
  carriedFrom = -1,
): void {
  const L = m.layout;
  const k = L.mlocOf[loc];
  if (k < 0) {
    s[L.locSlot(loc)] = value;
    log(m, { kind: 'write', loc, value, order: ordering });
    return;
  }
  placeStore(m, s, t, loc, value, ordering, placeOf(m, s, t, k, choice), wmbs, role, carriedFrom, false);
}

/** A store to mloc loc at place p of its coherence order; `glued`: a read-modify-write's write, which read the message at p - 1. */
function placeStore(
  m: StepHost,
  s: Int32Array,
  t: number,
  loc: number,
  value: number,
  ordering: number,
  p: number,
  wmbs: number,
  role: number,
  carriedFrom: number,
  glued: boolean,
): void {
  const L = m.layout;
  const k = L.mlocOf[loc];
  const K = L.nMlocs;
  const base = L.msgBase[k];
  const older = s[base];
  const n = older + 1;
  // What its readers must see afterwards: everything this CPU has seen for a release store,
  // else its own stores before its last smp_wmb.
  const carried = new Int32Array(K);
  for (let j = 0; j < K; j++) carried[j] = ordering === Ordering.release ? s[L.view(t, j)] : wmbs > 0 ? s[L.wprev(t, j, wmbs - 1)] : s[L.wview(t, j)];
  // An unlock that was outstanding carries what its CPU had seen through the accesses before it,
  // not what later ones that ran first saw (po-rel orders only what precedes it).
  if (role === UnlockRole.unlock) for (let j = 0; j < K; j++) carried[j] = s[L.ulView(t, j)];
  // So does any other release store that was outstanding (po-rel): its carried set.
  if (carriedFrom >= 0) for (let j = 0; j < K; j++) carried[j] = s[carriedFrom + j];
  shiftPositions(m, s, k, p, 1);
  for (let j = 0; j < K; j++) if (carried[j] >= p && j === k) carried[j]++;
  const width = 1 + K;
  if (p === n) {
    // The newest message so far becomes an older one.
    const at = L.msg(k, older);
    s[at] = s[L.locSlot(loc)];
    s.copyWithin(at + 1, L.newestView(k), L.newestView(k) + K);
    s[L.locSlot(loc)] = value;
    s.set(carried, L.newestView(k));
  } else {
    const at = L.msg(k, p);
    s.copyWithin(at + width, at, L.msg(k, older));
    s[at] = value;
    s.set(carried, at + 1);
  }
  s[base] = older + 1;
  if (L.glueSlot[k] >= 0) {
    // The messages from p on move up one place, and so do their marks.
    const g = s[L.glueSlot[k]];
    s[L.glueSlot[k]] = (g & ((1 << p) - 1)) | ((g >>> p) << (p + 1)) | (glued ? 1 << p : 0);
  }
  s[L.view(t, k)] = p;
  s[L.own(t, k)] = p;
  if (wmbs > 0) {
    // The stores after each of those barriers carry it (those outstanding at fewer of them too).
    if (s[L.wview(t, k)] < p) s[L.wview(t, k)] = p;
    for (let d = 0; d < wmbs - 1; d++) if (s[L.wprev(t, k, d)] < p) s[L.wprev(t, k, d)] = p;
  }
  if (role === UnlockRole.before) {
    // Before the outstanding unlock: the unlock passes it on, and carries it (its CPU saw it).
    for (let j = 0; j < K; j++) if (carried[j] > s[L.ulCarry(t, j)]) s[L.ulCarry(t, j)] = carried[j];
    if (p > s[L.ulCarry(t, k)]) s[L.ulCarry(t, k)] = p;
    if (p > s[L.ulView(t, k)]) s[L.ulView(t, k)] = p;
  }
  if (L.unlockedSlot[t] >= 0) lockBookkeeping(m, s, t, k, ordering, carried);
  if (role === UnlockRole.unlock) s.fill(0, L.ulView(t, 0), L.ulView(t, K));
  log(m, { kind: 'write', loc, value, order: ordering, pos: p, index: n - p });
}

/** Registers thread t's outstanding stores take their values from. */
export function queuedStoreRegs(m: StepHost, s: Int32Array, t: number, n: number): number {
  let mask = 0;
  for (let i = 0; i < n; i++) mask |= 1 << s[m.layout.sbEntry(t, i) + 1];
  return mask;
}

/** Thread t has an outstanding store to loc. */
export function queuedStoreTo(m: StepHost, s: Int32Array, t: number, n: number, loc: number): boolean {
  for (let i = 0; i < n; i++) if (s[m.layout.sbEntry(t, i)] === loc + 1) return true;
  return false;
}

/** The newest of thread t's outstanding stores to loc (one exists). */
export function newestQueuedStore(m: StepHost, s: Int32Array, t: number, n: number, loc: number): number {
  for (let i = n - 1; i >= 0; i--) if (s[m.layout.sbEntry(t, i)] === loc + 1) return i;
  return -1;
}

/** A load reads the value of its thread's own outstanding store i (store forwarding). */
export function forward(m: StepHost, s: Int32Array, t: number, reg: number, loc: number, i: number): void {
  const L = m.layout;
  const value = s[L.reg(t, s[L.sbEntry(t, i) + 1])];
  s[L.reg(t, reg)] = value;
  log(m, { kind: 'read', loc, value, reg, index: i, forwarded: true });
}

/**
 * A plain store whose value waits for an outstanding load (a data dependency) is left
 * outstanding, and later independent accesses run meanwhile: store->store reordering, as the LKMM
 * allows for stores not ordered by a barrier. It executes later, as a step of its own.
 */
export function deferStore(
  m: StepHost,
  s: Int32Array,
  t: number,
  loc: number,
  reg: number,
  n: number,
  ordering: number,
  lqCount: number,
  ctrl: number,
  ptr = -1,
): void {
  const e = m.layout.sbEntry(t, n);
  // `ptr` >= 0: a store through that pointer register, which an outstanding load still writes: its
  // address is resolved when that load is satisfied (resolveAddresses), and it runs after that (addr).
  s[e] = ptr >= 0 ? -(ptr + 1) : loc + 1;
  s[e + 1] = reg;
  // A release store waits for every store before it (it runs first in the queue) and for the
  // loads outstanding now (a mask of their slots); a store in a speculated branch for the loads
  // the branches test (ctrl).
  s[e + 2] = ordering === Ordering.release ? 1 | (((1 << lqCount) - 1) << LOAD_MASK_SHIFT) : ctrl << LOAD_MASK_SHIFT;
  // A release other than an unlock will carry what its CPU has seen so far, and what the loads
  // and stores before it that are outstanding now add (po-rel), not what later accesses see.
  if (ordering === Ordering.release && isRelease(m, s, t, n)) {
    const L = m.layout;
    const d = releasesBefore(m, s, t, n);
    for (let j = 0; j < L.nMlocs; j++) s[L.rel(t, d, j)] = s[L.view(t, j)];
  }
  log(m, { kind: 'buffer', loc: ptr >= 0 ? -(ptr + 1) : loc, reg, index: n, order: ordering });
}

/** Outstanding store i of thread t (of n) may execute now, as far as ordering goes. */
export function queuedStoreReady(m: StepHost, s: Int32Array, t: number, i: number, n: number): boolean {
  const meta = s[m.layout.sbEntry(t, i) + 2];
  if (((meta >> LOAD_MASK_SHIFT) & LOAD_MASK) !== 0) return false;
  // After smp_wmb: not before the stores outstanding at more of its thread's barriers.
  if (meta >> WMB_SHIFT < maxWmbs(m, s, t, n)) return false;
  return (meta & 1) === 0 || i === 0;
}

/** The most smp_wmb()s of thread t any of its n outstanding stores was outstanding at (0: none since before its last). */
export function maxWmbs(m: StepHost, s: Int32Array, t: number, n: number): number {
  let w = 0;
  for (let i = 0; i < n; i++) w = Math.max(w, wmbsOf(m, s, t, i));
  return w;
}

/** Clears the carried sets of thread t that no outstanding store needs (one state, whatever they held). */
function tidyWprev(m: StepHost, s: Int32Array, t: number, n: number): void {
  const L = m.layout;
  for (let d = 0; d < L.wmbDepth[t]; d++) {
    let used = false;
    for (let i = 0; i < n && !used; i++) used = wmbsOf(m, s, t, i) === d + 1;
    if (!used) s.fill(0, L.wprev(t, 0, d), L.wprev(t, 0, d + 1));
  }
}

/** Outstanding store i of thread t executes now, at place `choice` from the end (0: newest). */
export function runQueuedStore(m: StepHost, s: Int32Array, t: number, i: number, choice: number, n: number): void {
  const L = m.layout;
  const e = L.sbEntry(t, i);
  const loc = s[e] - 1;
  const value = s[L.reg(t, s[e + 1])];
  const ordering = (s[e + 2] & 1) !== 0 ? Ordering.release : Ordering.plain;
  const wmbs = s[e + 2] >> WMB_SHIFT;
  const u = L.unlockedSlot[t] >= 0 ? pendingUnlock(m, s, t) : -1;
  const role = u < 0 || i > u ? UnlockRole.none : i === u ? UnlockRole.unlock : UnlockRole.before;
  // A release (other than an unlock) runs first of its thread's outstanding ones: set 0 is its.
  const release = L.relBase[t] >= 0 && isRelease(m, s, t, i);
  const later = L.relBase[t] >= 0 ? releaseViewsAfter(m, s, t, -1, i) : NONE;
  s.copyWithin(e, L.sbEntry(t, i + 1), L.sbEntry(t, n));
  s.fill(0, L.sbEntry(t, n - 1), L.sbEntry(t, n));
  // One of the stores an issued scenario release waits for (Layout.relPend): it carries it.
  if (L.relPend[t] >= 0 && i < s[L.relPend[t] + 2]) {
    s[L.relPend[t] + 2]--;
    const k = L.mlocOf[loc];
    if (k >= 0 && s[L.own(t, k)] > s[L.relView(t, k)]) s[L.relView(t, k)] = s[L.own(t, k)];
  }
  const rcu = L.rcuBase[t] >= 0 && s[L.rcu(t, RcuField.pending)] !== 0 && i < s[L.rcu(t, RcuField.stores)];
  store(m, s, t, loc, value, ordering, choice, wmbs, role, release ? L.rel(t, 0, 0) : -1);
  if (L.relBase[t] >= 0) releaseRan(m, s, t, loc, later, release);
  if (rcu) {
    // One of the stores of an ended RCU critical section: the section's end carries it.
    const k = L.mlocOf[loc];
    if (k >= 0 && s[L.own(t, k)] > s[L.rcuView(t, k)]) s[L.rcuView(t, k)] = s[L.own(t, k)];
    s[L.rcu(t, RcuField.stores)]--;
    rcuEndIfDone(m, s, t);
  }
  // The last of them: what they carried matters no more (one state, whatever it was).
  if (wmbs > 0) tidyWprev(m, s, t, n - 1);
}

/**
 * Thread t's outstanding store to loc ran: the releases after it in program order carry it and
 * what it carries (`later`: their sets); if it was a release, its set goes (the others move up).
 */
function releaseRan(m: StepHost, s: Int32Array, t: number, loc: number, later: readonly number[], release: boolean): void {
  const L = m.layout;
  const K = L.nMlocs;
  const k = L.mlocOf[loc];
  if (k >= 0 && later.length > 0) {
    const p = s[L.own(t, k)];
    const mv = mviewAt(m, s, k, p);
    for (const a of later) for (let j = 0; j < K; j++) s[a + j] = Math.max(s[a + j], j === k ? p : s[mv + j]);
  }
  if (!release) return;
  const end = L.rel(t, L.relDepth[t], 0);
  s.copyWithin(L.rel(t, 0, 0), L.rel(t, 1, 0), end);
  s.fill(0, end - K, end);
}

export function fence(m: StepHost, s: Int32Array, t: number, kind: number, lqCount: number): void {
  log(m, { kind: 'fence', order: kind });
  const L = m.layout;
  if (kind === Fence.rmb) {
    // Loads after it are satisfied after every load before it.
    if (lqCount > 0) s[L.rmbEpoch(t)]++;
  } else if (kind === Fence.wmb) {
    // Stores after it carry the places of this CPU's stores before it. Those still outstanding
    // (their places are not known yet) count one more barrier: they run before any store after
    // it, carry what the stores before it carried (the carried sets move one barrier back, and
    // the newest is wview), and add their places when they run.
    const K = L.nMlocs;
    let n = 0;
    for (let cap = L.sbCapacity[t]; n < cap && s[L.sbEntry(t, n)] !== 0; n++) s[L.sbEntry(t, n) + 2] += 1 << WMB_SHIFT;
    if (n > 0) {
      s.copyWithin(L.wprev(t, 0, 1), L.wprev(t, 0, 0), L.wprev(t, 0, L.wmbDepth[t] - 1));
      for (let j = 0; j < K; j++) s[L.wprev(t, j)] = s[L.wview(t, j)];
      tidyWprev(m, s, t, n);
    }
    // (what a spin_lock made later stores carry stays: po-unlock-lock-po)
    for (let j = 0; j < K; j++) if (s[L.own(t, j)] > s[L.wview(t, j)]) s[L.wview(t, j)] = s[L.own(t, j)];
  } else {
    propagate(m, s, t);
  }
}

/** A strong fence: everything thread t has seen (its own stores included) reaches every CPU. Returns whether some CPU saw a store it had not. */
export function propagate(m: StepHost, s: Int32Array, t: number): boolean {
  return spreadView(m, s, t, m.layout.view(t, 0));
}

/**
 * Thread t's issued scenario release performs (an SC step: every CPU sees it at once): what it
 * carries (relView: what its CPU had seen through the accesses before it, po-rel, not what later
 * ones that ran first saw) reaches every CPU. Returns whether some CPU saw a store it had not.
 */
export function propagateRelease(m: StepHost, s: Int32Array, t: number): boolean {
  return spreadView(m, s, t, m.layout.relView(t, 0));
}

/**
 * The view of thread t's that starts at slot `from` (one position per mloc: its view, or what its
 * issued release carries) reaches every other CPU that has not finished: their views, and what
 * their outstanding spin_unlock and issued release will carry, are raised to it. Returns whether
 * some CPU's view was raised.
 */
function spreadView(m: StepHost, s: Int32Array, t: number, from: number): boolean {
  const L = m.layout;
  const K = L.nMlocs;
  let raised = false;
  for (let u = 0; u < L.viewBase.length; u++) {
    if (u === t || L.viewBase[u] < 0 || s[L.finished(u)] !== 0) continue;
    for (let j = 0; j < K; j++) {
      if (s[from + j] > s[L.view(u, j)]) {
        s[L.view(u, j)] = s[from + j];
        raised = true;
      }
    }
    // What reached u's CPU before its outstanding unlock runs, the unlock carries (as it would at once).
    if (L.unlockedSlot[u] >= 0 && pendingUnlock(m, s, u) >= 0) for (let j = 0; j < K; j++) if (s[from + j] > s[L.ulView(u, j)]) s[L.ulView(u, j)] = s[from + j];
    // So does an issued scenario release of u's.
    if (L.relPend[u] >= 0 && s[L.relPend[u]] !== 0) for (let j = 0; j < K; j++) if (s[from + j] > s[L.relView(u, j)]) s[L.relView(u, j)] = s[from + j];
    // And the end of u's RCU critical section, while its accesses are outstanding.
    if (L.rcuViews(u) && s[L.rcu(u, RcuField.pending)] !== 0) raise(s, L.rcuView(u, 0), from, K);
  }
  return raised;
}

/**
 * lkmm: thread t's outermost rcu_read_unlock(): its critical section ends once the `nl` loads and
 * `ns` stores outstanding now (all before it in program order) are done, carrying what its CPU
 * has seen through them (rcuView, as an issued release carries relView; it only grows: a later
 * section carries what an earlier one did).
 */
export function rcuUnlock(m: StepHost, s: Int32Array, t: number, nl: number, ns: number): void {
  const L = m.layout;
  // (the last section's, if still outstanding, are among them: the first of the queues)
  s[L.rcu(t, RcuField.pending)] = 1;
  s[L.rcu(t, RcuField.loads)] = nl;
  s[L.rcu(t, RcuField.stores)] = ns;
  raise(s, L.rcuView(t, 0), L.view(t, 0), L.nMlocs);
  rcuEndIfDone(m, s, t);
}

function rcuEndIfDone(m: StepHost, s: Int32Array, t: number): void {
  const L = m.layout;
  if (s[L.rcu(t, RcuField.loads)] === 0 && s[L.rcu(t, RcuField.stores)] === 0) rcuEnded(m, s, t);
}

/**
 * Thread u's RCU critical section has ended, every access before its rcu_read_unlock() done: the
 * grace periods waiting for it wait no more, and (lkmm) each keeps what the section carried, to
 * make it reach every CPU when it ends (linux-kernel.cat rcu-fence: the section's accesses, and
 * what they observed, before everything after the grace period).
 */
export function rcuEnded(m: StepHost, s: Int32Array, u: number): void {
  const L = m.layout;
  const K = L.rcuViews(u) ? L.nMlocs : 0;
  s[L.rcu(u, RcuField.pending)] = 0;
  s[L.rcu(u, RcuField.loads)] = 0;
  s[L.rcu(u, RcuField.stores)] = 0;
  for (let g = 0; g < L.rcuBase.length; g++) {
    if (L.rcuBase[g] < 0 || s[L.rcu(g, RcuField.gp)] === 0 || ((s[L.rcu(g, RcuField.waits)] >> u) & 1) === 0) continue;
    s[L.rcu(g, RcuField.waits)] &= ~(1 << u);
    raise(s, L.gpView(g, 0), L.rcuView(u, 0), K);
  }
  // (rcuView stays: a grace period that starts later takes it too, gracePeriodStarts)
}

/**
 * lkmm: thread t's grace period starts (after its smp_mb()): the critical sections that ended
 * before it, each thread's last one, precede its end too (the kernel: each CPU's quiescent state
 * since is a full barrier), so what the last one of each thread outside a section carried is
 * kept (gpView) to reach every CPU at its end; the sections open now add theirs when they end.
 */
export function gracePeriodStarts(m: StepHost, s: Int32Array, t: number, waits: number): void {
  const L = m.layout;
  const K = L.nMlocs;
  for (let u = 0; u < L.rcuBase.length; u++) {
    if (u !== t && L.rcuViews(u) && ((waits >> u) & 1) === 0) raise(s, L.gpView(t, 0), L.rcuView(u, 0), K);
  }
}

/**
 * lkmm: the end of thread t's grace period (synchronize_rcu): what the critical sections it waited
 * for carried (gpView) reaches every CPU, its own included, then, as smp_mb() after it, what its
 * CPU has seen.
 */
export function gracePeriodEnds(m: StepHost, s: Int32Array, t: number): void {
  const L = m.layout;
  const K = L.nMlocs;
  log(m, { kind: 'fence', order: Fence.mb });
  spreadView(m, s, t, L.gpView(t, 0));
  if (L.viewBase[t] >= 0) {
    raise(s, L.view(t, 0), L.gpView(t, 0), K);
    propagate(m, s, t);
  }
  s.fill(0, L.gpView(t, 0), L.gpView(t, K));
}

/** The newest values of the mlocs, before an SC step (to see which it wrote). */
export function newestValues(m: StepHost, s: Int32Array, out: Int32Array): void {
  const L = m.layout;
  for (let k = 0; k < out.length; k++) out[k] = s[L.locSlot(L.mlocs[k])];
}

/**
 * An SC step that wrote a location is seen by every CPU at once (multi-copy atomic, as SC steps
 * are): the location keeps only its newest message.
 */
export function collapseWritten(m: StepHost, s: Int32Array, before: Int32Array): void {
  const L = m.layout;
  for (let k = 0; k < before.length; k++) {
    if (s[L.locSlot(L.mlocs[k])] === before[k]) continue;
    const older = s[L.msgBase[k]];
    s.fill(0, L.newestView(k), L.newestView(k) + L.nMlocs);
    if (L.glueSlot[k] >= 0) s[L.glueSlot[k]] = 0;
    if (older === 0) continue;
    dropOlder(m, s, k, older);
  }
}

/** Drops the `d` oldest messages of mloc k (no CPU can read them any more). */
function dropOlder(m: StepHost, s: Int32Array, k: number, d: number): void {
  const L = m.layout;
  const older = s[L.msgBase[k]];
  s.copyWithin(L.msg(k, 0), L.msg(k, d), L.msg(k, older));
  s.fill(0, L.msg(k, older - d), L.msg(k, older));
  s[L.msgBase[k]] = older - d;
  // (the oldest left cannot be glued to a message no CPU may read: no store goes before it)
  if (L.glueSlot[k] >= 0) s[L.glueSlot[k]] = (s[L.glueSlot[k]] >>> d) & ~1;
  shiftPositions(m, s, k, 1, -d);
  log(m, { kind: 'gc', loc: L.mlocs[k], index: d });
}

/**
 * The canonical form, after every step: a finished CPU's view is forgotten, and messages older
 * than every running CPU's view are dropped (positions renumbered from there), so that states
 * that differ only in history nobody can read any more are one state.
 */
export function canonical(m: StepHost, s: Int32Array, t: number): void {
  const L = m.layout;
  const K = L.nMlocs;
  const T = L.viewBase.length;
  // Only the stepping thread can have finished now (a thread reads no other's status).
  if (L.viewBase[t] >= 0 && s[L.finished(t)] === 0 && s[L.thread(t, ThreadField.status)] !== ThreadStatus.running) {
    s.fill(0, L.viewBase[t], L.lqEpoch(t, L.lqCapacity[t]));
    if (L.specBase[t] >= 0) s.fill(0, L.specIf(t, 0), L.specIf(t, L.lqCapacity[t]));
    if (L.wprevBase[t] >= 0) s.fill(0, L.wprev(t, 0, 0), L.wprev(t, 0, L.wmbDepth[t]));
    if (L.unlockedSlot[t] >= 0) s.fill(0, L.unlockedSlot[t], L.ulView(t, L.nMlocs));
    if (L.aulBase[t] >= 0) s.fill(0, L.aulBase[t], L.aulBase[t] + 2 * L.nMlocs);
    if (L.relBase[t] >= 0) s.fill(0, L.relBase[t], L.rel(t, L.relDepth[t], 0));
    s[L.finished(t)] = 1;
  }
  for (let k = 0; k < K; k++) {
    const older = s[L.msgBase[k]];
    if (older === 0) continue;
    let min = older;
    // A spinlock's older stores go at once, unless a thread may still load them (spin_is_locked):
    // a lock read reads the newest.
    for (let u = 0; u < T; u++) {
      if (L.viewBase[u] < 0 || s[L.finished(u)] !== 0) continue;
      if (L.lockMloc[k] !== 0 && ((L.lockLoaders[k] >> u) & 1) === 0) continue;
      min = Math.min(min, s[L.view(u, k)]);
    }
    if (min > 0) dropOlder(m, s, k, min);
  }
}

/**
 * po-unlock-lock-po is in cumul-fence (not A-cumulative): the stores after a lock carry what the
 * stores before the unlock it read carried, and those stores' own places. A thread that takes
 * locks keeps what its release stores carried (relCarry); an unlock (a release store to a lock)
 * passes on its thread's own stores before it in program order and what they carried (ulCarry:
 * own, wview and relCarry when it was issued, and the stores outstanding then as they run) and
 * so, transitively, what its thread's earlier locks passed on; a lock write clears it (no lock
 * read reads a lock write).
 */
function lockBookkeeping(m: StepHost, s: Int32Array, t: number, k: number, ordering: number, carried: Int32Array): void {
  const L = m.layout;
  const K = L.nMlocs;
  if (ordering === Ordering.release && L.lockMloc[k] === 0) for (let j = 0; j < K; j++) if (carried[j] > s[L.relCarry(t, j)]) s[L.relCarry(t, j)] = carried[j];
  if (L.lockMloc[k] === 0) return;
  const c = L.lockCarryBase[k];
  if (ordering !== Ordering.release) {
    s.fill(0, c, c + K);
    return;
  }
  for (let j = 0; j < K; j++) s[c + j] = s[L.ulCarry(t, j)];
  // smp_mb__after_unlock_lock() after a later lock of this CPU: what this unlock had seen.
  if (L.aulBase[t] >= 0) for (let j = 0; j < K; j++) if (carried[j] > s[L.ownUl(t, j)]) s[L.ownUl(t, j)] = carried[j];
}

/** The queue index of thread t's outstanding spin_unlock (a store to a spinlock; at most one), or -1. */
export function pendingUnlock(m: StepHost, s: Int32Array, t: number): number {
  const L = m.layout;
  for (let i = 0, cap = L.sbCapacity[t]; i < cap && s[L.sbEntry(t, i)] !== 0; i++) {
    const v = s[L.sbEntry(t, i)] - 1 - L.varLoc(0);
    if (v >= 0 && L.lockVar[v] === 1) return i;
  }
  return -1;
}

/**
 * Thread t issues a spin_unlock (before it runs or is left outstanding): what it passes on starts
 * as its own stores so far and what they carried (every store that has run is before it in
 * program order); the stores outstanding now add theirs when they run. Left outstanding, it will
 * carry what its CPU has seen so far and what the accesses outstanding now will see (ulView).
 */
export function unlockIssued(m: StepHost, s: Int32Array, t: number, outstanding: boolean): void {
  const L = m.layout;
  const K = L.nMlocs;
  s[L.unlockedSlot[t]] = 1;
  for (let j = 0; j < K; j++) s[L.ulCarry(t, j)] = Math.max(s[L.ulCarry(t, j)], s[L.own(t, j)], s[L.wview(t, j)], s[L.relCarry(t, j)]);
  if (outstanding) for (let j = 0; j < K; j++) s[L.ulView(t, j)] = s[L.view(t, j)];
}

/**
 * lkmm: thread t's spin_lock of loc may run now (the lock is free: baseRunnable). It needs a free
 * message slot for its lock write, the loads before an smp_rmb() satisfied (the lock read is a
 * read: rmb), and, after a spin_unlock of this thread, that unlock ready to run (everything before
 * it has run): po-unlock-lock-po orders what precedes an unlock before what follows a later lock
 * of the same CPU, the lock write included (linux-kernel.cat, in ppo). The unlock itself may still
 * be outstanding. That is no stronger than the LKMM, though ppo does not order the lock read: the
 * read and the write are one step here, and in lock.cat nothing comes between them in the lock's
 * coherence order (`atomic`), so a lock read taken earlier would read the same store.
 */
export function spinLockReady(m: StepHost, s: Int32Array, t: number, loc: number, ns: number, nl: number): boolean {
  const L = m.layout;
  const k = L.mlocOf[loc];
  if (k >= 0 && s[L.msgBase[k]] >= L.msgCap[k]) return false;
  // The lock read is a read: an smp_rmb() before it orders the loads before the barrier first.
  if (nl > 0 && olderEpochPending(m, s, t, nl, s[L.rmbEpoch(t)])) return false;
  return ownUnlocksReady(m, s, t, ns);
}

/**
 * Whether each outstanding spin_unlock of thread t (of its ns outstanding stores) is ready to run:
 * everything before it has run. po-unlock-lock-po (`po ; [UL] ; (po | rf) ; [LKR] ; po`, in ppo)
 * orders what precedes an unlock before what follows a later lock read of the same CPU, of any
 * lock: a spin_lock, and a PTL's spin_lock in the scenarios (machine.ts acquireReady), wait.
 */
export function ownUnlocksReady(m: StepHost, s: Int32Array, t: number, ns: number): boolean {
  const L = m.layout;
  for (let i = 0; i < ns; i++) {
    const e = L.sbEntry(t, i);
    const v = s[e] - 1 - L.varLoc(0);
    if (v >= 0 && L.lockVar[v] === 1 && !queuedStoreReady(m, s, t, i, ns)) return false;
  }
  return true;
}

/**
 * lkmm: spin_lock (lock.cat): the lock read, an acquire, reads the newest store of the lock (an
 * unlock, or the initial value): the critical sections follow each other in coherence order. Then
 * the lock write (1) takes the next place, in the same step (an RMW: nothing comes between).
 * po-unlock-lock-po (in cumul-fence): the stores after the lock carry what the unlock it read
 * carried, and, after an unlock of this CPU, this CPU's own stores before it.
 */
export function spinLock(m: StepHost, s: Int32Array, t: number, loc: number): void {
  const L = m.layout;
  const k = L.mlocOf[loc];
  const K = L.nMlocs;
  const c = L.lockCarryBase[k];
  for (let j = 0; j < K; j++) if (s[c + j] > s[L.wview(t, j)]) s[L.wview(t, j)] = s[c + j];
  if (s[L.unlockedSlot[t]] !== 0) for (let j = 0; j < K; j++) s[L.wview(t, j)] = Math.max(s[L.wview(t, j)], s[L.ulCarry(t, j)]);
  if (L.aulBase[t] >= 0) afterUnlockLockSources(m, s, t, k);
  const { value, pos } = readMessage(m, s, t, loc, 0);
  log(m, { kind: 'read', loc, value, order: Ordering.acquire, pos });
  store(m, s, t, loc, 1, Ordering.plain, 0);
}

/**
 * lkmm: a read-modify-write of loc by thread t (xchg(), cmpxchg(), the atomic_*() families) reads
 * the message at position p and, when `next` is not null, writes `next` at the place right after
 * it, glued to it (linux-kernel.bell: `rmw & (fre ; coe)` is empty, nothing comes between them in
 * coherence order). A fully ordered one (`mb`) is an smp_mb() before and after the pair, as
 * herd7 builds it: what its CPU has seen reaches every CPU before the read, and the write with it
 * after. A _release one's write carries everything its CPU has seen (po-rel; it runs with nothing
 * outstanding). Returns the value read.
 */
export function rmw(m: StepHost, s: Int32Array, t: number, reg: number, loc: number, p: number, next: number | null, ordering: number): number {
  const L = m.layout;
  const k = L.mlocOf[loc];
  if (next !== null && ordering === RmwOrdering.mb) propagate(m, s, t);
  const { value } = readMessage(m, s, t, loc, positions(m, s, k) - 1 - p);
  log(m, { kind: 'read', loc, value, reg, order: ordering === RmwOrdering.acquire ? Ordering.acquire : Ordering.plain, pos: p });
  if (next === null) return value;
  placeStore(m, s, t, loc, next, ordering === RmwOrdering.release ? Ordering.release : Ordering.plain, p + 1, 0, UnlockRole.none, -1, true);
  if (ordering === RmwOrdering.mb) propagate(m, s, t);
  return value;
}

/**
 * linux-kernel.cat `[M] ; po-unlock-lock-po ; [After-unlock-lock] ; po ; [M]` in `mb`, with
 * po-unlock-lock-po = `po ; [UL] ; (po | rf) ; [LKR] ; po`: the accesses before the unlock a lock
 * read reads (rf), and before an earlier unlock of the lock reader's own CPU (po), are strongly
 * ordered before what follows a later smp_mb__after_unlock_lock(). At thread t's lock of mloc k,
 * remember what those unlocks had seen (a release carries it: the newest store of the lock, which
 * the lock read reads, and this CPU's latest unlock, run or still outstanding).
 */
function afterUnlockLockSources(m: StepHost, s: Int32Array, t: number, k: number): void {
  const L = m.layout;
  const K = L.nMlocs;
  const read = L.newestView(k);
  const pending = s[L.unlockedSlot[t]] !== 0 && pendingUnlock(m, s, t) >= 0;
  for (let j = 0; j < K; j++) {
    let v = Math.max(s[read + j], s[L.ownUl(t, j)]);
    if (pending) v = Math.max(v, s[L.ulView(t, j)]);
    if (v > s[L.aul(t, j)]) s[L.aul(t, j)] = v;
  }
}

/**
 * smp_mb__after_unlock_lock(): a strong fence from what preceded those unlocks (they have all run:
 * an unlock runs after what precedes it, and a lock after the CPU's own unlock waits until it is
 * ready) to what follows: what they had seen reaches every CPU now, as smp_mb() makes what its
 * own CPU has seen reach every CPU. Nothing else of this CPU is ordered by it.
 */
export function afterUnlockLock(m: StepHost, s: Int32Array, t: number): void {
  const L = m.layout;
  const K = L.nMlocs;
  log(m, { kind: 'fence', order: 5 });
  if (L.aulBase[t] < 0) return;
  for (let u = 0; u < L.viewBase.length; u++) {
    if (L.viewBase[u] < 0 || s[L.finished(u)] !== 0) continue;
    for (let j = 0; j < K; j++) if (s[L.aul(t, j)] > s[L.view(u, j)]) s[L.view(u, j)] = s[L.aul(t, j)];
    if (u !== t && L.unlockedSlot[u] >= 0 && pendingUnlock(m, s, u) >= 0)
      for (let j = 0; j < K; j++) if (s[L.aul(t, j)] > s[L.ulView(u, j)]) s[L.ulView(u, j)] = s[L.aul(t, j)];
  }
}

/** Outstanding load i of thread t is a failed spin_trylock's read of the lock (its register is one spin_trylock writes). */
export function isTrylockRead(m: StepHost, s: Int32Array, t: number, i: number): boolean {
  const L = m.layout;
  return L.trylockRegs[t] !== 0 && ((L.trylockRegs[t] >> (s[L.lqEntry(t, i)] - 1)) & 1) !== 0;
}

/**
 * Thread t has an outstanding store to loc before its outstanding load i in program order: one
 * that does not wait for that load (a store after it to the lock is an unlock, a release, which
 * waits for every load outstanding when it was issued).
 */
function ownStoreBefore(m: StepHost, s: Int32Array, t: number, i: number, loc: number): boolean {
  const L = m.layout;
  for (let j = 0, cap = L.sbCapacity[t]; j < cap && s[L.sbEntry(t, j)] !== 0; j++)
    if (s[L.sbEntry(t, j)] === loc + 1 && ((s[L.sbEntry(t, j) + 2] >> (LOAD_MASK_SHIFT + i)) & 1) === 0) return true;
  return false;
}

/**
 * Thread t has an outstanding load of loc that its outstanding store j must wait for (coherence):
 * any, except a failed trylock's read issued after j (an unlock: j does not wait for it) and a
 * load after j whose address was not known when it was issued (it reads j or a later store).
 */
export function loadBefore(m: StepHost, s: Int32Array, t: number, n: number, loc: number, j: number): boolean {
  const L = m.layout;
  for (let i = 0; i < n; i++) {
    if (s[L.lqEntry(t, i) + 1] !== loc || storeIsBefore(m, s, t, j, i)) continue;
    if (!isTrylockRead(m, s, t, i) || ((s[L.sbEntry(t, j) + 2] >> (LOAD_MASK_SHIFT + i)) & 1) !== 0) return true;
  }
  return false;
}

/**
 * Whether `value` of loc says its lock is held: a spinlock's lock write (1), or a page's flags word
 * with PG_locked set (folio_trylock() fails on it: test_and_set_bit_lock() tests that bit).
 */
function lockHeld(m: StepHost, loc: number, value: number): boolean {
  return loc < m.layout.varLoc(0) ? (value & PageFlag.locked) !== 0 : value === 1;
}

/**
 * How many lock-held stores (lock writes, 1) of spinlock loc thread t may read now: what a failed
 * spin_trylock reads (lock.cat LF: a lock write of another CPU, or its own inside its critical
 * section, where its view is at that write; a lock write older than the view is out of reach).
 * For a page's flags word (a failed folio_trylock()), the stores with PG_locked set; a flags word no
 * relaxed store writes keeps only its newest store (the SC steps that lock and unlock it write it).
 */
export function heldOptions(m: StepHost, s: Int32Array, t: number, loc: number): number {
  const L = m.layout;
  const k = L.mlocOf[loc];
  if (k < 0) return lockHeld(m, loc, s[L.locSlot(loc)]) ? 1 : 0;
  let c = 0;
  for (let p = s[L.view(t, k)], n = positions(m, s, k); p < n; p++) if (lockHeld(m, loc, valueAt(m, s, k, p))) c++;
  return c;
}

/** The read choice (newest first) of the `j`th lock-held store of loc (newest first) thread t may read. */
function heldChoice(m: StepHost, s: Int32Array, t: number, loc: number, j: number): number {
  const L = m.layout;
  const k = L.mlocOf[loc];
  if (k < 0 && j === 0 && lockHeld(m, loc, s[L.locSlot(loc)])) return 0;
  if (k < 0) throw new Error(`no lock-held store of ${loc} for thread ${t}`);
  const n = positions(m, s, k);
  for (let p = n - 1; p >= s[L.view(t, k)]; p--) if (lockHeld(m, loc, valueAt(m, s, k, p)) && j-- === 0) return n - 1 - p;
  throw new Error(`no lock-held store of ${loc} for thread ${t}`);
}

/**
 * lkmm: spin_trylock of loc into `reg`. `take` (the lock's newest store is free): spin_lock's RMW,
 * and reg := 1. Else a failure, reg := 0: `held` >= 0 reads that lock-held store now (newest
 * first; lock.cat LF, a read with no ordering, which sees what the lock write carried), -1 leaves
 * the read outstanding (satisfied later by a lock-held store only: satisfyOptions).
 */
export function trylock(m: StepHost, s: Int32Array, t: number, reg: number, loc: number, take: boolean, held: number, lqCount: number): void {
  const L = m.layout;
  if (take) {
    spinLock(m, s, t, loc);
    s[L.reg(t, reg)] = 1;
    return;
  }
  if (held < 0) {
    load(m, s, t, reg, loc, Ordering.plain, Number.MAX_SAFE_INTEGER, lqCount);
    return;
  }
  failedTrylock(m, s, t, reg, loc, held);
}

/**
 * A failed trylock of loc reads its `held`th lock-held store now (newest first) and returns 0 in
 * `reg`: a read with no ordering (lock.cat LF; a failed folio_trylock() is test_and_set_bit_lock()'s
 * READ_ONCE(), include/asm-generic/bitops/lock.h, v6.6), which sees what that store carried.
 */
export function failedTrylock(m: StepHost, s: Int32Array, t: number, reg: number, loc: number, held: number): void {
  const { value, pos } = readMessage(m, s, t, loc, heldChoice(m, s, t, loc, held));
  s[m.layout.reg(t, reg)] = 0;
  log(m, { kind: 'read', loc, value, reg, order: Ordering.plain, pos });
}
