import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventStore, type EventStore } from '@mmreplay/event-store';
import { TestApi } from '../harness.js';
import { ADMIN, startApi } from './processes.js';

// Store faults while the API runs: a clear 503 (problem details, Retry-After), no crash, and
// recovery once the fault ends. Tests run as root, so chmod cannot make the file read-only and
// mounting a small tmpfs is not always allowed: the faults are made on the API's own SQLite
// connection instead (SQLite raises exactly the errors a read-only file or a full disk raises):
// - read-only: `PRAGMA query_only = ON` → SQLITE_READONLY on every write;
// - disk full: `PRAGMA max_page_count` = the pages in use → SQLITE_FULL on the next write.
describe('store faults (SQLite): 503 with Retry-After, no crash, recovery', () => {
  let dir: string;
  let store: EventStore;
  let db: Database.Database;
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-faults-'));
    store = await createEventStore(`sqlite:${join(dir, 'faults.db')}`);
    db = (store as unknown as { db: Database.Database }).db;
    expect(typeof db.pragma).toBe('function');
    // Room for as many audits as the disk-full case sends before one is refused.
    api = await TestApi.start({ audits: { maxConcurrentPerTeam: 50 } as never }, { store });
    token = await api.team('mm');
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const run = () => api.post('/runs', { scenario: 'seed', strategy: 'pct', seed: 3 }, token);
  const expect503 = async (r: Awaited<ReturnType<typeof run>>) => {
    expect(r.status, r.text).toBe(503);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(Number(r.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(r.body.type).toBe('/problems/store-unavailable');
  };

  for (const [fault, on, off] of [
    ['read-only store', () => db.pragma('query_only = ON'), () => db.pragma('query_only = OFF')],
    ['disk full', () => db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true }) as number}`), () => db.pragma('max_page_count = 1073741823')],
  ] as const) {
    it(`${fault}: writes answer 503, reads still answer, the process lives on, and writes work again after`, async () => {
      expect((await run()).status).toBe(201);
      on();
      try {
        // big enough to need new pages when the disk is "full"
        for (let i = 0; i < 3; i++)
          await expect503(await api.post('/runs', { scenario: 'seed', params: { ptes: 2, faults: 2, rounds: 50 }, strategy: 'pct', seed: 10 + i }, token));
        // A read-only store refuses the first audit. A "full" file may still have room for a small
        // request in its last pages: every accepted one is a real 202, and one is refused soon after.
        let audit = await api.post('/audits', { scenario: 'seed', strategy: 'random', bounds: { runs: 5 } }, token);
        let accepted = 0;
        while (audit.status === 202 && fault === 'disk full' && accepted < 20) {
          accepted++;
          audit = await api.post('/audits', { scenario: 'seed', strategy: 'random', bounds: { runs: 5 } }, token);
        }
        await expect503(audit);
        expect((await api.get('/health/live')).status).toBe(200);
        const list = await api.get('/runs?limit=5', token);
        expect(list.status, list.text).toBe(200);
      } finally {
        off();
      }
      expect((await run()).status).toBe(201);
      expect((await api.get('/health/ready')).status).toBe(200);
    });
  }
});

describe('EventStoreDB connection refused', () => {
  it('the API does not start on a store it cannot reach: a clear message and a non-zero exit, no hang', async () => {
    const started = Date.now();
    const failed = await startApi('esdb://127.0.0.1:1?tls=false').then(
      async (p) => (await p.kill(), undefined),
      (e: Error) => e.message,
    );
    expect(failed).toMatch(/API exited/);
    expect(failed).toMatch(/unavailable|refused|ECONNREFUSED|store/i);
    expect(failed).not.toContain(ADMIN);
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});
