import { migratePages } from '../paths/migrate-pages.js';
import { handleMmFault } from '../paths/fault.js';
import { deviceFault, remapFilePages, shiftArgPages } from '../paths/exec-and-remap.js';
import { splitHugePageUnmap, zapPteRange } from '../paths/zap.js';
import { RmapWalk } from '../isa.js';
import { KERNEL_MIGRATE_PASSES } from '../invariants.js';
import type { Scenario } from './scenario.js';

/** The kernel's migrate_pages passes (10); a smaller bound is a model bound, and stopping there is no violation. */
const passes = () => ({
  name: 'passes',
  default: KERNEL_MIGRATE_PASSES,
  min: 1,
  max: KERNEL_MIGRATE_PASSES,
  description: `migration passes before giving up on -EAGAIN (the kernel: ${KERNEL_MIGRATE_PASSES}; fewer is a model bound, not the kernel's give-up)`,
});

const faultOnce = (missing: 'anon' | 'shmem' = 'anon', recheckBeforeRef = false, noneRetries = 2) =>
  handleMmFault({ wait: 'post', accesses: 1, noneRetries, missing, recheckBeforeRef });

/** §4 #1 / §5 C1: exec moves the temporary stack while the page is being migrated. */
export const execStackScenario: Scenario = {
  name: 'c1-exec-stack',
  title: 'C1: migration vs exec shifting the temporary stack',
  row: 'C1',
  description:
    "exec's shift_arg_pages moves the stack VMA's start (A) and then its PTE (B) without the rmap lock. If migration walks the temporary stack, its removal walk can look at the new address before the PTE moves there and leave a stale migration entry behind.",
  params: [passes()],
  switches: [
    {
      name: 'STACK',
      values: ['skip', 'walk'],
      default: 'skip',
      description: 'skip: try_to_migrate skips temporary-stack VMAs (invalid_migration_vma); walk: it does not (the bug)',
    },
  ],
  invariants: ['bug-on', 'I3', 'use-after-free', 'deadlock'],
  variants: [
    {
      name: 'c1-exec-stack',
      description: 'the migration walk does not skip the temporary stack',
      switches: { STACK: 'walk' },
      expect: {
        commit: 'a8bef8ff6ea1',
        verdict: 'violated',
        invariant: 'I3',
        why: 'exec moves the stack PTE behind the removal walk: a stale entry outlives the page (the BUG at swapops.h:105 of the report)',
      },
    },
  ],
  expect: {
    commit: 'a8bef8ff6ea1',
    verdict: 'holds',
    why: 'migration skips temporary stacks, so no entry is installed where exec moves PTEs without the rmap lock',
  },
  build: ({ params, switches }) => ({
    pages: [
      { name: 'P', ref: 2, map: 1, mapping: 'anon', index: 0 },
      { name: 'Q', ref: 0, map: 0, mapping: 'none', index: 0, free: true },
    ],
    vmas: [{ name: 'stack', start: 16, pgoff: 0, tempStack: true }],
    ptes: [
      { name: 'eA', addr: 16, ptl: 'ptlA', init: { kind: 'present', page: 'P', writable: true } },
      { name: 'eB', addr: 48, ptl: 'ptlB', init: { kind: 'none' } },
    ],
    ptls: ['ptlA', 'ptlB'],
    threads: [
      { name: 'mig', path: 'migrate_pages', args: { src: 'P', dst: 'Q' } },
      { name: 'exec', path: 'shift_arg_pages', args: { from: 'eA', to: 'eB' } },
      { name: 'flt', path: 'handle_mm_fault', args: { pte: 'eB', page: 'P' } },
    ],
    paths: {
      migrate_pages: migratePages({
        version: 'v5',
        installOrder: 'clear-flush-set',
        mapping: 'anon',
        passes: params.passes,
        rounds: 1,
        walkFlags: switches.STACK === 'walk' ? 0 : RmapWalk.skipTempStack,
        rmapLocks: false,
      }),
      shift_arg_pages: shiftArgPages(0, 48),
      // The new stack address has no PTE until exec moves one there: keep touching it.
      handle_mm_fault: faultOnce('anon', false, 4),
    },
    symmetry: [],
  }),
};

/** §4 #3 / §5 C3: remap_file_pages moves a VMA to the nonlinear list between the two walks. */
export const remapFilePagesScenario: Scenario = {
  name: 'c3-remap-file-pages',
  title: 'C3: migration vs remap_file_pages (nonlinear VMAs)',
  row: 'C3',
  description:
    'A file page is mapped by a linear VMA. remap_file_pages moves the VMA to the i_mmap_nonlinear list; a removal walk that scans only the interval tree misses the migration entry installed before the move.',
  params: [passes()],
  switches: [
    {
      name: 'NONLINEAR',
      values: ['walk', 'skip'],
      default: 'walk',
      description: 'walk: rmap walks also scan the nonlinear list; skip: only the interval tree (the bug)',
    },
  ],
  invariants: ['bug-on', 'I3', 'use-after-free', 'deadlock'],
  variants: [
    {
      name: 'c3-remap-file-pages',
      description: 'the rmap walk scans only the interval tree',
      switches: { NONLINEAR: 'skip' },
      expect: {
        commit: '7e09e738afd2',
        verdict: 'violated',
        invariant: 'I3',
        why: 'the removal walk misses the entry of a VMA moved to the nonlinear list (swapops.h:131)',
      },
    },
  ],
  expect: { commit: '7e09e738afd2', verdict: 'holds', why: 'remove_migration_ptes also walks the nonlinear VMAs' },
  build: ({ params, switches }) => ({
    pages: [
      { name: 'P', ref: 3, map: 1, mapping: 'file', index: 0 },
      { name: 'Q', ref: 0, map: 0, mapping: 'none', index: 0, free: true },
    ],
    vmas: [{ name: 'linear', start: 16, pgoff: 0 }],
    ptes: [{ name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true } }],
    ptls: ['ptl'],
    threads: [
      { name: 'mig', path: 'migrate_pages', args: { src: 'P', dst: 'Q' } },
      { name: 'rfp', path: 'remap_file_pages', args: { page: 'P' } },
      { name: 'flt', path: 'handle_mm_fault', args: { pte: 'e', page: 'P' } },
    ],
    paths: {
      migrate_pages: migratePages({
        version: 'v5',
        installOrder: 'clear-flush-set',
        mapping: 'mapping',
        passes: params.passes,
        rounds: 1,
        walkFlags: switches.NONLINEAR === 'skip' ? 0 : RmapWalk.nonlinear,
        rmapLocks: true,
      }),
      remap_file_pages: remapFilePages(0),
      handle_mm_fault: faultOnce(),
    },
    symmetry: [],
  }),
};

/** §4 #6 / §5 C6: a THP split's unmap walk races with zap_pte_range. */
export const ttuSyncScenario: Scenario = {
  name: 'c6-ttu-sync',
  title: 'C6: split_huge_page unmap vs zap_pte_range (TTU_SYNC)',
  row: 'C6',
  description:
    "zap clears the PTE and drops the mapcount in one PTL section. Without TTU_SYNC the split's walk skips the PTE that reads none without taking the PTL, and then finds the folio still mapped.",
  params: [],
  switches: [{ name: 'TTU_SYNC', values: ['on', 'off'], default: 'on', description: 'on: page_vma_mapped_walk always takes the PTL (PVMW_SYNC)' }],
  invariants: ['split-unmapped', 'bug-on', 'I3', 'use-after-free', 'deadlock'],
  variants: [
    {
      name: 'c6-no-ttu-sync',
      description: 'the split walks without PVMW_SYNC',
      switches: { TTU_SYNC: 'off' },
      expect: {
        commit: 'TTU_SYNC (v5.13-rc7, "mm/thp: try_to_unmap() use TTU_SYNC for safe splitting")',
        verdict: 'violated',
        invariant: 'split-unmapped',
        why: 'the walk skips the PTE zap has cleared but not yet unmapped',
      },
    },
  ],
  expect: { commit: 'TTU_SYNC (v5.13-rc7)', verdict: 'holds', why: 'PVMW_SYNC takes the PTL, which waits for the zap to drop the mapcount' },
  build: ({ switches }) => ({
    pages: [{ name: 'P', ref: 2, map: 1, mapping: 'anon', index: 0 }],
    vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
    ptes: [{ name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true } }],
    ptls: ['ptl'],
    threads: [
      { name: 'split', path: 'split_huge_page', args: { src: 'P' } },
      { name: 'zap', path: 'zap_pte_range', args: { pte: 'e' } },
    ],
    paths: { split_huge_page: splitHugePageUnmap(switches.TTU_SYNC !== 'off'), zap_pte_range: zapPteRange() },
    symmetry: [],
  }),
};

/** §4 #8, #9 / §5 C8/C9: a shmem fault's page-cache reference makes every migration pass fail. */
export const shmemRefcountScenario: Scenario = {
  name: 'c8-shmem-refcount',
  title: 'C8/C9: shmem migration vs a fault that pins the folio (refcount livelock)',
  row: 'C8/C9',
  description:
    "A reader's lockless PTE read sees the transient none of try_to_migrate_one, takes a page-cache reference and sleeps on the folio lock; the migrator's freeze then fails on every pass. A liveness failure, not a safety one.",
  params: [passes()],
  switches: [
    { name: 'MIG', values: ['v5', 'reorder'], default: 'v5', description: 'v5: clear, flush, install; reorder: clear, install, flush (the Dec 2024 proposal)' },
    {
      name: 'TLB',
      values: ['off', 'on'],
      default: 'off',
      description: "on: the reader's CPU starts with a cached translation, which may be evicted at any time",
    },
    {
      name: 'DOFAULT',
      values: ['recheck', 'plain'],
      default: 'recheck',
      description: 'recheck: do_fault re-checks the PTE under the PTL before taking the reference (the suggested fix)',
    },
  ],
  invariants: ['migration-progress', 'bug-on', 'I3', 'use-after-free', 'deadlock'],
  variants: [
    {
      name: 'c8-shmem-refcount',
      description: 'v5 order, no re-check in do_fault (the 2024 report)',
      switches: { DOFAULT: 'plain' },
      expect: {
        commit: 'none (2024 report, unmerged)',
        verdict: 'violated',
        invariant: 'migration-progress',
        why: 'the reader pins the folio on every pass: a livelock, not a safety violation',
      },
    },
    {
      name: 'c9-reorder-tlb',
      description: 'the flush moved after the install, TLB on, no re-check: narrows the window but does not close it',
      switches: { DOFAULT: 'plain', MIG: 'reorder', TLB: 'on' },
      expect: {
        commit: 'none (Dec 2024 proposal)',
        verdict: 'violated',
        invariant: 'migration-progress',
        why: 'a CPU without the cached translation still faults in the window',
      },
    },
  ],
  expect: { commit: 'none (suggested fix)', verdict: 'holds', why: 'do_fault re-checks the PTE under the PTL before it takes the page-cache reference' },
  build: ({ params, switches }) => ({
    pages: [
      { name: 'P', ref: 3, map: 1, mapping: 'shmem', index: 0 },
      { name: 'Q', ref: 0, map: 0, mapping: 'none', index: 0, free: true },
    ],
    vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
    ptes: [{ name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true } }],
    ptls: ['ptl'],
    threads: [
      { name: 'mig', path: 'migrate_pages', args: { src: 'P', dst: 'Q' }, tlb: [] },
      { name: 'rd', path: 'handle_mm_fault', args: { pte: 'e', page: 'P' }, tlb: switches.TLB === 'on' ? ['e'] : [] },
    ],
    paths: {
      migrate_pages: migratePages({
        version: 'v5',
        installOrder: switches.MIG === 'reorder' ? 'clear-set-flush' : 'clear-flush-set',
        mapping: 'mapping',
        passes: params.passes,
        rounds: 1,
        walkFlags: 0,
        rmapLocks: false,
      }),
      handle_mm_fault: faultOnce('shmem', switches.DOFAULT !== 'plain'),
    },
    symmetry: [],
  }),
};

/** §4 #10 / §5 C10: device-private faults that pin the page before migrating it to RAM. */
export const devicePrivateScenario: Scenario = {
  name: 'c10-device-private',
  title: 'C10: device-private faults and migrate_to_ram (refcount livelock)',
  row: 'C10',
  description:
    "Two threads fault on device-private entries of the same device page and each migrates it back to RAM. Taking a reference before the lock makes each see the other's reference: every attempt fails.",
  params: [passes()],
  switches: [
    {
      name: 'DEVLOCK',
      values: ['trylock', 'ref-first'],
      default: 'trylock',
      description: 'trylock: do_swap_page trylocks the device page before taking a reference (the fix)',
    },
  ],
  invariants: ['migration-progress', 'bug-on', 'I3', 'use-after-free', 'deadlock'],
  variants: [
    {
      name: 'c10-device-ref-first',
      description: 'each fault takes a reference before locking the device page',
      switches: { DEVLOCK: 'ref-first' },
      expect: {
        commit: 'before "mm/migrate: Trylock device page in do_swap_page" (2025)',
        verdict: 'violated',
        invariant: 'migration-progress',
        why: "each fault's reference makes the other's migration fail",
      },
    },
  ],
  expect: {
    commit: '"mm/migrate: Trylock device page in do_swap_page" (2025)',
    verdict: 'holds',
    why: 'only the lock holder migrates; the loser waits on the lock without a reference',
  },
  build: ({ params, switches }) => ({
    pages: [
      { name: 'D', ref: 3, map: 2, mapping: 'device', index: 0 },
      { name: 'R0', ref: 0, map: 0, mapping: 'none', index: 0, free: true },
      { name: 'R1', ref: 0, map: 0, mapping: 'none', index: 0, free: true },
    ],
    vmas: [
      { name: 'vma0', start: 16, pgoff: 0 },
      { name: 'vma1', start: 32, pgoff: 0 },
    ],
    ptes: [
      { name: 'e0', addr: 16, ptl: 'ptl', init: { kind: 'devicePrivate', page: 'D', writable: true } },
      { name: 'e1', addr: 32, ptl: 'ptl', init: { kind: 'devicePrivate', page: 'D', writable: true } },
    ],
    ptls: ['ptl'],
    threads: [
      { name: 'f0', path: 'do_swap_page_device', args: { src: 'D', dst: 'R0', fpte: 'e0' } },
      { name: 'f1', path: 'do_swap_page_device', args: { src: 'D', dst: 'R1', fpte: 'e1' } },
    ],
    paths: { do_swap_page_device: deviceFault(switches.DEVLOCK === 'ref-first', params.passes) },
    symmetry: [{ threads: ['f0', 'f1'], ptes: ['e0', 'e1'], vmas: ['vma0', 'vma1'], pages: ['R0', 'R1'] }],
  }),
};
