// What the projection must refuse or tell apart in its inputs (issue 20, from the survivors of the
// mutation run over projections): models that are not models, deltas that do not fit, snapshots
// altered in any single word, bare object names shared by two kinds, the view's flattening.
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { StepRecorded } from '@mmreplay/events';
import { seedCounterexample } from '../test/seed-counterexample.js';
import { MemorySource } from '../test/memory-source.js';
import { applyDeltas, RunModel } from './run-model.js';
import { decodeStateSnapshot, PROJECTION_VERSION, stateChecksum } from './snapshot.js';
import { stateAt } from './time-travel.js';
import { resolveObject, objectsOf } from './objects.js';
import { diffViews, flattenView } from './diff.js';
import { viewOf } from './view.js';
import { ProjectionMismatchError, StepOutOfRangeError, UnknownObjectError } from './errors.js';

const run = seedCounterexample();
const model = new RunModel(run.started);
const steps = run.steps as unknown as StepRecorded[];

describe('the run model', () => {
  it('refuses a RunStarted whose model lacks any of the object lists, or whose thread runs an unknown path', () => {
    const world = run.started.model as Record<string, unknown>;
    for (const key of ['pages', 'vmas', 'ptes', 'ptls', 'threads']) {
      expect(() => new RunModel({ ...run.started, model: { ...world, [key]: {} } as never }), key).toThrow(`run r1: RunStarted.model is not a model`);
    }
    for (const bad of [null, undefined, 'a model', 3])
      expect(() => new RunModel({ ...run.started, model: bad as never }), String(bad)).toThrow(ProjectionMismatchError);
    expect(() => new RunModel({ ...run.started, model: { ...world, paths: 'none' } as never })).toThrow(ProjectionMismatchError);
    const { paths: _paths, ...noPaths } = world;
    expect(() => new RunModel({ ...run.started, model: noPaths as never })).toThrow(ProjectionMismatchError);
    const threads = (world.threads as { name: string; path: string }[]).map((t, i) => (i === 1 ? { ...t, path: 'nowhere' } : t));
    expect(() => new RunModel({ ...run.started, model: { ...world, threads } as never })).toThrow(
      `run r1: thread ${threads[1].name} runs unknown path 'nowhere'`,
    );
  });

  it('starts from the recorded initial deltas, and refuses ones that do not fit the model', () => {
    expect(run.started.initialDeltas?.length).toBeGreaterThan(0);
    const { initialDeltas: _deltas, ...older } = run.started;
    expect([...new RunModel(older as never).initial]).toEqual([...model.layout.initialState()]);
    const [first, ...rest] = run.started.initialDeltas!;
    expect(() => new RunModel({ ...run.started, initialDeltas: [{ ...first, before: first.before + 1 }, ...rest] })).toThrow(
      `run r1 before step 0: delta ${first.object}.${first.field} (slot ${first.slot}) expects ${first.before + 1}`,
    );
  });

  it('applies deltas only onto the value they expect, in a slot the state has', () => {
    const s = model.initial.slice();
    const at = (slot: number, before: number) => ({ slot, object: 'o', field: 'f', before, after: 7 });
    expect(() => applyDeltas(s, [at(-1, 0)], 'w')).toThrow('w: delta o.f (slot -1) expects 0 but the projected state has no such slot');
    expect(() => applyDeltas(s, [at(s.length, 0)], 'w')).toThrow(`w: delta o.f (slot ${s.length}) expects 0 but the projected state has no such slot`);
    expect(() => applyDeltas(s, [at(0, s[0] + 1)], 'w')).toThrow(`w: delta o.f (slot 0) expects ${s[0] + 1} but the projected state has ${s[0]}`);
    // A corrupt log's delta without `before`: past the end it reads undefined too, and is refused all the same.
    for (const slot of [-1, s.length]) expect(() => applyDeltas(s, [at(slot, undefined as never)], 'w'), `${slot}`).toThrow(ProjectionMismatchError);
    expect([...s]).toEqual([...model.initial]);
    applyDeltas(s, [at(0, s[0]), at(s.length - 1, s[s.length - 1])], 'w');
    expect([s[0], s[s.length - 1]]).toEqual([7, 7]);
  });

  it('names holders, unknown thread numbers included, and finds register slots by name', () => {
    expect(model.holderName(0)).toBeNull();
    expect(model.holderName(1)).toBe(model.world.threads[0].name);
    expect(model.holderName(model.world.threads.length + 1)).toBe(`#${model.world.threads.length}`);
    const t = model.layout.threadIndex.get('flt0')!;
    expect(model.regSlot(t, 'pte')).toBe(
      model.layout.reg(
        t,
        model.regsOf(t).findIndex((r) => r.name === 'pte'),
      ),
    );
    expect(model.regSlot(t, 'no-such-register')).toBeUndefined();
    expect(model.pathOf(t)).toBe(model.world.paths[model.world.threads[t].path]);
  });
});

describe('snapshots', () => {
  it('the checksum is pinned (snapshots on disk stay readable) and changes with the model hash, the step and every single word', () => {
    expect(stateChecksum('h', 3, [1, 2, 3])).toBe(stateChecksum('h', 3, Int32Array.from([1, 2, 3])));
    expect(stateChecksum('abc', 7, [0, -1, 2 ** 31 - 1, 65536])).toBe('f8abf48dddc79db6');
    expect(stateChecksum('h', 3, [1, 2, 3])).not.toBe(stateChecksum('g', 3, [1, 2, 3]));
    expect(stateChecksum('h', 3, [1, 2, 3])).not.toBe(stateChecksum('h', 4, [1, 2, 3]));
    expect(stateChecksum('h', 3, [1, 2, 3])).not.toBe(stateChecksum('h', 3, [1, 2, 3, 0]));
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), { minLength: 1, maxLength: 40 }),
        fc.nat(),
        fc.integer({ min: 0, max: 31 }),
        (words, at, bit) => {
          const i = at % words.length;
          const changed = words.slice();
          changed[i] = (changed[i] ^ (1 << bit)) | 0;
          expect(stateChecksum('m', 1, changed)).not.toBe(stateChecksum('m', 1, words));
        },
      ),
      { seed: 24 },
    );
  });

  it('the checksum keeps the leading zeros of both halves: always 16 hex digits', () => {
    // Inputs picked so that one half or the other starts with a 0 (1 in 16 of all inputs): a
    // shortened half would change the checksum, and every snapshot sealed with it would be refused.
    expect(stateChecksum('m', 0, [1, 2, 3])).toBe('06c4c66172f0e327');
    expect(stateChecksum('m', 28, [1, 2, 3])).toBe('8c3f1e3b0ed169ed');
  });

  it('a snapshot altered in one word, or sealed for another step or model, is not used', () => {
    const state = Array.from(run.states[9]);
    const sealed = { modelHash: model.modelHash, step: 9, state, checksum: stateChecksum(model.modelHash, 9, state) };
    const snap = (json: unknown) => decodeStateSnapshot(model, { revision: 10n, version: PROJECTION_VERSION, state: json });
    expect(snap(sealed)).toBeDefined();
    for (const i of [0, 5, state.length - 1]) {
      const altered = state.slice();
      altered[i] += 1;
      expect(snap({ ...sealed, state: altered }), `word ${i}`).toBeUndefined();
    }
    expect(snap({ ...sealed, modelHash: 'other' })).toBeUndefined();
    expect(snap({ ...sealed, step: 8, checksum: stateChecksum(model.modelHash, 8, state) })).toBeUndefined();
    expect(snap({ ...sealed, state: [...state, 0], checksum: stateChecksum(model.modelHash, 9, [...state, 0]) })).toBeUndefined();
    expect(snap({ ...sealed, state: state.slice(1), checksum: stateChecksum(model.modelHash, 9, state.slice(1)) })).toBeUndefined();
    expect(snap(undefined)).toBeUndefined();
  });
});

describe('time travel', () => {
  it('step -1 is the initial state without reading the log; below -1 or not an integer is out of range', async () => {
    const source = new MemorySource(run.started, steps);
    source.events.length = 0;
    const r = await stateAt(source, model, -1);
    expect(r).toMatchObject({ step: -1, event: null, fromRevision: 0n, folded: 0 });
    expect([source.reads, source.snapshotLoads]).toEqual([0, 0]);
    expect([...r.state]).toEqual([...model.initial]);
    for (const step of [-2, 0.5, Number.MAX_SAFE_INTEGER + 2]) await expect(stateAt(source, model, step), `${step}`).rejects.toThrow(StepOutOfRangeError);
    await expect(stateAt(source, model, -2)).rejects.toThrow('there is no step -2');
  });

  it('a step below -1 is refused without claiming steps the run may not have', async () => {
    // Refused before the log is read, the error can only name step -1, which every run has; for a
    // run with no step yet that is exactly its range.
    const empty = new MemorySource(run.started, [], false);
    await expect(stateAt(empty, model, 0)).rejects.toMatchObject({ lastStep: -1 });
    await expect(stateAt(empty, model, -2)).rejects.toMatchObject({ lastStep: -1, message: 'run r1 has steps -1 (initial state) to -1; there is no step -2' });
  });

  it('reads exactly up to the target in pages, whatever the page size', async () => {
    for (const pageSize of [1, 2, 5, 21, 22, 1000]) {
      const source = new MemorySource(run.started, steps);
      const r = await stateAt(source, model, 20, { pageSize, snapshotEvery: 1000 });
      // one round trip per page of at most pageSize events, none past the target
      expect([source.reads, source.eventsRead], `page ${pageSize}`).toEqual([Math.ceil(21 / pageSize), 21]);
      expect([...r.state], `page ${pageSize}`).toEqual([...run.states[20]]);
      expect(r.folded).toBe(21);
      expect(r.event?.step).toBe(20);
    }
  });

  it('names the revision a log skips', async () => {
    const source = new MemorySource(run.started, steps);
    source.events.splice(3, 1);
    await expect(stateAt(source, model, 6)).rejects.toThrow('run r1: expected revision 3, read 4');
  });
});

describe('object names', () => {
  it('lists every object as kind:name, and a bare name two kinds share is ambiguous', () => {
    const all = objectsOf(model);
    for (const l of model.world.ptls) expect(all).toContain(`ptl:${l}`);
    for (const v of model.world.vmas) expect(all).toContain(`vma:${v.name}`);
    expect(resolveObject(model, model.world.vmas[0].name)).toBe(`vma:${model.world.vmas[0].name}`);
    const world = run.started.model as unknown as { ptes: { name: string }[] };
    const clash = new RunModel({
      ...run.started,
      model: { ...run.started.model, ptes: world.ptes.map((e, i) => (i === 0 ? { ...e, name: 'P' } : e)) } as never,
    });
    expect(() => resolveObject(clash, 'P')).toThrow(UnknownObjectError);
    expect(() => resolveObject(clash, 'P')).toThrow("'P' is ambiguous: say page:P or pte:P");
    expect(() => resolveObject(model, 'nothing')).toThrow(`run r1 has no object 'nothing' (it has ${all.join(', ')})`);
  });
});

describe('the flattened view', () => {
  // computed inside each test: code run while tests are collected is outside Stryker's per-test coverage
  const views = () => {
    const view = viewOf(model, run.states[20], 20);
    return { view, flat: flattenView(view) };
  };
  it('leaves out where the view was taken and the raw encodings, and keeps everything else', () => {
    const { view, flat } = views();
    expect(Object.keys(view)).toEqual(expect.arrayContaining(['step']));
    expect([...flat.keys()].filter((k) => k === 'step' || k === 'runId' || k.endsWith('.raw'))).toEqual([]);
    expect(flat.get('ptes.e0.entry')).toBe('migration(P,write)');
    expect(flat.get('ptes.e0.decoded.kind')).toBe('migration');
    expect(flat.get('pages.P.locked')).toBe(false);
  });
  it('writes a list of objects as their JSON, and a list of names as names', () => {
    const { flat } = views();
    const waiting = viewOf(model, run.states[20], 20);
    const q = Object.keys(waiting.waitQueues)[0] ?? 'P';
    waiting.waitQueues[q] = [{ thread: 'flt0', exclusive: true, woken: false }];
    expect(flattenView(waiting).get(`waitQueues.${q}`)).toBe('{"thread":"flt0","exclusive":true,"woken":false}');
    expect(flat.get('threads.flt0.holds.ptls')).toBe('ptl');
    waiting.threads.mig.holds.pageLocks = ['P', 'Q'];
    expect(flattenView(waiting).get('threads.mig.holds.pageLocks')).toBe('P,Q');
  });
  it('a leaf only the second view has is a change from null, one it lacks is a change to null', () => {
    const { view } = views();
    const b = viewOf(model, run.states[20], 20);
    (b.pages.P as unknown as Record<string, unknown>).extra = 3;
    expect(diffViews(view, b)).toEqual([{ path: 'pages.P.extra', a: null, b: 3 }]);
    expect(diffViews(b, view)).toEqual([{ path: 'pages.P.extra', a: 3, b: null }]);
    (b.pages.P as unknown as Record<string, unknown>).extra = null;
    expect(diffViews(view, b)).toEqual([]);
  });
});
