import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveModel } from '@mmreplay/model';
import { makeScheduler, Runtime } from '@mmreplay/engine';
import { InvalidPredicateError, PROJECTION_VERSION, snapshotKey, StepOutOfRangeError, UnknownObjectError } from '@mmreplay/projections';
import type { SqliteEventStore } from '@mmreplay/event-store';
import { tempSqliteStore } from '../test/temp-store.js';
import { RunService } from './run.service.js';
import { QueryService } from './query.service.js';
import { renderTraceText } from './trace/trace.js';
import { UnknownRunError } from './errors.js';
import { SEED_QUESTION } from '@mmreplay/projections';

const SEED_BUG = 's1.ARECAAMD.';

describe('QueryService over SQLite', () => {
  let t: Awaited<ReturnType<typeof tempSqliteStore>>;
  let store: SqliteEventStore;
  let queries: QueryService;
  const big = { runId: 'big', scenario: 'seed', params: { ptes: 2, faults: 2, rounds: 300 }, strategy: 'random' as const, seed: 11 };
  const states: Int32Array[] = [];
  let initial: Int32Array;

  beforeAll(async () => {
    t = await tempSqliteStore();
    store = t.store;
    const runs = new RunService(store, { batchSize: 1_000, snapshotEvery: 64 });
    await runs.startRun({ runId: 'bug', scenario: 'seed', variant: 'unlock-before-remove', schedule: SEED_BUG, actor: 'ann', team: 'mm' });
    await runs.startRun(big);
    const { world } = resolveModel(big);
    initial = new Runtime(world).machine.initialState();
    new Runtime(world).run({ scheduler: makeScheduler(big, world, 1e6), maxSteps: 1e6, onState: (s) => states.push(s.slice()) });
    queries = new QueryService(store, { snapshotEvery: 64 });
  });
  afterAll(() => t.dispose());

  it('the seed story: first finds the read, state shows it, trace marks the BUG_ON', async () => {
    const hit = await queries.firstWhere('bug', SEED_QUESTION);
    expect(hit).toMatchObject({ step: 20, event: { thread: 'flt0', label: 'F3.ptep_get' } });
    const state = await queries.stateAt('bug', hit!.step);
    expect(state.view.ptes.e0.entry).toBe('migration(P,write)');
    expect(state.view.pages.P.locked).toBe(false);
    expect(state.view.ptls.ptl.holder).toBe('flt0');
    expect(state.event?.label).toBe('F3.ptep_get');
    const trace = await queries.trace('bug');
    const text = renderTraceText(trace);
    expect(trace.rows.at(-1)).toMatchObject({ step: 21, thread: 'flt0', violation: expect.stringMatching(/^bug-on: .*BUG_ON\(!PageLocked\)/) });
    expect(text).toMatch(/F4\.pfn_swap_entry_to_page: BUG_ON\(!PageLocked\(P\)\)\?  <-- BUG/);
    expect(text).toMatch(/!!!! bug-on: flt0: BUG_ON\(!PageLocked\) in pfn_swap_entry_to_page/);
    expect(text).toMatch(/U12\.unlock_page: P unlocked/);
    expect(trace.columns.map((c) => c.object)).toEqual(['page:P', 'page:Q', 'ptl:ptl', 'pte:e0']);
    // Stable: the same text every time.
    expect(renderTraceText(await queries.trace('bug'))).toBe(text);
  });

  it('events, history, diff, divergence and locks', async () => {
    expect((await queries.events('bug', { from: 17, to: 20 })).map((e) => e.label)).toEqual(['F1.access', 'U12.unlock_page', 'F3.do_swap_page', 'F3.ptep_get']);
    expect((await queries.events('bug', { types: ['PageUnlocked'] })).map((e) => e.step)).toEqual([18]);
    expect((await queries.events('bug', { thread: 'flt0' })).map((e) => e.step)).toEqual([17, 19, 20, 21]);
    expect((await queries.events('bug', { object: 'ptl', limit: 2 })).map((e) => e.step)).toEqual([5, 12]);
    const history = await queries.history('bug', 'pte:e0');
    expect(history.map((h) => h.step)).toEqual([3, 4, 5, 6, 7, 8, 9, 12, 13, 17, 19, 20]);
    expect(history.find((h) => h.step === 9)?.changes).toEqual([{ field: 'entry', before: 'none', after: 'migration(P,write)' }]);
    expect((await queries.history('bug', 'P')).find((h) => h.step === 18)?.changes).toEqual([
      { field: 'flags', before: 'locked', after: '-' },
      { field: 'owner', before: 'mig', after: '-' },
    ]);
    const diff = await queries.diff('bug', 17, 20);
    expect(diff.changes).toEqual(
      expect.arrayContaining([
        { path: 'pages.P.locked', a: true, b: false },
        { path: 'ptls.ptl.holder', a: null, b: 'flt0' },
      ]),
    );
    expect((await queries.diff({ runId: 'bug', step: 5 }, { runId: 'bug', step: 5 })).changes).toEqual([]);
    expect(await queries.locksHeld('bug', 'flt0', 20)).toEqual({ runId: 'bug', thread: 'flt0', step: 20, pageLocks: [], ptls: ['ptl'] });
    expect(await queries.locksHeld('bug', 'mig', 6)).toMatchObject({ pageLocks: ['P', 'Q'], ptls: ['ptl'] });
    expect(await queries.divergence('bug', 'bug')).toBeNull();
    expect(await queries.divergence('bug', 'big')).toMatchObject({ step: -1, reason: 'different models' });
  });

  it('divergence finds the first step where two runs of one model differ', async () => {
    const runs = new RunService(store);
    await runs.startRun({ runId: 'd1', scenario: 'seed', params: { rounds: 3 }, seed: 1 });
    await runs.startRun({ runId: 'd2', scenario: 'seed', params: { rounds: 3 }, seed: 2 });
    const d = await queries.divergence('d1', 'd2');
    expect(d).not.toBeNull();
    const [a, b] = [await queries.events('d1', { to: d!.step }), await queries.events('d2', { to: d!.step })];
    expect(a.slice(0, -1)).toEqual(b.slice(0, -1));
    expect(a.at(-1)).not.toEqual(b.at(-1));
  });

  it('stateAt from SQLite snapshots equals the engine state at random steps', async () => {
    const last = states.length - 1;
    expect([...(await queries.stateAt('big', -1)).vector]).toEqual([...initial]);
    expect([...(await queries.stateAt('big', last)).vector]).toEqual([...states[last]]);
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: -1, max: last }), async (step) => {
        const s = await queries.stateAt('big', step);
        // Step -1 is the state before any step: the engine's own, not the store's copy of it.
        expect([...s.vector]).toEqual(step < 0 ? [...initial] : [...states[step]]);
      }),
      { numRuns: 200 },
    );
  });

  it('ignores snapshots of an older projection version and rebuilds them', async () => {
    const key = snapshotKey('run-big');
    // An older projection wrote the snapshots after revision 512 (saving at a revision replaces).
    for (const revision of [576n, 640n, 704n]) await store.snapshots.save(key, { revision, version: PROJECTION_VERSION - 1, state: { garbage: true } });
    expect((await store.snapshots.load(key, { atOrBefore: 720n, version: PROJECTION_VERSION }))?.revision).toBe(512n);
    const s = await queries.stateAt('big', 720);
    expect([...s.vector]).toEqual([...states[720]]);
    for (const revision of [576n, 640n, 704n]) {
      expect(await store.snapshots.load(key, { atOrBefore: revision })).toMatchObject({ revision, version: PROJECTION_VERSION });
    }
  });

  it('answers clear errors', async () => {
    await expect(queries.stateAt('nope', 1)).rejects.toBeInstanceOf(UnknownRunError);
    await expect(queries.stateAt('bug', 22)).rejects.toBeInstanceOf(StepOutOfRangeError);
    await expect(queries.firstWhere('bug', { pte: 'e7' })).rejects.toBeInstanceOf(InvalidPredicateError);
    await expect(queries.history('bug', 'R')).rejects.toBeInstanceOf(UnknownObjectError);
    await expect(queries.events('bug', { from: 5, to: 2 })).rejects.toThrow(/from: must not be after to/);
    await expect(queries.trace('bug', { from: 30 })).rejects.toBeInstanceOf(StepOutOfRangeError);
  });
});
