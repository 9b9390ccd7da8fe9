import { PAGE_WIDTH, PageField, PageFlag, formatPte, isMigrationEntry, ptePfn } from '@mmreplay/model';
import type { StepHost } from './context.js';
import { hasPageCache } from './refcount-rmap.js';

// Allocation and migration bookkeeping, and the assertions of the migration protocol (the BUG_ON
// of pfn_swap_entry_to_page, VM_BUG_ON(folio_mapped)). `R` is the slot of the thread's register 0.

export function allocPage(m: StepHost, s: Int32Array, t: number, R: number, dst: number): boolean {
  const p = m.layout.pages + s[R + dst] * PAGE_WIDTH;
  let good = true;
  if ((s[p + PageField.flags] & PageFlag.freed) === 0) good = m.fail(t, 'use-after-free', `allocates ${m.pageName(s[R + dst])}, which is not free`);
  s[p + PageField.flags] = 0;
  s[p + PageField.owner] = 0;
  s[p + PageField.ref] = 1;
  s[p + PageField.map] = 0;
  s[p + PageField.mapping] = 0;
  s[p + PageField.head] = s[R + dst];
  return good;
}

/** folio_migrate_mapping: dst takes src's mapping, and the page cache's reference with it. */
export function migrateMapping(m: StepHost, s: Int32Array, R: number, srcReg: number, dstReg: number): boolean {
  const src = m.layout.pages + s[R + srcReg] * PAGE_WIDTH;
  const dst = m.layout.pages + s[R + dstReg] * PAGE_WIDTH;
  s[dst + PageField.mapping] = s[src + PageField.mapping];
  if (hasPageCache(s[src + PageField.mapping])) s[dst + PageField.ref]++;
  return true;
}

export function migrateResult(m: StepHost, s: Int32Array, t: number, R: number, page: number, result: number): boolean {
  if (result === 2) return m.fail(t, 'migration-progress', `gave up migrating ${m.pageName(s[R + page])}: every pass failed its refcount expectation`);
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
  return m.fail(t, 'bug-on', `BUG_ON(!PageLocked) in pfn_swap_entry_to_page: ${formatPte(v, (i) => m.pageName(i))} points to unlocked page ${m.pageName(head)}`);
}

export function vmBugOnMapped(m: StepHost, s: Int32Array, t: number, R: number, page: number): boolean {
  if (s[m.layout.pages + s[R + page] * PAGE_WIDTH + PageField.map] <= 0) return true;
  return m.fail(t, 'split-unmapped', `VM_BUG_ON(folio_mapped(${m.pageName(s[R + page])})) after unmap_folio`);
}
