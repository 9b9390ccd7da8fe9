// The instruction set: atomic kernel actions plus thread-local control flow.
//
// One *visible* instruction is one atomic step of the simulation: everything between two visible
// instructions of different threads can interleave. Local instructions (register moves, branches,
// calls) touch only the thread's own registers, so the runtime runs them eagerly after a visible
// one instead of making them scheduling points.

import { argKind, type ArgKind, type OpDecl, type OperandDecl, type OperandKind, type RegAccess } from './op-decl.js';

/** Kept for callers that only need the linking view of an op. */
export interface OpSpec extends OpDecl {
  readonly args: readonly ArgKind[];
  readonly doc: string;
}

// Operand shorthands: a register of a kind, read unless an access is given.
const reg = (name: string, kind: OperandKind, access: RegAccess = 'read'): OperandDecl => ({ name, kind, access });
const out = (name: string, kind: OperandKind): OperandDecl => ({ name, kind, access: 'write' });
const imm = (name: string): OperandDecl => ({ name, kind: 'imm' });
/** an immediate that is a value of register operand i */
const value = (i: number, as: 'equal' | 'order' | 'offset' = 'equal'): OperandDecl => ({ name: 'value', kind: 'imm', valueFor: { of: i, as } });
/** a register of any type that must have the type of register operand i */
const like = (name: string, i: number, access: RegAccess = 'read'): OperandDecl => ({ name, kind: 'reg', access, sameTypeAs: i });
const label = (name = 'target'): OperandDecl => ({ name, kind: 'label' });
const page = reg('page', 'page');
const pte = reg('pte', 'pte');

const decl = (d: Omit<OpDecl, 'visible'>, visible: boolean): OpSpec => ({ ...d, visible, args: d.operands.map(argKind) });
const local = (d: Omit<OpDecl, 'visible'>): OpSpec => decl(d, false);
const atomic = (d: Omit<OpDecl, 'visible'>): OpSpec => decl(d, true);
const DEFAULT_TRACE = '{op}({args})';

export const OPS = {
  // -- thread-local control flow ---------------------------------------------------------
  nop: local({ operands: [], doc: 'a join point that jumps can name' }),
  mov: local({ operands: [out('r', 'reg'), value(0)], doc: 'r := imm' }),
  copy: local({ operands: [out('dst', 'reg'), like('src', 0)], doc: 'r0 := r1' }),
  swap: local({ operands: [reg('a', 'reg', 'update'), like('b', 0, 'update')], doc: 'exchange r0 and r1' }),
  add: local({ operands: [reg('r', 'reg', 'update'), value(0, 'offset')], doc: 'r := r + imm' }),
  jmp: local({ operands: [label()], flow: 'jump', doc: 'jump' }),
  beq: local({ operands: [reg('r', 'reg'), value(0), label()], flow: 'branch', doc: 'jump if r == imm' }),
  bne: local({ operands: [reg('r', 'reg'), value(0), label()], flow: 'branch', doc: 'jump if r != imm' }),
  blt: local({ operands: [reg('r', 'reg'), value(0, 'order'), label()], flow: 'branch', doc: 'jump if r < imm' }),
  bkind: local({
    operands: [reg('pteval', 'pteval'), imm('kinds'), label()],
    flow: 'branch',
    doc: 'jump if the PTE value in r has a kind in the bit mask imm (1 << PteKind)',
  }),
  bsame: local({ operands: [reg('a', 'reg'), like('b', 0), label()], flow: 'branch', doc: 'jump if r0 == r1' }),
  bpfn: local({ operands: [reg('pteval', 'pteval'), page, label()], flow: 'branch', doc: 'jump if the PTE value in r0 does not map the page in r1' }),
  pfn: local({ operands: [out('page', 'page'), reg('pteval', 'pteval')], doc: 'r0 := page of the PTE value in r1 (pfn_swap_entry_to_page without the check)' }),
  call: local({ operands: [label()], flow: 'call', doc: 'call a subroutine of the same path' }),
  ret: local({ operands: [], flow: 'ret', doc: 'return from a subroutine' }),
  done: local({ operands: [], flow: 'end', doc: 'the thread has finished' }),

  // -- page lock (PG_locked and the hashed wait queue) -------------------------------------
  trylock_page: atomic({
    operands: [page, out('ok', 'int')],
    reads: ['lock', 'free'],
    writes: ['lock'],
    event: { when: 'page-locked', then: 'PageLocked', otherwise: 'PageTrylockFailed' },
    trace: { cases: [[{ kind: 'PageLocked' }, '{0} locked (trylock)']], otherwise: '{0} trylock failed' },
    doc: 'folio_trylock: r1 := 1 and take PG_locked if clear, else r1 := 0',
  }),
  lock_page: atomic({
    operands: [page],
    reads: ['lock', 'free', 'wait'],
    writes: ['lock', 'wait'],
    mustWrite: ['lock', 'wait'],
    event: { when: 'page-locked', then: 'PageLocked', otherwise: 'LockWaitQueued' },
    trace: { cases: [[{ kind: 'PageLocked' }, '{0} locked']], otherwise: '{0} contended: sleeps' },
    doc: 'folio_lock: take PG_locked, or sleep as an exclusive waiter at the tail of the queue until an unlock hands the lock over',
  }),
  unlock_page: atomic({
    operands: [page],
    reads: ['lock', 'wait'],
    readsIf: { I6: ['pte'] },
    writes: ['lock', 'wait'],
    mustWrite: ['lock'],
    event: 'PageUnlocked',
    trace: '{0} unlocked{woken}',
    doc: 'folio_unlock: clear PG_locked; if PG_waiters, wake shared waiters in FIFO order up to the first exclusive one and hand it the lock (folio_wake_bit)',
  }),
  waitq_add: atomic({
    operands: [page],
    reads: ['lock', 'free', 'wait'],
    // ffa65753c431: a waiter without a reference must hold the PTL of an entry that pins the page
    // (the entry's PTE, its PTL, and the compound head a tail entry names)
    readsIf: { 'waiter-ref': ['pte', 'ptl', 'lock'] },
    writes: ['lock', 'wait'],
    mustWrite: ['lock', 'wait'],
    event: 'WaiterQueued',
    trace: 'waits on {0}{already}',
    doc: 'queue a shared PG_locked waiter at the tail of the FIFO queue and set PG_waiters; already WOKEN if the page is unlocked',
  }),
  put_and_wait: atomic({
    operands: [page],
    reads: ['lock', 'free', 'wait', 'count'],
    writes: ['lock', 'wait', 'count', 'free'],
    mustWrite: ['lock', 'wait', 'count'],
    event: 'WaiterQueuedRefDropped',
    trace: 'put and wait on {0}{ref:0}',
    doc: 'put_and_wait_on_page_locked: queue a shared waiter and drop the temporary reference',
  }),
  sleep: atomic({
    operands: [],
    reads: ['wait'],
    writes: ['wait'],
    mustWrite: ['wait'],
    event: 'ThreadWoke',
    trace: 'woken',
    doc: 'io_schedule until the wait entry is WOKEN',
  }),

  // -- page-table lock and PTEs ---------------------------------------------------------------
  ptl_lock: atomic({
    operands: [pte],
    reads: ['ptl'],
    writes: ['ptl'],
    mustWrite: ['ptl'],
    spinsOnPtl: true,
    event: 'PtlAcquired',
    trace: '{ptl} locked [{0}]',
    doc: 'spin_lock(ptl) of the page table holding the PTE (spins while held)',
  }),
  ptl_unlock: atomic({
    operands: [pte],
    reads: ['ptl'],
    writes: ['ptl'],
    mustWrite: ['ptl'],
    event: 'PtlReleased',
    trace: '{ptl} unlocked',
    doc: 'spin_unlock(ptl)',
  }),
  pte_read: atomic({ operands: [pte, out('value', 'pteval')], reads: ['pte'], event: 'PteRead', trace: '{0} = {1}', doc: 'r1 := *pte, read under the PTL' }),
  pte_read_lockless: atomic({
    operands: [pte, out('value', 'pteval')],
    reads: ['pte'],
    event: 'PteReadLockless',
    trace: '{0} = {1} (lockless)',
    doc: 'r1 := *pte without the PTL (handle_pte_fault orig_pte, GUP-fast)',
  }),
  hw_access: atomic({
    operands: [pte, out('value', 'pteval')],
    reads: ['pte', 'tlb'],
    writes: ['tlb'],
    event: 'UserAccess',
    trace: 'access {0} -> {1}',
    doc: 'a user access: a TLB hit returns the cached translation, else a lockless walk',
  }),
  pte_clear: atomic({
    operands: [pte, out('old', 'pteval')],
    reads: ['pte', 'ptl'],
    writes: ['pte'],
    mustWrite: ['pte'],
    event: 'PteCleared',
    trace: '{0} cleared (was {1})',
    doc: 'ptep_get_and_clear: r1 := *pte; *pte := none (needs the PTL)',
  }),
  tlb_flush: atomic({
    operands: [pte],
    writes: ['tlb'],
    mustWrite: ['tlb'],
    event: 'TlbFlushed',
    trace: 'flush TLB of {0}',
    doc: 'flush_tlb_page: drop every cached translation of the PTE',
  }),
  set_migration_pte: atomic({
    operands: [pte, page, reg('old', 'pteval')],
    reads: ['ptl'],
    readsIf: { I7: ['lock'] },
    writes: ['pte'],
    mustWrite: ['pte'],
    event: 'MigrationEntryInstalled',
    trace: '{0} := {pte}',
    doc: 'set_pte_at(migration entry of page r1, built from old PTE r2)',
  }),
  set_present_pte: atomic({
    operands: [pte, page, reg('entry', 'pteval')],
    reads: ['ptl', 'count'],
    writes: ['pte'],
    mustWrite: ['pte'],
    event: 'MigrationEntryRemoved',
    trace: '{0} := {pte}',
    doc: 'set_pte_at(present PTE of page r1, built from migration entry r2)',
  }),
  pte_move: atomic({
    operands: [reg('from', 'pte'), reg('to', 'pte')],
    reads: ['ptl', 'pte', 'tlb'],
    writes: ['pte', 'tlb'],
    mustWrite: ['pte', 'tlb'],
    event: 'PteMoved',
    trace: '{0} moved to {1}',
    doc: 'move_ptes: ptep_get_and_clear(old) then set_pte_at(new), both PTLs held',
  }),

  // -- references, mapcount, rmap -----------------------------------------------------------------
  get_page: atomic({
    operands: [page],
    reads: ['free'],
    writes: ['count'],
    mustWrite: ['count'],
    event: 'RefTaken',
    trace: 'get {0}{ref:0}',
    doc: 'folio_get: ref++',
  }),
  put_page: atomic({
    operands: [page],
    reads: ['count', 'lock'],
    writes: ['count', 'free'],
    mustWrite: ['count'],
    notLastRef: { reads: ['count'], writes: ['count'] },
    event: 'RefDropped',
    trace: 'put {0}{ref:0}{freed:0}',
    doc: 'folio_put: ref--, the page is freed at 0',
  }),
  try_get_page: atomic({
    operands: [page, out('ok', 'int')],
    reads: ['count', 'free'],
    writes: ['count'],
    event: 'RefTryGet',
    trace: 'try_get {0}: {1?ok|failed}{ref:0}',
    doc: 'folio_try_get / get_page_unless_zero: r1 := 0 if ref is 0 or frozen',
  }),
  ref_check: atomic({
    operands: [page, imm('extra'), out('ok', 'int')],
    reads: ['count'],
    event: 'RefcountChecked',
    trace: 'refcount of {0} {1?as expected|unexpected: -EAGAIN}',
    doc: 'anon move_to_new_page: r2 := (ref == folio_expected_refs + imm)',
  }),
  ref_freeze: atomic({
    operands: [page, imm('extra'), out('ok', 'int')],
    reads: ['count'],
    writes: ['count'],
    event: { when: 'ref-frozen', then: 'RefFrozen', otherwise: 'RefFreezeFailed' },
    trace: { cases: [[{ kind: 'RefFrozen' }, '{0} refcount frozen']], otherwise: '{0} freeze failed: -EAGAIN' },
    doc: 'folio_ref_freeze(expected + imm): r2 := 1 and ref := 0 if it matched',
  }),
  ref_unfreeze: atomic({
    operands: [page, imm('minus')],
    reads: ['count'],
    writes: ['count'],
    mustWrite: ['count'],
    event: 'RefUnfrozen',
    trace: '{0} unfrozen{ref:0}',
    doc: 'folio_ref_unfreeze(frozen count - imm)',
  }),
  rmap_add: atomic({
    operands: [page],
    writes: ['count'],
    mustWrite: ['count'],
    event: 'RmapAdded',
    trace: '{0} mapcount {map:0}',
    doc: 'page_add_anon_rmap / page_add_file_rmap: map++',
  }),
  rmap_remove: atomic({
    operands: [page],
    reads: ['count'],
    writes: ['count'],
    mustWrite: ['count'],
    event: 'RmapRemoved',
    trace: '{0} mapcount {map:0}',
    doc: 'folio_remove_rmap_pte: map--',
  }),
  page_mapped: atomic({
    operands: [page, out('mapped', 'int')],
    reads: ['count'],
    event: 'MapcountRead',
    trace: '{0} mapped: {1?yes|no}',
    doc: 'r1 := folio_mapped(page)',
  }),
  rmap_lock: atomic({
    operands: [page, imm('write')],
    reads: ['rmapLock'],
    writes: ['rmapLock'],
    mustWrite: ['rmapLock'],
    event: 'RmapLocked',
    trace: 'rmap locked',
    doc: 'anon_vma / i_mmap rwsem of the page: imm 0 = read, 1 = write',
  }),
  rmap_unlock: atomic({
    operands: [page, imm('write')],
    reads: ['rmapLock'],
    writes: ['rmapLock'],
    mustWrite: ['rmapLock'],
    event: 'RmapUnlocked',
    trace: 'rmap unlocked',
    doc: 'release the rmap lock taken with the same mode',
  }),
  rmap_next: atomic({
    operands: [page, reg('visited', 'vmaset', 'readMayWrite'), reg('vma', 'vma', 'writeOnNext'), reg('pte', 'pte', 'writeOnNext'), label('done'), imm('flags')],
    flow: 'branch',
    reads: ['vma'],
    event: 'RmapWalkStep',
    trace: { cases: [[{ registersWritten: true }, 'walk -> {2} ({3})']], otherwise: 'walk done' },
    doc: 'one rmap_walk step over page r0: next VMA not in the visited set r1 -> r2, its PTE at vma_address -> r3 (-1 if none); jump when done, leaving r2 and r3 as they were. imm bits: 1 skip temporary-stack VMAs, 2 also walk the nonlinear list',
  }),
  vma_set: atomic({
    operands: [{ name: 'vma', kind: 'imm', names: 'vma' }, imm('field'), imm('value')],
    writes: ['vma'],
    mustWrite: ['vma'],
    event: 'VmaUpdated',
    trace: DEFAULT_TRACE,
    doc: 'VMA imm0 field imm1 := imm2 (0 start, 1 pgoff, 2 flags)',
  }),

  // -- migration bookkeeping --------------------------------------------------------------------------
  alloc_page: atomic({
    // get_new_page hands out some free page of the world's pool (the one r0 names when it is free),
    // so r0 is read and rewritten; none free is -ENOMEM (r0 := -1) and writes no page state.
    operands: [reg('dst', 'page', 'update'), reg('src', 'page')],
    reads: ['free'],
    writes: ['lock', 'free', 'count'],
    event: 'PageAllocated',
    trace: 'new page {0}',
    doc: 'get_new_page: r0 := a free page of the pool (r0 itself if free, else the lowest free one, -1 if none) made locked-free with ref 1, the mapping kind of r1 unset',
  }),
  migrate_mapping: atomic({
    operands: [reg('src', 'page'), reg('dst', 'page')],
    reads: ['count'],
    writes: ['count'],
    mustWrite: ['count'],
    event: 'MappingMigrated',
    trace: 'mapping {0} -> {1}',
    doc: 'folio_migrate_mapping/copy: dst r1 takes mapping and index of src r0 (a device-private source gives an anon page: migrate_to_ram)',
  }),
  migrate_result: atomic({
    operands: [page, imm('result')],
    event: 'MigrationAttempted',
    trace: {
      cases: [
        [{ label: 'give_up' }, 'gives up'],
        [{ label: 'migrated' }, 'migrated'],
      ],
      otherwise: '-EAGAIN',
    },
    doc: "record the outcome of one migration attempt of the page: 1 moved, 0 -EAGAIN, 2 gave up after the kernel's 10 passes, 3 stopped at a scenario pass bound below 10",
  }),

  // -- assertions -----------------------------------------------------------------------------------------
  check_locked: atomic({
    operands: [reg('entry', 'pteval')],
    reads: ['lock', 'free'],
    event: 'BugOnChecked',
    trace: { cases: [[{ migrationEntry: 0 }, 'BUG_ON(!PageLocked({entryPage:0}))?']], otherwise: '{0}: no check' },
    doc: 'BUG_ON(is_migration_entry(e) && !PageLocked(head)) in pfn_swap_entry_to_page',
  }),
  vm_bug_on_mapped: atomic({
    operands: [page],
    reads: ['count'],
    event: 'VmBugOnChecked',
    trace: 'VM_BUG_ON_PAGE(!unmap_success, {0})',
    doc: 'the split asserts the page is unmapped after its unmap walk: VM_BUG_ON_PAGE(!unmap_success) in unmap_page (v5.12), VM_WARN_ON_ONCE_PAGE(page_mapped) later',
  }),

  // -- relaxed memory (fields that the memory model may reorder) ---------------------------------
  load: atomic({
    operands: [out('value', 'reg'), imm('field'), page, imm('ordering')],
    // the flags word holds PG_frozen and the freed state too: a load of it reads them
    reads: ['lock', 'free', 'count'],
    relaxed: 'load',
    event: 'Loaded',
    trace: DEFAULT_TRACE,
    doc: 'r0 := field imm1 of page r2 with ordering imm3 (0 plain/once, 1 acquire)',
  }),
  store: atomic({
    operands: [imm('field'), page, reg('value', 'reg'), imm('ordering')],
    // a store of the whole flags word writes PG_frozen and the freed state too
    writes: ['lock', 'free', 'count'],
    relaxed: 'store',
    event: 'Stored',
    trace: DEFAULT_TRACE,
    doc: 'field imm0 of page r1 := r2 with ordering imm3 (0 plain/once, 1 release)',
  }),
  fence: atomic({ operands: [imm('kind')], relaxed: 'other', event: 'Fence', trace: DEFAULT_TRACE, doc: 'smp_rmb (1), smp_wmb (2), smp_mb (3)' }),
  check_locked_loaded: atomic({
    operands: [reg('entry', 'pteval'), reg('flags', 'reg')],
    event: 'BugOnChecked',
    trace: { cases: [[{ migrationEntry: 0 }, 'BUG_ON(!PageLocked({entryPage:0}))?']], otherwise: '{0}: no check' },
    doc: 'BUG_ON on a migration entry r0 given the flags word r1 that this thread loaded',
  }),

  // -- litmus tests and weak-memory bookkeeping (appended: existing opcode numbers stay) ------------
  load_var: atomic({
    operands: [out('value', 'reg'), imm('var'), imm('ordering')],
    reads: ['mem'],
    relaxed: 'load',
    event: 'Loaded',
    trace: DEFAULT_TRACE,
    doc: 'r0 := litmus variable imm1 with ordering imm2 (0 READ_ONCE, 1 smp_load_acquire)',
  }),
  store_var: atomic({
    operands: [imm('var'), reg('value', 'reg'), imm('ordering')],
    writes: ['mem'],
    relaxed: 'store',
    event: 'Stored',
    trace: DEFAULT_TRACE,
    doc: 'litmus variable imm0 := r1 with ordering imm2 (0 WRITE_ONCE, 1 smp_store_release)',
  }),
  observe: atomic({
    operands: [imm('result'), reg('value', 'reg')],
    writes: ['mem'],
    mustWrite: ['mem'],
    relaxed: 'other',
    event: 'Observed',
    trace: DEFAULT_TRACE,
    doc: "record r1 as litmus result imm0 for the test's final condition (bookkeeping, not a memory access)",
  }),
  exit: atomic({
    operands: [],
    relaxed: 'other',
    event: 'ThreadExited',
    trace: DEFAULT_TRACE,
    doc: 'the end of a thread that has a store buffer (tso, lkmm): it finishes once the buffer has drained',
  }),

  // -- issue 19: the kernel's own semantics and the missing families (appended) -------------------------
  compound_head: atomic({
    operands: [out('head', 'page'), page],
    reads: ['lock'],
    event: 'CompoundHeadRead',
    trace: 'compound_head -> {0}',
    doc: 'r0 := compound_head(page r1) (page_folio): the head a tail belongs to, the page itself otherwise',
  }),
  tlb_flush_batched: atomic({
    operands: [],
    writes: ['tlb'],
    mustWrite: ['tlb'],
    event: 'TlbFlushed',
    trace: 'try_to_unmap_flush: flush the batched TLB entries',
    doc: 'try_to_unmap_flush: flush every translation whose flush TTU_BATCH_FLUSH deferred (every CPU, every PTE)',
  }),
  pte_copy: atomic({
    operands: [reg('from', 'pte'), reg('to', 'pte')],
    reads: ['ptl', 'pte'],
    // a present PTE's page takes a reference and a mapcount; a migration entry is copied as it is
    writes: ['pte', 'count'],
    mustWrite: ['pte'],
    event: 'PteCopied',
    trace: '{1} := {pte} (copied from {0})',
    doc: 'copy_pte_range: PTE r1 := PTE r0 as it is, both PTLs held; a migration entry is copied as one (copy_nonpresent_pte), a present PTE takes a reference and a mapcount (copy_present_pte)',
  }),

  // -- issue 13: scenario documents (appended) ------------------------------------------------------------
  wait_thread: atomic({
    // Enabled once thread imm0 has finished (its status is no longer running): a start condition
    // of a scenario document ("the child faults after fork returns"). Finishing is for good, so
    // the step commutes with every other once enabled and reads no shared class.
    operands: [{ name: 'thread', kind: 'imm', names: 'thread' }],
    event: 'ThreadStarted',
    trace: 'starts: the thread it waits for has finished',
    doc: 'wait until thread imm0 has finished, then go on (a start condition: the thread starts after another one)',
  }),
  wait_label: atomic({
    // Enabled once thread imm0 has reached its step imm1 (a step index of that thread's path): its
    // pc is at a step every path to which passes imm1 (reachedRegion in program.ts). The loader
    // accepts only a label the thread cannot leave that region from, so reaching it is for good:
    // like wait_thread, the step commutes with every other once enabled and reads no shared class.
    operands: [
      { name: 'thread', kind: 'imm', names: 'thread' },
      { name: 'step', kind: 'imm' },
    ],
    event: 'ThreadStarted',
    trace: 'starts: the thread it waits for has reached its label',
    doc: 'wait until thread imm0 has reached its step imm1, then go on (a start condition: the thread starts after another one reached a label)',
  }),

  // -- issue 16: spinlocks in litmus tests (appended) --------------------------------------------------
  spin_lock_var: atomic({
    // lock.cat: the lock read (LKR, an acquire) and the lock write (LKW) of one RMW pair, on a litmus
    // variable used as a spinlock (0 free, 1 held); it spins while the lock is held. spin_unlock is
    // a release store of 0 to the variable (store_var, ordering 1).
    operands: [imm('var')],
    reads: ['mem'],
    writes: ['mem'],
    mustWrite: ['mem'],
    relaxed: 'other',
    event: 'SpinLocked',
    trace: DEFAULT_TRACE,
    doc: 'spin_lock on litmus variable imm0: wait until it is 0, then read it (acquire) and write 1 in one atomic step',
  }),

  // -- issue 16: smp_mb__after_spinlock in litmus tests (appended) -------------------------------------
  fence_after_spinlock: atomic({
    // include/linux/spinlock.h smp_mb__after_spinlock() (v6.6): "a full barrier" after a lock
    // acquisition. linux-kernel.def maps it to __fence{after-spinlock}; linux-kernel.cat puts
    // `[M] ; po? ; [LKW] ; fencerel(After-spinlock) ; [M]` in `mb`: what precedes a lock write, the
    // lock itself included, before what follows the barrier. Litmus tests get it only right after
    // spin_lock (engine-world.ts), where that is exactly smp_mb(); its semantics are the fence's (kind 4).
    operands: [],
    relaxed: 'other',
    event: 'Fence',
    trace: DEFAULT_TRACE,
    doc: 'smp_mb__after_spinlock() right after spin_lock: a full barrier (what precedes the lock write, the lock included, before what follows)',
  }),

  // -- issue 16: pointers in litmus tests (appended) ------------------------------------------------
  load_ptr: atomic({
    // include/asm-generic/rwonce.h READ_ONCE() (v6.6) through a pointer a load produced:
    // `r1 = READ_ONCE(*r0)`, `r1 = *r0`, and rcu_dereference()'s pointee (include/linux/rcupdate.h
    // rcu_dereference() is READ_ONCE() in the LKMM: linux-kernel.def maps it to __load{once}).
    // linux-kernel.cat: `addr` is in `ppo` (to-r); only this access waits for the load of r1.
    operands: [out('value', 'reg'), reg('pointer', 'int'), imm('ordering')],
    reads: ['mem'],
    relaxed: 'load',
    event: 'Loaded',
    trace: DEFAULT_TRACE,
    doc: 'r0 := the litmus variable register r1 points to (litmusPointer), with ordering imm2 (0 READ_ONCE, 1 smp_load_acquire): an address dependency on the load of r1',
  }),

  // -- issue 16: spin_trylock in litmus tests (appended) -------------------------------------------------
  spin_trylock_var: atomic({
    // include/linux/spinlock.h spin_trylock() (v6.6) -> raw_spin_trylock -> queued_spin_trylock()
    // (include/asm-generic/qspinlock.h: atomic_read, then atomic_try_cmpxchg_acquire if it read 0):
    // 1 with the lock taken, else 0. lock.cat: a success is the LKR (acquire) + LKW pair of
    // spin_lock; a failure is an LF event, a read with no ordering of a lock write (LKW) of another
    // CPU, or of the CPU's own inside its critical section. The engine's lkmm makes it a choice:
    // take the lock (when its newest store is free), read a lock-held store now, or leave that read
    // outstanding (satisfied later by a lock-held store only); r0 is 1 on success, 0 on failure.
    operands: [out('ok', 'int'), imm('var')],
    reads: ['mem'],
    writes: ['mem'],
    relaxed: 'other',
    event: 'SpinTrylock',
    trace: DEFAULT_TRACE,
    doc: 'spin_trylock on litmus variable imm1: r0 := 1 and take the lock (acquire RMW, as spin_lock), or r0 := 0 having read a lock-held store (no ordering)',
  }),

  // -- issue 16: smp_mb__after_unlock_lock in litmus tests (appended) -----------------------------------
  fence_after_unlock_lock: atomic({
    // include/linux/rcupdate.h smp_mb__after_unlock_lock() (v6.6): with the lock acquisition before
    // it, the unlock that acquisition follows acts as a full barrier. linux-kernel.def maps it to
    // __fence{after-unlock-lock}; linux-kernel.cat puts `[M] ; po-unlock-lock-po ;
    // [After-unlock-lock] ; po ; [M]` in `mb`: what precedes an unlock (on this CPU, or on the CPU
    // whose unlock a lock read of this CPU read) is strongly ordered before what follows the barrier.
    operands: [],
    relaxed: 'other',
    event: 'Fence',
    trace: DEFAULT_TRACE,
    doc: 'smp_mb__after_unlock_lock(): what preceded the unlocks the earlier lock acquisitions of this thread follow reaches every CPU (a strong fence from there to what follows)',
  }),

  // -- issue 16: stores through a pointer in litmus tests (appended) --------------------------------------
  store_ptr: atomic({
    // include/asm-generic/rwonce.h WRITE_ONCE() (v6.6) and include/asm-generic/barrier.h
    // smp_store_release() through a pointer a load produced: `WRITE_ONCE(*r0, v)`, `*r0 = v`,
    // `smp_store_release(r0, v)`. linux-kernel.cat: `addr` is in `ppo` (to-w: rwdep), so the store
    // comes after the load of r0 (no speculative stores), and only it: later accesses may go first,
    // except to a location r0 may name (coherence), unless the load of r0 is asked for another address.
    operands: [reg('pointer', 'int'), reg('value', 'reg'), imm('ordering')],
    writes: ['mem'],
    relaxed: 'store',
    event: 'Stored',
    trace: DEFAULT_TRACE,
    doc: 'the litmus variable register r0 points to (litmusPointer) := r1 with ordering imm2 (0 WRITE_ONCE, 1 smp_store_release): an address dependency on the load of r0',
  }),

  // -- issue 16: read-modify-writes in litmus tests (appended) ----------------------------------------
  rmw_var: atomic({
    // include/linux/atomic/atomic-instrumented.h (v6.6): xchg(), cmpxchg() and the atomic_*()
    // families. linux-kernel.def maps each to a read and a write linked by `rmw` (nothing comes
    // between them in the location's coherence order: linux-kernel.bell's atomicity), with the
    // ordering of its suffix: none = {mb} (an smp_mb() before and after, as herd7 builds it),
    // _relaxed, _acquire (the read), _release (the write); atomic_inc() and the other non-returning
    // ones are relaxed. A failed cmpxchg() is a plain read (acquire for _acquire), with no write and
    // no barrier. Semantics: rmwApply (this file) and the engine's memory model.
    operands: [out('result', 'reg'), imm('var'), reg('operand', 'reg'), reg('expected', 'reg'), imm('kind'), imm('ordering')],
    reads: ['mem'],
    writes: ['mem'],
    relaxed: 'other',
    event: 'AtomicRmw',
    trace: DEFAULT_TRACE,
    doc: 'r0 := a read-modify-write of litmus variable imm1 (kind imm4, RmwKind: xchg / add / cmpxchg against r3, the result the old or new value or a test of it) with operand r2, ordered as imm5 (RmwOrdering: relaxed, acquire, release, mb)',
  }),

  // -- issue 16: RCU in litmus tests (appended) ------------------------------------------------------
  rcu_read_lock: atomic({
    // include/linux/rcupdate.h rcu_read_lock() (v6.6): the start of a read-side critical section
    // (linux-kernel.def: __fence{rcu-lock}). It orders no access (a compiler barrier): a grace
    // period that starts while the section is open waits for its end (synchronize_rcu).
    operands: [],
    reads: ['mem'],
    writes: ['mem'],
    mustWrite: ['mem'],
    relaxed: 'other',
    event: 'RcuReadLock',
    trace: 'rcu_read_lock()',
    doc: 'rcu_read_lock(): enter an RCU read-side critical section (nested ones count)',
  }),
  rcu_read_unlock: atomic({
    // include/linux/rcupdate.h rcu_read_unlock() (v6.6; __fence{rcu-unlock}): the end of the
    // outermost one ends the section once the accesses before it are done.
    operands: [],
    reads: ['mem'],
    writes: ['mem'],
    mustWrite: ['mem'],
    relaxed: 'other',
    event: 'RcuReadUnlock',
    trace: 'rcu_read_unlock()',
    doc: 'rcu_read_unlock(): leave an RCU read-side critical section; the outermost ends it once the accesses before it are done',
  }),
  synchronize_rcu: atomic({
    // kernel/rcu/tree.c synchronize_rcu() (v6.6; linux-kernel.def __fence{sync-rcu}, a grace period:
    // linux-kernel.cat `gp`, in strong-fence, and rcu-order). Two steps at one pc: the start (a
    // full barrier, noting the critical sections open then), and the end once each of them has
    // ended, with what they saw and wrote reaching every CPU (a full barrier after).
    operands: [],
    reads: ['mem'],
    writes: ['mem'],
    mustWrite: ['mem'],
    relaxed: 'other',
    event: 'GracePeriod',
    trace: 'synchronize_rcu()',
    doc: 'synchronize_rcu(): start a grace period (a full barrier), then wait until every RCU read-side critical section open at its start has ended, and end it (a full barrier)',
  }),
} as const satisfies Record<string, OpSpec>;

export type OpName = keyof typeof OPS;
export const opNames = Object.keys(OPS) as OpName[];
export const isOpName = (s: string): s is OpName => Object.prototype.hasOwnProperty.call(OPS, s);

/** Numeric opcodes, in declaration order, for the interpreter's switch. */
export const OP: Record<OpName, number> = Object.fromEntries(opNames.map((n, i) => [n, i])) as Record<OpName, number>;

/** Bit mask for `bkind`. */
export const kindMask = (...kinds: number[]): number => kinds.reduce((m, k) => m | (1 << k), 0);

/** Fields that `load`/`store` address: the compound head pointer and the flags word of a page. */
export const MemField = { head: 0, flags: 1 } as const;
export const Ordering = { plain: 0, acquire: 1, release: 1 } as const;
export const Fence = { rmb: 1, wmb: 2, mb: 3 } as const;
/**
 * rmw_var's kind: the operation in the low two bits (xchg stores the operand; add adds it, or
 * subtracts it with `sub`; cmpxchg stores it if the old value equals the expected one), then what
 * the result register gets: the old value, the new one, whether the new one is 0 (the *_and_test
 * forms) or negative (atomic_add_negative()).
 */
export const RmwKind = { xchg: 0, add: 1, cmpxchg: 2, sub: 4, old: 0, new: 8, zero: 16, negative: 24 } as const;
/** rmw_var's ordering: the kernel name's suffix (_relaxed, _acquire, _release; none: mb). */
export const RmwOrdering = { relaxed: 0, acquire: 1, release: 2, mb: 3 } as const;

/** Whether `kind` and `ordering` are an rmw_var's (RmwKind, RmwOrdering). */
export const isRmwKind = (kind: number, ordering: number): boolean =>
  Number.isInteger(kind) &&
  kind >= 0 &&
  kind < 32 &&
  (kind & 3) !== 3 &&
  ((kind & 3) === RmwKind.add || (kind & RmwKind.sub) === 0) &&
  Number.isInteger(ordering) &&
  ordering >= 0 &&
  ordering <= 3;

/**
 * What an rmw_var of `kind` does to a location holding `old`: whether it writes (a cmpxchg whose
 * expected value differs does not), the value it writes, and what its result register gets.
 */
export function rmwApply(kind: number, old: number, operand: number, expected: number): { writes: boolean; next: number; result: number } {
  const op = kind & 3;
  const writes = op !== RmwKind.cmpxchg || old === expected;
  const next = !writes ? old : op === RmwKind.add ? ((kind & RmwKind.sub) !== 0 ? old - operand : old + operand) | 0 : operand;
  const shown = kind & 24;
  const result = shown === RmwKind.old ? old : shown === RmwKind.new ? next : shown === RmwKind.zero ? (next === 0 ? 1 : 0) : next < 0 ? 1 : 0;
  return { writes, next, result };
}

/**
 * A pointer to litmus variable v as a register or memory value (`int *p = &x;`): a value no litmus
 * constant takes (litmusEngineWorld refuses constants this large), so views can print it `&x`.
 */
export const LITMUS_POINTER = 0x40000000;
export const litmusPointer = (v: number): number => LITMUS_POINTER + v;
/** The litmus variable a value points to, or -1 when it is no pointer of a world with `nVars` variables. */
export const litmusPointee = (value: number, nVars: number): number =>
  value >= LITMUS_POINTER && value < LITMUS_POINTER + nVars ? value - LITMUS_POINTER : -1;
export const fenceNames: Readonly<Record<number, string>> = {
  1: 'smp_rmb',
  2: 'smp_wmb',
  3: 'smp_mb',
  4: 'smp_mb__after_spinlock',
  5: 'smp_mb__after_unlock_lock',
};

/** The declaration of an op, by name or opcode. */
export const opDecl = (op: OpName | number): OpSpec => OPS[typeof op === 'number' ? opNames[op] : op];

/** Ops that go through the memory model (the rest of the state is sequentially consistent). */
export const RELAXED_LOADS: readonly OpName[] = opNames.filter((n) => opDecl(n).relaxed === 'load');
export const RELAXED_STORES: readonly OpName[] = opNames.filter((n) => opDecl(n).relaxed === 'store');
export const RmapWalk = { skipTempStack: 1, nonlinear: 2 } as const;
export const VmaField = { start: 0, pgoff: 1, flags: 2 } as const;
export const VmaFlag = { inInterval: 1, tempStack: 2, nonlinear: 4 } as const;
