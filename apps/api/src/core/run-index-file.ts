import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseStoreConfig } from '@mmreplay/event-store';
import { RunIndex } from '@mmreplay/runs';
import type { ApiConfig } from './config.js';

/** Where the run table lives, and the log it projects when that is not the file's own. */
export interface RunIndexPlace {
  file: string;
  /** set when the file is a cache apart from the store: a table of another log is emptied */
  source?: string;
}

/**
 * The embedded store's own SQLite file, next to the events; for EventStoreDB, the API's cache
 * file (`MMREPLAY_CACHE`), kept from one start to the next with its checkpoint; in memory for the
 * in-memory store, whose log does not outlive the process either.
 */
export function runIndexPlace(config: Pick<ApiConfig, 'store' | 'cache'>): RunIndexPlace {
  let c;
  try {
    c = parseStoreConfig(config.store);
  } catch {
    return { file: ':memory:' };
  }
  if (c.kind === 'sqlite') return { file: c.path };
  if (c.kind === 'esdb') return { file: config.cache, source: c.connectionString };
  return { file: ':memory:' };
}

export function openRunIndex(config: Pick<ApiConfig, 'store' | 'cache'>): RunIndex {
  const place = runIndexPlace(config);
  if (place.file !== ':memory:') mkdirSync(dirname(place.file), { recursive: true });
  return new RunIndex(place.file, place.source);
}
