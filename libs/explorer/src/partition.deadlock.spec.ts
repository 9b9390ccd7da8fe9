import { describe, expect, it } from 'vitest';
import { explore } from './explorer.js';
import { Partition, emptyReport, partitionTables } from './partition.js';
import { explorePartitioned } from './partitioned-levels.js';
import { selfDeadlockWorld } from '../test/self-deadlock.js';

// An end state that breaks an invariant only because the world audits it (a deadlock: its outcome
// is 'deadlock', not 'violation'), in the partitioned search. No world of the partition specs
// deadlocked with `deadlock` audited, so a partition that never took the audited invariants into
// account went unseen (issue 20, batch `partition`, session 20: `partition.ts` expandHead).

describe('the partitioned search on a world whose every run deadlocks', () => {
  it('with deadlock audited: violated at the end of a schedule, as explore finds, on 1 to 3 partitions; not audited: holds with the same end states', () => {
    const audited = selfDeadlockWorld(['deadlock']);
    const unaudited = selfDeadlockWorld([]);
    // reductions off and on (the two threads run different paths: no symmetry, still on vectors)
    for (const reductions of [{ symmetry: false, deadRegisters: false }, {}]) {
      const opts = { ...reductions, maxDepth: 100 };
      const exact = explore(audited, { ...opts, partialOrder: false });
      expect(exact.verdict).toBe('violated');
      const all = explore(unaudited, { ...opts, partialOrder: false });
      expect(all.schedules).toBeGreaterThan(0);
      for (const partitions of [1, 2, 3]) {
        const r = explorePartitioned(audited, partitions, opts);
        expect(r.verdict, `${partitions} partition(s)`).toBe('violated');
        expect(r.counterexample).toMatchObject({ invariant: 'deadlock', length: exact.counterexample!.length, step: exact.counterexample!.step });
        expect(r.counterexample!.message).toMatch(/^deadlock: no thread can run/);
        const h = explorePartitioned(unaudited, partitions, opts);
        expect(h).toMatchObject({ verdict: 'holds', counterexample: null, schedules: all.schedules, statesStored: all.statesStored });
      }
    }
  });

  it('a deadlock stops the level at the head that reached it, in expand and in expandGiven', () => {
    const w = selfDeadlockWorld(['deadlock']);
    for (const given of [false, true]) {
      const p = new Partition(w, 0, 1, { symmetry: false, deadRegisters: false, maxDepth: 100 }, partitionTables(w));
      p.seed();
      for (let depth = 0; ; depth++) {
        // the deadlock is met before the search ends
        expect(p.frontier).toBeGreaterThan(0);
        const start = p.count - p.frontier;
        const heads = p.frontier;
        const report = emptyReport();
        const done = given ? p.expandGiven(depth, p.give(0, heads), 0, heads, report) : p.expand(depth, 0, heads, report);
        if (report.violationAt >= 0) {
          expect(report).toMatchObject({ violationStep: null, invariant: 'deadlock' });
          // one partition: the global id is the local one; the head's place in the level, plus one
          expect(done).toBe(report.violationAt - start + 1);
          break;
        }
        expect(done).toBe(heads);
        p.nextLevel();
      }
    }
  });
});
