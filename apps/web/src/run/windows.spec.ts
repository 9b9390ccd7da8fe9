import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { stepAfterKey, windowRange, windowsCovering, windowsOf } from './windows';

describe('event windows', () => {
  it('covers every visible step with aligned windows, and no more', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5_000_000 }), fc.nat(), fc.nat(3000), fc.integer({ min: 1, max: 4096 }), (steps, a, span, size) => {
        const from = a % steps;
        const to = from + span;
        const windows = windowsCovering(from, to, steps, size);
        const covered = (s: number) =>
          windows.some((w) => {
            const r = windowRange(w, size);
            return s >= r.from && s <= r.to;
          });
        for (const s of [from, Math.min(to, steps - 1), Math.floor((from + Math.min(to, steps - 1)) / 2)]) expect(covered(s)).toBe(true);
        for (const w of windows) expect(w % size).toBe(0);
        expect(windows.length).toBeLessThanOrEqual(Math.ceil((Math.min(to, steps - 1) - from + 1) / size) + 1);
        expect(windows[windows.length - 1]).toBeLessThanOrEqual(steps - 1);
      }),
    );
  });
  it('asks for the view and the selected step, not for the steps between them', () => {
    // a deep link into the middle of a million steps, before the timeline has scrolled there
    expect(
      windowsOf(
        [
          [0, 120],
          [500_000, 500_000],
        ],
        1_000_000,
        1024,
      ),
    ).toEqual([0, 499_712]);
    expect(
      windowsOf(
        [
          [499_900, 500_100],
          [500_000, 500_000],
        ],
        1_000_000,
        1024,
      ),
    ).toEqual([499_712]);
    expect(
      windowsOf(
        [
          [500_700, 500_800],
          [500_000, 500_000],
        ],
        1_000_000,
        1024,
      ),
    ).toEqual([499_712, 500_736]);
  });
  it('asks for nothing in an empty run', () => {
    expect(windowsCovering(0, 100, 0)).toEqual([]);
  });
});

describe('keys', () => {
  it('steps within -1..last', () => {
    expect(stepAfterKey('ArrowRight', 29, 29)).toBe(29);
    expect(stepAfterKey('ArrowLeft', -1, 29)).toBe(-1);
    expect(stepAfterKey('ArrowLeft', 10, 29)).toBe(9);
    expect(stepAfterKey('End', 3, 29)).toBe(29);
    expect(stepAfterKey('Home', 3, 29)).toBe(-1);
    expect(stepAfterKey('a', 3, 29)).toBeNull();
  });
});
