import { KernelPath } from '../builder.js';
import { kindMask, MemField } from '../isa.js';
import { PageFlag } from '../layout.js';
import type { PathDef } from '../program.js';
import { PteKind } from '../pte.js';

// Reference §1h, §1g, §4 #11, §5 C11: a THP split publishes each tail as a folio of its own with two
// plain stores (flags, then compound_head), while a PTL holder that meets one of the split's
// migration entries decodes it with two plain loads (compound_head, then flags). Those four
// accesses go through the memory model; everything else is sequentially consistent.

/** `SPLITBAR`: which barriers of the writer/reader pair 4c5e7f0fcd59 completes are in place. */
export type SplitBarriers = 'none' | 'wmb' | 'wmb+rmb';

const TAILS = ['t1', 't2', 't3'] as const;
const PTES = ['e0', 'e1', 'e2', 'e3'] as const;
const PAGE_OF: Record<(typeof PTES)[number], string> = { e0: 'head', e1: 't1', e2: 't2', e3: 't3' };

/**
 * split_huge_page_to_list_to_order on an order-2 anon folio mapped by four PTEs under one PTL
 * (v6.6 for the tail loop; the same order in __split_folio_to_order from ~v6.15). S0 the caller's
 * folio lock; S2 unmap_folio installs a migration entry per subpage (one PTL section, as
 * page_vma_mapped_walk holds the PTL across the PTEs of one page table); S4 per tail
 * `flags |= head flags (PG_locked)`, `smp_wmb()` (SPLITBAR ≠ none), `clear_compound_head`; S6
 * remap_page restores the entries; S7 unlocks the tails, S8 the head. Refcounts, the lru lock and
 * the freeze are left out: nothing here reads them.
 */
export function splitHugePageToList(bar: SplitBarriers): PathDef {
  const k = new KernelPath('split_huge_page', `THP split of an order-2 folio (SPLITBAR=${bar})`, {
    head: 'page',
    t1: 'page',
    t2: 'page',
    t3: 'page',
    e0: 'pte',
    e1: 'pte',
    e2: 'pte',
    e3: 'pte',
    old: 'pteval',
    locked: 'int',
  });
  k.at('mm/huge_memory.c', 'split_huge_page_to_list', 'v6.6');
  k.folio_lock('S0.folio_lock', 'head');
  k.at('mm/rmap.c', 'try_to_migrate_one', 'v6.6');
  k.spin_lock_ptl('S2.page_vma_mapped_walk', 'e0');
  PTES.forEach((e, i) => {
    const next = i + 1 < PTES.length ? `S2.${PTES[i + 1]}.ptep_get` : 'S2.pte_unmap_unlock';
    k.ptep_get(`S2.${e}.ptep_get`, e, 'old');
    // A zap may have cleared it meanwhile: the walk finds nothing there.
    k.bkind('old', ~kindMask(PteKind.present), next);
    k.ptep_get_and_clear(`S2.${e}.ptep_clear_flush`, e, 'old');
    k.set_pte_migration(`S2.${e}.set_pte_at`, e, PAGE_OF[e], 'old');
  });
  k.spin_unlock_ptl('S2.pte_unmap_unlock', 'e0');

  k.at('mm/huge_memory.c', '__split_huge_page_tail', 'v6.6');
  k.mov('locked', PageFlag.locked, 'S4.start');
  for (const t of TAILS) {
    // page_tail->flags |= (head->flags & (... PG_locked ...)): the tail's own flags were clear.
    k.store(`S4.${t}.flags`, MemField.flags, t, 'locked');
    // "Page flags must be visible before we make the page non-compound."
    if (bar !== 'none') k.smp_wmb(`S4.${t}.smp_wmb`);
    k.store(`S4.${t}.clear_compound_head`, MemField.head, t, t);
  }

  k.at('mm/huge_memory.c', 'remap_page', 'v6.6');
  k.spin_lock_ptl('S6.remove_migration_ptes', 'e0');
  PTES.forEach((e, i) => {
    const next = i + 1 < PTES.length ? `S6.${PTES[i + 1]}.ptep_get` : 'S6.pte_unmap_unlock';
    k.ptep_get(`S6.${e}.ptep_get`, e, 'old');
    k.bkind('old', ~kindMask(PteKind.migration), next);
    k.set_pte_present(`S6.${e}.set_pte_at`, e, PAGE_OF[e], 'old');
  });
  k.spin_unlock_ptl('S6.pte_unmap_unlock', 'e0');
  k.at('mm/huge_memory.c', '__split_huge_page', 'v6.6');
  for (const t of TAILS) k.folio_unlock(`S7.${t}.unlock_page`, t);
  k.at('mm/huge_memory.c', 'split_huge_page_to_list', 'v6.6');
  k.folio_unlock('S8.folio_unlock', 'head');
  k.done('S8.done');
  return k.build();
}

/**
 * softleaf_to_folio() on a migration entry (include/linux/leafops.h, v6.19; the same decode in
 * pfn_swap_entry_folio() before): `folio = page_folio(page)`, then, since 4c5e7f0fcd59,
 * `smp_rmb()`, then `folio_test_locked(folio)`. page_folio() is _compound_head(): it loads
 * page->compound_head and returns `head - 1` if bit 0 is set, else the page itself. For a tail the
 * split has just made its own head, the folio is `page`: an address not computed from the loaded
 * value, only chosen by a branch on it, and a control dependency does not order a later load. The
 * model writes the CPU's speculation out: the flags of `page` are loaded before the branch
 * resolves, and the head's flags (an address dependency) only when the branch says the folio is
 * the old head. Registers: `orig` the entry, `page` its page, `h` the loaded head, `f` the flags.
 */
function softleafToFolio(k: KernelPath, prefix: string, bar: SplitBarriers): void {
  k.at('include/linux/page-flags.h', '_compound_head', 'v6.19');
  k.pfn('page', 'orig', `${prefix}.pfn_folio`);
  k.load(`${prefix}.compound_head`, 'h', MemField.head, 'page');
  if (bar === 'wmb+rmb') {
    k.at('include/linux/leafops.h', 'softleaf_to_folio', 'v6.19');
    k.smp_rmb(`${prefix}.smp_rmb`);
  }
  k.at('include/linux/page-flags.h', 'folio_test_locked', 'v6.19');
  k.load(`${prefix}.folio_test_locked`, 'f', MemField.flags, 'page');
  k.bsame('h', 'page', `${prefix}.bug_on`);
  k.load(`${prefix}.folio_test_locked_head`, 'f', MemField.flags, 'h');
  k.at('include/linux/leafops.h', 'softleaf_to_folio', 'v6.19');
  k.check_locked_loaded(`${prefix}.bug_on`, 'orig', 'f');
}

const READER_REGS = { pte: 'pte', orig: 'pteval', page: 'page', h: 'page', f: 'int' } as const;

/** zap_nonpresent_ptes (mm/memory.c v6.12+) on one PTE, holding its PTL: the check of §1g. */
export function zapNonpresentPtes(bar: SplitBarriers): PathDef {
  const k = new KernelPath('zap_pte_range', `Zap one PTE, decoding a migration entry (SPLITBAR=${bar})`, READER_REGS);
  k.at('mm/memory.c', 'zap_pte_range', 'v6.19');
  k.spin_lock_ptl('Z1.pte_offset_map_lock', 'pte');
  k.ptep_get('Z2.ptep_get', 'pte', 'orig');
  k.bkind('orig', kindMask(PteKind.present), 'Z3.zap_present_ptes');
  k.bkind('orig', kindMask(PteKind.migration), 'Z4.zap_nonpresent_ptes');
  k.goto('Z5.pte_unmap_unlock');
  k.at('mm/memory.c', 'zap_present_ptes', 'v6.19');
  // The rmap and reference updates are left out: the split's walk then finds the PTE clear.
  k.ptep_get_and_clear('Z3.zap_present_ptes', 'pte', 'orig');
  k.goto('Z5.pte_unmap_unlock');
  k.at('mm/memory.c', 'zap_nonpresent_ptes', 'v6.19');
  k.nop('Z4.zap_nonpresent_ptes');
  softleafToFolio(k, 'Z4', bar);
  k.at('mm/memory.c', 'zap_nonpresent_ptes', 'v6.19');
  k.ptep_get_and_clear('Z4.pte_clear_not_present_full', 'pte', 'orig');
  k.at('mm/memory.c', 'zap_pte_range', 'v6.19');
  k.spin_unlock_ptl('Z5.pte_unmap_unlock', 'pte');
  k.done('Z6.done');
  return k.build();
}

/**
 * The fault side (§1f after ffa65753c431): a user access meets the migration entry, takes the
 * PTL, and migration_entry_wait_on_locked (mm/filemap.c; softleaf_entry_wait_on_locked from
 * v6.19) decodes it with the same check, queues on the folio it found, drops the PTL and sleeps.
 */
export function faultOnSplitEntry(bar: SplitBarriers): PathDef {
  const k = new KernelPath('handle_mm_fault', `Fault on a split tail's migration entry (SPLITBAR=${bar})`, READER_REGS);
  k.at('mm/memory.c', 'handle_pte_fault', 'v6.19');
  k.user_access('F1.access', 'pte', 'orig');
  k.bkind('orig', kindMask(PteKind.migration), 'F3.migration_entry_wait');
  k.goto('F9.done');
  k.at('mm/migrate.c', 'migration_entry_wait', 'v6.19');
  k.spin_lock_ptl('F3.migration_entry_wait', 'pte');
  k.ptep_get('F3.ptep_get', 'pte', 'orig');
  k.bkind('orig', ~kindMask(PteKind.migration), 'F3.not_migration');
  k.at('mm/filemap.c', 'softleaf_entry_wait_on_locked', 'v6.19');
  k.nop('F4.softleaf_entry_wait_on_locked');
  softleafToFolio(k, 'F4', bar);
  k.at('mm/filemap.c', 'softleaf_entry_wait_on_locked', 'v6.19');
  // The folio found: the loaded head (the page itself once the tail is its own head).
  k.folio_wait_queue_add('F4.folio_set_waiters', 'h');
  k.spin_unlock_ptl('F4.spin_unlock_ptl', 'pte');
  k.io_schedule('F4.io_schedule');
  k.goto('F1.access');
  k.at('mm/migrate.c', 'migration_entry_wait', 'v6.19');
  k.spin_unlock_ptl('F3.not_migration', 'pte');
  k.goto('F1.access');
  k.at('mm/memory.c', 'handle_pte_fault', 'v6.19');
  k.done('F9.done');
  return k.build();
}
