import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChangeNotifier } from '../internal/notifier.js';
import { SqliteEventStore } from './sqlite-event-store.js';

// The process-wide notifier of a database file is reference-counted by the stores open on it
// (issue 20, the survivors of the mutation run over sqlite-event-store.ts lines 58-69): a count
// that never reaches 0 keeps one notifier per file ever opened. No port operation can see that
// (a store opened later on the file reuses the old notifier, which wakes the same way), so this
// spec reads the store's `changes`, the notifier it was given, and compares with the notifier's
// own API: a new one starts at version 0.

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mmreplay-sqlite-notifier-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const changesOf = (store: SqliteEventStore) => (store as unknown as { changes: ChangeNotifier }).changes;

describe('SQLite event store: the notifier of a file', () => {
  it('is shared by the stores open on the file, and dropped once the last of them closes', async () => {
    const file = join(dir, 'shared.db');
    const a = await SqliteEventStore.open(file);
    const b = await SqliteEventStore.open(file);
    expect(changesOf(b)).toBe(changesOf(a));
    await a.appendToStream('s', [{ type: 'A', data: 1 }]);
    expect(changesOf(b).version).toBe(1);
    await a.close();
    const c = await SqliteEventStore.open(file);
    expect(changesOf(c)).toBe(changesOf(b));
    await b.close();
    await c.close();
    const d = await SqliteEventStore.open(file);
    try {
      expect(changesOf(d)).not.toBe(changesOf(b));
      expect(changesOf(d).version).toBe(0);
    } finally {
      await d.close();
    }
  });

  it('of another file is another notifier', async () => {
    const a = await SqliteEventStore.open(join(dir, 'one.db'));
    const b = await SqliteEventStore.open(join(dir, 'two.db'));
    try {
      expect(changesOf(b)).not.toBe(changesOf(a));
    } finally {
      await a.close();
      await b.close();
    }
  });
});
