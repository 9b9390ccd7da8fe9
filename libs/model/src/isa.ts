// The instruction set: atomic kernel actions plus thread-local control flow.
//
// One *visible* instruction is one atomic step of the simulation: everything between two visible
// instructions of different threads can interleave. Local instructions (register moves, branches,
// calls) touch only the thread's own registers, so the runtime runs them eagerly after a visible
// one instead of making them scheduling points.

/** What an argument of an instruction names. */
export type ArgKind =
  | 'reg' // a register of the thread, by name
  | 'label' // a step label of the same path (jump target)
  | 'imm'; // an integer constant

export interface OpSpec {
  readonly args: readonly ArgKind[];
  readonly visible: boolean;
  readonly doc: string;
}

const local = (args: ArgKind[], doc: string): OpSpec => ({ args, visible: false, doc });
const atomic = (args: ArgKind[], doc: string): OpSpec => ({ args, visible: true, doc });

export const OPS = {
  // -- thread-local control flow ---------------------------------------------------------
  nop: local([], 'a join point that jumps can name'),
  mov: local(['reg', 'imm'], 'r := imm'),
  copy: local(['reg', 'reg'], 'r0 := r1'),
  swap: local(['reg', 'reg'], 'exchange r0 and r1'),
  add: local(['reg', 'imm'], 'r := r + imm'),
  jmp: local(['label'], 'jump'),
  beq: local(['reg', 'imm', 'label'], 'jump if r == imm'),
  bne: local(['reg', 'imm', 'label'], 'jump if r != imm'),
  blt: local(['reg', 'imm', 'label'], 'jump if r < imm'),
  bkind: local(['reg', 'imm', 'label'], 'jump if the PTE value in r has a kind in the bit mask imm (1 << PteKind)'),
  bsame: local(['reg', 'reg', 'label'], 'jump if r0 == r1'),
  bpfn: local(['reg', 'reg', 'label'], 'jump if the PTE value in r0 does not map the page in r1'),
  pfn: local(['reg', 'reg'], 'r0 := page of the PTE value in r1 (pfn_swap_entry_to_page without the check)'),
  call: local(['label'], 'call a subroutine of the same path'),
  ret: local([], 'return from a subroutine'),
  done: local([], 'the thread has finished'),

  // -- page lock (PG_locked and the hashed wait queue) -------------------------------------
  trylock_page: atomic(['reg', 'reg'], 'folio_trylock: r1 := 1 and take PG_locked if clear, else r1 := 0'),
  lock_page: atomic(['reg'], 'folio_lock: take PG_locked, or sleep as an exclusive waiter and retry when woken'),
  unlock_page: atomic(['reg'], 'folio_unlock: clear PG_locked and wake the waiters if PG_waiters was set'),
  waitq_add: atomic(['reg'], 'queue a shared PG_locked waiter and set PG_waiters; already WOKEN if the page is unlocked'),
  put_and_wait: atomic(['reg'], 'put_and_wait_on_page_locked: queue a shared waiter and drop the temporary reference'),
  sleep: atomic([], 'io_schedule until the wait entry is WOKEN'),

  // -- page-table lock and PTEs ---------------------------------------------------------------
  ptl_lock: atomic(['reg'], 'spin_lock(ptl) of the page table holding the PTE (spins while held)'),
  ptl_unlock: atomic(['reg'], 'spin_unlock(ptl)'),
  pte_read: atomic(['reg', 'reg'], 'r1 := *pte, read under the PTL'),
  pte_read_lockless: atomic(['reg', 'reg'], 'r1 := *pte without the PTL (handle_pte_fault orig_pte, GUP-fast)'),
  hw_access: atomic(['reg', 'reg'], 'a user access: a TLB hit returns the cached translation, else a lockless walk'),
  pte_clear: atomic(['reg', 'reg'], 'ptep_get_and_clear: r1 := *pte; *pte := none (needs the PTL)'),
  tlb_flush: atomic(['reg'], 'flush_tlb_page: drop every cached translation of the PTE'),
  set_migration_pte: atomic(['reg', 'reg', 'reg'], 'set_pte_at(migration entry of page r1, built from old PTE r2)'),
  set_present_pte: atomic(['reg', 'reg', 'reg'], 'set_pte_at(present PTE of page r1, built from migration entry r2)'),
  pte_move: atomic(['reg', 'reg'], 'move_ptes: ptep_get_and_clear(old) then set_pte_at(new), both PTLs held'),

  // -- references, mapcount, rmap -----------------------------------------------------------------
  get_page: atomic(['reg'], 'folio_get: ref++'),
  put_page: atomic(['reg'], 'folio_put: ref--, the page is freed at 0'),
  try_get_page: atomic(['reg', 'reg'], 'folio_try_get / get_page_unless_zero: r1 := 0 if ref is 0 or frozen'),
  ref_check: atomic(['reg', 'imm', 'reg'], 'anon move_to_new_page: r2 := (ref == folio_expected_refs + imm)'),
  ref_freeze: atomic(['reg', 'imm', 'reg'], 'folio_ref_freeze(expected + imm): r2 := 1 and ref := 0 if it matched'),
  ref_unfreeze: atomic(['reg', 'imm'], 'folio_ref_unfreeze(frozen count - imm)'),
  rmap_add: atomic(['reg'], 'page_add_anon_rmap / page_add_file_rmap: map++'),
  rmap_remove: atomic(['reg'], 'folio_remove_rmap_pte: map--'),
  page_mapped: atomic(['reg', 'reg'], 'r1 := folio_mapped(page)'),
  rmap_lock: atomic(['reg', 'imm'], 'anon_vma / i_mmap rwsem of the page: imm 0 = read, 1 = write'),
  rmap_unlock: atomic(['reg', 'imm'], 'release the rmap lock taken with the same mode'),
  rmap_next: atomic(
    ['reg', 'reg', 'reg', 'reg', 'label', 'imm'],
    'one rmap_walk step over page r0: next VMA not in the visited set r1 -> r2, its PTE at vma_address -> r3 (-1 if none); jump when done. imm bits: 1 skip temporary-stack VMAs, 2 also walk the nonlinear list',
  ),
  vma_set: atomic(['imm', 'imm', 'imm'], 'VMA imm0 field imm1 := imm2 (0 start, 1 pgoff, 2 flags)'),

  // -- migration bookkeeping --------------------------------------------------------------------------
  alloc_page: atomic(['reg', 'reg'], 'get_new_page: a fresh locked-free page r0 with ref 1, the mapping kind of r1 unset'),
  migrate_mapping: atomic(['reg', 'reg'], 'folio_migrate_mapping/copy: dst r1 takes mapping and index of src r0'),
  migrate_result: atomic(['reg', 'imm'], 'record the outcome of one migration attempt of the page: 1 moved, 0 -EAGAIN, 2 gave up after the kernel\'s 10 passes, 3 stopped at a scenario pass bound below 10'),

  // -- assertions -----------------------------------------------------------------------------------------
  check_locked: atomic(['reg'], 'BUG_ON(is_migration_entry(e) && !PageLocked(head)) in pfn_swap_entry_to_page'),
  vm_bug_on_mapped: atomic(['reg'], 'the split asserts the page is unmapped after its unmap walk: VM_BUG_ON_PAGE(!unmap_success) in unmap_page (v5.12), VM_WARN_ON_ONCE_PAGE(page_mapped) later'),

  // -- relaxed memory (fields that the memory model may reorder) ---------------------------------
  load: atomic(['reg', 'imm', 'reg', 'imm'], 'r0 := field imm1 of page r2 with ordering imm3 (0 plain/once, 1 acquire)'),
  store: atomic(['imm', 'reg', 'reg', 'imm'], 'field imm0 of page r1 := r2 with ordering imm3 (0 plain/once, 1 release)'),
  fence: atomic(['imm'], 'smp_rmb (1), smp_wmb (2), smp_mb (3)'),
  check_locked_loaded: atomic(['reg', 'reg'], 'BUG_ON on a migration entry r0 given the flags word r1 that this thread loaded'),

  // -- litmus tests and weak-memory bookkeeping (appended: existing opcode numbers stay) ------------
  load_var: atomic(['reg', 'imm', 'imm'], 'r0 := litmus variable imm1 with ordering imm2 (0 READ_ONCE, 1 smp_load_acquire)'),
  store_var: atomic(['imm', 'reg', 'imm'], 'litmus variable imm0 := r1 with ordering imm2 (0 WRITE_ONCE, 1 smp_store_release)'),
  observe: atomic(['imm', 'reg'], "record r1 as litmus result imm0 for the test's final condition (bookkeeping, not a memory access)"),
  exit: atomic([], 'the end of a thread that has a store buffer (tso, lkmm): it finishes once the buffer has drained'),

  // -- issue 19: the kernel's own semantics and the missing families (appended) -------------------------
  compound_head: atomic(['reg', 'reg'], 'r0 := compound_head(page r1) (page_folio): the head a tail belongs to, the page itself otherwise'),
  tlb_flush_batched: atomic([], 'try_to_unmap_flush: flush every translation whose flush TTU_BATCH_FLUSH deferred (every CPU, every PTE)'),
  pte_copy: atomic(
    ['reg', 'reg'],
    'copy_pte_range: PTE r1 := PTE r0 as it is, both PTLs held; a migration entry is copied as one (copy_nonpresent_pte), a present PTE takes a reference and a mapcount (copy_present_pte)',
  ),
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
export const fenceNames: Readonly<Record<number, string>> = { 1: 'smp_rmb', 2: 'smp_wmb', 3: 'smp_mb' };

/** Ops that go through the memory model (the rest of the state is sequentially consistent). */
export const RELAXED_LOADS: readonly OpName[] = ['load', 'load_var'];
export const RELAXED_STORES: readonly OpName[] = ['store', 'store_var'];
export const RmapWalk = { skipTempStack: 1, nonlinear: 2 } as const;
export const VmaField = { start: 0, pgoff: 1, flags: 2 } as const;
export const VmaFlag = { inInterval: 1, tempStack: 2, nonlinear: 4 } as const;
