import { KernelPath } from '../builder.js';
import { KERNEL_MIGRATE_PASSES } from '../invariants.js';
import { kindMask, VmaField, VmaFlag } from '../isa.js';
import type { PathDef } from '../program.js';
import { PteKind } from '../pte.js';

/**
 * exec's shift_arg_pages (v5.15): vma_adjust moves the temporary stack VMA's start (step A), then
 * move_page_tables -> move_ptes moves the PTE from the old address to the new one under both PTLs
 * (step B). No rmap lock is taken: the migration walk is expected to skip temporary stacks.
 */
export function shiftArgPages(vma: number, newStart: number): PathDef {
  const k = new KernelPath('shift_arg_pages', 'exec: shift the temporary stack (v5.15 shift_arg_pages)', { from: 'pte', to: 'pte' });
  k.at('fs/exec.c', 'shift_arg_pages', 'v5.15');
  k.vma_set('X1.vma_adjust', vma, VmaField.start, newStart);
  k.at('mm/mremap.c', 'move_ptes', 'v5.15');
  k.spin_lock_ptl('X2.old_ptl', 'from');
  k.spin_lock_ptl('X2.new_ptl', 'to');
  k.move_pte('X2.move_pte', 'from', 'to');
  k.spin_unlock_ptl('X2.new_ptl_unlock', 'to');
  k.spin_unlock_ptl('X2.old_ptl_unlock', 'from');
  k.done('X3.done');
  return k.build();
}

/**
 * remap_file_pages (<= v3.x, mm/fremap.c): under the i_mmap lock, the VMA leaves the interval
 * tree for the i_mmap_nonlinear list.
 */
export function remapFilePages(vma: number): PathDef {
  const k = new KernelPath('remap_file_pages', 'remap_file_pages: make the VMA nonlinear (v3.15 mm/fremap.c)', { page: 'page' });
  k.at('mm/fremap.c', 'SYSCALL_DEFINE5(remap_file_pages)', 'v3.15');
  k.rmap_lock('N1.i_mmap_lock_write', 'page', true);
  k.vma_set('N2.vma_nonlinear', vma, VmaField.flags, VmaFlag.nonlinear);
  k.rmap_unlock('N3.i_mmap_unlock_write', 'page', true);
  k.done('N4.done');
  return k.build();
}

/**
 * A device-private fault (do_swap_page -> migrate_to_ram) where the faulting thread migrates the
 * page back to RAM itself (migrate_vma_setup / pages / finalize), reference §4 #10.
 * refFirst (before the fix): folio_get, then lock inside migrate_vma; with the fix the fault
 * trylocks the device page first and waits on the lock without a reference when it loses.
 */
export function deviceFault(refFirst: boolean, passes: number): PathDef {
  // Before the trylock fix (v6.14) or with it ("mm/migrate: Trylock device page in do_swap_page", v6.15).
  const v = refFirst ? 'v6.14' : 'v6.15';
  const k = new KernelPath('do_swap_page_device', `Device-private fault (${refFirst ? 'reference first' : 'trylock first'})`, {
    src: 'page',
    dst: 'page',
    target: 'page',
    fpte: 'pte',
    seen: 'vmaset',
    vma: 'vma',
    pte: 'pte',
    old: 'pteval',
    ok: 'int',
    pass: 'int',
  });
  k.at('mm/memory.c', 'do_swap_page', v);
  k.spin_lock_ptl('D1.pte_offset_map_lock', 'fpte');
  k.ptep_get('D1.ptep_get', 'fpte', 'old');
  k.bkind('old', kindMask(PteKind.devicePrivate), 'D2.device_private');
  k.bkind('old', kindMask(PteKind.migration), 'D1.migration_entry');
  k.spin_unlock_ptl('D1.unlock_done', 'fpte');
  k.done('D9.done');
  // Someone else is migrating the page: wait for its lock like migration_entry_wait does.
  k.at('mm/filemap.c', 'migration_entry_wait_on_locked', v);
  k.check_locked('D1.migration_entry', 'old');
  k.pfn('target', 'old');
  k.folio_wait_queue_add('D1.folio_set_waiters', 'target');
  k.spin_unlock_ptl('D1.spin_unlock_ptl', 'fpte');
  k.io_schedule('D1.io_schedule');
  k.goto('D1.pte_offset_map_lock');

  k.at('mm/memory.c', 'do_swap_page', v);
  // vmf->page = pfn_swap_entry_to_page(entry): the page the entry names now, not the one the fault began with.
  k.pfn('src', 'old', 'D2.device_private');
  if (refFirst) {
    k.folio_get('D2.get_page', 'src');
    k.spin_unlock_ptl('D2.pte_unmap_unlock', 'fpte');
    k.at('mm/migrate_device.c', 'migrate_vma_collect', v);
    k.folio_lock('D3.lock_page', 'src');
  } else {
    k.folio_trylock('D2.folio_trylock', 'src', 'ok');
    k.bne('ok', 0, 'D2.locked');
    // The loser waits for the lock holder without a reference (softleaf_entry_wait_on_locked).
    k.folio_wait_queue_add('D2.wait_on_locked', 'src');
    k.spin_unlock_ptl('D2.wait_unlock_ptl', 'fpte');
    k.io_schedule('D2.io_schedule');
    k.goto('D1.pte_offset_map_lock');
    k.folio_get('D2.locked', 'src');
    k.spin_unlock_ptl('D2.pte_unmap_unlock', 'fpte');
  }
  k.at('mm/migrate_device.c', 'migrate_vma_collect_pmd', v);
  k.mov('seen', 0, 'D4.collect');
  k.mov('ok', 0);
  k.rmap_walk_next('D4.rmap_walk', 'src', 'seen', 'vma', 'pte', 'D4.walk_done');
  k.beq('pte', -1, 'D4.rmap_walk');
  k.spin_lock_ptl('D4.ptl_lock', 'pte');
  k.ptep_get('D4.ptep_get', 'pte', 'old');
  k.bkind('old', ~kindMask(PteKind.devicePrivate), 'D4.next');
  k.bpfn('old', 'src', 'D4.next');
  k.ptep_get_and_clear('D4.ptep_get_and_clear', 'pte', 'old');
  k.set_pte_migration('D4.set_migration_pte', 'pte', 'src', 'old');
  k.mov('ok', 1);
  k.folio_remove_rmap_pte('D4.page_remove_rmap', 'src');
  k.folio_put('D4.put_page', 'src');
  k.spin_unlock_ptl('D4.next', 'pte');
  k.goto('D4.rmap_walk');
  // Nothing collected: another fault already migrated the page.
  k.beq('ok', 0, 'D7.nothing_collected', 'D4.walk_done');
  k.at('mm/migrate_device.c', 'migrate_vma_pages', v);
  k.copy('target', 'src');
  // Expected: the pgmap reference plus the one this fault holds.
  k.folio_ref_check('D5.folio_migrate_mapping', 'src', 1, 'ok');
  k.beq('ok', 0, 'D6.restore');
  k.get_new_page('D5.alloc_page', 'dst', 'src');
  k.folio_migrate_mapping('D5.migrate_mapping', 'src', 'dst');
  k.copy('target', 'dst');
  k.at('mm/migrate_device.c', 'migrate_vma_finalize', v);
  k.mov('seen', 0, 'D6.restore');
  k.rmap_walk_next('D6.rmap_walk', 'src', 'seen', 'vma', 'pte', 'D6.walk_done');
  k.beq('pte', -1, 'D6.rmap_walk');
  k.spin_lock_ptl('D6.ptl_lock', 'pte');
  k.ptep_get('D6.ptep_get', 'pte', 'old');
  k.bkind('old', ~kindMask(PteKind.migration), 'D6.next');
  k.bpfn('old', 'src', 'D6.next');
  k.folio_get('D6.folio_get', 'target');
  k.set_pte_present('D6.set_pte_at', 'pte', 'target', 'old');
  k.folio_add_rmap('D6.page_add_rmap', 'target');
  k.spin_unlock_ptl('D6.next', 'pte');
  k.goto('D6.rmap_walk');
  k.folio_unlock('D6.walk_done', 'src');
  k.folio_put('D7.put_fault_ref', 'src');
  k.bsame('target', 'src', 'D8.eagain');
  k.migrate_result('D7.migrated', 'src', 1);
  k.folio_put('D7.put_new_page', 'dst');
  k.done('D7.done');
  k.folio_unlock('D7.nothing_collected', 'src');
  k.folio_put('D7.put_ref', 'src');
  k.done('D7.nothing_done');
  k.migrate_result('D8.eagain', 'src', 0);
  k.add('pass', 1);
  k.blt('pass', passes, 'D1.pte_offset_map_lock');
  k.migrate_result('D8.give_up', 'src', passes >= KERNEL_MIGRATE_PASSES ? 2 : 3);
  k.done('D8.done');
  return k.build();
}
