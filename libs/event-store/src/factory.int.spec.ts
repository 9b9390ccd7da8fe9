import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { UpcasterRegistry } from '@mmreplay/events';
import { createEventStore, DEFAULT_STORE, storeFromEnv } from './factory.js';
import type { EventStore } from './port.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

describe('createEventStore with SQLite', () => {
  it('opens sqlite:<path>, creating the directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmreplay-factory-'));
    try {
      const path = join(dir, 'sub', 'x.db');
      const store = await createEventStore(`sqlite:${path}`);
      expect(store).toBeInstanceOf(SqliteEventStore);
      expect((store as SqliteEventStore).path).toBe(path);
      await store.appendToStream('s', [{ type: 'A', data: 1 }]);
      await store.close();
      const again = await storeFromEnv({ MMREPLAY_STORE: `sqlite://${path}` });
      expect(await again.readStream('s')).toHaveLength(1);
      await again.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// What the factory hands on to the adapter it opens (issue 20, survivors of the mutation run over
// factory.ts): the upcasters, the SQLite options, and the default file when MMREPLAY_STORE is blank.
describe('createEventStore passes its options on', () => {
  const upcasters = () => new UpcasterRegistry().register<{ n: number }, { n: number; doubled: number }>('A', 1, (d) => ({ ...d, doubled: 2 * d.n }));

  it('the upcasters, to the in-memory and the SQLite store alike', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmreplay-factory-'));
    try {
      for (const config of ['memory:', `sqlite:${join(dir, 'u.db')}`]) {
        const store = await createEventStore(config, { upcasters: upcasters() });
        await store.appendToStream('s', [{ type: 'A', data: { n: 4 }, metadata: { schemaVersion: 1 } }]);
        const [read] = await store.readStream('s');
        expect(read.data).toEqual({ n: 4, doubled: 8 });
        expect(read.metadata.schemaVersion).toBe(2);
        await store.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the SQLite options: a read-only open of a file that does not exist fails, naming the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmreplay-factory-'));
    try {
      const path = join(dir, 'absent.db');
      await expect(createEventStore(`sqlite:${path}`, { sqlite: { readonly: true } })).rejects.toThrow(`cannot open the event store ${path}`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a blank or unset MMREPLAY_STORE opens what DEFAULT_STORE opens, not a configuration error', async () => {
    // Read-only, so that nothing is created: the default file is opened, or the open fails the
    // same way both times.
    const outcome = (opening: Promise<EventStore>) =>
      opening.then(
        async (store) => {
          const path = (store as SqliteEventStore).path;
          await store.close();
          return path;
        },
        (error: Error) => `${error.name}: ${error.message}`,
      );
    const sqlite = { readonly: true };
    const byDefault = await outcome(createEventStore(DEFAULT_STORE, { sqlite }));
    expect(byDefault).not.toContain('EventStoreConfigError');
    expect(await outcome(storeFromEnv({ MMREPLAY_STORE: '  ' }, { sqlite }))).toBe(byDefault);
    expect(await outcome(storeFromEnv({}, { sqlite }))).toBe(byDefault);
  });
});
