import { KernelPath } from '../builder.js';
import { kindMask } from '../isa.js';
import type { PathDef } from '../program.js';
import { PteKind } from '../pte.js';

/** How a PMD fault waits for a PMD migration entry. */
export type PmdWait = 'post' | 'pre' | 'no-ref';

/**
 * A fault on a PMD-mapped THP whose PMD holds a migration entry: __handle_mm_fault ->
 * pmd_migration_entry_wait. The PMD is modelled as an entry of its own under the PMD lock.
 * post (v6.6): migration_entry_wait_on_locked(pmd_to_swp_entry(*pmd), ptl), no reference, queued
 * under the PMD lock (ffa65753c431). pre (v5.15): get_page_unless_zero, drop the PMD lock,
 * put_and_wait_on_page_locked. no-ref: the pattern 3c226c637b69 fixed in do_huge_pmd_numa_page
 * (v4.19): read the page under the PMD lock, drop the lock, then wait on it with no reference.
 */
export function pmdMigrationEntryWait(wait: PmdWait): PathDef {
  const v = wait === 'post' ? 'v6.6' : wait === 'pre' ? 'v5.15' : 'v4.19';
  const fn = wait === 'no-ref' ? 'do_huge_pmd_numa_page' : 'pmd_migration_entry_wait';
  const file = wait === 'no-ref' ? 'mm/huge_memory.c' : 'mm/migrate.c';
  const k = new KernelPath('pmd_fault', `PMD fault waiting on a PMD migration entry (${fn}, ${v})`, { pmd: 'pte', orig: 'pteval', page: 'page', ok: 'int' });
  k.at('mm/memory.c', '__handle_mm_fault', v);
  k.user_access('P1.access', 'pmd', 'orig');
  k.bkind('orig', kindMask(PteKind.migration), 'P2.pmd_lock');
  k.done('P9.done');
  k.at(file, fn, v);
  k.spin_lock_ptl('P2.pmd_lock', 'pmd');
  k.ptep_get('P2.pmd_read', 'pmd', 'orig');
  k.bkind('orig', ~kindMask(PteKind.migration), 'P2.unlock');
  // v5.15 and v6.6 decode the entry with pfn_swap_entry_to_page (its BUG_ON); v4.19's
  // do_huge_pmd_numa_page took pmd_page() without that check.
  if (wait !== 'no-ref') k.check_locked('P3.pfn_swap_entry_to_page', 'orig');
  k.pfn('page', 'orig');
  if (wait === 'post') {
    k.at('mm/filemap.c', 'migration_entry_wait_on_locked', v);
    k.compound_head('P4.page_folio', 'page', 'page');
    k.folio_wait_queue_add('P4.folio_set_waiters', 'page');
    k.spin_unlock_ptl('P4.spin_unlock', 'pmd');
    k.io_schedule('P4.io_schedule');
  } else if (wait === 'pre') {
    k.folio_try_get('P4.get_page_unless_zero', 'page', 'ok');
    k.beq('ok', 0, 'P2.unlock');
    k.spin_unlock_ptl('P4.spin_unlock', 'pmd');
    k.at('mm/filemap.c', 'put_and_wait_on_page_locked', v);
    k.put_and_wait_on_page_locked('P4.put_and_wait', 'page');
    k.io_schedule('P4.io_schedule');
  } else {
    k.spin_unlock_ptl('P4.spin_unlock', 'pmd');
    k.at('include/linux/pagemap.h', 'wait_on_page_locked', v);
    k.folio_wait_queue_add('P4.wait_on_page_locked', 'page');
    k.io_schedule('P4.io_schedule');
  }
  k.goto('P1.access');
  k.at(file, fn, v);
  k.spin_unlock_ptl('P2.unlock', 'pmd');
  k.goto('P1.access');
  return k.build();
}
