import { migratePages } from '../paths/migrate-pages.js';
import { handleMmFault } from '../paths/fault.js';
import { forkCopy, mremapMove } from '../paths/fork-and-mremap.js';
import { pmdMigrationEntryWait, type PmdWait } from '../paths/pmd.js';
import { collapseRetract, faultRetractedTable } from '../paths/retract.js';
import { KERNEL_MIGRATE_PASSES } from '../invariants.js';
import type { Scenario } from './scenario.js';
import type { PageDecl } from '../world.js';

// Issue 19: the rmap walks that can miss a PTE (fork, mremap) and the PMD-level wait path, the
// families the seed question depends on that the first catalogue left out.

const migration = (rmapLocks: boolean) =>
  migratePages({ version: 'v5', installOrder: 'clear-flush-set', mapping: 'anon', passes: KERNEL_MIGRATE_PASSES, rounds: 1, walkFlags: 0, rmapLocks });

const anonPages = (ref: number): PageDecl[] => [
  { name: 'P', ref, map: 1, mapping: 'anon', index: 0 },
  { name: 'Q', ref: 0, map: 0, mapping: 'none', index: 0, free: true },
];

const faultOnce = () => handleMmFault({ wait: 'post', accesses: 1, noneRetries: 3, missing: 'anon', recheckBeforeRef: false });

/**
 * fork while the page migrates: the child's VMA joins the anon_vma, then copy_pte_range copies the
 * parent's PTE, possibly a migration entry, without the anon_vma lock. The removal walk must
 * visit the parent before the child: then either the copy happened first (the walk finds the
 * child's entry later) or the walk restored the parent's PTE first (the copy is a present PTE).
 */
export const forkScenario: Scenario = {
  name: 'c12-fork',
  title: 'C12: migration vs fork copying a migration entry (anon_vma order)',
  row: 'C12',
  description:
    "T_mig migrates anon page P mapped by the parent's PTE eP; T_fork links the child's VMA into the anon_vma and copies eP into the child's eC under both PTLs, as it is; T_flt then touches the child's address. The rmap walk visits VMAs in anon_vma order: the kernel walks the parent first (equal pgoffs are walked in insertion order); walking the child first lets the copy land behind the removal walk and leaves a stale entry.",
  params: [],
  switches: [
    {
      name: 'ANONVMA',
      values: ['parent-first', 'child-first'],
      default: 'parent-first',
      description:
        "rmap order of the two VMAs: parent-first (the interval tree's insertion order for equal pgoffs, bf181b9f9d8d) or child-first (the order the kernel relies on never happening)",
    },
  ],
  invariants: ['bug-on', 'I3', 'use-after-free', 'deadlock'],
  variants: [
    {
      name: 'c12-child-first',
      description: "the child's VMA is walked before the parent's",
      switches: { ANONVMA: 'child-first' },
      expect: {
        commit: 'bf181b9f9d8d',
        verdict: 'violated',
        invariant: 'I3',
        why: "the order the interval tree's insertion order rules out: the copy lands behind the removal walk and the child keeps a stale entry",
      },
    },
  ],
  expect: {
    commit: 'bf181b9f9d8d',
    verdict: 'holds',
    why: 'ties in pgoff are walked in insertion order, so the parent (linked first) is walked before the child (38a76013ad80 states the rule)',
  },
  build: ({ switches }) => {
    const childFirst = switches.ANONVMA === 'child-first';
    const parent = { name: 'parent', start: 16, pgoff: 0 };
    const child = { name: 'child', start: 48, pgoff: 0, unlinked: true };
    const vmas = childFirst ? [child, parent] : [parent, child];
    return {
      pages: anonPages(2),
      vmas,
      ptes: [
        { name: 'eP', addr: 16, ptl: 'ptlP', init: { kind: 'present', page: 'P', writable: true } },
        { name: 'eC', addr: 48, ptl: 'ptlC', init: { kind: 'none' } },
      ],
      ptls: ['ptlP', 'ptlC'],
      threads: [
        { name: 'mig', path: 'migrate_pages', args: { src: 'P', dst: 'Q' } },
        { name: 'fork', path: 'dup_mmap', args: { src: 'eP', dst: 'eC', page: 'P' } },
        { name: 'flt', path: 'handle_mm_fault', args: { pte: 'eC', page: 'P' } },
      ],
      paths: { migrate_pages: migration(true), dup_mmap: forkCopy(vmas.indexOf(child)), handle_mm_fault: faultOnce() },
      symmetry: [],
      rmapOrder: 'fixed',
    };
  },
};

/**
 * mremap while the page migrates: move_ptes moves the PTE (a migration entry as it is) from the old
 * VMA to the new one without the rmap lock unless need_rmap_locks; that is safe only when the new
 * VMA comes after the old one in rmap order (38a76013ad80).
 */
export const mremapScenario: Scenario = {
  name: 'c13-mremap',
  title: 'C13: migration vs mremap moving a migration entry (need_rmap_locks)',
  row: 'C13',
  description:
    'T_mig migrates anon page P mapped at the old address; T_mremap links the new VMA, moves the PTE from eOld to eNew under both PTLs (and the anon_vma lock only if need_rmap_locks), then unlinks the old VMA; T_flt touches the new address. Without the rmap lock, the walk must visit the old VMA before the new one, or it can miss the entry in both places.',
  params: [],
  switches: [
    {
      name: 'ORDER',
      values: ['new-after-old', 'new-before-old'],
      default: 'new-after-old',
      description: 'rmap order of the new VMA: after the old (new_pgoff >= pgoff, the common case) or before it (vma_merge placed it lower)',
    },
    {
      name: 'RMAPLOCKS',
      values: ['kernel', 'never'],
      default: 'kernel',
      description:
        'kernel: need_rmap_locks is set exactly when the new VMA comes first (38a76013ad80); never: move_ptes never takes the rmap lock (the bug 952635949d87 fixed)',
    },
  ],
  invariants: ['bug-on', 'I3', 'use-after-free', 'deadlock'],
  variants: [
    {
      name: 'c13-merged-locked',
      description: 'vma_merge put the new VMA first; need_rmap_locks makes move_ptes take the anon_vma lock',
      switches: { ORDER: 'new-before-old' },
      expect: { commit: '38a76013ad80', verdict: 'holds', why: 'the anon_vma lock keeps the walk from seeing the PTE in neither place' },
    },
    {
      name: 'c13-merged-unlocked',
      description: 'vma_merge put the new VMA first and move_ptes takes no rmap lock',
      switches: { ORDER: 'new-before-old', RMAPLOCKS: 'never' },
      expect: {
        commit: '952635949d87',
        verdict: 'violated',
        invariant: 'I3',
        why: '"If vma_merge succeeds in copy_vma, the src vma could be placed after the dst vma ... migrate missing some pte": the entry moves behind the removal walk',
      },
    },
  ],
  expect: {
    commit: '38a76013ad80',
    verdict: 'holds',
    why: 'the new VMA comes after the old one in rmap order, so moving the PTE without the rmap lock is safe',
  },
  build: ({ switches }) => {
    const newFirst = switches.ORDER === 'new-before-old';
    const oldV = { name: 'old', start: 16, pgoff: 0 };
    const newV = { name: 'new', start: 48, pgoff: 0, unlinked: true };
    const vmas = newFirst ? [newV, oldV] : [oldV, newV];
    const locks = switches.RMAPLOCKS !== 'never' && newFirst;
    return {
      pages: anonPages(2),
      vmas,
      ptes: [
        { name: 'eOld', addr: 16, ptl: 'ptlOld', init: { kind: 'present', page: 'P', writable: true } },
        { name: 'eNew', addr: 48, ptl: 'ptlNew', init: { kind: 'none' } },
      ],
      ptls: ['ptlOld', 'ptlNew'],
      threads: [
        { name: 'mig', path: 'migrate_pages', args: { src: 'P', dst: 'Q' } },
        { name: 'mremap', path: 'move_vma', args: { from: 'eOld', to: 'eNew', page: 'P' } },
        { name: 'flt', path: 'handle_mm_fault', args: { pte: 'eNew', page: 'P' } },
      ],
      paths: { migrate_pages: migration(true), move_vma: mremapMove(vmas.indexOf(oldV), vmas.indexOf(newV), locks), handle_mm_fault: faultOnce() },
      symmetry: [],
      rmapOrder: 'fixed',
    };
  },
};

/**
 * A PMD-mapped THP migrates (set_pmd_migration_entry / remove_migration_pmd under the PMD lock)
 * while a fault waits on its PMD migration entry.
 */
export const pmdScenario: Scenario = {
  name: 'c5-pmd-wait',
  title: 'C5: a PMD migration entry and its wait path (pmd_migration_entry_wait)',
  row: 'C5',
  description:
    'T_mig migrates the PMD-mapped THP H (its PMD is modelled as one entry under the PMD lock); T_flt faults on the PMD and waits for the migration: after ffa65753c431 under the PMD lock with no reference, before it with get_page_unless_zero and put_and_wait, or, as do_huge_pmd_numa_page did before 3c226c637b69, with no reference after dropping the PMD lock.',
  params: [],
  switches: [
    {
      name: 'PMDWAIT',
      values: ['post', 'pre', 'no-ref'],
      default: 'post',
      description:
        'post: migration_entry_wait_on_locked under the PMD lock (v6.6); pre: get_page_unless_zero then put_and_wait (v5.15); no-ref: wait after dropping the lock, holding nothing (before 3c226c637b69)',
    },
  ],
  invariants: ['bug-on', 'I3', 'I9', 'waiter-ref', 'use-after-free', 'deadlock'],
  variants: [
    {
      name: 'c5-pmd-pre',
      description: 'pmd_migration_entry_wait before ffa65753c431 (v5.15): a temporary reference, then put_and_wait',
      switches: { PMDWAIT: 'pre' },
      expect: { commit: 'ffa65753c431', verdict: 'holds', why: 'the reference keeps the page allocated; the migration may fail a pass on it and retry' },
    },
    {
      name: 'c5-pmd-no-ref',
      description: 'wait with no reference after dropping the PMD lock (the pattern 3c226c637b69 fixed)',
      switches: { PMDWAIT: 'no-ref' },
      expect: {
        commit: '3c226c637b69',
        verdict: 'violated',
        invariant: 'waiter-ref',
        why: '"avoid waiting on freed migrated pages": nothing keeps the page allocated between dropping the PMD lock and queueing',
      },
    },
  ],
  expect: { commit: 'ffa65753c431', verdict: 'holds', why: 'the waiter queues while holding the PMD lock of an entry that pins the page (I3 corollary, I9)' },
  build: ({ switches }) => ({
    pages: anonPages(2),
    vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
    ptes: [{ name: 'pmd', addr: 16, ptl: 'pmd_lock', init: { kind: 'present', page: 'P', writable: true } }],
    ptls: ['pmd_lock'],
    threads: [
      { name: 'mig', path: 'migrate_pages', args: { src: 'P', dst: 'Q' } },
      { name: 'flt', path: 'pmd_fault', args: { pmd: 'pmd', page: 'P' } },
    ],
    paths: { migrate_pages: migration(false), pmd_fault: pmdMigrationEntryWait((switches.PMDWAIT ?? 'post') as PmdWait) },
    symmetry: [],
  }),
};

/**
 * A page table replaced under a waiter: a fault saw a migration entry, the migration finished,
 * khugepaged unmapped the page and retracted the page table; the fault's pte_offset_map_lock must
 * notice that the PMD no longer points to the table it locked.
 */
export const retractScenario: Scenario = {
  name: 'c14-pte-retract',
  title: 'C14: a page table retracted under a fault waiting on a migration entry (pte_offset_map_lock)',
  row: 'C14',
  description:
    "T_mig migrates shmem page P mapped by e in page table T (PMD `pmd`); T_flt reads e locklessly, sees the migration entry and calls migration_entry_wait; T_khugepaged (collapse_file, retract_page_tables, v6.6: no mmap_lock) unmaps the page once the migration is done, clears the PMD and frees T after an RCU grace period. pte_offset_map_lock re-checks the PMD after taking T's PTL (0d940a9b270b); without that check the fault locks and uses a retracted table, which is freed under it.",
  params: [],
  switches: [
    {
      name: 'RECHECK',
      values: ['pmd-same', 'none'],
      default: 'pmd-same',
      description:
        "pmd-same: __pte_offset_map_lock's pmd_same() check after spin_lock (0d940a9b270b); none: the fault trusts the PMD it read before taking the lock",
    },
  ],
  invariants: ['bug-on', 'I3', 'I9', 'use-after-free', 'deadlock'],
  variants: [
    {
      name: 'c14-no-recheck',
      description: "v6.6's lockless retract_page_tables with a pte_offset_map_lock that does not re-check the PMD",
      switches: { RECHECK: 'none' },
      expect: {
        commit: '0d940a9b270b',
        verdict: 'violated',
        invariant: 'use-after-free',
        why: '"__pte_offset_map_lock() verify pmdval unchanged after getting the lock": without it the fault holds the PTL of a table pte_free_defer frees',
      },
    },
  ],
  expect: {
    commit: '0d940a9b270b',
    verdict: 'holds',
    why: 'the PMD check after spin_lock sends the fault back once the table is retracted, while RCU still keeps it allocated',
  },
  build: ({ switches }) => ({
    pages: [
      { name: 'P', ref: 3, map: 1, mapping: 'shmem', index: 0 },
      { name: 'Q', ref: 0, map: 0, mapping: 'none', index: 0, free: true },
      { name: 'T', ref: 1, map: 0, mapping: 'none', index: 0 },
    ],
    vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
    ptes: [
      { name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true } },
      { name: 'pmd', addr: 4096, ptl: 'pmd_lock', init: { kind: 'present', page: 'T', writable: true } },
    ],
    ptls: ['ptl', 'pmd_lock'],
    threads: [
      { name: 'mig', path: 'migrate_pages', args: { src: 'P', dst: 'Q' } },
      { name: 'flt', path: 'handle_mm_fault', args: { pte: 'e', pmd: 'pmd', tbl: 'T' } },
      { name: 'khugepaged', path: 'khugepaged', args: { pte: 'e', pmd: 'pmd', tbl: 'T', page: 'P' } },
    ],
    paths: {
      migrate_pages: migratePages({
        version: 'v5',
        installOrder: 'clear-flush-set',
        mapping: 'mapping',
        passes: KERNEL_MIGRATE_PASSES,
        rounds: 1,
        walkFlags: 0,
        rmapLocks: false,
      }),
      handle_mm_fault: faultRetractedTable(switches.RECHECK !== 'none'),
      khugepaged: collapseRetract(),
    },
    symmetry: [],
  }),
};
