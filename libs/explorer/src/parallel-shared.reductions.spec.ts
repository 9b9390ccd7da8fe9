import { describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import { SMALL_REDUCED_WORLDS, SYMMETRY_DEAD_REDUCTIONS, describeRequest } from '../test/worlds.js';
import { explore } from './explorer.js';
import { exploreSharedAlone } from './parallel.js';

// The parallel search's code (shared-search.ts on a SharedVisited) with symmetry and dead registers
// on, held to the exact sequential search with the same reductions on small worlds, on this thread
// alone: a fast spec for mutation runs, where parallel-shared.spec starts worker threads. The
// sequential search is the one on state vectors (`tuples: false`), which remembers no step, so
// the parallel search's step and enabledness memos are held to a search without them.

describe("the parallel search's code alone, with its reductions, is the exact search with the same ones", () => {
  for (const req of SMALL_REDUCED_WORLDS) {
    it(`${describeRequest(req)}: symmetry and dead registers on and off`, () => {
      const w = resolveModel(req).world;
      for (const red of SYMMETRY_DEAD_REDUCTIONS) {
        const what = JSON.stringify(red);
        const one = explore(w, { ...red, partialOrder: false, tuples: false });
        const r = exploreSharedAlone(w, red);
        expect(r.verdict, what).toBe(one.verdict);
        expect(r.boundHit, what).toBeNull();
        expect(r.reductions, what).toEqual(one.reductions);
        expect([r.statesStored, r.transitions, r.schedules], what).toEqual([one.statesStored, one.transitions, one.schedules]);
        if (one.verdict === 'holds') {
          expect(r.maxDepth, what).toBe(one.maxDepth);
          expect(r.counterexample, what).toBeNull();
          continue;
        }
        // a shortest counterexample, which replays to the invariant it names
        const cx = r.counterexample!;
        expect(cx.length, what).toBe(one.counterexample!.length);
        const run = new Runtime(w).run({ scheduler: new ReplayScheduler(cx.schedule), maxSteps: cx.length + 1 });
        expect(run.violation?.invariant, what).toBe(cx.invariant);
        expect(run.steps, what).toBe(cx.length);
      }
    });
  }
});
