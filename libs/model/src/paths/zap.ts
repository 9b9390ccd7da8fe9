import { KernelPath } from '../builder.js';
import { kindMask } from '../isa.js';
import type { PathDef } from '../program.js';
import { PteKind } from '../pte.js';

/**
 * zap_pte_range on one PTE (munmap, MADV_DONTNEED, exit): a present PTE is cleared and its rmap
 * dropped inside the PTL section; a migration entry is checked (the BUG_ON site) and cleared
 * without the page lock, which is legal (reference §6.4). The page's reference goes with the TLB
 * batch after the PTL is dropped.
 */
export function zapPteRange(): PathDef {
  const k = new KernelPath('zap_pte_range', 'Zap one PTE (v6.6 zap_pte_range)', { pte: 'pte', orig: 'pteval', page: 'page', freed: 'int' });
  k.at('mm/memory.c', 'zap_pte_range', 'v6.6');
  k.spin_lock_ptl('Z1.pte_offset_map_lock', 'pte');
  k.ptep_get('Z2.ptep_get', 'pte', 'orig');
  k.bkind('orig', kindMask(PteKind.present), 'Z3.present');
  k.bkind('orig', kindMask(PteKind.migration), 'Z4.migration');
  k.goto('Z5.unlock');
  k.ptep_get_and_clear('Z3.present', 'pte', 'orig');
  k.pfn('page', 'orig');
  k.folio_remove_rmap_pte('Z3.page_remove_rmap', 'page');
  k.mov('freed', 1);
  k.goto('Z5.unlock');
  k.check_locked('Z4.migration', 'orig');
  k.ptep_get_and_clear('Z4.pte_clear_not_present_full', 'pte', 'orig');
  k.spin_unlock_ptl('Z5.unlock', 'pte');
  k.beq('freed', 0, 'Z6.done');
  k.at('mm/mmu_gather.c', 'tlb_finish_mmu', 'v6.6');
  k.folio_put('Z5.tlb_batch_put', 'page');
  k.done('Z6.done');
  return k.build();
}

/**
 * The part of split_huge_page that catalogue row C6 needs, as in v5.12 (before TTU_SYNC): with the
 * page locked, unmap_page -> try_to_unmap(TTU_SPLIT_FREEZE), which installs migration entries,
 * then VM_BUG_ON_PAGE(!unmap_success), then remap_page and unlock. Without TTU_SYNC,
 * page_vma_mapped_walk skips a PTE that reads none without taking the PTL.
 */
export function splitHugePageUnmap(sync: boolean): PathDef {
  const v = 'v5.12';
  const k = new KernelPath('split_huge_page', `THP split unmap (${sync ? 'TTU_SYNC' : 'no TTU_SYNC'})`, {
    src: 'page',
    target: 'page',
    seen: 'vmaset',
    vma: 'vma',
    pte: 'pte',
    old: 'pteval',
  });
  k.at('mm/huge_memory.c', 'split_huge_page_to_list', v);
  k.copy('target', 'src', 'S0.start');
  k.folio_lock('S0.lock_page', 'src');
  k.at('mm/rmap.c', 'try_to_unmap', v);
  k.mov('seen', 0, 'S2.unmap_page');
  k.rmap_walk_next('S2.rmap_walk', 'src', 'seen', 'vma', 'pte', 'S2.walk_done');
  k.beq('pte', -1, 'S2.rmap_walk');
  k.at('mm/rmap.c', 'try_to_unmap_one', v);
  if (!sync) {
    k.ptep_get_lockless('S2.pvmw_lockless_check', 'pte', 'old');
    k.bkind('old', kindMask(PteKind.none), 'S2.rmap_walk');
  }
  k.spin_lock_ptl('S2.pvmw_ptl_lock', 'pte');
  k.ptep_get('S2.pvmw_ptep_get', 'pte', 'old');
  k.bkind('old', ~kindMask(PteKind.present), 'S2.pvmw_next');
  k.bpfn('old', 'src', 'S2.pvmw_next');
  k.ptep_get_and_clear('S2.ptep_clear_flush', 'pte', 'old');
  k.set_pte_migration('S2.set_migration_pte', 'pte', 'src', 'old');
  k.folio_remove_rmap_pte('S2.page_remove_rmap', 'src');
  k.folio_put('S2.put_page', 'src');
  k.spin_unlock_ptl('S2.pvmw_next', 'pte');
  k.goto('S2.rmap_walk');
  k.at('mm/huge_memory.c', 'unmap_page', v);
  k.vm_bug_on_folio_mapped('S2.walk_done', 'src');
  k.at('mm/huge_memory.c', 'remap_page', v);
  k.mov('seen', 0, 'S6.remap_page');
  k.rmap_walk_next('S6.rmap_walk', 'src', 'seen', 'vma', 'pte', 'S6.walk_done');
  k.beq('pte', -1, 'S6.rmap_walk');
  k.at('mm/migrate.c', 'remove_migration_pte', v);
  k.spin_lock_ptl('S6.pvmw_ptl_lock', 'pte');
  k.ptep_get('S6.pvmw_ptep_get', 'pte', 'old');
  k.bkind('old', ~kindMask(PteKind.migration), 'S6.pvmw_next');
  k.folio_get('S6.folio_get', 'target');
  k.set_pte_present('S6.set_pte_at', 'pte', 'target', 'old');
  k.folio_add_rmap('S6.page_add_anon_rmap', 'target');
  k.spin_unlock_ptl('S6.pvmw_next', 'pte');
  k.goto('S6.rmap_walk');
  k.at('mm/huge_memory.c', 'split_huge_page_to_list', v);
  k.folio_unlock('S6.walk_done', 'src');
  k.done('S8.done');
  return k.build();
}
