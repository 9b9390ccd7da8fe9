import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveModel, type ResolveRequest } from '@mmreplay/model';
import { Machine, Rng } from '@mmreplay/engine';
import { Symmetry } from './symmetry.js';
import { DeadRegisters } from './dead-registers.js';
import { StateStore } from './state-store.js';
import { stateComponents } from './explorer.js';
import { catalogueRequests, describeRequest } from '../test/worlds.js';
import { randomWalk } from '../test/random-walk.js';

// Symmetry.canonicalTuple (the explorer's one-worker path with symmetry) against its definition:
// the tuple of component ids of canonical(s). One store and one Symmetry per world across all
// runs, so that what it remembers by component id (key parts, references, images under a
// permutation) is reused between states, as in a search.

const worlds = (): ResolveRequest[] => [
  ...catalogueRequests().filter((r) => new Symmetry(new Machine(resolveModel(r).world)).tuples),
  { scenario: 'seed', params: { ptes: 3, faults: 3 } },
  { scenario: 'seed', params: { ptes: 4, faults: 3 } },
];

describe('canonicalTuple equals the tuple of canonical()', () => {
  const reqs = worlds();
  it('applies to symmetric worlds of the catalogue', () => {
    expect(reqs.length).toBeGreaterThan(3);
  });
  for (const req of reqs) {
    it(`${describeRequest(req)} ${JSON.stringify(req.params ?? {})}`, () => {
      const m = new Machine(resolveModel(req).world);
      const sym = new Symmetry(m);
      const dead = new DeadRegisters(m);
      const store = new StateStore(m.layout.size, stateComponents(m));
      const raw = new Uint32Array(stateComponents(m).length);
      const fast = new Uint32Array(raw.length);
      const slow = new Uint32Array(raw.length);
      let moved = 0;
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 120 }), (seed, steps) => {
          randomWalk(m, new Rng(seed), steps, (s, t) => {
            dead.clearThread(s, t);
            // twice per state: the second time from what the first remembered
            for (let again = 0; again < 2; again++) {
              sym.canonicalTuple(s, store.tupleOf(s, -1, raw), fast, (v, j) => store.intern(v, j));
              const c = sym.canonical(s);
              if (c !== s) moved++;
              store.tupleOf(c, -1, slow);
              expect(Array.from(fast)).toEqual(Array.from(slow));
            }
          });
        }),
        { numRuns: 60 },
      );
      // the renaming path was exercised, not only states that are their own representative
      expect(moved).toBeGreaterThan(0);
    });
  }
});
