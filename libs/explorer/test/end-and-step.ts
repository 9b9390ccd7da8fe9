import { parseScenarioDocument, resolveScenarioModel, type World } from '@mmreplay/model';

// A world where one level of the search holds both an end state that breaks an invariant and a
// head whose step breaks one: after a's first step every thread sleeps (a on the PTL it holds, b on
// the same PTL: a deadlock, one step), after b's first step b takes a reference to Q, which the
// user invariant forbids (two steps). The shortest counterexample is the deadlock, whichever
// thread comes first; with b first, a search that reports the first violation it meets in the level
// reports b's two steps.

const src = { file: 'mm/memory.c', fn: 'do_fault', version: 'v6.6' };

/**
 * The world, with its threads in the order given; a letter given more than once gives that many
 * threads of its kind (b1, b2, ...), which moves the level's states between the parallel search's
 * threads.
 */
export function endAndStepWorld(order: readonly ('a' | 'b')[]): World {
  const name = (t: 'a' | 'b', i: number) => (order.filter((o) => o === t).length > 1 ? `${t}${order.slice(0, i + 1).filter((o) => o === t).length}` : t);
  const r = parseScenarioDocument({
    name: 'end-and-step',
    title: 'an end state and a step break an invariant in one level',
    pages: [
      { name: 'P', ref: 1, map: 1, mapping: 'anon', index: 0 },
      { name: 'Q', ref: 1, map: 0, mapping: 'anon', index: 0 },
    ],
    vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
    ptls: ['ptl'],
    ptes: [{ name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true } }],
    threads: order.map((t, i) =>
      t === 'a' ? { name: name(t, i), path: 'twice', args: { pte: 'e' } } : { name: name(t, i), path: 'grab', args: { pte: 'e', page: 'Q' } },
    ),
    paths: {
      twice: {
        regs: { pte: 'pte' },
        steps: [
          { label: 'A1', op: 'ptl_lock', args: ['pte'], src },
          { label: 'A2', op: 'ptl_lock', args: ['pte'] },
        ],
      },
      grab: {
        regs: { pte: 'pte', page: 'page' },
        steps: [
          { label: 'B1', op: 'ptl_lock', args: ['pte'], src },
          { label: 'B2', op: 'get_page', args: ['page'], src },
          { label: 'B3', op: 'ptl_unlock', args: ['pte'] },
        ],
      },
    },
    invariants: ['deadlock', { name: 'q-untouched', never: { page: 'Q', ref: 2 }, message: 'Q was taken' }],
  });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return resolveScenarioModel(r.scenario, {}).world;
}
