import { kindMask } from '../isa.js';
import { PteKind } from '../pte.js';
import type { KernelPath } from '../builder.js';

/**
 * remove_migration_ptes(src, target): walk the rmap of src and, under each PTE's lock, turn every
 * migration entry for src back into a present PTE of target (dst on success, src on undo).
 * Registers used: src, target, seen, vma, pte, old.
 */
export function removeMigrationPtes(k: KernelPath, prefix: string, version: string, walkFlags: number): void {
  k.at('mm/migrate.c', 'remove_migration_ptes', version);
  k.mov('seen', 0, `${prefix}.remove_migration_ptes`);
  k.rmap_walk_next(`${prefix}.rmap_walk`, 'src', 'seen', 'vma', 'pte', `${prefix}.walk_done`, walkFlags);
  k.beq('pte', -1, `${prefix}.rmap_walk`);
  k.at('mm/migrate.c', 'remove_migration_pte', version);
  k.spin_lock_ptl(`${prefix}.pvmw_ptl_lock`, 'pte');
  k.ptep_get(`${prefix}.pvmw_ptep_get`, 'pte', 'old');
  k.bkind('old', ~kindMask(PteKind.migration), `${prefix}.pvmw_next`);
  k.bpfn('old', 'src', `${prefix}.pvmw_next`);
  k.folio_get(`${prefix}.folio_get`, 'target');
  k.set_pte_present(`${prefix}.set_pte_at`, 'pte', 'target', 'old');
  k.folio_add_rmap(`${prefix}.page_add_anon_rmap`, 'target');
  k.spin_unlock_ptl(`${prefix}.pvmw_next`, 'pte');
  k.goto(`${prefix}.rmap_walk`);
  k.nop(`${prefix}.walk_done`);
}

export interface InstallOptions {
  /**
   * 'clear-flush-set' is ptep_clear_flush() then set_pte_at(); 'clear-set-flush' flushes after the
   * entry is installed, under the PTL; 'clear-set' leaves the flush to try_to_unmap_flush() later
   */
  readonly order: 'clear-flush-set' | 'clear-set-flush' | 'clear-set';
  /** TTU_SYNC: without it a PTE that reads none locklessly is skipped without taking the PTL */
  readonly sync: boolean;
  readonly walkFlags: number;
  readonly version: string;
}

/**
 * try_to_migrate(page): for each VMA of the page's rmap, try_to_migrate_one() replaces the present
 * PTE by a migration entry under the PTL, dropping the mapcount and the reference the PTE held.
 * Registers used: src, seen, vma, pte, old.
 */
export function tryToMigrate(k: KernelPath, prefix: string, o: InstallOptions): void {
  k.at('mm/rmap.c', 'try_to_migrate', o.version);
  k.mov('seen', 0, `${prefix}.try_to_migrate`);
  k.rmap_walk_next(`${prefix}.rmap_walk`, 'src', 'seen', 'vma', 'pte', `${prefix}.walk_done`, o.walkFlags);
  k.beq('pte', -1, `${prefix}.rmap_walk`);
  k.at('mm/rmap.c', 'try_to_migrate_one', o.version);
  if (!o.sync) {
    // page_vma_mapped_walk() without PVMW_SYNC (map_pte): a PTE that is neither present nor a
    // device-private entry is skipped before taking the PTL.
    k.ptep_get_lockless(`${prefix}.pvmw_lockless_check`, 'pte', 'old');
    k.bkind('old', ~kindMask(PteKind.present, PteKind.devicePrivate), `${prefix}.rmap_walk`);
  }
  k.spin_lock_ptl(`${prefix}.pvmw_ptl_lock`, 'pte');
  k.ptep_get(`${prefix}.pvmw_ptep_get`, 'pte', 'old');
  k.bkind('old', ~kindMask(PteKind.present, PteKind.devicePrivate), `${prefix}.pvmw_next`);
  k.bpfn('old', 'src', `${prefix}.pvmw_next`);
  k.ptep_get_and_clear(`${prefix}.ptep_clear`, 'pte', 'old');
  if (o.order === 'clear-flush-set') k.flush_tlb_page(`${prefix}.flush_tlb`, 'pte');
  k.set_pte_migration(`${prefix}.set_migration_pte`, 'pte', 'src', 'old');
  if (o.order === 'clear-set-flush') k.flush_tlb_page(`${prefix}.flush_tlb`, 'pte');
  // page_remove_rmap until v6.7 (folio_remove_rmap_pte from v6.8); put_page in v5.x, folio_put later.
  k.folio_remove_rmap_pte(`${prefix}.page_remove_rmap`, 'src');
  k.folio_put(o.version.startsWith('v5') ? `${prefix}.put_page` : `${prefix}.folio_put`, 'src');
  k.spin_unlock_ptl(`${prefix}.pvmw_next`, 'pte');
  k.goto(`${prefix}.rmap_walk`);
  k.nop(`${prefix}.walk_done`);
}
