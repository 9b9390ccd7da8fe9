import { migratePages } from '../paths/migrate-pages.js';
import { KERNEL_MIGRATE_PASSES } from '../invariants.js';
import { handleMmFault } from '../paths/fault.js';
import type { Scenario, WorldDraft } from './scenario.js';
import type { Patch } from '../variants/variant.js';
import type { PteDecl, SymmetryGroup, ThreadDecl, VmaDecl } from '../world.js';

export const MIGRATION_SWITCHES = [
  {
    name: 'WAIT',
    values: ['post', 'pre'],
    default: 'post',
    description: 'fault side: after ffa65753c431 (queue under the PTL, no reference) or before it (get_page_unless_zero, put-and-wait)',
  },
  {
    name: 'MIG',
    values: ['v5', 'v6batch', 'v6async', 'reorder'],
    default: 'v5',
    description:
      'migration: v5.15 __unmap_and_move; v6.7 batch in MIGRATE_SYNC (ptep_clear_flush per PTE); v6.7 batch in MIGRATE_ASYNC (TTU_BATCH_FLUSH: one try_to_unmap_flush after the batch); or v5 with the flush after the entry is installed (reference §4 #9)',
  },
  {
    name: 'MUTANT',
    values: ['none', 'unlock-before-remove', 'install-before-lock'],
    default: 'none',
    description: 'a deliberately broken protocol, to check that the invariants catch it',
  },
] as const;

export const MUTANT_PATCHES = {
  'unlock-before-remove': [{ op: 'move', path: 'migrate_pages', step: 'U12.unlock_page', before: 'U10.remove_migration_ptes' }],
  'install-before-lock': [{ op: 'move', path: 'migrate_pages', step: 'U2', before: 'U9.rc_eagain' }],
} as const;

/**
 * The seed thread (reference §3, §5 C0): one migration thread moves page P while fault threads
 * hit its PTEs. N PTEs of one page, in N VMAs of one mm, all under one PTL.
 */
export const seedScenario: Scenario = {
  name: 'seed',
  title: 'The seed thread: can a PTL holder see a migration entry for an unlocked page?',
  row: 'C0/C7',
  description:
    'T_mig migrates anon page P to a new page (and back, `rounds` times); `faults` threads fault on the `ptes` PTEs that map P under one PTL. The kernel protocol must never let a PTL holder decode a migration entry whose page is unlocked.',
  params: [
    { name: 'ptes', default: 1, min: 1, max: 16, description: 'PTEs mapping the page (one VMA each, one PTL)' },
    { name: 'faults', default: 1, min: 0, max: 16, description: 'faulting threads; thread i faults on PTE i mod ptes' },
    { name: 'rounds', default: 1, min: 1, max: 10_000_000, description: 'migrations of the page back and forth' },
    { name: 'accesses', default: 0, min: 0, max: 10_000_000, description: 'successful accesses per fault thread (0: as many as rounds)' },
    {
      name: 'passes',
      default: KERNEL_MIGRATE_PASSES,
      min: 1,
      max: KERNEL_MIGRATE_PASSES,
      description: `migrate_pages passes before giving up on -EAGAIN (the kernel: ${KERNEL_MIGRATE_PASSES}; fewer is a model bound)`,
    },
  ],
  switches: MIGRATION_SWITCHES,
  invariants: ['bug-on', 'I3', 'I9', 'use-after-free', 'deadlock'],
  variants: [
    {
      name: 'unlock-before-remove',
      description: 'MUTANT: unlock the old page before removing its migration entries',
      switches: { MUTANT: 'unlock-before-remove' },
      expect: {
        commit: 'mutant',
        verdict: 'violated',
        invariant: 'bug-on',
        why: 'breaks I6 (removal before unlock): a fault holding the PTL decodes an entry of the unlocked page',
      },
    },
    {
      name: 'install-before-lock',
      description: 'MUTANT: install migration entries before taking the page lock',
      switches: { MUTANT: 'install-before-lock' },
      expect: {
        commit: 'mutant',
        verdict: 'violated',
        invariant: 'bug-on',
        why: 'breaks I7 (lock before install): the entry exists before the page is locked',
      },
    },
    {
      name: 'wait-pre',
      description: 'the fault side before ffa65753c431 (__migration_entry_wait with a temporary reference)',
      switches: { WAIT: 'pre' },
      expect: { commit: 'ffa65753c431^', verdict: 'holds', why: 'the temporary reference keeps the page allocated; it can only make a migration pass fail' },
    },
    {
      name: 'mig-v6',
      description: 'migration as in v6.7 (migrate_folio_unmap / migrate_folio_move), MIGRATE_SYNC: ptep_clear_flush per PTE',
      switches: { MIG: 'v6batch' },
      expect: {
        commit: '"migrate_pages: batch _unmap and _move" (v6.3)',
        verdict: 'holds',
        why: 'the batch keeps lock -> install -> remove -> unlock per folio',
      },
    },
    {
      name: 'mig-v6-async',
      description: 'migration as in v6.7, MIGRATE_ASYNC: TTU_BATCH_FLUSH, one try_to_unmap_flush() after the batch',
      switches: { MIG: 'v6async' },
      expect: {
        commit: '"migrate_pages: batch _unmap and _move" (v6.3)',
        verdict: 'holds',
        why: 'deferring the TLB flush changes what lockless readers see, not what a PTL holder sees',
      },
    },
  ],
  expect: {
    commit: 'ffa65753c431',
    verdict: 'holds',
    why: "Alistair's argument: both pages are locked before try_to_migrate and unlocked after remove_migration_ptes, which needs the PTL",
  },
  catalogueParams: { ptes: 2, faults: 1 },
  patchesFor: (switches) => (MUTANT_PATCHES as Readonly<Record<string, readonly Patch[]>>)[switches.MUTANT] ?? [],
  build({ params, switches }): WorldDraft {
    const n = params.ptes;
    const f = params.faults;
    const vmas: VmaDecl[] = [];
    const ptes: PteDecl[] = [];
    for (let i = 0; i < n; i++) {
      vmas.push({ name: `vma${i}`, start: 16 * (i + 1), pgoff: 0 });
      ptes.push({ name: `e${i}`, addr: 16 * (i + 1), ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true } });
    }
    const threads: ThreadDecl[] = [{ name: 'mig', path: 'migrate_pages', args: { src: 'P', dst: 'Q' } }];
    // The free-page pool get_new_page draws from: before ffa65753c431 each waiter can pin one old
    // page with get_page_unless_zero, so a later round may need that many more free pages.
    const pre = switches.WAIT === 'pre';
    const spares = pre ? Math.min(f, params.rounds - 1) : 0;
    for (let i = 0; i < f; i++) threads.push({ name: `flt${i}`, path: 'handle_mm_fault', args: { pte: `e${i % n}`, page: 'P' } });
    return {
      pages: [
        { name: 'P', ref: 1 + n, map: n, mapping: 'anon', index: 0 },
        { name: 'Q', ref: 0, map: 0, mapping: 'none', index: 0, free: true },
        ...Array.from({ length: spares }, (_, i) => ({ name: `F${i}`, ref: 0, map: 0, mapping: 'none' as const, index: 0, free: true })),
      ],
      vmas,
      ptes,
      ptls: ['ptl'],
      threads,
      paths: {
        migrate_pages: migratePages({
          version: switches.MIG === 'v6batch' || switches.MIG === 'v6async' ? 'v6batch' : 'v5',
          mode: switches.MIG === 'v6async' ? 'async' : 'sync',
          installOrder: switches.MIG === 'reorder' ? 'clear-set-flush' : 'clear-flush-set',
          mapping: 'anon',
          passes: params.passes,
          rounds: params.rounds,
          walkFlags: 0,
          rmapLocks: false,
        }),
        handle_mm_fault: handleMmFault({
          wait: pre ? 'pre' : 'post',
          accesses: params.accesses || params.rounds,
          noneRetries: 2,
          missing: 'anon',
          recheckBeforeRef: false,
        }),
      },
      symmetry: seedSymmetry(n, f),
    };
  },
};

/** Fault thread i, PTE i and VMA i are interchangeable with every other such triple. */
function seedSymmetry(n: number, f: number): SymmetryGroup[] {
  if (f > n) return [];
  const idx = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);
  const withThreads = idx(0, f);
  const bare = idx(f, n);
  const groups: SymmetryGroup[] = [];
  if (withThreads.length > 1) {
    groups.push({
      threads: withThreads.map((i) => `flt${i}`),
      ptes: withThreads.map((i) => `e${i}`),
      vmas: withThreads.map((i) => `vma${i}`),
      pages: [],
    });
  }
  if (bare.length > 1) groups.push({ threads: [], ptes: bare.map((i) => `e${i}`), vmas: bare.map((i) => `vma${i}`), pages: [] });
  return groups;
}
