import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveModel } from '@mmreplay/model';
import { Machine, Rng } from '@mmreplay/engine';
import { Symmetry } from './symmetry.js';
import { randomWalk } from '../test/random-walk.js';

// Soundness of the canonical form: it must be a function of the orbit. A state and any
// permutation of its symmetric tuples must get the very same representative.
describe('symmetry canonical form', () => {
  for (const [scenario, params] of [
    ['seed', { ptes: 3, faults: 3 }],
    ['seed', { ptes: 3, faults: 2 }],
    ['c10-device-private', {}],
  ] as const) {
    it(`${scenario} ${JSON.stringify(params)}: equal for every permutation of random reachable states`, () => {
      const m = new Machine(resolveModel({ scenario, params }).world);
      const sym = new Symmetry(m);
      expect(sym.active).toBe(true);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 200 }), (seed, steps) => {
          const rng = new Rng(seed);
          // a refused step ends the walk; the state it reached is checked all the same
          const s = randomWalk(m, rng, steps).state;
          const canonical = sym.canonical(s).slice();
          for (let g = 0; g < sym.groupCount; g++) {
            const size = m.world.symmetry[g].ptes.length || m.world.symmetry[g].threads.length;
            const order = Array.from({ length: size }, (_, i) => i);
            for (let i = size - 1; i > 0; i--) {
              const j = rng.below(i + 1);
              [order[i], order[j]] = [order[j], order[i]];
            }
            expect(Array.from(sym.canonical(sym.permuted(s, g, order)))).toEqual(Array.from(canonical));
          }
        }),
        { numRuns: 300 },
      );
    });
  }
});
