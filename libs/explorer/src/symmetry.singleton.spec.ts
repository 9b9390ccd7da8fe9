import { describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';
import { Symmetry } from './symmetry.js';

// A group of one tuple has no permutation but the identity: it is dropped, and a world whose only
// group is one tuple has no symmetry (issue 20: no world of the catalogue declares such a group,
// and the canonical form is the same either way, so only whether symmetry is on tells them apart).

describe('a symmetry group of one tuple', () => {
  const w = resolveModel({ scenario: 'seed', params: { ptes: 2, faults: 2 } }).world;
  const [g] = w.symmetry;
  const one = { threads: g.threads.slice(0, 1), ptes: g.ptes.slice(0, 1), vmas: g.vmas.slice(0, 1), pages: [] };

  it('is dropped: a world whose only group it is has no symmetry', () => {
    const sym = new Symmetry(new Machine({ ...w, symmetry: [one] }));
    expect(sym.groupCount).toBe(0);
    expect(sym.active).toBe(false);
    expect(sym.tuples).toBe(false);
  });
});

// Whether canonicalTuple applies (`tuples`, read by the explorer only when symmetry is on): one
// active group, no TLB, no memory section (issue 20: each part made true survived, since no world
// of the symmetry specs has one group with symmetry off, two groups, or litmus variables).
describe('when canonicalTuple applies (tuples)', () => {
  const seed = (ptes: number) => resolveModel({ scenario: 'seed', params: { ptes, faults: ptes } }).world;

  it('one group, symmetry on, no TLB, no memory section: seed 2x2', () => {
    expect(new Symmetry(new Machine(seed(2))).tuples).toBe(true);
  });

  it('not for a group whose symmetry is off: c10 under WALK=fixed', () => {
    const sym = new Symmetry(new Machine(resolveModel({ scenario: 'c10-device-private', variant: { switches: { WALK: 'fixed' } } }).world));
    expect([sym.groupCount, sym.active, sym.tuples]).toEqual([1, false, false]);
  });

  it('not for two groups: seed 4x4 with its tuples in two groups of two', () => {
    const w = seed(4);
    const [g] = w.symmetry;
    const half = (k: number) => ({
      threads: g.threads.slice(2 * k, 2 * k + 2),
      ptes: g.ptes.slice(2 * k, 2 * k + 2),
      vmas: g.vmas.slice(2 * k, 2 * k + 2),
      pages: [],
    });
    const sym = new Symmetry(new Machine({ ...w, symmetry: [half(0), half(1)] }));
    expect([sym.groupCount, sym.active, sym.tuples]).toEqual([2, true, false]);
  });

  it('not for a world with a memory section: seed 2x2 with a litmus variable', () => {
    const m = new Machine({ ...seed(2), litmus: { vars: ['x'], results: [], exists: [] } });
    expect(m.layout.mem).not.toBe(m.layout.size);
    const sym = new Symmetry(m);
    expect([sym.active, sym.tuples]).toEqual([true, false]);
  });
});
