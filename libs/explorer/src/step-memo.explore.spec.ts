import { describe, expect, it } from 'vitest';
import { parseScenarioDocument, resolveScenarioModel, type World } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';
import { explore } from './explorer.js';
import { exploreSharedAlone } from './parallel.js';
import { exploreBitstate } from './bitstate.js';
import { Symmetry } from './symmetry.js';

// The search on tuples remembers steps and enabledness by component ids (step-memo.ts), which is
// exact only where the machine says they read nothing of another thread. A start condition is
// such a read: here two symmetric threads x1 and x2 start once thread a has reached A2, and a
// leaves the shared objects as they were (its PTL free) both before A1 and after A2, so states
// with the same shared objects and the same x1 differ in whether x1 may start. The search on
// state vectors (no memo) is the reference, for explore, for the parallel search's threads (one memo
// per thread, keyed on the component ids they share) and for the approximate search.

const src = { file: 'mm/memory.c', fn: 'do_fault', version: 'v6.6' };
function world(): World {
  const r = parseScenarioDocument({
    name: 'start-symmetric',
    title: 'x1 and x2 start once a has taken the PTL',
    pages: [
      { name: 'P', ref: 1, map: 1, mapping: 'anon', index: 0 },
      { name: 'Q1', ref: 1, map: 0, mapping: 'anon', index: 0 },
      { name: 'Q2', ref: 1, map: 0, mapping: 'anon', index: 0 },
    ],
    vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
    ptls: ['ptl'],
    ptes: [{ name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true } }],
    threads: [
      { name: 'a', path: 'a', args: { pte: 'e' } },
      { name: 'x1', path: 'x', args: { page: 'Q1' }, start: { after: 'a', label: 'A2' } },
      { name: 'x2', path: 'x', args: { page: 'Q2' }, start: { after: 'a', label: 'A2' } },
    ],
    paths: {
      a: {
        regs: { pte: 'pte' },
        steps: [
          { label: 'A1', op: 'ptl_lock', args: ['pte'], src },
          { label: 'A2', op: 'ptl_unlock', args: ['pte'] },
          { label: 'A3', op: 'ptl_lock', args: ['pte'] },
          { label: 'A4', op: 'ptl_unlock', args: ['pte'] },
        ],
      },
      x: {
        regs: { page: 'page' },
        steps: [
          { label: 'X1', op: 'get_page', args: ['page'], src },
          { label: 'X2', op: 'put_page', args: ['page'] },
        ],
      },
    },
    invariants: ['deadlock'],
  });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return resolveScenarioModel(r.scenario, {}).world;
}

describe('the step and enabledness memos', () => {
  it('searches on tuples with the memos: the states and transitions of the search on vectors, where a start condition reads another thread', () => {
    const w = world();
    // the search on tuples applies (symmetric threads, no TLB), so the memos are used
    expect(new Symmetry(new Machine(w)).tuples).toBe(true);
    const onTuples = explore(w);
    const onVectors = explore(w, { tuples: false });
    expect(onTuples.reductions).toContain('symmetry');
    expect(onTuples.verdict).toBe('holds');
    expect({ states: onTuples.statesStored, transitions: onTuples.transitions, ends: onTuples.schedules }).toEqual({
      states: onVectors.statesStored,
      transitions: onVectors.transitions,
      ends: onVectors.schedules,
    });
  });

  it("the parallel search's code (on this thread alone) with the memos: the states and transitions of the search on vectors", () => {
    const w = world();
    const onVectors = explore(w, { tuples: false, partialOrder: false });
    const r = exploreSharedAlone(w);
    expect(r.reductions).toContain('symmetry');
    expect({ verdict: r.verdict, states: r.statesStored, transitions: r.transitions, ends: r.schedules }).toEqual({
      verdict: onVectors.verdict,
      states: onVectors.statesStored,
      transitions: onVectors.transitions,
      ends: onVectors.schedules,
    });
  });

  it('the approximate search (bitstate, hash compaction) with the memos: the states and transitions of the search on vectors', () => {
    const w = world();
    const onVectors = explore(w, { tuples: false, partialOrder: false });
    for (const method of ['bitstate', 'hashcompact'] as const) {
      const r = exploreBitstate(w, { bitstate: { method, log2Bits: 20 } });
      expect({ verdict: r.verdict, states: r.statesStored, transitions: r.transitions, ends: r.schedules }).toEqual({
        verdict: onVectors.verdict,
        states: onVectors.statesStored,
        transitions: onVectors.transitions,
        ends: onVectors.schedules,
      });
    }
    // without symmetry the approximate search still runs on tuples, its successors stored as
    // collapsed (TupleSteps without a symmetry)
    const plain = explore(w, { tuples: false, partialOrder: false, symmetry: false });
    expect(plain.statesStored).toBeGreaterThan(onVectors.statesStored);
    const r = exploreBitstate(w, { symmetry: false, bitstate: { method: 'hashcompact' } });
    expect(r.reductions).not.toContain('symmetry');
    expect({ verdict: r.verdict, states: r.statesStored, transitions: r.transitions, ends: r.schedules }).toEqual({
      verdict: plain.verdict,
      states: plain.statesStored,
      transitions: plain.transitions,
      ends: plain.schedules,
    });
  });
});
