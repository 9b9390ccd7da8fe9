import { KernelPath } from '../builder.js';
import { kindMask } from '../isa.js';
import type { PathDef } from '../program.js';
import { PteKind } from '../pte.js';

// A page table replaced under a waiter (v6.6). khugepaged's collapse_file unmaps the small page
// and retract_page_tables clears the PMD (pmdp_collapse_flush) under the PMD lock and the table's
// PTL, without mmap_lock; pte_free_defer frees the table after an RCU grace period. A fault that
// read a migration entry locklessly maps the table again in migration_entry_wait ->
// pte_offset_map_lock: under rcu_read_lock it reads the PMD, takes the table's PTL and, since
// 0d940a9b270b, checks that the PMD still points to that table, or tries again (and fails once the
// PMD is none). The PMD is an entry of its own here (`pmd`, under the PMD lock); the model's rmap
// rwsem stands for RCU in this scenario (readers take it for read, pte_free_defer's grace period
// takes it for write); and the split PTL lives in the page-table page, so taking or releasing it
// touches that page (`tbl`): a reference taken and dropped, which a freed table shows as a
// use-after-free.

const v = 'v6.6';

/** collapse_file (unmap the small page under its lock) then retract_page_tables and pte_free_defer. */
export function collapseRetract(): PathDef {
  const k = new KernelPath('khugepaged', 'khugepaged: collapse_file, retract_page_tables (v6.6)', {
    pmd: 'pte',
    pte: 'pte',
    orig: 'pteval',
    page: 'page',
    tbl: 'page',
    ok: 'int',
  });
  // The page cache's folio at the index: P at the start (the thread's `page` argument); once
  // the migration has replaced it, the page e maps. collapse_file takes a reference and the folio
  // lock, which waits for a migrator holding it, then unmaps it (try_to_unmap).
  k.at('mm/khugepaged.c', 'collapse_file', v);
  k.folio_try_get('C1.folio_try_get', 'page', 'ok');
  k.beq('ok', 0, 'C1.xas_load');
  k.folio_lock('C1.folio_lock', 'page');
  k.spin_lock_ptl('C2.try_to_unmap', 'pte');
  k.ptep_get('C2.ptep_get', 'pte', 'orig');
  k.bkind('orig', kindMask(PteKind.none), 'C2.not_mapped');
  k.bpfn('orig', 'page', 'C2.changed');
  k.ptep_get_and_clear('C2.ptep_clear_flush', 'pte', 'orig');
  k.folio_remove_rmap_pte('C2.page_remove_rmap', 'page');
  k.folio_put('C2.folio_put', 'page');
  k.spin_unlock_ptl('C2.not_mapped', 'pte');
  k.folio_unlock('C2.folio_unlock', 'page');
  k.folio_put('C2.folio_put_ref', 'page');
  k.goto('C3.retract_page_tables');
  // The folio was migrated meanwhile: the cache holds the new one, which e maps.
  k.spin_unlock_ptl('C2.changed', 'pte');
  k.folio_unlock('C2.changed_unlock', 'page');
  k.folio_put('C2.changed_put', 'page');
  k.ptep_get_lockless('C1.xas_load', 'pte', 'orig');
  k.pfn('page', 'orig');
  k.goto('C1.folio_try_get');
  k.at('mm/khugepaged.c', 'retract_page_tables', v);
  k.spin_lock_ptl('C3.retract_page_tables', 'pmd');
  k.spin_lock_ptl('C3.pte_lockptr', 'pte');
  k.ptep_get_and_clear('C3.pmdp_collapse_flush', 'pmd', 'orig');
  k.spin_unlock_ptl('C3.ptl_unlock', 'pte');
  k.spin_unlock_ptl('C3.pml_unlock', 'pmd');
  k.at('mm/pgtable-generic.c', 'pte_free_defer', v);
  k.rmap_lock('C4.rcu_grace_period', 'tbl', true);
  k.rmap_unlock('C4.rcu_grace_period_done', 'tbl', true);
  k.folio_put('C4.pte_free_now', 'tbl');
  k.done('C5.done');
  return k.build();
}

/**
 * handle_pte_fault sees a migration entry, then migration_entry_wait maps the table again with
 * pte_offset_map_lock. `recheck`: __pte_offset_map_lock's pmd_same() check after taking the PTL
 * (0d940a9b270b); without it the fault can lock and use a table that was retracted meanwhile.
 */
export function faultRetractedTable(recheck: boolean): PathDef {
  const k = new KernelPath(
    'handle_mm_fault',
    `Fault on a migration entry, its page table retracted meanwhile (${recheck ? 'pmd_same recheck' : 'no recheck'})`,
    {
      pmd: 'pte',
      pte: 'pte',
      orig: 'pteval',
      pmdval: 'pteval',
      again: 'pteval',
      page: 'page',
      tbl: 'page',
    },
  );
  k.at('mm/memory.c', 'handle_pte_fault', v);
  k.user_access('F1.access', 'pte', 'orig');
  k.bkind('orig', kindMask(PteKind.migration), 'W1.pte_offset_map_lock');
  k.done('F9.done');
  k.at('mm/pgtable-generic.c', '__pte_offset_map_lock', v);
  k.rmap_lock('W1.pte_offset_map_lock', 'tbl', false);
  k.ptep_get_lockless('W2.pmdp_get_lockless', 'pmd', 'pmdval');
  k.bkind('pmdval', ~kindMask(PteKind.present), 'W8.no_table');
  k.folio_get('W2.ptlock_ptr', 'tbl');
  k.folio_put('W2.ptlock_ptr_done', 'tbl');
  k.spin_lock_ptl('W2.spin_lock', 'pte');
  if (recheck) {
    k.ptep_get_lockless('W3.pmd_same', 'pmd', 'again');
    k.bsame('again', 'pmdval', 'W4.ptep_get');
    k.spin_unlock_ptl('W3.spin_unlock_again', 'pte');
    k.goto('W2.pmdp_get_lockless');
  }
  k.at('mm/migrate.c', 'migration_entry_wait', v);
  k.ptep_get('W4.ptep_get', 'pte', 'orig');
  k.rmap_unlock('W4.pte_unmap', 'tbl', false);
  k.bkind('orig', ~kindMask(PteKind.migration), 'W7.out');
  k.at('mm/filemap.c', 'migration_entry_wait_on_locked', v);
  k.check_locked('W5.pfn_swap_entry_to_page', 'orig');
  k.pfn('page', 'orig');
  k.compound_head('W5.page_folio', 'page', 'page');
  k.folio_wait_queue_add('W5.folio_set_waiters', 'page');
  k.folio_get('W5.ptlock_ptr', 'tbl');
  k.folio_put('W5.ptlock_ptr_done', 'tbl');
  k.spin_unlock_ptl('W5.spin_unlock', 'pte');
  k.io_schedule('W5.io_schedule');
  k.goto('F1.access');
  k.at('mm/migrate.c', 'migration_entry_wait', v);
  k.folio_get('W7.out', 'tbl');
  k.folio_put('W7.ptlock_ptr_done', 'tbl');
  k.spin_unlock_ptl('W7.spin_unlock', 'pte');
  k.goto('F1.access');
  k.at('mm/pgtable-generic.c', '__pte_offset_map_lock', v);
  k.rmap_unlock('W8.no_table', 'tbl', false);
  k.goto('F1.access');
  return k.build();
}
