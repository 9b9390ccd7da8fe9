import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createEvent, type AuditRequested } from '@mmreplay/events';
import { SqliteEventStore } from '@mmreplay/event-store';
import { tempSqliteStore } from '../../test/temp-store.js';
import { RunService } from '../run.service.js';
import { CatalogueService, CATALOGUE_CONSUMER } from './catalogue.service.js';
import { CATALOGUE_VERSION } from './catalogue.js';
import { RunIndex } from './run-index.js';

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
    const tables = join(dirname(t.file), 'catalogue-tables.db');
    const first = new CatalogueService(t.store, { index: new RunIndex(tables) });
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

    // Another process resumes from the tables where the first left them: it folds only what came after.
    const positionThen = first.index.position;
    first.index.close();
    const otherStore = await SqliteEventStore.open(t.file);
    const second = new CatalogueService(otherStore, { index: new RunIndex(tables) });
    expect(second.index.position).toBe(positionThen);
    const fold = vi.spyOn(second.index, 'fold');
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
    expect(fold.mock.calls.flatMap(([events]) => events.map((e) => `${e.streamId} ${e.type}`))).toEqual([
      'audit-x1 AuditCompleted',
      'run-a2 RunStarted',
      'run-a2 RunCompleted',
    ]);
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

    const incremental = { runs: await second.runs(), audits: await second.audits() };
    const fresh = new CatalogueService(t.store);
    await fresh.rebuild();
    const rebuilt = { runs: await fresh.runs(), audits: await fresh.audits() };
    expect(rebuilt).toEqual(incremental);
    expect(JSON.stringify(rebuilt)).toBe(JSON.stringify(incremental));
    second.index.close();
    await otherStore.close();
  });

  it('empties tables of another version and folds the log into them again', async () => {
    const file = join(dirname(t.file), 'old-tables.db');
    const old = new Database(file);
    old.exec(`CREATE TABLE catalogue_meta (key TEXT PRIMARY KEY, value TEXT); INSERT INTO catalogue_meta VALUES ('version', '${CATALOGUE_VERSION - 1}'), ('position', '999999');
      CREATE TABLE catalogue_runs (run_id TEXT PRIMARY KEY, seq INTEGER NOT NULL, team TEXT NOT NULL, entry TEXT NOT NULL);`);
    old.close();
    const service = new CatalogueService(t.store, { index: new RunIndex(file) });
    expect(service.index.position).toBeNull();
    expect((await service.runs()).map((r) => r.runId)).toEqual(['a1', 'cx1', 'b1', 'a2']);
    service.index.close();
  });

  it("replaces an earlier version's catalogue snapshot (every run in one row) with a small one", async () => {
    const runs = Array.from({ length: 5_000 }, (_, i) => ({ runId: `old${i}`, team: 'mm', scenario: 'seed', schedule: 's1.AAAAAAAAAAAA.' }));
    await t.store.snapshots.save(CATALOGUE_CONSUMER, { revision: 0n, version: CATALOGUE_VERSION - 1, state: { position: '1', runs, audits: [] } });
    const rowBytes = () => {
      const db = new Database(t.file, { readonly: true });
      try {
        return (db.prepare('SELECT length(state) FROM snapshots WHERE stream = ?').pluck().get(CATALOGUE_CONSUMER) as number | undefined) ?? 0;
      } finally {
        db.close();
      }
    };
    expect(rowBytes()).toBeGreaterThan(200_000);
    const service = new CatalogueService(t.store);
    expect((await service.runs()).map((r) => r.runId)).toEqual(['a1', 'cx1', 'b1', 'a2']);
    // a lookup of any run's snapshot that passed the old row read all of it (BENCHMARKS.md, Soak)
    expect(rowBytes()).toBeLessThan(200);
    expect(await t.store.snapshots.load(CATALOGUE_CONSUMER, { version: CATALOGUE_VERSION - 1 })).toBeUndefined();
  });

  it('follows the log live, and stores its checkpoint', async () => {
    const service = new CatalogueService(t.store, { saveEveryMs: 20 });
    const seen: string[][] = [];
    const sub = service.follow((changed) => seen.push([...changed]));
    await new RunService(t.store).startRun({ runId: 'live', scenario: 'seed', seed: 3 });
    await new Promise((resolve) => setTimeout(resolve, 200));
    sub.unsubscribe();
    expect(seen.flat()).toContain('live');
    expect(service.index.run('live')?.status).toBe('completed');
    // stored at most every saveEveryMs: at a position the tables reached, never beyond
    const checkpoint = await t.store.checkpoints.load(CATALOGUE_CONSUMER);
    expect(checkpoint).toBeGreaterThan(0n);
    expect(checkpoint! <= BigInt(service.index.position!)).toBe(true);
  });
});
