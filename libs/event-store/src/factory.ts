import type { UpcasterRegistry } from '@mmreplay/events';
import { EventStoreConfigError } from './errors.js';
import type { EventStore } from './port.js';
import { InMemoryEventStore } from './memory/memory-event-store.js';
import { SqliteEventStore, type SqliteEventStoreOptions } from './sqlite/sqlite-event-store.js';
import { DEFAULT_SQLITE_PATH } from './sqlite/schema.js';

/** Used when `MMREPLAY_STORE` is unset: the embedded SQLite file. */
export const DEFAULT_STORE = `sqlite:${DEFAULT_SQLITE_PATH}`;

export type StoreConfig = { kind: 'sqlite'; path: string } | { kind: 'esdb'; connectionString: string } | { kind: 'memory' };

export interface CreateEventStoreOptions {
  upcasters?: UpcasterRegistry;
  /** Passed to the SQLite adapter. */
  sqlite?: Omit<SqliteEventStoreOptions, 'upcasters'>;
}

/**
 * Reads a store configuration string:
 * - `sqlite:<path>` (`sqlite:` alone is `./data/mmreplay.db`; `sqlite:///abs/path` is accepted),
 * - `esdb://...`, `esdb+discover://...`, `kurrentdb://...`, `kurrentdb+discover://...` (EventStoreDB / KurrentDB),
 * - `memory:` (unit tests only; nothing is kept).
 */
export function parseStoreConfig(config: string): StoreConfig {
  const text = config.trim();
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(text)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'sqlite': {
      let path = text.slice('sqlite:'.length);
      if (path.startsWith('//')) path = path.slice(2);
      return { kind: 'sqlite', path: path === '' ? DEFAULT_SQLITE_PATH : path };
    }
    case 'memory':
      return { kind: 'memory' };
    case 'esdb':
    case 'esdb+discover':
    case 'kurrentdb':
    case 'kurrentdb+discover':
    case 'kurrent':
    case 'kurrent+discover':
      if (!/^[a-z+]+:\/\/./i.test(text)) throw new EventStoreConfigError(`"${config}" has no host: expected ${scheme}://host:port`);
      return { kind: 'esdb', connectionString: text };
    default:
      throw new EventStoreConfigError(
        `unknown event store "${config}": expected sqlite:<path>, esdb://host:2113 (or kurrentdb://, esdb+discover://) or memory:`,
      );
  }
}

/** Opens the event store a configuration string names (see `parseStoreConfig`). */
export async function createEventStore(config: string = DEFAULT_STORE, options: CreateEventStoreOptions = {}): Promise<EventStore> {
  const parsed = parseStoreConfig(config);
  switch (parsed.kind) {
    case 'memory':
      return new InMemoryEventStore({ upcasters: options.upcasters });
    case 'sqlite':
      return SqliteEventStore.open(parsed.path, { ...options.sqlite, upcasters: options.upcasters });
    case 'esdb': {
      // Loaded on demand: the gRPC client is only paid for by those who use it.
      const { EsdbEventStore } = await import('./esdb/esdb-event-store.js');
      return EsdbEventStore.connect(parsed.connectionString, { upcasters: options.upcasters });
    }
  }
}

/** The event store `MMREPLAY_STORE` names, by default `sqlite:./data/mmreplay.db`. */
export function storeFromEnv(env: Record<string, string | undefined> = process.env, options: CreateEventStoreOptions = {}): Promise<EventStore> {
  const config = env['MMREPLAY_STORE'];
  return createEventStore(config === undefined || config.trim() === '' ? DEFAULT_STORE : config, options);
}
