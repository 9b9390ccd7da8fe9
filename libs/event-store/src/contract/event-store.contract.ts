// The one contract every event store adapter passes (memory, SQLite, EventStoreDB).
// Every test uses stream names of its own, so the suite also runs against a shared server.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Subscription } from 'rxjs';
import type { EventData, RecordedEvent } from '@mmreplay/events';
import { EventStoreError, StreamNotFoundError, WrongExpectedVersionError } from '../errors.js';
import type { EventStore, ExpectedRevision } from '../port.js';

export interface ContractOptions {
  /** How long to wait for live events to arrive. Default 10 s. */
  liveTimeoutMs?: number;
  /**
   * Check that the concurrent appends of the subscription tests really landed while the
   * subscription was still catching up (true for in-process stores; a server may catch up first).
   */
  expectOverlap?: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const nextMacrotask = () => new Promise<void>((resolve) => setImmediate(resolve));

async function waitFor(condition: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

function event(i: number, type = 'ThingHappened', extra: Record<string, unknown> = {}): EventData {
  return { type, data: { i, ...extra }, metadata: { actor: 'contract' } };
}

function events(from: number, count: number, type?: string): EventData[] {
  return Array.from({ length: count }, (_, k) => event(from + k, type));
}

const range = (from: number, count: number) => Array.from({ length: count }, (_, k) => BigInt(from + k));
const revisions = (list: RecordedEvent[]) => list.map((e) => e.revision);
const positions = (list: RecordedEvent[]) => list.map((e) => e.position);
const indices = (list: RecordedEvent[]) => list.map((e) => (e.data as { i: number }).i);

function expectStrictlyIncreasing(values: bigint[]): void {
  for (let k = 1; k < values.length; k++) {
    if (values[k] <= values[k - 1]) throw new Error(`not strictly increasing at ${k}: ${values[k - 1]} then ${values[k]}`);
  }
}

async function appendError(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('the append succeeded');
}

/**
 * Registers the contract tests. `open` is called before each test and must return a usable store;
 * the store is closed after the test.
 */
export function eventStoreContract(name: string, open: () => Promise<EventStore>, options: ContractOptions = {}): void {
  const liveTimeoutMs = options.liveTimeoutMs ?? 10_000;
  const expectOverlap = options.expectOverlap ?? true;

  describe(name, () => {
    let store: EventStore;
    let prefix: string;
    const stream = (label: string) => `${prefix}${label}`;
    const subscriptions: Subscription[] = [];

    beforeEach(async () => {
      store = await open();
      prefix = `c${randomUUID().slice(0, 8)}-`;
    });

    afterEach(async () => {
      for (const subscription of subscriptions.splice(0)) subscription.unsubscribe();
      await store.close();
    });

    async function expectWrongVersion(s: string, expected: ExpectedRevision, actual: bigint | 'no-stream') {
      const error = await appendError(store.appendToStream(s, [event(999)], { expectedRevision: expected }));
      expect(error).toBeInstanceOf(WrongExpectedVersionError);
      expect(error).toBeInstanceOf(EventStoreError);
      expect(error).toMatchObject({ stream: s, expected, actual, code: 'WRONG_EXPECTED_VERSION' });
    }

    describe('appendToStream', () => {
      it('creates a stream with no-stream, numbering events from 0', async () => {
        const s = stream('a');
        const result = await store.appendToStream(s, events(0, 3), { expectedRevision: 'no-stream' });
        expect(result.nextExpectedRevision).toBe(2n);
        const read = await store.readStream(s);
        expect(revisions(read)).toEqual([0n, 1n, 2n]);
        expect(indices(read)).toEqual([0, 1, 2]);
        expect(result.position).toBe(read[2].position);
        expect(read.every((e) => e.streamId === s)).toBe(true);
      });

      it('refuses no-stream on an existing stream, with its actual revision', async () => {
        const s = stream('a');
        await store.appendToStream(s, events(0, 2), { expectedRevision: 'no-stream' });
        await expectWrongVersion(s, 'no-stream', 1n);
        expect(indices(await store.readStream(s))).toEqual([0, 1]);
      });

      it('refuses stream-exists on a missing stream and accepts it on an existing one', async () => {
        const s = stream('a');
        await expectWrongVersion(s, 'stream-exists', 'no-stream');
        await expect(store.readStream(s)).rejects.toBeInstanceOf(StreamNotFoundError);
        await store.appendToStream(s, events(0, 1), { expectedRevision: 'any' });
        const result = await store.appendToStream(s, events(1, 1), { expectedRevision: 'stream-exists' });
        expect(result.nextExpectedRevision).toBe(1n);
      });

      it('checks an exact revision: the current one passes, a stale or future one fails with the actual', async () => {
        const s = stream('a');
        await expectWrongVersion(s, 0n, 'no-stream');
        let result = await store.appendToStream(s, events(0, 2), { expectedRevision: 'no-stream' });
        result = await store.appendToStream(s, events(2, 2), { expectedRevision: result.nextExpectedRevision });
        expect(result.nextExpectedRevision).toBe(3n);
        await expectWrongVersion(s, 1n, 3n);
        await expectWrongVersion(s, 7n, 3n);
        expect(indices(await store.readStream(s))).toEqual([0, 1, 2, 3]);
      });

      it('appends anywhere with any (the default)', async () => {
        const s = stream('a');
        await store.appendToStream(s, events(0, 1), { expectedRevision: 'any' });
        const result = await store.appendToStream(s, events(1, 2));
        expect(result.nextExpectedRevision).toBe(2n);
      });

      it('writes a batch whole or not at all', async () => {
        const s = stream('a');
        const other = stream('b');
        await store.appendToStream(s, events(0, 2));
        await store.appendToStream(other, events(0, 1));
        const before = await store.readAll({ filter: { streamPrefix: [prefix] } });

        // A batch of 150 whose event 130 cannot be stored.
        const bad = events(2, 150);
        bad[130] = { type: 'Broken', data: { n: 1n } };
        await expect(store.appendToStream(s, bad)).rejects.toThrow();
        // A batch on a missing stream that fails.
        const poisoned = [...events(0, 70), { type: 'Broken', data: { n: 2n } }];
        await expect(store.appendToStream(stream('c'), poisoned)).rejects.toThrow();
        // A batch refused for its expectation.
        await expect(store.appendToStream(s, events(2, 150), { expectedRevision: 0n })).rejects.toBeInstanceOf(WrongExpectedVersionError);

        expect(await store.readAll({ filter: { streamPrefix: [prefix] } })).toEqual(before);
        await expect(store.readStream(stream('c'))).rejects.toBeInstanceOf(StreamNotFoundError);
        const result = await store.appendToStream(s, events(2, 1), { expectedRevision: 1n });
        expect(result.nextExpectedRevision).toBe(2n);
      });

      it('refuses an empty batch, an untyped event, and malformed options', async () => {
        await expect(store.appendToStream(stream('a'), [])).rejects.toThrow(TypeError);
        await expect(store.appendToStream(stream('a'), [{ type: '', data: 1 }])).rejects.toThrow(TypeError);
        await expect(store.appendToStream('', [event(0)])).rejects.toThrow(TypeError);
        await expect(store.appendToStream(stream('a'), [event(0)], { expectedRevision: -1n })).rejects.toThrow(TypeError);
        await store.appendToStream(stream('a'), [event(0)]);
        await expect(store.readStream(stream('a'), { fromRevision: -1n })).rejects.toThrow(RangeError);
        await expect(store.readStream(stream('a'), { maxCount: -1 })).rejects.toThrow(RangeError);
        await expect(store.readAll({ maxCount: 1.5 })).rejects.toThrow(RangeError);
        expect(indices(await store.readStream(stream('a')))).toEqual([0]);
      });

      it('keeps ids, data and metadata; fills id, schema version and recording time', async () => {
        const s = stream('a');
        const id = randomUUID();
        const data = { nested: { list: [1, 'two', null, true, { x: -1.5 }] }, text: 'héllo ✓' };
        const before = Date.now();
        await store.appendToStream(s, [
          { id, type: 'Detailed', data, metadata: { actor: 'ann', correlationId: 'c1', causationId: 'k1', step: 4, custom: 'x' } },
          { type: 'Versioned', data: [1, 2], metadata: { schemaVersion: 3, recordedAt: '2020-01-02T03:04:05.000Z' } },
          { type: 'Bare', data: 'text' },
        ]);
        const [first, second, third] = await store.readStream(s);
        expect(first).toMatchObject({ id, type: 'Detailed', data, streamId: s, revision: 0n });
        expect(first.metadata).toMatchObject({ actor: 'ann', correlationId: 'c1', causationId: 'k1', step: 4, custom: 'x', schemaVersion: 1 });
        const recordedAt = Date.parse(first.metadata.recordedAt);
        expect(recordedAt).toBeGreaterThanOrEqual(before - 1_000);
        expect(recordedAt).toBeLessThanOrEqual(Date.now() + 1_000);
        expect(second.metadata).toMatchObject({ schemaVersion: 3, recordedAt: '2020-01-02T03:04:05.000Z' });
        expect(second.data).toEqual([1, 2]);
        expect(third.data).toBe('text');
        expect(third.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(new Set([first.id, second.id, third.id]).size).toBe(3);
      });

      it('gives strictly increasing global positions in append order, across streams', async () => {
        const results = [];
        for (let k = 0; k < 6; k++) results.push(await store.appendToStream(stream(`s${k % 3}`), events(k, 2)));
        expectStrictlyIncreasing(results.map((r) => r.position));
        const all = await store.readAll({ filter: { streamPrefix: [prefix] } });
        expectStrictlyIncreasing(positions(all));
        expect(all.map((e) => `${e.streamId}:${(e.data as { i: number }).i}`)).toEqual(
          [0, 1, 2, 3, 4, 5].flatMap((k) => [`${stream(`s${k % 3}`)}:${k}`, `${stream(`s${k % 3}`)}:${k + 1}`]),
        );
      });
    });

    describe('readStream', () => {
      it('reads forwards and backwards, from a revision, up to maxCount', async () => {
        const s = stream('r');
        await store.appendToStream(s, events(0, 10));
        expect(indices(await store.readStream(s))).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
        expect(indices(await store.readStream(s, { direction: 'backwards' }))).toEqual([9, 8, 7, 6, 5, 4, 3, 2, 1, 0]);
        expect(indices(await store.readStream(s, { maxCount: 3 }))).toEqual([0, 1, 2]);
        expect(indices(await store.readStream(s, { direction: 'backwards', maxCount: 3 }))).toEqual([9, 8, 7]);
        expect(indices(await store.readStream(s, { fromRevision: 4n }))).toEqual([4, 5, 6, 7, 8, 9]);
        expect(indices(await store.readStream(s, { fromRevision: 4n, maxCount: 2 }))).toEqual([4, 5]);
        expect(indices(await store.readStream(s, { fromRevision: 4n, direction: 'backwards' }))).toEqual([4, 3, 2, 1, 0]);
        expect(indices(await store.readStream(s, { fromRevision: 'end', direction: 'backwards', maxCount: 1 }))).toEqual([9]);
        expect(await store.readStream(s, { fromRevision: 'end' })).toEqual([]);
        expect(await store.readStream(s, { fromRevision: 10n })).toEqual([]);
        expect(await store.readStream(s, { maxCount: 0 })).toEqual([]);
      });

      it('throws StreamNotFoundError for a stream with no event', async () => {
        const s = stream('missing');
        for (const direction of ['forwards', 'backwards'] as const) {
          const error = await store.readStream(s, { direction }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(StreamNotFoundError);
          expect(error).toMatchObject({ stream: s, code: 'STREAM_NOT_FOUND' });
        }
      });

      it('returns copies: changing what was read changes nothing stored', async () => {
        const s = stream('r');
        await store.appendToStream(s, [event(0, 'T', { list: [1] })]);
        const [first] = await store.readStream(s);
        (first.data as { list: number[] }).list.push(2);
        first.metadata.actor = 'mallory';
        const [again] = await store.readStream(s);
        expect(again.data).toEqual({ i: 0, list: [1] });
        expect(again.metadata.actor).toBe('contract');
      });

      it('iterates page by page like readStream', async () => {
        const s = stream('r');
        await store.appendToStream(s, events(0, 50));
        const collect = async (iterable: AsyncIterable<RecordedEvent>) => {
          const out: RecordedEvent[] = [];
          for await (const e of iterable) out.push(e);
          return out;
        };
        expect(await collect(store.iterateStream(s, { pageSize: 7 }))).toEqual(await store.readStream(s));
        expect(await collect(store.iterateStream(s, { pageSize: 7, direction: 'backwards' }))).toEqual(await store.readStream(s, { direction: 'backwards' }));
        expect(indices(await collect(store.iterateStream(s, { pageSize: 4, fromRevision: 10n, maxCount: 9 })))).toEqual([10, 11, 12, 13, 14, 15, 16, 17, 18]);
        await expect(collect(store.iterateStream(stream('missing'), { pageSize: 3 }))).rejects.toBeInstanceOf(StreamNotFoundError);
      });
    });

    describe('readAll', () => {
      async function seed() {
        await store.appendToStream(stream('run-1'), [event(0, 'RunStarted'), event(1, 'StepRecorded')]);
        await store.appendToStream(stream('audit-1'), [event(2, 'AuditRequested')]);
        await store.appendToStream(stream('run-2'), [event(3, 'RunStarted'), event(4, 'StepRecorded'), event(5, 'RunCompleted')]);
        await store.appendToStream(stream('run-1'), [event(6, 'RunCompleted')]);
        await store.appendToStream(stream('other'), [event(7, 'StepRecorded')]);
      }

      it('reads every stream in global order, from an inclusive position, up to maxCount', async () => {
        await seed();
        const mine = { streamPrefix: [prefix] };
        const all = await store.readAll({ filter: mine });
        expect(indices(all)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
        expectStrictlyIncreasing(positions(all));
        expect(indices(await store.readAll({ fromPosition: all[3].position, filter: mine }))).toEqual([3, 4, 5, 6, 7]);
        expect(indices(await store.readAll({ fromPosition: all[3].position, maxCount: 2, filter: mine }))).toEqual([3, 4]);
        expect(indices(await store.readAll({ fromPosition: all[0].position, maxCount: 8 }))).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
        expect(await store.readAll({ fromPosition: 'end' })).toEqual([]);
        expect(await store.readAll({ filter: mine, maxCount: 0 })).toEqual([]);
        // Each event as read from $all is the event as read from its stream.
        const run2 = await store.readStream(stream('run-2'));
        expect(all.filter((e) => e.streamId === stream('run-2'))).toEqual(run2);
      });

      it('reads backwards from the end or from an inclusive position', async () => {
        await seed();
        expect(indices(await store.readAll({ direction: 'backwards', maxCount: 3 }))).toEqual([7, 6, 5]);
        const all = await store.readAll({ filter: { streamPrefix: [prefix] } });
        expect(indices(await store.readAll({ direction: 'backwards', fromPosition: all[4].position, maxCount: 3 }))).toEqual([4, 3, 2]);
        expect(indices(await store.readAll({ direction: 'backwards', fromPosition: all[4].position, filter: { streamPrefix: [prefix] } }))).toEqual([
          4, 3, 2, 1, 0,
        ]);
      });

      it('filters on stream prefixes (OR), event types (OR), and both (AND)', async () => {
        await seed();
        const byPrefix = await store.readAll({ filter: { streamPrefix: [stream('run-'), stream('audit-')] } });
        expect(indices(byPrefix)).toEqual([0, 1, 2, 3, 4, 5, 6]);
        const byType = await store.readAll({ fromPosition: byPrefix[0].position, filter: { eventTypes: ['RunStarted', 'RunCompleted'] } });
        expect(indices(byType)).toEqual([0, 3, 5, 6]);
        const both = await store.readAll({ filter: { streamPrefix: [stream('run-')], eventTypes: ['StepRecorded'] } });
        expect(indices(both)).toEqual([1, 4]);
        const backwards = await store.readAll({ direction: 'backwards', maxCount: 2, filter: { streamPrefix: [stream('run-')] } });
        expect(indices(backwards)).toEqual([6, 5]);
        expect(await store.readAll({ filter: { streamPrefix: [stream('nothing-')] } })).toEqual([]);
      });

      it('iterates page by page like readAll', async () => {
        for (let k = 0; k < 5; k++) await store.appendToStream(stream(`p${k}`), events(k * 10, 10));
        const filter = { streamPrefix: [prefix] };
        const out: RecordedEvent[] = [];
        for await (const e of store.iterateAll({ pageSize: 6, filter })) out.push(e);
        expect(out).toEqual(await store.readAll({ filter }));
        const back: RecordedEvent[] = [];
        for await (const e of store.iterateAll({ pageSize: 6, filter, direction: 'backwards', maxCount: 15 })) back.push(e);
        expect(indices(back)).toEqual(Array.from({ length: 15 }, (_, k) => 49 - k));
      });
    });

    describe('subscriptions', () => {
      it('subscribeToStream delivers history then live events, with no gap or duplicate, under concurrent appends', async () => {
        const s = stream('live');
        // More history than one catch-up page, so that appends land while it catches up.
        for (let k = 0; k < 5; k++) await store.appendToStream(s, events(k * 500, 500));
        const received: RecordedEvent[] = [];
        const seenAtAppend: number[] = [];
        subscriptions.push(store.subscribeToStream(s).subscribe((e) => received.push(e)));
        const writers = [0, 1, 2].map(async (w) => {
          for (let k = 0; k < 40; k++) {
            await store.appendToStream(s, [event(10_000 + w * 100 + k)]);
            seenAtAppend.push(received.length);
            if (k % 3 === w) await nextMacrotask();
          }
        });
        await Promise.all(writers);
        if (expectOverlap) {
          expect(
            seenAtAppend.some((n) => n > 0 && n < 2_500),
            'an append landed in the middle of the catch-up',
          ).toBe(true);
          expect(
            seenAtAppend.some((n) => n > 2_500),
            'an append landed after the switch to live',
          ).toBe(true);
        }
        await waitFor(() => received.length >= 2_620, liveTimeoutMs, 'the subscription to deliver 2,620 events');
        await sleep(50);
        expect(revisions(received)).toEqual(range(0, 2_620));
        expect(received).toEqual(await store.readStream(s));
      });

      it('subscribeToStream starts after a revision, or at the end, and waits for a stream not yet written', async () => {
        const s = stream('later');
        const fromStart: RecordedEvent[] = [];
        subscriptions.push(store.subscribeToStream(s).subscribe((e) => fromStart.push(e)));
        await sleep(20);
        await store.appendToStream(s, events(0, 5));
        const afterTwo: RecordedEvent[] = [];
        const fromEnd: RecordedEvent[] = [];
        subscriptions.push(store.subscribeToStream(s, { fromRevision: 2n }).subscribe((e) => afterTwo.push(e)));
        subscriptions.push(store.subscribeToStream(s, { fromRevision: 'end' }).subscribe((e) => fromEnd.push(e)));
        await waitFor(() => afterTwo.length >= 2 && fromStart.length >= 5, liveTimeoutMs, 'history');
        await sleep(50); // let the 'end' subscription find the end
        await store.appendToStream(s, events(5, 2));
        await waitFor(() => fromStart.length >= 7 && afterTwo.length >= 4 && fromEnd.length >= 2, liveTimeoutMs, 'live events');
        await sleep(50);
        expect(indices(fromStart)).toEqual([0, 1, 2, 3, 4, 5, 6]);
        expect(indices(afterTwo)).toEqual([3, 4, 5, 6]);
        expect(indices(fromEnd)).toEqual([5, 6]);
      });

      it('subscribeToAll delivers filtered history then live events in global order, under concurrent appends', async () => {
        const wanted = stream('run-');
        for (let k = 0; k < 5; k++) {
          await store.appendToStream(`${wanted}${k % 3}`, events(k * 500, 500, 'StepRecorded'));
          await store.appendToStream(stream(`noise-${k}`), events(0, 10, 'StepRecorded'));
        }
        const received: RecordedEvent[] = [];
        const seenAtAppend: number[] = [];
        subscriptions.push(store.subscribeToAll({ filter: { streamPrefix: [wanted] } }).subscribe((e) => received.push(e)));
        const writers = [0, 1, 2].map(async (w) => {
          for (let k = 0; k < 40; k++) {
            await store.appendToStream(`${wanted}${w}`, [event(10_000 + w * 100 + k, 'StepRecorded')]);
            seenAtAppend.push(received.length);
            await store.appendToStream(stream(`noise-${w}`), [event(k, 'StepRecorded')]);
            if (k % 3 === w) await nextMacrotask();
          }
        });
        await Promise.all(writers);
        if (expectOverlap) {
          expect(
            seenAtAppend.some((n) => n > 0 && n < 2_500),
            'an append landed in the middle of the catch-up',
          ).toBe(true);
          expect(
            seenAtAppend.some((n) => n > 2_500),
            'an append landed after the switch to live',
          ).toBe(true);
        }
        await waitFor(() => received.length >= 2_620, liveTimeoutMs, 'the subscription to deliver 2,620 events');
        await sleep(50);
        expect(received.length).toBe(2_620);
        expectStrictlyIncreasing(positions(received));
        expect(received).toEqual(await store.readAll({ filter: { streamPrefix: [wanted] } }));
      });

      it('subscribeToAll filters on event types and starts after a position or at the end', async () => {
        const s = stream('t');
        await store.appendToStream(s, [event(0, 'A'), event(1, 'B'), event(2, 'A')]);
        const [, second] = await store.readStream(s);
        const typed: RecordedEvent[] = [];
        const afterSecond: RecordedEvent[] = [];
        const fromEnd: RecordedEvent[] = [];
        subscriptions.push(store.subscribeToAll({ filter: { streamPrefix: [prefix], eventTypes: ['A'] } }).subscribe((e) => typed.push(e)));
        subscriptions.push(store.subscribeToAll({ fromPosition: second.position, filter: { streamPrefix: [prefix] } }).subscribe((e) => afterSecond.push(e)));
        subscriptions.push(store.subscribeToAll({ fromPosition: 'end', filter: { streamPrefix: [prefix] } }).subscribe((e) => fromEnd.push(e)));
        await waitFor(() => typed.length >= 2 && afterSecond.length >= 1, liveTimeoutMs, 'history');
        await sleep(50);
        await store.appendToStream(s, [event(3, 'B'), event(4, 'A')]);
        await waitFor(() => typed.length >= 3 && afterSecond.length >= 3 && fromEnd.length >= 2, liveTimeoutMs, 'live events');
        await sleep(50);
        expect(indices(typed)).toEqual([0, 2, 4]);
        expect(indices(afterSecond)).toEqual([2, 3, 4]);
        expect(indices(fromEnd)).toEqual([3, 4]);
      });

      it('stops delivering once unsubscribed', async () => {
        const s = stream('u');
        const received: RecordedEvent[] = [];
        const subscription = store.subscribeToStream(s).subscribe((e) => received.push(e));
        const all: RecordedEvent[] = [];
        const allSubscription = store.subscribeToAll({ filter: { streamPrefix: [prefix] } }).subscribe((e) => all.push(e));
        await store.appendToStream(s, events(0, 3));
        await waitFor(() => received.length >= 3 && all.length >= 3, liveTimeoutMs, 'the first events');
        subscription.unsubscribe();
        allSubscription.unsubscribe();
        await store.appendToStream(s, events(3, 3));
        await sleep(150);
        expect(received.length).toBe(3);
        expect(all.length).toBe(3);
      });

      it('resumes from a checkpoint with nothing missed and nothing repeated', async () => {
        const consumer = `${prefix}catalogue`;
        const filter = { streamPrefix: [prefix] };
        await store.appendToStream(stream('run-1'), events(0, 5));
        expect(await store.checkpoints.load(consumer)).toBeUndefined();

        const firstRun: RecordedEvent[] = [];
        const first = store.subscribeToAll({ filter }).subscribe((e) => firstRun.push(e));
        await waitFor(() => firstRun.length >= 5, liveTimeoutMs, 'the first five events');
        await store.checkpoints.store(consumer, firstRun[2].position); // handled three of them, then stopped
        first.unsubscribe();

        await store.appendToStream(stream('run-2'), events(5, 3));
        const checkpoint = await store.checkpoints.load(consumer);
        expect(checkpoint).toBe(firstRun[2].position);
        const resumed: RecordedEvent[] = [];
        subscriptions.push(store.subscribeToAll({ fromPosition: checkpoint, filter }).subscribe((e) => resumed.push(e)));
        await waitFor(() => resumed.length >= 5, liveTimeoutMs, 'the resumed events');
        await sleep(50);
        expect(indices(resumed)).toEqual([3, 4, 5, 6, 7]);
      });
    });

    describe('checkpoints', () => {
      it('stores, loads and overwrites a position per consumer', async () => {
        const a = `${prefix}a`;
        const b = `${prefix}b`;
        expect(await store.checkpoints.load(a)).toBeUndefined();
        await store.checkpoints.store(a, 41n);
        await store.checkpoints.store(b, 7n);
        await store.checkpoints.store(a, 1_000_000_000_042n);
        expect(await store.checkpoints.load(a)).toBe(1_000_000_000_042n);
        expect(await store.checkpoints.load(b)).toBe(7n);
      });
    });

    describe('snapshots', () => {
      it('loads the latest snapshot at or before a revision, with its version', async () => {
        const key = stream('run-s');
        expect(await store.snapshots.load(key)).toBeUndefined();
        await store.snapshots.save(key, { revision: 10n, version: 1, state: { pages: [{ locked: true }], at: 10 } });
        await store.snapshots.save(key, { revision: 20n, version: 1, state: { at: 20 } });
        await store.snapshots.save(key, { revision: 30n, version: 2, state: { at: 30 } });

        expect(await store.snapshots.load(key)).toEqual({ revision: 30n, version: 2, state: { at: 30 } });
        expect(await store.snapshots.load(key, { atOrBefore: 25n })).toEqual({ revision: 20n, version: 1, state: { at: 20 } });
        expect(await store.snapshots.load(key, { atOrBefore: 20n })).toEqual({ revision: 20n, version: 1, state: { at: 20 } });
        expect(await store.snapshots.load(key, { atOrBefore: 10n })).toEqual({
          revision: 10n,
          version: 1,
          state: { pages: [{ locked: true }], at: 10 },
        });
        expect(await store.snapshots.load(key, { atOrBefore: 9n })).toBeUndefined();
        expect(await store.snapshots.load(key, { version: 1 })).toMatchObject({ revision: 20n, version: 1 });
        expect(await store.snapshots.load(key, { version: 3 })).toBeUndefined();
        expect(await store.snapshots.load(stream('run-other'))).toBeUndefined();
      });

      it('replaces a snapshot saved again at the same revision', async () => {
        const key = stream('run-s');
        await store.snapshots.save(key, { revision: 5n, version: 1, state: { old: true } });
        await store.snapshots.save(key, { revision: 5n, version: 2, state: { old: false } });
        expect(await store.snapshots.load(key, { atOrBefore: 5n })).toEqual({ revision: 5n, version: 2, state: { old: false } });
      });
    });

    describe('close', () => {
      it('completes open subscriptions', async () => {
        let completed = false;
        store.subscribeToStream(stream('c')).subscribe({ complete: () => (completed = true) });
        await sleep(10);
        await store.close();
        expect(completed).toBe(true);
      });
    });
  });
}
