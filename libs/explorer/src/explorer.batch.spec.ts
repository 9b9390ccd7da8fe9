import { describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { explore, type ExplorationResult } from './explorer.js';

// explore() on tuples canonicalises the successors of up to 64 heads before inserting them
// (explorer.ts, SuccessorBatch). The vector path inserts each successor as it is found and
// stores the same states in the same order, so every figure must agree with it, including where a
// bound, a violation or an end state stops the search in the middle of a batch.

const figures = (r: ExplorationResult) => ({
  verdict: r.verdict,
  boundHit: r.boundHit,
  statesStored: r.statesStored,
  transitions: r.transitions,
  schedules: r.schedules,
  maxDepth: r.maxDepth,
  counterexample: r.counterexample,
});

describe('explore: successors inserted in batches', () => {
  const seed = resolveModel({ scenario: 'seed', params: { ptes: 3, faults: 3 } }).world;

  it('reports what inserting each at once reports, for every state bound', () => {
    const full = explore(seed);
    expect(full.verdict).toBe('holds');
    const bounds = [1, 2, 3, 5, 17, 64, 65, 100, 1000, 4321, full.statesStored - 1, full.statesStored];
    for (const maxStates of bounds) {
      const batched = explore(seed, { bounds: { maxStates } });
      expect(figures(batched), `maxStates ${maxStates}`).toEqual(figures(explore(seed, { tuples: false, bounds: { maxStates } })));
    }
    expect(figures(explore(seed, { tuples: false }))).toEqual(figures(full));
  });

  it('stops at the same violation with the same states, counters and counterexample', () => {
    for (const variant of ['unlock-before-remove', 'install-before-lock']) {
      const mutant = resolveModel({ scenario: 'seed', params: { ptes: 3, faults: 3 }, variant }).world;
      const batched = explore(mutant);
      expect(batched.verdict, variant).toBe('violated');
      expect(figures(batched), variant).toEqual(figures(explore(mutant, { tuples: false })));
    }
  });

  it('a state bound met while the batch of the violating head is inserted stops the search there, as inserting each at once does', () => {
    // the violation's own flush of the batch may meet the bound: then the search is inconclusive,
    // since on vectors the bound stopped it at one of those successors, before the violating step
    for (const variant of ['unlock-before-remove', 'install-before-lock']) {
      const mutant = resolveModel({ scenario: 'seed', params: { ptes: 3, faults: 3 }, variant }).world;
      const full = explore(mutant).statesStored;
      for (const maxStates of [full - 1, full - 2]) {
        const batched = explore(mutant, { bounds: { maxStates } });
        expect(batched, `${variant}, maxStates ${maxStates}`).toMatchObject({ verdict: 'inconclusive', boundHit: 'states' });
        expect(figures(batched), `${variant}, maxStates ${maxStates}`).toEqual(figures(explore(mutant, { tuples: false, bounds: { maxStates } })));
      }
    }
  });

  it('stopped at a later check of the bounds (a cancellation at head 1,024), reports what inserting each at once reports', () => {
    // the batch is inserted before the bounds are checked, at every 64th head and not only at
    // the end of a level: the heads before the stop have all their successors stored
    const cancelAtSecondCheck = () => {
      let reads = 0;
      return {
        get cancelled() {
          return ++reads >= 2;
        },
      };
    };
    const batched = explore(seed, { cancel: cancelAtSecondCheck() });
    expect(batched).toMatchObject({ verdict: 'inconclusive', boundHit: 'cancelled' });
    expect(batched.statesStored).toBeGreaterThan(1024);
    expect(figures(batched)).toEqual(figures(explore(seed, { tuples: false, cancel: cancelAtSecondCheck() })));
  });

  it('ends at the depth bound as inserting each at once does', () => {
    for (const maxDepth of [1, 2, 7, 20]) {
      expect(figures(explore(seed, { bounds: { maxDepth } })), `maxDepth ${maxDepth}`).toEqual(figures(explore(seed, { tuples: false, bounds: { maxDepth } })));
    }
  });
});
