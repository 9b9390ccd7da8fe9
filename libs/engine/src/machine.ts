import {
  INSN_WIDTH,
  Layout,
  OP,
  OPS,
  opNames,
  Fence,
  Ordering,
  LQ_ENTRY_WIDTH,
  SB_ENTRY_WIDTH,
  PageField,
  PageFlag,
  PteKind,
  RmapWalk,
  STACK_DEPTH,
  ThreadField,
  ThreadStatus,
  PAGE_WIDTH,
  VmaFlag,
  WaitFlag,
  formatPte,
  invariantBit,
  invariantMask,
  KERNEL_MIGRATE_PASSES,
  isMigrationEntry,
  linkPath,
  makeMigrationFrom,
  makePresentFromMigration,
  makeDevicePrivate,
  mappingKinds,
  pteKind,
  ptePfn,
  type InvariantName,
  type LinkedPath,
  type World,
} from '@mmreplay/model';

export interface Violation {
  readonly invariant: InvariantName;
  readonly thread: number;
  readonly message: string;
}

/**
 * What a step did to relaxed memory (docs/memory-model.md), for step events: `read` a load
 * satisfied now (from memory, or `forwarded` from the thread's own store buffer entry `index`),
 * `defer` a load issued but left outstanding in slot `index`, `satisfy` outstanding load `index`
 * satisfied now, `write` a store straight to memory (sc), `buffer` a store queued in the store
 * buffer, `flush` buffer entry `index` made visible, `fence` a barrier.
 */
export interface MemAction {
  readonly kind: 'read' | 'defer' | 'satisfy' | 'write' | 'buffer' | 'flush' | 'fence';
  readonly loc: number;
  readonly value: number;
  /** the register a load writes, -1 otherwise */
  readonly reg: number;
  readonly index: number;
  readonly forwarded: boolean;
  /** Fence kind (1 rmb, 2 wmb, 3 mb), or the access's ordering (1 acquire / release) */
  readonly order: number;
}

/** How a step was taken: the thread's own instruction, or a store-buffer flush / late load of a weak model. */
export type StepKind = 'instruction' | 'flush' | 'satisfy';

const RELAXED_OPS = new Set<number>([OP.load, OP.store, OP.fence, OP.load_var, OP.store_var, OP.observe, OP.exit]);
const LOAD_OPS = new Set<number>([OP.load, OP.load_var]);
const STORE_OPS = new Set<number>([OP.store, OP.store_var]);

const MAPPING_WITH_CACHE = new Set(['file', 'shmem', 'swapcache'].map((m) => mappingKinds.indexOf(m as never)));
const DEVICE = mappingKinds.indexOf('device');
const ANON = mappingKinds.indexOf('anon');
const MAX_LOCAL_RUN = 10_000;
/** A queued waiter's position in its page's wait queue, above the WaitFlag bits of its wait flags. */
const QUEUE_POS = 4;

const I = {
  bugOn: invariantBit('bug-on'),
  I1: invariantBit('I1'),
  I2: invariantBit('I2'),
  I3: invariantBit('I3'),
  I6: invariantBit('I6'),
  I7: invariantBit('I7'),
  I9: invariantBit('I9'),
  waiterRef: invariantBit('waiter-ref'),
  splitUnmapped: invariantBit('split-unmapped'),
  progress: invariantBit('migration-progress'),
  uaf: invariantBit('use-after-free'),
  deadlock: invariantBit('deadlock'),
};

/**
 * The model primitives of one world: what each instruction does to the state vector. The machine
 * holds no run state of its own; the runtime and the explorer own the state and only ask the
 * machine which threads can run, how many choices a step has, and to execute one step.
 */
export class Machine {
  readonly layout: Layout;
  readonly paths: LinkedPath[];
  private readonly codes: Int32Array[];
  private readonly visible: Uint8Array[];
  private readonly pageIndexOf: Int32Array;
  readonly enabled: number;
  /** set by step() when the step broke an enabled invariant */
  violation: Violation | null = null;
  /** what the last step did to relaxed memory (empty for most steps) */
  readonly memLog: MemAction[] = [];
  /** how the last step was taken */
  lastStepKind: StepKind = 'instruction';

  /** some thread has a store buffer or a load queue (tso / lkmm with relaxed accesses) */
  readonly weak: boolean;
  private readonly weakThread: Uint8Array;
  /** per thread and pc: the registers the instruction names (lkmm: what an outstanding load blocks) */
  private readonly touch: Int32Array[];
  private readonly tso: boolean;
  private readonly flushable = new Int32Array(64);

  constructor(readonly world: World) {
    this.layout = new Layout(world);
    const L = this.layout;
    const linked = new Map(Object.entries(world.paths).map(([name, def]) => [name, linkPath(def)]));
    this.weak = L.weak;
    this.tso = world.memoryModel === 'tso';
    this.weakThread = Uint8Array.from(world.threads, (_, t) => (L.sbCapacity[t] > 0 || L.lqCapacity[t] > 0 ? 1 : 0));
    this.paths = world.threads.map((t, ti) => {
      const p = linked.get(t.path);
      if (!p) throw new Error(`thread ${t.name}: no path '${t.path}'`);
      // A thread with a store buffer does not finish while the buffer holds stores: its `done`s
      // become `exit`, an atomic step at which only flushes happen. It is visible, so that what a
      // thread may still do (the explorer's future footprints) includes its flushes and late loads.
      return this.weakThread[ti] === 1 ? withExit(p) : p;
    });
    this.codes = this.paths.map((p) => p.code);
    this.visible = this.paths.map((p) => p.visible);
    this.touch = this.paths.map(touchedRegisters);
    this.pageIndexOf = Int32Array.from(world.pages, (p) => p.index ?? 0);
    this.enabled = invariantMask(world.invariants) | I.uaf;
  }

  get threadCount(): number {
    return this.world.threads.length;
  }

  /** The initial state, with every thread advanced to its first atomic step. */
  initialState(): Int32Array {
    const s = this.layout.initialState();
    for (let t = 0; t < this.threadCount; t++) this.runLocal(s, t);
    return s;
  }

  pcOf(s: Int32Array, t: number): number {
    return s[this.layout.thread(t, ThreadField.pc)];
  }

  /** The opcode a thread will execute next. */
  opAt(s: Int32Array, t: number): number {
    return this.codes[t][this.pcOf(s, t) * INSN_WIDTH];
  }

  isFinished(s: Int32Array, t: number): boolean {
    return s[this.layout.thread(t, ThreadField.status)] !== ThreadStatus.running;
  }

  /**
   * Whether thread t can take a step: not finished, not sleeping, not spinning on a held lock. Under
   * a weak model a thread can also step to flush its store buffer or satisfy an outstanding load.
   */
  isRunnable(s: Int32Array, t: number): boolean {
    if (this.weak && this.weakThread[t] === 1) return this.selfEnabled(s, t) || this.sbCount(s, t) > 0 || this.lqCount(s, t) > 0;
    return this.baseRunnable(s, t);
  }

  private baseRunnable(s: Int32Array, t: number): boolean {
    const L = this.layout;
    const base = L.thread(t, 0);
    if (s[base + ThreadField.status] !== ThreadStatus.running) return false;
    const code = this.codes[t];
    const at = s[base + ThreadField.pc] * INSN_WIDTH;
    switch (code[at]) {
      case OP.sleep:
        return s[base + ThreadField.waitPage] < 0 || (s[base + ThreadField.waitFlags] & WaitFlag.woken) !== 0;
      case OP.lock_page:
        return s[base + ThreadField.waitPage] < 0 || (s[base + ThreadField.waitFlags] & WaitFlag.woken) !== 0;
      case OP.ptl_lock: {
        const pte = s[base + ThreadField.regs + code[at + 1]];
        return s[L.ptl(L.ptlOfPte[pte])] === 0;
      }
      case OP.rmap_lock: {
        const held = s[L.rmap];
        return code[at + 2] === 1 ? held === 0 : held >= 0;
      }
      default:
        return true;
    }
  }

  /**
   * How many different outcomes thread t's next step can have (rmap walk order, TLB eviction).
   * Under a weak model the choices of a thread are, in this order: its own instruction's outcomes
   * (for an lkmm load: satisfy it now, or leave it outstanding), one per store-buffer entry that
   * may become visible now, and one per outstanding load.
   */
  choiceCount(s: Int32Array, t: number): number {
    if (this.weak && this.weakThread[t] === 1) {
      return (this.selfEnabled(s, t) ? this.selfChoices(s, t) : 0) + this.flushableEntries(s, t) + this.lqCount(s, t);
    }
    return this.baseChoices(s, t);
  }

  private baseChoices(s: Int32Array, t: number): number {
    const code = this.codes[t];
    const at = this.pcOf(s, t) * INSN_WIDTH;
    const op = code[at];
    if (op === OP.rmap_next && this.world.rmapOrder === 'any') {
      const regs = this.layout.reg(t, 0);
      return Math.max(1, this.walkCandidates(s, s[regs + code[at + 2]], code[at + 6]));
    }
    if (op === OP.hw_access && this.layout.hasTlb) {
      const pte = s[this.layout.reg(t, code[at + 1])];
      return s[this.layout.tlbEntry(t, pte)] !== 0 ? 2 : 1;
    }
    return 1;
  }

  private vmaVisible(s: Int32Array, v: number, flags: number): boolean {
    const f = s[this.layout.vma(v, 2)];
    if ((flags & RmapWalk.skipTempStack) !== 0 && (f & VmaFlag.tempStack) !== 0) return false;
    if ((f & VmaFlag.inInterval) !== 0) return true;
    return (flags & RmapWalk.nonlinear) !== 0 && (f & VmaFlag.nonlinear) !== 0;
  }

  private walkCandidates(s: Int32Array, visited: number, flags: number): number {
    let n = 0;
    const nv = this.world.vmas.length;
    for (let v = 0; v < nv; v++) if ((visited & (1 << v)) === 0 && this.vmaVisible(s, v, flags)) n++;
    return n;
  }

  private fail(t: number, invariant: InvariantName, message: string): boolean {
    if ((this.enabled & invariantBit(invariant)) === 0) return true;
    this.violation = { invariant, thread: t, message: `${this.world.threads[t].name}: ${message}` };
    return false;
  }

  private pageName(p: number): string {
    return this.layout.pageName(p);
  }

  /**
   * Executes thread t's next atomic step, then its local instructions up to the next atomic step.
   * Returns false if the step broke an enabled invariant (see `violation`).
   */
  step(s: Int32Array, t: number, choice = 0): boolean {
    this.violation = null;
    if (this.memLog.length !== 0) this.memLog.length = 0;
    this.lastStepKind = 'instruction';
    if (this.weak && this.weakThread[t] === 1) {
      const own = this.selfEnabled(s, t) ? this.selfChoices(s, t) : 0;
      if (choice >= own) return this.sideStep(s, t, choice - own);
      // Everything but the relaxed accesses is sequentially consistent: an SC step is a full
      // barrier for the thread's relaxed accesses (its outstanding loads are satisfied, its store
      // buffer drains, then the step runs).
      if (!RELAXED_OPS.has(this.opAt(s, t))) this.settle(s, t);
    }
    const L = this.layout;
    const base = L.thread(t, 0);
    const R = base + ThreadField.regs;
    const code = this.codes[t];
    const pc = s[base + ThreadField.pc];
    const at = pc * INSN_WIDTH;
    const a1 = code[at + 1];
    const a2 = code[at + 2];
    const a3 = code[at + 3];
    let next = pc + 1;
    let ok = true;
    const page = (reg: number) => L.pages + s[R + reg] * PAGE_WIDTH;

    switch (code[at]) {
      case OP.trylock_page: {
        const p = page(a1);
        if (s[p + PageField.flags] & PageFlag.freed) ok = this.fail(t, 'use-after-free', `trylock of freed page ${this.pageName(s[R + a1])}`);
        if (s[p + PageField.flags] & PageFlag.locked) s[R + a2] = 0;
        else {
          s[p + PageField.flags] |= PageFlag.locked;
          s[p + PageField.owner] = t + 1;
          s[R + a2] = 1;
        }
        break;
      }
      case OP.lock_page: {
        const p = page(a1);
        if (s[p + PageField.flags] & PageFlag.freed) ok = this.fail(t, 'use-after-free', `folio_lock of freed page ${this.pageName(s[R + a1])}`);
        const handedOff = s[base + ThreadField.waitPage] === s[R + a1] && s[p + PageField.owner] === t + 1;
        if ((s[p + PageField.flags] & PageFlag.locked) === 0 || handedOff) {
          // Free, or the unlocker handed the lock to this exclusive waiter (WQ_FLAG_DONE).
          s[p + PageField.flags] |= PageFlag.locked;
          s[p + PageField.owner] = t + 1;
          s[base + ThreadField.waitPage] = -1;
          s[base + ThreadField.waitFlags] = 0;
        } else {
          // Sleep as an exclusive waiter at the tail of the queue until an unlock hands the lock over.
          s[p + PageField.flags] |= PageFlag.waiters;
          s[base + ThreadField.waitFlags] = WaitFlag.exclusive | (this.queued(s, s[R + a1]) << QUEUE_POS);
          s[base + ThreadField.waitPage] = s[R + a1];
          next = pc;
        }
        break;
      }
      case OP.unlock_page: {
        const pi = s[R + a1];
        const p = page(a1);
        if ((s[p + PageField.flags] & PageFlag.locked) === 0 || s[p + PageField.owner] !== t + 1) {
          ok = this.fail(t, 'bug-on', `VM_BUG_ON_FOLIO(!folio_test_locked) in folio_unlock of ${this.pageName(pi)}`);
        }
        if (ok && (this.enabled & I.I6) !== 0 && this.hasMigrationEntries(s, pi)) {
          ok = this.fail(t, 'I6', `unlocks ${this.pageName(pi)} while migration entries for it exist`);
        }
        s[p + PageField.flags] &= ~PageFlag.locked;
        s[p + PageField.owner] = 0;
        if (s[p + PageField.flags] & PageFlag.waiters) this.wakeUpPageBit(s, pi);
        break;
      }
      case OP.waitq_add:
      case OP.put_and_wait: {
        const pi = s[R + a1];
        const p = page(a1);
        if (s[p + PageField.flags] & PageFlag.freed) ok = this.fail(t, 'use-after-free', `queues on the wait queue of freed page ${this.pageName(pi)}`);
        // ffa65753c431: a waiter without a reference is safe only under the PTL of an entry that pins the page.
        if (ok && code[at] === OP.waitq_add && (this.enabled & I.waiterRef) !== 0 && !this.pinnedUnderHeldPtl(s, t, pi)) {
          ok = this.fail(t, 'waiter-ref', `queues on ${this.pageName(pi)} without a reference and without holding the PTL of an entry that pins it`);
        }
        s[p + PageField.flags] |= PageFlag.waiters;
        s[base + ThreadField.waitFlags] = s[p + PageField.flags] & PageFlag.locked ? this.queued(s, pi) << QUEUE_POS : WaitFlag.woken;
        s[base + ThreadField.waitPage] = pi;
        if (code[at] === OP.put_and_wait && ok) ok = this.putPage(s, t, pi);
        break;
      }
      case OP.sleep:
        s[base + ThreadField.waitPage] = -1;
        s[base + ThreadField.waitFlags] = 0;
        break;
      case OP.ptl_lock:
        s[L.ptl(L.ptlOfPte[s[R + a1]])] = t + 1;
        break;
      case OP.ptl_unlock: {
        const l = L.ptl(L.ptlOfPte[s[R + a1]]);
        if (s[l] !== t + 1) ok = this.fail(t, 'I2', `spin_unlock of a PTL it does not hold`);
        s[l] = 0;
        break;
      }
      case OP.pte_read:
      case OP.pte_read_lockless:
        s[R + a2] = s[L.ptes + s[R + a1]];
        break;
      case OP.hw_access: {
        const e = s[R + a1];
        if (L.hasTlb) {
          const slot = L.tlbEntry(t, e);
          if (s[slot] !== 0 && choice === 0) {
            s[R + a2] = s[slot];
            break;
          }
          s[slot] = 0;
          const v = s[L.ptes + e];
          s[R + a2] = v;
          if (pteKind(v) === PteKind.present) s[slot] = v;
        } else s[R + a2] = s[L.ptes + e];
        break;
      }
      case OP.pte_clear: {
        const e = s[R + a1];
        ok = this.requirePtl(s, t, e);
        s[R + a2] = s[L.ptes + e];
        s[L.ptes + e] = 0;
        break;
      }
      case OP.tlb_flush:
        if (L.hasTlb) for (let th = 0; th < this.threadCount; th++) s[L.tlbEntry(th, s[R + a1])] = 0;
        break;
      case OP.set_migration_pte: {
        const e = s[R + a1];
        const pi = s[R + a2];
        ok = this.requirePtl(s, t, e);
        const p = L.pages + pi * PAGE_WIDTH;
        if (ok && (this.enabled & I.I7) !== 0 && ((s[p + PageField.flags] & PageFlag.locked) === 0 || s[p + PageField.owner] !== t + 1)) {
          ok = this.fail(t, 'I7', `installs a migration entry for ${this.pageName(pi)} without holding its page lock`);
        }
        s[L.ptes + e] = makeMigrationFrom(s[R + a3], pi);
        break;
      }
      case OP.set_present_pte: {
        const e = s[R + a1];
        const pi = s[R + a2];
        ok = this.requirePtl(s, t, e);
        const dev = s[L.pages + pi * PAGE_WIDTH + PageField.mapping] === DEVICE;
        const present = makePresentFromMigration(s[R + a3], pi);
        s[L.ptes + e] = dev ? makeDevicePrivate(pi, (present & 8) !== 0) : present;
        break;
      }
      case OP.pte_move: {
        const from = s[R + a1];
        const to = s[R + a2];
        ok = this.requirePtl(s, t, from) && this.requirePtl(s, t, to);
        s[L.ptes + to] = s[L.ptes + from];
        s[L.ptes + from] = 0;
        if (L.hasTlb) for (let th = 0; th < this.threadCount; th++) s[L.tlbEntry(th, from)] = 0;
        break;
      }
      case OP.get_page: {
        const p = page(a1);
        if (s[p + PageField.flags] & (PageFlag.freed | PageFlag.frozen)) {
          ok = this.fail(t, 'use-after-free', `folio_get on ${s[p + PageField.flags] & PageFlag.freed ? 'freed' : 'frozen'} page ${this.pageName(s[R + a1])}`);
        }
        s[p + PageField.ref]++;
        break;
      }
      case OP.put_page:
        ok = this.putPage(s, t, s[R + a1]);
        break;
      case OP.try_get_page: {
        const p = page(a1);
        if (s[p + PageField.ref] === 0 || (s[p + PageField.flags] & PageFlag.frozen) !== 0) s[R + a2] = 0;
        else {
          s[p + PageField.ref]++;
          s[R + a2] = 1;
        }
        break;
      }
      case OP.ref_check: {
        const p = page(a1);
        s[R + a3] = s[p + PageField.ref] === this.expectedRefs(s, s[R + a1]) + a2 ? 1 : 0;
        break;
      }
      case OP.ref_freeze: {
        const p = page(a1);
        const expected = this.expectedRefs(s, s[R + a1]) + a2;
        if (s[p + PageField.ref] === expected && (s[p + PageField.flags] & PageFlag.frozen) === 0) {
          s[p + PageField.flags] |= PageFlag.frozen;
          s[p + PageField.frozen] = expected;
          s[p + PageField.ref] = 0;
          s[R + a3] = 1;
        } else s[R + a3] = 0;
        break;
      }
      case OP.ref_unfreeze: {
        const p = page(a1);
        s[p + PageField.ref] = s[p + PageField.frozen] - a2;
        s[p + PageField.frozen] = 0;
        s[p + PageField.flags] &= ~PageFlag.frozen;
        break;
      }
      case OP.rmap_add:
        s[page(a1) + PageField.map]++;
        break;
      case OP.rmap_remove: {
        const p = page(a1);
        if (s[p + PageField.map] <= 0) ok = this.fail(t, 'use-after-free', `mapcount underflow on ${this.pageName(s[R + a1])}`);
        s[p + PageField.map]--;
        break;
      }
      case OP.page_mapped:
        s[R + a2] = s[page(a1) + PageField.map] > 0 ? 1 : 0;
        break;
      case OP.rmap_lock:
        s[L.rmap] = a2 === 1 ? -1 : s[L.rmap] + 1;
        break;
      case OP.rmap_unlock:
        s[L.rmap] = a2 === 1 ? 0 : s[L.rmap] - 1;
        break;
      case OP.rmap_next:
        next = this.rmapNext(s, t, R, at, pc, choice);
        break;
      case OP.vma_set:
        s[L.vma(a1, a2)] = a3;
        break;
      case OP.alloc_page: {
        // get_new_page hands out some free page: the one r0 names when it is free (so that runs
        // that never pin an old page keep their page names), else the lowest-numbered free page
        // of the world's pool; none free is -ENOMEM (r0 := -1). Never a page someone still
        // references: a pre-ffa65753c431 waiter may pin the previous round's page.
        const pi = this.freePage(s, s[R + a1]);
        s[R + a1] = pi;
        if (pi < 0) break;
        const p = L.pages + pi * PAGE_WIDTH;
        s[p + PageField.flags] = 0;
        s[p + PageField.owner] = 0;
        s[p + PageField.ref] = 1;
        s[p + PageField.map] = 0;
        s[p + PageField.mapping] = 0;
        s[p + PageField.head] = pi;
        break;
      }
      case OP.migrate_mapping: {
        const src = page(a1);
        const dst = page(a2);
        // migrate_to_ram: a device-private page's new home is an ordinary anon page.
        s[dst + PageField.mapping] = s[src + PageField.mapping] === DEVICE ? ANON : s[src + PageField.mapping];
        if (MAPPING_WITH_CACHE.has(s[src + PageField.mapping])) s[dst + PageField.ref]++;
        break;
      }
      case OP.migrate_result:
        // 2: gave up after the kernel's passes; 3: stopped at a scenario bound below them (no violation).
        if (a2 === 2) ok = this.fail(t, 'migration-progress', `gave up migrating ${this.pageName(s[R + a1])}: all ${KERNEL_MIGRATE_PASSES} passes failed`);
        break;
      case OP.check_locked: {
        const v = s[R + a1];
        if (isMigrationEntry(v)) {
          const pi = ptePfn(v);
          const head = s[L.pages + pi * PAGE_WIDTH + PageField.head];
          if ((s[L.pages + head * PAGE_WIDTH + PageField.flags] & PageFlag.locked) === 0) {
            ok = this.fail(t, 'bug-on', `BUG_ON(!PageLocked) in pfn_swap_entry_to_page: ${formatPte(v, (i) => this.pageName(i))} points to unlocked page ${this.pageName(head)}`);
          }
        }
        break;
      }
      case OP.check_locked_loaded: {
        const v = s[R + a1];
        if (isMigrationEntry(v) && (s[R + a2] & PageFlag.locked) === 0) {
          ok = this.fail(t, 'bug-on', `BUG_ON(!folio_test_locked) in softleaf_to_folio: ${formatPte(v, (i) => this.pageName(i))} and the flags it loaded say unlocked`);
        }
        break;
      }
      case OP.vm_bug_on_mapped:
        if (s[page(a1) + PageField.map] > 0) ok = this.fail(t, 'split-unmapped', `VM_BUG_ON_PAGE(!unmap_success): ${this.pageName(s[R + a1])} is still mapped after unmap_page`);
        break;
      case OP.load:
        this.relaxedLoad(s, t, a1, L.pageLoc(s[R + a3], a2), code[at + 4], choice);
        break;
      case OP.store:
        this.relaxedStore(s, t, L.pageLoc(s[R + a2], a1), s[R + a3], code[at + 4]);
        break;
      case OP.load_var:
        this.relaxedLoad(s, t, a1, L.varLoc(a2), a3, choice);
        break;
      case OP.store_var:
        this.relaxedStore(s, t, L.varLoc(a1), s[R + a2], a3);
        break;
      case OP.fence:
        this.fence(s, t, a1);
        break;
      case OP.observe:
        s[L.results + a1] = s[R + a2];
        break;
      case OP.compound_head:
        s[R + a1] = s[L.pages + s[R + a2] * PAGE_WIDTH + PageField.head];
        break;
      case OP.tlb_flush_batched:
        if (L.hasTlb) for (let th = 0; th < this.threadCount; th++) for (let e = 0; e < L.nPtes; e++) s[L.tlbEntry(th, e)] = 0;
        break;
      case OP.pte_copy: {
        const from = s[R + a1];
        const to = s[R + a2];
        ok = this.requirePtl(s, t, from) && this.requirePtl(s, t, to);
        const v = s[L.ptes + from];
        s[L.ptes + to] = v;
        if (pteKind(v) === PteKind.present) {
          // copy_present_pte: page_dup_rmap + get_page for the child's mapping.
          const p = L.pages + ptePfn(v) * PAGE_WIDTH;
          s[p + PageField.ref]++;
          s[p + PageField.map]++;
        }
        break;
      }
      case OP.exit:
        // Reached only where no store buffer exists (an `exit` a variant put in): it ends the thread.
        s[base + ThreadField.status] = ThreadStatus.done;
        next = pc;
        break;
      default:
        throw new Error(`thread ${this.world.threads[t].name}: pc ${pc} is not an atomic step`);
    }
    s[base + ThreadField.pc] = next;
    this.runLocal(s, t);
    if (ok && (this.enabled & (I.I1 | I.I3)) !== 0) ok = this.checkEntries(s, t);
    return ok;
  }

  private requirePtl(s: Int32Array, t: number, pte: number): boolean {
    const L = this.layout;
    if (s[L.ptl(L.ptlOfPte[pte])] === t + 1) return true;
    return this.fail(t, 'I2', `writes PTE ${this.world.ptes[pte].name} without holding ${this.world.ptes[pte].ptl}`);
  }

  /** folio_expected_refs(): the isolation reference, plus the page cache's for a mapping. */
  private expectedRefs(s: Int32Array, pi: number): number {
    return 1 + (MAPPING_WITH_CACHE.has(s[this.layout.pages + pi * PAGE_WIDTH + PageField.mapping]) ? 1 : 0);
  }

  private putPage(s: Int32Array, t: number, pi: number): boolean {
    const p = this.layout.pages + pi * PAGE_WIDTH;
    if (s[p + PageField.ref] <= 0) return this.fail(t, 'use-after-free', `folio_put on ${this.pageName(pi)} with refcount ${s[p + PageField.ref]}`);
    if (--s[p + PageField.ref] === 0) {
      s[p + PageField.flags] |= PageFlag.freed;
      if (s[p + PageField.flags] & PageFlag.locked) return this.fail(t, 'use-after-free', `frees ${this.pageName(pi)} while it is locked (bad_page)`);
    }
    return true;
  }

  /** How many entries page pi's wait queue holds: waiters not yet woken (a woken entry has left it). */
  private queued(s: Int32Array, pi: number): number {
    const L = this.layout;
    let n = 0;
    for (let th = 0; th < this.threadCount; th++) {
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
  private wakeUpPageBit(s: Int32Array, pi: number): void {
    const L = this.layout;
    const n = this.threadCount;
    const order = new Int32Array(n).fill(-1);
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
      const wf = L.thread(th, ThreadField.waitFlags);
      if (handedOff) s[wf] = (s[wf] & (WaitFlag.exclusive | WaitFlag.woken)) | (left++ << QUEUE_POS);
      else if ((s[wf] & WaitFlag.exclusive) !== 0) {
        s[p + PageField.flags] |= PageFlag.locked;
        s[p + PageField.owner] = th + 1;
        s[wf] = WaitFlag.exclusive | WaitFlag.woken;
        handedOff = true;
      } else s[wf] = WaitFlag.woken;
    }
    if (left === 0) s[p + PageField.flags] &= ~PageFlag.waiters;
  }

  /** Thread t holds the PTL of a PTE whose migration or device-private entry names page pi (or a tail of it). */
  private pinnedUnderHeldPtl(s: Int32Array, t: number, pi: number): boolean {
    const L = this.layout;
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

  /** The page get_new_page returns: `preferred` if it is free, else the lowest free page, else -1. */
  private freePage(s: Int32Array, preferred: number): number {
    const L = this.layout;
    const free = (pi: number) => (s[L.pages + pi * PAGE_WIDTH + PageField.flags] & PageFlag.freed) !== 0;
    if (preferred >= 0 && free(preferred)) return preferred;
    for (let pi = 0; pi < this.world.pages.length; pi++) if (free(pi)) return pi;
    return -1;
  }

  private hasMigrationEntries(s: Int32Array, pi: number): boolean {
    const L = this.layout;
    for (let e = 0; e < L.nPtes; e++) {
      const v = s[L.ptes + e];
      if (isMigrationEntry(v) && s[L.pages + ptePfn(v) * PAGE_WIDTH + PageField.head] === pi) return true;
    }
    return false;
  }

  /** I1 and I3 over every migration entry. */
  private checkEntries(s: Int32Array, t: number): boolean {
    const L = this.layout;
    for (let e = 0; e < L.nPtes; e++) {
      const v = s[L.ptes + e];
      if (!isMigrationEntry(v)) continue;
      const pi = ptePfn(v);
      const head = s[L.pages + pi * PAGE_WIDTH + PageField.head];
      const flags = s[L.pages + head * PAGE_WIDTH + PageField.flags];
      if ((this.enabled & I.I3) !== 0 && (flags & PageFlag.freed) !== 0) {
        return this.fail(t, 'I3', `migration entry ${this.world.ptes[e].name} points to freed page ${this.pageName(head)}`);
      }
      if ((this.enabled & I.I1) !== 0 && (flags & PageFlag.locked) === 0) {
        return this.fail(t, 'I1', `migration entry ${this.world.ptes[e].name} points to unlocked page ${this.pageName(head)}`);
      }
    }
    return true;
  }

  private rmapNext(s: Int32Array, t: number, R: number, at: number, pc: number, choice: number): number {
    const code = this.codes[t];
    const L = this.layout;
    const visitedReg = R + code[at + 2];
    const flags = code[at + 6];
    const nv = this.world.vmas.length;
    let pick = -1;
    let k = this.world.rmapOrder === 'any' ? choice : 0;
    for (let v = 0; v < nv; v++) {
      if ((s[visitedReg] & (1 << v)) !== 0 || !this.vmaVisible(s, v, flags)) continue;
      if (k-- === 0) {
        pick = v;
        break;
      }
    }
    if (pick < 0) return code[at + 5];
    s[visitedReg] |= 1 << pick;
    s[R + code[at + 3]] = pick;
    // vma_address(): where this VMA maps the page.
    const addr = s[L.vma(pick, 0)] + (this.pageIndexOf[s[R + code[at + 1]]] - s[L.vma(pick, 1)]);
    let pte = -1;
    for (let e = 0; e < L.nPtes; e++) {
      if (L.pteAddr[e] === addr) {
        pte = e;
        break;
      }
    }
    s[R + code[at + 4]] = pte;
    return pc + 1;
  }

  /** Runs thread-local instructions until the thread rests on an atomic step or finishes. */
  runLocal(s: Int32Array, t: number): void {
    const L = this.layout;
    const base = L.thread(t, 0);
    const R = base + ThreadField.regs;
    const code = this.codes[t];
    const visible = this.visible[t];
    let pc = s[base + ThreadField.pc];
    const waits = this.layout.lqCapacity[t] > 0 ? this.touch[t] : null;
    for (let n = 0; ; n++) {
      if (n > MAX_LOCAL_RUN) throw new Error(`thread ${this.world.threads[t].name}: a loop of local steps never reaches an atomic step`);
      if (visible[pc]) {
        if (this.weak && code[pc * INSN_WIDTH] === OP.exit && this.sbCount(s, t) === 0) {
          s[base + ThreadField.pc] = pc;
          s[base + ThreadField.status] = ThreadStatus.done;
          if (waits !== null) s.fill(0, this.layout.lqEntry(t, 0), this.layout.lqEntry(t, this.layout.lqCapacity[t]));
          return;
        }
        break;
      }
      // lkmm: a local instruction that names the register of an outstanding load waits for it
      // (a dependency); the thread rests here until the load is satisfied.
      if (waits !== null && waits[pc] !== 0 && (waits[pc] & this.pendingRegs(s, t)) !== 0) break;
      const at = pc * INSN_WIDTH;
      const a1 = code[at + 1];
      const a2 = code[at + 2];
      const a3 = code[at + 3];
      switch (code[at]) {
        case OP.nop:
          pc++;
          break;
        case OP.mov:
          s[R + a1] = a2;
          pc++;
          break;
        case OP.copy:
          s[R + a1] = s[R + a2];
          pc++;
          break;
        case OP.swap: {
          const x = s[R + a1];
          s[R + a1] = s[R + a2];
          s[R + a2] = x;
          pc++;
          break;
        }
        case OP.add:
          s[R + a1] += a2;
          pc++;
          break;
        case OP.jmp:
          pc = a1;
          break;
        case OP.beq:
          pc = s[R + a1] === a2 ? a3 : pc + 1;
          break;
        case OP.bne:
          pc = s[R + a1] !== a2 ? a3 : pc + 1;
          break;
        case OP.blt:
          pc = s[R + a1] < a2 ? a3 : pc + 1;
          break;
        case OP.bsame:
          pc = s[R + a1] === s[R + a2] ? a3 : pc + 1;
          break;
        case OP.bkind:
          pc = ((a2 >> pteKind(s[R + a1])) & 1) !== 0 ? a3 : pc + 1;
          break;
        case OP.bpfn:
          pc = ptePfn(s[R + a1]) !== s[R + a2] ? a3 : pc + 1;
          break;
        case OP.pfn:
          s[R + a1] = ptePfn(s[R + a2]);
          pc++;
          break;
        case OP.call: {
          const sp = s[base + ThreadField.sp];
          if (sp >= STACK_DEPTH) throw new Error(`thread ${this.world.threads[t].name}: call stack overflow`);
          s[base + ThreadField.stack + sp] = pc + 1;
          s[base + ThreadField.sp] = sp + 1;
          pc = a1;
          break;
        }
        case OP.ret: {
          const sp = s[base + ThreadField.sp] - 1;
          s[base + ThreadField.sp] = sp;
          pc = s[base + ThreadField.stack + sp];
          break;
        }
        case OP.done:
          s[base + ThreadField.pc] = pc;
          s[base + ThreadField.status] = ThreadStatus.done;
          // Loads still outstanding at the end are never read: drop them.
          if (waits !== null) s.fill(0, this.layout.lqEntry(t, 0), this.layout.lqEntry(t, this.layout.lqCapacity[t]));
          return;
        default:
          throw new Error(`unknown local opcode ${code[at]}`);
      }
    }
    s[base + ThreadField.pc] = pc;
  }

  /**
   * When no thread can run: every thread finished, or a deadlock. A thread asleep on an unlocked
   * page is a lost wakeup (I9).
   */
  endState(s: Int32Array): { outcome: 'completed'; violation: null } | { outcome: 'deadlock' | 'violation'; violation: Violation } {
    const L = this.layout;
    let blocked = -1;
    for (let t = 0; t < this.threadCount; t++) {
      if (this.isFinished(s, t)) continue;
      if (blocked < 0) blocked = t;
      const wp = s[L.thread(t, ThreadField.waitPage)];
      if (wp >= 0 && (s[L.pages + wp * PAGE_WIDTH + PageField.flags] & PageFlag.locked) === 0 && (this.enabled & I.I9) !== 0) {
        return { outcome: 'violation', violation: { invariant: 'I9', thread: t, message: `${this.world.threads[t].name}: lost wakeup: sleeps forever on unlocked page ${this.pageName(wp)}` } };
      }
    }
    if (blocked < 0) {
      const weak = this.weakOutcome(s);
      if (weak) return { outcome: 'violation', violation: weak };
      return { outcome: 'completed', violation: null };
    }
    return { outcome: 'deadlock', violation: { invariant: 'deadlock', thread: blocked, message: `deadlock: no thread can run (${this.describeBlocked(s)})` } };
  }

  private describeBlocked(s: Int32Array): string {
    const parts: string[] = [];
    for (let t = 0; t < this.threadCount; t++) {
      if (this.isFinished(s, t)) continue;
      parts.push(`${this.world.threads[t].name} at ${this.stepLabel(s, t)}`);
    }
    return parts.join(', ');
  }

  // -- weak memory models (docs/memory-model.md) ------------------------------------------------
  //
  // Memory is flat and multi-copy atomic: a location's value is one slot of the state (the page's
  // head or flags slot, a litmus variable), which every SC step reads and writes directly. What a
  // weak model adds is per thread and lives in the layout's memory section:
  //  - a store buffer: a relaxed store is queued, and becomes visible later, as a step of its own
  //    (a choice of the owning thread). tso flushes oldest first (FIFO). lkmm flushes any entry
  //    that has no older entry to the same location (coherence), no older entry before an
  //    smp_wmb (the entry's epoch), and, for a release store, no older entry at all. A thread's
  //    loads read its own newest buffered store to the location first (store forwarding).
  //  - lkmm only, a load queue: a plain load may be left outstanding and satisfied later, from
  //    memory as it is then. Later loads and stores that do not depend on it run meanwhile: this
  //    is load->load and load->store reordering. An instruction that names the register of an
  //    outstanding load (a data, address or control dependency) waits for it. A load or store to a
  //    location with an outstanding load waits too (coherence).
  // smp_rmb satisfies the outstanding loads, smp_wmb starts a new store epoch, smp_mb does both
  // and drains the buffer; an acquire load is never left outstanding, a release store first
  // satisfies the outstanding loads. SC steps are full barriers. Draining or satisfying
  // everything inside one step loses no behaviour: each flush and each late load is also a step of
  // its own that can be taken earlier.

  /** Store-buffer entries of thread t. */
  sbCount(s: Int32Array, t: number): number {
    const L = this.layout;
    const cap = L.sbCapacity[t];
    let n = 0;
    while (n < cap && s[L.sbEntry(t, n)] !== 0) n++;
    return n;
  }

  /** Outstanding loads of thread t. */
  lqCount(s: Int32Array, t: number): number {
    const L = this.layout;
    const cap = L.lqCapacity[t];
    let n = 0;
    while (n < cap && s[L.lqEntry(t, n)] !== 0) n++;
    return n;
  }

  /** Thread t has stores not yet visible or loads not yet satisfied. */
  hasPendingMemory(s: Int32Array, t: number): boolean {
    return this.weak && this.weakThread[t] === 1 && (this.sbCount(s, t) > 0 || this.lqCount(s, t) > 0);
  }

  private pendingRegs(s: Int32Array, t: number): number {
    const L = this.layout;
    let m = 0;
    for (let i = 0, cap = L.lqCapacity[t]; i < cap; i++) {
      const r = s[L.lqEntry(t, i)];
      if (r === 0) break;
      m |= 1 << (r - 1);
    }
    return m;
  }

  private lqHasLoc(s: Int32Array, t: number, loc: number): boolean {
    const L = this.layout;
    for (let i = 0, cap = L.lqCapacity[t]; i < cap; i++) {
      const e = L.lqEntry(t, i);
      if (s[e] === 0) return false;
      if (s[e + 1] === loc) return true;
    }
    return false;
  }

  /** The newest store-buffer entry of thread t for loc, or -1. */
  private sbNewest(s: Int32Array, t: number, loc: number): number {
    const L = this.layout;
    for (let i = this.sbCount(s, t) - 1; i >= 0; i--) if (s[L.sbEntry(t, i)] === loc + 1) return i;
    return -1;
  }

  /** The location a relaxed access at thread t's pc names. */
  private accessLoc(s: Int32Array, t: number): number {
    const code = this.codes[t];
    const at = this.pcOf(s, t) * INSN_WIDTH;
    const R = this.layout.reg(t, 0);
    switch (code[at]) {
      case OP.load:
        return this.layout.pageLoc(s[R + code[at + 3]], code[at + 2]);
      case OP.store:
        return this.layout.pageLoc(s[R + code[at + 2]], code[at + 1]);
      case OP.load_var:
        return this.layout.varLoc(code[at + 2]);
      default:
        return this.layout.varLoc(code[at + 1]);
    }
  }

  /** Whether thread t's own next instruction can run (rather than a flush or a late load). */
  private selfEnabled(s: Int32Array, t: number): boolean {
    if (!this.baseRunnable(s, t)) return false;
    const pc = this.pcOf(s, t);
    if (!this.visible[t][pc]) return false; // waits on a local instruction for an outstanding load
    const op = this.codes[t][pc * INSN_WIDTH];
    if (op === OP.exit) return false;
    if (!RELAXED_OPS.has(op)) return true;
    const L = this.layout;
    if (L.lqCapacity[t] > 0) {
      const pending = this.pendingRegs(s, t);
      if (pending !== 0 && (this.touch[t][pc] & pending) !== 0) return false;
      if ((LOAD_OPS.has(op) || STORE_OPS.has(op)) && this.lqHasLoc(s, t, this.accessLoc(s, t))) return false;
    }
    if (STORE_OPS.has(op) && L.sbCapacity[t] > 0 && this.sbCount(s, t) === L.sbCapacity[t]) return false;
    return true;
  }

  private selfChoices(s: Int32Array, t: number): number {
    const op = this.opAt(s, t);
    if (LOAD_OPS.has(op)) return this.deferrable(s, t) ? 2 : 1;
    return this.baseChoices(s, t);
  }

  /** lkmm: the plain load at thread t's pc may be left outstanding. */
  private deferrable(s: Int32Array, t: number): boolean {
    const L = this.layout;
    if (L.lqCapacity[t] === 0 || this.lqCount(s, t) >= L.lqCapacity[t]) return false;
    const code = this.codes[t];
    const at = this.pcOf(s, t) * INSN_WIDTH;
    const ordering = code[at] === OP.load ? code[at + 4] : code[at + 3];
    if (ordering !== Ordering.plain) return false;
    return this.sbNewest(s, t, this.accessLoc(s, t)) < 0;
  }

  /** Fills `this.flushable` with the store-buffer entries that may become visible now; returns how many. */
  private flushableEntries(s: Int32Array, t: number): number {
    const L = this.layout;
    const n = this.sbCount(s, t);
    if (n === 0) return 0;
    if (this.tso) {
      this.flushable[0] = 0;
      return 1;
    }
    let k = 0;
    for (let i = 0; i < n; i++) {
      const e = L.sbEntry(t, i);
      const meta = s[e + 2];
      if (meta >> 1 !== 0) break; // later epochs wait for every store before the smp_wmb
      if ((meta & 1) !== 0 && i > 0) continue; // a release store waits for every older store
      let older = false;
      for (let j = 0; j < i && !older; j++) older = s[L.sbEntry(t, j)] === s[e];
      if (!older) this.flushable[k++] = i;
    }
    return k;
  }

  /** A flush or a late load: choice k after the thread's own instruction's choices. */
  private sideStep(s: Int32Array, t: number, k: number): boolean {
    const nf = this.flushableEntries(s, t);
    if (k < nf) {
      this.lastStepKind = 'flush';
      this.flush(s, t, this.flushable[k]);
    } else {
      this.lastStepKind = 'satisfy';
      this.satisfy(s, t, k - nf);
    }
    // The thread may have waited on a local instruction for that load, or at `exit` for that flush.
    this.runLocal(s, t);
    return (this.enabled & (I.I1 | I.I3)) !== 0 ? this.checkEntries(s, t) : true;
  }

  private log(kind: MemAction['kind'], loc: number, value: number, reg = -1, index = -1, forwarded = false, order = 0): void {
    this.memLog.push({ kind, loc, value, reg, index, forwarded, order });
  }

  private relaxedLoad(s: Int32Array, t: number, reg: number, loc: number, ordering: number, choice: number): void {
    const L = this.layout;
    const slot = L.reg(t, reg);
    if (this.weak && this.weakThread[t] === 1) {
      if (choice === 1 && this.deferrable(s, t)) {
        const n = this.lqCount(s, t);
        const e = L.lqEntry(t, n);
        s[e] = reg + 1;
        s[e + 1] = loc;
        // Nothing reads the register before the load is satisfied (that waits): give it one
        // value, so that states differing only in what it held before count once.
        s[slot] = 0;
        this.log('defer', loc, 0, reg, n, false, ordering);
        return;
      }
      const i = L.sbCapacity[t] > 0 ? this.sbNewest(s, t, loc) : -1;
      if (i >= 0) {
        s[slot] = s[L.sbEntry(t, i) + 1];
        this.log('read', loc, s[slot], reg, i, true, ordering);
        return;
      }
    }
    s[slot] = s[L.locSlot(loc)];
    this.log('read', loc, s[slot], reg, -1, false, ordering);
  }

  private relaxedStore(s: Int32Array, t: number, loc: number, value: number, ordering: number): void {
    const L = this.layout;
    if (!this.weak || L.sbCapacity[t] === 0) {
      s[L.locSlot(loc)] = value;
      this.log('write', loc, value, -1, -1, false, ordering);
      return;
    }
    // A release store orders every earlier access before it: earlier loads are satisfied now,
    // earlier stores by the flush rule.
    if (ordering === Ordering.release) this.satisfyAll(s, t);
    const n = this.sbCount(s, t);
    const e = L.sbEntry(t, n);
    s[e] = loc + 1;
    s[e + 1] = value;
    s[e + 2] = (this.tso ? 0 : s[L.sbBase[t]] << 1) | (ordering === Ordering.release && !this.tso ? 1 : 0);
    this.log('buffer', loc, value, -1, n, false, ordering);
  }

  private fence(s: Int32Array, t: number, kind: number): void {
    this.log('fence', -1, 0, -1, -1, false, kind);
    if (!this.weak || this.weakThread[t] === 0) return;
    const L = this.layout;
    if (kind === Fence.rmb) this.satisfyAll(s, t);
    else if (kind === Fence.wmb) {
      // Stores after the barrier become visible after every store before it: a new epoch.
      const n = this.tso ? 0 : this.sbCount(s, t);
      if (n > 0) s[L.sbBase[t]] = (s[L.sbEntry(t, n - 1) + 2] >> 1) + 1;
    } else this.settle(s, t);
  }

  /** Satisfies every outstanding load, then drains the store buffer: a full barrier. */
  private settle(s: Int32Array, t: number): void {
    this.satisfyAll(s, t);
    while (this.sbCount(s, t) > 0) this.flush(s, t, 0);
  }

  private satisfyAll(s: Int32Array, t: number): void {
    while (this.lqCount(s, t) > 0) this.satisfy(s, t, 0);
  }

  /** Store-buffer entry i of thread t becomes visible to every thread. */
  private flush(s: Int32Array, t: number, i: number): void {
    const L = this.layout;
    const n = this.sbCount(s, t);
    const e = L.sbEntry(t, i);
    const loc = s[e] - 1;
    const value = s[e + 1];
    s[L.locSlot(loc)] = value;
    s.copyWithin(e, e + SB_ENTRY_WIDTH, L.sbEntry(t, n));
    s.fill(0, L.sbEntry(t, n - 1), L.sbEntry(t, n));
    // Epochs are kept relative to the oldest entry, so equal buffers are equal bytes.
    const base = L.sbBase[t];
    if (n === 1) s[base] = 0;
    else {
      const e0 = s[L.sbEntry(t, 0) + 2] >> 1;
      if (e0 > 0) {
        for (let j = 0; j < n - 1; j++) s[L.sbEntry(t, j) + 2] -= e0 << 1;
        s[base] -= e0;
      }
    }
    this.log('flush', loc, value, -1, i);
  }

  /** Outstanding load k of thread t reads memory as it is now. */
  private satisfy(s: Int32Array, t: number, k: number): void {
    const L = this.layout;
    const n = this.lqCount(s, t);
    const e = L.lqEntry(t, k);
    const reg = s[e] - 1;
    const loc = s[e + 1];
    const i = L.sbCapacity[t] > 0 ? this.sbNewest(s, t, loc) : -1;
    const value = i >= 0 ? s[L.sbEntry(t, i) + 1] : s[L.locSlot(loc)];
    s[L.reg(t, reg)] = value;
    s.copyWithin(e, e + LQ_ENTRY_WIDTH, L.lqEntry(t, n));
    s.fill(0, L.lqEntry(t, n - 1), L.lqEntry(t, n));
    this.log('satisfy', loc, value, reg, k, i >= 0);
  }

  /** A litmus test's `exists` clause, over the final variables and recorded results. */
  private weakOutcome(s: Int32Array): Violation | null {
    const lit = this.world.litmus;
    if (!lit || lit.exists.length === 0 || (this.enabled & invariantBit('weak-outcome')) === 0) return null;
    const L = this.layout;
    const value = (name: string): number | undefined => {
      const v = L.varIndex.get(name);
      if (v !== undefined) return s[L.vars + v];
      const r = L.resultIndex.get(name);
      return r === undefined ? undefined : s[L.results + r];
    };
    if (!lit.exists.every((c) => value(c.name) === c.value)) return null;
    const final = [...lit.vars, ...lit.results].map((n) => `${n}=${value(n)}`).join(' ');
    const cond = lit.exists.map((c) => `${c.name}=${c.value}`).join(' /\\ ');
    return { invariant: 'weak-outcome', thread: 0, message: `the weak outcome exists (${cond}) is reachable under ${this.world.memoryModel}: final state ${final}` };
  }

  stepLabel(s: Int32Array, t: number): string {
    return this.paths[t].def.steps[this.pcOf(s, t)]?.label ?? 'end';
  }
}

/** Every `done` of a path replaced by `exit` (a visible step): for threads with weak-memory state. */
function withExit(p: LinkedPath): LinkedPath {
  const code = p.code.slice();
  const visible = p.visible.slice();
  for (let pc = 0; pc < p.length; pc++) {
    if (code[pc * INSN_WIDTH] === OP.done) {
      code[pc * INSN_WIDTH] = OP.exit;
      visible[pc] = 1;
    }
  }
  return { ...p, code, visible };
}

/** Per pc, the bit mask of registers the instruction names (reads or writes). */
function touchedRegisters(p: LinkedPath): Int32Array {
  const out = new Int32Array(p.length);
  for (let pc = 0; pc < p.length; pc++) {
    const at = pc * INSN_WIDTH;
    const spec = OPS[opNames[p.code[at]]];
    let m = 0;
    spec.args.forEach((kind, j) => {
      if (kind === 'reg') m |= 1 << p.code[at + 1 + j];
    });
    out[pc] = m;
  }
  return out;
}
