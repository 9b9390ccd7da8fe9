import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstValueFrom, take, toArray } from 'rxjs';
import { StoreUnavailableError } from './errors.js';
import type { LocalEventStore } from './local-store.js';
import { InMemoryEventStore } from './memory/memory-event-store.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';
import { within } from '../test/within.js';

// What the in-process stores share (local-store.ts) at its edges (issue 20, survivors of the
// mutation run over local-store.ts): option checks and their messages, reads that select
// nothing, a live subscription from the end of a stream that does not exist yet, read failures
// reaching a stream subscription, and a second close.

let dir: string;
let n = 0;
const fresh = () => join(dir, `local-${n++}.db`);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mmreplay-local-edges-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const stores: [string, () => Promise<LocalEventStore>][] = [
  ['in memory', async () => new InMemoryEventStore()],
  ['SQLite', () => SqliteEventStore.open(fresh())],
];

describe.each(stores)('local store edges (%s)', (_name, open) => {
  it('an expected revision that is not a bigint is refused with the accepted forms named', async () => {
    const store = await open();
    try {
      await store.appendToStream('s', [{ type: 'A', data: 1 }]);
      for (const bad of [0, '0', -1n]) {
        await expect(store.appendToStream('s', [{ type: 'A', data: 2 }], { expectedRevision: bad as unknown as bigint })).rejects.toThrow(
          new TypeError(`expectedRevision must be 'any', 'no-stream', 'stream-exists' or a revision >= 0n, not ${String(bad)}`),
        );
      }
    } finally {
      await store.close();
    }
  });

  it('a closed store says so', async () => {
    const store = await open();
    await store.close();
    await expect(store.readAll()).rejects.toThrow(new StoreUnavailableError('the event store is closed'));
  });

  it('reads that select nothing: forwards from the end, backwards from the start, paged or not', async () => {
    const store = await open();
    try {
      await store.appendToStream('s', [
        { type: 'A', data: 1 },
        { type: 'A', data: 2 },
      ]);
      expect(await store.readAll({ direction: 'backwards', fromPosition: 'start' })).toEqual([]);
      expect(await store.readAll({ fromPosition: 'end' })).toEqual([]);
      const paged: unknown[] = [];
      for await (const e of store.iterateAll({ fromPosition: 'end' })) paged.push(e);
      for await (const e of store.iterateAll({ direction: 'backwards', fromPosition: 'start' })) paged.push(e);
      expect(paged).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('a subscription from the end of a stream that does not exist yet gets its first events', async () => {
    const store = await open();
    try {
      const received = firstValueFrom(store.subscribeToStream('later', { fromRevision: 'end' }).pipe(take(2), toArray()));
      await new Promise((resolve) => setTimeout(resolve, 20));
      await store.appendToStream('later', [{ type: 'A', data: 1 }]);
      await store.appendToStream('later', [{ type: 'A', data: 2 }]);
      expect((await within(received, 5_000)).map((e) => e.data)).toEqual([1, 2]);
      // and from the end of a stream that exists: only what comes after
      const after = firstValueFrom(store.subscribeToStream('later', { fromRevision: 'end' }).pipe(take(1), toArray()));
      await new Promise((resolve) => setTimeout(resolve, 20));
      await store.appendToStream('later', [{ type: 'A', data: 3 }]);
      expect((await within(after, 5_000)).map((e) => e.data)).toEqual([3]);
    } finally {
      await store.close();
    }
  });
});

describe('local store edges (SQLite only)', () => {
  it('a stream subscription on a damaged file fails with StoreUnavailableError instead of waiting', async () => {
    const file = fresh();
    const writer = await SqliteEventStore.open(file);
    await writer.appendToStream('s', [{ type: 'A', data: 1 }]);
    await writer.close();
    const bytes = readFileSync(file);
    bytes.fill(0xff, 4096);
    writeFileSync(file, bytes);
    const store = await SqliteEventStore.open(file);
    try {
      const error = await within(firstValueFrom(store.subscribeToStream('s')), 5_000).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(StoreUnavailableError);
    } finally {
      await store.close();
    }
  });

  it('closing a store twice releases its share of the file once: another store on it is still woken at once', async () => {
    const file = fresh();
    const opts = { pollIntervalMs: 60_000 };
    const first = await SqliteEventStore.open(file, opts);
    const reader = await SqliteEventStore.open(file, opts);
    await first.close();
    await first.close();
    const writer = await SqliteEventStore.open(file, opts);
    try {
      const received = firstValueFrom(reader.subscribeToStream('s').pipe(take(1), toArray()));
      await new Promise((resolve) => setTimeout(resolve, 10));
      await writer.appendToStream('s', [{ type: 'A', data: 1 }]);
      expect((await within(received, 5_000)).map((e) => e.data)).toEqual([1]);
    } finally {
      await reader.close();
      await writer.close();
    }
  });
});
