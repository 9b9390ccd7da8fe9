import { describe, expect, it } from 'vitest';
import { resolveModel, type World } from '@mmreplay/model';
import { estimateSteps, PctScheduler, RandomScheduler, ReplayScheduler, Runtime } from '@mmreplay/engine';
import { foundProbability, sampleAudit } from './sampling.js';
import { explore } from './explorer.js';
import { selfDeadlockWorld } from '../test/self-deadlock.js';

// Sampled audits against the loop they stand for (issue 20): run i uses seed `seed + i`, PCT's
// step estimate is the world's uninterrupted run, the first violating run ends it, and the
// transitions are the steps of every run done.

function reference(world: World, strategy: 'pct' | 'random', runs: number, seed: number, depth: number) {
  const runtime = new Runtime(world);
  const k = estimateSteps(world, 1_000_000);
  let transitions = 0;
  for (let i = 0; i < runs; i++) {
    const scheduler = strategy === 'pct' ? new PctScheduler(seed + i, world.threads.length, depth, k) : new RandomScheduler(seed + i);
    const r = runtime.run({ scheduler, maxSteps: 1_000_000 });
    transitions += r.steps;
    if (r.outcome === 'violation') return { runs: i + 1, transitions, run: r };
  }
  return { runs, transitions, run: null };
}

const unlockFirst = resolveModel({ scenario: 'seed', params: { ptes: 2, faults: 2 }, variant: 'unlock-before-remove' }).world;
const installFirst = resolveModel({ scenario: 'seed', params: { ptes: 2, faults: 2 }, variant: 'install-before-lock' }).world;
const kernel = resolveModel({ scenario: 'seed', params: { ptes: 2, faults: 2 } }).world;

describe('sampled audits are the runs they stand for', () => {
  it('a deadlock is a violation where the world audits it, as in the exhaustive search; not where it does not', () => {
    for (const strategy of ['pct', 'random'] as const) {
      const audited = sampleAudit(selfDeadlockWorld(['deadlock']), { strategy, runs: 10 });
      expect(audited.verdict).toBe('violated');
      expect(audited.schedules).toBe(1);
      expect(audited.counterexample).toMatchObject({ invariant: 'deadlock' });
      expect(audited.counterexample!.message).toMatch(/^deadlock: no thread can run/);
      const unaudited = sampleAudit(selfDeadlockWorld([]), { strategy, runs: 10 });
      expect([unaudited.verdict, unaudited.schedules, unaudited.counterexample]).toEqual(['inconclusive', 10, null]);
    }
  });

  it('a use-after-free is a violation even where the world does not audit it: the machine checks it at every step, and so does the exhaustive search', () => {
    // a pre-ffa65753c431 waiter that sleeps with no reference after dropping the PTL (fidelity.spec)
    const noRefWaiter = resolveModel({
      scenario: 'seed',
      params: { ptes: 1, faults: 1 },
      variant: {
        base: 'wait-pre',
        patches: [
          { op: 'replace', path: 'handle_mm_fault', step: 'F3.get_page_unless_zero', steps: [{ label: 'F3.no_ref', op: 'mov', args: ['ok', 1] }] },
          { op: 'replace', path: 'handle_mm_fault', step: 'F4.put_and_wait', steps: [{ label: 'F4.wait_no_ref', op: 'waitq_add', args: ['page'] }] },
        ],
      },
    }).world;
    const world: World = { ...noRefWaiter, invariants: ['deadlock'] };
    expect(explore(world).counterexample?.invariant).toBe('use-after-free');
    const ref = reference(world, 'pct', 200, 1, 3);
    expect(ref.run?.violation?.invariant).toBe('use-after-free');
    const r = sampleAudit(world, { strategy: 'pct', runs: 200, seed: 1 });
    expect([r.verdict, r.schedules, r.counterexample?.invariant]).toEqual(['violated', ref.runs, 'use-after-free']);
    expect(r.counterexample?.message).toMatch(/freed page P/);
  });

  for (const [strategy, depth, variant, bug] of [
    ['pct', 3, 'unlock-before-remove', unlockFirst],
    ['pct', 2, 'unlock-before-remove', unlockFirst],
    ['random', 3, 'install-before-lock', installFirst],
  ] as const) {
    it(`${strategy} (depth ${depth}) on ${variant}: the first violating run, its counterexample, the runs and transitions`, () => {
      const ref = reference(bug, strategy, 400, 11, depth);
      expect(ref.run).not.toBeNull();
      const before = performance.now();
      const r = sampleAudit(bug, { strategy, runs: 400, seed: 11, depth });
      const took = performance.now() - before;
      expect(r.verdict).toBe('violated');
      expect(r.boundHit).toBeNull();
      expect([r.schedules, r.transitions, r.maxDepth, r.statesStored]).toEqual([ref.runs, ref.transitions, ref.run!.steps, 0]);
      expect(r.reductions).toEqual([]);
      expect(r.elapsedMs).toBeGreaterThanOrEqual(0);
      expect(r.elapsedMs).toBeLessThanOrEqual(Math.ceil(took));
      expect(r.counterexample).toEqual({
        schedule: ref.run!.schedule,
        length: ref.run!.steps,
        invariant: ref.run!.violation!.invariant,
        step: ref.run!.violation!.step,
        thread: ref.run!.violation!.thread,
        message: ref.run!.violation!.message,
      });
      const replay = new Runtime(bug).run({ scheduler: new ReplayScheduler(r.counterexample!.schedule), maxSteps: r.counterexample!.length });
      expect(replay.violation?.invariant).toBe(r.counterexample!.invariant);
      const perRun = strategy === 'pct' ? PctScheduler.probabilityBound(bug.threads.length, estimateSteps(bug, 1_000_000), depth) : null;
      expect(r.pctBound).toBe(perRun);
      expect(r.sampling).toEqual({ runs: ref.runs, depth, perRun, foundProbability: perRun === null ? null : foundProbability(perRun, ref.runs) });
    });
  }

  it('no violation: inconclusive after every run, with their transitions; PCT of depth 3 by default', () => {
    const ref = reference(kernel, 'pct', 70, 5, 3);
    expect(ref.run).toBeNull();
    const before = performance.now();
    const r = sampleAudit(kernel, { strategy: 'pct', runs: 70, seed: 5 });
    const took = performance.now() - before;
    expect([r.verdict, r.boundHit, r.schedules, r.transitions, r.maxDepth, r.counterexample]).toEqual(['inconclusive', null, 70, ref.transitions, 0, null]);
    expect(r.reductions).toEqual([]);
    expect(r.elapsedMs).toBeLessThanOrEqual(Math.ceil(took));
    const perRun = PctScheduler.probabilityBound(kernel.threads.length, estimateSteps(kernel, 1_000_000), 3);
    expect(r.sampling).toEqual({ runs: 70, depth: 3, perRun, foundProbability: foundProbability(perRun, 70) });
    // the seed counts from 0 when none is given
    expect(sampleAudit(kernel, { strategy: 'random', runs: 30 }).transitions).toBe(reference(kernel, 'random', 30, 0, 3).transitions);
  });

  it('the probability of having found a bug: 1 - (1 - p)^runs, and 0 before any run, even when a run is sure to find it', () => {
    expect(foundProbability(1, 0)).toBe(0);
    expect(foundProbability(0.5, 0)).toBe(0);
    expect(foundProbability(1, 1)).toBe(1);
    expect(foundProbability(0.5, 2)).toBe(0.75);
    expect(foundProbability(0, 1000)).toBe(0);
    // a tiny p keeps its precision (1 - (1 - p)^n would round to 0 here)
    expect(foundProbability(1e-18, 1000)).toBeCloseTo(1e-15, 25);
  });

  it('the bounds are polled every 64 runs: a cancellation, and the time bound', () => {
    let reads = 0;
    const later = {
      get cancelled() {
        return ++reads > 1;
      },
    };
    expect(sampleAudit(kernel, { strategy: 'random', runs: 100, cancel: later })).toMatchObject({
      verdict: 'inconclusive',
      boundHit: 'cancelled',
      schedules: 64,
    });
    expect(reads).toBe(2);
    expect(sampleAudit(kernel, { strategy: 'random', runs: 100, cancel: { cancelled: true } })).toMatchObject({ boundHit: 'cancelled', schedules: 0 });
    expect(sampleAudit(kernel, { strategy: 'random', runs: 100, maxSeconds: -1 })).toMatchObject({ verdict: 'inconclusive', boundHit: 'time', schedules: 0 });
    expect(sampleAudit(kernel, { strategy: 'random', runs: 100, maxSeconds: 60 })).toMatchObject({ verdict: 'inconclusive', boundHit: null, schedules: 100 });
    expect(sampleAudit(kernel, { strategy: 'random', runs: 100 })).toMatchObject({ boundHit: null, schedules: 100 });
  });

  it('the probability that the runs find a bug: 1 - (1 - p)^runs, exact at the edges', () => {
    expect(foundProbability(0.5, 2)).toBe(0.75);
    expect(foundProbability(0.1, 0)).toBe(0);
    expect(foundProbability(1, 3)).toBe(1);
    expect(foundProbability(1.5, 3)).toBe(1);
    expect(foundProbability(1e-12, 1_000)).toBeCloseTo(1e-9, 17);
  });
});
