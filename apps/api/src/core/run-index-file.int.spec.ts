import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { SqliteEventStore } from '@mmreplay/event-store';
import { CatalogueService, RunIndex, RunService } from '@mmreplay/runs';
import { openRunIndex, runIndexPlace } from './run-index-file.js';

// No EventStoreDB server runs in these tests: a SQLite event store stands behind the same port
// (EventStore), and the run table lives in a cache file of its own, apart from the store's file,
// as it does for EventStoreDB.
const ESDB = 'esdb://eventstore.internal:2113?tls=false';

describe('the run table of a store that is not SQLite (issue 12: EventStoreDB)', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmreplay-cache-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  it('lives in the SQLite file of the embedded store, in the cache file for EventStoreDB, in memory for the in-memory store', () => {
    expect(runIndexPlace({ store: 'sqlite:/var/lib/mmreplay/events.db', cache: '/var/cache/mmreplay.db' })).toEqual({ file: '/var/lib/mmreplay/events.db' });
    expect(runIndexPlace({ store: ESDB, cache: '/var/cache/mmreplay.db' })).toEqual({ file: '/var/cache/mmreplay.db', source: ESDB });
    expect(runIndexPlace({ store: 'memory:', cache: '/var/cache/mmreplay.db' })).toEqual({ file: ':memory:' });
  });

  it('is paged by index from the cache file, resumes from its checkpoint at restart, and a cache of another log is emptied', async () => {
    const dir = tempDir();
    const store = await SqliteEventStore.open(join(dir, 'events.db'));
    const cache = join(dir, 'cache', 'api-cache.db');
    try {
      const runs = new RunService(store);
      for (let i = 0; i < 5; i++) await runs.startRun({ runId: `r${i}`, scenario: 'seed', seed: i, actor: i % 2 ? 'ann' : 'bob', team: 'mm' });

      const first = new CatalogueService(store, { index: openRunIndex({ store: ESDB, cache }) });
      const page = await first.page('mm', { author: 'ann' }, { limit: 1 });
      expect(page).toEqual({ runs: [expect.objectContaining({ runId: 'r3', author: 'ann' })], next: 'r3' });
      expect((await first.page('mm', { author: 'ann' }, { limit: 5, after: 'r3' }))?.runs.map((r) => r.runId)).toEqual(['r1']);
      const checkpoint = first.index.position;
      expect(checkpoint).not.toBeNull();
      first.index.close();

      // A restart: the table in the cache file is at the catalogue's checkpoint, so nothing is
      // written again until a new run comes.
      const index = new RunIndex(cache, ESDB);
      expect(index.size).toBe(5);
      expect(index.position).toBe(checkpoint);
      const fold = vi.spyOn(index, 'fold');
      const second = new CatalogueService(store, { index });
      expect((await second.page('mm', {}, { limit: 10 }))?.runs.map((r) => r.runId)).toEqual(['r4', 'r3', 'r2', 'r1', 'r0']);
      expect(fold).not.toHaveBeenCalled();
      await runs.startRun({ runId: 'r5', scenario: 'seed', seed: 5, actor: 'ann', team: 'mm' });
      expect((await second.page('mm', { author: 'ann' }, { limit: 1 }))?.runs.map((r) => r.runId)).toEqual(['r5']);
      expect(fold).toHaveBeenCalledTimes(1);
      expect(fold.mock.calls[0][0].map((e) => `${e.streamId} ${e.type}`)).toEqual(['run-r5 RunStarted', 'run-r5 RunCompleted']);
      index.close();

      // The same cache file named for another EventStoreDB: its rows are not this log's.
      const other = new RunIndex(cache, 'esdb://elsewhere:2113?tls=false');
      expect(other.size).toBe(0);
      expect(other.position).toBeNull();
      other.close();
    } finally {
      await store.close();
    }
  });
});
