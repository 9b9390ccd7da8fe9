import { faultOnSplitEntry, splitHugePageToList, zapNonpresentPtes, type SplitBarriers } from '../paths/split.js';
import type { PathDef } from '../program.js';
import type { PteDecl } from '../world.js';
import type { Scenario } from './scenario.js';

/**
 * §4 #11 / §5 C11: a THP split publishes a tail as its own folio (flags, smp_wmb, compound_head)
 * while a PTL holder decodes one of the split's migration entries (compound_head, smp_rmb, flags).
 * Under sequential consistency, or x86-TSO, the holder always finds the folio locked; under lkmm,
 * without the reader's smp_rmb (4c5e7f0fcd59), it can see the new head with the old flags.
 */
const bug = (how: string) =>
  ({
    commit: '4c5e7f0fcd59^',
    verdict: 'violated',
    invariant: 'bug-on',
    why: `under lkmm, ${how}: a PTL holder sees the tail as its own folio with the old flags`,
  }) as const;

export const splitOrderScenario: Scenario = {
  name: 'c11-split-order',
  title: 'C11: THP split publishing a tail vs a PTL holder decoding its migration entry (memory ordering)',
  row: 'C11',
  description:
    "T_split splits an order-2 anon folio H (tails t1..t3, mapped by e0..e3 in one VMA under one PTL): it installs four migration entries, then per tail sets flags.locked, [smp_wmb], makes the tail its own head, then restores the entries and unlocks. A PTL holder (zap, or a fault in migration_entry_wait_on_locked) decodes e1's entry: loads t1's compound_head, [smp_rmb], then the folio's flags, and BUGs if the folio is unlocked. Run it with MEM=lkmm to see the race of 4c5e7f0fcd59.",
  params: [],
  switches: [
    {
      name: 'SPLITBAR',
      values: ['wmb+rmb', 'wmb', 'none'],
      default: 'wmb+rmb',
      description: "wmb+rmb: the writer's smp_wmb and the reader's smp_rmb (4c5e7f0fcd59); wmb: the writer's only (before the fix); none: neither",
    },
    {
      name: 'CHECK',
      values: ['zap', 'fault'],
      default: 'zap',
      description: 'the PTL holder that decodes the entry: zap_nonpresent_ptes, or a fault in migration_entry_wait_on_locked',
    },
  ],
  invariants: ['bug-on', 'I9', 'use-after-free', 'deadlock'],
  variants: [
    {
      name: 'c11-no-barriers',
      description: 'lkmm, no smp_wmb and no smp_rmb: the zap sees the new head with the old flags',
      switches: { SPLITBAR: 'none', MEM: 'lkmm' },
      expect: bug('neither barrier'),
    },
    {
      name: 'c11-wmb-only',
      description: "lkmm, the split's smp_wmb without the reader's smp_rmb (the kernel before 4c5e7f0fcd59)",
      switches: { SPLITBAR: 'wmb', MEM: 'lkmm' },
      expect: bug("the reader's loads reorder"),
    },
    {
      name: 'c11-fault-no-barriers',
      description: 'as c11-no-barriers, decoded by a fault in migration_entry_wait_on_locked',
      switches: { SPLITBAR: 'none', MEM: 'lkmm', CHECK: 'fault' },
      expect: bug('neither barrier'),
    },
    {
      name: 'c11-fault-wmb-only',
      description: 'as c11-wmb-only, decoded by a fault in migration_entry_wait_on_locked',
      switches: { SPLITBAR: 'wmb', MEM: 'lkmm', CHECK: 'fault' },
      expect: bug("the reader's loads reorder"),
    },
  ],
  expect: { commit: '4c5e7f0fcd59', verdict: 'holds', why: "the writer's smp_wmb pairs with the reader's smp_rmb (and under sc nothing reorders)" },
  build: ({ switches }) => {
    const bar = (switches.SPLITBAR ?? 'wmb+rmb') as SplitBarriers;
    const fault = switches.CHECK === 'fault';
    const pages = ['H', 't1', 't2', 't3'];
    const paths: Record<string, PathDef> = {
      split_huge_page: splitHugePageToList(bar),
      ...(fault ? { handle_mm_fault: faultOnSplitEntry(bar) } : { zap_pte_range: zapNonpresentPtes(bar) }),
    };
    const ptes: PteDecl[] = pages.map((p, i) => ({ name: `e${i}`, addr: 16 + i, ptl: 'ptl', init: { kind: 'present', page: p, writable: true } }));
    return {
      pages: [
        { name: 'H', ref: 1, map: 1, mapping: 'anon', index: 0 },
        ...pages.slice(1).map((name, i) => ({ name, ref: 1, map: 1, mapping: 'anon' as const, index: i + 1, head: 'H', owner: 'split' })),
      ],
      vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
      ptes,
      ptls: ['ptl'],
      threads: [
        { name: 'split', path: 'split_huge_page', args: { head: 'H', t1: 't1', t2: 't2', t3: 't3', e0: 'e0', e1: 'e1', e2: 'e2', e3: 'e3' } },
        fault ? { name: 'flt', path: 'handle_mm_fault', args: { pte: 'e1' } } : { name: 'zap', path: 'zap_pte_range', args: { pte: 'e1' } },
      ],
      paths,
      symmetry: [],
    };
  },
};
