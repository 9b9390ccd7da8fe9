import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { decodeSchedule, encodeSchedule, InvalidScheduleTokenError, scheduleLength } from './schedule-token.js';
import { ReplayScheduler, ReplayDivergenceError } from './schedulers/replay.js';

/** A token of one run-length entry: `run` steps of thread 0. */
function oneEntry(run: number): string {
  const bytes = [1];
  for (let v = run; ; v >>>= 7) {
    if (v > 0x7f) bytes.push((v & 0x7f) | 0x80);
    else {
      bytes.push(v);
      break;
    }
  }
  return `s1.${Buffer.from(bytes).toString('base64url')}.`;
}

describe('schedule tokens are bounded before anything is allocated', () => {
  it('a 7-byte token standing for 10^8 steps is read at once and costs no memory per step', () => {
    const token = oneEntry(100_000_000);
    const heap = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const replay = new ReplayScheduler(token);
    expect(replay.length).toBe(100_000_000);
    expect(scheduleLength(token)).toBe(100_000_000);
    expect(performance.now() - t0).toBeLessThan(100);
    expect(process.memoryUsage().heapUsed - heap).toBeLessThan(10_000_000);
  });

  it('the issue-12 token (AYDC1y8BgMLXLw) is refused by decodeSchedule before expanding, and replayed lazily', () => {
    const token = 's1.AYDC1y8BgMLXLw.';
    const t0 = performance.now();
    expect(() => decodeSchedule(token, 1_000_000)).toThrow(InvalidScheduleTokenError);
    expect(new ReplayScheduler(token).length).toBeGreaterThan(100_000_000);
    expect(performance.now() - t0).toBeLessThan(100);
  });

  it('replaying walks the entries: the thread of every step is the expanded one (property, against decodeSchedule)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 3 }), { maxLength: 300 }),
        fc.array(fc.integer({ min: 0, max: 5 }), { maxLength: 20 }),
        (threads, choices) => {
          const token = encodeSchedule({ threads, choices });
          const expanded = decodeSchedule(token);
          expect(expanded.threads).toEqual(threads);
          const replay = new ReplayScheduler(token);
          expect(replay.length).toBe(threads.length);
          const all = Int32Array.from([0, 1, 2, 3]);
          for (let step = 0; step < threads.length; step++) expect(replay.pickThread(all, 4, step)).toBe(threads[step]);
          expect(() => replay.pickThread(all, 4, threads.length)).toThrow(ReplayDivergenceError);
          // a rewind (a second pass from step 0) reads the same threads
          if (threads.length) expect(replay.pickThread(all, 4, 0)).toBe(threads[0]);
        },
      ),
    );
  });
});
