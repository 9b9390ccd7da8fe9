import { migratePages } from '../paths/migrate-pages.js';
import { handleMmFault } from '../paths/fault.js';
import type { Scenario, WorldDraft } from './scenario.js';
import type { PteDecl, SymmetryGroup, ThreadDecl, VmaDecl } from '../world.js';

export const MIGRATION_SWITCHES = [
  { name: 'WAIT', values: ['post', 'pre'], default: 'post', description: 'fault side: after ffa65753c431 (queue under the PTL, no reference) or before it (get_page_unless_zero, put-and-wait)' },
  { name: 'MIG', values: ['v5', 'v6batch', 'reorder'], default: 'v5', description: 'migration: v5.15 __unmap_and_move, v6.7 batch, or v5 with the flush after the entry is installed (reference §4 #9)' },
  { name: 'MUTANT', values: ['none', 'unlock-before-remove', 'install-before-lock'], default: 'none', description: 'a deliberately broken protocol, to check that the invariants catch it' },
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
    { name: 'passes', default: 3, min: 1, max: 10, description: 'migrate_pages passes before giving up on -EAGAIN' },
  ],
  switches: MIGRATION_SWITCHES,
  invariants: ['bug-on', 'I3', 'I9', 'use-after-free', 'deadlock'],
  variants: [
    { name: 'unlock-before-remove', description: 'MUTANT: unlock the old page before removing its migration entries', switches: { MUTANT: 'unlock-before-remove' } },
    { name: 'install-before-lock', description: 'MUTANT: install migration entries before taking the page lock', switches: { MUTANT: 'install-before-lock' } },
    { name: 'wait-pre', description: 'the fault side before ffa65753c431 (__migration_entry_wait with a temporary reference)', switches: { WAIT: 'pre' } },
    { name: 'mig-v6', description: 'migration as in v6.7 (migrate_folio_unmap / migrate_folio_move, deferred TLB flush)', switches: { MIG: 'v6batch' } },
  ],
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
    for (let i = 0; i < f; i++) threads.push({ name: `flt${i}`, path: 'handle_mm_fault', args: { pte: `e${i % n}`, page: 'P' } });
    return {
      pages: [
        { name: 'P', ref: 1 + n, map: n, mapping: 'anon', index: 0 },
        { name: 'Q', ref: 0, map: 0, mapping: 'none', index: 0, free: true },
      ],
      vmas,
      ptes,
      ptls: ['ptl'],
      threads,
      paths: {
        migrate_pages: migratePages({
          version: switches.MIG === 'v6batch' ? 'v6batch' : 'v5',
          installOrder: switches.MIG === 'reorder' ? 'clear-set-flush' : 'clear-flush-set',
          mapping: 'anon',
          passes: params.passes,
          rounds: params.rounds,
          walkFlags: 0,
          rmapLocks: false,
        }),
        handle_mm_fault: handleMmFault({
          wait: switches.WAIT === 'pre' ? 'pre' : 'post',
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
