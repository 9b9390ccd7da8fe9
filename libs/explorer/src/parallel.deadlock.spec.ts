import { describe, expect, it } from 'vitest';
import { explore } from './explorer.js';
import { exploreSharedAlone } from './parallel.js';
import { selfDeadlockWorld } from '../test/self-deadlock.js';

// An end state that breaks an invariant only because the world audits it (a deadlock: its outcome
// is 'deadlock', not 'violation'), in the parallel search's code. No world of the parallel specs
// deadlocked with `deadlock` audited, so a search that never took the audited invariants into
// account went unseen (issue 20, batch `partition`, session 20, in the partitions the parallel
// search had then).

describe("the parallel search's code on a world whose every run deadlocks", () => {
  it('with deadlock audited: violated at the end of a schedule, as explore finds; not audited: holds with the same end states', () => {
    const audited = selfDeadlockWorld(['deadlock']);
    const unaudited = selfDeadlockWorld([]);
    // reductions off and on (the two threads run different paths: no symmetry, still on vectors)
    for (const reductions of [{ symmetry: false, deadRegisters: false }, {}]) {
      const exact = explore(audited, { ...reductions, partialOrder: false });
      expect(exact.verdict).toBe('violated');
      const all = explore(unaudited, { ...reductions, partialOrder: false });
      expect(all.schedules).toBeGreaterThan(0);
      const r = exploreSharedAlone(audited, reductions);
      expect(r.verdict).toBe('violated');
      expect(r.counterexample).toMatchObject({ invariant: 'deadlock', length: exact.counterexample!.length, step: exact.counterexample!.step });
      expect(r.counterexample!.message).toMatch(/^deadlock: no thread can run/);
      const h = exploreSharedAlone(unaudited, reductions);
      expect(h).toMatchObject({ verdict: 'holds', counterexample: null, schedules: all.schedules, statesStored: all.statesStored });
    }
  });
});
