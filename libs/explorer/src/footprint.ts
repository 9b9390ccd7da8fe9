import { INSN_WIDTH, OP, PageField, invariantBit, type LinkedPath } from '@mmreplay/model';
import type { Machine } from '@mmreplay/engine';

// What an atomic step reads and writes, by class of shared state. Two steps are dependent when one
// writes a class the other reads or writes; they commute otherwise. Classes are coarse on purpose
// (all PTEs are one class, all page lock bits another): a coarse footprint can only make the
// reduction explore more, never less.

export const R = {
  pte: 1 << 0,
  ptl: 1 << 1,
  lock: 1 << 2, // PG_locked, owner, PG_waiters, compound head
  free: 1 << 3, // the freed state of a page
  count: 1 << 4, // refcount, mapcount, frozen count, mapping
  vma: 1 << 5,
  tlb: 1 << 6,
  rmapLock: 1 << 7,
  wait: 1 << 8, // wait-queue entries (the sleeper's own, and the waker's view of all)
  mem: 1 << 9, // relaxed memory: litmus variables, store buffers and outstanding loads (docs/memory-model.md)
} as const;

export interface Footprint {
  readonly read: number;
  readonly write: number;
}

export const conflicts = (a: Footprint, b: Footprint): boolean => (a.write & (b.read | b.write)) !== 0 || (b.write & a.read) !== 0;

const NONE: Footprint = { read: 0, write: 0 };

/** Footprints of each opcode in one world (they depend on which invariant checks read what). */
export function opFootprints(m: Machine): Footprint[] {
  const enabled = (name: Parameters<typeof invariantBit>[0]) => (m.enabled & invariantBit(name)) !== 0;
  const tlb = m.layout.hasTlb ? R.tlb : 0;
  const f: Footprint[] = [];
  const set = (op: number, read: number, write: number) => (f[op] = { read, write });
  set(OP.trylock_page, R.lock | R.free, R.lock);
  set(OP.lock_page, R.lock | R.free | R.wait, R.lock | R.wait);
  set(OP.unlock_page, R.lock | R.wait | (enabled('I6') ? R.pte : 0), R.lock | R.wait);
  set(OP.waitq_add, R.lock | R.free | R.wait | (enabled('waiter-ref') ? R.pte | R.ptl | R.lock : 0), R.lock | R.wait);
  set(OP.put_and_wait, R.lock | R.free | R.wait | R.count, R.lock | R.wait | R.count | R.free);
  set(OP.sleep, R.wait, R.wait);
  set(OP.ptl_lock, R.ptl, R.ptl);
  set(OP.ptl_unlock, R.ptl, R.ptl);
  set(OP.pte_read, R.pte, 0);
  set(OP.pte_read_lockless, R.pte, 0);
  set(OP.hw_access, R.pte | tlb, tlb);
  set(OP.pte_clear, R.pte | R.ptl, R.pte);
  set(OP.tlb_flush, 0, tlb);
  set(OP.set_migration_pte, R.ptl | (enabled('I7') ? R.lock : 0), R.pte);
  set(OP.set_present_pte, R.ptl | R.count, R.pte);
  set(OP.pte_move, R.ptl | R.pte | tlb, R.pte | tlb);
  set(OP.get_page, R.free, R.count);
  set(OP.put_page, R.count | R.lock, R.count | R.free);
  set(OP.try_get_page, R.count | R.free, R.count);
  set(OP.ref_check, R.count, 0);
  set(OP.ref_freeze, R.count, R.count);
  set(OP.ref_unfreeze, R.count, R.count);
  set(OP.rmap_add, 0, R.count);
  set(OP.rmap_remove, R.count, R.count);
  set(OP.page_mapped, R.count, 0);
  set(OP.rmap_lock, R.rmapLock, R.rmapLock);
  set(OP.rmap_unlock, R.rmapLock, R.rmapLock);
  set(OP.rmap_next, R.vma, 0);
  set(OP.vma_set, 0, R.vma);
  set(OP.alloc_page, R.free, R.lock | R.free | R.count);
  set(OP.migrate_mapping, R.count, R.count);
  set(OP.migrate_result, 0, 0);
  set(OP.check_locked, R.lock | R.free, 0);
  set(OP.vm_bug_on_mapped, R.count, 0);
  set(OP.load, R.lock, 0);
  set(OP.store, 0, R.lock);
  set(OP.fence, 0, 0);
  set(OP.check_locked_loaded, 0, 0);
  set(OP.load_var, R.mem, 0);
  set(OP.store_var, 0, R.mem);
  set(OP.observe, 0, R.mem);
  set(OP.exit, 0, 0);
  set(OP.compound_head, R.lock, 0);
  set(OP.tlb_flush_batched, 0, tlb);
  set(OP.pte_copy, R.ptl | R.pte, R.pte | R.count);
  if (m.weak) {
    // Under tso/lkmm a thread's store buffer may flush, and its outstanding loads be satisfied, at
    // any of its steps (they are choices of its own), and its relaxed accesses read and write that
    // state: all of it is one class, read and written by every relaxed access, by `exit` (which
    // every thread with such state reaches), and by spin_lock of a PTL, where futures computed up
    // to the next PTL acquisition stop (a thread spinning there can still flush). The current step
    // of a thread with stores or loads in flight gets the class too (nextFootprint).
    const relaxed = R.lock | R.mem;
    for (const op of [OP.load, OP.store, OP.fence, OP.load_var, OP.store_var, OP.observe, OP.exit]) set(op, relaxed, relaxed);
    set(OP.ptl_lock, R.ptl | relaxed, R.ptl | relaxed);
  }
  return f;
}

/**
 * For every pc of a path, the union of the footprints of every atomic step reachable from it
 * (itself included): all a thread standing there may still do. With `untilPtlLock`, reachability
 * stops at a spin_lock of a PTL: what the thread may do before it next takes a page-table lock.
 */
export function futureFootprints(path: LinkedPath, ops: Footprint[], untilPtlLock = false): Footprint[] {
  const n = path.length;
  const code = path.code;
  const succ: number[][] = [];
  for (let pc = 0; pc < n; pc++) {
    const at = pc * INSN_WIDTH;
    const op = code[at];
    const next = pc + 1 < n ? [pc + 1] : [];
    if (op === OP.done) succ.push([]);
    else if (op === OP.jmp) succ.push([code[at + 1]]);
    else if (op === OP.beq || op === OP.bne || op === OP.blt || op === OP.bkind || op === OP.bsame || op === OP.bpfn) succ.push([...next, code[at + 3]]);
    else if (op === OP.rmap_next) succ.push([...next, code[at + 5]]);
    else if (op === OP.call) succ.push([...next, code[at + 1]]);
    // `ret` can return anywhere a call returns to: every instruction, to stay sound.
    else if (op === OP.ret) succ.push(Array.from({ length: n }, (_, i) => i));
    else succ.push(next);
  }
  const read = new Int32Array(n);
  const write = new Int32Array(n);
  for (let pc = 0; pc < n; pc++) {
    if (!path.visible[pc]) continue;
    const f = ops[code[pc * INSN_WIDTH]] ?? NONE;
    read[pc] = f.read;
    write[pc] = f.write;
  }
  // Backward fixpoint: a pc's future is itself plus its successors' futures.
  for (let changed = true; changed; ) {
    changed = false;
    for (let pc = n - 1; pc >= 0; pc--) {
      let r = read[pc];
      let w = write[pc];
      if (untilPtlLock && code[pc * INSN_WIDTH] === OP.ptl_lock) continue;
      for (const s of succ[pc]) {
        r |= read[s];
        w |= write[s];
      }
      if (r !== read[pc] || w !== write[pc]) {
        read[pc] = r;
        write[pc] = w;
        changed = true;
      }
    }
  }
  return Array.from({ length: n }, (_, pc) => ({ read: read[pc], write: write[pc] }));
}

/** The footprint of thread t's next step in state s: the static one, narrowed where the state decides. */
export function nextFootprint(m: Machine, ops: Footprint[], s: Int32Array, t: number): Footprint {
  const code = m.paths[t].code;
  const at = m.pcOf(s, t) * INSN_WIDTH;
  const op = code[at];
  if (m.hasPendingMemory(s, t)) {
    // Its step may be a flush or a late load instead, and an SC step first drains and satisfies.
    const f = ops[op] ?? NONE;
    return { read: f.read | R.lock | R.mem, write: f.write | R.lock | R.mem };
  }
  if (op === OP.put_page) {
    // A put that does not drop the last reference frees nothing.
    const page = s[m.layout.reg(t, code[at + 1])];
    if (s[m.layout.page(page, PageField.ref)] > 1) return { read: R.count, write: R.count };
  }
  return ops[op] ?? NONE;
}
