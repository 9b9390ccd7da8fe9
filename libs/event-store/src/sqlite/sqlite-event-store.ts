import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, realpathSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Database from 'better-sqlite3';
import type { EventData, JsonValue, RecordedEvent } from '@mmreplay/events';
import { EventStoreConfigError, StoreUnavailableError, StreamNotFoundError } from '../errors.js';
import type { AppendResult, CheckpointStore, Direction, ExpectedRevision, ReadRevision, Snapshot, SnapshotLoadOptions, SnapshotStore } from '../port.js';
import { checkExpectedRevision, LocalEventStore, type AllRange, type LocalStoreOptions } from '../local-store.js';
import { decodeEvent, encodeData, encodeMetadata } from '../internal/encoding.js';
import { ChangeNotifier } from '../internal/notifier.js';
import { assertConsumer, assertSnapshot, serialiseState } from '../internal/snapshots.js';
import { DEFAULT_SQLITE_PATH, insertEventsSql, readAllSql, SQL, SQLITE_INSERT_ROWS, SQLITE_PRAGMAS, SQLITE_SCHEMA, SQLITE_SCHEMA_VERSION } from './schema.js';

export interface SqliteEventStoreOptions extends LocalStoreOptions {
  /** Open an existing file for reading only; appends then fail with `StoreUnavailableError`. */
  readonly?: boolean;
  /**
   * How long one attempt waits, blocking, for another connection's write lock. Short on purpose:
   * that wait blocks the event loop, so longer waits are asynchronous retries. Default 5 ms.
   */
  busyTimeoutMs?: number;
  /** Total time an operation retries on a locked database before `StoreUnavailableError`. Default 30 s. */
  lockTimeoutMs?: number;
  /** How often subscriptions look for commits made by other processes. Default 50 ms. */
  pollIntervalMs?: number;
  /** Extra pragmas set after the defaults (e.g. `{ cache_size: -262144 }`). */
  pragmas?: Record<string, string | number>;
}

type Row = [revision: bigint, position: bigint, id: string, type: string, data: string, metadata: string];
type AllRow = [position: bigint, stream: string, revision: bigint, id: string, type: string, data: string, metadata: string];

const MAX_POSITION = 9_223_372_036_854_775_807n;
const UNAVAILABLE_SQLITE_CODES = /^SQLITE_(BUSY|LOCKED|READONLY|FULL|IOERR|CANTOPEN|NOTADB|CORRUPT|PROTOCOL|NOLFS|PERM|AUTH)/;
const UNAVAILABLE_FS_CODES = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'ENOTDIR', 'EIO', 'EEXIST']);

function isBusy(error: unknown): boolean {
  return error instanceof Database.SqliteError && /^SQLITE_(BUSY|LOCKED)/.test(error.code);
}

/** I/O failures become `StoreUnavailableError`; the port's own errors and bugs pass through. */
function toStoreError(error: unknown, context: string): unknown {
  if (error instanceof Database.SqliteError && UNAVAILABLE_SQLITE_CODES.test(error.code)) {
    return new StoreUnavailableError(`${context}: ${error.message} (${error.code})`, { cause: error });
  }
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code === 'string' && UNAVAILABLE_FS_CODES.has(code)) {
    return new StoreUnavailableError(`${context}: ${(error as Error).message}`, { cause: error });
  }
  return error;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

// One notifier per database file in this process, shared by every store open on it: an append
// through one wakes the subscriptions of all, at once. Other processes are seen by polling.
const notifiers = new Map<string, { notifier: ChangeNotifier; refs: number }>();

function acquireNotifier(key: string): ChangeNotifier {
  const entry = notifiers.get(key) ?? { notifier: new ChangeNotifier(), refs: 0 };
  entry.refs++;
  notifiers.set(key, entry);
  return entry.notifier;
}

function releaseNotifier(key: string): void {
  const entry = notifiers.get(key);
  if (entry && --entry.refs === 0) notifiers.delete(key);
}

/**
 * The embedded event store: one SQLite file (better-sqlite3), WAL, one transaction per append.
 *
 * Several processes may share the file. SQLite serialises writers: an append takes the write lock
 * first (`BEGIN IMMEDIATE`), checks the expected revision, inserts the batch, commits; a locked
 * database is retried until `lockTimeoutMs`. A batch is never half-written: the transaction
 * commits whole or not at all, even if the process is killed in the middle.
 *
 * Live delivery: within one process an append wakes subscriptions at once; commits by other
 * processes are noticed by polling `PRAGMA data_version` every `pollIntervalMs` (50 ms) while at
 * least one subscription is open, so they arrive with that much delay.
 */
export class SqliteEventStore extends LocalEventStore {
  protected readonly changes: ChangeNotifier;
  private readonly statements;
  private readonly insertStatements = new Map<number, Database.Statement>();
  private readonly readAllStatements = new Map<string, Database.Statement>();
  private readonly appendTransaction;
  private readonly fullChunkParams = new Array<unknown>(SQLITE_INSERT_ROWS * 6);
  private pollTimer: NodeJS.Timeout | undefined;
  private lastDataVersion: unknown;

  private constructor(
    /** Absolute path of the database file. */
    readonly path: string,
    private readonly db: Database.Database,
    private readonly notifierKey: string,
    private readonly settings: Required<Pick<SqliteEventStoreOptions, 'lockTimeoutMs' | 'pollIntervalMs'>>,
    options: SqliteEventStoreOptions,
  ) {
    super(options);
    this.changes = acquireNotifier(notifierKey);
    const prepare = (sql: string) => db.prepare(sql).safeIntegers(true);
    this.statements = {
      streamHead: prepare(SQL.streamHead).pluck(),
      logHead: prepare(SQL.logHead).pluck(),
      readStreamForwards: prepare(SQL.readStreamForwards).raw(true),
      readStreamBackwards: prepare(SQL.readStreamBackwards).raw(true),
      dataVersion: prepare(SQL.dataVersion).pluck(),
      saveSnapshot: db.readonly ? undefined : prepare(SQL.saveSnapshot),
      loadSnapshot: prepare(SQL.loadSnapshot).raw(true),
      loadSnapshotOfVersion: prepare(SQL.loadSnapshotOfVersion).raw(true),
      storeCheckpoint: db.readonly ? undefined : prepare(SQL.storeCheckpoint),
      loadCheckpoint: prepare(SQL.loadCheckpoint).pluck(),
    };
    this.appendTransaction = db.transaction((stream: string, events: readonly EventData[], expected: ExpectedRevision) =>
      this.insertBatch(stream, events, expected),
    );
  }

  /**
   * Opens (and creates, with its directory) the database file. `:memory:` gives a private
   * in-memory database.
   */
  static async open(path: string = DEFAULT_SQLITE_PATH, options: SqliteEventStoreOptions = {}): Promise<SqliteEventStore> {
    const inMemory = path === ':memory:';
    const file = inMemory ? path : resolve(path);
    const lockTimeoutMs = options.lockTimeoutMs ?? 30_000;
    let db: Database.Database | undefined;
    try {
      if (!inMemory && !options.readonly) mkdirSync(dirname(file), { recursive: true });
      // better-sqlite3 refuses a missing directory with a bare TypeError; say which file is absent.
      if (!inMemory && options.readonly && !existsSync(file)) throw new StoreUnavailableError(`cannot open the event store ${file}: it does not exist`);
      db = new Database(file, { readonly: options.readonly ?? false, fileMustExist: options.readonly ?? false });
      db.pragma(`busy_timeout = ${Math.max(0, Math.trunc(options.busyTimeoutMs ?? 5))}`);
      const opened = db;
      await retryWhileBusy(() => initialise(opened, options), lockTimeoutMs, `cannot open the event store ${file}`);
      const key = inMemory ? `:memory:${Math.random()}` : realpathSync(file);
      return new SqliteEventStore(file, db, key, { lockTimeoutMs, pollIntervalMs: options.pollIntervalMs ?? 50 }, options);
    } catch (error) {
      db?.close();
      throw toStoreError(error, `cannot open the event store ${file}`);
    }
  }

  /** Runs a database operation, retried while the database is locked; never on a closed store. */
  private run<T>(operation: () => T, context: string): Promise<T> {
    return retryWhileBusy(
      () => {
        this.assertOpen();
        return operation();
      },
      this.settings.lockTimeoutMs,
      context,
    );
  }

  protected appendBatch(stream: string, events: readonly EventData[], expected: ExpectedRevision): Promise<AppendResult> {
    return this.run(() => this.appendTransaction.immediate(stream, events, expected), `cannot append to ${stream}`);
  }

  /**
   * Runs inside the write transaction: checks the expectation, then serialises and inserts the
   * batch by statements of up to SQLITE_INSERT_ROWS rows. Anything thrown rolls all of it back.
   */
  private insertBatch(stream: string, events: readonly EventData[], expected: ExpectedRevision): AppendResult {
    const head = this.statements.streamHead.get(stream) as bigint | undefined;
    checkExpectedRevision(stream, expected, head);
    const upcasters = this.options.upcasters;
    const recordedAt = new Date().toISOString();
    // Revisions are bound as numbers (exact below 2^53, far beyond any stream's length).
    let revision = head === undefined ? 0 : Number(head) + 1;
    let position = 0n;
    for (let offset = 0; offset < events.length; offset += SQLITE_INSERT_ROWS) {
      const rows = Math.min(SQLITE_INSERT_ROWS, events.length - offset);
      const params = rows === SQLITE_INSERT_ROWS ? this.fullChunkParams : new Array<unknown>(rows * 6);
      for (let i = 0, p = 0; i < rows; i++) {
        const index = offset + i;
        const event = events[index];
        params[p++] = stream;
        params[p++] = revision++;
        params[p++] = event.id ?? randomUUID();
        params[p++] = event.type;
        params[p++] = encodeData(event, index);
        params[p++] = encodeMetadata(event, recordedAt, upcasters);
      }
      position = this.insertStatement(rows).run(params).lastInsertRowid as bigint;
    }
    return { nextExpectedRevision: BigInt(revision - 1), position };
  }

  private insertStatement(rows: number): Database.Statement {
    let statement = this.insertStatements.get(rows);
    if (!statement) {
      statement = this.db.prepare(insertEventsSql(rows)).safeIntegers(true);
      this.insertStatements.set(rows, statement);
    }
    return statement;
  }

  protected scanStream(stream: string, direction: Direction, from: ReadRevision, maxCount: number): Promise<RecordedEvent[]> {
    return this.run(() => {
      const limit = maxCount === Infinity ? -1 : maxCount;
      let rows: Row[];
      if (direction === 'forwards') {
        rows = from === 'end' ? [] : (this.statements.readStreamForwards.all(stream, from === 'start' ? 0n : from, limit) as Row[]);
      } else {
        const start = from === 'end' ? MAX_POSITION : from === 'start' ? 0n : from;
        rows = this.statements.readStreamBackwards.all(stream, start, limit) as Row[];
      }
      if (rows.length === 0 && this.statements.streamHead.get(stream) === undefined) throw new StreamNotFoundError(stream);
      const upcasters = this.options.upcasters;
      return rows.map(([revision, position, id, type, data, metadata]) => decodeEvent(stream, revision, position, id, type, data, metadata, upcasters));
    }, `cannot read ${stream}`);
  }

  protected scanAll(range: AllRange): Promise<RecordedEvent[]> {
    return this.run(() => {
      const prefixes = range.filter?.streamPrefix;
      const types = range.filter?.eventTypes;
      if (prefixes?.length === 0 || types?.length === 0) return [];
      const key = `${range.direction}/${prefixes?.length ?? 0}/${types?.length ?? 0}`;
      let statement = this.readAllStatements.get(key);
      if (!statement) {
        statement = this.db
          .prepare(readAllSql(range.direction, prefixes?.length ?? 0, types?.length ?? 0))
          .safeIntegers(true)
          .raw(true);
        this.readAllStatements.set(key, statement);
      }
      const params: unknown[] = [range.after ?? 0n, range.upTo ?? MAX_POSITION];
      for (const prefix of prefixes ?? []) params.push([...prefix].length, prefix);
      params.push(...(types ?? []), range.maxCount === Infinity ? -1 : range.maxCount);
      const upcasters = this.options.upcasters;
      return (statement.all(params) as AllRow[]).map(([position, stream, revision, id, type, data, metadata]) =>
        decodeEvent(stream, revision, position, id, type, data, metadata, upcasters),
      );
    }, 'cannot read $all');
  }

  protected headPosition(): Promise<bigint | undefined> {
    return this.run(() => this.statements.logHead.get() as bigint | undefined, 'cannot read $all');
  }

  protected override subscriptionsChanged(count: number): void {
    if (count > 0 && !this.pollTimer) {
      this.lastDataVersion = this.statements.dataVersion.get();
      this.pollTimer = setInterval(() => this.pollOtherProcesses(), this.settings.pollIntervalMs);
    } else if (count === 0 && this.pollTimer) {
      clearInterval(this.pollTimer);
      this.pollTimer = undefined;
    }
  }

  /**
   * The durability settings of this store's own connection, read back from SQLite (not from
   * SQLITE_PRAGMAS): what a crash would actually find. `synchronous` as SQLite numbers it
   * (0 OFF, 1 NORMAL, 2 FULL, 3 EXTRA).
   */
  connectionSettings(): { journalMode: string; synchronous: number; foreignKeys: number; busyTimeoutMs: number } {
    this.assertOpen();
    const read = (name: string) => this.db.pragma(name, { simple: true });
    return {
      journalMode: String(read('journal_mode')),
      synchronous: Number(read('synchronous')),
      foreignKeys: Number(read('foreign_keys')),
      busyTimeoutMs: Number(read('busy_timeout')),
    };
  }

  /** Whether subscriptions are currently polling for other processes' commits. */
  get polling(): boolean {
    return this.pollTimer !== undefined;
  }

  private pollOtherProcesses(): void {
    try {
      const version = this.statements.dataVersion.get();
      if (version !== this.lastDataVersion) {
        this.lastDataVersion = version;
        this.changes.notify();
      }
    } catch {
      // Busy or closing: the next tick looks again.
    }
  }

  readonly checkpoints: CheckpointStore = {
    load: async (consumer) => {
      assertConsumer(consumer);
      return this.run(() => (this.statements.loadCheckpoint.get(consumer) as bigint | undefined) ?? undefined, 'cannot load a checkpoint');
    },
    store: async (consumer, position) => {
      assertConsumer(consumer);
      if (typeof position !== 'bigint') throw new TypeError('a checkpoint is a bigint position');
      await this.run(() => this.writable(this.statements.storeCheckpoint).run(consumer, position, new Date().toISOString()), 'cannot store a checkpoint');
    },
  };

  readonly snapshots: SnapshotStore = {
    save: async (stream, snapshot) => {
      assertSnapshot(stream, snapshot);
      const state = serialiseState(snapshot.state);
      await this.run(
        () => this.writable(this.statements.saveSnapshot).run(stream, snapshot.revision, snapshot.version, state, new Date().toISOString()),
        `cannot save a snapshot of ${stream}`,
      );
    },
    load: <S extends JsonValue = JsonValue>(stream: string, options: SnapshotLoadOptions = {}) =>
      this.run(() => {
        const atOrBefore = options.atOrBefore ?? MAX_POSITION;
        const row = (
          options.version === undefined
            ? this.statements.loadSnapshot.get(stream, atOrBefore)
            : this.statements.loadSnapshotOfVersion.get(stream, atOrBefore, options.version)
        ) as [bigint, bigint, string] | undefined;
        if (!row) return undefined;
        const snapshot: Snapshot<S> = { revision: row[0], version: Number(row[1]), state: JSON.parse(row[2]) as S };
        return snapshot;
      }, `cannot load a snapshot of ${stream}`),
  };

  private writable(statement: Database.Statement | undefined): Database.Statement {
    if (!statement) throw new StoreUnavailableError(`the event store ${this.path} is open read-only`);
    return statement;
  }

  protected async release(): Promise<void> {
    releaseNotifier(this.notifierKey);
    this.db.close();
  }
}

/** Sets the pragmas and creates (or checks) the schema, in one write transaction. */
function initialise(db: Database.Database, options: SqliteEventStoreOptions): void {
  const pragmas = { ...SQLITE_PRAGMAS, ...options.pragmas };
  for (const [name, value] of Object.entries(pragmas)) {
    if (options.readonly && name === 'journal_mode') continue;
    db.pragma(`${name} = ${value}`);
  }
  const version = db.pragma('user_version', { simple: true }) as number;
  if (version > SQLITE_SCHEMA_VERSION) {
    throw new EventStoreConfigError(`${db.name} has schema version ${version}; this code reads up to ${SQLITE_SCHEMA_VERSION} (written by a newer mmreplay?)`);
  }
  if (options.readonly) {
    if (version !== SQLITE_SCHEMA_VERSION) throw new StoreUnavailableError(`${db.name} holds no event store`);
    return;
  }
  db.transaction(() => {
    for (const statement of SQLITE_SCHEMA) db.exec(statement);
    db.pragma(`user_version = ${SQLITE_SCHEMA_VERSION}`);
  }).immediate();
}

/**
 * Runs `operation`, retrying with a growing, jittered pause while the database is locked by
 * another connection, until `timeoutMs`; other failures are mapped once.
 */
async function retryWhileBusy<T>(operation: () => T, timeoutMs: number, context: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return operation();
    } catch (error) {
      if (!isBusy(error) || Date.now() >= deadline) throw toStoreError(error, context);
      await sleep(Math.min(20, 2 ** attempt) * (0.5 + Math.random()));
    }
  }
}
