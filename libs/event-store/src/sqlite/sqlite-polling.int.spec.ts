import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstValueFrom, take, toArray } from 'rxjs';
import { SqliteEventStore } from './sqlite-event-store.js';
import { insertEventsSql } from './schema.js';
import { within } from '../../test/within.js';

// Commits by another process reach a subscription only through the store's poll of
// `PRAGMA data_version` (the in-process notifier never hears of them). A second connection of
// this process that is not an SqliteEventStore is such a writer, and keeps the test in process
// (the multi-process spec cannot run under mutation testing).

let dir: string;
let n = 0;
const fresh = () => join(dir, `poll-${n++}.db`);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mmreplay-sqlite-poll-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Appends one event the way another process's store would, behind this process's notifier. */
function foreignAppend(db: Database.Database, stream: string, revision: number, data: number): void {
  const metadata = JSON.stringify({ schemaVersion: 1, recordedAt: new Date().toISOString() });
  db.prepare(insertEventsSql(1)).run(stream, revision, `id-${stream}-${revision}`, 'A', JSON.stringify(data), metadata);
}

describe('SQLite event store: commits of other connections', () => {
  it('delivers them to a live subscription by polling, in order, each once', async () => {
    const file = fresh();
    const store = await SqliteEventStore.open(file, { pollIntervalMs: 10 });
    const other = new Database(file);
    try {
      await store.appendToStream('s', [{ type: 'A', data: 0 }]);
      const received = firstValueFrom(store.subscribeToStream('s').pipe(take(4), toArray()));
      for (let r = 1; r <= 3; r++) {
        await new Promise((resolve) => setTimeout(resolve, 30));
        foreignAppend(other, 's', r, r);
      }
      const events = await within(received, 5_000);
      expect(events.map((e) => e.data)).toEqual([0, 1, 2, 3]);
      expect(events.map((e) => e.revision)).toEqual([0n, 1n, 2n, 3n]);
    } finally {
      other.close();
      await store.close();
    }
  });

  it('are not seen before the poll interval when no append of this process wakes the subscription', async () => {
    const file = fresh();
    const store = await SqliteEventStore.open(file, { pollIntervalMs: 1_000 });
    const other = new Database(file);
    try {
      const seen: unknown[] = [];
      const sub = store.subscribeToAll().subscribe((e) => seen.push(e.data));
      // an append of this process, delivered at once: the subscription is past its catch-up and live
      await store.appendToStream('s', [{ type: 'A', data: 6 }]);
      for (let i = 0; i < 50 && seen.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 5));
      expect(seen).toEqual([6]);
      foreignAppend(other, 's', 1, 7);
      await new Promise((resolve) => setTimeout(resolve, 60));
      // the in-process notifier was not told, and the next poll is still to come: nothing yet
      expect(seen).toEqual([6]);
      for (let i = 0; i < 200 && seen.length === 1; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect(seen).toEqual([6, 7]);
      sub.unsubscribe();
      expect(store.polling).toBe(false);
    } finally {
      other.close();
      await store.close();
    }
  });
});
