import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveModel, type ResolveRequest } from '@mmreplay/model';
import { Machine, Rng } from '@mmreplay/engine';
import { ImageMap, Symmetry } from './symmetry.js';
import { DeadRegisters } from './dead-registers.js';
import { StateStore } from './state-store.js';
import { stateComponents } from './explorer.js';
import { catalogueRequests, describeRequest } from '../test/worlds.js';
import { randomWalk } from '../test/random-walk.js';

// Symmetry.canonicalTuple and canonicalIds (the explorer's one-worker path with symmetry) against
// their definition: the tuple of component ids of canonical(s). One store and one Symmetry per world across all
// runs, so that what it remembers by component id (key parts, references, images under a
// permutation) is reused between states, as in a search.

const worlds = (): ResolveRequest[] => [
  ...catalogueRequests().filter((r) => new Symmetry(new Machine(resolveModel(r).world)).tuples),
  { scenario: 'seed', params: { ptes: 3, faults: 3 } },
  { scenario: 'seed', params: { ptes: 4, faults: 3 } },
  // ten tuples: a permutation's code (10^10) is past what the image table keys hold, so nothing is remembered by it
  { scenario: 'seed', params: { ptes: 10, faults: 10 } },
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
      // canonicalIds on its own memo: its records and images are learnt from the tables, not from s
      const symIds = new Symmetry(m);
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
              symIds.canonicalIds(store, store.tupleOf(s, -1, raw), fast, (v, j) => store.intern(v, j));
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

describe('the image table against a Map', () => {
  it('answers what was set for each (component, place, permutation), -1 for the rest, across growth', () => {
    fc.assert(
      // enough keys that probe runs meet: keys that differ in one part only sit on each other's runs
      fc.property(fc.array(fc.tuple(fc.nat(99), fc.nat(6), fc.nat(29), fc.nat(5000)), { minLength: 5000, maxLength: 12000 }), (sets) => {
        const map = new ImageMap();
        const ref = new Map<string, number>();
        const key = (id: number, place: number, code: number) => `${id},${place},${code}`;
        for (const [id, place, code, image] of sets) {
          map.set(id, place, code, image);
          ref.set(key(id, place, code), image);
        }
        for (let id = 0; id <= 100; id++)
          for (let place = 0; place <= 6; place++)
            for (let code = 0; code <= 30; code++) expect(map.get(id, place, code)).toBe(ref.get(key(id, place, code)) ?? -1);
      }),
      { numRuns: 5, endOnFailure: true },
    );
  });
});
