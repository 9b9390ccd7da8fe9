import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEvent, type AuditRequested } from '@mmreplay/events';
import { SqliteEventStore } from '@mmreplay/event-store';
import { tempSqliteStore } from '../../test/temp-store.js';
import { RunService } from '../run.service.js';
import { CatalogueService, CATALOGUE_CONSUMER } from './catalogue.service.js';
import { CATALOGUE_VERSION } from './catalogue.js';

const audit = (auditId: string, team: string): AuditRequested => ({
  auditId,
  scenario: 'seed',
  params: { ptes: 3, faults: 3 },
  variant: 'unlock-before-remove',
  invariants: ['bug-on'],
  mode: 'exhaustive',
  bounds: { maxStates: 1_000_000 },
  modelHash: 'h',
  actor: 'bob',
  team,
});

describe('run and audit catalogue', () => {
  let t: Awaited<ReturnType<typeof tempSqliteStore>>;
  beforeAll(async () => (t = await tempSqliteStore()));
  afterAll(() => t.dispose());

  it('is kept up to date incrementally, survives restarts, and a rebuild from scratch gives the identical catalogue', async () => {
    const runs = new RunService(t.store);
    const first = new CatalogueService(t.store);
    await runs.startRun({ runId: 'a1', scenario: 'seed', seed: 1, actor: 'ann', team: 'mm' });
    expect((await first.runs()).map((r) => r.runId)).toEqual(['a1']);

    // An audit that finds a counterexample, which is then materialised as a run.
    await t.store.appendToStream('audit-x1', [createEvent('AuditRequested', audit('x1', 'mm'), { actor: 'bob' })], { expectedRevision: 'no-stream' });
    await t.store.appendToStream('audit-x1', [
      createEvent('CounterexampleFound', { runId: 'cx1', schedule: 's1.ARECAAMD.', length: 21, invariant: 'bug-on', step: 20 }),
    ]);
    await runs.startRun({ runId: 'cx1', scenario: 'seed', variant: 'unlock-before-remove', schedule: 's1.ARECAAMD.', actor: 'bob', team: 'mm' });
    // A run of another team, still running (its RunCompleted not written yet).
    await t.store.appendToStream('run-b1', [
      createEvent('RunStarted', { ...((await t.store.readStream('run-a1', { maxCount: 1 }))[0].data as object), runId: 'b1', team: 'other' } as never),
    ]);
    expect((await first.runs()).map((r) => r.runId)).toEqual(['a1', 'cx1', 'b1']);

    // Another process (another service over the same file) resumes from the saved catalogue.
    const otherStore = await SqliteEventStore.open(t.file);
    const second = new CatalogueService(otherStore);
    await t.store.appendToStream('audit-x1', [
      createEvent('AuditCompleted', {
        verdict: 'violated',
        boundHit: false,
        statesStored: 80,
        transitions: 101,
        schedules: 1,
        elapsedMs: 3,
        reductions: [],
        counterexample: { runId: 'cx1', schedule: 's1.ARECAAMD.', length: 21, invariant: 'bug-on', step: 20 },
      }),
    ]);
    await runs.startRun({ runId: 'a2', scenario: 'seed', seed: 2, actor: 'ann', team: 'mm' });
    const mm = await second.runs({ team: 'mm' });
    expect(mm.map((r) => r.runId)).toEqual(['a1', 'cx1', 'a2']);
    expect(mm[1]).toMatchObject({
      status: 'completed',
      outcome: 'violation',
      violation: { invariant: 'bug-on', step: 21 },
      variant: 'unlock-before-remove',
      author: 'bob',
      counterexampleOf: ['x1'],
    });
    expect(mm[0]).toMatchObject({
      scenario: 'seed',
      status: 'completed',
      outcome: 'completed',
      modelHash: expect.stringMatching(/^[0-9a-f]{64}$/),
      createdAt: expect.any(String),
      completedAt: expect.any(String),
    });
    expect((await second.runs({ team: 'other' }))[0]).toMatchObject({ runId: 'b1', status: 'running', outcome: null, completedAt: null });
    expect(await second.audits()).toEqual([
      expect.objectContaining({ auditId: 'x1', status: 'completed', verdict: 'violated', counterexamples: ['cx1'], author: 'bob' }),
    ]);
    expect(await t.store.checkpoints.load(CATALOGUE_CONSUMER)).toBeGreaterThan(0n);

    const incremental = (await second.catchUp()).toState();
    const rebuilt = (await new CatalogueService(t.store).rebuild()).toState();
    expect(rebuilt).toEqual(incremental);
    expect(JSON.stringify(rebuilt)).toBe(JSON.stringify(incremental));
    await otherStore.close();
  });

  it('ignores a saved catalogue of another version and rebuilds it', async () => {
    await t.store.snapshots.save(CATALOGUE_CONSUMER, { revision: 0n, version: CATALOGUE_VERSION + 1, state: { position: '999999', runs: [], audits: [] } });
    const runs = await new CatalogueService(t.store).runs();
    expect(runs.map((r) => r.runId)).toEqual(['a1', 'cx1', 'b1', 'a2']);
  });

  it('follows the log live', async () => {
    const service = new CatalogueService(t.store, { saveEveryMs: 20 });
    const seen: string[][] = [];
    const sub = service.follow((c) => seen.push(c.listRuns().map((r) => r.runId)));
    await new RunService(t.store).startRun({ runId: 'live', scenario: 'seed', seed: 3 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    sub.unsubscribe();
    expect(seen.at(-1)).toContain('live');
    const saved = await t.store.snapshots.load(CATALOGUE_CONSUMER, { version: CATALOGUE_VERSION });
    expect((saved?.state as { runs: { runId: string; status: string }[] }).runs.find((r) => r.runId === 'live')?.status).toBe('completed');
  });
});
