import type { OpName } from './isa.js';
import type { PathDef, RegDecl, RegType, SourceRef, Step } from './program.js';

type Reg = string;
type Label = string;

/**
 * Writes a kernel path so that it reads like the C it models: one method per kernel action, named
 * after the kernel helper, with the step label first. `at()` sets the source reference that every
 * following step carries. Local control flow takes an optional label; one is generated otherwise.
 */
export class KernelPath {
  private readonly steps: Step[] = [];
  private src: SourceRef = { file: '?', fn: '?', version: '?' };
  private auto = 0;

  constructor(
    readonly name: string,
    readonly title: string,
    private readonly regs: Record<string, RegType>,
  ) {}

  at(file: string, fn: string, version: string): this {
    this.src = { file, fn, version };
    return this;
  }

  build(): PathDef {
    const regs: RegDecl[] = Object.entries(this.regs).map(([name, type]) => ({ name, type }));
    return { name: this.name, title: this.title, regs, steps: [...this.steps] };
  }

  /** Splice another builder's steps (a shared subroutine such as remove_migration_ptes) inline. */
  inline(fragment: (k: this) => void): this {
    fragment(this);
    return this;
  }

  private emit(label: string | null, op: OpName, ...args: (string | number)[]): this {
    this.steps.push({ label: label ?? `${this.src.fn}~${this.auto++}`, op, args, src: this.src });
    return this;
  }

  // control flow
  /** A join point that jumps can name (`out_unlock:` in the C). */
  nop = (l: Label) => this.emit(l, 'nop');
  mov = (r: Reg, v: number, l: Label | null = null) => this.emit(l, 'mov', r, v);
  copy = (dst: Reg, src: Reg, l: Label | null = null) => this.emit(l, 'copy', dst, src);
  swap = (a: Reg, b: Reg, l: Label | null = null) => this.emit(l, 'swap', a, b);
  add = (r: Reg, v: number, l: Label | null = null) => this.emit(l, 'add', r, v);
  goto = (target: Label, l: Label | null = null) => this.emit(l, 'jmp', target);
  beq = (r: Reg, v: number, target: Label, l: Label | null = null) => this.emit(l, 'beq', r, v, target);
  bne = (r: Reg, v: number, target: Label, l: Label | null = null) => this.emit(l, 'bne', r, v, target);
  blt = (r: Reg, v: number, target: Label, l: Label | null = null) => this.emit(l, 'blt', r, v, target);
  bkind = (pteval: Reg, mask: number, target: Label, l: Label | null = null) => this.emit(l, 'bkind', pteval, mask, target);
  bsame = (a: Reg, b: Reg, target: Label, l: Label | null = null) => this.emit(l, 'bsame', a, b, target);
  bpfn = (pteval: Reg, page: Reg, target: Label, l: Label | null = null) => this.emit(l, 'bpfn', pteval, page, target);
  pfn = (page: Reg, pteval: Reg, l: Label | null = null) => this.emit(l, 'pfn', page, pteval);
  call = (target: Label, l: Label | null = null) => this.emit(l, 'call', target);
  ret = (l: Label | null = null) => this.emit(l, 'ret');
  done = (l: Label | null = null) => this.emit(l, 'done');

  // page lock
  folio_trylock = (l: Label, page: Reg, ok: Reg) => this.emit(l, 'trylock_page', page, ok);
  folio_lock = (l: Label, page: Reg) => this.emit(l, 'lock_page', page);
  folio_unlock = (l: Label, page: Reg) => this.emit(l, 'unlock_page', page);
  folio_wait_queue_add = (l: Label, page: Reg) => this.emit(l, 'waitq_add', page);
  put_and_wait_on_page_locked = (l: Label, page: Reg) => this.emit(l, 'put_and_wait', page);
  io_schedule = (l: Label) => this.emit(l, 'sleep');

  // PTL and PTEs
  spin_lock_ptl = (l: Label, pte: Reg) => this.emit(l, 'ptl_lock', pte);
  spin_unlock_ptl = (l: Label, pte: Reg) => this.emit(l, 'ptl_unlock', pte);
  ptep_get = (l: Label, pte: Reg, out: Reg) => this.emit(l, 'pte_read', pte, out);
  ptep_get_lockless = (l: Label, pte: Reg, out: Reg) => this.emit(l, 'pte_read_lockless', pte, out);
  user_access = (l: Label, pte: Reg, out: Reg) => this.emit(l, 'hw_access', pte, out);
  ptep_get_and_clear = (l: Label, pte: Reg, out: Reg) => this.emit(l, 'pte_clear', pte, out);
  flush_tlb_page = (l: Label, pte: Reg) => this.emit(l, 'tlb_flush', pte);
  set_pte_migration = (l: Label, pte: Reg, page: Reg, old: Reg) => this.emit(l, 'set_migration_pte', pte, page, old);
  set_pte_present = (l: Label, pte: Reg, page: Reg, entry: Reg) => this.emit(l, 'set_present_pte', pte, page, entry);
  move_pte = (l: Label, from: Reg, to: Reg) => this.emit(l, 'pte_move', from, to);
  /** copy_pte_range (fork): the child's PTE becomes the parent's value as it is. */
  copy_pte = (l: Label, from: Reg, to: Reg) => this.emit(l, 'pte_copy', from, to);
  /** try_to_unmap_flush(): the one flush after a TTU_BATCH_FLUSH batch. */
  try_to_unmap_flush = (l: Label) => this.emit(l, 'tlb_flush_batched');
  /** page_folio / compound_head: the head of the page in `page`, into `head`. */
  compound_head = (l: Label, head: Reg, page: Reg) => this.emit(l, 'compound_head', head, page);

  // references and rmap
  folio_get = (l: Label, page: Reg) => this.emit(l, 'get_page', page);
  folio_put = (l: Label, page: Reg) => this.emit(l, 'put_page', page);
  folio_try_get = (l: Label, page: Reg, ok: Reg) => this.emit(l, 'try_get_page', page, ok);
  folio_ref_check = (l: Label, page: Reg, extra: number, ok: Reg) => this.emit(l, 'ref_check', page, extra, ok);
  folio_ref_freeze = (l: Label, page: Reg, extra: number, ok: Reg) => this.emit(l, 'ref_freeze', page, extra, ok);
  folio_ref_unfreeze = (l: Label, page: Reg, minus: number) => this.emit(l, 'ref_unfreeze', page, minus);
  folio_add_rmap = (l: Label, page: Reg) => this.emit(l, 'rmap_add', page);
  folio_remove_rmap_pte = (l: Label, page: Reg) => this.emit(l, 'rmap_remove', page);
  folio_mapped = (l: Label, page: Reg, out: Reg) => this.emit(l, 'page_mapped', page, out);
  rmap_lock = (l: Label, page: Reg, write: boolean) => this.emit(l, 'rmap_lock', page, write ? 1 : 0);
  rmap_unlock = (l: Label, page: Reg, write: boolean) => this.emit(l, 'rmap_unlock', page, write ? 1 : 0);
  rmap_walk_next = (l: Label, page: Reg, visited: Reg, vma: Reg, pte: Reg, whenDone: Label, flags = 0) =>
    this.emit(l, 'rmap_next', page, visited, vma, pte, whenDone, flags);
  vma_set = (l: Label, vma: number, field: number, value: number) => this.emit(l, 'vma_set', vma, field, value);

  // migration bookkeeping
  get_new_page = (l: Label, dst: Reg, src: Reg) => this.emit(l, 'alloc_page', dst, src);
  folio_migrate_mapping = (l: Label, src: Reg, dst: Reg) => this.emit(l, 'migrate_mapping', src, dst);
  migrate_result = (l: Label, page: Reg, result: 0 | 1 | 2 | 3) => this.emit(l, 'migrate_result', page, result);

  // assertions
  check_locked = (l: Label, pteval: Reg) => this.emit(l, 'check_locked', pteval);
  vm_bug_on_folio_mapped = (l: Label, page: Reg) => this.emit(l, 'vm_bug_on_mapped', page);

  // relaxed memory
  load = (l: Label, out: Reg, field: number, page: Reg, ordering = 0) => this.emit(l, 'load', out, field, page, ordering);
  store = (l: Label, field: number, page: Reg, value: Reg, ordering = 0) => this.emit(l, 'store', field, page, value, ordering);
  fence = (l: Label, kind: number) => this.emit(l, 'fence', kind);
  check_locked_loaded = (l: Label, pteval: Reg, flags: Reg) => this.emit(l, 'check_locked_loaded', pteval, flags);
  smp_rmb = (l: Label) => this.emit(l, 'fence', 1);
  smp_wmb = (l: Label) => this.emit(l, 'fence', 2);
  smp_mb = (l: Label) => this.emit(l, 'fence', 3);

  // litmus variables (by index into the world's litmus.vars)
  READ_ONCE = (l: Label, out: Reg, v: number) => this.emit(l, 'load_var', out, v, 0);
  smp_load_acquire = (l: Label, out: Reg, v: number) => this.emit(l, 'load_var', out, v, 1);
  WRITE_ONCE = (l: Label, v: number, value: Reg) => this.emit(l, 'store_var', v, value, 0);
  smp_store_release = (l: Label, v: number, value: Reg) => this.emit(l, 'store_var', v, value, 1);
  /** spin_lock on litmus variable v (lock.cat: an acquire RMW); spin_unlock is a release store of 0 to it. */
  spin_lock = (l: Label, v: number) => this.emit(l, 'spin_lock_var', v);
  spin_unlock = (l: Label, v: number, zero: Reg) => this.emit(l, 'store_var', v, zero, 1);
  /** smp_mb__after_spinlock() right after spin_lock: a full barrier there (linux-kernel.cat `mb`, After-spinlock). */
  smp_mb__after_spinlock = (l: Label) => this.emit(l, 'fence_after_spinlock');
  /** READ_ONCE(*ptr) / smp_load_acquire(ptr) through a register holding a pointer (litmusPointer): an address dependency. */
  READ_ONCE_PTR = (l: Label, out: Reg, ptr: Reg) => this.emit(l, 'load_ptr', out, ptr, 0);
  smp_load_acquire_ptr = (l: Label, out: Reg, ptr: Reg) => this.emit(l, 'load_ptr', out, ptr, 1);
  /** WRITE_ONCE(*ptr, value) / smp_store_release(ptr, value) through a register holding a pointer (litmusPointer): an address dependency. */
  WRITE_ONCE_PTR = (l: Label, ptr: Reg, value: Reg) => this.emit(l, 'store_ptr', ptr, value, 0);
  smp_store_release_ptr = (l: Label, ptr: Reg, value: Reg) => this.emit(l, 'store_ptr', ptr, value, 1);
  /** r := spin_trylock on litmus variable v: 1 with the lock taken (as spin_lock), 0 having read it held (lock.cat LF). */
  spin_trylock = (l: Label, out: Reg, v: number) => this.emit(l, 'spin_trylock_var', out, v);
  /** smp_mb__after_unlock_lock() (linux-kernel.cat `mb`, After-unlock-lock). */
  smp_mb__after_unlock_lock = (l: Label) => this.emit(l, 'fence_after_unlock_lock');
  /** r := a read-modify-write of litmus variable v (RmwKind, RmwOrdering): xchg(), cmpxchg(), the atomic_*() families. */
  rmw = (l: Label, out: Reg, v: number, operand: Reg, expected: Reg, kind: number, ordering: number) =>
    this.emit(l, 'rmw_var', out, v, operand, expected, kind, ordering);
  /** rcu_read_lock(), rcu_read_unlock(), synchronize_rcu() (a grace period) in a litmus test. */
  rcu_read_lock = (l: Label) => this.emit(l, 'rcu_read_lock');
  rcu_read_unlock = (l: Label) => this.emit(l, 'rcu_read_unlock');
  synchronize_rcu = (l: Label) => this.emit(l, 'synchronize_rcu');
  /** Record a register for the test's final condition (herd's `exists (1:r0=1 ...)`). */
  observe = (l: Label, result: number, reg: Reg) => this.emit(l, 'observe', result, reg);
}
