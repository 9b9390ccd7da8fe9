import { describe, expect, it } from 'vitest';
import { explore } from './explorer.js';
import { exploreSharedAlone } from './parallel.js';
import { endAndStepWorld } from '../test/end-and-step.js';

// The heads of the level at the depth bound are not expanded, so no search looks at whether they
// are end states: with a bound of one step, the one-step deadlock of test/end-and-step.ts lies
// past what explore looks at, and the search is inconclusive. The parallel search looks for such an
// end state among a level's heads only when a step of that level broke an invariant; a scan after
// every level would find the deadlock at the bound and report it where explore does not (on worker
// threads: parallel-shared.spec.ts).

describe('an end state at the depth bound is not looked at, as explore does not', () => {
  for (const order of [
    ['a', 'b'],
    ['b', 'a'],
  ] as const) {
    const world = endAndStepWorld(order);
    const what = `threads ${order.join(', ')}`;
    const bounded = { verdict: 'inconclusive', boundHit: 'depth', counterexample: null, statesStored: 3, maxDepth: 1 };

    it(`${what}: explore, and the parallel search's code on this thread alone`, () => {
      expect(explore(world, { bounds: { maxDepth: 1 } })).toMatchObject(bounded);
      expect(exploreSharedAlone(world, { bounds: { maxDepth: 1 } })).toMatchObject(bounded);
    });
  }
});
