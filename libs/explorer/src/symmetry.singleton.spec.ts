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
