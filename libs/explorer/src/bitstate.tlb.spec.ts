import { describe, expect, it } from 'vitest';
import { resolveModel, type World } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';
import { explore } from './explorer.js';
import { APPROXIMATE_METHODS, exploreBitstate } from './bitstate.js';
import { Symmetry } from './symmetry.js';

// Symmetry that does not work on tuples (Symmetry.tuples false: here, threads with TLBs): the
// approximate search then runs its steps on state vectors and canonicalises them there, as the
// exact search does. Mutation testing of bitstate.ts (issue 20, session 19) found no spec with
// such a world: the catalogue gives no symmetric thread a TLB.

const withTlb = (): World => {
  const w = resolveModel({ scenario: 'seed', params: { ptes: 3, faults: 2 } }).world;
  return { ...w, threads: w.threads.map((t) => ({ ...t, tlb: w.ptes.map((e) => e.name) })) };
};

describe('the approximate search under symmetry that does not work on tuples', () => {
  it('seed 3x2 with TLBs: the exact search reduced by symmetry, state for state', () => {
    const w = withTlb();
    const sym = new Symmetry(new Machine(w));
    expect([sym.active, sym.tuples]).toEqual([true, false]);
    const exact = explore(w, { partialOrder: false, tuples: false });
    expect(exact.reductions).toContain('symmetry');
    for (const method of APPROXIMATE_METHODS) {
      const r = exploreBitstate(w, { bitstate: { method, log2Bits: 22 } });
      expect(r.reductions, method).toContain('symmetry');
      expect([r.verdict, r.statesStored, r.transitions, r.schedules, r.maxDepth], method).toEqual([
        exact.verdict,
        exact.statesStored,
        exact.transitions,
        exact.schedules,
        exact.maxDepth,
      ]);
      expect(r.counterexample, method).toEqual(exact.counterexample);
    }
  });
});
