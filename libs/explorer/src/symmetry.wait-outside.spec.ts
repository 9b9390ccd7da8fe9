import { describe, expect, it } from 'vitest';
import { Machine } from '@mmreplay/engine';
import { ThreadField } from '@mmreplay/model';
import { exploreOnce } from './explorer.js';
import { Symmetry } from './symmetry.js';
import { reachable } from '../test/reachable.js';
import { waitOutsideWorld } from '../test/wait-outside.js';

// Wait entries held by threads outside a symmetry group (symmetry.ts, threadRefs): each must be
// mixed into the key of the tuple it names at a place no other reference is mixed in at. Mixed in
// at thread t-1's register 1 (`t * 64 - 63`, a mutant that survived every spec in sessions 18-21:
// no catalogue world has a thread outside a group queued on a page of it), keeper on P0 with
// sleeper1 on P1 and the same with the pages swapped, two states of one orbit, tie and are each a
// representative of their own; mixed in at one place for every thread (`t / 64 + 63`), so do the
// states with the sleepers queued on P0 and P1 and the other way round. The reduction stays sound
// (a representative is a member of its orbit) but stores more. The figures are derived from the
// unreduced state space alone: its states, and its orbits under swapping the two tuples
// (Symmetry.permuted, the renaming symmetry.automorphism.spec holds to the steps).

describe('symmetry: registers and wait entries held outside the group', () => {
  const world = waitOutsideWorld();
  const m = new Machine(world);
  const sym = new Symmetry(m);
  const states = reachable(m);
  /** a state's orbit, named by its least member */
  const orbit = (s: Int32Array) =>
    [
      [0, 1],
      [1, 0],
    ]
      .map((o) => Array.from(sym.permuted(s, 0, o)).join(','))
      .sort()[0];
  const orbits = new Set(states.map(orbit));

  it('the world: 1,308 reachable states in 655 orbits, among them the pairs told apart only by a register and a wait entry', () => {
    expect(sym.active).toBe(true);
    expect(states.length).toBe(1308);
    expect(orbits.size).toBe(655);
    const L = m.layout;
    const [p0, p1] = ['P0', 'P1'].map((p) => L.pageIndex.get(p)!);
    const pg = (s: Int32Array, t: number) => s[L.thread(t, ThreadField.regs + 1)];
    const waits = (s: Int32Array, t: number) => s[L.thread(t, ThreadField.waitPage)];
    const queuedHoldingNone = (s: Int32Array, t: number) => [p0, p1].includes(waits(s, t)) && pg(s, t) === -1;
    const other = (p: number) => p0 + p1 - p;
    // keeper finished on one page, sleeper1 queued on the other, sleeper2 not started
    const keeperAndSleeper = states.filter(
      (s) =>
        !m.isRunnable(s, 0) &&
        [p0, p1].includes(pg(s, 0)) &&
        queuedHoldingNone(s, 1) &&
        waits(s, 1) === other(pg(s, 0)) &&
        s[L.thread(2, ThreadField.pc)] === 0,
    );
    // keeper not started, each sleeper queued on a page of its own
    const twoSleepers = states.filter(
      (s) => s[L.thread(0, ThreadField.pc)] === 0 && queuedHoldingNone(s, 1) && queuedHoldingNone(s, 2) && waits(s, 1) !== waits(s, 2),
    );
    for (const pair of [keeperAndSleeper, twoSleepers]) {
      expect(pair.length).toBe(2);
      expect(orbit(pair[0])).toBe(orbit(pair[1]));
    }
  });

  it('one canonical form per orbit over every reachable state', () => {
    expect(new Set(states.map((s) => Array.from(sym.canonical(s)).join(','))).size).toBe(orbits.size);
  });

  it('the search with symmetry stores one state per orbit, the plain search every state, with the same verdict', () => {
    const plain = exploreOnce(world, { symmetry: false, partialOrder: false, deadRegisters: false });
    const reduced = exploreOnce(world, { symmetry: true, partialOrder: false, deadRegisters: false });
    expect(reduced.reductions).toContain('symmetry');
    expect([plain.verdict, plain.statesStored]).toEqual(['holds', states.length]);
    expect([reduced.verdict, reduced.statesStored]).toEqual(['holds', orbits.size]);
  });
});
