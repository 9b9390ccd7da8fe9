// The edges of the fold, of snapshot decoding and of time travel that the property tests reach
// rarely or never: each case here is a way the projection could go wrong and still look fine.
import { describe, expect, it } from 'vitest';
import type { StepRecorded } from '@mmreplay/events';
import { seedCounterexample } from '../test/seed-counterexample.js';
import { MemorySource } from '../test/memory-source.js';
import { RunModel } from './run-model.js';
import { applyStep, foldSteps } from './fold.js';
import { decodeStateSnapshot, isSnapshotRevision, PROJECTION_VERSION, snapshotKey, stateChecksum } from './snapshot.js';
import { stateAt } from './time-travel.js';
import { ProjectionMismatchError, StepOutOfRangeError, UnknownObjectError } from './errors.js';

const run = seedCounterexample();
const model = new RunModel(run.started);
const steps = run.steps as unknown as StepRecorded[];
const last = steps.length - 1;

describe('fold', () => {
  it('foldSteps gives the state after the last step, and refuses a gap', () => {
    expect([...foldSteps(model, steps)]).toEqual([...run.states[last]]);
    expect([...foldSteps(model, steps.slice(0, 5))]).toEqual([...run.states[4]]);
    expect([...foldSteps(model, [])]).toEqual([...model.initial]);
    expect(() => foldSteps(model, [steps[0], steps[2]])).toThrow(ProjectionMismatchError);
    expect(() => foldSteps(model, [steps[0], steps[2]])).toThrow('expected step 1, the log has step 2 there');
  });

  it('applyStep checks the step number only when asked', () => {
    const state = model.initial.slice();
    expect(() => applyStep(state, steps[0], 1)).toThrow(ProjectionMismatchError);
    expect([...state]).toEqual([...model.initial]); // nothing applied
    applyStep(state, steps[0]);
    expect([...state]).toEqual([...run.states[0]]);
  });

  it('foldSteps never changes the model’s initial state', () => {
    const before = [...model.initial];
    foldSteps(model, steps);
    expect([...model.initial]).toEqual(before);
  });
});

describe('snapshots', () => {
  it('are kept under the run stream’s own key, every `every` revisions after the first', () => {
    expect(snapshotKey('run-7')).toBe('run-7/state');
    expect([0n, 1n, 15n, 16n, 17n, 32n].map((r) => isSnapshotRevision(r, 16))).toEqual([false, false, false, true, false, true]);
  });

  it('decode only a state of this version, model, step and size, of int32 values', () => {
    const sealed = (state: number[]) => ({ modelHash: model.modelHash, step: 9, state, checksum: stateChecksum(model.modelHash, 9, state) });
    const good = sealed(Array.from(run.states[9]));
    expect([...decodeStateSnapshot(model, { revision: 10n, version: PROJECTION_VERSION, state: good })!]).toEqual([...run.states[9]]);
    const refused = [
      { revision: 10n, version: PROJECTION_VERSION + 1, state: good },
      { revision: 10n, version: PROJECTION_VERSION, state: null },
      { revision: 10n, version: PROJECTION_VERSION, state: 'text' },
      { revision: 11n, version: PROJECTION_VERSION, state: good },
      { revision: 10n, version: PROJECTION_VERSION, state: { ...good, checksum: '0000000000000000' } },
      { revision: 10n, version: PROJECTION_VERSION, state: sealed([...good.state.slice(1), 2 ** 31]) },
      { revision: 10n, version: PROJECTION_VERSION, state: sealed([...good.state.slice(1), 1.5]) },
      { revision: 10n, version: PROJECTION_VERSION, state: { ...good, state: 'not an array' } },
    ];
    refused.forEach((s, i) => expect(decodeStateSnapshot(model, s), `refused case ${i}`).toBeUndefined());
    // the largest and smallest int32 are values like any other
    const edge = sealed([...good.state.slice(0, -2), 2 ** 31 - 1, -(2 ** 31)]);
    expect(decodeStateSnapshot(model, { revision: 10n, version: PROJECTION_VERSION, state: edge })?.slice(-2)).toEqual(
      new Int32Array([2 ** 31 - 1, -(2 ** 31)]),
    );
  });
});

describe('stateAt', () => {
  it('hands out a copy: changing a returned state changes no later answer', async () => {
    const source = new MemorySource(run.started, steps);
    for (const step of [-1, 3]) {
      const first = await stateAt(source, model, step, { snapshotEvery: 2 });
      first.state.fill(99);
      const again = await stateAt(source, model, step, { snapshotEvery: 2 });
      expect([...again.state]).toEqual(step < 0 ? [...model.initial] : [...run.states[step]]);
    }
    expect([...model.initial]).not.toContain(99);
  });

  it('reads a long run in pages and folds from the nearest snapshot before the step', async () => {
    const source = new MemorySource(run.started, steps);
    const r = await stateAt(source, model, last, { snapshotEvery: 4, pageSize: 3 });
    expect([...r.state]).toEqual([...run.states[last]]);
    const near = await stateAt(source, model, 10, { snapshotEvery: 4 });
    expect(near.fromRevision).toBe(8n);
    expect(near.folded).toBe(3);
    expect(near.step).toBe(10);
    expect([...near.state]).toEqual([...run.states[10]]);
  });

  it('fails loudly on a log whose revisions skip one', async () => {
    const source = new MemorySource(run.started, steps);
    source.events.splice(3, 1);
    await expect(stateAt(source, model, 6)).rejects.toThrow(ProjectionMismatchError);
  });

  it('errors carry their codes and fields', () => {
    const range = new StepOutOfRangeError('r', 9, 4);
    expect(range).toMatchObject({ code: 'STEP_OUT_OF_RANGE', name: 'StepOutOfRangeError', runId: 'r', step: 9, lastStep: 4 });
    expect(new ProjectionMismatchError('m')).toMatchObject({ code: 'PROJECTION_MISMATCH', name: 'ProjectionMismatchError', message: 'm' });
    expect(new UnknownObjectError('page:X', 'no X')).toMatchObject({ code: 'UNKNOWN_OBJECT', name: 'UnknownObjectError', object: 'page:X', message: 'no X' });
    // what problem details and the CLI show: the kind picks the status, issues name the field, the detail is what a user reads
    expect(range).toMatchObject({
      kind: 'invalid',
      issues: [{ field: 'step', message: 'run r has steps -1 (initial state) to 4; there is no step 9' }],
      detail: 'run r has steps -1 (initial state) to 4; there is no step 9',
    });
    expect(new ProjectionMismatchError('m')).toMatchObject({
      kind: 'corrupt',
      issues: [],
      detail: 'the stored run does not fit its projection; the operators have been told',
    });
    expect(new UnknownObjectError('page:X', 'no X')).toMatchObject({ kind: 'invalid', issues: [{ field: 'object', message: 'no X' }], detail: 'no X' });
  });
});
