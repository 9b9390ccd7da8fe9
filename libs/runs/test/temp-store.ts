import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@mmreplay/event-store';

/** A fresh SQLite store in a temporary directory, and its removal. */
export async function tempSqliteStore(
  prefix = 'mmreplay-runs-',
): Promise<{ store: SqliteEventStore; dir: string; file: string; dispose: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const file = join(dir, 'runs.db');
  const store = await SqliteEventStore.open(file);
  return {
    store,
    dir,
    file,
    dispose: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
