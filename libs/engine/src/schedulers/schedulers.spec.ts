// The schedulers on their own: sfc32 against a second implementation written from its definition
// in BigInt arithmetic, round-robin's turn order, PCT's priorities (every order of the threads
// drawn, roughly uniformly) and change points (in 1..k, the running thread dropped below all), and
// makeScheduler's choice of scheduler and PCT depth.
import { describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { Rng } from '../rng.js';
import { estimateSteps, makeScheduler } from '../simulate.js';
import { encodeSchedule } from '../schedule-token.js';
import { PctScheduler } from './pct.js';
import { RandomScheduler } from './random.js';
import { ReplayScheduler, stepBound } from './replay.js';
import { RoundRobinScheduler } from './round-robin.js';

const M = 1n << 32n;
/** sfc32 (Chris Doty-Humphrey's PractRand) as four 32-bit words, 12 rounds after seeding. */
function* sfc32(seed: number): Generator<number> {
  let [a, b, c, d] = [0x9e3779b9n, 0x243f6a88n, 0xb7e15162n, BigInt(seed >>> 0)];
  const round = (): bigint => {
    const t = (a + b + d) % M;
    d = (d + 1n) % M;
    a = b ^ (b >> 9n);
    b = (c + c * 8n) % M;
    c = ((c << 21n) | (c >> 11n)) % M;
    c = (c + t) % M;
    return t;
  };
  for (let i = 0; i < 12; i++) round();
  for (;;) yield Number(round());
}

const all = (n: number) => Int32Array.from({ length: n }, (_, i) => i);

describe('Rng', () => {
  it('is sfc32: the same words as a BigInt implementation, for seeds across the 32-bit range', () => {
    for (const seed of [0, 1, 2, 42, 0x7fffffff, -1, 2 ** 32 + 5, 0xdeadbeef]) {
      const rng = new Rng(seed);
      const ref = sfc32(seed);
      for (let i = 0; i < 500; i++) expect(rng.next(), `seed ${seed} word ${i}`).toBe(ref.next().value);
    }
  });

  it('below(n) is the next word modulo n', () => {
    const rng = new Rng(9);
    const ref = sfc32(9);
    for (const n of [1, 2, 3, 7, 1000, 2 ** 31]) expect(rng.below(n)).toBe((ref.next().value as number) % n);
  });
});

describe('RandomScheduler', () => {
  it('picks runnable[below(count)] and choices below(choices), from one stream', () => {
    const s = new RandomScheduler(5);
    const ref = new Rng(5);
    const runnable = Int32Array.from([2, 4, 7, 9]);
    for (let i = 0; i < 50; i++) {
      expect(s.pickThread(runnable, 3)).toBe(runnable[ref.below(3)]);
      expect(s.pickChoice(4)).toBe(ref.below(4));
    }
    expect(s.strategy).toBe('random');
  });
});

describe('RoundRobinScheduler', () => {
  it('each runnable thread in turn, past the last one run, wrapping round; the first choice', () => {
    const s = new RoundRobinScheduler();
    const picks = [all(3), all(3), all(3), all(3), Int32Array.from([0, 2]), Int32Array.from([1, 2]), Int32Array.from([0, 1])].map((r) =>
      s.pickThread(r, r.length),
    );
    expect(picks).toEqual([0, 1, 2, 0, 2, 1, 0]);
    // `count` bounds the runnable list
    expect(new RoundRobinScheduler().pickThread(Int32Array.from([3, 5]), 1)).toBe(3);
    const r = new RoundRobinScheduler();
    r.pickThread(all(2), 2);
    expect(r.pickThread(Int32Array.from([0, 1, 2]), 2)).toBe(1);
    expect(r.pickThread(Int32Array.from([0, 1, 2]), 2)).toBe(0);
    expect(s.pickChoice()).toBe(0);
    expect(s.strategy).toBe('round-robin');
  });
});

describe('PctScheduler', () => {
  /** The order in which the threads run when each runs until it is taken off the runnable list. */
  const order = (s: PctScheduler, n: number): number[] => {
    const left = [...all(n)];
    const out: number[] = [];
    while (left.length) {
      const t = s.pickThread(Int32Array.from(left), left.length, 0);
      out.push(t);
      left.splice(left.indexOf(t), 1);
    }
    return out;
  };

  it('draws every order of the threads, about equally often (Fisher-Yates over all of them)', () => {
    const seen = new Map<string, number>();
    for (let seed = 0; seed < 1200; seed++) {
      const key = order(new PctScheduler(seed, 3, 1, 10), 3).join('');
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    expect([...seen.keys()].sort()).toEqual(['012', '021', '102', '120', '201', '210']);
    for (const n of seen.values()) expect(n).toBeGreaterThan(120);
  });

  it('without change points (depth 1) the same thread runs while it can; d - 1 change points lie in 1..k', () => {
    const s = new PctScheduler(3, 4, 1, 50);
    const first = s.pickThread(all(4), 4, 1);
    for (let step = 2; step < 100; step++) expect(s.pickThread(all(4), 4, step)).toBe(first);

    const at = new Set<number>();
    for (let seed = 0; seed < 300; seed++) {
      const p = new PctScheduler(seed, 2, 2, 5);
      const runs = Array.from({ length: 12 }, (_, step) => p.pickThread(all(2), 2, step));
      // one change point: the other thread takes over there and keeps running
      const change = runs.findIndex((t) => t !== runs[0]);
      expect(change).toBeGreaterThanOrEqual(1);
      expect(change).toBeLessThanOrEqual(5);
      expect(runs.slice(change).every((t) => t === runs[change])).toBe(true);
      at.add(change);
    }
    expect([...at].sort()).toEqual([1, 2, 3, 4, 5]);
  });

  it('at the i-th change point the running thread drops below every initial priority, to i', () => {
    // depth 3: two change points; three threads. After both, the two demoted threads rank by
    // their change point (the later one, priority 2, above the earlier one, priority 1).
    let demotedTwice = 0;
    for (let seed = 0; seed < 200; seed++) {
      // the initial priority order, read at step 0 (never a change point) from a twin scheduler
      const initial = order(new PctScheduler(seed, 3, 3, 4), 3);
      const p = new PctScheduler(seed, 3, 3, 4);
      const runs = Array.from({ length: 10 }, (_, step) => p.pickThread(all(3), 3, step));
      // with every thread runnable, the CPU changes hands only at a change point, from the thread demoted there
      const losers = runs.filter((t, i) => i < 9 && runs[i + 1] !== t);
      expect(losers.length).toBeLessThanOrEqual(2);
      expect(new Set(losers).size).toBe(losers.length);
      if (losers.length === 2) demotedTwice++;
      // the thread left running is the first in the initial order never demoted: below all of them
      expect(runs[9]).toBe(initial.find((t) => !losers.includes(t)));
      expect(runs[0]).toBe(initial[0]);
    }
    expect(demotedTwice).toBeGreaterThan(20);
  });

  it('probabilityBound is 1 / (n k^(d-1)), with k at least 1 and d - 1 at least 0', () => {
    expect(PctScheduler.probabilityBound(2, 10, 3)).toBe(1 / 200);
    expect(PctScheduler.probabilityBound(3, 0, 2)).toBe(1 / 3);
    expect(PctScheduler.probabilityBound(4, 7, 0)).toBe(1 / 4);
    expect(PctScheduler.probabilityBound(2, 5, 1)).toBe(1 / 2);
  });

  it('choices come from the same stream as the priorities', () => {
    const a = new PctScheduler(11, 3, 3, 20);
    const b = new PctScheduler(11, 3, 3, 20);
    const picks = Array.from({ length: 30 }, () => a.pickChoice(5));
    expect(Array.from({ length: 30 }, () => b.pickChoice(5))).toEqual(picks);
    expect(new Set(picks).size).toBeGreaterThan(1);
    expect(a.strategy).toBe('pct');
  });
});

describe('makeScheduler', () => {
  const world = resolveModel({ scenario: 'seed' }).world;

  it('one scheduler per strategy; seed 0 and PCT depth 3 by default; replay needs its token', () => {
    expect(makeScheduler({ strategy: 'random' }, world, 100)).toBeInstanceOf(RandomScheduler);
    expect((makeScheduler({ strategy: 'random', seed: 4 }, world, 100) as RandomScheduler).seed).toBe(4);
    expect((makeScheduler({ strategy: 'random' }, world, 100) as RandomScheduler).seed).toBe(0);
    const pct = makeScheduler({ strategy: 'pct', seed: 2 }, world, 100) as PctScheduler;
    expect(pct).toBeInstanceOf(PctScheduler);
    expect([pct.seed, pct.depth, pct.expectedSteps]).toEqual([2, 3, estimateSteps(world, 100)]);
    expect((makeScheduler({ strategy: 'pct', depth: 5 }, world, 100) as PctScheduler).depth).toBe(5);
    expect(makeScheduler({ strategy: 'round-robin' }, world, 100)).toBeInstanceOf(RoundRobinScheduler);
    const token = encodeSchedule({ threads: [0, 1], choices: [] });
    const replay = makeScheduler({ strategy: 'replay', schedule: token }, world, 100);
    expect(replay).toBeInstanceOf(ReplayScheduler);
    expect(stepBound(replay, 100)).toBe(2);
    expect(stepBound(replay, 1)).toBe(1);
    expect(stepBound(pct, 100)).toBe(100);
    expect(() => makeScheduler({ strategy: 'replay' }, world, 100)).toThrow('replay needs a schedule token');
  });

  it('estimateSteps: the steps of one round-robin run, capped by maxSteps, at least 1', () => {
    const full = estimateSteps(world, 1_000_000);
    expect(full).toBeGreaterThan(10);
    expect(estimateSteps(world, 7)).toBe(7);
    expect(estimateSteps(world, 0)).toBe(1);
  });
});
