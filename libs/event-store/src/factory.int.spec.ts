import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createEventStore, storeFromEnv } from './factory.js';
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
