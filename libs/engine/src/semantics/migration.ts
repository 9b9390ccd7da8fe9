import { KERNEL_MIGRATE_PASSES, PAGE_WIDTH, PageField, PageFlag, formatPte, isMigrationEntry, mappingKinds, ptePfn } from '@mmreplay/model';
import type { StepHost } from './context.js';
import { hasPageCache } from './refcount-rmap.js';

// Allocation and migration bookkeeping, and the assertions of the migration protocol (the BUG_ON
// of pfn_swap_entry_to_page, the split's unmapped check), and compound_head. `R` is the slot of the thread's register 0.

const DEVICE = mappingKinds.indexOf('device');
const ANON = mappingKinds.indexOf('anon');

/**
 * get_new_page hands out some free page: the one r0 names when it is free (so that runs that never
 * pin an old page keep their page names), else the lowest-numbered free page of the world's pool;
 * none free is -ENOMEM (r0 := -1). Never a page someone still references: a pre-ffa65753c431
 * waiter may pin the previous round's page.
 */
export function allocPage(m: StepHost, s: Int32Array, R: number, dst: number): boolean {
  const pi = freePage(m, s, s[R + dst]);
  s[R + dst] = pi;
  if (pi < 0) return true;
  const p = m.layout.pages + pi * PAGE_WIDTH;
  s[p + PageField.flags] = 0;
  s[p + PageField.owner] = 0;
  s[p + PageField.ref] = 1;
  s[p + PageField.map] = 0;
  s[p + PageField.mapping] = 0;
  s[p + PageField.head] = pi;
  return true;
}

/** The page get_new_page returns: `preferred` if it is free, else the lowest free page, else -1. */
function freePage(m: StepHost, s: Int32Array, preferred: number): number {
  const L = m.layout;
  const free = (pi: number) => (s[L.pages + pi * PAGE_WIDTH + PageField.flags] & PageFlag.freed) !== 0;
  if (preferred >= 0 && free(preferred)) return preferred;
  for (let pi = 0; pi < m.world.pages.length; pi++) if (free(pi)) return pi;
  return -1;
}

/** folio_migrate_mapping: dst takes src's mapping, and the page cache's reference with it. */
export function migrateMapping(m: StepHost, s: Int32Array, R: number, srcReg: number, dstReg: number): boolean {
  const src = m.layout.pages + s[R + srcReg] * PAGE_WIDTH;
  const dst = m.layout.pages + s[R + dstReg] * PAGE_WIDTH;
  // migrate_to_ram: a device-private page's new home is an ordinary anon page.
  s[dst + PageField.mapping] = s[src + PageField.mapping] === DEVICE ? ANON : s[src + PageField.mapping];
  if (hasPageCache(s[src + PageField.mapping])) s[dst + PageField.ref]++;
  return true;
}

/** 2: gave up after the kernel's passes; 3: stopped at a scenario bound below them (no violation). */
export function migrateResult(m: StepHost, s: Int32Array, t: number, R: number, page: number, result: number): boolean {
  if (result === 2) return m.fail(t, 'migration-progress', `gave up migrating ${m.pageName(s[R + page])}: all ${KERNEL_MIGRATE_PASSES} passes failed`);
  return true;
}

/** The BUG_ON in pfn_swap_entry_to_page(): a migration entry's page (compound head) is locked. */
export function checkLocked(m: StepHost, s: Int32Array, t: number, R: number, entry: number): boolean {
  const L = m.layout;
  const v = s[R + entry];
  if (!isMigrationEntry(v)) return true;
  const pi = ptePfn(v);
  const head = s[L.pages + pi * PAGE_WIDTH + PageField.head];
  if ((s[L.pages + head * PAGE_WIDTH + PageField.flags] & PageFlag.locked) !== 0) return true;
  return m.fail(
    t,
    'bug-on',
    `BUG_ON(!PageLocked) in pfn_swap_entry_to_page: ${formatPte(v, (i) => m.pageName(i))} points to unlocked page ${m.pageName(head)}`,
  );
}

export function vmBugOnMapped(m: StepHost, s: Int32Array, t: number, R: number, page: number): boolean {
  if (s[m.layout.pages + s[R + page] * PAGE_WIDTH + PageField.map] <= 0) return true;
  return m.fail(t, 'split-unmapped', `VM_BUG_ON_PAGE(!unmap_success): ${m.pageName(s[R + page])} is still mapped after unmap_page`);
}

/** compound_head / page_folio: the head a tail page belongs to, the page itself otherwise. */
export function compoundHead(m: StepHost, s: Int32Array, R: number, head: number, page: number): boolean {
  s[R + head] = s[m.layout.pages + s[R + page] * PAGE_WIDTH + PageField.head];
  return true;
}
