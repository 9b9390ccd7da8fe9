import { describe, expect, it } from 'vitest';
import type { EventData, RecordedEvent } from '@mmreplay/events';
import type { LocalEventStore } from '../local-store.js';
import type { AllFilter, Direction, ReadAllOptions, ReadStreamOptions } from '../port.js';
import { SqliteEventStore } from '../sqlite/sqlite-event-store.js';
import { InMemoryEventStore } from './memory-event-store.js';

// The in-memory store against the SQLite store, read for read (issue 20, from the mutation run over
// memory-event-store.ts): the contract pins a few reads with expected lists; here every
// combination of direction, start (the first and last revision or position, one past them, far
// past them, 'start', 'end'), count and filter is read from both and must agree, error or events.
// SQLite evaluates the reads in SQL, a different implementation of the same port.

const DIRECTIONS: (Direction | undefined)[] = [undefined, 'forwards', 'backwards'];
const COUNTS = [undefined, 0, 1, 2, 100];

/** The same log in both stores; ids and times are given, so the events are equal field for field. */
async function seeded(store: LocalEventStore): Promise<LocalEventStore> {
  let k = 0;
  const event = (type: string): EventData => ({ id: `e${k}`, type, data: { k: k++ }, metadata: { schemaVersion: 1, recordedAt: '2026-12-02T00:00:00.000Z' } });
  await store.appendToStream('a', [event('A'), event('B')]);
  await store.appendToStream('c-1', [event('A')]);
  await store.appendToStream('a', [event('B'), event('A'), event('B')]);
  await store.appendToStream('b', [event('B'), event('B'), event('A')]);
  await store.appendToStream('c-2', [event('B')]);
  return store;
}

/** The events read, or the error's class and message. */
async function outcome(read: () => Promise<RecordedEvent[]>): Promise<RecordedEvent[] | string> {
  try {
    return await read();
  } catch (error) {
    return `${(error as Error).name}: ${(error as Error).message}`;
  }
}

/** Runs `compare` on the two stores seeded alike, and closes both whatever it does. */
async function withBothStores(compare: (memory: LocalEventStore, sqlite: LocalEventStore) => Promise<void>): Promise<void> {
  const memory = await seeded(new InMemoryEventStore());
  const sqlite = await seeded(await SqliteEventStore.open(':memory:'));
  try {
    await compare(memory, sqlite);
  } finally {
    await memory.close();
    await sqlite.close();
  }
}

describe('in-memory store = SQLite store', () => {
  it('readStream, every direction, start and count', () =>
    withBothStores(async (memory, sqlite) => {
      const froms: ReadStreamOptions['fromRevision'][] = [undefined, 'start', 'end', 0n, 1n, 2n, 3n, 4n, 5n, 100n];
      let nonEmpty = 0;
      for (const stream of ['a', 'b', 'c-1', 'missing'])
        for (const direction of DIRECTIONS)
          for (const fromRevision of froms)
            for (const maxCount of COUNTS) {
              const options: ReadStreamOptions = { direction, fromRevision, maxCount };
              const expected = await outcome(() => sqlite.readStream(stream, options));
              expect(
                await outcome(() => memory.readStream(stream, options)),
                `${stream} ${JSON.stringify(options, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v))}`,
              ).toEqual(expected);
              if (Array.isArray(expected) && expected.length > 0) nonEmpty++;
            }
      expect(nonEmpty).toBeGreaterThan(200);
    }));

  it('readAll and iterateAll, every direction, start, count and filter', () =>
    withBothStores(async (memory, sqlite) => {
      const froms: ReadAllOptions['fromPosition'][] = [undefined, 'start', 'end', 0n, 1n, 2n, 5n, 10n, 11n, 100n];
      const filters: (AllFilter | undefined)[] = [
        undefined,
        { streamPrefix: ['c-'] },
        { eventTypes: ['A'] },
        { streamPrefix: ['a', 'c-2'], eventTypes: ['B'] },
        { streamPrefix: ['none'] },
      ];
      let nonEmpty = 0;
      for (const direction of DIRECTIONS)
        for (const fromPosition of froms)
          for (const maxCount of COUNTS)
            for (const filter of filters) {
              const options: ReadAllOptions = { direction, fromPosition, maxCount, filter };
              const label = JSON.stringify(options, (_, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
              const expected = await outcome(() => sqlite.readAll(options));
              expect(await outcome(() => memory.readAll(options)), label).toEqual(expected);
              const paged = async (store: LocalEventStore) => {
                const out: RecordedEvent[] = [];
                for await (const e of store.iterateAll({ ...options, pageSize: 2 })) out.push(e);
                return out;
              };
              expect(await outcome(() => paged(memory)), `paged ${label}`).toEqual(expected);
              if (Array.isArray(expected) && expected.length > 0) nonEmpty++;
            }
      expect(nonEmpty).toBeGreaterThan(200);
    }));

  it('snapshots saved out of order: the latest at or before a revision, of a version', () =>
    withBothStores(async (memory, sqlite) => {
      for (const store of [memory, sqlite]) {
        for (const [revision, version] of [
          [5n, 1],
          [2n, 2],
          [8n, 1],
          [3n, 2],
          [0n, 1],
        ] as const)
          await store.snapshots.save('s', { revision, version, state: { revision: Number(revision), version } });
      }
      for (const atOrBefore of [undefined, 0n, 1n, 2n, 3n, 4n, 5n, 7n, 8n, 100n])
        for (const version of [undefined, 1, 2, 3]) {
          const options = { atOrBefore, version };
          expect(await memory.snapshots.load('s', options), `${atOrBefore} v${version}`).toEqual(await sqlite.snapshots.load('s', options));
        }
      expect(await memory.snapshots.load('s')).toEqual({ revision: 8n, version: 1, state: { revision: 8, version: 1 } });
    }));
});
