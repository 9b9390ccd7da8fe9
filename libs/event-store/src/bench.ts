import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { firstValueFrom, filter, take, toArray } from 'rxjs';
import type { EventData, StepRecorded } from '@mmreplay/events';
import { SqliteEventStore } from './sqlite/sqlite-event-store.js';

export interface BenchOptions {
  /** Events written in all (half in batches of 1,000, half in batches of 10,000). Default 1,000,000. */
  events?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** A step event of realistic size (about 400 bytes of JSON data, as the engine records them). */
function stepEvent(step: number): EventData<StepRecorded> {
  const fault = step % 5;
  return {
    type: 'StepRecorded',
    data: {
      step,
      thread: `flt${fault}`,
      threadIndex: 1 + fault,
      pc: 9,
      label: 'F3.ptep_get',
      op: 'pte_read',
      kind: 'PteRead',
      src: { file: 'mm/migrate.c', fn: 'migration_entry_wait', version: 'v6.6' },
      choice: 0,
      args: { pte: `e${fault}`, orig: 'migration(P,write)' },
      deltas: [
        { slot: 58 + 19 * fault, object: `thread:flt${fault}`, field: 'pc', before: 9, after: 11 },
        { slot: 68 + 19 * fault, object: `thread:flt${fault}`, field: 'reg.orig', before: 265, after: 530 },
      ],
    },
    metadata: { schemaVersion: 1, step },
  };
}

const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);

/**
 * Measures the SQLite adapter in a fresh database under `dir`: appends per second in batches of
 * 1,000 and of 10,000 step events, reads per second of one stream and of `$all` (page by page),
 * and the rate of a catch-up subscription over the whole log. Returns events per second
 * (and the sizes used).
 */
export async function benchEventStore(dir: string, options: BenchOptions = {}): Promise<Record<string, number>> {
  const total = options.events ?? 1_000_000;
  const log = options.log ?? (() => {});
  const file = join(dir, 'event-store-bench.db');
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  const store = await SqliteEventStore.open(file);
  const results: Record<string, number> = { events: total };
  try {
    const half = Math.max(10_000, Math.floor(total / 2 / 10_000) * 10_000);
    const events = Array.from({ length: 10_000 }, (_, i) => stepEvent(i));

    for (const [batch, stream] of [
      [1_000, 'run-bench-batch-1000'],
      [10_000, 'run-bench-batch-10000'],
    ] as const) {
      let expected: bigint | 'no-stream' = 'no-stream';
      const start = performance.now();
      for (let written = 0; written < half; written += batch) {
        const result = await store.appendToStream(stream, events.slice(0, batch), { expectedRevision: expected });
        expected = result.nextExpectedRevision;
      }
      results[`appendBatch${batch}PerSec`] = perSecond(half, performance.now() - start);
      log(`append, batches of ${batch}: ${results[`appendBatch${batch}PerSec`]} events/s`);
    }

    let start = performance.now();
    let count = 0;
    for await (const _ of store.iterateStream('run-bench-batch-10000', { pageSize: 5_000 })) count++;
    results['readStreamPerSec'] = perSecond(count, performance.now() - start);
    results['readStreamEvents'] = count;
    log(`read one stream (${count} events): ${results['readStreamPerSec']} events/s`);

    start = performance.now();
    count = 0;
    for await (const _ of store.iterateAll({ pageSize: 5_000 })) count++;
    results['readAllPerSec'] = perSecond(count, performance.now() - start);
    results['readAllEvents'] = count;
    log(`read $all (${count} events): ${results['readAllPerSec']} events/s`);

    start = performance.now();
    const last = await firstValueFrom(
      store.subscribeToAll({ fromPosition: 'start' }).pipe(
        take(count),
        filter((_, i) => i === count - 1),
        toArray(),
      ),
    );
    results['catchUpSubscriptionPerSec'] = perSecond(count, performance.now() - start);
    log(`catch-up subscription to $all (${count} events, last at ${last[0]?.position}): ${results['catchUpSubscriptionPerSec']} events/s`);
  } finally {
    await store.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
  return results;
}
