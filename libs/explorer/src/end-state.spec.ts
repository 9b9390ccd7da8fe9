import { describe, expect, it } from 'vitest';
import { resolveModel, type World } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';
import { explore } from './explorer.js';
import { firstBrokenEndState } from './end-state.js';
import { referenceBfs } from '../test/reference-bfs.js';

// end-state.ts on its own (issue 20, from the mutation run over it): the scan for a shorter end
// state reads only the heads of the level, and asks only the threads there are whether they run.

const src = { file: 'mm/memory.c', fn: 'do_fault', version: 'v6.6' };

/**
 * a takes the PTL and then sleeps on it for good; b takes a reference to P, then the PTL, which a
 * user invariant forbids (b at B3). Level 1 holds a's first step (expanded first: b's B1 from it
 * leaves both asleep, a deadlock at depth 2, the first state of level 2) and b's first step, whose
 * B2 breaks the invariant (two steps). Both counterexamples are two steps long; the search reports
 * the step's, found in level 1, and not the end state of the level after it.
 */
function nextLevelEndWorld(): World {
  const document = {
    name: 'next-level-end',
    title: 'a step breaks an invariant, and the next level begins with a deadlock',
    pages: [{ name: 'P', ref: 1, map: 1, mapping: 'anon', index: 0 }],
    vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
    ptls: ['ptl'],
    ptes: [{ name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true } }],
    threads: [
      { name: 'a', path: 'twice', args: { pte: 'e' } },
      { name: 'b', path: 'late', args: { pte: 'e', page: 'P' } },
    ],
    paths: {
      twice: {
        regs: { pte: 'pte' },
        steps: [
          { label: 'A1', op: 'ptl_lock', args: ['pte'], src },
          { label: 'A2', op: 'ptl_lock', args: ['pte'] },
        ],
      },
      late: {
        regs: { pte: 'pte', page: 'page' },
        steps: [
          { label: 'B1', op: 'get_page', args: ['page'], src },
          { label: 'B2', op: 'ptl_lock', args: ['pte'] },
          { label: 'B3', op: 'ptl_unlock', args: ['pte'] },
        ],
      },
    },
    invariants: ['deadlock', { name: 'b-never-locks', never: { thread: 'b', at: 'B3' }, message: 'b took the PTL' }],
  };
  return resolveModel({ scenario: 'next-level-end', document }).world;
}

describe('the end states of a level', () => {
  it("are the level's heads only: the next level's first state, a deadlock as short, is not read", () => {
    const world = nextLevelEndWorld();
    expect(referenceBfs(world)).toMatchObject({ violationLength: 2, invariant: 'b-never-locks' });
    for (const opts of [{ symmetry: false, partialOrder: false, deadRegisters: false }, {}]) {
      expect(explore(world, opts).counterexample).toMatchObject({ invariant: 'b-never-locks', length: 2, thread: 'b' });
    }
  });

  it('are asked of the threads there are: under tso the slot past the last is the memory section', () => {
    // every thread of c11-split-order run to its end: an end state that breaks nothing
    const m = new Machine(resolveModel({ scenario: 'c11-split-order', memoryModel: 'tso' }).world);
    const s = m.initialState();
    for (let t = 0; t < m.threadCount; t++) while (m.isRunnable(s, t)) expect(m.step(s, t, 0)).toBe(true);
    const read = (_: number, out: Int32Array) => out.set(s);
    expect(firstBrokenEndState(m, read, 0, 1)).toBeNull();
  });
});
