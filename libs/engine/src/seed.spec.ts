import { describe, expect, it } from 'vitest';
import { eventsOf, sample } from './test-helpers.js';

const seed2x2 = { scenario: 'seed', params: { ptes: 2, faults: 2 } };

describe('seed scenario, kernel protocol (ptes=2 faults=2)', () => {
  for (const WAIT of ['post', 'pre']) {
    for (const strategy of ['random', 'pct'] as const) {
      it(`WAIT=${WAIT}: 3,000 ${strategy} schedules, no violation`, () => {
        const r = sample({ ...seed2x2, variant: { switches: { WAIT } } }, strategy, 3_000);
        expect(r.first?.violation ?? null).toBeNull();
      });
    }
  }
});

describe('seed scenario, MUTANTs', () => {
  for (const variant of ['unlock-before-remove', 'install-before-lock']) {
    it(`${variant}: PCT finds the BUG_ON within 10,000 schedules, and its token replays it exactly`, () => {
      const r = sample({ ...seed2x2, variant }, 'pct', 10_000);
      expect(r.first).not.toBeNull();
      expect(r.first?.violation?.invariant).toBe('bug-on');
      const original = eventsOf(r.world, 'pct', r.first!.seed);
      const replayed = eventsOf(r.world, 'replay', 0, r.first!.schedule);
      expect(replayed.result.violation).toEqual(original.result.violation);
      expect(replayed.events).toEqual(original.events);
      expect(replayed.result.schedule).toBe(r.first!.schedule);
    });
  }
});
