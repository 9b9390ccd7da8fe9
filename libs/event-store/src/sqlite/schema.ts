// The SQLite layout of the log, in one place.

/** Stored in `PRAGMA user_version`; a file with a higher version was written by newer code. */
export const SQLITE_SCHEMA_VERSION = 1;

export const DEFAULT_SQLITE_PATH = './data/mmreplay.db';

/**
 * Connection settings. WAL lets readers run beside the single writer (of any process);
 * `synchronous = NORMAL` in WAL keeps every committed transaction across a process crash
 * (a power loss may drop the last few, never tear one).
 */
export const SQLITE_PRAGMAS: Readonly<Record<string, string | number>> = {
  journal_mode: 'WAL',
  synchronous: 'NORMAL',
  foreign_keys: 'OFF',
  temp_store: 'MEMORY',
  cache_size: -65_536, // 64 MiB
};

export const SQLITE_SCHEMA: readonly string[] = [
  // The global position is the rowid: assigned in commit order because SQLite has one writer at
  // a time, never reused (AUTOINCREMENT), so "events after position p" is a stable question.
  `CREATE TABLE IF NOT EXISTS events (
     position INTEGER PRIMARY KEY AUTOINCREMENT,
     stream   TEXT    NOT NULL,
     revision INTEGER NOT NULL,
     id       TEXT    NOT NULL,
     type     TEXT    NOT NULL,
     data     TEXT    NOT NULL,
     metadata TEXT    NOT NULL
   )`,
  // Stream reads, expected-revision checks, and the guarantee that one revision is written once.
  `CREATE UNIQUE INDEX IF NOT EXISTS events_stream_revision ON events (stream, revision)`,
  // $all reads filtered on event type.
  `CREATE INDEX IF NOT EXISTS events_type_position ON events (type, position)`,
  `CREATE TABLE IF NOT EXISTS snapshots (
     stream   TEXT    NOT NULL,
     revision INTEGER NOT NULL,
     version  INTEGER NOT NULL,
     state    TEXT    NOT NULL,
     saved_at TEXT    NOT NULL,
     PRIMARY KEY (stream, revision)
   ) WITHOUT ROWID`,
  `CREATE TABLE IF NOT EXISTS checkpoints (
     consumer   TEXT    NOT NULL PRIMARY KEY,
     position   INTEGER NOT NULL,
     updated_at TEXT    NOT NULL
   ) WITHOUT ROWID`,
];

const EVENT_COLUMNS = 'stream, revision, id, type, data, metadata';
/** Most rows per INSERT statement: fewer statement executions, well under SQLite's 32,766 parameters. */
export const SQLITE_INSERT_ROWS = 64;

export function insertEventsSql(rows: number): string {
  return `INSERT INTO events (${EVENT_COLUMNS}) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}`;
}

export const SQL = {
  streamHead: 'SELECT revision FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
  logHead: 'SELECT position FROM events ORDER BY position DESC LIMIT 1',
  readStreamForwards: 'SELECT revision, position, id, type, data, metadata FROM events WHERE stream = ? AND revision >= ? ORDER BY revision ASC LIMIT ?',
  readStreamBackwards: 'SELECT revision, position, id, type, data, metadata FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?',
  dataVersion: 'PRAGMA data_version',
  saveSnapshot: `INSERT INTO snapshots (stream, revision, version, state, saved_at) VALUES (?, ?, ?, ?, ?)
    ON CONFLICT (stream, revision) DO UPDATE SET version = excluded.version, state = excluded.state, saved_at = excluded.saved_at`,
  loadSnapshot: 'SELECT revision, version, state FROM snapshots WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT 1',
  loadSnapshotOfVersion: 'SELECT revision, version, state FROM snapshots WHERE stream = ? AND revision <= ? AND version = ? ORDER BY revision DESC LIMIT 1',
  storeCheckpoint: `INSERT INTO checkpoints (consumer, position, updated_at) VALUES (?, ?, ?)
    ON CONFLICT (consumer) DO UPDATE SET position = excluded.position, updated_at = excluded.updated_at`,
  loadCheckpoint: 'SELECT position FROM checkpoints WHERE consumer = ?',
} as const;

/**
 * `$all` read between two positions, filtered by `prefixes` stream prefixes and `types` event
 * types (0: no filter). A prefix is bound as (length in code points, text) and compared with
 * `substr`, so it is matched as text, never as a LIKE/GLOB pattern.
 */
export function readAllSql(direction: 'forwards' | 'backwards', prefixes: number, types: number): string {
  const where = ['position > ?', 'position <= ?'];
  if (prefixes > 0) where.push(`(${Array.from({ length: prefixes }, () => 'substr(stream, 1, ?) = ?').join(' OR ')})`);
  if (types > 0) where.push(`type IN (${Array.from({ length: types }, () => '?').join(', ')})`);
  return `SELECT position, stream, revision, id, type, data, metadata FROM events WHERE ${where.join(' AND ')}
    ORDER BY position ${direction === 'forwards' ? 'ASC' : 'DESC'} LIMIT ?`;
}
