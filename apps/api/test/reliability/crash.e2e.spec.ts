import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createEventStore, type EventStore } from '@mmreplay/event-store';
import { CATALOGUE_CONSUMER, CatalogueService } from '@mmreplay/runs';
import type { RecordedEvent } from '@mmreplay/events';
import { ADMIN, startApi, until, type ApiProcess } from './processes.js';

// SIGKILL of the API process (no shutdown hook runs) in the middle of a run and of an audit, then
// a restart on the same SQLite file.
const RUN = { scenario: 'seed', params: { ptes: 2, faults: 2, rounds: 1000 }, strategy: 'pct', seed: 7, wait: false };
const LONG_AUDIT = {
  scenario: 'seed',
  params: { ptes: 5, faults: 5 },
  strategy: 'exhaustive',
  reductions: { symmetry: false, partialOrder: false, deadRegisters: false },
  bounds: { maxSeconds: 60 },
};

/** What must not differ between an interrupted and an uninterrupted run: each step's type and data. */
const steps = (events: RecordedEvent[]) => events.filter((e) => e.type !== 'RunStarted').map((e) => ({ type: e.type, data: stripIds(e.data) }));
const stripIds = (d: unknown): unknown =>
  JSON.parse(JSON.stringify(d, (k, v) => (k === 'runId' || k === 'at' || k === 'recordedAt' || k === 'elapsedMs' ? undefined : v)));

describe('crash: SIGKILL and restart', () => {
  let dir: string;
  let store: string;
  let api: ApiProcess;
  let token: string;
  let events: EventStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-crash-'));
    store = `sqlite:${join(dir, 'crash.db')}`;
    api = await startApi(store);
    token = (await api.request('POST', '/teams', ADMIN, { teamId: 'mm', owner: 'alice' })).body.token.token;
    events = await createEventStore(store);
  });
  afterAll(async () => {
    await events?.close();
    await api?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a run killed midway resumes at restart to exactly the events of an uninterrupted run, none lost or duplicated', async () => {
    const started = await api.request('POST', '/runs', token, RUN);
    expect(started.status).toBe(202);
    const id = started.body.id;
    // kill once some of its events are in the store (acknowledged appends), before it completes
    let atKill = 0;
    await until(
      'events of the run',
      async () => {
        const es = await events.readStream(`run-${id}`).catch(() => []);
        atKill = es.length;
        // past the first batches (250 events each) and far from the end (about 29,000 events), so
        // the run cannot complete between this read and the kill even on a loaded machine
        return es.length >= 1_001;
      },
      20_000,
      1,
    );
    await api.kill('SIGKILL');
    const before = await events.readStream(`run-${id}`);
    const completedAtKill = before.some((e) => e.type === 'RunCompleted');
    api = await startApi(store);
    const after = await until('the run completed after restart', async () => {
      const es = await events.readStream(`run-${id}`);
      return es.some((e) => e.type === 'RunCompleted') && es;
    });
    // what was stored before the kill is a prefix of what is stored now
    expect(after.slice(0, before.length).map((e) => e.id ?? e.revision)).toEqual(before.map((e) => e.id ?? e.revision));
    // the same request, uninterrupted
    const ref = await api.request('POST', '/runs', token, { ...RUN, wait: true });
    expect(ref.status).toBe(201);
    const reference = await events.readStream(`run-${ref.body.id}`);
    expect(steps(after)).toEqual(steps(reference));
    expect(new Set(after.map((e) => String(e.revision))).size).toBe(after.length);
    // the catalogue lists it once, completed, with the reference's outcome
    const listed = (await api.request('GET', '/runs?limit=100', token)).body.nodes.filter((n: any) => n.id === id);
    expect(listed).toHaveLength(1);
    expect(listed[0].outcome).toBe(ref.body.outcome);
    // report how far the kill got (the test is meaningful only if it hit mid-run)
    expect({ atKill, completedAtKill }).toMatchObject({ completedAtKill: false });
  });

  it('an audit killed midway is completed as interrupted at restart, with the progress it had recorded', async () => {
    const started = await api.request('POST', '/audits', token, LONG_AUDIT);
    expect(started.status).toBe(202);
    const id = started.body.id;
    await until('progress', async () => (await api.request('GET', `/audits/${id}`, token)).body.progress?.transitions > 0);
    await api.kill('SIGKILL');
    const recorded = (await events.readStream(`audit-${id}`)).filter((e) => e.type === 'AuditProgressed').at(-1)!.data as { transitions: number };
    api = await startApi(store);
    const v = (await api.request('GET', `/audits/${id}`, token)).body;
    expect(v.status).toBe('interrupted');
    expect(v.result.transitions).toBe(recorded.transitions);
    expect((await events.readStream(`audit-${id}`)).filter((e) => e.type === 'AuditCompleted')).toHaveLength(1);
  });

  it('the catalogue killed while following new runs and again while rebuilding matches a rebuild from the log', async () => {
    const file = join(dir, 'catalogue.db');
    const cstore = `sqlite:${file}`;
    let p = await startApi(cstore);
    const t = (await p.request('POST', '/teams', ADMIN, { teamId: 'cat', owner: 'alice' })).body.token.token as string;
    // runs acknowledged while the catalogue follows the log (folding them into its tables)
    let acknowledged = 0;
    const writers = Array.from({ length: 8 }, async (_, w) => {
      for (let i = 0; ; i++) {
        const r = await p.request('POST', '/runs', t, { scenario: 'litmus-sb', strategy: 'random', seed: w * 10_000 + i }).catch(() => undefined);
        if (!r || r.status !== 201) return;
        acknowledged++;
      }
    });
    await until('runs', async () => acknowledged >= 300, 60_000, 10);
    await p.kill('SIGKILL');
    await Promise.all(writers);
    // throw the catalogue's tables away, start, and kill during the rebuild at start (unfinished runs are looked up in it)
    const db = new Database(file);
    db.exec("DELETE FROM catalogue_runs; DELETE FROM catalogue_audits; DELETE FROM catalogue_links; DELETE FROM catalogue_meta WHERE key = 'position';");
    db.prepare('DELETE FROM checkpoints WHERE consumer = ?').run(CATALOGUE_CONSUMER);
    db.close();
    await startApi(cstore, {}, (child) => setTimeout(() => child.kill('SIGKILL'), 400)).then(
      (q) => q.kill('SIGKILL'),
      () => undefined,
    );
    p = await startApi(cstore);
    try {
      const listed: any[] = [];
      for (let after: string | null = null; ;) {
        const page: any = (await p.request('GET', `/runs?limit=100${after ? `&after=${after}` : ''}`, t)).body;
        listed.push(...page.nodes);
        if (!page.next) break;
        after = page.next;
      }
      const reader = await createEventStore(cstore);
      const catalogue = new CatalogueService(reader);
      await catalogue.rebuild();
      const rebuilt = await catalogue.runs({ team: 'cat' });
      await reader.close();
      const key = (r: any) => `${r.id ?? r.runId} ${r.status} ${r.outcome}`;
      expect(listed.length).toBeGreaterThanOrEqual(acknowledged);
      expect(listed.map(key).sort()).toEqual(rebuilt.map(key).sort());
      expect(new Set(listed.map((r) => r.id)).size).toBe(listed.length);
    } finally {
      await p.kill();
    }
  });
});
