import {
  INSN_WIDTH,
  Layout,
  OP,
  OPS,
  opNames,
  Ordering,
  PageField,
  PageFlag,
  PAGE_WIDTH,
  RcuField,
  SpecCond,
  Fence,
  STACK_DEPTH,
  ThreadField,
  ThreadStatus,
  WaitFlag,
  invariantBit,
  invariantMask,
  isMigrationEntry,
  linkPath,
  litmusPointee,
  litmusPointer,
  compileUserInvariants,
  reachedRegion,
  RmwKind,
  RmwOrdering,
  isRmwKind,
  rmwApply,
  successors,
  pteKind,
  ptePfn,
  type InvariantName,
  type CompiledUserInvariants,
  type LinkedPath,
  type World,
} from '@mmreplay/model';
import { I, type StepHost } from './semantics/context.js';
import * as lock from './semantics/page-lock.js';
import * as pte from './semantics/pte.js';
import * as ref from './semantics/refcount-rmap.js';
import * as mig from './semantics/migration.js';
import * as mem from './semantics/memory-model.js';
import { ProgramFaultError } from './errors.js';
import * as prop from './semantics/propagation.js';
import { controlRegions, type ControlRegion } from './semantics/control-dependency.js';
import { branchTest, type BranchTest } from './semantics/speculation.js';
import { MODEL_BOUNDS, checkedBy, type ModelBoundMet, type ModelBoundName } from './model-bounds.js';

export interface Violation {
  /** a built-in invariant (InvariantName), or a user invariant of the world */
  readonly invariant: string;
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
  readonly kind: 'read' | 'defer' | 'satisfy' | 'write' | 'buffer' | 'flush' | 'fence' | 'gc';
  readonly loc: number;
  readonly value: number;
  /** the register a load writes, -1 otherwise */
  readonly reg: number;
  readonly index: number;
  readonly forwarded: boolean;
  /** Fence kind (1 rmb, 2 wmb, 3 mb), or the access's ordering (1 acquire / release) */
  readonly order: number;
  /**
   * lkmm: the position in the location's coherence order of the message read or written (0 the
   * oldest still readable by some CPU); -1 elsewhere. For a `write`, `index` counts the messages
   * after it (0: the newest); for a `gc`, `index` is how many of the oldest were dropped.
   */
  readonly pos: number;
}

/** How a step was taken: the thread's own instruction, or a store-buffer flush / late load of a weak model. */
export type StepKind = 'instruction' | 'flush' | 'satisfy';

// Which ops go through the memory model, from their declarations (libs/model/src/isa.ts).
const opcodesWhere = (test: (op: (typeof OPS)[keyof typeof OPS]) => boolean) => new Set<number>(opNames.filter((n) => test(OPS[n])).map((n) => OP[n]));
const RELAXED_OPS = opcodesWhere((d) => d.relaxed !== undefined);
const LOAD_OPS = opcodesWhere((d) => d.relaxed === 'load');
const STORE_OPS = opcodesWhere((d) => d.relaxed === 'store');
/**
 * SC steps that are releases in the kernel: waiting at one for every outstanding access of the CPU
 * is the LKMM's own ordering, not the engine's (`po-rel = [M] ; po ; [Release]` is in `ppo`,
 * linux-kernel.cat). `ptl_unlock` is spin_unlock() (include/linux/spinlock.h; lock.cat: "UL has
 * Release ordering", `Release = Release | UL`; queued_spin_unlock() in
 * include/asm-generic/qspinlock.h is an smp_store_release()). `unlock_page` is folio_unlock()
 * (mm/filemap.c, v6.6): clear_bit_unlock_is_negative_byte(), atomic_long_fetch_andnot_release()
 * in include/asm-generic/bitops/lock.h. `rmap_unlock` is up_read()/up_write() of the anon_vma or
 * i_mmap rwsem (kernel/locking/rwsem.c, v6.6: __up_read()'s atomic_long_add_return_release(),
 * __up_write()'s atomic_long_fetch_add_release()). `ref_unfreeze` is folio_ref_unfreeze()
 * (include/linux/page_ref.h: atomic_set_release()). Where relaxed accesses may follow one (a
 * thread with relaxed accesses: scStepFollows), it is issued and left outstanding, and performs
 * once every access of its CPU before it is done (performRelease): what follows goes first.
 */
const RELEASE_SC_OPS = new Set<number>([OP.ptl_unlock, OP.unlock_page, OP.rmap_unlock, OP.ref_unfreeze]);
/**
 * SC steps that are acquires in the kernel: lkmm runs them as the LKMM does with respect to the
 * CPU's relaxed accesses (acquireReady): they wait for none of them (`po ; [Acquire]` is not in
 * ppo: only `acq-po` orders what follows) and publish nothing (an acquire is not cumulative), while
 * the lock word itself stays SC. `ptl_lock` is spin_lock() (lock.cat: "LKR has Acquire ordering",
 * `Acquire = Acquire | LKR`; queued_spin_lock() in include/asm-generic/qspinlock.h is an
 * atomic_try_cmpxchg_acquire(), its slow path in kernel/locking/qspinlock.c an acquire too).
 * `lock_page` (when it takes the lock: a folio_lock() that sleeps still waits, below) and
 * `trylock_page` are folio_lock()/folio_trylock() (include/linux/pagemap.h, v6.6):
 * test_and_set_bit_lock(), in include/asm-generic/bitops/lock.h an
 * atomic_long_fetch_or_acquire(), "acquire barrier semantics if the returned value is 0"; a
 * failure is a READ_ONCE() of the word, with no ordering at all, which a thread with relaxed
 * accesses runs as such under lkmm (pageTrylockPlan). `rmap_lock` is down_read()/down_write() of the anon_vma or i_mmap rwsem
 * (kernel/locking/rwsem.c, v6.6: rwsem_read_trylock()'s atomic_long_add_return_acquire(),
 * rwsem_write_trylock()'s atomic_long_try_cmpxchg_acquire()).
 */
const ACQUIRE_SC_OPS = new Set<number>([OP.ptl_lock, OP.lock_page, OP.trylock_page, OP.rmap_lock]);

const MAX_LOCAL_RUN = 10_000;
const NO_POSITIONS: readonly number[] = [];

/**
 * The model primitives of one world. The machine holds no run state of its own; the runtime and
 * the explorer own the state and only ask the machine which threads can run, how many choices a
 * step has, and to execute one step. What each instruction does to the state vector lives by
 * family in semantics/ (page lock and wait queues, PTEs and PTLs, refcount and rmap, allocation
 * and migration, the memory model); this file dispatches to them and decides enabledness and
 * choices.
 */
export class Machine implements StepHost {
  readonly layout: Layout;
  readonly paths: LinkedPath[];
  private readonly codes: Int32Array[];
  private readonly visible: Uint8Array[];
  /** @internal page -> page->index, for the rmap walk's vma_address() */
  readonly pageIndexOf: Int32Array;
  readonly enabled: number;
  /** the world's user invariants (checked after every step) and what they read, for the explorer's reductions */
  readonly user: CompiledUserInvariants;
  /** lkmm, per user invariant: the threads whose own state it reads and that may leave loads outstanding, or null (checkUser) */
  private readonly unsettled: (number[] | null)[];
  /** lkmm, per thread: 1 = a user invariant reads its registers and it may leave loads outstanding: it finishes only once they are satisfied */
  private readonly regsRead: Uint8Array;
  /** set by step() when the step broke an enabled invariant */
  violation: Violation | null = null;
  /** what the last step did to relaxed memory (empty for most steps) */
  readonly memLog: MemAction[] = [];
  /**
   * Whether the last step may have written the local vector (ThreadField and registers) of a thread
   * other than the one that took it: a wake-up writes its waiters' wait flags. False means only the
   * stepping thread's vector and the shared objects changed, which lets the explorer collapse a
   * successor from its parent's components without comparing the other threads'. Always true on a
   * machine with store buffers or load queues (their steps are not audited for this).
   */
  wroteOthers = false;
  /**
   * Whether the last step (with the invariant checks after it) may have read the local vector of
   * a thread other than the one that took it: counting a page's wait queue, or a wake-up. False
   * means the step's outcome is a function of the stepping thread's vector and the shared objects
   * alone, which lets the explorer remember it by their component ids (step-memo.ts). Always true
   * on a machine with store buffers or load queues or propagation (their steps are not audited for
   * this), and with user invariants (they may read any thread).
   */
  readOthers = false;
  /** how the last step was taken */
  lastStepKind: StepKind = 'instruction';
  /**
   * The engine's own bounds on weak-memory state (model-bounds.ts) that have held a thread back
   * since this machine was made, where each did first: a search that met one missed the
   * executions beyond it. Enabledness and choices record them; nothing here is in a state.
   */
  readonly boundsMet: ModelBoundMet[] = [];
  /** how many times a bound has held a thread back (every time, where boundsMet keeps the first) */
  private boundWaits = 0;
  /** the sites (ordering, thread, pc) at which an ordering of the engine was recorded already */
  private readonly orderedAt = new Set<number>();
  /** the world's labels (for CHECKED_ORDERINGS), once an ordering is met */
  private labels: Set<string> | undefined;
  /** per thread and pc: some relaxed access may follow before the next SC step (what a wait here holds up) */
  private readonly holdsUp: Uint8Array[];
  /** per thread and pc: an SC step there (a release among them) holds back a relaxed access the LKMM lets go first (scStepFollows) */
  private readonly heldAfter: Uint8Array[];
  /** per thread and pc: a read-modify-write there holds back a relaxed access that may follow it before an smp_mb() or an SC step (rmwFollows) */
  private readonly rmwHeld: Uint8Array[];
  /** performRelease is running an issued release: execute leaves the thread where it is */
  private performing = false;

  /** some thread has a store buffer or a load queue (tso / lkmm with relaxed accesses) */
  readonly weak: boolean;
  /** @internal threads with a store buffer or a load queue */
  readonly weakThread: Uint8Array;
  /** per thread and pc: the registers the instruction names (lkmm: what an outstanding load blocks) */
  private readonly touch: Int32Array[];
  /** per thread and pc: the registers the instruction writes */
  private readonly writes: Int32Array[];
  /** per thread and pc: the registers the instruction uses as a page or a PTE (they must name one) */
  private readonly derefs: Int32Array[];
  /** lkmm, per thread and branch pc: the pcs control dependent on it (threads that speculate only) */
  private readonly ctrl: (ControlRegion | null)[][];
  /** lkmm: stores propagate to each CPU on its own (semantics/propagation.ts) */
  readonly propagation: boolean;
  private readonly newest: Int32Array;
  /** per thread and pc of a wait_label: the pcs of the awaited thread at which it has reached its label */
  private readonly reached: (Uint8Array | undefined)[][];
  /** lkmm: the test of the branch speculable() last looked at */
  private readonly branch: BranchTest = { reg: 0, reg2: -1, test: 0, c: 0, takenWhen: true };
  private readonly slept = { slept: false };
  /** per location: 1 if a loaded pointer may point to it (a litmus variable whose address the test takes) */
  private readonly target: Uint8Array;
  /** lkmm, per thread: 1 if its folio_trylock()s may fail on an older lock state (a trylock register of a trylock_page: pageTrylockPlan) */
  private readonly triesPages: Uint8Array;

  constructor(readonly world: World) {
    this.layout = new Layout(world);
    const L = this.layout;
    const linked = new Map(Object.entries(world.paths).map(([name, def]) => [name, linkPath(def)]));
    this.weak = L.weak;
    this.propagation = L.propagation;
    this.newest = new Int32Array(L.nMlocs);
    this.weakThread = Uint8Array.from(world.threads, (_, t) => (L.sbCapacity[t] > 0 || L.lqCapacity[t] > 0 ? 1 : 0));
    // An outstanding load into a register spin_trylock writes is a failed trylock's read (it returns 0).
    for (const th of world.threads) {
      const steps = world.paths[th.path]?.steps ?? [];
      const tried = new Set(steps.filter((st) => st.op === 'spin_trylock_var').map((st) => st.args[0]));
      const clash = steps.find((st) => OPS[st.op].relaxed === 'load' && tried.has(st.args[0]));
      if (clash) throw new ProgramFaultError(`thread ${th.name} at ${clash.label}: register ${clash.args[0]} is written by spin_trylock and by a load`);
    }
    // lkmm: so is one into a register a folio_trylock() of a thread with relaxed accesses writes.
    world.threads.forEach((th, ti) => {
      if (L.trylockRegs[ti] === 0) return;
      const path = world.paths[th.path];
      const clash = (path?.steps ?? []).find(
        (st) => OPS[st.op].relaxed === 'load' && ((L.trylockRegs[ti] >> path.regs.findIndex((d) => d.name === st.args[0])) & 1) !== 0,
      );
      if (clash) throw new ProgramFaultError(`thread ${th.name} at ${clash.label}: register ${clash.args[0]} is written by a trylock and by a load`);
    });
    this.paths = world.threads.map((t, ti) => {
      const p = linked.get(t.path);
      if (!p) throw new Error(`thread ${t.name}: no path '${t.path}'`);
      // A thread with a store buffer does not finish while the buffer holds stores: its `done`s
      // become `exit`, an atomic step at which only flushes happen. It is visible, so that what a
      // thread may still do (the explorer's future footprints) includes its flushes and late loads.
      return this.weakThread[ti] === 1 ? withExit(p) : p;
    });
    this.codes = this.paths.map((p) => p.code);
    this.triesPages = Uint8Array.from(world.threads, (th, t) =>
      L.trylockRegs[t] !== 0 && (world.paths[th.path]?.steps ?? []).some((st) => st.op === 'trylock_page') ? 1 : 0,
    );
    this.visible = this.paths.map((p) => p.visible);
    this.touch = this.paths.map(touchedRegisters);
    this.writes = this.paths.map(writtenRegisters);
    this.derefs = this.paths.map(dereferencedRegisters);
    this.holdsUp = this.paths.map(accessesFollow);
    this.heldAfter = this.paths.map(scStepFollows);
    this.rmwHeld = this.paths.map(rmwFollows);
    // A document names any immediates: an rmw_var's kind and ordering must be ones it has.
    this.paths.forEach((p, ti) => {
      for (let pc = 0; pc < p.length; pc++) {
        const at = pc * INSN_WIDTH;
        if (p.code[at] === OP.rmw_var && !isRmwKind(p.code[at + 5], p.code[at + 6]))
          throw new ProgramFaultError(
            `thread ${world.threads[ti].name} at ${p.def.steps[pc]?.label}: rmw_var of kind ${p.code[at + 5]} and ordering ${p.code[at + 6]} (RmwKind: xchg 0, add 1, cmpxchg 2, +4 sub for add, +8 new, +16 new == 0, +24 new < 0; RmwOrdering 0-3)`,
          );
      }
    });
    this.ctrl = this.paths.map((p, t) => (L.specBase[t] >= 0 ? controlRegions(p) : []));
    this.pageIndexOf = Int32Array.from(world.pages, (p) => p.index ?? 0);
    this.target = new Uint8Array(world.pages.length * 2 + (world.litmus?.vars.length ?? 0));
    // (a world that does not say, a document's, may point anywhere)
    for (const name of world.litmus?.targets ?? world.litmus?.vars ?? []) {
      const v = world.litmus!.vars.indexOf(name);
      if (v >= 0) this.target[L.varLoc(v)] = 1;
    }
    this.enabled = invariantMask(world.invariants) | I.uaf;
    this.user = compileUserInvariants(world, this.layout);
    this.regsRead = Uint8Array.from(world.threads, (_, u) => (L.lqCapacity[u] > 0 && this.user.checks.some((c) => c.reads.regs && c.reads.threads[u]) ? 1 : 0));
    this.unsettled = this.user.checks.map((c) => {
      // (a failed trylock's read is an outstanding load, and a guess sits on one)
      const us = c.reads.threads.flatMap((r, u) => (r && this.propagation && L.lqCapacity[u] > 0 ? [u] : []));
      return us.length > 0 ? us : null;
    });
    this.reached = this.paths.map((p, ti) =>
      Array.from({ length: p.length }, (_, pc) => {
        if (p.code[pc * INSN_WIDTH] !== OP.wait_label) return undefined;
        const target = p.code[pc * INSN_WIDTH + 1];
        if (!(target >= 0 && target < world.threads.length))
          throw new ProgramFaultError(`thread ${world.threads[ti].name}: wait_label names no thread (${target})`);
        const region = reachedRegion(this.paths[target], p.code[pc * INSN_WIDTH + 2]);
        if (typeof region === 'string') throw new ProgramFaultError(`thread ${world.threads[target].name}: ${region}`);
        return region;
      }),
    );
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
    // A thread that speculates past branches runs only when it has a step to take: a speculated
    // load no store can satisfy is a path the CPU would have squashed (endState).
    // So does one that may have a failed trylock's read outstanding (it must read a lock-held store).
    if (this.propagation && (this.layout.specBase[t] >= 0 || this.layout.trylockRegs[t] !== 0)) return this.choiceCount(s, t) > 0;
    if (this.weak && this.weakThread[t] === 1)
      return this.selfEnabled(s, t) || this.sbCount(s, t) > 0 || this.lqCount(s, t) > 0 || this.pendingRelease(s, t) > 0;
    return this.baseRunnable(s, t);
  }

  /**
   * Whether isRunnable and choiceCount of thread t in s may read the local vector of another
   * thread (a start condition waits on one), or anything but t's vector and the shared objects (a
   * weak machine's queues, a TLB). False means they are a function of those two alone, which
   * lets the explorer remember them by component ids (step-memo.ts).
   */
  enablednessReadsOthers(s: Int32Array, t: number): boolean {
    if (this.weak || this.propagation || this.layout.hasTlb) return true;
    if (this.isFinished(s, t)) return false;
    const op = this.opAt(s, t);
    // (a grace period waits for the critical sections of other threads)
    return op === OP.wait_thread || op === OP.wait_label || op === OP.synchronize_rcu;
  }

  /**
   * Whether isRunnable and choiceCount of thread t in s may read anything but t's own local
   * vector: the shared objects (a lock word it spins on, the rmap walk's candidates) or what
   * enablednessReadsOthers names. False means they are a function of t's vector alone, which the
   * explorer remembers by that vector's id (tuple-steps.ts). The ops here are baseRunnable's and
   * baseChoices' that read the shared objects.
   */
  enablednessReadsShared(s: Int32Array, t: number): boolean {
    if (this.enablednessReadsOthers(s, t)) return true;
    if (this.isFinished(s, t)) return false;
    const op = this.opAt(s, t);
    if (op === OP.rmap_next) return this.world.rmapOrder === 'any';
    return op === OP.ptl_lock || op === OP.rmap_lock || op === OP.spin_lock_var;
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
      case OP.spin_lock_var:
        // spins while the lock is held: its newest value (every model keeps it in the variable's slot)
        return s[L.locSlot(L.varLoc(code[at + 1]))] === 0;
      case OP.synchronize_rcu:
        // started: waits until the critical sections open at its start have ended
        return s[L.rcu(t, RcuField.gp)] === 0 || s[L.rcu(t, RcuField.waits)] === 0;
      case OP.wait_thread:
        // a start condition: the thread waits until the one it starts after has finished (for good)
        return s[L.thread(code[at + 1], ThreadField.status)] !== ThreadStatus.running;
      case OP.wait_label:
        // a start condition: the thread waits until the other has reached a label (for good: its pc
        // never leaves the region once in it, finished or not)
        return this.reached[t][s[base + ThreadField.pc]]![s[L.thread(code[at + 1], ThreadField.pc)]] === 1;
      default:
        return true;
    }
  }

  /**
   * How many different outcomes thread t's next step can have (rmap walk order, TLB eviction).
   * Under a weak model the choices of a thread are, in this order: its own instruction's outcomes
   * (for an lkmm load: satisfy it now, or leave it outstanding), then its side steps: under tso,
   * flushing the oldest store-buffer entry; under lkmm, the late steps satisfyChoices counts and
   * performing an issued release.
   */
  choiceCount(s: Int32Array, t: number): number {
    if (this.weak && this.weakThread[t] === 1) {
      const side = this.propagation ? this.satisfyChoices(s, t, -1) + (this.releasePerformable(s, t) ? 1 : 0) : this.flushableEntries(s, t);
      return (this.selfEnabled(s, t) ? this.selfChoices(s, t) : 0) + side;
    }
    return this.baseChoices(s, t);
  }

  private baseChoices(s: Int32Array, t: number): number {
    const code = this.codes[t];
    const at = this.pcOf(s, t) * INSN_WIDTH;
    const op = code[at];
    if (op === OP.rmap_next && this.world.rmapOrder === 'any') {
      const regs = this.layout.reg(t, 0);
      return Math.max(1, ref.walkCandidates(this, s, s[regs + code[at + 2]], code[at + 6]));
    }
    if (op === OP.hw_access && this.layout.hasTlb) {
      const pte = s[this.layout.reg(t, code[at + 1])];
      return s[this.layout.tlbEntry(t, pte)] !== 0 ? 2 : 1;
    }
    return 1;
  }

  /** @internal Records a broken invariant if it is enabled; returns whether the step is still ok. */
  fail(t: number, invariant: InvariantName, message: string): boolean {
    if ((this.enabled & invariantBit(invariant)) === 0) return true;
    this.violation = { invariant, thread: t, message: `${this.world.threads[t].name}: ${message}` };
    return false;
  }

  /** @internal */
  pageName(p: number): string {
    return this.layout.pageName(p);
  }

  /**
   * Executes thread t's next atomic step, then its local instructions up to the next atomic step.
   * Returns false if the step broke an enabled invariant (see `violation`).
   */
  step(s: Int32Array, t: number, choice = 0): boolean {
    this.violation = null;
    this.wroteOthers = this.weak;
    this.readOthers = this.weak || this.propagation || this.user.checks.length !== 0;
    if (this.memLog.length !== 0) this.memLog.length = 0;
    this.lastStepKind = 'instruction';
    if (this.weak && this.weakThread[t] === 1) {
      const own = this.selfEnabled(s, t) ? this.selfChoices(s, t) : 0;
      if (choice >= own && this.releasePerformable(s, t)) {
        if (choice === own) return this.performRelease(s, t);
        return this.sideStep(s, t, choice - own - 1);
      }
      if (choice >= own) return this.sideStep(s, t, choice - own);
      // lkmm: a release (RELEASE_SC_OPS) that relaxed accesses follow is issued; it performs later (performRelease).
      if (this.propagation && this.issuesRelease(s, t)) {
        const at = this.layout.relPend[t];
        s[at] = this.pcOf(s, t) + 1;
        s[at + 1] = this.lqCount(s, t);
        s[at + 2] = this.sbCount(s, t);
        for (let k = 0; k < this.layout.nMlocs; k++) s[this.layout.relView(t, k)] = s[this.layout.view(t, k)];
        s[this.layout.thread(t, ThreadField.pc)] = this.pcOf(s, t) + 1;
        this.runLocal(s, t);
        prop.canonical(this, s, t);
        return this.checkStates(s, t);
      }
      if (this.propagation && !this.visible[t][this.pcOf(s, t)]) return this.speculate(s, t, choice);
      // Everything but the relaxed accesses is sequentially consistent: an SC step is a full
      // barrier for the thread's relaxed accesses (its outstanding loads are satisfied, its store
      // buffer drains, then the step runs), except, under lkmm, an acquire.
      if (!RELAXED_OPS.has(this.opAt(s, t))) {
        // lkmm: no load or store is outstanding here (selfEnabled), and what this CPU has seen
        // reaches every CPU (the engine's ordering where it shows another CPU a store it had not
        // seen); an acquire may run with accesses outstanding, and publishes nothing (ACQUIRE_SC_OPS).
        if (this.propagation) {
          if (!this.acquiring(s, t) && prop.propagate(this, s, t)) this.ordered('sc-step', s, t);
          // An SC step: what follows it cannot go before it (scStepFollows). (A release with
          // relaxed accesses after it was issued above instead: issuesRelease.)
          if (this.heldAfter[t][this.pcOf(s, t)] === 1) this.ordered(RELEASE_SC_OPS.has(this.opAt(s, t)) ? 'release' : 'sc-step', s, t);
        } else mem.settle(this, s, t);
      }
    }
    if (this.propagation) {
      const op = this.opAt(s, t);
      const pc = this.pcOf(s, t);
      const sc = !RELAXED_OPS.has(op);
      const words = sc && this.layout.unlockedBy >= 0;
      if (sc) prop.newestValues(this, s, this.newest);
      const ok = this.execute(s, t, choice);
      if (words) this.lockWordsCollapse(s, t);
      if (sc) prop.collapseWritten(this, s, this.newest);
      // (a start condition reads no memory: wait_thread, wait_label)
      if (words && op !== OP.trylock_page && op !== OP.wait_thread && op !== OP.wait_label && this.weakThread[t] === 1) this.seeLockWords(s, t, pc);
      prop.canonical(this, s, t);
      return ok;
    }
    return this.execute(s, t, choice);
  }

  private execute(s: Int32Array, t: number, choice: number): boolean {
    const base = this.layout.thread(t, 0);
    const R = base + ThreadField.regs;
    const code = this.codes[t];
    const pc = s[base + ThreadField.pc];
    const at = pc * INSN_WIDTH;
    const a1 = code[at + 1];
    const a2 = code[at + 2];
    const a3 = code[at + 3];
    let next = pc + 1;
    let ok: boolean;
    // A variant may run an instruction on a register that names no object (-1): refuse it clearly
    // rather than read the slot before the array.
    for (let mask = this.derefs[t][pc]; mask !== 0; mask &= mask - 1) {
      const r = 31 - Math.clz32(mask & -mask);
      if (s[R + r] < 0)
        throw new ProgramFaultError(
          `thread ${this.world.threads[t].name} at ${this.paths[t].def.steps[pc]?.label}: ${opNames[code[at]]} on register ${this.paths[t].def.regs[r]?.name}, which names no object`,
        );
    }

    switch (code[at]) {
      case OP.trylock_page:
        ok = this.propagation && this.weakThread[t] === 1 ? this.pageTrylock(s, t, R, a1, a2, choice) : lock.trylockPage(this, s, t, R, a1, a2);
        break;
      case OP.lock_page:
        ok = lock.lockPage(this, s, t, R, a1, this.slept);
        if (this.slept.slept) next = pc;
        break;
      case OP.unlock_page:
        ok = lock.unlockPage(this, s, t, R, a1);
        if (this.propagation && this.weakThread[t] === 1) this.unlockMessage(s, t, s[R + a1]);
        break;
      case OP.waitq_add:
        ok = lock.queueWaiter(this, s, t, R, a1, false);
        break;
      case OP.put_and_wait:
        ok = lock.queueWaiter(this, s, t, R, a1, true);
        break;
      case OP.sleep:
        ok = lock.wake(this, s, t);
        break;
      case OP.ptl_lock:
        ok = pte.ptlLock(this, s, t, R, a1);
        break;
      case OP.ptl_unlock:
        ok = pte.ptlUnlock(this, s, t, R, a1);
        break;
      case OP.pte_read:
      case OP.pte_read_lockless:
        ok = pte.pteRead(this, s, R, a1, a2);
        break;
      case OP.hw_access:
        ok = pte.hwAccess(this, s, t, R, a1, a2, choice);
        break;
      case OP.pte_clear:
        ok = pte.pteClear(this, s, t, R, a1, a2);
        break;
      case OP.tlb_flush:
        ok = pte.tlbFlush(this, s, R, a1);
        break;
      case OP.set_migration_pte:
        ok = pte.setMigrationPte(this, s, t, R, a1, a2, a3);
        break;
      case OP.set_present_pte:
        ok = pte.setPresentPte(this, s, t, R, a1, a2, a3);
        break;
      case OP.pte_move:
        ok = pte.pteMove(this, s, t, R, a1, a2);
        break;
      case OP.get_page:
        ok = ref.getPage(this, s, t, R, a1);
        break;
      case OP.put_page:
        ok = ref.putPage(this, s, t, s[R + a1]);
        break;
      case OP.try_get_page:
        ok = ref.tryGetPage(this, s, R, a1, a2);
        break;
      case OP.ref_check:
        ok = ref.refCheck(this, s, R, a1, a2, a3);
        break;
      case OP.ref_freeze:
        ok = ref.refFreeze(this, s, R, a1, a2, a3);
        break;
      case OP.ref_unfreeze:
        ok = ref.refUnfreeze(this, s, R, a1, a2);
        break;
      case OP.rmap_add:
        ok = ref.rmapAdd(this, s, R, a1);
        break;
      case OP.rmap_remove:
        ok = ref.rmapRemove(this, s, t, R, a1);
        break;
      case OP.page_mapped:
        ok = ref.pageMapped(this, s, R, a1, a2);
        break;
      case OP.rmap_lock:
        ok = ref.rmapLock(this, s, a2);
        break;
      case OP.rmap_unlock:
        ok = ref.rmapUnlock(this, s, a2);
        break;
      case OP.rmap_next:
        // Done: jump, with the VMA and PTE registers as they were.
        if (!ref.rmapNext(this, s, R, a1, a2, a3, code[at + 4], code[at + 6], choice)) next = code[at + 5];
        ok = true;
        break;
      case OP.vma_set:
        ok = ref.vmaSet(this, s, a1, a2, a3);
        break;
      case OP.alloc_page:
        ok = mig.allocPage(this, s, R, a1);
        break;
      case OP.migrate_mapping:
        ok = mig.migrateMapping(this, s, R, a1, a2);
        break;
      case OP.migrate_result:
        ok = mig.migrateResult(this, s, t, R, a1, a2);
        break;
      case OP.check_locked:
        ok = mig.checkLocked(this, s, t, R, a1);
        break;
      case OP.check_locked_loaded:
        ok = mem.checkLockedLoaded(this, s, t, R, a1, a2);
        break;
      case OP.vm_bug_on_mapped:
        ok = mig.vmBugOnMapped(this, s, t, R, a1);
        break;
      case OP.load:
      case OP.load_var:
      case OP.load_ptr: {
        if (code[at] === OP.load_ptr && this.unresolved(s, t, pc)) {
          // lkmm: the address waits for an outstanding load; only this load waits with it (addr).
          prop.deferUnresolved(this, s, t, a1, a2, this.lqCount(s, t));
          ok = true;
          break;
        }
        const loc = code[at] === OP.load ? this.layout.pageLoc(s[R + a3], a2) : code[at] === OP.load_ptr ? this.pointerLoc(s, t, a2) : this.layout.varLoc(a2);
        const ordering = code[at] === OP.load ? code[at + 4] : a3;
        // lkmm: own outstanding stores through a pointer not loaded yet that may write loc (a bit each).
        const su = this.propagation && this.weakThread[t] === 1 ? this.ptrStoresBefore(s, t, loc) : 0;
        const fwd = this.propagation && this.weakThread[t] === 1 && (su === 0 || this.canExcludeStores(s, t, loc, su)) ? this.forwardFrom(s, t) : -1;
        if (fwd >= 0) {
          const n = this.lqCount(s, t);
          if (n > 0 && this.target[loc] === 1 && this.unresolvedOutstanding(s, t, n, n)) this.exclude(s, t, loc, n);
          if (su !== 0) this.excludeStores(s, t, loc, su);
          prop.forward(this, s, t, a1, loc, fwd);
        } else if (this.propagation && this.weakThread[t] === 1) {
          // (after a store through a pointer not loaded yet that may write loc and cannot be asked to go elsewhere: left outstanding)
          const now = su !== 0 && !this.canExcludeStores(s, t, loc, su) ? 0 : this.immediateLoads(s, t);
          const n = this.lqCount(s, t);
          // Read now, before a load whose address may be loc: that load goes elsewhere.
          if (choice < now && n > 0 && this.target[loc] === 1 && this.unresolvedOutstanding(s, t, n, n)) this.exclude(s, t, loc, n);
          // Read now, after a store whose address may be loc: that store goes elsewhere.
          if (choice < now && su !== 0) this.excludeStores(s, t, loc, su);
          prop.load(this, s, t, a1, loc, ordering, now === 0 ? Number.MAX_SAFE_INTEGER : choice, n);
          // Left outstanding after such a store, or after an own store to loc (forwardBlocked): it
          // reads that store if the store turns out to write loc (CoWR).
          if ((now === 0 || choice >= now) && (su !== 0 || prop.queuedStoreTo(this, s, t, this.sbCount(s, t), loc))) prop.loadAfterStores(this, s, t, n);
        } else mem.relaxedLoad(this, s, t, a1, loc, ordering);
        ok = true;
        break;
      }
      case OP.store:
      case OP.store_var:
      case OP.store_ptr: {
        // lkmm: through a pointer an outstanding load still writes, the address is not known yet.
        const unresolved = code[at] === OP.store_ptr && this.unresolvedStore(s, t, pc);
        const loc =
          code[at] === OP.store
            ? this.layout.pageLoc(s[R + a2], a1)
            : code[at] === OP.store_ptr
              ? unresolved
                ? -1
                : this.pointerLoc(s, t, a1)
              : this.layout.varLoc(a1);
        const value = code[at] === OP.store ? s[R + a3] : s[R + a2];
        const ordering = code[at] === OP.store ? code[at + 4] : a3;
        if (this.propagation && this.weakThread[t] === 1) {
          const reg = code[at] === OP.store ? a3 : a2;
          if (code[at] === OP.store_var && this.layout.lockVar[a1] === 1 && this.layout.unlockedSlot[t] >= 0)
            prop.unlockIssued(this, s, t, this.storeBlocked(s, t));
          if (this.storeBlocked(s, t))
            prop.deferStore(this, s, t, loc, reg, this.sbCount(s, t), ordering, this.lqCount(s, t), this.ctrlMask(s, t), unresolved ? a1 : -1);
          else prop.store(this, s, t, loc, value, ordering, choice);
        } else mem.relaxedStore(this, s, t, loc, value, ordering);
        ok = true;
        break;
      }
      case OP.fence:
        if (this.propagation && this.weakThread[t] === 1) prop.fence(this, s, t, a1, this.lqCount(s, t));
        else mem.fence(this, s, t, a1);
        ok = true;
        break;
      case OP.fence_after_spinlock:
        // smp_mb__after_spinlock() right after spin_lock: smp_mb()'s semantics, logged as itself.
        if (this.propagation && this.weakThread[t] === 1) prop.fence(this, s, t, 4, this.lqCount(s, t));
        else mem.fence(this, s, t, 4);
        ok = true;
        break;
      case OP.fence_after_unlock_lock:
        if (this.propagation && this.weakThread[t] === 1) prop.afterUnlockLock(this, s, t);
        // sc; tso: as smp_mb() (tso's locks drain the store buffer already).
        else mem.fence(this, s, t, 5);
        ok = true;
        break;
      case OP.observe:
        ok = mem.observe(this, s, R, a1, a2);
        break;
      case OP.spin_lock_var:
        if (this.propagation && this.weakThread[t] === 1) prop.spinLock(this, s, t, this.layout.varLoc(a1));
        else {
          // sc; tso: a locked RMW is a full barrier on x86 (the buffer drains first)
          if (this.weak && this.weakThread[t] === 1) mem.settle(this, s, t);
          s[this.layout.locSlot(this.layout.varLoc(a1))] = 1;
        }
        ok = true;
        break;
      case OP.rcu_read_lock:
        s[this.layout.rcu(t, RcuField.depth)]++;
        ok = true;
        break;
      case OP.rcu_read_unlock: {
        const depth = this.layout.rcu(t, RcuField.depth);
        if (s[depth] === 0)
          throw new ProgramFaultError(
            `thread ${this.world.threads[t].name} at ${this.paths[t].def.steps[pc]?.label}: rcu_read_unlock() outside an RCU read-side critical section`,
          );
        if (--s[depth] === 0) {
          // The section ends once the accesses before it are done (lkmm: they may be outstanding).
          if (this.propagation && this.weakThread[t] === 1) {
            // The last section's accesses still outstanding: the two end as one, and a grace period
            // that waits for the last one (it started between them) waits for this one too.
            if (s[this.layout.rcu(t, RcuField.pending)] !== 0 && this.gracePeriodWaitsFor(s, t)) this.ordered('rcu', s, t);
            prop.rcuUnlock(this, s, t, this.lqCount(s, t), this.sbCount(s, t));
          } else {
            // tso: its buffered stores first (the kernel's quiescent state is a full barrier)
            if (this.weak && this.weakThread[t] === 1) mem.settle(this, s, t);
            prop.rcuEnded(this, s, t);
          }
        }
        ok = true;
        break;
      }
      case OP.synchronize_rcu: {
        const L = this.layout;
        if (s[L.rcu(t, RcuField.gp)] === 0) {
          // The start: a full barrier, then the critical sections open now are the ones to wait for.
          if (this.propagation && this.weakThread[t] === 1) prop.fence(this, s, t, Fence.mb, 0);
          else mem.fence(this, s, t, Fence.mb);
          let waits = 0;
          for (let u = 0; u < this.threadCount; u++)
            if (u !== t && L.rcuBase[u] >= 0 && (s[L.rcu(u, RcuField.depth)] !== 0 || s[L.rcu(u, RcuField.pending)] !== 0)) waits |= 1 << u;
          if (this.propagation) prop.gracePeriodStarts(this, s, t, waits);
          // (its end is a step of its own even when no section was open: what other CPUs do in
          // between comes after its start and before its end)
          s[L.rcu(t, RcuField.gp)] = 1;
          s[L.rcu(t, RcuField.waits)] = waits;
          next = pc;
          ok = true;
          break;
        }
        // The end, once the sections open at its start have ended.
        s[L.rcu(t, RcuField.gp)] = 0;
        if (this.propagation) prop.gracePeriodEnds(this, s, t);
        else mem.fence(this, s, t, Fence.mb);
        ok = true;
        break;
      }
      case OP.rmw_var: {
        const loc = this.layout.varLoc(a2);
        const kind = code[at + 5];
        const ordering = code[at + 6];
        const operand = s[R + a3];
        const expected = s[R + code[at + 4]];
        if (this.propagation && this.weakThread[t] === 1) {
          // The read the choice names: one that writes (a success), else one that only reads (a failed cmpxchg).
          const [writes, reads] = this.rmwPlan(s, t);
          const p = choice < writes.length ? writes[choice] : reads[choice - writes.length];
          const done = rmwApply(kind, prop.messageValue(this, s, loc, p), operand, expected);
          prop.rmw(this, s, t, a1, loc, p, done.writes ? done.next : null, ordering);
          s[R + a1] = done.result;
          // What follows waits for it (it runs at its pc), where the LKMM lets a relaxed access after
          // it go first: all but an acquire's read and a fully ordered one's smp_mb() after it.
          if (this.rmwHeld[t][pc] === 1 && ordering !== RmwOrdering.acquire && !(ordering === RmwOrdering.mb && done.writes)) this.ordered('rmw', s, t);
        } else {
          // sc; tso: a locked RMW is a full barrier on x86 (the buffer drains first)
          if (this.weak && this.weakThread[t] === 1) mem.settle(this, s, t);
          const slot = this.layout.locSlot(loc);
          const done = rmwApply(kind, s[slot], operand, expected);
          mem.rmw(this, s, t, a1, loc, done.writes ? done.next : null, ordering);
          s[R + a1] = done.result;
        }
        ok = true;
        break;
      }
      case OP.spin_trylock_var: {
        const loc = this.layout.varLoc(a2);
        if (this.propagation && this.weakThread[t] === 1) {
          const [take, held] = this.trylockPlan(s, t);
          prop.trylock(this, s, t, a1, loc, choice < take, choice - take < held ? choice - take : -1, this.lqCount(s, t));
        } else {
          // sc; tso (the buffer drains first, as for spin_lock): it fails exactly when the lock is held.
          if (this.weak && this.weakThread[t] === 1) mem.settle(this, s, t);
          const free = s[this.layout.locSlot(loc)] === 0;
          if (free) s[this.layout.locSlot(loc)] = 1;
          s[R + a1] = free ? 1 : 0;
        }
        ok = true;
        break;
      }
      case OP.compound_head:
        ok = mig.compoundHead(this, s, R, a1, a2);
        break;
      case OP.tlb_flush_batched:
        ok = pte.tlbFlushBatched(this, s);
        break;
      case OP.pte_copy:
        ok = pte.pteCopy(this, s, t, R, a1, a2);
        break;
      case OP.wait_thread:
      case OP.wait_label:
        // isRunnable let it run: the thread it waits for has finished or reached its label; nothing else changes.
        ok = true;
        break;
      case OP.exit:
        // Reached only where no store buffer exists (an `exit` a variant put in): it ends the thread.
        s[base + ThreadField.status] = ThreadStatus.done;
        next = pc;
        ok = true;
        break;
      default:
        throw new Error(`thread ${this.world.threads[t].name}: pc ${pc} is not an atomic step`);
    }
    s[base + ThreadField.pc] = next;
    if (!this.performing) this.runLocal(s, t);
    if (ok && (this.enabled & (I.I1 | I.I3)) !== 0) ok = this.checkEntries(s, t);
    if (ok && this.user.checks.length !== 0) ok = this.checkUser(s, t);
    return ok;
  }

  /**
   * The world's user invariants, after every step: a state predicate `always` true or `never` true.
   * lkmm: one that reads the own state (pc, status, registers, queues, view) of a thread holding a
   * guess (a speculated branch or a failed trylock's read not yet confirmed: `speculating`) is not
   * checked on that state: the thread is where the way it guessed took it, with what that way
   * computed, which no execution has if the guess is wrong. One that reads registers is not
   * checked either while a thread it reads has a load outstanding: the load's register holds a
   * placeholder (0, set when the load was issued), no value that register has in any execution.
   * Either is checked on every other state: so on the one whose step satisfies the load (and
   * confirms the guess); the states passed through on the way are those of the execution that
   * satisfies the load first, which the engine also runs (docs/memory-model.md, "Invariants over a
   * thread's own state under lkmm"). Shared state is never guessed: a guess's stores and lock
   * writes wait for its load (ctrlMask).
   */
  private checkUser(s: Int32Array, t: number): boolean {
    for (let k = 0; k < this.user.checks.length; k++) {
      const c = this.user.checks[k];
      if (this.unsettled[k] !== null && this.unsettled[k]!.some((u) => (c.reads.regs ? this.lqCount(s, u) > 0 : this.speculating(s, u)))) continue;
      if (c.test(s, null) === c.breaksWhen) {
        this.violation = { invariant: c.name, thread: t, message: `${this.world.threads[t].name}: ${c.message}` };
        return false;
      }
    }
    return true;
  }

  /** I1 and I3 over every migration entry: state invariants, checked after every step. */
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
      if (n > MAX_LOCAL_RUN) throw new ProgramFaultError(`thread ${this.world.threads[t].name}: a loop of local steps never reaches an atomic step`);
      if (visible[pc]) {
        // (a load still outstanding at the end is dropped, its register left at the placeholder 0,
        // unless a user invariant reads the thread's registers: then the thread waits for it)
        if (
          this.weak &&
          code[pc * INSN_WIDTH] === OP.exit &&
          this.sbCount(s, t) === 0 &&
          this.pendingRelease(s, t) === 0 &&
          !this.speculating(s, t) &&
          !(this.regsRead[t] === 1 && this.lqCount(s, t) > 0)
        ) {
          s[base + ThreadField.pc] = pc;
          s[base + ThreadField.status] = ThreadStatus.done;
          if (waits !== null) s.fill(0, this.layout.lqEntry(t, 0), this.layout.lqEntry(t, this.layout.lqCapacity[t]));
          return;
        }
        break;
      }
      // lkmm: a local instruction that names the register of an outstanding load waits for it
      // (a dependency), and one that writes a register an outstanding store still reads waits
      // for the store; the thread rests here until then.
      if (
        waits !== null &&
        waits[pc] !== 0 &&
        ((waits[pc] & mem.pendingRegs(this, s, t)) !== 0 || (this.writes[t][pc] & this.outstandingStoreRegs(s, t)) !== 0)
      )
        break;
      // (nor may it write a register an issued release still reads)
      const pend = this.pendingRelease(s, t);
      if (pend > 0 && (this.writes[t][pc] & this.touch[t][pend - 1]) !== 0) break;
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
          if (sp >= STACK_DEPTH) throw new ProgramFaultError(`thread ${this.world.threads[t].name}: call stack overflow`);
          s[base + ThreadField.stack + sp] = pc + 1;
          s[base + ThreadField.sp] = sp + 1;
          pc = a1;
          break;
        }
        case OP.ret: {
          const sp = s[base + ThreadField.sp] - 1;
          if (sp < 0) throw new ProgramFaultError(`thread ${this.world.threads[t].name}: ret with an empty call stack`);
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
  endState(
    s: Int32Array,
  ): { outcome: 'completed' | 'infeasible' | 'model-bound'; violation: null } | { outcome: 'deadlock' | 'violation'; violation: Violation } {
    const L = this.layout;
    // lkmm: a load speculated past a branch that nothing will ever satisfy: the CPU would have
    // squashed this path; it is no execution (no outcome, no deadlock, and not a completed run).
    if (this.infeasible(s)) return { outcome: 'infeasible', violation: null };
    let blocked = -1;
    for (let t = 0; t < this.threadCount; t++) {
      if (this.isFinished(s, t)) continue;
      if (blocked < 0) blocked = t;
      const wp = s[L.thread(t, ThreadField.waitPage)];
      if (wp >= 0 && (s[L.pages + wp * PAGE_WIDTH + PageField.flags] & PageFlag.locked) === 0 && (this.enabled & I.I9) !== 0) {
        return {
          outcome: 'violation',
          violation: {
            invariant: 'I9',
            thread: t,
            message: `${this.world.threads[t].name}: lost wakeup: sleeps forever on unlocked page ${this.pageName(wp)}`,
          },
        };
      }
    }
    if (blocked < 0) {
      const weak = mem.weakOutcome(this, s);
      if (weak) return { outcome: 'violation', violation: weak };
      return { outcome: 'completed', violation: null };
    }
    // A thread held back only by one of the engine's bounds (model-bounds.ts) is no deadlock of the
    // program: the model would let it go on. The path ends here, cut short by the engine.
    if (this.heldByBound(s)) return { outcome: 'model-bound', violation: null };
    return { outcome: 'deadlock', violation: { invariant: 'deadlock', thread: blocked, message: `deadlock: no thread can run (${this.describeBlocked(s)})` } };
  }

  /** Some unfinished thread waits in s at one of the engine's bounds (its enabledness meets one). */
  private heldByBound(s: Int32Array): boolean {
    if (!this.weak) return false;
    const before = this.boundWaits;
    for (let t = 0; t < this.threadCount; t++) if (!this.isFinished(s, t) && this.weakThread[t] === 1) this.choiceCount(s, t);
    return this.boundWaits !== before;
  }

  private describeBlocked(s: Int32Array): string {
    const parts: string[] = [];
    for (let t = 0; t < this.threadCount; t++) {
      if (this.isFinished(s, t)) continue;
      parts.push(`${this.world.threads[t].name} at ${this.stepLabel(s, t)}`);
    }
    return parts.join(', ');
  }

  // -- weak memory models: which flushes and late loads a thread may take (the choices); what
  // they do is semantics/memory-model.ts.

  /** Store-buffer entries of thread t. */
  sbCount(s: Int32Array, t: number): number {
    return mem.sbCount(this, s, t);
  }

  /** Outstanding loads of thread t. */
  lqCount(s: Int32Array, t: number): number {
    return mem.lqCount(this, s, t);
  }

  /** Thread t has stores not yet visible or loads not yet satisfied. */
  hasPendingMemory(s: Int32Array, t: number): boolean {
    // lkmm: every step of such a CPU may change what other CPUs see (an SC step propagates).
    if (this.propagation) return this.weakThread[t] === 1 && !this.isFinished(s, t);
    return this.weak && this.weakThread[t] === 1 && (this.sbCount(s, t) > 0 || this.lqCount(s, t) > 0);
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
      case OP.spin_trylock_var:
        return this.layout.varLoc(code[at + 2]);
      case OP.load_ptr:
        return this.pointerLoc(s, t, code[at + 2]);
      case OP.store_ptr:
        return this.pointerLoc(s, t, code[at + 1]);
      case OP.rmw_var:
        return this.layout.varLoc(code[at + 2]);
      default:
        return this.layout.varLoc(code[at + 1]);
    }
  }

  /** Records that `bound` (keeping `kept`) holds thread t back at its pc in s: the first time only. */
  private met(bound: ModelBoundName, s: Int32Array, t: number, kept: number): void {
    this.boundWaits++;
    if (this.boundsMet.some((b) => b.bound === bound)) return;
    this.addMet({ bound, thread: this.world.threads[t].name, label: this.stepLabel(s, t), kept });
  }

  /**
   * Adds the first record of a bound to boundsMet, which stays in MODEL_BOUNDS order. The search's
   * results do not need it (mergeModelBounds orders what it merges), but boundsMet is public and
   * read as it is (model-orderings.spec.ts), so the order is kept.
   */
  private addMet(met: ModelBoundMet): void {
    this.boundsMet.push(met);
    this.boundsMet.sort((a, b) => MODEL_BOUNDS.indexOf(a.bound) - MODEL_BOUNDS.indexOf(b.bound));
  }

  /**
   * Records that one of the engine's orderings beyond the LKMM's (model-bounds.ts MODEL_ORDERINGS)
   * holds thread t back at its pc in s: the first site, or the first not checked by a litmus twin
   * of the world (CHECKED_ORDERINGS) once only checked ones were met.
   */
  private ordered(bound: ModelBoundName, s: Int32Array, t: number, at = -1): void {
    const pc = at >= 0 ? at : this.pcOf(s, t);
    const key = (MODEL_BOUNDS.indexOf(bound) * this.threadCount + t) * (this.paths[t].length + 1) + pc;
    if (this.orderedAt.has(key)) return;
    this.orderedAt.add(key);
    const i = this.boundsMet.findIndex((b) => b.bound === bound);
    if (i >= 0 && this.boundsMet[i].checkedBy === undefined) return;
    const thread = this.world.threads[t].name;
    const label = this.paths[t].def.steps[pc]?.label ?? 'end';
    this.labels ??= new Set(Object.values(this.world.paths).flatMap((p) => p.steps.map((st) => st.label)));
    const twin = checkedBy(this.world.scenario, this.labels, bound, thread, label);
    if (i >= 0 && twin !== undefined) return;
    const met: ModelBoundMet = { bound, thread, label, kept: 0, ...(twin !== undefined ? { checkedBy: twin } : {}) };
    if (i >= 0) this.boundsMet[i] = met;
    else this.addMet(met);
  }

  /**
   * lkmm: whether thread t's next step is an SC step run as an acquire (ACQUIRE_SC_OPS): a
   * folio_lock() that would sleep is not (it queues on the wait queue and sleeps: the kernel's
   * folio_wait_bit_common() sets the task state with set_current_state(), an smp_store_mb(), before
   * io_schedule(), mm/filemap.c v6.6), and it stays a full barrier here.
   */
  private acquiring(s: Int32Array, t: number): boolean {
    const op = this.opAt(s, t);
    if (!ACQUIRE_SC_OPS.has(op)) return false;
    if (op !== OP.lock_page) return true;
    return lock.lockPageTakes(this, s, t, this.layout.reg(t, 0), this.codes[t][this.pcOf(s, t) * INSN_WIDTH + 1]);
  }

  /**
   * lkmm: whether the acquire at thread t's pc can run while loads or stores of its CPU are
   * outstanding (nl, ns; ACQUIRE_SC_OPS). The LKMM orders it after the loads before an smp_rmb()
   * (its read is a read: rmb), after the loads its operands depend on (addr), and a PTL's lock
   * after what precedes an outstanding spin_unlock of its CPU (po-unlock-lock-po); the engine also
   * holds it, and reports its ordering (`sc-step`), where running it would change more than the
   * LKMM's acquire: while its CPU holds a guess (a lock taken on a guessed branch would be seen by
   * every CPU before the guess is confirmed: the state it writes is SC), while an outstanding store
   * reads a register it writes, and, for the page lock, while an access of its CPU to the page's
   * flags word is outstanding (the word is the lock: coherence orders them, and an SC write keeps
   * only the newest store of its location, so the access must run first).
   */
  private acquireReady(s: Int32Array, t: number, pc: number, nl: number, ns: number): boolean {
    const L = this.layout;
    const at = pc * INSN_WIDTH;
    const code = this.codes[t];
    if (nl > 0 && prop.olderEpochPending(this, s, t, nl, s[L.rmbEpoch(t)])) return false;
    // A PTL's lock read is a lock read (LKR): after a litmus spin_unlock of this CPU left
    // outstanding, po-unlock-lock-po orders it as it does a spin_lock. (The other acquires are
    // acquire RMWs, not LKR: po-unlock-lock-po does not reach them, and they do not wait.)
    if (ns > 0 && code[at] === OP.ptl_lock && !prop.ownUnlocksReady(this, s, t, ns)) return false;
    const touch = this.touch[t][pc];
    if (nl > 0 && (touch & mem.pendingRegs(this, s, t)) !== 0) return false;
    let clash = nl > 0 && this.speculating(s, t);
    if (!clash && ns > 0) clash = (touch & prop.queuedStoreRegs(this, s, t, ns)) !== 0;
    if (!clash && (code[at] === OP.lock_page || code[at] === OP.trylock_page)) {
      const flags = L.pageLoc(s[L.reg(t, code[at + 1])], 1); // (field 1: the flags word)
      clash = (nl > 0 && mem.lqHasLoc(this, s, t, flags)) || (ns > 0 && prop.queuedStoreTo(this, s, t, ns, flags));
    }
    if (clash) this.ordered('sc-step', s, t);
    return !clash;
  }

  /**
   * lkmm: whether the acquire at thread t's pc may run while its release at pc `rel` is issued and
   * has not performed. The LKMM orders a release before a later acquire only through
   * po-unlock-lock-po (`po ; [UL] ; (po | rf) ; [LKR] ; po`), which needs an unlock (UL: a PTL's
   * spin_unlock()) and a lock read (LKR: a PTL's spin_lock()); `po ; [Acquire]` is not in ppo.
   * So folio_lock() (taking the lock) and down_read()/down_write(), acquire RMWs, go first unless
   * they are of the release's own lock word, and so does a PTL's spin_lock() after a release that
   * is no unlock: folio_unlock() and up_read()/up_write() are release RMWs, folio_ref_unfreeze()
   * an atomic_set_release() (include/linux/page_ref.h, v6.6). The rmap lock is one word, which
   * coherence orders (the release first). A page's lock word is its flags: after its own issued
   * folio_unlock() the page is still locked, so that folio_lock() would sleep, a full barrier that
   * waits (acquiring()), as does one that sleeps on another CPU's lock. After a PTL's issued
   * spin_unlock() a spin_lock() still waits for it to perform (`release`): po-unlock-lock-po
   * orders the accesses before the unlock before those after the lock, and the stores after the
   * lock carry the CPU's stores before the unlock (cumul-fence), which waiting gives; the LKMM does
   * not order the unlock's own write, which waiting orders too. (No acquire writes a register.)
   */
  private passesRelease(s: Int32Array, t: number, op: number, rel: number): boolean {
    const released = this.codes[t][rel * INSN_WIDTH];
    if (op === OP.ptl_lock) return released !== OP.ptl_unlock && this.acquiring(s, t);
    if (op !== OP.lock_page && op !== OP.rmap_lock) return false;
    if (op === OP.rmap_lock && released === OP.rmap_unlock) return false;
    return this.acquiring(s, t);
  }

  /** Whether thread t's own next instruction can run (rather than a flush or a late load). */
  private selfEnabled(s: Int32Array, t: number): boolean {
    if (!this.baseRunnable(s, t)) return false;
    const pc = this.pcOf(s, t);
    // Waits on a local instruction for an outstanding load; lkmm speculates past a branch.
    if (!this.visible[t][pc]) return this.propagation && this.speculable(s, t, pc) >= 0;
    const op = this.codes[t][pc * INSN_WIDTH];
    if (op === OP.exit) return false;
    const L = this.layout;
    if (this.propagation) return this.propagationEnabled(s, t, pc, op);
    if (!RELAXED_OPS.has(op)) return true;
    if (STORE_OPS.has(op) && L.sbCapacity[t] > 0 && this.sbCount(s, t) === L.sbCapacity[t]) {
      this.met('stores', s, t, L.sbCapacity[t]);
      return false;
    }
    return true;
  }

  /**
   * lkmm: whether thread t's own instruction can run. An SC step, smp_mb and a release store
   * order every earlier access: they wait until no load or store is outstanding (each is a step
   * of its own first); smp_wmb waits for the outstanding stores. An access waits for an
   * outstanding store to its location, a store for an outstanding load of it (coherence). A
   * plain store whose value waits for a load is left outstanding (it executes later).
   */
  private propagationEnabled(s: Int32Array, t: number, pc: number, op: number): boolean {
    const L = this.layout;
    const nl = this.lqCount(s, t);
    const ns = this.sbCount(s, t);
    const pend = this.pendingRelease(s, t);
    if (op === OP.trylock_page) {
      // After an issued release (perhaps of this page's lock: coherence) it waits for it to perform.
      if (pend > 0) {
        this.ordered('release', s, t, pend - 1);
        return false;
      }
      const [take, held, defer] = this.pageTrylockPlan(s, t);
      return take + held + defer > 0;
    }
    if (!RELAXED_OPS.has(op)) {
      // A later SC step waits for the issued release to perform: the engine's ordering (what
      // follows an acquire is held back by the release: `release`), but a release's (po-rel).
      // An acquire of another lock word goes first, as in the LKMM, unless it is a lock read after
      // an unlock (passesRelease: po-unlock-lock-po), and waits below only as any acquire does.
      if (pend > 0 && !this.passesRelease(s, t, op, pend - 1)) {
        if (ACQUIRE_SC_OPS.has(op)) this.ordered('release', s, t, pend - 1);
        else if (!RELEASE_SC_OPS.has(op)) this.ordered('sc-step', s, t);
        return false;
      }
      if (this.issuesRelease(s, t)) return true;
      if (nl === 0 && ns === 0) return true;
      if (this.acquiring(s, t)) return this.acquireReady(s, t, pc, nl, ns);
      // (a release waits for its CPU's earlier accesses in the LKMM too: RELEASE_SC_OPS)
      if (!RELEASE_SC_OPS.has(op)) this.ordered('sc-step', s, t);
      return false;
    }
    const at = pc * INSN_WIDTH;
    const code = this.codes[t];
    // smp_wmb waits only for the stores outstanding at the smp_wmb before it (what they carry is kept).
    if (op === OP.fence) {
      // smp_mb() waits for an issued release to perform; so does smp_wmb() (the release is a
      // write), which holds back the loads after it too: the engine's ordering.
      if (pend > 0 && code[at + 1] === 3) return false;
      if (pend > 0 && code[at + 1] === 2) {
        this.ordered('release', s, t, pend - 1);
        return false;
      }
      if (code[at + 1] !== 2) return code[at + 1] !== 3 || (nl === 0 && ns === 0);
      if (ns === 0 || prop.maxWmbs(this, s, t, ns) < L.wmbDepth[t]) return true;
      this.met('wmb', s, t, L.wmbDepth[t]);
      return false;
    }
    if (op === OP.spin_lock_var) {
      // Coherence: a lock write after an outstanding spin_is_locked of the lock comes after its read.
      if (nl > 0 && mem.lqHasLoc(this, s, t, L.varLoc(code[at + 1]))) return false;
      // Its lock write is a store: not on a guess (a control dependency, or a way-dependent place).
      if (nl > 0 && this.ctrlMask(s, t, true) !== 0) return false;
      return this.messageRoom(s, t, L.varLoc(code[at + 1])) && prop.spinLockReady(this, s, t, L.varLoc(code[at + 1]), ns, nl);
    }
    if (op === OP.synchronize_rcu) {
      // Its start is a full barrier (smp_mb()): after every access of its CPU, and an issued release.
      if (s[L.rcu(t, RcuField.gp)] !== 0) return true;
      return nl === 0 && ns === 0 && pend === 0;
    }
    if (op === OP.rmw_var) {
      // (an issued scenario release: as for a spin_lock, below)
      if (pend > 0) {
        this.ordered('release', s, t, pend - 1);
        return false;
      }
      const [writes, reads] = this.rmwPlan(s, t);
      return writes.length + reads.length > 0;
    }
    if (op === OP.fence_after_spinlock) return nl === 0 && ns === 0 && pend === 0;
    // A spin_lock, spin_trylock or smp_mb__after_unlock_lock waits for an issued release to
    // perform (what follows the lock is ordered after what precedes the release: po-unlock-lock-po;
    // after the release itself: the engine's ordering), and so does an instruction that names a
    // register the release reads, and a release store (po-rel orders the issued release first; the
    // engine does not leave the store outstanding behind it, so what follows waits too).
    const lockish = op === OP.spin_lock_var || op === OP.spin_trylock_var || op === OP.fence_after_unlock_lock;
    const releaseStore = STORE_OPS.has(op) && code[at + (code[at] === OP.store ? 4 : 3)] === Ordering.release;
    if (pend > 0 && (lockish || releaseStore || (this.touch[t][pc] & this.touch[t][pend - 1]) !== 0)) {
      this.ordered('release', s, t, pend - 1);
      return false;
    }
    // One spin_unlock outstanding at a time (what it passes on is kept for one): what follows the
    // next one comes after a spin_lock, which waits for the first to be ready anyway (ppo).
    if (op === OP.store_var && L.lockVar[code[at + 1]] === 1 && ns > 0 && L.unlockedSlot[t] >= 0 && prop.pendingUnlock(this, s, t) >= 0) return false;
    const loads = mem.pendingRegs(this, s, t);
    const stores = ns > 0 ? prop.queuedStoreRegs(this, s, t, ns) : 0;
    const touch = this.touch[t][pc];
    if (op === OP.spin_trylock_var) {
      if ((touch & (loads | stores)) !== 0) return false;
      const [take, held, defer] = this.trylockPlan(s, t);
      return take + held + defer > 0;
    }
    if (!LOAD_OPS.has(op) && !STORE_OPS.has(op)) return (touch & (loads | stores)) === 0;
    if (op === OP.load_ptr && (loads & (1 << code[at + 2])) !== 0) {
      // Its address waits for an outstanding load: it is issued now, left outstanding, unless it
      // is an acquire (never outstanding) or its register is busy. Should it read a location an
      // own outstanding store writes, it reads that store (satisfyChoices).
      if (code[at + 3] !== Ordering.plain || ((1 << code[at + 1]) & (loads | stores)) !== 0) return false;
      if (nl < L.lqCapacity[t]) return true;
      this.met('loads', s, t, L.lqCapacity[t]);
      return false;
    }
    if (op === OP.store_ptr && (loads & (1 << code[at + 1])) !== 0) {
      // Its address waits for an outstanding load: it is left outstanding (no speculative stores),
      // and only it waits for that load (a release needs a free carried set too, REL_DEPTH).
      if ((touch & stores) !== 0) return false;
      if (ns >= L.sbCapacity[t]) {
        this.met('stores', s, t, L.sbCapacity[t]);
        return false;
      }
      if (code[at + 3] !== Ordering.release || prop.releasesBefore(this, s, t, ns) < L.relDepth[t]) return true;
      this.met('releases', s, t, L.relDepth[t]);
      return false;
    }
    // A scenario access through a page register an outstanding load writes waits here, and holds
    // up the accesses after it (the engine's ordering: the LKMM orders only the dependent access;
    // none when an SC step, which waits for every outstanding access, comes first).
    if ((op === OP.load && (loads & (1 << code[at + 3])) !== 0) || (op === OP.store && (loads & (1 << code[at + 2])) !== 0)) {
      if (this.holdsUp[t][pc] === 1) this.ordered('page-address', s, t);
      return false;
    }
    const loc = this.accessLoc(s, t);
    // After an own outstanding store whose address is not known yet and may be loc: the load reads
    // now only if that store goes elsewhere (the pointer's load asked for another address); else it
    // is left outstanding, and reads that store should the store turn out to write loc.
    if (LOAD_OPS.has(op) && this.ptrStoreBlocks(s, t, loc)) return (touch & (loads | stores)) === 0 && this.deferrable(s, t);
    if (LOAD_OPS.has(op) && ns > 0 && prop.queuedStoreTo(this, s, t, ns, loc) && !this.forwardBlocked(s, t, loc)) {
      // Read from the thread's own outstanding store (forwarding), once its value is known; before
      // a load whose address may be loc, only if that load goes elsewhere (it might read a store
      // after this one in coherence once this one has run).
      const i = prop.newestQueuedStore(this, s, t, ns, loc);
      if (nl > 0 && this.target[loc] === 1 && this.unresolvedOutstanding(s, t, nl, nl) && !this.canExclude(s, t, loc, nl)) return false;
      return (touch & (loads | stores)) === 0 && (loads & (1 << s[L.sbEntry(t, i) + 1])) === 0;
    }
    if (LOAD_OPS.has(op)) return (touch & (loads | stores)) === 0 && (this.immediateLoads(s, t) > 0 || this.deferrable(s, t));
    if ((touch & stores) !== 0) return false;
    // Left outstanding; a release other than an unlock needs a free carried set (REL_DEPTH).
    if (this.storeBlocked(s, t)) {
      if (ns >= L.sbCapacity[t]) {
        this.met('stores', s, t, L.sbCapacity[t]);
        return false;
      }
      if (L.relBase[t] < 0 || !this.releaseAt(s, t) || prop.releasesBefore(this, s, t, ns) < L.relDepth[t]) return true;
      this.met('releases', s, t, L.relDepth[t]);
      return false;
    }
    return this.messageRoom(s, t, loc);
  }

  /** lkmm: loc keeps room for one more store (its older stores some CPU may still read: msgCap). */
  private messageRoom(s: Int32Array, t: number, loc: number): boolean {
    const k = this.layout.mlocOf[loc];
    if (k < 0 || s[this.layout.msgBase[k]] < this.layout.msgCap[k]) return true;
    this.met('messages', s, t, this.layout.msgCap[k]);
    return false;
  }

  /**
   * lkmm: the store at thread t's pc cannot execute yet: its value waits for an outstanding load
   * (a data dependency), or an outstanding load reads its location (coherence). A plain one is
   * then left outstanding, so that later independent accesses are not held up behind it.
   */
  private storeBlocked(s: Int32Array, t: number): boolean {
    const at = this.pcOf(s, t) * INSN_WIDTH;
    const ordering = this.codes[t][at] === OP.store ? this.codes[t][at + 4] : this.codes[t][at + 3];
    // A release store orders every earlier access before it.
    const ns = this.sbCount(s, t);
    if (ordering === Ordering.release && (this.lqCount(s, t) > 0 || ns > 0)) return true;
    // Through a pointer not loaded yet: after that load (addr; no speculative stores).
    if (this.codes[t][at] === OP.store_ptr && this.unresolvedStore(s, t, this.pcOf(s, t))) return true;
    // Coherence: after an outstanding store to the same location, or one whose address is not known yet and may be it.
    if (ns > 0 && prop.queuedStoreTo(this, s, t, ns, this.accessLoc(s, t))) return true;
    if (ns > 0 && this.ptrStoresBefore(s, t, this.accessLoc(s, t)) !== 0) return true;
    // smp_wmb: after the stores outstanding at it. A control dependency: after the speculated load.
    if (ns > 0 && prop.maxWmbs(this, s, t, ns) > 0) return true;
    if (this.ctrlMask(s, t) !== 0) return true;
    if ((mem.pendingRegs(this, s, t) & (1 << this.storeValueReg(s, t))) !== 0) return true;
    return this.lqCount(s, t) > 0 && this.lqMayRead(s, t, this.accessLoc(s, t));
  }

  /**
   * lkmm: thread t has an outstanding load that reads loc or may (one whose address is not known
   * yet, when loc is a location a pointer may name): a store to loc, or a later load of it, waits.
   */
  private lqMayRead(s: Int32Array, t: number, loc: number): boolean {
    return mem.lqHasLoc(this, s, t, loc) || (this.target[loc] === 1 && this.unresolvedOutstanding(s, t, this.lqCount(s, t), this.lqCount(s, t)));
  }

  /** lkmm: one of thread t's first `upTo` outstanding loads (of n; not those in `skip`, a bit each) has an address not known yet. */
  private unresolvedOutstanding(s: Int32Array, t: number, n: number, upTo: number, skip = 0): boolean {
    for (let i = 0; i < upTo && i < n; i++) if (s[this.layout.lqEntry(t, i) + 1] < 0 && ((skip >> i) & 1) === 0) return true;
    return false;
  }

  /**
   * lkmm: an access to loc may go before thread t's first `upTo` outstanding loads whose address
   * is not known yet (coherence, if one of them turns out to read loc) when each of the loads that
   * give them their address can be asked for another value than &loc: a condition like a
   * speculated branch's (SpecCond.eqFalse), with room on the load for it.
   */
  private canExclude(s: Int32Array, t: number, loc: number, upTo: number, skip = 0): boolean {
    const L = this.layout;
    if (L.specBase[t] < 0) return false;
    const ptr = litmusPointer(loc - L.varLoc(0));
    for (let j = 0; j < upTo; j++) {
      const where = s[L.lqEntry(t, j) + 1];
      if (where >= 0 || ((skip >> j) & 1) !== 0) continue;
      const a = this.loadWriting(s, t, -where - 1);
      if (a < 0 || (!this.excludes(s, t, a, ptr) && !this.specRoom(s, t, a))) return false;
    }
    return true;
  }

  /** The conditions canExclude found room for: each address load must not read `&loc`. */
  private exclude(s: Int32Array, t: number, loc: number, upTo: number, skip = 0): void {
    const L = this.layout;
    const ptr = litmusPointer(loc - L.varLoc(0));
    for (let j = 0; j < upTo; j++) {
      const where = s[L.lqEntry(t, j) + 1];
      if (where >= 0 || ((skip >> j) & 1) !== 0) continue;
      const a = this.loadWriting(s, t, -where - 1);
      if (this.excludes(s, t, a, ptr)) continue;
      const e = L.specIf(t, a, this.freeSpec(s, t, a));
      // no branch: a pc past the path's end (ctrlMask finds no region there)
      s[e] = this.paths[t].length + 1;
      s[e + 1] = SpecCond.eqFalse;
      s[e + 2] = ptr;
    }
  }

  /** Outstanding load a of thread t must already read something other than `value`. */
  private excludes(s: Int32Array, t: number, a: number, value: number): boolean {
    const L = this.layout;
    for (let j = 0, d = L.specDepth[t]; j < d; j++) {
      const e = L.specIf(t, a, j);
      if (s[e] === 0) return false;
      if (s[e + 1] === SpecCond.eqFalse && s[e + 2] === value) return true;
    }
    return false;
  }

  /** lkmm: the load_ptr at pc of thread t has an address an outstanding load still writes. */
  private unresolved(s: Int32Array, t: number, pc: number): boolean {
    return this.propagation && this.weakThread[t] === 1 && (mem.pendingRegs(this, s, t) & (1 << this.codes[t][pc * INSN_WIDTH + 2])) !== 0;
  }

  /** lkmm: the store_ptr at pc of thread t has an address an outstanding load still writes. */
  private unresolvedStore(s: Int32Array, t: number, pc: number): boolean {
    return this.propagation && this.weakThread[t] === 1 && (mem.pendingRegs(this, s, t) & (1 << this.codes[t][pc * INSN_WIDTH + 1])) !== 0;
  }

  /** lkmm: thread t's outstanding stores (a bit each) whose address is not known yet, when loc is a location a pointer may name. */
  private ptrStoresBefore(s: Int32Array, t: number, loc: number): number {
    if (this.target[loc] !== 1 || this.layout.sbCapacity[t] === 0) return 0;
    return prop.unresolvedStores(this, s, t, this.sbCount(s, t));
  }

  /** lkmm: an access to loc at thread t's pc must wait for a store through a pointer not loaded yet (the pointer's load cannot be asked for another address). */
  private ptrStoreBlocks(s: Int32Array, t: number, loc: number): boolean {
    const su = this.ptrStoresBefore(s, t, loc);
    return su !== 0 && !this.canExcludeStores(s, t, loc, su);
  }

  /**
   * lkmm: an access to loc may go before thread t's outstanding stores in `mask`, whose addresses
   * are not known yet (coherence, should one turn out to write loc), when each load that gives one
   * its address can be asked for another value than &loc (as canExclude for loads).
   */
  private canExcludeStores(s: Int32Array, t: number, loc: number, mask: number): boolean {
    const L = this.layout;
    if (L.specBase[t] < 0) return false;
    const ptr = litmusPointer(loc - L.varLoc(0));
    for (let m = mask; m !== 0; m &= m - 1) {
      const a = this.loadWriting(s, t, prop.storePointerReg(this, s, t, 31 - Math.clz32(m & -m)));
      if (a < 0 || (!this.excludes(s, t, a, ptr) && this.freeSpec(s, t, a) < 0)) return false;
    }
    return true;
  }

  /** The conditions canExcludeStores found room for: each address load must not read `&loc`. */
  private excludeStores(s: Int32Array, t: number, loc: number, mask: number): void {
    const L = this.layout;
    const ptr = litmusPointer(loc - L.varLoc(0));
    for (let m = mask; m !== 0; m &= m - 1) {
      const a = this.loadWriting(s, t, prop.storePointerReg(this, s, t, 31 - Math.clz32(m & -m)));
      if (this.excludes(s, t, a, ptr)) continue;
      const e = L.specIf(t, a, this.freeSpec(s, t, a));
      s[e] = this.paths[t].length + 1;
      s[e + 1] = SpecCond.eqFalse;
      s[e + 2] = ptr;
    }
  }

  /** The location register r of thread t points to (a litmus variable: litmusPointer). */
  private pointerLoc(s: Int32Array, t: number, r: number): number {
    const value = s[this.layout.reg(t, r)];
    const v = litmusPointee(value, this.world.litmus?.vars.length ?? 0);
    if (v < 0)
      throw new ProgramFaultError(`thread ${this.world.threads[t].name} at ${this.stepLabel(s, t)}: dereferences ${value}, which points to no litmus variable`);
    return this.layout.varLoc(v);
  }

  /** lkmm: the store at thread t's pc is a release other than an unlock. */
  private releaseAt(s: Int32Array, t: number): boolean {
    const at = this.pcOf(s, t) * INSN_WIDTH;
    const code = this.codes[t];
    if (code[at] === OP.store) return code[at + 4] === Ordering.release;
    // (a pointer never names a spinlock: litmusEngineWorld refuses one)
    if (code[at] === OP.store_ptr) return code[at + 3] === Ordering.release;
    return code[at + 3] === Ordering.release && this.layout.lockVar[code[at + 1]] !== 1;
  }

  /** lkmm: the register a store at thread t's pc takes its value from. */
  private storeValueReg(s: Int32Array, t: number): number {
    const at = this.pcOf(s, t) * INSN_WIDTH;
    return this.codes[t][at] === OP.store ? this.codes[t][at + 3] : this.codes[t][at + 2];
  }

  /** lkmm: pc + 1 of thread t's issued release that has not performed yet (0: none). */
  private pendingRelease(s: Int32Array, t: number): number {
    const at = this.layout.relPend[t];
    return at < 0 ? 0 : s[at];
  }

  /** lkmm: the SC step at thread t's pc is a release that relaxed accesses follow: it is issued, and performs later. */
  private issuesRelease(s: Int32Array, t: number): boolean {
    if (this.layout.relPend[t] < 0 || this.weakThread[t] !== 1) return false;
    const pc = this.pcOf(s, t);
    return this.heldAfter[t][pc] === 1 && RELEASE_SC_OPS.has(this.codes[t][pc * INSN_WIDTH]) && this.baseRunnable(s, t);
  }

  /** lkmm: thread t's issued release may perform: every access of its CPU before it in program order is done. */
  private releasePerformable(s: Int32Array, t: number): boolean {
    const at = this.layout.relPend[t];
    return at >= 0 && s[at] > 0 && s[at + 1] === 0 && s[at + 2] === 0;
  }

  /** The opcode of thread t's issued release that has not performed yet, or -1 (the explorer's footprints). */
  pendingReleaseOp(s: Int32Array, t: number): number {
    const pc = this.pendingRelease(s, t);
    return pc === 0 ? -1 : this.codes[t][(pc - 1) * INSN_WIDTH];
  }

  /** lkmm: thread t's issued release performs: an SC step at its pc; the thread stays where it is. */
  private performRelease(s: Int32Array, t: number): boolean {
    const pcAt = this.layout.thread(t, ThreadField.pc);
    const here = s[pcAt];
    const rel = s[this.layout.relPend[t]] - 1;
    s[pcAt] = rel;
    if (prop.propagateRelease(this, s, t)) this.ordered('sc-step', s, t);
    s.fill(0, this.layout.relPend[t], this.layout.relView(t, this.layout.nMlocs));
    const words = this.layout.unlockedBy >= 0;
    prop.newestValues(this, s, this.newest);
    this.performing = true;
    let ok: boolean;
    try {
      ok = this.execute(s, t, 0);
    } finally {
      this.performing = false;
    }
    s[pcAt] = here;
    if (words) this.lockWordsCollapse(s, t);
    prop.collapseWritten(this, s, this.newest);
    if (words) this.seeLockWords(s, t, rel);
    this.runLocal(s, t);
    prop.canonical(this, s, t);
    return ok;
  }

  private selfChoices(s: Int32Array, t: number): number {
    const op = this.opAt(s, t);
    // A speculated branch: fall through, or take it (one way when earlier branches on the load decide it).
    if (this.propagation && !this.visible[t][this.pcOf(s, t)]) return (this.speculable(s, t, this.pcOf(s, t)) & 3) === 0 ? 2 : 1;
    if (this.propagation && this.weakThread[t] === 1) {
      if (op === OP.spin_trylock_var || op === OP.trylock_page) {
        const [take, held, defer] = op === OP.trylock_page ? this.pageTrylockPlan(s, t) : this.trylockPlan(s, t);
        return take + held + defer;
      }
      if (op === OP.rmw_var) {
        const [writes, reads] = this.rmwPlan(s, t);
        return writes.length + reads.length;
      }
      if (LOAD_OPS.has(op)) {
        if (op === OP.load_ptr && this.unresolved(s, t, this.pcOf(s, t))) return 1;
        if (this.ptrStoreBlocks(s, t, this.accessLoc(s, t))) return 1;
        if (this.forwardFrom(s, t) >= 0) return 1;
        return this.immediateLoads(s, t) + (this.deferrable(s, t) ? 1 : 0);
      }
      if (STORE_OPS.has(op)) {
        // A store whose value waits for a load has one choice: to be left outstanding.
        if (this.storeBlocked(s, t)) return 1;
        return prop.storeOptions(this, s, t, this.accessLoc(s, t));
      }
    }
    return this.baseChoices(s, t);
  }

  /** lkmm: the plain load at thread t's pc may be left outstanding. */
  private deferrable(s: Int32Array, t: number): boolean {
    const L = this.layout;
    if (L.lqCapacity[t] === 0) return false;
    const code = this.codes[t];
    const at = this.pcOf(s, t) * INSN_WIDTH;
    const ordering = code[at] === OP.load ? code[at + 4] : code[at + 3];
    if (ordering !== Ordering.plain) return false;
    if (this.lqCount(s, t) < L.lqCapacity[t]) return true;
    this.met('loads', s, t, L.lqCapacity[t]);
    return false;
  }

  /** tso: how many store-buffer entries may become visible now (the oldest, FIFO): 0 or 1. */
  private flushableEntries(s: Int32Array, t: number): number {
    return this.sbCount(s, t) > 0 ? 1 : 0;
  }

  /** lkmm: the outstanding store the load at thread t's pc reads from (forwarding), or -1. */
  private forwardFrom(s: Int32Array, t: number): number {
    const ns = this.sbCount(s, t);
    if (ns === 0) return -1;
    const loc = this.accessLoc(s, t);
    return prop.queuedStoreTo(this, s, t, ns, loc) && !this.forwardBlocked(s, t, loc) ? prop.newestQueuedStore(this, s, t, ns, loc) : -1;
  }

  /**
   * lkmm: an outstanding load of loc comes after thread t's newest outstanding store to loc in
   * program order (issued after it through a pointer, or behind a store through a pointer): it may
   * read that store or a later one, so a load after it does not forward now (CoRR); it is left
   * outstanding and satisfied after that load, from the store or from what it has run into.
   */
  private forwardBlocked(s: Int32Array, t: number, loc: number): boolean {
    const n = this.lqCount(s, t);
    if (n === 0) return false;
    const after = prop.loadsAfter(this, s, t, prop.newestQueuedStore(this, s, t, this.sbCount(s, t), loc));
    for (let i = 0; i < n; i++) if (((after >> i) & 1) !== 0 && s[this.layout.lqEntry(t, i) + 1] === loc) return true;
    return false;
  }

  /**
   * lkmm: the registers thread t's outstanding stores will read when they run (a bit each), and
   * those its issued scenario release will (performRelease).
   */
  outstandingStoreRegs(s: Int32Array, t: number): number {
    if (!this.propagation) return 0;
    const pend = this.pendingRelease(s, t);
    const rel = pend > 0 ? this.touch[t][pend - 1] : 0;
    if (this.layout.sbCapacity[t] === 0) return rel;
    const ns = this.sbCount(s, t);
    return rel | (ns > 0 ? prop.queuedStoreRegs(this, s, t, ns) : 0);
  }

  /** lkmm: how many messages the load at thread t's pc may read now (0: it may only be left outstanding). */
  private immediateLoads(s: Int32Array, t: number): number {
    const n = this.lqCount(s, t);
    // Not before a load that an smp_rmb orders before it.
    if (n > 0 && prop.olderEpochPending(this, s, t, n, s[this.layout.rmbEpoch(t)])) return 0;
    // Nor before an outstanding load of the same location (coherence: read-read).
    const loc = this.accessLoc(s, t);
    if (n > 0 && mem.lqHasLoc(this, s, t, loc)) return 0;
    // Before a load whose address is not known yet and may be loc: only if that load will be to another location.
    if (n > 0 && this.target[loc] === 1 && this.unresolvedOutstanding(s, t, n, n) && !this.canExclude(s, t, loc, n)) return 0;
    return prop.readOptions(this, s, t, loc);
  }

  /**
   * lkmm: the late loads thread t may take, one choice per outstanding load not ordered after
   * another (smp_rmb) and per message it may read. With `pick` >= 0, satisfies that choice.
   */
  private satisfyChoices(s: Int32Array, t: number, pick: number): number {
    const n = this.lqCount(s, t);
    let total = 0;
    for (let i = 0; i < n; i++) {
      if (prop.olderEpochPending(this, s, t, n, s[this.layout.lqEpoch(t, i)])) continue;
      const loc = s[this.layout.lqEntry(t, i) + 1];
      // Its address is not known yet: it waits for the load that writes it (addr).
      if (loc < 0) continue;
      let older = false;
      for (let j = 0; j < i && !older; j++) older = s[this.layout.lqEntry(t, j) + 1] === loc;
      if (older) continue;
      // Before an older load whose address may be loc: only if that one goes elsewhere.
      const guarded = this.target[loc] === 1 && this.unresolvedOutstanding(s, t, n, i);
      if (guarded && !this.canExclude(s, t, loc, i)) continue;
      // After an own store whose address is not known yet and may be loc: only if that one goes elsewhere.
      const su = this.target[loc] === 1 && this.layout.sbCapacity[t] > 0 ? prop.unresolvedStores(this, s, t, this.sbCount(s, t), i) : 0;
      if (su !== 0 && !this.canExcludeStores(s, t, loc, su)) continue;
      // After an own outstanding store to loc (its address was not known then): it reads that
      // store (forwarding, CoWR), once the store's value is known.
      const fwd = this.target[loc] === 1 ? prop.storeBeforeLoad(this, s, t, i, loc) : -1;
      if (fwd >= 0) {
        const reg = s[this.layout.sbEntry(t, fwd) + 1];
        if ((mem.pendingRegs(this, s, t) & (1 << reg)) !== 0 || !prop.mayRead(this, s, t, i, s[this.layout.reg(t, reg)])) continue;
        if (pick === total) {
          this.lastStepKind = 'satisfy';
          if (guarded) this.exclude(s, t, loc, i);
          if (su !== 0) this.excludeStores(s, t, loc, su);
          prop.satisfy(this, s, t, i, 0, n, this.sbCount(s, t), fwd);
          return total;
        }
        total += 1;
        continue;
      }
      const c = prop.satisfyOptions(this, s, t, i, loc);
      // A failed folio_trylock()'s read that only an older, locked store could satisfy now.
      if (c === 0 && loc < this.layout.varLoc(0) && prop.isTrylockRead(this, s, t, i)) this.staleLock(s, t, loc >> 1, s[this.layout.lqEntry(t, i)] - 1);
      if (pick >= total && pick < total + c) {
        this.lastStepKind = 'satisfy';
        if (guarded) this.exclude(s, t, loc, i);
        if (su !== 0) this.excludeStores(s, t, loc, su);
        prop.satisfy(this, s, t, i, prop.satisfyChoice(this, s, t, i, loc, pick - total), n, this.sbCount(s, t));
        return total;
      }
      total += c;
    }
    // Outstanding stores whose value is known, each at every place it may take (in program
    // order per location).
    const ns = this.sbCount(s, t);
    if (ns === 0) return total;
    const loads = mem.pendingRegs(this, s, t);
    for (let i = 0; i < ns; i++) {
      const e = this.layout.sbEntry(t, i);
      // (its address not known yet: it waits for the pointer's load)
      if (s[e] < 0 || (loads & (1 << s[e + 1])) !== 0 || !prop.queuedStoreReady(this, s, t, i, ns)) continue;
      let older = false;
      for (let j = 0; j < i && !older; j++) older = s[this.layout.sbEntry(t, j)] === s[e];
      if (older) continue;
      const loc = s[e] - 1;
      if (n > 0 && prop.loadBefore(this, s, t, n, loc, i)) continue;
      // After a load whose address may be loc (not one after it in program order): only if it goes elsewhere.
      const after = n > 0 ? prop.loadsAfter(this, s, t, i) : 0;
      const guarded = n > 0 && this.target[loc] === 1 && this.unresolvedOutstanding(s, t, n, n, after);
      if (guarded && !this.canExclude(s, t, loc, n, after)) continue;
      // After an older store whose address is not known yet and may be loc: only if that one goes elsewhere.
      const su = this.target[loc] === 1 ? prop.unresolvedStores(this, s, t, i) : 0;
      if (su !== 0 && !this.canExcludeStores(s, t, loc, su)) continue;
      if (!this.messageRoom(s, t, loc)) continue;
      const c = prop.storeOptions(this, s, t, loc);
      if (pick >= total && pick < total + c) {
        this.lastStepKind = 'flush';
        if (guarded) this.exclude(s, t, loc, n, after);
        if (su !== 0) this.excludeStores(s, t, loc, su);
        prop.runQueuedStore(this, s, t, i, pick - total, ns);
        return total;
      }
      total += c;
    }
    return total;
  }

  /** A flush or a late load: choice k after the thread's own instruction's choices. */
  private sideStep(s: Int32Array, t: number, k: number): boolean {
    if (this.propagation) {
      this.satisfyChoices(s, t, k);
      this.runLocal(s, t);
      prop.canonical(this, s, t);
      return this.checkStates(s, t);
    }
    // tso (a weak machine without propagation state): the one side step is flushing the oldest entry.
    this.lastStepKind = 'flush';
    mem.flush(this, s, t, 0);
    // The thread may have waited at `exit` for that flush.
    this.runLocal(s, t);
    return this.checkStates(s, t);
  }

  /** The invariants checked on the state after a step: I1, I3 and the user's. */
  private checkStates(s: Int32Array, t: number): boolean {
    if ((this.enabled & (I.I1 | I.I3)) !== 0 && !this.checkEntries(s, t)) return false;
    return this.user.checks.length === 0 || this.checkUser(s, t);
  }

  /**
   * lkmm: how the branch at thread t's pc may go before the load it tests is satisfied (a branch
   * on one outstanding load: against a constant, or against a register whose value is known), or
   * -1: it waits (the load has no room for one more condition). Else `load << 2 | way`: way 0
   * either way, 1 taken and 2 fall through (the conditions already on the load decide it); either
   * way the branch becomes one more condition on the load. The test is left in `this.branch`
   * (semantics/speculation.ts).
   */
  private speculable(s: Int32Array, t: number, pc: number): number {
    const L = this.layout;
    if (L.specBase[t] < 0 || this.ctrl[t][pc] === null) return -1;
    const b = branchTest(this.codes[t], pc * INSN_WIDTH, s, L.reg(t, 0), mem.pendingRegs(this, s, t), this.branch);
    if (!b) return -1;
    const i = this.loadWriting(s, t, this.branch.reg);
    if (i < 0) return -1;
    // Two loads: a condition on each, both need room.
    if (this.branch.reg2 >= 0) return this.roomForBranch(s, t, i) && this.roomForBranch(s, t, this.loadWriting(s, t, this.branch.reg2)) ? i << 2 : -1;
    const { test, c, takenWhen } = this.branch;
    // The branch is recorded on the load even when earlier ones decide its way: the stores in it
    // wait for the load all the same (ctrlMask).
    if (!this.roomForBranch(s, t, i)) return -1;
    const free = this.freeSpec(s, t, i);
    for (let j = 0; j < free; j++) {
      const e = L.specIf(t, i, j);
      // Decided by an earlier branch: the load's value is known, or the same test was made.
      const known =
        s[e + 1] === SpecCond.eqTrue
          ? prop.meets(test + 1, c, s[e + 2])
          : (s[e + 1] + 1) >> 1 === (test + 1) >> 1 && s[e + 2] === c
            ? (s[e + 1] & 1) === 0
            : null;
      if (known !== null) return (i << 2) | (known === takenWhen ? 1 : 2);
    }
    return i << 2;
  }

  /**
   * lkmm: the branch at thread t's pc goes one way (choice 1: taken) before the load it tests is
   * satisfied; the load must then read a value that goes the same way. Later loads run meanwhile
   * (a control dependency orders only the stores of the branch taken: ctrlMask).
   */
  private speculate(s: Int32Array, t: number, choice: number): boolean {
    const L = this.layout;
    const pc = this.pcOf(s, t);
    const code = this.codes[t];
    const plan = this.speculable(s, t, pc);
    const way = plan & 3;
    const i = plan >> 2;
    const taken = way === 0 ? choice === 1 : way === 1;
    const { test, c, takenWhen, reg, reg2 } = this.branch;
    const cond = taken === takenWhen ? test + 1 : test;
    const put = (load: number, constant: number) => {
      const e = L.specIf(t, load, this.freeSpec(s, t, load));
      s[e] = pc + 1;
      s[e + 1] = cond;
      s[e + 2] = constant;
    };
    put(i, c);
    // bsame of two loaded registers: each load's condition names the other's register.
    if (reg2 >= 0) put(this.loadWriting(s, t, reg2), reg);
    s[L.thread(t, ThreadField.pc)] = taken ? code[pc * INSN_WIDTH + 3] : pc + 1;
    this.runLocal(s, t);
    prop.canonical(this, s, t);
    return true;
  }

  /** lkmm: the outstanding load of thread t that writes register r, or -1. */
  private loadWriting(s: Int32Array, t: number, r: number): number {
    for (let i = 0, n = this.lqCount(s, t); i < n; i++) if (s[this.layout.lqEntry(t, i)] === r + 1) return i;
    return -1;
  }

  /**
   * lkmm: thread t's outstanding load i may take one more speculated branch: it has a free condition
   * entry, and fewer branches than specBranches (the other entries are kept for the conditions an
   * access to a location a pointer may name puts on a pointer's load: those always find room).
   */
  private roomForBranch(s: Int32Array, t: number, i: number): boolean {
    const L = this.layout;
    const free = this.freeSpec(s, t, i);
    let room = free >= 0;
    if (room && L.specBranches[t] !== L.specDepth[t]) {
      let branches = 0;
      // (a pointer's condition names no branch: a pc past the path's end)
      for (let j = 0; j < free; j++) if (s[L.specIf(t, i, j)] - 1 < this.paths[t].length) branches++;
      room = branches < L.specBranches[t];
    }
    if (!room) this.met('speculation', s, t, L.specBranches[t]);
    return room;
  }

  /** lkmm: the first free condition entry of thread t's outstanding load i, or -1. */
  private freeSpec(s: Int32Array, t: number, i: number): number {
    for (let j = 0, d = this.layout.specDepth[t]; j < d; j++) if (s[this.layout.specIf(t, i, j)] === 0) return j;
    return -1;
  }

  /** lkmm: outstanding load i of thread t has room for one more condition (SPEC_DEPTH). */
  private specRoom(s: Int32Array, t: number, i: number): boolean {
    if (this.freeSpec(s, t, i) >= 0) return true;
    this.met('speculation', s, t, this.layout.specDepth[t]);
    return false;
  }

  /** lkmm: thread t has a branch speculated on a load not yet satisfied. */
  speculating(s: Int32Array, t: number): boolean {
    const L = this.layout;
    // A failed trylock's read is one too: only a lock-held store satisfies it.
    if (L.trylockRegs[t] !== 0) for (let i = 0, n = this.lqCount(s, t); i < n; i++) if (prop.isTrylockRead(this, s, t, i)) return true;
    if (L.specBase[t] < 0) return false;
    for (let i = 0, n = this.lqCount(s, t); i < n; i++) if (s[L.specIf(t, i)] !== 0) return true;
    return false;
  }

  /** lkmm: no thread can run and one holds a speculated load no store satisfies: not an execution. */
  infeasible(s: Int32Array): boolean {
    if (!this.propagation) return false;
    for (let t = 0; t < this.threadCount; t++) if (!this.isFinished(s, t) && this.speculating(s, t)) return true;
    return false;
  }

  /**
   * lkmm: the outstanding loads (a bit each) a store or lock write at thread t's pc waits for
   * because of a branch speculated on them: it is in the branch (a control dependency), or after
   * the `if` it depends on the way taken: its value, page or pointer register holds what the
   * branch's region wrote, or it is in a later branch on such a register (ControlRegion.holds).
   */
  private ctrlMask(s: Int32Array, t: number, lock = false): number {
    const L = this.layout;
    if (L.specBase[t] < 0) return 0;
    const pc = this.pcOf(s, t);
    let mask = 0;
    let way = lock;
    for (let i = 0, n = this.lqCount(s, t); i < n; i++) {
      for (let j = 0, d = L.specDepth[t]; j < d; j++) {
        const b = s[L.specIf(t, i, j)] - 1;
        if (b < 0) break;
        // (a condition an access to a location put on a pointer's load: no branch, no region)
        const r = this.ctrl[t][b];
        if (!r) continue;
        if (r.holds[pc] === 1) mask |= 1 << i;
        if (r.ways[pc] === 1) way = true;
      }
    }
    // Held where the LKMM would not hold it: a store after the `if` (the way's value or place), a lock's read.
    if (mask !== 0 && way) this.ordered('ctrl', s, t);
    return mask;
  }

  /** Some thread's grace period waits for thread t's critical section. */
  private gracePeriodWaitsFor(s: Int32Array, t: number): boolean {
    const L = this.layout;
    for (let g = 0; g < this.threadCount; g++)
      if (L.rcuBase[g] >= 0 && s[L.rcu(g, RcuField.gp)] !== 0 && ((s[L.rcu(g, RcuField.waits)] >> t) & 1) !== 0) return true;
    return false;
  }

  /**
   * lkmm: the choices of the read-modify-write at thread t's pc (rmw_var), as the positions of the
   * messages its read may read, newest first: those after which it writes (an xchg() or atomic_*(),
   * a cmpxchg() whose expected value the message holds), then those it only reads (a failed
   * cmpxchg(): a plain read, or an acquire one for _acquire, with no barrier). It runs at its pc, in
   * one step. It waits for the registers it names (as any instruction), for its CPU's outstanding
   * accesses to its location (coherence) and the loads before an smp_rmb() (its read is a read),
   * and a write for the guess a speculated branch holds (a control dependency), for room for one
   * more message, and, for a _release one (po-rel) or a fully ordered one (its smp_mb() before),
   * for every outstanding access of its CPU. The LKMM orders less where the RMW is not fully
   * ordered, or a cmpxchg() fails (its read is ordered after none of those): such a wait is
   * reported (`rmw`).
   */
  private rmwPlan(s: Int32Array, t: number): [writes: readonly number[], reads: readonly number[]] {
    const L = this.layout;
    const pc = this.pcOf(s, t);
    const at = pc * INSN_WIDTH;
    const code = this.codes[t];
    const loc = this.accessLoc(s, t);
    const kind = code[at + 5];
    const ordering = code[at + 6];
    const nl = this.lqCount(s, t);
    const ns = this.sbCount(s, t);
    const cmpxchg = (kind & 3) === RmwKind.cmpxchg;
    // (an smp_mb() before it orders all that it waits for: the LKMM's order, unless a cmpxchg fails)
    const held = () => {
      if (ordering !== RmwOrdering.mb || cmpxchg) this.ordered('rmw', s, t);
    };
    const loads = mem.pendingRegs(this, s, t);
    const stores = ns > 0 ? prop.queuedStoreRegs(this, s, t, ns) : 0;
    const blocked =
      (this.touch[t][pc] & (loads | stores)) !== 0 ||
      (nl > 0 && (mem.lqHasLoc(this, s, t, loc) || prop.olderEpochPending(this, s, t, nl, s[L.rmbEpoch(t)]))) ||
      (ns > 0 && prop.queuedStoreTo(this, s, t, ns, loc)) ||
      (this.target[loc] === 1 && ((nl > 0 && this.unresolvedOutstanding(s, t, nl, nl)) || this.ptrStoreBlocks(s, t, loc)));
    if (blocked) {
      held();
      return [NO_POSITIONS, NO_POSITIONS];
    }
    const expected = s[L.reg(t, code[at + 4])];
    const same = (p: number) => prop.messageValue(this, s, loc, p) === expected;
    const reads = cmpxchg ? prop.readablePositions(this, s, t, loc).filter((p) => !same(p)) : NO_POSITIONS;
    // A write: not on a guess, with room, after everything before it for _release and mb.
    if (nl > 0 && this.ctrlMask(s, t, true) !== 0) return [NO_POSITIONS, reads];
    if ((ordering === RmwOrdering.release || ordering === RmwOrdering.mb) && nl + ns > 0) {
      // (a _release one's read is ordered after none of them; a failed cmpxchg() may read meanwhile)
      if (ordering === RmwOrdering.release) held();
      return [NO_POSITIONS, reads];
    }
    if (!this.messageRoom(s, t, loc)) return [NO_POSITIONS, reads];
    const writes = prop.rmwReads(this, s, t, loc);
    return [cmpxchg ? writes.filter(same) : writes, reads];
  }

  /**
   * lkmm: the choices of the spin_trylock at thread t's pc, in order: take the lock (1 when its
   * newest store is free and spin_lock could run: an RMW reading the newest), read one of the
   * lock-held stores the CPU may read now (a failure), leave that read outstanding (a failure whose
   * read is satisfied later: it has no ordering, so later accesses may go first).
   */
  private trylockPlan(s: Int32Array, t: number): [take: number, held: number, defer: number] {
    const L = this.layout;
    const loc = this.accessLoc(s, t);
    const nl = this.lqCount(s, t);
    const ns = this.sbCount(s, t);
    // Coherence: not past an outstanding read of the lock; the read waits for loads before an smp_rmb().
    const defer = nl < L.lqCapacity[t] ? 1 : 0;
    if (defer === 0) this.met('loads', s, t, L.lqCapacity[t]);
    // After its own outstanding store to the lock (an unlock), its read comes after that store: it
    // can only be left outstanding (and so later accesses may still go first: a failure orders nothing).
    if (ns > 0 && prop.queuedStoreTo(this, s, t, ns, loc)) return [0, 0, defer];
    const readLock = nl > 0 && mem.lqHasLoc(this, s, t, loc);
    const rmb = nl > 0 && prop.olderEpochPending(this, s, t, nl, s[L.rmbEpoch(t)]);
    // Taking the lock writes it: not on a guess (as spin_lock); a failure only reads.
    const guessed = nl > 0 && this.ctrlMask(s, t, true) !== 0;
    const take = !readLock && !guessed && s[L.locSlot(loc)] === 0 && this.messageRoom(s, t, loc) && prop.spinLockReady(this, s, t, loc, ns, nl) ? 1 : 0;
    const held = readLock || rmb ? 0 : prop.heldOptions(this, s, t, loc);
    return [take, held, defer];
  }

  /**
   * lkmm: the choices of the folio_trylock() (trylock_page) at thread t's pc, a thread with relaxed
   * accesses (Layout.trylockRegs), in order: take the lock (1 when PG_locked is clear and the
   * acquire may run now: acquireReady); read one of the flags word's stores with PG_locked set that
   * the CPU may read now (a failure); leave that read outstanding (a failure whose read is
   * satisfied later, by a store with PG_locked set only: later accesses may go first). The kernel's
   * failure orders nothing: folio_trylock() (include/linux/pagemap.h, v6.6) is
   * test_and_set_bit_lock() (include/asm-generic/bitops/lock.h, v6.6), which returns at its
   * `READ_ONCE(*p) & mask` when the bit is set, before its atomic_long_fetch_or_acquire(): an
   * access in `R` with no ordering (not in Acquire: `po ; [Acquire]`, acq-po do not reach it), as
   * lock.cat's LF of a failed spin_trylock(). Only what depends on its value waits for it: a store
   * of its register or in a branch on it (ctrl), an access through it (addr). It reads at or after
   * its CPU's view (coherence: not past an outstanding load of the flags word, not before its CPU's
   * own outstanding store to it) and after the loads before an smp_rmb() (rmb).
   */
  private pageTrylockPlan(s: Int32Array, t: number): [take: number, held: number, defer: number] {
    const L = this.layout;
    const pc = this.pcOf(s, t);
    const at = pc * INSN_WIDTH;
    const nl = this.lqCount(s, t);
    const ns = this.sbCount(s, t);
    // Its page register waits for an outstanding load (addr); its result register for an
    // outstanding store that still reads it (the engine's: the register is not renamed).
    const loads = mem.pendingRegs(this, s, t);
    const stores = ns > 0 ? prop.queuedStoreRegs(this, s, t, ns) : 0;
    const touch = this.touch[t][pc];
    if ((touch & (loads | stores)) !== 0) {
      if ((touch & loads) === 0) this.ordered('sc-step', s, t);
      return [0, 0, 0];
    }
    const page = s[L.reg(t, this.codes[t][at + 1])];
    const loc = L.pageLoc(page, 1);
    const locked = (s[L.locSlot(loc)] & PageFlag.locked) !== 0;
    const take = !locked && (nl + ns === 0 || this.acquireReady(s, t, pc, nl, ns)) ? 1 : 0;
    if (!locked) this.staleLock(s, t, page);
    const defer = nl < L.lqCapacity[t] ? 1 : 0;
    if (defer === 0) this.met('loads', s, t, L.lqCapacity[t]);
    // After its own outstanding store to the flags word its read comes after that store (CoWR): it
    // can only be left outstanding (satisfied once the store has run).
    if (ns > 0 && prop.queuedStoreTo(this, s, t, ns, loc)) return [0, 0, defer];
    // Not before an outstanding load of the flags word (CoRR: satisfied after it), nor before the
    // loads an smp_rmb() orders first.
    const readFlags = nl > 0 && mem.lqHasLoc(this, s, t, loc);
    const rmb = nl > 0 && prop.olderEpochPending(this, s, t, nl, s[L.rmbEpoch(t)]);
    return [take, readFlags || rmb ? 0 : prop.heldOptions(this, s, t, loc), defer];
  }

  /** lkmm: folio_trylock() of the page in register `page` into `ok` by thread t, a thread with relaxed accesses: choice of pageTrylockPlan. */
  private pageTrylock(s: Int32Array, t: number, R: number, page: number, ok: number, choice: number): boolean {
    const [take, held] = this.pageTrylockPlan(s, t);
    if (choice < take) return lock.trylockPage(this, s, t, R, page, ok);
    const pi = s[R + page];
    const loc = this.layout.pageLoc(pi, 1);
    let good = true;
    if (s[this.layout.locSlot(loc)] & PageFlag.freed) good = this.fail(t, 'use-after-free', `trylock of freed page ${this.pageName(pi)}`);
    if (choice - take < held) prop.failedTrylock(this, s, t, ok, loc, choice - take);
    else prop.load(this, s, t, ok, loc, Ordering.plain, Number.MAX_SAFE_INTEGER, this.lqCount(s, t));
    return good;
  }

  /**
   * lkmm: a folio_trylock() of thread t finds page pi's lock word free (its newest store), and the
   * word keeps no older store with PG_locked set that t may read, while it lost one: the newest is a
   * folio_unlock() of another CPU that stayed an SC write (by a CPU without relaxed accesses, or
   * with no room left: unlockMessage), or a later SC write dropped the older stores
   * (lockWordsCollapse; Layout.unlockedBy says who). In the LKMM the trylock's READ_ONCE() may still
   * read such an older store, one its CPU's view allows (the unlock, a release, need not have
   * reached this CPU: it orders what precedes it, and reaches a CPU only through `prop`), so that
   * failure is not searched: record it (`lock-word`). The record does not ask whether this CPU has
   * seen the unlock (the engine keeps no view of an SC write): it is made wherever the failure could
   * have been missed, and more often.
   */
  private staleLock(s: Int32Array, t: number, pi: number, reg = -1): void {
    const L = this.layout;
    if (L.unlockedBy < 0) return;
    const by = s[L.unlockedBy + pi];
    if (by === 0 || by === t + 1) return;
    // (the flags word kept the locked store before the unlock for this CPU: the failure is searched)
    if (prop.heldOptions(this, s, t, L.pageLoc(pi, 1)) > 0) return;
    // (a read left outstanding: reported at the trylock that issued it, the one into its register
    // when the path has one such, else where the thread is)
    let at = -1;
    if (reg >= 0) {
      const code = this.codes[t];
      for (let pc = 0; pc < this.paths[t].length; pc++)
        if (code[pc * INSN_WIDTH] === OP.trylock_page && code[pc * INSN_WIDTH + 2] === reg) at = at === -1 ? pc : -2;
    }
    this.ordered('lock-word', s, t, Math.max(at, -1));
  }

  /**
   * lkmm (Layout.unlockedBy): an SC step of thread t other than a folio_trylock() reads the SC
   * state as it is now, the pages' lock words included: t's view of each is their newest store
   * from now on (coherence: no failed trylock of t reads an older one after it). Stronger than the
   * LKMM where the step does not read the word; a trylock that could then have failed on the
   * older state reports it (staleLock).
   */
  private seeLockWords(s: Int32Array, t: number, pc: number): void {
    const L = this.layout;
    for (let p = 0; p < this.world.pages.length; p++) {
      const loc = L.pageLoc(p, 1);
      const k = L.mlocOf[loc];
      if (k < 0 || s[L.view(t, k)] >= s[L.msgBase[k]]) continue;
      // (a store with PG_locked set a failed trylock of t could still have read: the engine's ordering)
      if (this.triesPages[t] === 1 && prop.heldOptions(this, s, t, loc) > ((s[L.locSlot(loc)] & PageFlag.locked) !== 0 ? 1 : 0))
        this.ordered('lock-word', s, t, pc);
      s[L.view(t, k)] = s[L.msgBase[k]];
    }
  }

  /**
   * lkmm (Layout.unlockedBy): the SC step thread t has just run wrote a page's lock word, which
   * keeps only the newest store from now on (collapseWritten), while a store with PG_locked set
   * older than it was still readable by some CPU: should the word be free now, a failed trylock
   * that could have read that store is not searched any more, and is reported (staleLock).
   */
  private lockWordsCollapse(s: Int32Array, t: number): void {
    const L = this.layout;
    for (let p = 0; p < this.world.pages.length; p++) {
      const loc = L.pageLoc(p, 1);
      const k = L.mlocOf[loc];
      if (k < 0 || s[L.locSlot(loc)] === this.newest[k] || (s[L.locSlot(loc)] & PageFlag.locked) !== 0 || s[L.unlockedBy + p] !== 0) continue;
      let held = (this.newest[k] & PageFlag.locked) !== 0;
      for (let i = 0; i < s[L.msgBase[k]] && !held; i++) held = (s[L.msg(k, i)] & PageFlag.locked) !== 0;
      if (held) s[L.unlockedBy + p] = t + 1;
    }
  }

  /**
   * lkmm: thread t, a thread with relaxed accesses, has just run folio_unlock() of page pi in a
   * world where a CPU with relaxed accesses tries a page lock (Layout.unlockedBy). The unlock is a
   * release RMW on the flags word (mm/filemap.c folio_unlock(), v6.6:
   * clear_bit_unlock_is_negative_byte(), an atomic_long_fetch_andnot_release() in
   * include/asm-generic/bitops/lock.h): rather than the SC write every CPU sees at once (which
   * drops the word's older stores: collapseWritten), it becomes the newest of the word's stores,
   * carrying what its CPU has seen (a release), and the locked store before it stays readable by
   * the CPUs whose view of the word is behind: a failed folio_trylock() of theirs may read it (the
   * unlock need not have reached them: it propagates through `prop` only). Not when the unlock
   * handed the lock over (the word is locked again in the same step) or the word has no room for
   * one more store: it stays SC there, and a trylock that could have failed on the older state
   * reports it (staleLock).
   */
  private unlockMessage(s: Int32Array, t: number, pi: number): void {
    const L = this.layout;
    const loc = L.pageLoc(pi, 1);
    const k = L.mlocOf[loc];
    if (L.unlockedBy < 0 || k < 0) return;
    const now = s[L.locSlot(loc)];
    const before = this.newest[k];
    if ((now & PageFlag.locked) !== 0 || now === before || s[L.msgBase[k]] >= L.msgCap[k]) return;
    s[L.locSlot(loc)] = before;
    prop.store(this, s, t, loc, now, Ordering.release, 0);
    // (collapseWritten: the word's newest store is this one, its older ones stay; a failure on the
    // older state is searched, not reported)
    this.newest[k] = now;
    s[L.unlockedBy + pi] = 0;
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

/**
 * Per pc, 1 if a relaxed access (a load, a store, a fence, a lock; not `observe` or `exit`, which
 * only record) may come after it before an SC step: what a wait at the pc holds up besides itself.
 */
function accessesFollow(p: LinkedPath): Uint8Array {
  const n = p.length;
  const succ = successors(p);
  const kind = (pc: number) => {
    const op = p.code[pc * INSN_WIDTH];
    // (an acquire need not wait for what precedes it: ACQUIRE_SC_OPS)
    if (op === OP.observe || op === OP.exit || !p.visible[pc] || ACQUIRE_SC_OPS.has(op)) return 'local';
    return RELAXED_OPS.has(op) ? 'access' : 'stop';
  };
  return Uint8Array.from({ length: n }, (_, pc) => (accessReached(succ, n, pc, kind) ? 1 : 0));
}

/** Whether a pc `kind` calls an access is reached from pc's successors through pcs it calls local only. */
function accessReached(succ: readonly (readonly number[])[], n: number, pc: number, kind: (v: number) => 'access' | 'local' | 'stop'): boolean {
  const seen = new Uint8Array(n);
  const stack = [...succ[pc]];
  while (stack.length > 0) {
    const v = stack.pop()!;
    if (v >= n || seen[v] === 1) continue;
    seen[v] = 1;
    const k = kind(v);
    if (k === 'access') return true;
    if (k === 'local') stack.push(...succ[v]);
  }
  return false;
}

/**
 * Per pc, 1 at a read-modify-write (rmw_var) after which a relaxed access may follow before the
 * next smp_mb(), SC step or end: the engine runs it at its pc, in one step, so what follows waits
 * for its read and its write where the LKMM lets a relaxed access after a relaxed or _release RMW
 * (or a failed cmpxchg()) go first. (A release store on the way does not stop the walk: the loads
 * after it are not ordered after the RMW.)
 */
function rmwFollows(p: LinkedPath): Uint8Array {
  const n = p.length;
  const succ = successors(p);
  const kind = (pc: number) => {
    const at = pc * INSN_WIDTH;
    const op = p.code[at];
    // (smp_mb(), and the barriers that are one: what follows waits for them anyway)
    if (op === OP.exit || op === OP.done || (op === OP.fence && p.code[at + 1] === 3) || op === OP.fence_after_spinlock || op === OP.synchronize_rcu)
      return 'stop';
    if (op === OP.observe || !p.visible[pc]) return 'local';
    if (LOAD_OPS.has(op) || STORE_OPS.has(op) || op === OP.spin_lock_var || op === OP.spin_trylock_var || op === OP.rmw_var) return 'access';
    return RELAXED_OPS.has(op) ? 'local' : 'stop';
  };
  return Uint8Array.from({ length: n }, (_, pc) => (p.code[pc * INSN_WIDTH] === OP.rmw_var && accessReached(succ, n, pc, kind) ? 1 : 0));
}

/**
 * Per pc, 1 at an SC step that holds back a relaxed access the LKMM would let go before it: a
 * load or a plain store that may follow it before the next SC step other than an acquire, or an
 * smp_mb() (what the engine orders after that next step anyway: it is reported on its own).
 * A release (RELEASE_SC_OPS) orders only what precedes it in the LKMM (`po-rel = [M] ; po ;
 * [Release]`; reported as `release`); the other SC steps are ONCE accesses or relaxed atomics
 * there (ptep_get(), set_pte_at(), folio_get()'s atomic_inc(); reported as `sc-step`; the fully
 * ordered RMWs, folio_put()'s atomic_dec_and_test(), are reported as any SC step, as for their
 * wait). A store after one may propagate first and a load after one may be satisfied first, but
 * the engine runs the step as one step that what follows waits for. An acquire (which waits for
 * nothing) and a start condition (which reads no memory) are no sites. An acquire on the way does
 * not stop the walk (one of another lock is not ordered after a release: `po ; [Acquire]` is not
 * in ppo, and the engine cannot tell statically that it takes the same lock), nor does a release
 * store (ordered after a release by po-rel, but the loads after it are not), smp_rmb() or
 * smp_wmb() (after a release's smp_wmb() only the loads count: the release's write is ordered
 * before the stores): the walk reports where the engine may be stronger, never less.
 */
function scStepFollows(p: LinkedPath): Uint8Array {
  const n = p.length;
  const out = new Uint8Array(n);
  const succ = successors(p);
  const releaseStore = (at: number) => {
    const op = p.code[at];
    if (op === OP.store) return p.code[at + 4] === Ordering.release;
    return (op === OP.store_var || op === OP.store_ptr) && p.code[at + 3] === Ordering.release;
  };
  const kind = (pc: number) => {
    const at = pc * INSN_WIDTH;
    const op = p.code[at];
    if (op === OP.exit || op === OP.done) return 'stop';
    if (op === OP.observe || !p.visible[pc] || ACQUIRE_SC_OPS.has(op)) return 'local';
    if (op === OP.fence) return p.code[at + 1] === 3 ? 'stop' : 'local';
    if ((LOAD_OPS.has(op) || STORE_OPS.has(op) || op === OP.spin_lock_var || op === OP.spin_trylock_var) && !releaseStore(at)) return 'access';
    return RELAXED_OPS.has(op) ? 'local' : 'stop';
  };
  for (let pc = 0; pc < n; pc++) {
    const op = p.code[pc * INSN_WIDTH];
    if (
      !p.visible[pc] ||
      RELAXED_OPS.has(op) ||
      ACQUIRE_SC_OPS.has(op) ||
      op === OP.observe ||
      op === OP.exit ||
      op === OP.done ||
      op === OP.wait_thread ||
      op === OP.wait_label
    )
      continue;
    // (past an smp_wmb() a store is ordered after a release, whose write is a write: `wmb`, W to W;
    // a load is not. Walked twice over: before and after such a barrier.)
    const release = RELEASE_SC_OPS.has(op);
    const seen = new Uint8Array(2 * n);
    const stack: number[] = succ[pc].map((v) => v * 2);
    while (stack.length > 0 && out[pc] === 0) {
      const e = stack.pop()!;
      const v = e >> 1;
      if (v >= n || seen[e] === 1) continue;
      seen[e] = 1;
      const at = v * INSN_WIDTH;
      const wmb = (e & 1) === 1 || (release && p.code[at] === OP.fence && p.code[at + 1] === 2) ? 1 : 0;
      let k = kind(v);
      if (k === 'access' && (e & 1) === 1 && STORE_OPS.has(p.code[at])) k = 'local';
      if (k === 'access') out[pc] = 1;
      else if (k === 'local') stack.push(...succ[v].map((w) => w * 2 + wmb));
    }
  }
  return out;
}

/** Per pc, the bit mask of the registers an atomic instruction uses as a page or a PTE. */
function dereferencedRegisters(p: LinkedPath): Int32Array {
  const out = new Int32Array(p.length);
  for (let pc = 0; pc < p.length; pc++) {
    const at = pc * INSN_WIDTH;
    const d = OPS[opNames[p.code[at]]];
    if (!d.visible) continue;
    d.operands.forEach((o, j) => {
      if ((o.kind === 'page' || o.kind === 'pte') && (o.access ?? 'read') === 'read') out[pc] |= 1 << p.code[at + 1 + j];
    });
  }
  return out;
}

/** Per pc, the bit mask of registers the instruction writes. */
function writtenRegisters(p: LinkedPath): Int32Array {
  const out = new Int32Array(p.length);
  for (let pc = 0; pc < p.length; pc++) {
    const at = pc * INSN_WIDTH;
    OPS[opNames[p.code[at]]].operands.forEach((o, j) => {
      if (o.kind !== 'imm' && o.kind !== 'label' && (o.access === 'write' || o.access === 'writeOnNext')) out[pc] |= 1 << p.code[at + 1 + j];
    });
  }
  return out;
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
