import { describe, expect, it } from 'vitest';
import type { EventData } from '@mmreplay/events';
import type { LocalEventStore } from './local-store.js';
import { InMemoryEventStore } from './memory/memory-event-store.js';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';
import type { Snapshot } from './port.js';

// Every input the in-process stores refuse, with its error class and message (issue 20, survivors
// of the mutation run over internal/encoding.ts, filter.ts, paging.ts and snapshots.ts): the
// contract checks that bad input is refused, not which check refused it, so a check that lets a
// number pass as a stream name or a revision went unnoticed. A message is what a CLI user reads.

const stores: [string, () => Promise<LocalEventStore>][] = [
  ['in memory', async () => new InMemoryEventStore()],
  ['SQLite', () => SqliteEventStore.open(':memory:')],
];

/** The operation rejects (a port operation never throws at its caller) with exactly this class and message. */
async function refused(operation: () => Promise<unknown>, kind: new (...args: never[]) => Error, message: string): Promise<void> {
  let pending: Promise<unknown>;
  try {
    pending = operation();
  } catch (thrown) {
    throw new Error(`threw at once instead of rejecting: ${String(thrown)}`);
  }
  const error = await pending.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(kind);
  expect((error as Error).message).toBe(message);
}

const collect = async <T>(iterable: AsyncIterable<T>): Promise<T[]> => {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
};

// an argument of the wrong type, as a JavaScript caller may pass
const any = (value: unknown) => value as never;
const event = (i: number): EventData => ({ type: 'A', data: { i } });

describe.each(stores)('inputs the %s store refuses', (_name, open) => {
  it('stream names: non-empty strings only, for appends, reads and subscriptions', async () => {
    const store = await open();
    try {
      const message = 'a stream name is a non-empty string';
      for (const bad of ['', 5, undefined]) {
        await refused(() => store.appendToStream(any(bad), [event(0)]), TypeError, message);
        await refused(() => store.readStream(any(bad)), TypeError, message);
        expect(() => store.subscribeToStream(any(bad))).toThrow(new TypeError(message));
      }
      expect(await store.readAll()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('batches: at least one event, each with a type and JSON data; a bad one fails the batch whole', async () => {
    const store = await open();
    try {
      await refused(() => store.appendToStream('s', []), TypeError, 'appendToStream needs at least one event');
      await refused(() => store.appendToStream('s', any('A')), TypeError, 'appendToStream needs at least one event');
      await refused(() => store.appendToStream('s', any([null])), TypeError, 'event 0 of the batch has no type');
      await refused(() => store.appendToStream('s', any([{ type: 5, data: 1 }])), TypeError, 'event 0 of the batch has no type');
      await refused(() => store.appendToStream('s', [event(0), { type: '', data: 1 }]), TypeError, 'event 1 of the batch has no type');
      await refused(() => store.appendToStream('s', [event(0), { type: 'B', data: undefined }]), TypeError, 'event 1 of the batch (B) has no JSON data');
      await refused(() => store.appendToStream('s', [{ type: 'C', data: any(() => 1) }]), TypeError, 'event 0 of the batch (C) has no JSON data');
      expect(await store.readAll()).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('revisions and counts: a revision is start, end or a bigint >= 0n; a count a non-negative integer or Infinity', async () => {
    const store = await open();
    try {
      await store.appendToStream('s', [event(0), event(1), event(2)]);
      for (const [bad, shown] of [
        [-1n, '-1'],
        [1, '1'],
        ['middle', 'middle'],
      ] as const) {
        const message = `a revision is 'start', 'end' or a bigint >= 0n, not ${shown}`;
        await refused(() => store.readStream('s', { fromRevision: any(bad) }), RangeError, message);
        expect(() => store.subscribeToStream('s', { fromRevision: any(bad) })).toThrow(new RangeError(message));
      }
      for (const bad of [-1, 1.5, NaN]) {
        const message = `maxCount must be a non-negative integer, not ${bad}`;
        await refused(() => store.readStream('s', { maxCount: bad }), RangeError, message);
        await refused(() => store.readAll({ maxCount: bad }), RangeError, message);
      }
      expect((await store.readStream('s', { maxCount: Infinity })).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      expect((await store.readAll({ maxCount: Infinity })).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      expect(await store.readStream('s', { maxCount: 0 })).toEqual([]);
    } finally {
      await store.close();
    }
  });

  it('page sizes: positive integers only, 1 included', async () => {
    const store = await open();
    try {
      await store.appendToStream('s', [event(0), event(1), event(2)]);
      for (const bad of [0, -2, 1.5, NaN]) {
        const message = `pageSize must be a positive integer, not ${bad}`;
        await refused(() => collect(store.iterateStream('s', { pageSize: bad })), RangeError, message);
        await refused(() => collect(store.iterateAll({ pageSize: bad })), RangeError, message);
      }
      expect((await collect(store.iterateStream('s', { pageSize: 1 }))).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
      expect((await collect(store.iterateAll({ pageSize: 1 }))).map((e) => e.revision)).toEqual([0n, 1n, 2n]);
    } finally {
      await store.close();
    }
  });

  it('filters: each given list an array of strings; a list left undefined is no filter', async () => {
    const store = await open();
    try {
      await store.appendToStream('x-1', [event(0)]);
      await store.appendToStream('y-1', [{ type: 'B', data: 1 }]);
      for (const [filter, key] of [
        [{ eventTypes: 'A' }, 'eventTypes'],
        [{ streamPrefix: [1] }, 'streamPrefix'],
        [{ streamPrefix: ['x-'], eventTypes: ['A', null] }, 'eventTypes'],
        [{ streamPrefix: null }, 'streamPrefix'],
      ] as const) {
        const message = `filter.${key} must be an array of strings`;
        await refused(() => store.readAll({ filter: any(filter) }), TypeError, message);
        await refused(() => collect(store.iterateAll({ filter: any(filter) })), TypeError, message);
        expect(() => store.subscribeToAll({ filter: any(filter) })).toThrow(new TypeError(message));
      }
      const read = await store.readAll({ filter: { eventTypes: undefined, streamPrefix: ['y-'] } });
      expect(read.map((e) => e.streamId)).toEqual(['y-1']);
      expect((await store.readAll({ filter: {} })).map((e) => e.streamId)).toEqual(['x-1', 'y-1']);
    } finally {
      await store.close();
    }
  });

  it('checkpoints: a non-empty consumer name and a bigint position', async () => {
    const store = await open();
    try {
      for (const bad of ['', 7, undefined]) {
        await refused(() => store.checkpoints.load(any(bad)), TypeError, 'a consumer name is a non-empty string');
        await refused(() => store.checkpoints.store(any(bad), 1n), TypeError, 'a consumer name is a non-empty string');
      }
      await refused(() => store.checkpoints.store('c', any(1)), TypeError, 'a checkpoint is a bigint position');
      expect(await store.checkpoints.load('c')).toBeUndefined();
    } finally {
      await store.close();
    }
  });

  it('snapshots: a non-empty key, a revision bigint >= 0n, a version integer >= 0, a JSON state', async () => {
    const store = await open();
    try {
      const good: Snapshot<unknown> = { revision: 3n, version: 2, state: { a: 1 } };
      const cases: [string | number, unknown, string][] = [
        ['', good, 'a snapshot key is a non-empty string'],
        [9, good, 'a snapshot key is a non-empty string'],
        ['s', undefined, 'a snapshot revision is a bigint >= 0n'],
        ['s', { ...good, revision: -1n }, 'a snapshot revision is a bigint >= 0n'],
        ['s', { ...good, revision: 3 }, 'a snapshot revision is a bigint >= 0n'],
        ['s', { ...good, version: -1 }, 'a snapshot version is an integer >= 0'],
        ['s', { ...good, version: 1.5 }, 'a snapshot version is an integer >= 0'],
        ['s', { ...good, state: undefined }, 'a snapshot state must be a JSON value'],
      ];
      for (const [stream, snapshot, message] of cases) await refused(() => store.snapshots.save(any(stream), any(snapshot)), TypeError, message);
      expect(await store.snapshots.load('s')).toBeUndefined();
      // the least of each is accepted
      await store.snapshots.save('s', { revision: 0n, version: 0, state: null });
      expect(await store.snapshots.load('s')).toEqual({ revision: 0n, version: 0, state: null });
    } finally {
      await store.close();
    }
  });
});
