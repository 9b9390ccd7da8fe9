// Schedule tokens byte for byte (run-length entries, LEB128 varints at their limits), every refusal
// with its message, and the replay scheduler's errors and choices in order.
import { describe, expect, it } from 'vitest';
import { decodeSchedule, encodeSchedule, InvalidScheduleTokenError, parseSchedule } from './schedule-token.js';
import { ReplayDivergenceError, ReplayScheduler } from './schedulers/replay.js';
import { simulate } from './simulate.js';

const refusal = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidScheduleTokenError);
    expect((e as InvalidScheduleTokenError).kind).toBe('invalid');
    expect((e as InvalidScheduleTokenError).issues).toEqual([{ field: 'schedule', message: (e as Error).message }]);
    expect((e as InvalidScheduleTokenError).detail).toBe(`schedule: ${(e as Error).message}`);
    return (e as Error).message;
  }
  return expect.unreachable('accepted');
};

describe('schedule tokens', () => {
  it('runs of two or more steps are (thread << 1 | 1, run), single steps thread << 1; choices are varints', () => {
    // threads: (0,run 3) = 1 3, thread 1 once = 2, (2, run 2) = 5 2; choices 0, 3, 200 = c8 01
    const token = encodeSchedule({ threads: [0, 0, 0, 1, 2, 2], choices: [0, 3, 200] });
    expect(token).toBe('s1.AQMCBQI.AAPIAQ');
    expect(parseSchedule(token)).toEqual({ threads: Uint32Array.from([0, 1, 2]), counts: Uint32Array.from([3, 1, 2]), length: 6, choices: [0, 3, 200] });
    expect(decodeSchedule(token)).toEqual({ threads: [0, 0, 0, 1, 2, 2], choices: [0, 3, 200] });
    expect(encodeSchedule({ threads: [], choices: [] })).toBe('s1..');
    // 127 is the largest one-byte varint, 128 the smallest of two
    expect(encodeSchedule({ threads: [], choices: [127, 128] })).toBe('s1..f4AB');
    expect(decodeSchedule(' s1.. ')).toEqual({ threads: [], choices: [] });
  });

  it('a varint of 32 bits (five bytes) is read; a sixth byte is too long; a last byte with its high bit set is truncated', () => {
    expect(parseSchedule('s1.._____w8').choices).toEqual([2 ** 32 - 1]);
    expect(decodeSchedule(encodeSchedule({ threads: [], choices: [2 ** 32 - 1] })).choices).toEqual([2 ** 32 - 1]);
    expect(refusal(() => parseSchedule('s1..gICAgIAB'))).toBe('schedule token: varint too long');
    expect(refusal(() => parseSchedule('s1.gA.'))).toBe('schedule token: truncated');
  });

  it('refuses anything but s1.<base64url>.<base64url>, and a run without its length or longer than 10^8', () => {
    const shape = "schedule token: expected 's1.<threads>.<choices>' in base64url";
    for (const bad of ['', 'x', 's2.AQ.', 's1.AQ', 'xs1.AQ.', 's1.AQ.A!', 's1.A=.', 's1.AQ..'])
      expect(
        refusal(() => parseSchedule(bad)),
        bad,
      ).toBe(shape);
    expect(refusal(() => parseSchedule('s1.AQ.'))).toBe('schedule token: bad run length');
    const run = (n: number) => {
      const bytes = [1];
      for (let v = n; ; v >>>= 7) {
        if (v > 0x7f) bytes.push((v & 0x7f) | 0x80);
        else {
          bytes.push(v);
          break;
        }
      }
      return `s1.${Buffer.from(bytes).toString('base64url')}.`;
    };
    expect(parseSchedule(run(100_000_000)).length).toBe(100_000_000);
    expect(refusal(() => parseSchedule(run(100_000_001)))).toBe('schedule token: bad run length');
    expect(refusal(() => decodeSchedule(run(11), 10))).toBe('schedule token: 11 steps, more than the 10 allowed here');
    expect(decodeSchedule(run(10), 10).threads).toHaveLength(10);
  });
});

describe('ReplayScheduler', () => {
  const two = Int32Array.from([0, 1]);

  it('follows the token, rewinds for an earlier step, and fails where the run cannot follow', () => {
    const r = new ReplayScheduler(encodeSchedule({ threads: [1, 1, 0], choices: [2, 0] }));
    expect(r.strategy).toBe('replay');
    expect([0, 1, 2].map((step) => r.pickThread(two, 2, step))).toEqual([1, 1, 0]);
    expect(r.pickThread(two, 2, 0)).toBe(1);
    const divergence = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(ReplayDivergenceError);
        expect((e as ReplayDivergenceError).kind).toBe('not-applicable');
        expect((e as ReplayDivergenceError).issues).toEqual([{ field: 'schedule', message: (e as Error).message }]);
        expect((e as ReplayDivergenceError).detail).toBe(`the schedule does not fit this model: ${(e as Error).message}`);
        return (e as Error).message;
      }
      return expect.unreachable('followed');
    };
    expect(divergence(() => r.pickThread(two, 2, 3))).toBe('the schedule ends after 3 steps');
    // thread 1 is listed but beyond `count`
    expect(divergence(() => r.pickThread(two, 1, 1))).toBe('step 1: thread 1 of the schedule cannot run here (the model differs from the one recorded)');
    expect(divergence(() => r.pickThread(Int32Array.from([0]), 1, 0))).toMatch(/^step 0: thread 1 of the schedule cannot run here/);
    // choices in order; one out of range, then none left
    expect(r.pickChoice(3, 0, 0)).toBe(2);
    expect(divergence(() => r.pickChoice(0, 0, 5))).toBe('step 5: the schedule has no valid choice among 0');
    expect(divergence(() => r.pickChoice(2, 0, 6))).toBe('step 6: the schedule has no valid choice among 2');
    const again = new ReplayScheduler(encodeSchedule({ threads: [0], choices: [1, 0] }));
    expect(divergence(() => again.pickChoice(1, 0, 0))).toBe('step 0: the schedule has no valid choice among 1');
    expect(again.pickChoice(1, 0, 1)).toBe(0);
  });

  it('simulate replays a recorded run step for step, up to its end by default', () => {
    const first = simulate({ scenario: 'seed', strategy: 'random', seed: 3 });
    const replayed = simulate({ scenario: 'seed', strategy: 'replay', schedule: first.result.schedule });
    expect(replayed.result.steps).toBe(first.result.steps);
    expect(replayed.result.outcome).toBe(first.result.outcome);
    expect(simulate({ scenario: 'seed', strategy: 'round-robin', maxSteps: 5 }).result).toMatchObject({ outcome: 'step-bound', steps: 5 });
  });
});
