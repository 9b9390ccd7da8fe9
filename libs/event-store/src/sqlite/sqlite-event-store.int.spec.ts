import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstValueFrom, take, toArray } from 'rxjs';
import { UpcasterRegistry, type RecordedEvent, type RunCompleted } from '@mmreplay/events';
import { EventStoreConfigError, StoreUnavailableError } from '../errors.js';
import { SqliteEventStore } from './sqlite-event-store.js';
import { SQLITE_SCHEMA_VERSION } from './schema.js';

let dir: string;
let n = 0;
const fresh = () => join(dir, `store-${n++}.db`);
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mmreplay-sqlite-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite event store: the file', () => {
  it('creates the file and its directories, in WAL mode, with the schema', async () => {
    const file = join(dir, 'nested', 'deeper', 'mmreplay.db');
    const store = await SqliteEventStore.open(file);
    await store.appendToStream('run-1', [{ type: 'RunStarted', data: { runId: '1' } }]);
    await store.close();

    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
      const objects = db.prepare("SELECT name FROM sqlite_master WHERE type IN ('table', 'index') ORDER BY name").pluck().all();
      expect(objects).toEqual(expect.arrayContaining(['events', 'events_stream_revision', 'events_type_position', 'snapshots', 'checkpoints']));
      // Revisions and positions are integers, data and metadata JSON text.
      const row = db.prepare('SELECT typeof(position) p, typeof(revision) r, typeof(data) d, json_valid(data) dj, json_valid(metadata) mj FROM events').get();
      expect(row).toEqual({ p: 'integer', r: 'integer', d: 'text', dj: 1, mj: 1 });
    } finally {
      db.close();
    }
  });

  it('runs its own connection in WAL with synchronous = NORMAL (committed appends survive a process crash)', async () => {
    const store = await SqliteEventStore.open(fresh());
    try {
      // Read back from SQLite: a typo or an OFF in the settings shows here, not after a crash.
      expect(store.connectionSettings()).toEqual({ journalMode: 'wal', synchronous: 1, foreignKeys: 0, busyTimeoutMs: 5 });
    } finally {
      await store.close();
    }
    // An explicit override is honoured (and read back the same way).
    const strict = await SqliteEventStore.open(fresh(), { pragmas: { synchronous: 'FULL' } });
    try {
      expect(strict.connectionSettings().synchronous).toBe(2);
    } finally {
      await strict.close();
    }
  });

  it('keeps the log across close and reopen; positions go on from where they were', async () => {
    const file = fresh();
    let store = await SqliteEventStore.open(file);
    const first = await store.appendToStream('s', [
      { type: 'A', data: 1 },
      { type: 'A', data: 2 },
    ]);
    await store.snapshots.save('s', { revision: 1n, version: 1, state: { sum: 3 } });
    await store.checkpoints.store('consumer', first.position);
    await store.close();

    store = await SqliteEventStore.open(file);
    try {
      const second = await store.appendToStream('s', [{ type: 'A', data: 3 }], { expectedRevision: 1n });
      expect(second.position).toBeGreaterThan(first.position);
      expect((await store.readStream('s')).map((e) => e.data)).toEqual([1, 2, 3]);
      expect(await store.snapshots.load('s')).toEqual({ revision: 1n, version: 1, state: { sum: 3 } });
      expect(await store.checkpoints.load('consumer')).toBe(first.position);
    } finally {
      await store.close();
    }
  });

  it('wakes the subscriptions of every store open on the file in this process at once, without polling', async () => {
    const file = fresh();
    const reader = await SqliteEventStore.open(file, { pollIntervalMs: 60_000 });
    const writer = await SqliteEventStore.open(file, { pollIntervalMs: 60_000 });
    try {
      const received = firstValueFrom(reader.subscribeToStream('s').pipe(take(3), toArray()));
      await sleep(10);
      await writer.appendToStream('s', [{ type: 'A', data: 1 }]);
      await writer.appendToStream('s', [
        { type: 'A', data: 2 },
        { type: 'A', data: 3 },
      ]);
      const started = Date.now();
      expect((await received).map((e) => e.data)).toEqual([1, 2, 3]);
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it('reads events written at an older schema version at the current one, and never rewrites them', async () => {
    const file = fresh();
    // Yesterday's code: RunCompleted v1 had no step count.
    const old = await SqliteEventStore.open(file);
    await old.appendToStream('run-1', [{ type: 'RunCompleted', data: { outcome: 'completed', violation: null, schedule: '7:0,1,1' } }]);
    await old.close();

    // Today's code: v2 counts steps (one per choice of the schedule).
    const upcasters = new UpcasterRegistry().register<{ schedule: string }, RunCompleted>('RunCompleted', 1, (v1) => ({
      ...(v1 as Omit<RunCompleted, 'steps'>),
      steps: v1.schedule.split(':')[1].split(',').length,
    }));
    const store = await SqliteEventStore.open(file, { upcasters });
    try {
      await store.appendToStream('run-2', [{ type: 'RunCompleted', data: { outcome: 'completed', violation: null, schedule: '8:0', steps: 1 } }]);
      const [v1] = await store.readStream('run-1');
      expect(v1.data).toEqual({ outcome: 'completed', violation: null, schedule: '7:0,1,1', steps: 3 });
      expect(v1.metadata.schemaVersion).toBe(2);
      const all = await store.readAll();
      expect(all.map((e) => e.metadata.schemaVersion)).toEqual([2, 2]);
      const live: RecordedEvent[] = await firstValueFrom(store.subscribeToAll().pipe(take(2), toArray()));
      expect((live[0].data as RunCompleted).steps).toBe(3);
    } finally {
      await store.close();
    }
    const db = new Database(file, { readonly: true });
    try {
      const versions = db.prepare("SELECT json_extract(metadata, '$.schemaVersion') FROM events ORDER BY position").pluck().all();
      expect(versions).toEqual([1, 2]); // the new event was written at the current version
    } finally {
      db.close();
    }
  });
});

describe('SQLite event store: unavailability', () => {
  it('turns a full disk into StoreUnavailableError and writes nothing of the batch', async () => {
    const store = await SqliteEventStore.open(fresh(), { pragmas: { max_page_count: 64 } });
    try {
      await store.appendToStream('s', [{ type: 'Small', data: 1 }]);
      const before = await store.readAll();
      const big = Array.from({ length: 2_000 }, (_, i) => ({ type: 'Big', data: { i, pad: 'x'.repeat(1_000) } }));
      const error = await store.appendToStream('s', big).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as StoreUnavailableError).message).toMatch(/SQLITE_FULL/);
      expect(await store.readAll()).toEqual(before);
      await store.appendToStream('s', [{ type: 'Small', data: 2 }], { expectedRevision: 0n });
    } finally {
      await store.close();
    }
  });

  it('answers StoreUnavailableError to writes on a read-only store, and reads', async () => {
    const file = fresh();
    const writer = await SqliteEventStore.open(file);
    await writer.appendToStream('s', [{ type: 'A', data: 1 }]);
    const reader = await SqliteEventStore.open(file, { readonly: true });
    try {
      await expect(reader.appendToStream('s', [{ type: 'A', data: 2 }])).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(reader.snapshots.save('s', { revision: 0n, version: 1, state: {} })).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(reader.checkpoints.store('c', 1n)).rejects.toBeInstanceOf(StoreUnavailableError);
      expect((await reader.readStream('s')).map((e) => e.data)).toEqual([1]);
    } finally {
      await reader.close();
      await writer.close();
    }
  });

  it('answers StoreUnavailableError when the file cannot be opened or is not a database', async () => {
    const notADirectory = join(dir, 'plain-file');
    writeFileSync(notADirectory, 'x');
    await expect(SqliteEventStore.open(join(notADirectory, 'mmreplay.db'))).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(SqliteEventStore.open(join(dir, 'absent.db'), { readonly: true })).rejects.toBeInstanceOf(StoreUnavailableError);
    const garbage = join(dir, 'garbage.db');
    writeFileSync(garbage, 'this is not an SQLite database, it only pretends to be one for a while'.repeat(100));
    await expect(SqliteEventStore.open(garbage)).rejects.toBeInstanceOf(StoreUnavailableError);
  });

  it('refuses a file written by a newer schema', async () => {
    const file = fresh();
    const db = new Database(file);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.close();
    await expect(SqliteEventStore.open(file)).rejects.toBeInstanceOf(EventStoreConfigError);
  });

  it('waits for another connection’s write lock without blocking the event loop', async () => {
    const file = fresh();
    const store = await SqliteEventStore.open(file, { lockTimeoutMs: 60_000 });
    const other = new Database(file);
    try {
      other.pragma('busy_timeout = 0');
      other.exec('BEGIN IMMEDIATE');
      const append = store.appendToStream('s', [{ type: 'A', data: 1 }]);
      // The lock is released by a callback of this event loop: the append can only go through if
      // the store kept the loop running while it waited (a blocking wait would hold it until the
      // deadline, a minute away, and the test would time out).
      let released = false;
      setImmediate(() => {
        other.exec('COMMIT');
        released = true;
      });
      await expect(append).resolves.toMatchObject({ nextExpectedRevision: 0n });
      expect(released).toBe(true);
      expect((await store.readStream('s')).map((e) => e.data)).toEqual([1]);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await store.close();
    }
  });

  it('gives up on a lock held past lockTimeoutMs with StoreUnavailableError, not before', async () => {
    const file = fresh();
    const store = await SqliteEventStore.open(file, { lockTimeoutMs: 150 });
    const other = new Database(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      const started = performance.now();
      const error = await store.appendToStream('s', [{ type: 'A', data: 1 }]).catch((e: unknown) => e);
      // Only a lower bound: the store must not give up early; how late it is depends on the machine.
      expect(performance.now() - started).toBeGreaterThanOrEqual(149);
      expect(error).toBeInstanceOf(StoreUnavailableError);
      expect((error as Error).message).toMatch(/cannot append to s/);
      other.exec('ROLLBACK');
      expect(await store.readAll()).toEqual([]);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await store.close();
    }
  });

  it('answers StoreUnavailableError once closed', async () => {
    const store = await SqliteEventStore.open(fresh());
    await store.close();
    await store.close();
    await expect(store.appendToStream('s', [{ type: 'A', data: 1 }])).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.readAll()).rejects.toBeInstanceOf(StoreUnavailableError);
    expect(() => store.subscribeToAll()).toThrow(StoreUnavailableError);
  });
});

describe('SQLite event store: subscriptions', () => {
  it('polls for other processes only while a subscription is open', async () => {
    const store = await SqliteEventStore.open(fresh());
    try {
      expect(store.polling).toBe(false);
      const a = store.subscribeToAll().subscribe();
      const b = store.subscribeToStream('s').subscribe();
      expect(store.polling).toBe(true);
      a.unsubscribe();
      expect(store.polling).toBe(true);
      b.unsubscribe();
      expect(store.polling).toBe(false);
      expect(store.activeSubscriptions).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('catches up a long log page by page', async () => {
    const store = await SqliteEventStore.open(fresh(), { subscriptionPageSize: 100 });
    try {
      for (let k = 0; k < 10; k++) {
        await store.appendToStream(
          `run-${k % 3}`,
          Array.from({ length: 250 }, (_, i) => ({ type: 'StepRecorded', data: { k, i } })),
        );
      }
      const all = await firstValueFrom(store.subscribeToAll().pipe(take(2_500), toArray()));
      expect(all).toEqual(await store.readAll());
      const sparse = await firstValueFrom(store.subscribeToAll({ filter: { streamPrefix: ['run-2'] } }).pipe(take(750), toArray()));
      expect(sparse).toEqual(await store.readAll({ filter: { streamPrefix: ['run-2'] } }));
    } finally {
      await store.close();
    }
  });
});
