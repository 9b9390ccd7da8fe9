import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveModel, THREAD_WIDTH, type ResolveRequest } from '@mmreplay/model';
import { Machine, Rng } from '@mmreplay/engine';
import { StateStore } from './state-store.js';
import { stateComponents } from './explorer.js';
import { successorTuple } from './successor.js';
import { catalogueRequests, describeRequest } from '../test/worlds.js';

// successorTuple (a successor collapsed from its parent's tuple, looking only at what the step
// may have written) against a full collapse of the successor, on every step of random runs of
// every world of the catalogue. One store per world across all runs, as in a search.

const worlds = (): ResolveRequest[] => [...catalogueRequests(), { scenario: 'seed', params: { ptes: 3, faults: 3 } }];

describe('successorTuple equals a full collapse of the successor', () => {
  let woken = 0;
  for (const req of worlds()) {
    it(`${describeRequest(req)} ${JSON.stringify(req.params ?? {})}`, () => {
      const m = new Machine(resolveModel(req).world);
      const store = new StateStore(m.layout.size, stateComponents(m));
      const arity = stateComponents(m).length;
      const parentTuple = new Uint32Array(arity);
      const fast = new Uint32Array(arity);
      const slow = new Uint32Array(arity);
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 150 }), (seed, steps) => {
          const rng = new Rng(seed);
          let s = m.initialState();
          for (let k = 0; k < steps; k++) {
            const runnable = Array.from({ length: m.threadCount }, (_, t) => t).filter((t) => m.isRunnable(s, t));
            if (!runnable.length) break;
            const t = runnable[rng.below(runnable.length)];
            const next = s.slice();
            if (!m.step(next, t, rng.below(m.choiceCount(s, t)))) break;
            store.tupleOf(s, -1, parentTuple);
            successorTuple(store, m, parentTuple, s, next, t, fast);
            expect(Array.from(fast)).toEqual(Array.from(store.tupleOf(next, -1, slow)));
            // a step that changed another thread's local vector (a wake-up): the path that must look at it
            for (let u = 0; u < m.threadCount; u++) {
              const at = m.layout.thread(u, 0);
              if (u !== t && next.subarray(at, at + THREAD_WIDTH).some((x, i) => x !== s[at + i])) woken++;
            }
            s = next;
          }
        }),
        { numRuns: 40 },
      );
    });
  }
  it('saw steps that write another thread (wake-ups)', () => {
    expect(woken).toBeGreaterThan(0);
  });
});
