import { describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import { explore } from './explorer.js';
import { exploreBitstate } from './bitstate.js';
import { formatUpperProbability, runAudit } from './audit.js';

const seed = (n: number, variant?: string) => resolveModel({ scenario: 'seed', params: { ptes: n, faults: n }, variant }).world;

describe('approximate audits: bitstate hashing (issue 15)', () => {
  it('with a roomy table, every state of seed 3x3 is found, and the verdict says it is approximate, with the chance of a miss', () => {
    const exact = explore(seed(3), { partialOrder: false });
    const approx = exploreBitstate(seed(3), { bitstate: { log2Bits: 24 } });
    expect(approx.verdict).toBe('holds');
    expect(approx.statesStored).toBe(exact.statesStored);
    expect(approx.transitions).toBe(exact.transitions);
    expect(approx.approximate.hashFactor).toBeCloseTo(2 ** 24 / exact.statesStored, 6);
    expect(approx.approximate.omissionProbability).toBeGreaterThan(0);
    expect(approx.approximate.omissionProbability).toBeLessThan(1e-3);
    const audit = runAudit({ scenario: 'seed', params: { ptes: 3, faults: 3 }, strategy: 'exhaustive', approximate: { log2Bits: 24 } });
    expect(audit.verdict).toBe('holds');
    expect(audit.summary).toMatch(
      /^holds \(approximate\): no state reached violates .*bitstate hashing \(2\^24 bits, 3 a state, hash factor [\d.]+\): the probability that a reachable state was missed is at most [\d.e-]+%/,
    );
    expect(audit.approximate?.omissionProbability).toBe(approx.approximate.omissionProbability);
  });

  it('a table too small misses states, and says so: a high probability of a miss', () => {
    const exact = explore(seed(3), { partialOrder: false });
    const approx = exploreBitstate(seed(3), { bitstate: { log2Bits: 12 } });
    expect(approx.statesStored).toBeLessThan(exact.statesStored);
    expect(approx.approximate.omissionProbability).toBeGreaterThan(0.5);
    expect(approx.approximate.fill).toBeGreaterThan(0.5);
  });

  it('a violation found approximately is a real one: a shortest counterexample that replays', () => {
    const world = seed(3, 'unlock-before-remove');
    const r = exploreBitstate(world, { bitstate: { log2Bits: 20 } });
    expect(r.verdict).toBe('violated');
    expect(r.counterexample!.length).toBe(explore(world).counterexample!.length);
    const run = new Runtime(world).run({ scheduler: new ReplayScheduler(r.counterexample!.schedule), maxSteps: r.counterexample!.length });
    expect(run.violation?.invariant).toBe('bug-on');
  });

  it('its memory bound counts the bit table: too small a bound ends inconclusive with bound memory', () => {
    const r = exploreBitstate(seed(3), { bitstate: { log2Bits: 26 }, bounds: { maxMemoryMB: 4 } });
    expect(r).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory' });
  });

  it('the probability of a miss is rounded up, never down', () => {
    expect(formatUpperProbability(0.000123)).toBe('0.013%');
    expect(formatUpperProbability(0.0001201)).toBe('0.013%');
    expect(formatUpperProbability(0.00012)).toBe('0.012%');
    expect(formatUpperProbability(0.5)).toBe('50%');
    expect(formatUpperProbability(0.9991)).toBe('100%');
    expect(formatUpperProbability(0)).toBe('0%');
  });
});
