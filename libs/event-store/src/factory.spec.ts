import { describe, expect, it } from 'vitest';
import { EventStoreConfigError } from './errors.js';
import { createEventStore, DEFAULT_STORE, parseStoreConfig, storeFromEnv } from './factory.js';
import { InMemoryEventStore } from './memory/memory-event-store.js';

describe('parseStoreConfig', () => {
  it('reads sqlite paths, with ./data/mmreplay.db by default', () => {
    expect(DEFAULT_STORE).toBe('sqlite:./data/mmreplay.db');
    expect(parseStoreConfig('sqlite:')).toEqual({ kind: 'sqlite', path: './data/mmreplay.db' });
    expect(parseStoreConfig('sqlite:./x/y.db')).toEqual({ kind: 'sqlite', path: './x/y.db' });
    expect(parseStoreConfig('sqlite:/var/lib/mmreplay.db')).toEqual({ kind: 'sqlite', path: '/var/lib/mmreplay.db' });
    expect(parseStoreConfig('sqlite:///var/lib/mmreplay.db')).toEqual({ kind: 'sqlite', path: '/var/lib/mmreplay.db' });
    expect(parseStoreConfig('SQLITE:rel.db')).toEqual({ kind: 'sqlite', path: 'rel.db' });
  });

  it('reads EventStoreDB and KurrentDB connection strings as they are', () => {
    for (const text of [
      'esdb://localhost:2113?tls=false',
      'esdb+discover://admin:changeit@cluster.local:2113',
      'kurrentdb://localhost:2113?tls=false',
      'kurrentdb+discover://a:2113,b:2113,c:2113',
    ]) {
      expect(parseStoreConfig(text)).toEqual({ kind: 'esdb', connectionString: text });
    }
  });

  it('reads memory:', () => {
    expect(parseStoreConfig('memory:')).toEqual({ kind: 'memory' });
  });

  it('refuses anything else with a message naming what is accepted', () => {
    // a scheme starts the text, and a host follows the scheme's `//` (issue 20, factory.ts survivors)
    for (const text of ['postgres://localhost/db', './data/mmreplay.db', '', 'esdb:', './sqlite:x.db', '1memory:', 'esdb:x://host:2113']) {
      expect(() => parseStoreConfig(text)).toThrow(EventStoreConfigError);
    }
    expect(() => parseStoreConfig('mongodb://x')).toThrow(/unknown event store "mongodb:\/\/x": expected sqlite:<path>, esdb:\/\/.*memory:/);
  });
});

describe('createEventStore / storeFromEnv', () => {
  it('opens the store named by MMREPLAY_STORE', async () => {
    const store = await storeFromEnv({ MMREPLAY_STORE: 'memory:' });
    expect(store).toBeInstanceOf(InMemoryEventStore);
    await store.appendToStream('s', [{ type: 'A', data: 1 }]);
    expect(await store.readStream('s')).toHaveLength(1);
    await store.close();
  });

  it('refuses an unknown scheme', async () => {
    await expect(createEventStore('redis://localhost')).rejects.toThrow(EventStoreConfigError);
    await expect(storeFromEnv({ MMREPLAY_STORE: 'ftp://x' })).rejects.toThrow(EventStoreConfigError);
  });
});
