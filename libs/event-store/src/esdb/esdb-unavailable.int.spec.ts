// Runs without a server: nothing listens on the port, so every operation must fail fast with
// the port's StoreUnavailableError (an API answers 503), never with the client's own errors.
import { describe, expect, it, vi } from 'vitest';
import { UpcasterRegistry } from '@mmreplay/events';
import { firstValueFrom } from 'rxjs';
import { EventStoreConfigError, StoreUnavailableError } from '../errors.js';
import { createEventStore } from '../factory.js';
import { EsdbEventStore } from './esdb-event-store.js';

const nowhere = 'esdb://127.0.0.1:1?tls=false&maxDiscoverAttempts=1&discoveryInterval=10';

describe('EventStoreDB adapter without a server', () => {
  it('is created by the factory for esdb:// and kurrentdb:// strings', async () => {
    for (const scheme of ['esdb', 'kurrentdb']) {
      const store = await createEventStore(nowhere.replace('esdb', scheme));
      expect(store).toBeInstanceOf(EsdbEventStore);
      await store.close();
    }
  });

  it('is handed the upcasters given to the factory', async () => {
    // Only a read from a running server would upcast; without one, what the factory passes to
    // connect is what the adapter will upcast with.
    const upcasters = new UpcasterRegistry().register('A', 1, (d) => d);
    const connect = vi.spyOn(EsdbEventStore, 'connect');
    try {
      const store = await createEventStore(nowhere, { upcasters });
      await store.close();
      expect(connect).toHaveBeenCalledWith(nowhere, { upcasters });
    } finally {
      connect.mockRestore();
    }
  });

  it('refuses a malformed connection string', async () => {
    await expect(EsdbEventStore.connect('esdb://host:notaport')).rejects.toBeInstanceOf(EventStoreConfigError);
  });

  it('answers StoreUnavailableError when the connection is refused', async () => {
    const store = await EsdbEventStore.connect(nowhere);
    try {
      await expect(store.appendToStream('s', [{ type: 'A', data: 1 }])).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.readStream('s')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.readAll({ maxCount: 1 })).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.checkpoints.load('c')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(store.snapshots.load('s')).rejects.toBeInstanceOf(StoreUnavailableError);
      await expect(firstValueFrom(store.subscribeToAll())).rejects.toBeInstanceOf(StoreUnavailableError);
    } finally {
      await store.close();
    }
  });
});
