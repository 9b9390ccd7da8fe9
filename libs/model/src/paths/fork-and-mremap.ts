import { KernelPath } from '../builder.js';
import { kindMask, VmaField, VmaFlag } from '../isa.js';
import type { PathDef } from '../program.js';
import { PteKind } from '../pte.js';

/**
 * fork (v6.6): dup_mmap -> anon_vma_fork links the child's VMA into the parent's anon_vma under
 * its write lock, then copy_page_range -> copy_pte_range copies the parent's PTE into the child's
 * under the child's PTL and, nested, the parent's, without the anon_vma lock. A migration entry is
 * decoded (the BUG_ON of pfn_swap_entry_to_page) and copied as it is (copy_nonpresent_pte); a
 * present PTE takes a reference and a mapcount (copy_present_pte).
 */
export function forkCopy(childVma: number): PathDef {
  const v = 'v6.6';
  const k = new KernelPath('dup_mmap', 'fork: link the child VMA, then copy the PTE (v6.6 dup_mmap / copy_pte_range)', {
    src: 'pte',
    dst: 'pte',
    page: 'page',
    orig: 'pteval',
  });
  k.at('mm/rmap.c', 'anon_vma_fork', v);
  k.rmap_lock('K1.anon_vma_lock_write', 'page', true);
  k.vma_set('K1.anon_vma_chain_link', childVma, VmaField.flags, VmaFlag.inInterval);
  k.rmap_unlock('K1.anon_vma_unlock_write', 'page', true);
  k.at('mm/memory.c', 'copy_pte_range', v);
  k.spin_lock_ptl('K2.dst_ptl', 'dst');
  k.spin_lock_ptl('K2.src_ptl', 'src');
  k.ptep_get('K2.ptep_get', 'src', 'orig');
  k.bkind('orig', ~kindMask(PteKind.migration), 'K2.copy');
  k.at('mm/memory.c', 'copy_nonpresent_pte', v);
  k.check_locked('K2.pfn_swap_entry_to_page', 'orig');
  k.at('mm/memory.c', 'copy_pte_range', v);
  k.copy_pte('K2.copy', 'src', 'dst');
  k.spin_unlock_ptl('K2.src_unlock', 'src');
  k.spin_unlock_ptl('K2.dst_unlock', 'dst');
  k.done('K3.done');
  return k.build();
}

/**
 * mremap (v6.6): move_vma -> copy_vma links the new VMA (need_rmap_locks is set when the new VMA
 * may come before the old one in rmap order), move_page_tables -> move_ptes moves the PTE under
 * both PTLs, taking the rmap lock for write around it only if need_rmap_locks; then the old VMA
 * leaves the rmap (do_vmi_munmap).
 */
export function mremapMove(oldVma: number, newVma: number, needRmapLocks: boolean): PathDef {
  const v = 'v6.6';
  const k = new KernelPath('move_vma', `mremap: move the PTE (need_rmap_locks ${needRmapLocks ? 'set' : 'clear'})`, { from: 'pte', to: 'pte', page: 'page' });
  k.at('mm/mmap.c', 'copy_vma', v);
  k.rmap_lock('M1.anon_vma_lock_write', 'page', true);
  k.vma_set('M1.vma_link', newVma, VmaField.flags, VmaFlag.inInterval);
  k.rmap_unlock('M1.anon_vma_unlock_write', 'page', true);
  k.at('mm/mremap.c', 'move_ptes', v);
  if (needRmapLocks) k.rmap_lock('M2.take_rmap_locks', 'page', true);
  k.spin_lock_ptl('M2.old_ptl', 'from');
  k.spin_lock_ptl('M2.new_ptl', 'to');
  k.move_pte('M2.move_pte', 'from', 'to');
  k.spin_unlock_ptl('M2.new_ptl_unlock', 'to');
  k.spin_unlock_ptl('M2.old_ptl_unlock', 'from');
  if (needRmapLocks) k.rmap_unlock('M2.drop_rmap_locks', 'page', true);
  k.at('mm/mmap.c', 'do_vmi_munmap', v);
  k.rmap_lock('M3.anon_vma_lock_write', 'page', true);
  k.vma_set('M3.unlink_vmas', oldVma, VmaField.flags, 0);
  k.rmap_unlock('M3.anon_vma_unlock_write', 'page', true);
  k.done('M4.done');
  return k.build();
}
