import { describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { explore } from './explorer.js';
import { explorePartitioned } from './partitioned-levels.js';

// explorePartitioned expands a partition's own heads in slices of 4,096: a level wider than one
// slice must be expanded whole. The worlds of the other partition specs have no such level, so a
// loop that stopped after its first slice went unseen (issue 20, batch `partition`, session 20).

describe('explorePartitioned on a level wider than a slice', () => {
  it('seed 3x3 unreduced to depth 49 (its level 48 has 4,920 heads): the states explore stores to the same depth, on 1 and 2 partitions', () => {
    const w = resolveModel({ scenario: 'seed', params: { ptes: 3, faults: 3 } }).world;
    const off = { symmetry: false, deadRegisters: false, maxDepth: 49 };
    const ref = explore(w, { symmetry: false, deadRegisters: false, partialOrder: false, bounds: { maxDepth: 49 } });
    expect(ref).toMatchObject({ verdict: 'inconclusive', boundHit: 'depth' });
    for (const partitions of [1, 2]) {
      const r = explorePartitioned(w, partitions, { ...off, share: false });
      expect({ states: r.statesStored, transitions: r.transitions, boundHit: r.boundHit }, `${partitions} partition(s)`).toEqual({
        states: ref.statesStored,
        transitions: ref.transitions,
        boundHit: 'depth',
      });
    }
  });
});
