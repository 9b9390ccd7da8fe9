import { describe, expect, it } from 'vitest';
import { resolveModel } from './registry.js';
import type { PathDef } from '../program.js';

// Issue 19 item 3: the modelled paths do what the kernel version they cite does.
const path = (variant: string | undefined, name: string): PathDef => resolveModel({ scenario: 'seed', variant }).world.paths[name];
const ops = (p: PathDef, from: string, to: string) => {
  const i = p.steps.findIndex((s) => s.label === from);
  const j = p.steps.findIndex((s) => s.label === to);
  expect(i, from).toBeGreaterThanOrEqual(0);
  expect(j, to).toBeGreaterThan(i);
  return p.steps.slice(i, j + 1).map((s) => s.op);
};

describe('try_to_migrate flags per version and mode', () => {
  it('v6.7 MIGRATE_SYNC (flags 0): ptep_clear_flush, the flush before the entry, under the PTL', () => {
    const p = path('mig-v6', 'migrate_pages');
    expect(ops(p, 'U8.ptep_clear', 'U8.set_migration_pte')).toEqual(['pte_clear', 'tlb_flush', 'set_migration_pte']);
    expect(p.steps.some((s) => s.op === 'tlb_flush_batched')).toBe(false);
  });

  it('v6.7 MIGRATE_ASYNC (TTU_BATCH_FLUSH): no flush in the PTE loop, one try_to_unmap_flush() after the batch', () => {
    const p = path('mig-v6-async', 'migrate_pages');
    expect(p.steps.filter((s) => s.op === 'tlb_flush')).toEqual([]);
    const flush = p.steps.findIndex((s) => s.op === 'tlb_flush_batched');
    expect(flush).toBeGreaterThan(p.steps.findIndex((s) => s.label === 'U8.walk_done'));
    expect(flush).toBeLessThan(p.steps.findIndex((s) => s.label === 'U9.page_mapped'));
    expect(p.steps[flush].src).toEqual({ file: 'mm/migrate.c', fn: 'migrate_pages_batch', version: 'v6.7' });
  });

  it('v5.15 try_to_migrate(page, 0): no TTU_SYNC, so page_vma_mapped_walk skips a none PTE before taking the PTL', () => {
    const p = path(undefined, 'migrate_pages');
    expect(ops(p, 'U8.pvmw_lockless_check', 'U8.pvmw_ptl_lock')).toEqual(['pte_read_lockless', 'bkind', 'ptl_lock']);
  });
});

describe('__unmap_and_move and the waiter', () => {
  for (const variant of [undefined, 'mig-v6']) {
    it(`${variant ?? 'v5.15'}: a failed trylock of the new page unlocks the old one and retries (out_unlock, -EAGAIN)`, () => {
      const p = path(variant, 'migrate_pages');
      const at = p.steps.findIndex((s) => s.label === 'U5.trylock_newpage');
      expect(p.steps[at + 1]).toMatchObject({ op: 'beq', args: ['ok', 0, 'U5.out_unlock'] });
      expect(p.steps.find((s) => s.label === 'U5.out_unlock')).toMatchObject({ op: 'unlock_page', args: ['src'] });
    });
  }

  it('before ffa65753c431: compound_head() before get_page_unless_zero, so the reference and the wait are on the head', () => {
    const p = path('wait-pre', 'handle_mm_fault');
    expect(ops(p, 'F3.pfn_swap_entry_to_page', 'F3.get_page_unless_zero')).toEqual(['check_locked', 'pfn', 'compound_head', 'try_get_page']);
  });

  it('after ffa65753c431 (v6.6): folio = page_folio(pfn_swap_entry_to_page(entry)), labelled as v6.6 names it', () => {
    const p = path(undefined, 'handle_mm_fault');
    expect(ops(p, 'F4.pfn_swap_entry_to_page', 'F4.folio_set_waiters')).toEqual(['check_locked', 'pfn', 'compound_head', 'waitq_add']);
  });
});
