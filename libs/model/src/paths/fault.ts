import { KernelPath } from '../builder.js';
import { kindMask } from '../isa.js';
import type { PathDef } from '../program.js';
import { PteKind } from '../pte.js';

export interface FaultOptions {
  /** pre: __migration_entry_wait with a temporary reference (<= v5.16); post: ffa65753c431 */
  readonly wait: 'pre' | 'post';
  /** successful accesses before the thread finishes */
  readonly accesses: number;
  /** how many times an access that finds no page backs off and retries before giving up */
  readonly noneRetries: number;
  /** the missing-PTE path: anon re-checks under the PTL; shmem looks the folio up in the cache */
  readonly missing: 'anon' | 'shmem';
  /** shmem only: re-check the PTE under the PTL before taking the page-cache reference */
  readonly recheckBeforeRef: boolean;
}

const REGS = { pte: 'pte', orig: 'pteval', page: 'page', ok: 'int', n: 'int', tries: 'int' } as const;

/**
 * A user access that faults: handle_pte_fault reads the PTE locklessly and dispatches to the
 * missing-PTE path or to do_swap_page -> migration_entry_wait (reference §1f).
 */
export function handleMmFault(o: FaultOptions): PathDef {
  // One kernel version per path: v5.15 before ffa65753c431, v6.6 after it.
  const v = o.wait === 'pre' ? 'v5.15' : 'v6.6';
  // do_pte_missing from v6.3; before, handle_pte_fault's own !vmf->pte branch.
  const missingLabel = v === 'v6.6' ? 'F2.do_pte_missing' : 'F2.pte_none';
  const k = new KernelPath('handle_mm_fault', `Fault (${o.wait === 'pre' ? '__migration_entry_wait' : 'migration_entry_wait_on_locked'}, ${v})`, REGS);
  k.at('mm/memory.c', 'handle_pte_fault', v);
  k.user_access('F1.access', 'pte', 'orig');
  k.bkind('orig', kindMask(PteKind.present), 'F9.accessed');
  k.bkind('orig', kindMask(PteKind.migration), 'F3.do_swap_page');
  k.goto(missingLabel);

  if (o.wait === 'post') migrationEntryWaitPost(k);
  else migrationEntryWaitPre(k);

  // do_pte_missing from v6.3; v5.15's handle_pte_fault dispatches to do_anonymous_page / do_fault itself.
  k.at('mm/memory.c', v === 'v6.6' ? 'do_pte_missing' : 'handle_pte_fault', v);
  k.nop(missingLabel);
  if (o.missing === 'anon') {
    // do_anonymous_page: vmf_pte_changed() under the PTL backs off if the PTE is no longer none.
    k.at('mm/memory.c', 'do_anonymous_page', v);
    k.spin_lock_ptl('F2.pte_offset_map_lock', 'pte');
    k.ptep_get('F2.vmf_pte_changed', 'pte', 'orig');
    k.spin_unlock_ptl('F2.pte_unmap_unlock', 'pte');
    k.goto('F8.retry');
  } else {
    shmemFault(k, o, v);
  }

  k.at('mm/memory.c', 'handle_pte_fault', v);
  k.add('tries', 1, 'F8.retry');
  k.blt('tries', o.noneRetries, 'F1.access');
  k.done('F8.gave_up');
  k.add('n', 1, 'F9.accessed');
  k.mov('tries', 0);
  k.blt('n', o.accesses, 'F1.access');
  k.done('F9.done');
  return k.build();
}

/** After ffa65753c431: queue on the page's wait queue under the PTL, no reference taken. */
function migrationEntryWaitPost(k: KernelPath): void {
  k.at('mm/migrate.c', 'migration_entry_wait', 'v6.6');
  k.spin_lock_ptl('F3.do_swap_page', 'pte');
  k.ptep_get('F3.ptep_get', 'pte', 'orig');
  k.bkind('orig', ~kindMask(PteKind.migration), 'F3.not_migration');
  k.at('mm/filemap.c', 'migration_entry_wait_on_locked', 'v6.6');
  // folio = page_folio(pfn_swap_entry_to_page(entry)): the BUG_ON is in pfn_swap_entry_to_page.
  k.check_locked('F4.pfn_swap_entry_to_page', 'orig');
  k.pfn('page', 'orig');
  k.compound_head('F4.page_folio', 'page', 'page');
  k.folio_wait_queue_add('F4.folio_set_waiters', 'page');
  k.spin_unlock_ptl('F4.spin_unlock_ptl', 'pte');
  k.io_schedule('F4.io_schedule');
  k.goto('F1.access');
  k.at('mm/migrate.c', 'migration_entry_wait', 'v6.6');
  k.spin_unlock_ptl('F3.not_migration', 'pte');
  k.goto('F1.access');
}

/** Before ffa65753c431 (v5.15): pin the page, drop the PTL, then put_and_wait_on_page_locked. */
function migrationEntryWaitPre(k: KernelPath): void {
  k.at('mm/migrate.c', '__migration_entry_wait', 'v5.15');
  k.spin_lock_ptl('F3.do_swap_page', 'pte');
  k.ptep_get('F3.ptep_get', 'pte', 'orig');
  k.bkind('orig', ~kindMask(PteKind.migration), 'F3.not_migration');
  k.check_locked('F3.pfn_swap_entry_to_page', 'orig');
  k.pfn('page', 'orig');
  // page = compound_head(page): the reference and the wait are on the head.
  k.compound_head('F3.compound_head', 'page', 'page');
  k.folio_try_get('F3.get_page_unless_zero', 'page', 'ok');
  k.beq('ok', 0, 'F3.not_migration');
  k.spin_unlock_ptl('F3.pte_unmap_unlock', 'pte');
  k.at('mm/filemap.c', 'put_and_wait_on_page_locked', 'v5.15');
  k.put_and_wait_on_page_locked('F4.put_and_wait', 'page');
  k.io_schedule('F4.io_schedule');
  k.goto('F1.access');
  k.at('mm/migrate.c', '__migration_entry_wait', 'v5.15');
  k.spin_unlock_ptl('F3.not_migration', 'pte');
  k.goto('F1.access');
}

/**
 * do_fault -> shmem_fault -> filemap_get_entry (folio_try_get) -> folio_lock, then finish_fault,
 * which backs off when the PTE is no longer none (reference §1f, §4 #8). The page-cache lookup is
 * modelled as the thread's `page` register: the folio the cache held when the fault began.
 */
function shmemFault(k: KernelPath, o: FaultOptions, v: string): void {
  const v6 = v === 'v6.6';
  if (o.recheckBeforeRef) {
    // The fix suggested on the list: vmf_pte_changed() under the PTL before taking a reference.
    k.at('mm/memory.c', 'do_fault', v);
    k.spin_lock_ptl('R0.recheck_ptl', 'pte');
    k.ptep_get('R0.recheck', 'pte', 'orig');
    k.spin_unlock_ptl('R0.recheck_unlock', 'pte');
    k.bkind('orig', ~kindMask(PteKind.none), 'F1.access');
  }
  // The page-cache lookup: filemap_get_entry / shmem_get_folio_gfp (v6.6), mapping_get_entry / shmem_getpage_gfp (v5.15).
  k.at('mm/filemap.c', v6 ? 'filemap_get_entry' : 'mapping_get_entry', v);
  k.folio_try_get(v6 ? 'R1.folio_try_get' : 'R1.page_cache_get_speculative', 'page', 'ok');
  k.beq('ok', 0, 'F8.retry');
  k.at('mm/shmem.c', v6 ? 'shmem_get_folio_gfp' : 'shmem_getpage_gfp', v);
  k.folio_lock(v6 ? 'R2.folio_lock' : 'R2.lock_page', 'page');
  k.at('mm/memory.c', 'finish_fault', v);
  k.spin_lock_ptl('R3.pte_offset_map_lock', 'pte');
  k.ptep_get('R3.vmf_pte_changed', 'pte', 'orig');
  k.spin_unlock_ptl('R3.pte_unmap_unlock', 'pte');
  k.at('mm/memory.c', '__do_fault', v);
  k.folio_unlock(v6 ? 'R4.folio_unlock' : 'R4.unlock_page', 'page');
  k.folio_put(v6 ? 'R4.folio_put' : 'R4.put_page', 'page');
  k.goto('F8.retry');
}
