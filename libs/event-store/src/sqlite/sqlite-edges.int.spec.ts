import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstValueFrom, take, toArray } from 'rxjs';
import { UpcasterRegistry } from '@mmreplay/events';
import { EventStoreConfigError, StoreUnavailableError } from '../errors.js';
import { SqliteEventStore } from './sqlite-event-store.js';
import { SQLITE_INSERT_ROWS, SQLITE_SCHEMA_VERSION } from './schema.js';
import { within } from '../../test/within.js';

// The SQLite store's edges that the shared contract suite does not reach (issue 20, from the
// mutation run over sqlite-event-store.ts): which failures become StoreUnavailableError and with
// what message, batches of exactly the insert statement's size, empty filters, the read-only
// connection's settings, and what close leaves behind.

let dir: string;
let n = 0;
const fresh = () => join(dir, `edge-${n++}.db`);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mmreplay-sqlite-edges-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const events = (count: number) => Array.from({ length: count }, (_, i) => ({ type: i % 2 === 0 ? 'A' : 'B', data: i }));

describe('SQLite event store: failures and their messages', () => {
  it('a directory that cannot be made is StoreUnavailableError naming the file, with the file system error as cause', async () => {
    const plain = join(dir, 'plain');
    writeFileSync(plain, 'x');
    const file = join(plain, 'sub', 'mmreplay.db');
    const error = await SqliteEventStore.open(file).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(new RegExp(`^cannot open the event store ${file}: `));
    expect(((error as Error).cause as NodeJS.ErrnoException).code).toBe('ENOTDIR');
  });

  it('a file that is not a database is StoreUnavailableError naming the file, with the SQLite error as cause', async () => {
    const garbage = fresh();
    writeFileSync(garbage, 'not a database at all, only text pretending'.repeat(100));
    const error = await SqliteEventStore.open(garbage).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toMatch(new RegExp(`^cannot open the event store ${garbage}: .*\\(SQLITE_NOTADB\\)$`));
    expect((error as Error).cause).toBeInstanceOf(Database.SqliteError);
  });

  it('an SQLite error that is not about availability (a bad pragma) passes through as it is', async () => {
    const error = await SqliteEventStore.open(fresh(), { pragmas: { cache_size: '1 junk' } }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Database.SqliteError);
    expect(error).not.toBeInstanceOf(StoreUnavailableError);
  });

  it('a bug in an upcaster passes through as it is, whatever was thrown', async () => {
    const file = fresh();
    const writer = await SqliteEventStore.open(file);
    await writer.appendToStream('s', [{ type: 'Old', data: 1, metadata: { schemaVersion: 1 } }]);
    await writer.close();
    const bug = new RangeError('upcaster bug');
    for (const thrown of [bug, null]) {
      const upcasters = new UpcasterRegistry().register('Old', 1, () => {
        throw thrown;
      });
      const store = await SqliteEventStore.open(file, { upcasters });
      try {
        const error = await store.readStream('s').then(
          () => 'no error',
          (e: unknown) => e,
        );
        expect(error).toBe(thrown);
      } finally {
        await store.close();
      }
    }
  });

  it('every operation names itself when the file is damaged', async () => {
    const file = fresh();
    const writer = await SqliteEventStore.open(file);
    await writer.appendToStream('s', [{ type: 'A', data: 1 }]);
    await writer.checkpoints.store('c', 1n);
    await writer.snapshots.save('s', { revision: 0n, version: 1, state: {} });
    await writer.close();
    // every page but the first (the schema) overwritten: the tables' pages are not b-tree pages any more
    const bytes = readFileSync(file);
    bytes.fill(0xff, 4096);
    writeFileSync(file, bytes);
    const store = await SqliteEventStore.open(file);
    try {
      const failure = (p: Promise<unknown>) =>
        p.then(
          () => 'no error',
          (e: unknown) => e,
        );
      const cases: [Promise<unknown>, string][] = [
        [store.readStream('s'), 'cannot read s: '],
        [store.readAll(), 'cannot read $all: '],
        [store.checkpoints.load('c'), 'cannot load a checkpoint: '],
        [store.checkpoints.store('c', 2n), 'cannot store a checkpoint: '],
        [store.snapshots.save('s', { revision: 1n, version: 1, state: {} }), 'cannot save a snapshot of s: '],
        [store.snapshots.load('s'), 'cannot load a snapshot of s: '],
        [firstValueFrom(store.subscribeToAll({ fromPosition: 'end' })), 'cannot read $all: '],
      ];
      for (const [operation, message] of cases) {
        const error = await failure(operation);
        expect(error).toBeInstanceOf(StoreUnavailableError);
        expect((error as Error).message.startsWith(message)).toBe(true);
        expect((error as Error).message).toMatch(/\(SQLITE_CORRUPT/);
      }
    } finally {
      await store.close();
    }
  });

  it('gives up on a held lock near lockTimeoutMs, not at the 30 s default', async () => {
    const file = fresh();
    const store = await SqliteEventStore.open(file, { lockTimeoutMs: 100 });
    const other = new Database(file);
    try {
      other.exec('BEGIN IMMEDIATE');
      const started = performance.now();
      await expect(store.appendToStream('s', [{ type: 'A', data: 1 }])).rejects.toBeInstanceOf(StoreUnavailableError);
      // generous for a loaded machine, far below the default
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
      await store.close();
    }
  });

  it('a checkpoint is a bigint, and a read-only store says it is read-only', async () => {
    const file = fresh();
    const store = await SqliteEventStore.open(file);
    await expect(store.checkpoints.store('c', 5 as unknown as bigint)).rejects.toThrow(new TypeError('a checkpoint is a bigint position'));
    await store.close();
    const reader = await SqliteEventStore.open(file, { readonly: true });
    try {
      await expect(reader.checkpoints.store('c', 1n)).rejects.toThrow(`the event store ${file} is open read-only`);
    } finally {
      await reader.close();
    }
  });
});

describe('SQLite event store: opening', () => {
  it('":memory:" is a private database, not a file of that name', async () => {
    const a = await SqliteEventStore.open(':memory:');
    const b = await SqliteEventStore.open(':memory:');
    try {
      expect(a.path).toBe(':memory:');
      await a.appendToStream('s', [{ type: 'A', data: 1 }]);
      expect(await b.readAll()).toEqual([]);
      expect(existsSync(resolve(':memory:'))).toBe(false);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('read-only: makes no directory, refuses a database that holds no event store, and names newer schemas', async () => {
    const missing = join(dir, 'never-made', 'mmreplay.db');
    const absent = await SqliteEventStore.open(missing, { readonly: true }).catch((e: unknown) => e);
    expect(absent).toBeInstanceOf(StoreUnavailableError);
    expect((absent as Error).message).toBe(`cannot open the event store ${missing}: it does not exist`);
    expect(existsSync(join(dir, 'never-made'))).toBe(false);

    const empty = fresh();
    new Database(empty).close();
    const error = await SqliteEventStore.open(empty, { readonly: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect((error as Error).message).toBe(`${empty} holds no event store`);

    const newer = fresh();
    const db = new Database(newer);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION + 1}`);
    db.close();
    const refused = await SqliteEventStore.open(newer).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(EventStoreConfigError);
    expect((refused as Error).message).toBe(
      `${newer} has schema version ${SQLITE_SCHEMA_VERSION + 1}; this code reads up to ${SQLITE_SCHEMA_VERSION} (written by a newer mmreplay?)`,
    );
  });

  it('read-only: the connection gets every pragma but the journal mode, and opens a file left in rollback mode', async () => {
    const file = fresh();
    const writer = await SqliteEventStore.open(file);
    await writer.appendToStream('s', [{ type: 'A', data: 1 }]);
    await writer.close();
    const reader = await SqliteEventStore.open(file, { readonly: true });
    try {
      expect(reader.connectionSettings()).toEqual({ journalMode: 'wal', synchronous: 1, foreignKeys: 0, busyTimeoutMs: 5 });
    } finally {
      await reader.close();
    }
    // another tool switched the file back to a rollback journal: a reader cannot change that, and need not
    const db = new Database(file);
    db.pragma('journal_mode = DELETE');
    db.close();
    const old = await SqliteEventStore.open(file, { readonly: true });
    try {
      expect(old.connectionSettings().journalMode).toBe('delete');
      expect((await old.readStream('s')).map((e) => e.data)).toEqual([1]);
    } finally {
      await old.close();
    }
  });

  it('close releases the file: the write-ahead log is folded back and removed, and nothing polls', async () => {
    const file = fresh();
    const store = await SqliteEventStore.open(file);
    await store.appendToStream('s', [{ type: 'A', data: 1 }]);
    expect(existsSync(`${file}-wal`)).toBe(true);
    await store.close();
    expect(existsSync(`${file}-wal`)).toBe(false);
    expect(store.polling).toBe(false);
  });
});

describe('SQLite event store: reads and batches', () => {
  it('batches of exactly one, two and three insert statements are stored whole, in order', async () => {
    const store = await SqliteEventStore.open(fresh());
    try {
      let expected = 0;
      for (const count of [SQLITE_INSERT_ROWS, 2 * SQLITE_INSERT_ROWS, 3 * SQLITE_INSERT_ROWS - 1, 1]) {
        const result = await store.appendToStream('s', events(count));
        expected += count;
        expect(result.nextExpectedRevision).toBe(BigInt(expected - 1));
        expect(result.position).toBe(BigInt(expected));
      }
      const all = await store.readStream('s');
      expect(all.map((e) => e.revision)).toEqual(Array.from({ length: expected }, (_, i) => BigInt(i)));
    } finally {
      await store.close();
    }
  });

  it('backwards from the first revision reads that one event; forwards from the end reads none', async () => {
    const store = await SqliteEventStore.open(fresh());
    try {
      await store.appendToStream('s', events(3));
      expect((await store.readStream('s', { direction: 'backwards', fromRevision: 'start' })).map((e) => e.revision)).toEqual([0n]);
      expect((await store.readStream('s', { direction: 'backwards' })).map((e) => e.revision)).toEqual([2n, 1n, 0n]);
      expect(await store.readStream('s', { fromRevision: 'end' })).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('an empty filter list matches nothing, and filters of different sizes are not confused', async () => {
    const store = await SqliteEventStore.open(fresh());
    try {
      await store.appendToStream('run-1', [...events(4), { type: 'C', data: 9 }]);
      await store.appendToStream('team-1', events(2));
      expect(await store.readAll({ filter: { streamPrefix: [] } })).toEqual([]);
      expect(await store.readAll({ filter: { eventTypes: [] } })).toEqual([]);
      expect(await store.readAll({ filter: { streamPrefix: ['run-'], eventTypes: [] } })).toEqual([]);
      const types = async (eventTypes: string[]) => (await store.readAll({ filter: { eventTypes } })).map((e) => e.data);
      expect(await types(['A'])).toEqual([0, 2, 0]);
      expect(await types(['A', 'C'])).toEqual([0, 2, 9, 0]);
      expect(await types(['B'])).toEqual([1, 3, 1]);
      const prefixes = async (streamPrefix: string[]) => (await store.readAll({ filter: { streamPrefix } })).length;
      expect(await prefixes(['run-'])).toBe(5);
      expect(await prefixes(['run-', 'team-'])).toBe(7);
    } finally {
      await store.close();
    }
  });

  it('a store closed beside another on the same file leaves the other woken at once by a third', async () => {
    const file = fresh();
    const opts = { pollIntervalMs: 60_000 };
    const first = await SqliteEventStore.open(file, opts);
    const reader = await SqliteEventStore.open(file, opts);
    await first.close();
    const writer = await SqliteEventStore.open(file, opts);
    try {
      const received = firstValueFrom(reader.subscribeToStream('s').pipe(take(2), toArray()));
      await new Promise((resolve) => setTimeout(resolve, 10));
      await writer.appendToStream('s', events(2));
      expect((await within(received, 5_000)).map((e) => e.data)).toEqual([0, 1]);
    } finally {
      await reader.close();
      await writer.close();
    }
  });
});
