import { resolveModel, type World } from '@mmreplay/model';

// A symmetry group whose only references from outside are registers and wait entries, held by
// threads outside the group. The group is the tuples (PTE ei, its VMA vmai, the page Pi it maps);
// no thread belongs to it. Threads `keeper` (thread 0), `sleeper1` and `sleeper2` each walk the
// rmap of page S, which visits every VMA (S is anon with index 0: the PTE at each VMA's start), and
// so pick a tuple without naming it (a thread outside a group may not name its objects). Each reads
// the PTE, takes the page it maps (pfn) into `pg` (register 1), drops every other reference to the
// tuple (PTE, VMA, PTE value, visited set; the registers start at none, but `src`), takes a
// reference to the page and queues on its wait queue with put_and_wait, which drops that reference
// again; then it sleeps until woken (at once: nobody locks the pages). `keeper` keeps the page in
// `pg`; a sleeper sets its `pg` to none once queued, so while it is queued its wait entry is the
// only thing it holds of the group. Two kinds of reachable states then have P0 and P1 alike
// (PG_waiters, one reference, one mapping) but for who refers to them: keeper finished holding one
// page in register 1 and sleeper1 queued on the other; keeper not started and each sleeper queued
// on a page of its own. The canonical form tells them apart only if every holder's register and
// wait entry is mixed into the keys at a place of its own.

const walkAndWait = (after: object[]) => [
  { label: 'W1.rmap_next', op: 'rmap_next', args: ['src', 'seen', 'vma', 'pte', 'W5.done', 0] },
  { label: 'W2.pte_read', op: 'pte_read_lockless', args: ['pte', 'old'] },
  { label: 'W3.pfn', op: 'pfn', args: ['pg', 'old'] },
  { label: 'W3.drop_vma', op: 'mov', args: ['vma', -1] },
  { label: 'W3.drop_pte', op: 'mov', args: ['pte', -1] },
  { label: 'W3.drop_old', op: 'mov', args: ['old', 0] },
  { label: 'W3.drop_seen', op: 'mov', args: ['seen', 0] },
  { label: 'W4.get_page', op: 'get_page', args: ['pg'] },
  { label: 'W4.put_and_wait', op: 'put_and_wait', args: ['pg'] },
  ...after,
  { label: 'W4.sleep', op: 'sleep', args: [] },
  { label: 'W5.done', op: 'done', args: [] },
];

export const waitOutsideDocument = {
  name: 'wait-outside',
  title: 'a register and a wait entry held outside a symmetry group',
  pages: [
    { name: 'S', ref: 1, map: 0, mapping: 'anon', index: 0 },
    { name: 'P0', ref: 1, map: 1, mapping: 'anon', index: 0 },
    { name: 'P1', ref: 1, map: 1, mapping: 'anon', index: 0 },
  ],
  vmas: [
    { name: 'vma0', start: 16, pgoff: 0 },
    { name: 'vma1', start: 32, pgoff: 0 },
  ],
  ptls: ['ptl'],
  ptes: [
    { name: 'e0', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P0', writable: true } },
    { name: 'e1', addr: 32, ptl: 'ptl', init: { kind: 'present', page: 'P1', writable: true } },
  ],
  threads: [
    { name: 'keeper', path: 'keep', args: { src: 'S', pg: -1, vma: -1, pte: -1 } },
    { name: 'sleeper1', path: 'leave', args: { src: 'S', pg: -1, vma: -1, pte: -1 } },
    { name: 'sleeper2', path: 'leave', args: { src: 'S', pg: -1, vma: -1, pte: -1 } },
  ],
  paths: {
    // register 1 is `pg`
    keep: { regs: { src: 'page', pg: 'page', seen: 'vmaset', vma: 'vma', pte: 'pte', old: 'pteval' }, steps: walkAndWait([]) },
    leave: {
      regs: { src: 'page', pg: 'page', seen: 'vmaset', vma: 'vma', pte: 'pte', old: 'pteval' },
      steps: walkAndWait([{ label: 'W4.drop_pg', op: 'mov', args: ['pg', -1] }]),
    },
  },
  invariants: ['waiter-ref', 'use-after-free', 'deadlock'],
  symmetry: [{ threads: [], ptes: ['e0', 'e1'], vmas: ['vma0', 'vma1'], pages: ['P0', 'P1'] }],
};

/** The document resolved to a world (a document with problems throws, naming them). */
export function waitOutsideWorld(): World {
  return resolveModel({ scenario: 'wait-outside', document: waitOutsideDocument }).world;
}
