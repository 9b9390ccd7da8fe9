import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { StoreUnavailableError } from '../errors.js';
import { SqliteEventStore } from './sqlite-event-store.js';

// The pauses between attempts on a locked database (issue 20, the survivors of the mutation run
// over sqlite-event-store.ts that were "only observable through time"): on fake timers, with the
// jitter pinned to its middle (Math.random() = 0.5, a factor of 1), the pauses are exactly
// 1, 2, 4, 8, 16, then 20 ms, so the attempts fall at 0, 1, 3, 7, 15, 31, 51, 71 ms after the
// first, and the time an append succeeds or gives up tells the schedule.

let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mmreplay-sqlite-retry-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

/** A store on a fresh file (no blocking busy wait) and a second connection holding its write lock. */
async function lockedStore(lockTimeoutMs: number) {
  const file = join(dir, `retry-${n++}.db`);
  const store = await SqliteEventStore.open(file, { busyTimeoutMs: 0, lockTimeoutMs });
  const holder = new Database(file);
  holder.exec('BEGIN IMMEDIATE');
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.spyOn(Math, 'random').mockReturnValue(0.5);
  return { store, holder };
}

/** When (ms after the first attempt) the append settled, and how. */
function timed(start: number, append: Promise<unknown>) {
  return append.then(
    () => ({ at: Date.now() - start, ok: true }),
    (error: unknown) => ({ at: Date.now() - start, ok: false, error }),
  );
}

describe('SQLite event store: retries on a locked database', () => {
  it('an append retries after 1, 2, 4, 8, 16 and then 20 ms, and succeeds at the first attempt after the lock goes', async () => {
    const { store, holder } = await lockedStore(10_000);
    try {
      const start = Date.now();
      const outcome = timed(start, store.appendToStream('s', [{ type: 'A', data: 1 }]));
      await vi.advanceTimersByTimeAsync(40);
      holder.exec('COMMIT');
      await vi.advanceTimersByTimeAsync(100);
      expect(await outcome).toEqual({ at: 51, ok: true });
    } finally {
      holder.close();
      await store.close();
    }
  });

  it('with the jitter at its low end pauses half as long: 0.5, 1, 2, 4, 8, then 10 ms', async () => {
    // Math.random() = 0, a factor of 0.5: attempts at 0, 0.5, 1.5, 3.5, 7.5, 15.5, 25.5 ms (how a
    // timer rounds the half millisecond may move each by under 1 ms); a jitter that divided by the
    // factor instead would pause 2, 4, 8, 16, 32 ms and succeed at 30 ms, not about 26
    const { store, holder } = await lockedStore(10_000);
    vi.mocked(Math.random).mockReturnValue(0);
    try {
      const start = Date.now();
      const outcome = timed(start, store.appendToStream('s', [{ type: 'A', data: 1 }]));
      await vi.advanceTimersByTimeAsync(20);
      holder.exec('COMMIT');
      await vi.advanceTimersByTimeAsync(100);
      const result = await outcome;
      expect(result.ok).toBe(true);
      expect(result.at).toBeGreaterThanOrEqual(25);
      expect(result.at).toBeLessThanOrEqual(26);
    } finally {
      holder.close();
      await store.close();
    }
  });

  it('gives up at the first attempt at or past lockTimeoutMs', async () => {
    // an attempt falls exactly on the deadline (31 ms): it is the last
    const { store, holder } = await lockedStore(31);
    try {
      const start = Date.now();
      const outcome = timed(start, store.appendToStream('s', [{ type: 'A', data: 1 }]));
      await vi.advanceTimersByTimeAsync(200);
      const result = await outcome;
      expect(result).toMatchObject({ at: 31, ok: false });
      expect((result as { error: unknown }).error).toBeInstanceOf(StoreUnavailableError);
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
      await store.close();
    }
  });
});
