import {
  INSN_WIDTH,
  Layout,
  OP,
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

const MAPPING_WITH_CACHE = new Set(['file', 'shmem', 'swapcache'].map((m) => mappingKinds.indexOf(m as never)));
const DEVICE = mappingKinds.indexOf('device');
const MAX_LOCAL_RUN = 10_000;

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

  constructor(readonly world: World) {
    this.layout = new Layout(world);
    const linked = new Map(Object.entries(world.paths).map(([name, def]) => [name, linkPath(def)]));
    this.paths = world.threads.map((t) => {
      const p = linked.get(t.path);
      if (!p) throw new Error(`thread ${t.name}: no path '${t.path}'`);
      return p;
    });
    this.codes = this.paths.map((p) => p.code);
    this.visible = this.paths.map((p) => p.visible);
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

  /** Whether thread t can take a step: not finished, not sleeping, not spinning on a held lock. */
  isRunnable(s: Int32Array, t: number): boolean {
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

  /** How many different outcomes thread t's next step can have (rmap walk order, TLB eviction). */
  choiceCount(s: Int32Array, t: number): number {
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
        if ((s[p + PageField.flags] & PageFlag.locked) === 0) {
          s[p + PageField.flags] |= PageFlag.locked;
          s[p + PageField.owner] = t + 1;
          s[base + ThreadField.waitPage] = -1;
          s[base + ThreadField.waitFlags] = 0;
        } else {
          // Sleep as an exclusive waiter; the retry happens when an unlock wakes us.
          s[p + PageField.flags] |= PageFlag.waiters;
          s[base + ThreadField.waitPage] = s[R + a1];
          s[base + ThreadField.waitFlags] = WaitFlag.exclusive;
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
        if (s[p + PageField.flags] & PageFlag.waiters) {
          s[p + PageField.flags] &= ~PageFlag.waiters;
          this.wakeAll(s, pi);
        }
        break;
      }
      case OP.waitq_add:
      case OP.put_and_wait: {
        const pi = s[R + a1];
        const p = page(a1);
        if (s[p + PageField.flags] & PageFlag.freed) ok = this.fail(t, 'use-after-free', `queues on the wait queue of freed page ${this.pageName(pi)}`);
        if (ok && s[p + PageField.ref] === 0) ok = this.fail(t, 'waiter-ref', `queues as a waiter on ${this.pageName(pi)} whose refcount is 0`);
        s[p + PageField.flags] |= PageFlag.waiters;
        s[base + ThreadField.waitPage] = pi;
        s[base + ThreadField.waitFlags] = s[p + PageField.flags] & PageFlag.locked ? 0 : WaitFlag.woken;
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
        const p = page(a1);
        if ((s[p + PageField.flags] & PageFlag.freed) === 0) ok = this.fail(t, 'use-after-free', `allocates ${this.pageName(s[R + a1])}, which is not free`);
        s[p + PageField.flags] = 0;
        s[p + PageField.owner] = 0;
        s[p + PageField.ref] = 1;
        s[p + PageField.map] = 0;
        s[p + PageField.mapping] = 0;
        s[p + PageField.head] = s[R + a1];
        break;
      }
      case OP.migrate_mapping: {
        const src = page(a1);
        const dst = page(a2);
        s[dst + PageField.mapping] = s[src + PageField.mapping];
        if (MAPPING_WITH_CACHE.has(s[src + PageField.mapping])) s[dst + PageField.ref]++;
        break;
      }
      case OP.migrate_result:
        if (a2 === 2) ok = this.fail(t, 'migration-progress', `gave up migrating ${this.pageName(s[R + a1])}: every pass failed its refcount expectation`);
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
        if (s[page(a1) + PageField.map] > 0) ok = this.fail(t, 'split-unmapped', `VM_BUG_ON(folio_mapped(${this.pageName(s[R + a1])})) after unmap_folio`);
        break;
      case OP.load: {
        const p = page(a3);
        s[R + a1] = a2 === 0 ? s[p + PageField.head] : s[p + PageField.flags];
        break;
      }
      case OP.store: {
        const p = page(a2);
        if (a1 === 0) s[p + PageField.head] = s[R + a3];
        else s[p + PageField.flags] = s[R + a3];
        break;
      }
      case OP.fence:
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

  private wakeAll(s: Int32Array, pi: number): void {
    const L = this.layout;
    for (let th = 0; th < this.threadCount; th++) {
      const b = L.thread(th, 0);
      if (s[b + ThreadField.waitPage] === pi) s[b + ThreadField.waitFlags] |= WaitFlag.woken;
    }
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
    for (let n = 0; ; n++) {
      if (n > MAX_LOCAL_RUN) throw new Error(`thread ${this.world.threads[t].name}: a loop of local steps never reaches an atomic step`);
      if (visible[pc]) break;
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
    if (blocked < 0) return { outcome: 'completed', violation: null };
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

  stepLabel(s: Int32Array, t: number): string {
    return this.paths[t].def.steps[this.pcOf(s, t)]?.label ?? 'end';
  }
}
