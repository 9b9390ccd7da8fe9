// The projection must agree with the engine's own state after every step, for every built-in
// scenario and variant, and time travel from snapshots must agree with the fold from the start.
// This checks the fold against the engine's own diffs, so a wrong effect recorded by the engine
// passes here by construction: libs/runs/src/projection-oracle.int.spec.ts checks runs recorded by
// the production path and read back from SQLite against a fold of the event schema instead.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { everyTarget, recordRun } from '../test/engine-runs.js';
import { MemorySource } from '../test/memory-source.js';
import { RunModel } from './run-model.js';
import { applyStep } from './fold.js';
import { stateAt } from './time-travel.js';
import { PROJECTION_VERSION } from './snapshot.js';

// Every scenario and variant with its default parameters, the seed thread at other sizes, and the
// worlds with relaxed accesses under each weak model (their store buffers, outstanding loads,
// propagation state, litmus variables and results are slots like the rest).
const weakTargets = everyTarget
  .filter((t) => t.scenario.startsWith('litmus-') || t.scenario === 'c11-split-order')
  .flatMap((t) => (['tso', 'lkmm'] as const).map((memoryModel) => ({ ...t, memoryModel })));
const arbTarget = fc.oneof(
  fc.constantFrom(...everyTarget),
  fc.constantFrom(...weakTargets),
  fc.record({
    scenario: fc.constant('seed'),
    variant: fc.constantFrom(undefined, 'unlock-before-remove', 'wait-pre', 'mig-v6'),
    params: fc.record({ ptes: fc.integer({ min: 1, max: 3 }), faults: fc.integer({ min: 0, max: 3 }), rounds: fc.integer({ min: 1, max: 3 }) }),
  }),
);

const arbRun = fc.record({
  target: arbTarget,
  strategy: fc.constantFrom('random' as const, 'pct' as const),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
});

/** The first slot where two states differ, or -1. */
function firstDifference(a: Int32Array, b: Int32Array): number {
  if (a.length !== b.length) return 0;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return i;
  return -1;
}

describe('state projection', () => {
  it('equals the engine state after every step of random runs of every scenario and variant', () => {
    fc.assert(
      fc.property(arbRun, ({ target, strategy, seed }) => {
        const run = recordRun(target, strategy, seed);
        const model = new RunModel(run.started);
        const state = model.initial.slice();
        expect(firstDifference(state, run.engineInitial), 'initial state').toBe(-1);
        run.steps.forEach((step, i) => {
          applyStep(state, step, i);
          const d = firstDifference(state, run.states[i]);
          if (d >= 0)
            expect.fail(
              `${target.scenario}/${target.variant ?? 'kernel'} ${strategy} seed ${seed}: step ${i} slot ${d} (${model.layout.describe(d).object}.${model.layout.describe(d).field}) is ${state[d]}, the engine has ${run.states[i][d]}`,
            );
        });
      }),
      { numRuns: 200 },
    );
  });

  it('stateAt from snapshots equals the fold from the start, at random steps and snapshot spacings', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbRun,
        fc.integer({ min: 1, max: 64 }),
        fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 12 }),
        async ({ target, strategy, seed }, every, picks) => {
          const run = recordRun(target, strategy, seed);
          const model = new RunModel(run.started);
          const source = new MemorySource(run.started, run.steps);
          const last = run.steps.length - 1;
          // The first query writes the snapshots it passes; the later ones start from them.
          await stateAt(source, model, last, { snapshotEvery: every });
          expect(source.snapshots.size).toBe(Math.floor(last / every));
          for (const p of picks) {
            const step = Math.min(last, Math.floor(p * (last + 2)) - 1);
            const r = await stateAt(source, model, step, { snapshotEvery: every });
            const expected = step < 0 ? run.engineInitial : run.states[step];
            expect(firstDifference(r.state, expected), `step ${step} of ${last}`).toBe(-1);
            expect(r.folded).toBeLessThanOrEqual(every);
            if (step >= 0) expect(r.event?.step).toBe(step);
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('snapshots', () => {
  const run = recordRun({ scenario: 'seed', params: { ptes: 2, faults: 2, rounds: 10 } }, 'random', 7);
  const model = new RunModel(run.started);
  const last = run.steps.length - 1;

  it('ignores snapshots of another projection version, and rebuilds them at this version', async () => {
    const source = new MemorySource(run.started, run.steps);
    // A snapshot of an older projection whose state would be wrong if it were read.
    const bogus = { modelHash: model.modelHash, step: 99, state: Array.from(model.initial, () => 7) };
    source.snapshots.set(100n, { revision: 100n, version: PROJECTION_VERSION - 1, state: bogus });
    const r = await stateAt(source, model, 150, { snapshotEvery: 50 });
    expect(firstDifference(r.state, run.states[150])).toBe(-1);
    expect(r.fromRevision).toBe(0n);
    expect(
      [...source.snapshots.values()]
        .filter((s) => s.version === PROJECTION_VERSION)
        .map((s) => Number(s.revision))
        .sort((a, b) => a - b),
    ).toEqual([50, 100, 150]);
    const again = await stateAt(source, model, 160, { snapshotEvery: 50 });
    expect(again.fromRevision).toBe(150n);
    expect(firstDifference(again.state, run.states[160])).toBe(-1);
  });

  it('ignores a snapshot that does not fit the model or its revision', async () => {
    const source = new MemorySource(run.started, run.steps);
    const wrong = [
      { modelHash: 'other', step: 49, state: Array.from(run.states[49]) },
      { modelHash: model.modelHash, step: 48, state: Array.from(run.states[49]) },
      { modelHash: model.modelHash, step: 49, state: Array.from(run.states[49]).slice(1) },
      { modelHash: model.modelHash, step: 49, state: Array.from(run.states[49], () => 0.5) },
    ];
    for (const state of wrong) {
      source.snapshots.set(50n, { revision: 50n, version: PROJECTION_VERSION, state });
      const r = await stateAt(source, model, 60, { snapshotEvery: 1_000 });
      expect(r.fromRevision).toBe(0n);
      expect(firstDifference(r.state, run.states[60])).toBe(-1);
    }
  });

  it('refuses steps the run does not have', async () => {
    const source = new MemorySource(run.started, run.steps);
    await expect(stateAt(source, model, last + 1)).rejects.toThrow(`steps -1 (initial state) to ${last}`);
    await expect(stateAt(source, model, -2)).rejects.toThrow(/no step -2/);
    const running = new MemorySource(run.started, run.steps.slice(0, 10), false);
    await expect(stateAt(running, model, 10)).rejects.toThrow(/to 9; there is no step 10/);
    expect((await stateAt(running, model, 9)).event?.step).toBe(9);
  });

  it('fails loudly on a log that does not fit the model', async () => {
    const source = new MemorySource(run.started, run.steps);
    const e = source.events[5].data as { deltas: { before: number }[] };
    e.deltas[0].before += 1;
    await expect(stateAt(source, model, 10)).rejects.toThrow(/step 4 .* expects/);
  });
});
