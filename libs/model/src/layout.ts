import { pteFromJson } from './pte.js';
import { mappingKinds, type World } from './world.js';
import { MAX_REGS } from './program.js';
import { Ordering, RELAXED_LOADS, RELAXED_STORES, VmaFlag, type OpName } from './isa.js';

// The whole simulation state is one Int32Array: cheap to copy, hash and compare, which is what
// exhaustive exploration needs. The layout below says where each object's fields live.

export const PageField = { flags: 0, owner: 1, ref: 2, map: 3, mapping: 4, head: 5, frozen: 6 } as const;

/** A thread's RCU slots (Layout.rcuBase): the section's depth, its end pending, the loads and stores it waits for, a grace period's state and whom it waits for. */
export const RcuField = { depth: 0, pending: 1, loads: 2, stores: 3, gp: 4, waits: 5 } as const;
const RCU_SLOTS = 6;
const RCU_OPS: readonly OpName[] = ['rcu_read_lock', 'rcu_read_unlock', 'synchronize_rcu'];

export const PAGE_WIDTH = 7;
export const PageFlag = { locked: 1, waiters: 2, frozen: 4, freed: 8 } as const;

export const VMA_WIDTH = 3; // start, pgoff, flags (VmaFlag)

export const ThreadField = { pc: 0, status: 1, waitPage: 2, waitFlags: 3, sp: 4, stack: 5, regs: 9 } as const;
export const STACK_DEPTH = 4;
export const THREAD_WIDTH = 9 + MAX_REGS;
export const ThreadStatus = { running: 0, done: 1, crashed: 2 } as const;
export const WaitFlag = { woken: 1, exclusive: 2 } as const;

// The memory section (after the threads) holds what the weak memory models add to the state
// (docs/memory-model.md): litmus variables and recorded results, then, per thread that uses relaxed
// accesses under `tso` or `lkmm`, its store buffer and its queue of loads not yet satisfied.
// A store-buffer entry is three slots: location + 1 (0: empty), value, and meta (0 under tso; under
// lkmm the bits semantics/propagation.ts keeps there). The buffer's first slot, before its entries,
// once held an smp_wmb epoch and is now always 0: it is kept so that every later slot, and so every
// state vector and digest, stays where it was. A pending load is two slots: register + 1 (0:
// empty), location. Entries are kept
// compacted (oldest first, then zeros), so equal buffers are equal bytes.

/** Store-buffer entries per thread at most: a thread with more unflushed stores waits for a flush. */
export const STORE_BUFFER_CAPACITY = 8;
/** Loads per thread that may be outstanding (issued, not yet satisfied) at once under lkmm. */
export const LOAD_QUEUE_CAPACITY = 2;
/** lkmm: older messages a location keeps at most (a store to a full location waits). */
export const MESSAGE_CAPACITY = 4;
/** lkmm: older messages a spinlock that spin_trylock reads keeps at most. */
export const TRYLOCK_MESSAGE_CAPACITY = 16;
export const SB_ENTRY_WIDTH = 3;
export const LQ_ENTRY_WIDTH = 2;
/** lkmm: a speculated branch per outstanding load: branch pc + 1, condition (SpecCond), constant. */
export const SPEC_ENTRY_WIDTH = 3;
/**
 * Branches that lkmm speculates past an outstanding load: on a register and a constant, and on two
 * registers (bsame, bkind's PTE kind, bpfn) when one is the load's and the other known.
 */
export const SPECULABLE_BRANCHES: readonly OpName[] = ['beq', 'bne', 'blt', 'bsame', 'bkind', 'bpfn'];
/**
 * lkmm: what a speculated load must read: 1 + 2 * test (0: == the constant, 1: <, 2: PTE kind in the
 * mask, 3: the PTE maps the page, 4: == the value of the register in the constant, which another
 * outstanding load writes) + the test's expected truth.
 */
export const SpecCond = {
  none: 0,
  eqFalse: 1,
  eqTrue: 2,
  ltFalse: 3,
  ltTrue: 4,
  kindFalse: 5,
  kindTrue: 6,
  pfnFalse: 7,
  pfnTrue: 8,
  sameFalse: 9,
  sameTrue: 10,
} as const;
/** lkmm: branches one outstanding load may have speculated on it at most (a thread with fewer branch sites keeps fewer). */
export const SPEC_DEPTH = 3;
/** lkmm: smp_wmb() barriers a thread's outstanding stores may be before at most (one carried set each). */
export const WMB_DEPTH = 4;
/** lkmm: release stores (other than unlocks) a thread may have outstanding at most (one carried set each). */
export const REL_DEPTH = 4;

/**
 * lkmm: whether a thread with these steps and `relaxed` relaxed accesses runs its folio_trylock()s
 * (trylock_page) as the kernel's: a failure is a READ_ONCE() of the flags word with no ordering,
 * which may be left outstanding (test_and_set_bit_lock(), include/asm-generic/bitops/lock.h, v6.6:
 * it tests the bit with a plain read first). A thread without relaxed accesses runs every step SC.
 */
export function pageTrylockReads(world: World, steps: readonly { op: OpName }[], relaxed: number): boolean {
  return world.memoryModel === 'lkmm' && relaxed > 0 && steps.some((st) => st.op === 'trylock_page');
}

/** The registers a branch compares (both of bsame and bpfn, the first of the others). */
export function branchRegs(op: OpName, args: readonly (string | number)[]): (string | number)[] {
  return op === 'bsame' || op === 'bpfn' ? [args[0], args[1]] : [args[0]];
}

/** Where each object lives in the state vector of one world. */
export class Layout {
  readonly pages: number;
  readonly vmas: number;
  readonly ptes: number;
  readonly ptls: number;
  readonly rmap: number;
  readonly tlb: number;
  readonly threads: number;
  readonly mem: number;
  readonly size: number;
  readonly hasTlb: boolean;
  /** memory section: litmus variables, recorded litmus results */
  readonly vars: number;
  readonly results: number;
  /** per thread: store-buffer entries and outstanding-load slots (0 when the thread has none) */
  readonly sbCapacity: Int32Array;
  readonly lqCapacity: Int32Array;
  /** per thread: the store buffer's first slot (always 0, see above); entries follow it */
  readonly sbBase: Int32Array;
  readonly lqBase: Int32Array;
  /** some thread has a store buffer or a load queue: the world runs under a weak model */
  readonly weak: boolean;
  /**
   * lkmm: stores propagate to each CPU on its own (docs/memory-model.md, "the propagation
   * state"). Per location that relaxed stores write (an `mloc`): the older messages still
   * readable by some CPU, in coherence order (the newest is the location's own slot), each a value
   * and the positions its readers must see afterwards (its `mview`); per thread with relaxed
   * accesses: its view (per mloc, the newest position it has seen), its own stores' positions,
   * the positions fixed by its last smp_wmb, its smp_rmb epoch and its loads' epochs.
   */
  readonly propagation: boolean;
  /** mloc -> location; location -> mloc (-1: no relaxed store writes it) */
  readonly mlocs: Int32Array;
  readonly mlocOf: Int32Array;
  /** per mloc: how many older messages it keeps at most; the slot of its count */
  readonly msgCap: Int32Array;
  readonly msgBase: Int32Array;
  /** per thread: the slot of its view (then own, wview, rmb epoch, load epochs); -1 without */
  readonly viewBase: Int32Array;
  /**
   * lkmm, per thread whose path branches on a relaxed load's register (-1 without): per
   * outstanding load, the branch speculated on it (pc + 1, 0: none), the condition the load must
   * then read (SpecCond) and its constant. A control dependency does not order later loads.
   */
  readonly specBase: Int32Array;
  /** lkmm, per thread: how many conditions each outstanding load may carry (SPEC_ENTRY_WIDTH slots each) */
  readonly specDepth: Int32Array;
  /**
   * lkmm, per thread: how many of those may be speculated branches (at most SPEC_DEPTH); the others
   * are for a thread that accesses memory through a pointer, one per location a pointer may name
   * (an access to it that goes before a load or store through a pointer not loaded yet asks the
   * pointer's load for another address), so that such a condition always has room.
   */
  readonly specBranches: Int32Array;
  /**
   * lkmm, per thread with smp_wmb() and relaxed stores (-1 without): per smp_wmb its outstanding
   * stores are before (the latest first) and per mloc, what those stores carry (the wview before
   * that barrier), so that smp_wmb() need not wait for them.
   */
  readonly wprevBase: Int32Array;
  /** lkmm, per thread: how many carried sets wprevBase holds (nMlocs slots each) */
  readonly wmbDepth: Int32Array;
  /** per litmus variable: 1 if a spin_lock names it (a spinlock, not data) */
  readonly lockVar: Uint8Array;
  /** lkmm, per mloc: 1 for a spinlock (only its newest store is ever read: a lock read reads the newest) */
  readonly lockMloc: Uint8Array;
  /** lkmm, per mloc of a spinlock: the threads (a bit each) that load it (spin_is_locked), so may read an older store of it */
  readonly lockLoaders: Int32Array;
  /**
   * lkmm, per thread that takes a spinlock (-1 without): 1 once it has issued a spin_unlock; then,
   * per mloc, the positions its release stores carried (relCarry), what its latest unlock passes
   * on (ulCarry) and, while that unlock is outstanding, what it will carry (ulView)
   */
  readonly unlockedSlot: Int32Array;
  /** lkmm, per spinlock mloc (-1 otherwise): per mloc, what its newest unlock passes on (po-unlock-lock-po) */
  readonly lockCarryBase: Int32Array;
  /**
   * per thread: the registers (a bit each) spin_trylock writes, and under lkmm folio_trylock()
   * (trylock_page) of a thread with relaxed accesses; an outstanding load into one is a failed
   * trylock's read
   */
  readonly trylockRegs: Int32Array;
  /** lkmm: the slot of page 0's last unlocker (thread + 1, 0: none) while the page is unlocked; -1 without (pageTrylockReads) */
  readonly unlockedBy: number;
  /**
   * lkmm, per thread that takes a spinlock and has smp_mb__after_unlock_lock() (-1 without): per
   * mloc, what the unlocks its lock reads followed had seen (its own earlier unlocks included),
   * which the barrier makes reach every CPU; then what its own latest unlock had seen.
   */
  readonly aulBase: Int32Array;
  /**
   * lkmm, per thread with release stores other than unlocks (-1 without): per outstanding one
   * (oldest first; they run in program order), per mloc, what it will carry (po-rel: what its CPU
   * had seen through the accesses before it in program order, not what later ones that ran first saw).
   */
  readonly relBase: Int32Array;
  /** lkmm, per thread: how many carried sets relBase holds (nMlocs slots each) */
  readonly relDepth: Int32Array;
  /**
   * lkmm, per thread with a scenario release (ptl_unlock, unlock_page, rmap_unlock, ref_unfreeze;
   * -1 without): the pc + 1 of its release issued but not yet performed (0: none), then how many
   * of its outstanding loads and of its outstanding stores come before that release in program
   * order (the release performs once both are 0: po-rel orders only what precedes it), then per
   * mloc what it will carry (relView: what its CPU had seen at it and through those accesses).
   */
  readonly relPend: Int32Array;
  /**
   * lkmm, per mloc that a read-modify-write writes (-1 otherwise): a bit per message position, set
   * where the message is such a write, which read the message just before it (atomicity: no store
   * may take a place between them, nor may another read-modify-write read that message).
   */
  readonly glueSlot: Int32Array;
  /** per thread with an RCU step (-1 without): its RCU slots (RcuField; then rcuView and gpView under lkmm) */
  readonly rcuBase: Int32Array;
  /** per litmus result: 1 once `observe` has recorded it (last in the state, after every other section) */
  readonly observed: number;

  readonly pageIndex = new Map<string, number>();
  readonly vmaIndex = new Map<string, number>();
  readonly pteIndex = new Map<string, number>();
  readonly ptlIndex = new Map<string, number>();
  readonly threadIndex = new Map<string, number>();
  readonly varIndex = new Map<string, number>();
  readonly resultIndex = new Map<string, number>();
  /** PTE -> its PTL (static: which page table a PTE lives in never changes) */
  readonly ptlOfPte: Int32Array;
  readonly pteAddr: Int32Array;

  constructor(readonly world: World) {
    world.pages.forEach((p, i) => this.pageIndex.set(p.name, i));
    world.vmas.forEach((v, i) => this.vmaIndex.set(v.name, i));
    world.ptes.forEach((e, i) => this.pteIndex.set(e.name, i));
    world.ptls.forEach((l, i) => this.ptlIndex.set(l, i));
    world.threads.forEach((t, i) => this.threadIndex.set(t.name, i));
    this.ptlOfPte = Int32Array.from(world.ptes, (e) => this.ptlIndex.get(e.ptl) ?? -1);
    this.pteAddr = Int32Array.from(world.ptes, (e) => e.addr);
    this.hasTlb = world.threads.some((t) => t.tlb !== undefined);

    let o = 0;
    this.pages = o;
    o += world.pages.length * PAGE_WIDTH;
    this.vmas = o;
    o += world.vmas.length * VMA_WIDTH;
    this.ptes = o;
    o += world.ptes.length;
    this.ptls = o;
    o += world.ptls.length;
    this.rmap = o;
    o += 1;
    this.tlb = o;
    if (this.hasTlb) o += world.threads.length * world.ptes.length;
    this.threads = o;
    o += world.threads.length * THREAD_WIDTH;
    this.mem = o;
    const vars = world.litmus?.vars ?? [];
    const results = world.litmus?.results ?? [];
    vars.forEach((v, i) => this.varIndex.set(v, i));
    results.forEach((r, i) => this.resultIndex.set(r, i));
    this.vars = o;
    o += vars.length;
    this.results = o;
    o += results.length;
    const n = world.threads.length;
    this.sbCapacity = new Int32Array(n);
    this.lqCapacity = new Int32Array(n);
    this.sbBase = new Int32Array(n);
    this.lqBase = new Int32Array(n);
    world.threads.forEach((t, i) => {
      const steps = world.paths[t.path]?.steps ?? [];
      const count = (ops: readonly OpName[]) => steps.filter((st) => ops.includes(st.op)).length;
      // A spin_lock's lock write is a store too (issue 16): the thread gets a view like any other.
      // So is a read-modify-write's (it never waits in the store buffer or load queue, but a view it needs).
      const stores = count(RELAXED_STORES) + count(['spin_lock_var', 'spin_trylock_var', 'rmw_var']);
      // A failed spin_trylock is a read of the lock that may be left outstanding; so is a failed
      // folio_trylock() of a CPU with relaxed accesses under lkmm (pageTrylockReads).
      const relaxedLoads = count(RELAXED_LOADS) + count(['spin_trylock_var']);
      const loads = relaxedLoads + (pageTrylockReads(world, steps, stores + relaxedLoads) ? count(['trylock_page']) : 0);
      if (world.memoryModel !== 'sc' && stores > 0) this.sbCapacity[i] = Math.min(stores, STORE_BUFFER_CAPACITY);
      if (world.memoryModel === 'lkmm' && loads > 0) this.lqCapacity[i] = Math.min(loads, LOAD_QUEUE_CAPACITY);
      this.sbBase[i] = o;
      if (this.sbCapacity[i] > 0) o += 1 + this.sbCapacity[i] * SB_ENTRY_WIDTH;
      this.lqBase[i] = o;
      o += this.lqCapacity[i] * LQ_ENTRY_WIDTH;
    });
    this.weak = this.sbCapacity.some((c) => c > 0) || this.lqCapacity.some((c) => c > 0);
    // lkmm's propagation state comes after the store buffers and load queues, whose slots stay
    // where earlier versions put them (lkmm no longer uses the store buffers), so that the deltas
    // of runs recorded before still fit the layout.
    const nLocs = world.pages.length * 2 + vars.length;
    this.mlocOf = new Int32Array(nLocs).fill(-1);
    this.propagation = world.memoryModel === 'lkmm' && this.weak;
    const caps: number[] = [];
    const locs: number[] = [];
    // lkmm: a thread with relaxed accesses tries a page lock: its failure may read an older store
    // of the flags word than the newest, so a folio_unlock() of such a thread keeps the locked store
    // before it (one message per unlock site, on every page's flags word: Machine.unlockMessage).
    const pageTries =
      this.propagation && world.threads.some((th, i) => this.lqCapacity[i] > 0 && pageTrylockReads(world, world.paths[th.path]?.steps ?? [], 1));
    if (this.propagation) {
      // How many messages a location can hold: one per store site that may write it (a page
      // field's store names its page by register, so every page's field gets that field's count).
      const sites = new Map<string, number>();
      const tried = new Set<string>();
      for (const [i, t] of world.threads.entries()) {
        for (const st of world.paths[t.path]?.steps ?? []) {
          if (pageTries && st.op === 'unlock_page' && this.sbCapacity[i] + this.lqCapacity[i] > 0) sites.set('f1', (sites.get('f1') ?? 0) + 1);
          if (st.op === 'store_var' || st.op === 'spin_lock_var') sites.set(`v${st.args[0]}`, (sites.get(`v${st.args[0]}`) ?? 0) + 1);
          if (st.op === 'spin_trylock_var' || st.op === 'rmw_var') sites.set(`v${st.args[1]}`, (sites.get(`v${st.args[1]}`) ?? 0) + 1);
          if (st.op === 'spin_trylock_var') tried.add(`v${st.args[1]}`);
          if (st.op === 'store') sites.set(`f${st.args[0]}`, (sites.get(`f${st.args[0]}`) ?? 0) + 1);
          // a store through a pointer may write any location whose address the test takes
          if (st.op === 'store_ptr')
            for (const name of world.litmus?.targets ?? vars) {
              const v = vars.indexOf(name);
              if (v >= 0) sites.set(`v${v}`, (sites.get(`v${v}`) ?? 0) + 1);
            }
        }
      }
      for (let loc = 0; loc < nLocs; loc++) {
        const key = loc >= world.pages.length * 2 ? `v${loc - world.pages.length * 2}` : `f${loc & 1}`;
        const n = sites.get(key) ?? 0;
        if (n === 0) continue;
        this.mlocOf[loc] = locs.length;
        locs.push(loc);
        // A spinlock that spin_trylock reads keeps a lock write for a CPU whose view is behind (a
        // failed trylock may read it) for as long as that CPU runs: one place per site, so that a
        // spin_lock never waits for room that only its own CPU's read would free.
        caps.push(Math.min(n, tried.has(key) ? TRYLOCK_MESSAGE_CAPACITY : MESSAGE_CAPACITY));
      }
    }
    this.mlocs = Int32Array.from(locs);
    this.msgCap = Int32Array.from(caps);
    const K = locs.length;
    this.msgBase = new Int32Array(K);
    for (let k = 0; k < K; k++) {
      this.msgBase[k] = o;
      o += 1 + caps[k] * (1 + K) + K;
    }
    this.viewBase = new Int32Array(n).fill(-1);
    if (this.propagation) {
      world.threads.forEach((_, i) => {
        if (this.sbCapacity[i] === 0 && this.lqCapacity[i] === 0) return;
        this.viewBase[i] = o;
        o += 3 * K + 2 + this.lqCapacity[i];
      });
    }
    // After the views (so that their slots stay where they were): speculated branches, and what
    // stores outstanding at an smp_wmb carry.
    this.specBase = new Int32Array(n).fill(-1);
    this.specDepth = new Int32Array(n);
    this.specBranches = new Int32Array(n);
    this.wprevBase = new Int32Array(n).fill(-1);
    this.wmbDepth = new Int32Array(n);
    if (this.propagation) {
      world.threads.forEach((th, i) => {
        if (this.viewBase[i] < 0) return;
        const steps = world.paths[th.path]?.steps ?? [];
        const tries = this.lqCapacity[i] > 0 && pageTrylockReads(world, steps, 1);
        const loaded = new Set([
          ...steps.filter((st) => RELAXED_LOADS.includes(st.op) || st.op === 'spin_trylock_var').map((st) => st.args[0]),
          ...(tries ? steps.filter((st) => st.op === 'trylock_page').map((st) => st.args[1]) : []),
        ]);
        const branches = steps.filter((st) => SPECULABLE_BRANCHES.includes(st.op) && branchRegs(st.op, st.args).some((r) => loaded.has(r))).length;
        // A load or store through a pointer still being loaded: an access that goes before it, to a location
        // the pointer may name, asks the pointer's load for another value (one condition per such location).
        const pointed = steps.some((st) => st.op === 'load_ptr' || st.op === 'store_ptr')
          ? Math.max(1, (world.litmus?.targets ?? world.litmus?.vars ?? []).length)
          : 0;
        if (this.lqCapacity[i] > 0 && branches + pointed > 0) {
          this.specBase[i] = o;
          this.specBranches[i] = Math.min(branches, SPEC_DEPTH);
          this.specDepth[i] = this.specBranches[i] + pointed;
          o += this.lqCapacity[i] * SPEC_ENTRY_WIDTH * this.specDepth[i];
        }
        const wmbs = steps.filter((st) => st.op === 'fence' && (st.args[0] === 2 || st.args[0] === 'wmb')).length;
        if (wmbs > 0 && this.sbCapacity[i] > 0) {
          this.wprevBase[i] = o;
          this.wmbDepth[i] = Math.min(wmbs, WMB_DEPTH);
          o += K * this.wmbDepth[i];
        }
      });
    }
    // Spinlocks (litmus variables a spin_lock names) and, under lkmm, per thread that takes one, a
    // flag (it has issued a spin_unlock: po-unlock-lock-po orders what precedes that unlock before
    // what follows its next spin_lock) and what its release stores carried (per mloc); per
    // spinlock, what its newest unlock passes on to the stores after the lock that reads it.
    this.lockVar = new Uint8Array(vars.length);
    this.unlockedSlot = new Int32Array(n).fill(-1);
    world.threads.forEach((th, i) => {
      const steps = world.paths[th.path]?.steps ?? [];
      for (const st of steps) if (st.op === 'spin_lock_var' && typeof st.args[0] === 'number') this.lockVar[st.args[0]] = 1;
      for (const st of steps) if (st.op === 'spin_trylock_var' && typeof st.args[1] === 'number') this.lockVar[st.args[1]] = 1;
      if (this.propagation && this.viewBase[i] >= 0 && steps.some((st) => st.op === 'spin_lock_var' || st.op === 'spin_trylock_var')) {
        this.unlockedSlot[i] = o;
        o += 1 + 3 * K;
      }
    });
    this.lockMloc = Uint8Array.from(this.mlocs, (loc) => (loc >= nLocs - vars.length ? this.lockVar[loc - (nLocs - vars.length)] : 0));
    this.lockLoaders = Int32Array.from(this.mlocs, (loc, k) => {
      let mask = 0;
      if (this.lockMloc[k] === 0) return 0;
      world.threads.forEach((th, i) => {
        const steps = world.paths[th.path]?.steps ?? [];
        if (steps.some((st) => (st.op === 'load_var' || st.op === 'spin_trylock_var') && this.varLoc(st.args[1] as number) === loc)) mask |= 1 << i;
      });
      return mask;
    });
    // The registers spin_trylock writes (a bit each, per thread): an outstanding load into one is a
    // failed trylock's read of the lock, which must read a lock-held store and leaves the register 0.
    this.trylockRegs = Int32Array.from(world.threads, (th, i) => {
      const path = world.paths[th.path];
      let mask = 0;
      const tries = this.lqCapacity[i] > 0 && pageTrylockReads(world, path?.steps ?? [], 1);
      for (const st of path?.steps ?? []) {
        const name = st.op === 'spin_trylock_var' ? st.args[0] : st.op === 'trylock_page' && tries ? st.args[1] : undefined;
        const r = name !== undefined ? path.regs.findIndex((d) => d.name === name) : -1;
        if (r >= 0) mask |= 1 << r;
      }
      return mask;
    });
    // lkmm: per page, the thread (+ 1) whose folio_unlock() wrote its lock word's newest store
    // while it stays unlocked, where a CPU with relaxed accesses tries the page lock (the engine
    // reports the stale lock state such a failed folio_trylock() may read: Machine.staleLock).
    this.unlockedBy = -1;
    if (pageTries) {
      this.unlockedBy = o;
      o += world.pages.length;
    }
    this.lockCarryBase = new Int32Array(K).fill(-1);
    for (let k = 0; k < K; k++) {
      if (this.lockMloc[k] === 0) continue;
      this.lockCarryBase[k] = o;
      o += K;
    }
    this.aulBase = new Int32Array(n).fill(-1);
    world.threads.forEach((th, i) => {
      if (this.unlockedSlot[i] < 0 || !(world.paths[th.path]?.steps ?? []).some((st) => st.op === 'fence_after_unlock_lock')) return;
      this.aulBase[i] = o;
      o += 2 * K;
    });
    this.relBase = new Int32Array(n).fill(-1);
    this.relDepth = new Int32Array(n);
    world.threads.forEach((th, i) => {
      if (!this.propagation || this.viewBase[i] < 0) return;
      const sites = (world.paths[th.path]?.steps ?? []).filter(
        (st) =>
          (st.op === 'store_var' && st.args[2] === Ordering.release && this.lockVar[st.args[0] as number] !== 1) ||
          (st.op === 'store' && st.args[3] === Ordering.release) ||
          (st.op === 'store_ptr' && st.args[2] === Ordering.release),
      ).length;
      if (sites === 0) return;
      this.relBase[i] = o;
      this.relDepth[i] = Math.min(sites, REL_DEPTH);
      o += this.relDepth[i] * K;
    });
    this.relPend = new Int32Array(n).fill(-1);
    world.threads.forEach((th, i) => {
      if (!this.propagation || this.viewBase[i] < 0) return;
      const steps = world.paths[th.path]?.steps ?? [];
      if (!steps.some((st) => st.op === 'ptl_unlock' || st.op === 'unlock_page' || st.op === 'rmap_unlock' || st.op === 'ref_unfreeze')) return;
      this.relPend[i] = o;
      o += 3 + K;
    });
    // lkmm, per mloc a read-modify-write writes: which of its messages are such a write, glued to
    // the message before it (the one it read): no store may take a place between the two.
    this.glueSlot = new Int32Array(K).fill(-1);
    if (this.propagation)
      for (const th of world.threads)
        for (const st of world.paths[th.path]?.steps ?? []) {
          const k = st.op === 'rmw_var' && typeof st.args[1] === 'number' ? this.mlocOf[this.varLoc(st.args[1])] : -1;
          if (k >= 0 && this.glueSlot[k] < 0) this.glueSlot[k] = o++;
        }
    // Per thread with an RCU step (-1 without): its critical section's nesting depth, whether its
    // ended section still has accesses outstanding (and how many loads and stores), a grace
    // period's state and the sections it waits for (a thread bit each); under lkmm, for a thread
    // with a view, what its ended section carries and what the ended sections its grace period
    // waited for carried (rcuView, gpView).
    this.rcuBase = new Int32Array(n).fill(-1);
    world.threads.forEach((th, i) => {
      if (!(world.paths[th.path]?.steps ?? []).some((st) => RCU_OPS.includes(st.op))) return;
      this.rcuBase[i] = o;
      o += this.rcuWidth(i);
    });
    // Whether each litmus result has been recorded: an outcome observed as 0 is a fact too.
    this.observed = o;
    o += results.length;
    this.size = o;
  }

  /** lkmm: the number of mlocs (locations relaxed stores write). */
  get nMlocs(): number {
    return this.mlocs.length;
  }
  /** lkmm: slot of older message i of mloc k (value, then its mview of nMlocs positions). */
  msg(k: number, i: number): number {
    return this.msgBase[k] + 1 + i * (1 + this.mlocs.length);
  }
  /** lkmm: slot of the newest message's mview of mloc k (its value is the location's slot). */
  newestView(k: number): number {
    return this.msgBase[k] + 1 + this.msgCap[k] * (1 + this.mlocs.length);
  }
  /** lkmm: thread t's view of mloc k (the newest position it has seen). */
  view(t: number, k: number): number {
    return this.viewBase[t] + k;
  }
  /** lkmm: the position of thread t's latest store to mloc k (0: none that matters). */
  own(t: number, k: number): number {
    return this.viewBase[t] + this.mlocs.length + k;
  }
  /** lkmm: the positions thread t's stores after its last smp_wmb carry for mloc k. */
  wview(t: number, k: number): number {
    return this.viewBase[t] + 2 * this.mlocs.length + k;
  }
  /** lkmm: thread t's current smp_rmb epoch. */
  rmbEpoch(t: number): number {
    return this.viewBase[t] + 3 * this.mlocs.length;
  }
  /** lkmm: 1 once thread t has finished (its view no longer holds any store back). */
  finished(t: number): number {
    return this.viewBase[t] + 3 * this.mlocs.length + 1;
  }
  /** lkmm: thread t's `j`th speculated branch on outstanding load i (pc + 1; 0: none); then its condition and constant. */
  specIf(t: number, i: number, j = 0): number {
    return this.specBase[t] + (i * this.specDepth[t] + j) * SPEC_ENTRY_WIDTH;
  }
  /** lkmm: what thread t's stores outstanding at its last `d + 1` smp_wmb()s (and not at the one before) carry for mloc k. */
  wprev(t: number, k: number, d = 0): number {
    return this.wprevBase[t] + d * this.mlocs.length + k;
  }
  /** lkmm: what thread t's release stores carried, for mloc k. */
  relCarry(t: number, k: number): number {
    return this.unlockedSlot[t] + 1 + k;
  }
  /**
   * lkmm: what thread t's latest spin_unlock passes on (po-unlock-lock-po), for mloc k: the places
   * of its own stores before that unlock in program order and what they carried.
   */
  ulCarry(t: number, k: number): number {
    return this.unlockedSlot[t] + 1 + this.mlocs.length + k;
  }
  /**
   * lkmm: while thread t's spin_unlock is outstanding, what it will carry as a release, for mloc k:
   * what its thread had seen through the accesses before it in program order (0 otherwise).
   */
  ulView(t: number, k: number): number {
    return this.unlockedSlot[t] + 1 + 2 * this.mlocs.length + k;
  }
  /** lkmm: what the unlocks thread t's lock reads followed had seen (smp_mb__after_unlock_lock), for mloc k. */
  aul(t: number, k: number): number {
    return this.aulBase[t] + k;
  }
  /** lkmm: what thread t's latest unlock had seen (it carried it), for mloc k (threads with aulBase). */
  ownUl(t: number, k: number): number {
    return this.aulBase[t] + this.mlocs.length + k;
  }
  /** lkmm: what thread t's `d`th outstanding release store (oldest first, not an unlock) will carry, for mloc k. */
  rel(t: number, d: number, k: number): number {
    return this.relBase[t] + d * this.mlocs.length + k;
  }
  /** lkmm: what thread t's issued scenario release will carry, for mloc k (threads with relPend). */
  relView(t: number, k: number): number {
    return this.relPend[t] + 3 + k;
  }
  /** How many RCU slots thread t has (0 without an RCU step). */
  rcuWidth(t: number): number {
    if (this.rcuBase[t] < 0) return 0;
    return RCU_SLOTS + (this.rcuViews(t) ? 2 * this.mlocs.length : 0);
  }
  /** lkmm: thread t's RCU slots carry views (rcuView, gpView). */
  rcuViews(t: number): boolean {
    return this.propagation && this.rcuBase[t] >= 0;
  }
  /** Thread t's RCU slot f (RcuField). */
  rcu(t: number, f: number): number {
    return this.rcuBase[t] + f;
  }
  /** lkmm: what thread t's ended critical section carries, for mloc k (a thread with a view). */
  rcuView(t: number, k: number): number {
    return this.rcuBase[t] + RCU_SLOTS + k;
  }
  /** lkmm: what the critical sections thread t's grace period waited for carried, for mloc k. */
  gpView(t: number, k: number): number {
    return this.rcuBase[t] + RCU_SLOTS + this.mlocs.length + k;
  }
  /** lkmm: what the newest unlock of spinlock mloc l passes on, for mloc k. */
  lockCarry(l: number, k: number): number {
    return this.lockCarryBase[l] + k;
  }
  /** lkmm: the smp_rmb epoch of thread t's outstanding load i. */
  lqEpoch(t: number, i: number): number {
    return this.viewBase[t] + 3 * this.mlocs.length + 2 + i;
  }

  /**
   * Locations of relaxed accesses: a page's compound head (2p) or flags word (2p + 1), then the
   * litmus variables. Their memory is the page slot itself, so every SC step sees it.
   */
  pageLoc(page: number, field: number): number {
    return page * 2 + (field === 0 ? 0 : 1);
  }
  varLoc(v: number): number {
    return this.world.pages.length * 2 + v;
  }
  /** The state slot that holds a location's value in memory. */
  locSlot(loc: number): number {
    const np2 = this.world.pages.length * 2;
    if (loc >= np2) return this.vars + (loc - np2);
    return this.pages + (loc >> 1) * PAGE_WIDTH + ((loc & 1) === 0 ? PageField.head : PageField.flags);
  }
  /** `page:t1.flags`, `page:t1.head`, `var:x` */
  locName(loc: number): string {
    const np2 = this.world.pages.length * 2;
    if (loc >= np2) return `var:${this.world.litmus?.vars[loc - np2] ?? `#${loc - np2}`}`;
    return `page:${this.pageName(loc >> 1)}.${(loc & 1) === 0 ? 'head' : 'flags'}`;
  }
  /** First slot of store-buffer entry i of thread t (loc + 1, value, meta). */
  sbEntry(t: number, i: number): number {
    return this.sbBase[t] + 1 + i * SB_ENTRY_WIDTH;
  }
  /** First slot of outstanding load i of thread t (reg + 1, loc). */
  lqEntry(t: number, i: number): number {
    return this.lqBase[t] + i * LQ_ENTRY_WIDTH;
  }

  get nPages(): number {
    return this.world.pages.length;
  }
  get nPtes(): number {
    return this.world.ptes.length;
  }
  get nThreads(): number {
    return this.world.threads.length;
  }

  page(i: number, f: number): number {
    return this.pages + i * PAGE_WIDTH + f;
  }
  vma(i: number, f: number): number {
    return this.vmas + i * VMA_WIDTH + f;
  }
  pte(i: number): number {
    return this.ptes + i;
  }
  ptl(i: number): number {
    return this.ptls + i;
  }
  tlbEntry(thread: number, pte: number): number {
    return this.tlb + thread * this.world.ptes.length + pte;
  }
  thread(t: number, f: number): number {
    return this.threads + t * THREAD_WIDTH + f;
  }
  reg(t: number, r: number): number {
    return this.threads + t * THREAD_WIDTH + ThreadField.regs + r;
  }

  pageName = (i: number): string => this.world.pages[i]?.name ?? `#${i}`;

  /** Which object and field a slot of the state vector is: the vocabulary of state deltas. */
  describe(slot: number): { object: string; field: string } {
    const w = this.world;
    if (slot < this.vmas) {
      const i = Math.floor((slot - this.pages) / PAGE_WIDTH);
      return { object: `page:${w.pages[i].name}`, field: pageFieldNames[(slot - this.pages) % PAGE_WIDTH] };
    }
    if (slot < this.ptes) {
      const i = Math.floor((slot - this.vmas) / VMA_WIDTH);
      return { object: `vma:${w.vmas[i].name}`, field: ['start', 'pgoff', 'flags'][(slot - this.vmas) % VMA_WIDTH] };
    }
    if (slot < this.ptls) return { object: `pte:${w.ptes[slot - this.ptes].name}`, field: 'entry' };
    if (slot < this.rmap) return { object: `ptl:${w.ptls[slot - this.ptls]}`, field: 'holder' };
    if (slot < this.tlb) return { object: 'rmap', field: 'lock' };
    if (slot < this.threads) {
      const k = slot - this.tlb;
      const t = Math.floor(k / w.ptes.length);
      return { object: `tlb:${w.threads[t].name}`, field: w.ptes[k % w.ptes.length].name };
    }
    if (slot >= this.mem) return this.describeMem(slot);
    const t = Math.floor((slot - this.threads) / THREAD_WIDTH);
    const f = (slot - this.threads) % THREAD_WIDTH;
    const thread = w.threads[t];
    if (f >= ThreadField.regs) {
      const reg = w.paths[thread.path]?.regs[f - ThreadField.regs]?.name ?? `r${f - ThreadField.regs}`;
      return { object: `thread:${thread.name}`, field: `reg.${reg}` };
    }
    if (f >= ThreadField.stack) return { object: `thread:${thread.name}`, field: `stack${f - ThreadField.stack}` };
    return { object: `thread:${thread.name}`, field: threadFieldNames[f] };
  }

  /** `x`, `t1.flags`: a location as the propagation state's objects name it. */
  locShort(loc: number): string {
    const n = this.locName(loc);
    return n.slice(n.indexOf(':') + 1);
  }

  private describeMem(slot: number): { object: string; field: string } {
    const w = this.world;
    if (slot >= this.observed) return { object: 'litmus', field: `${w.litmus?.results[slot - this.observed] ?? '?'}.observed` };
    const K = this.mlocs.length;
    const r = this.rcuBase.findIndex((b, t) => b >= 0 && slot >= b && slot < b + this.rcuWidth(t));
    if (r >= 0) {
      const k = slot - this.rcuBase[r];
      const field =
        k < RCU_SLOTS
          ? Object.keys(RcuField)[k]
          : k < RCU_SLOTS + K
            ? `sees.${this.locShort(this.mlocs[k - RCU_SLOTS])}`
            : `gpSees.${this.locShort(this.mlocs[k - RCU_SLOTS - K])}`;
      return { object: `rcu:${w.threads[r].name}`, field };
    }
    const glued = this.glueSlot.indexOf(slot);
    if (glued >= 0) return { object: `msgs:${this.locShort(this.mlocs[glued])}`, field: 'rmw' };
    if (this.unlockedBy >= 0 && slot >= this.unlockedBy && slot < this.unlockedBy + w.pages.length)
      return { object: `page:${this.pageName(slot - this.unlockedBy)}`, field: 'unlockedBy' };
    const pend = this.relPend.findIndex((at) => at >= 0 && slot >= at && slot < at + 3 + K);
    if (pend >= 0) {
      const k = slot - this.relPend[pend];
      const field = k < 3 ? ['release.pc', 'release.loadsBefore', 'release.storesBefore'][k] : `release.sees.${this.locShort(this.mlocs[k - 3])}`;
      return { object: `view:${w.threads[pend].name}`, field };
    }
    if (this.propagation && K > 0 && slot >= this.msgBase[0]) {
      for (let t = w.threads.length - 1; t >= 0; t--) {
        const name = w.threads[t].name;
        if (this.wprevBase[t] >= 0 && slot >= this.wprevBase[t] && slot < this.wprevBase[t] + K * this.wmbDepth[t]) {
          const d = Math.floor((slot - this.wprevBase[t]) / K);
          return { object: `view:${name}`, field: `wmbprev${d === 0 ? '' : d + 1}.${this.locShort(this.mlocs[(slot - this.wprevBase[t]) % K])}` };
        }
        const sb = this.specBase[t];
        const D = this.specDepth[t];
        if (sb >= 0 && slot >= sb && slot < sb + this.lqCapacity[t] * SPEC_ENTRY_WIDTH * D) {
          const k = slot - sb;
          const e = Math.floor(k / SPEC_ENTRY_WIDTH);
          const j = e % D;
          return { object: `loadq:${name}`, field: `l${Math.floor(e / D)}.${['if', 'cond', 'value'][k % SPEC_ENTRY_WIDTH]}${j === 0 ? '' : j + 1}` };
        }
      }
      for (let t = w.threads.length - 1; t >= 0; t--) {
        const b = this.viewBase[t];
        if (b < 0 || slot < b) continue;
        const k = slot - b;
        const object = `view:${w.threads[t].name}`;
        if (k < K) return { object, field: this.locShort(this.mlocs[k]) };
        if (k < 2 * K) return { object, field: `own.${this.locShort(this.mlocs[k - K])}` };
        if (k < 3 * K) return { object, field: `wmb.${this.locShort(this.mlocs[k - 2 * K])}` };
        if (k === 3 * K) return { object, field: 'rmb' };
        if (k === 3 * K + 1) return { object, field: 'finished' };
        return { object, field: `l${k - 3 * K - 2}.epoch` };
      }
      for (let m = K - 1; m >= 0; m--) {
        if (slot < this.msgBase[m]) continue;
        const object = `msgs:${this.locShort(this.mlocs[m])}`;
        const k = slot - this.msgBase[m];
        if (k === 0) return { object, field: 'older' };
        const i = Math.floor((k - 1) / (1 + K));
        const j = (k - 1) % (1 + K);
        const who = i < this.msgCap[m] ? `m${i}` : 'newest';
        const at = i < this.msgCap[m] ? j : k - 1 - this.msgCap[m] * (1 + K);
        if (who !== 'newest' && j === 0) return { object, field: `${who}.value` };
        return { object, field: `${who}.sees.${this.locShort(this.mlocs[who === 'newest' ? at : j - 1])}` };
      }
    }
    if (slot < this.results) return { object: `var:${w.litmus?.vars[slot - this.vars] ?? '?'}`, field: 'value' };
    const r0 = this.results + (w.litmus?.results.length ?? 0);
    if (slot < r0) return { object: 'litmus', field: w.litmus?.results[slot - this.results] ?? '?' };
    for (let t = w.threads.length - 1; t >= 0; t--) {
      const name = w.threads[t].name;
      if (slot >= this.lqBase[t] && this.lqCapacity[t] > 0) {
        const k = slot - this.lqBase[t];
        return { object: `loadq:${name}`, field: `l${Math.floor(k / LQ_ENTRY_WIDTH)}.${['reg', 'loc'][k % LQ_ENTRY_WIDTH]}` };
      }
      if (slot >= this.sbBase[t] && this.sbCapacity[t] > 0) {
        if (slot === this.sbBase[t]) return { object: `storebuf:${name}`, field: 'epoch' };
        const k = slot - this.sbBase[t] - 1;
        return { object: `storebuf:${name}`, field: `s${Math.floor(k / SB_ENTRY_WIDTH)}.${['loc', 'value', 'meta'][k % SB_ENTRY_WIDTH]}` };
      }
    }
    return { object: 'mem', field: String(slot - this.mem) };
  }

  /** The state before any step. */
  initialState(): Int32Array {
    const w = this.world;
    const s = new Int32Array(this.size);
    w.pages.forEach((p, i) => {
      let flags = p.locked ? PageFlag.locked : 0;
      if (p.free) flags |= PageFlag.freed;
      s[this.page(i, PageField.flags)] = flags;
      s[this.page(i, PageField.ref)] = p.ref;
      s[this.page(i, PageField.map)] = p.map;
      s[this.page(i, PageField.mapping)] = mappingKinds.indexOf(p.mapping);
      s[this.page(i, PageField.head)] = p.head === undefined ? i : (this.pageIndex.get(p.head) ?? i);
      if (p.owner !== undefined) s[this.page(i, PageField.owner)] = (this.threadIndex.get(p.owner) ?? -1) + 1;
    });
    w.vmas.forEach((v, i) => {
      s[this.vma(i, 0)] = v.start;
      s[this.vma(i, 1)] = v.pgoff;
      s[this.vma(i, 2)] = (v.unlinked ? 0 : v.nonlinear ? VmaFlag.nonlinear : VmaFlag.inInterval) | (v.tempStack ? VmaFlag.tempStack : 0);
    });
    w.ptes.forEach((e, i) => {
      s[this.pte(i)] = pteFromJson(e.init, (n) => this.pageIndex.get(n) ?? 0);
    });
    w.threads.forEach((t, ti) => {
      s[this.thread(ti, ThreadField.waitPage)] = -1;
      const path = w.paths[t.path];
      path.regs.forEach((r, ri) => {
        const a = t.args[r.name];
        let v = 0;
        if (typeof a === 'number') v = a;
        else if (typeof a === 'string') {
          const idx = r.type === 'page' ? this.pageIndex : r.type === 'pte' ? this.pteIndex : this.vmaIndex;
          v = idx.get(a) ?? -1;
        }
        s[this.reg(ti, ri)] = v;
      });
      for (const name of t.tlb ?? []) {
        const e = this.pteIndex.get(name);
        if (e !== undefined) s[this.tlbEntry(ti, e)] = s[this.pte(e)];
      }
    });
    for (const { name, value } of w.litmus?.init ?? []) {
      const v = this.varIndex.get(name);
      if (v !== undefined) s[this.vars + v] = value;
    }
    return s;
  }
}

export const pageFieldNames = ['flags', 'owner', 'ref', 'map', 'mapping', 'head', 'frozen'];
const threadFieldNames = ['pc', 'status', 'waitPage', 'waitFlags', 'sp'];
