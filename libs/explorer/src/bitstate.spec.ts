import { describe, expect, it, vi } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import { explore } from './explorer.js';
import { defaultLog2Bits, exploreBitstate, SignatureTable } from './bitstate.js';
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

  it('the default table takes at most a quarter of the memory bound (2^30 bits from 512 MB up), so a bound below 128 MB still searches', () => {
    expect([16, 64, 100, 150, 511, 512, 716, 4_096].map(defaultLog2Bits)).toEqual([25, 27, 27, 28, 29, 30, 30, 30]);
    for (const mb of [1, 16, 100, 150, 600]) expect(2 ** defaultLog2Bits(mb) / 8, `${mb} MB`).toBeLessThanOrEqual(Math.max(128, (mb * 2 ** 20) / 4));
    // a 128 MB table would not fit 100 MB: the search stopped at its first state. The heap the
    // worker held before the search (other spec files' modules and garbage: the project's files
    // share a module graph) is not the search's, and is left out: on a loaded CI run it was over
    // 84 MB by itself, and the search stopped at its first state with the 16 MB table too.
    const real = process.memoryUsage.bind(process);
    const before = real().heapUsed;
    const heap = vi.spyOn(process, 'memoryUsage').mockImplementation(() => {
      const now = real();
      return { ...now, heapUsed: Math.max(0, now.heapUsed - before) };
    });
    try {
      const r = exploreBitstate(seed(3), { bounds: { maxMemoryMB: 100 } });
      expect(r.approximate.log2Bits).toBe(27);
      expect(r).toMatchObject({ verdict: 'holds', boundHit: null, statesStored: explore(seed(3)).statesStored });
      expect(exploreBitstate(seed(3), { bitstate: { log2Bits: 30 }, bounds: { maxMemoryMB: 100 } })).toMatchObject({
        verdict: 'inconclusive',
        boundHit: 'memory',
        statesStored: 1,
      });
    } finally {
      heap.mockRestore();
    }
  });

  it('a state bound equal to the reachable states ends holds, as the exact search does; one fewer ends inconclusive at bound states', () => {
    for (const method of ['bitstate', 'hashcompact'] as const) {
      const all = exploreBitstate(seed(3), { bitstate: { method, log2Bits: 24 } });
      expect(all.verdict, method).toBe('holds');
      const n = all.statesStored;
      expect(explore(seed(3), { partialOrder: false, bounds: { maxStates: n } }).verdict).toBe('holds');
      expect(exploreBitstate(seed(3), { bitstate: { method, log2Bits: 24 }, bounds: { maxStates: n } }), method).toMatchObject({
        verdict: 'holds',
        statesStored: n,
        boundHit: null,
      });
      expect(exploreBitstate(seed(3), { bitstate: { method, log2Bits: 24 }, bounds: { maxStates: n - 1 } }), method).toMatchObject({
        verdict: 'inconclusive',
        boundHit: 'states',
        statesStored: n - 1,
      });
    }
  });

  it('hash compaction (SPIN -DHC): every state of seed 3x3 by its 64-bit signature, the chance of a miss from the signature space', () => {
    const exact = explore(seed(3), { partialOrder: false });
    const hc = exploreBitstate(seed(3), { bitstate: { method: 'hashcompact' } });
    expect(hc.verdict).toBe('holds');
    expect(hc.statesStored).toBe(exact.statesStored);
    expect(hc.transitions).toBe(exact.transitions);
    expect(hc.reductions).toContain('hashcompact');
    const n = exact.statesStored;
    expect(hc.approximate).toMatchObject({ method: 'hashcompact', hashes: 1, signatureBits: 64 });
    // the sum over the stored states of (states stored with it) / 2^64, rounding up: n(n+1)/2^65
    expect(hc.approximate.omissionProbability / ((n * (n + 1)) / 2 ** 65)).toBeCloseTo(1, 9);
    // the table is at most half full, 64 bits a slot
    expect(hc.approximate.fill).toBeLessThanOrEqual(0.5);
    expect(hc.approximate.hashFactor).toBeGreaterThanOrEqual(128);
    const audit = runAudit({ scenario: 'seed', params: { ptes: 3, faults: 3 }, strategy: 'exhaustive', approximate: { method: 'hashcompact' } });
    expect(audit.summary).toMatch(
      /^holds \(approximate\): no state reached violates .*hash compaction \(64-bit signatures, [\d,]+ slots, hash factor [\d.]+\): the probability that a reachable state was missed is at most [\d.e-]+%/,
    );
  });

  it('hash compaction finds the same shortest counterexample, and its memory bound counts the growing table', () => {
    const world = seed(3, 'unlock-before-remove');
    const r = exploreBitstate(world, { bitstate: { method: 'hashcompact' } });
    expect(r.verdict).toBe('violated');
    expect(r.counterexample).toEqual(explore(world, { partialOrder: false }).counterexample);
    const bounded = exploreBitstate(seed(4), { bitstate: { method: 'hashcompact' }, deadRegisters: false, symmetry: false, bounds: { maxMemoryMB: 1 } });
    expect(bounded).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory' });
  });

  it('hash compaction doubles its table only when the memory bound leaves room for the new one', () => {
    // room for 1 MB more: the table (512 KB at first) may not double; it fills past half and says it is full
    let asked = 0;
    const table = new SignatureTable(2, (extra) => ((asked = extra), extra <= 2 ** 20 - 2 ** 19));
    const s = new Int32Array(2);
    let fresh = 0;
    for (let i = 0; i < 40_000 && !table.full; i++) {
      s[0] = i;
      s[1] = i * 7;
      fresh += table.visit(s) ? 1 : 0;
      fresh -= table.visit(s) ? 1 : 0; // a state seen again is not new
    }
    expect(table.full).toBe(true);
    expect(asked).toBe(2 ** 20);
    expect(table.bytes).toBe(2 ** 19);
    expect(fresh).toBe(32_769);
    // with room, it grows
    const roomy = new SignatureTable(2);
    for (let i = 0; i < 40_000; i++) roomy.visit(Int32Array.of(i, i * 7));
    expect(roomy.full).toBe(false);
    expect(roomy.bytes).toBe(2 ** 20);
    expect(roomy.fill).toBeLessThanOrEqual(0.5);
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
