import { availableParallelism } from 'node:os';
import { describe, expect, it } from 'vitest';
import { resolveModel, USER_INVARIANT_BACKING } from '@mmreplay/model';
import {
  approximateOptions,
  auditResultOf,
  auditSummary,
  comparisonConclusion,
  formatProbability,
  formatUpperProbability,
  reductionsOff,
  requestBounds,
  requestWorkers,
  runAudit,
  runAuditAsync,
  stoppedExploration,
  type AuditResult,
} from './audit.js';
import { DEFAULT_BOUNDS } from './explorer.js';
import { modelBoundWords, type ModelBoundMet } from '@mmreplay/engine';
import type { SpillPort } from './frontier.js';

// What an audit says in words and figures, branch by branch, on results built by hand (issue 20:
// mutation testing found these lines reached by no explorer spec, or reached with loose regexes).
// The texts are what the CLI prints and the API returns as `summary`.

const base: Omit<AuditResult, 'summary'> = {
  verdict: 'holds',
  boundHit: null,
  statesStored: 12_345,
  transitions: 50_000,
  schedules: 7,
  maxDepth: 40,
  elapsedMs: 10,
  reductions: ['symmetry', 'dead-registers', 'memo'],
  counterexample: null,
  scenario: 'seed',
  params: {},
  variant: 'kernel',
  modelHash: 'h',
  memoryModel: 'sc',
  invariants: ['bug-on', 'I3'],
  strategy: 'exhaustive',
  pctBound: null,
  reductionsOff: [],
  bounds: { maxStates: 5_000_000, maxDepth: 100_000, maxSeconds: 300, maxMemoryMB: 2_048 },
  sampling: null,
  violated: null,
};
const how = 'exhaustive search, 12,345 states, reductions: symmetry, dead-registers; bounds: 5,000,000 states, depth 100,000, 300 s, 2,048 MB';
const cx = { schedule: '0.1', length: 9, invariant: 'I3', step: 8, thread: 'f0', message: 'm' };

describe('an exhaustive audit in words', () => {
  it('holds, violated, approximate, inconclusive at each bound, on workers, with reductions off', () => {
    expect(auditSummary(base)).toBe(`holds: no reachable state violates bug-on, I3 under sc (${how})`);
    expect(auditSummary({ ...base, verdict: 'violated', counterexample: cx })).toBe(
      `violated: I3 breaks at step 8 of a shortest counterexample (9 steps); checked bug-on, I3 under sc (${how})`,
    );
    // found with partial order, then searched again without it for a shortest: says so
    expect(auditSummary({ ...base, verdict: 'violated', counterexample: cx, shortestWithout: ['partial-order'] })).toBe(
      `violated: I3 breaks at step 8 of a shortest counterexample (9 steps); checked bug-on, I3 under sc (${how.replace(
        'dead-registers;',
        'dead-registers (partial-order found the violation first; this search without it, its shortest counterexample);',
      )})`,
    );
    // found with partial order, and the search for a shortest stopped: not called a shortest
    expect(auditSummary({ ...base, verdict: 'violated', counterexample: { ...cx, notShortest: 'time' } })).toBe(
      `violated: I3 breaks at step 8 of a counterexample of 9 steps, found with partial-order reduction, which may lengthen it (the time bound stopped the search for a shortest); checked bug-on, I3 under sc (${how})`,
    );
    // a violated verdict without its counterexample is not described as one
    expect(auditSummary({ ...base, verdict: 'violated' })).toMatch(/^inconclusive: a bound stopped the search/);
    for (const [bound, words] of [
      ['states', 'the states bound'],
      ['depth', 'the depth bound'],
      ['time', 'the time bound'],
      ['memory', 'the memory bound'],
      ['cancelled', 'a cancellation'],
    ] as const) {
      expect(auditSummary({ ...base, verdict: 'inconclusive', boundHit: bound })).toBe(
        `inconclusive: ${words} stopped the search; no violation of bug-on, I3 under sc in the states explored (${how})`,
      );
    }
    expect(auditSummary({ ...base, verdict: 'inconclusive', boundHit: null })).toMatch(/^inconclusive: a bound stopped the search;/);
    expect(auditSummary({ ...base, workers: 2 })).toContain('(exhaustive search on 2 workers, 12,345 states');
    expect(auditSummary({ ...base, workers: 1 })).toContain('(exhaustive search, 12,345 states');
    expect(auditSummary({ ...base, reductions: [], reductionsOff: ['symmetry', 'partial-order'] })).toContain(
      'reductions: none; switched off: symmetry, partial-order; bounds:',
    );
    const bit = { method: 'bitstate' as const, log2Bits: 22, hashes: 3, signatureBits: null, hashFactor: 339.75, fill: 0.01, omissionProbability: 0.000123 };
    expect(auditSummary({ ...base, approximate: bit })).toBe(
      `holds (approximate): no state reached violates bug-on, I3 under sc; bitstate hashing (2^22 bits, 3 a state, hash factor 339.8): the probability that a reachable state was missed is at most 0.013% (${how})`,
    );
    const hc = { method: 'hashcompact' as const, log2Bits: 20, hashes: 1, signatureBits: 64, hashFactor: 84.94, fill: 0.5, omissionProbability: 2e-6 };
    expect(auditSummary({ ...base, approximate: hc })).toContain(
      'hash compaction (64-bit signatures, 16,384 slots, hash factor 84.9): the probability that a reachable state was missed is at most 0.0002%',
    );
    expect(auditSummary({ ...base, approximate: { ...hc, signatureBits: null } })).toContain('hash compaction (64-bit signatures');
    // an approximate search stopped by a bound is inconclusive, not an approximate hold
    expect(auditSummary({ ...base, verdict: 'inconclusive', boundHit: 'states', approximate: bit })).toMatch(
      /^inconclusive: the states bound stopped the search;/,
    );
    // an approximate search that found a violation says so as the exact one does
    expect(auditSummary({ ...base, verdict: 'violated', counterexample: cx, approximate: bit })).toMatch(/^violated: I3 breaks at step 8/);
  });
});

describe("an exhaustive audit in words, with the engine's own bounds met (lkmm)", () => {
  const lkmm = { ...base, memoryModel: 'lkmm' as const };
  const held: ModelBoundMet = { bound: 'stores', thread: 'P0', label: 'W1', kept: 2 };
  const ordering: ModelBoundMet = { bound: 'sc-step', thread: 'P1', label: 'R2', kept: 0 };
  const checked: ModelBoundMet = { bound: 'ctrl', thread: 'P1', label: 'W3', kept: 0, checkedBy: 'ctrl-twin' };
  const cut = (open: ModelBoundMet[]) =>
    `; but the engine held threads back at its own bounds on weak-memory state or its orderings beyond the model's, so executions beyond them were not searched: ${open.map(modelBoundWords).join('; ')} (docs/memory-model.md, "the engine's own bounds")`;
  const used = (c: ModelBoundMet[]) => `; the engine's orderings beyond the model's were used where checked: ${c.map(modelBoundWords).join('; ')}`;

  it("a holds past a bound or an unchecked ordering is the engine's, and says which", () => {
    expect(auditSummary({ ...lkmm, modelBounds: [held, ordering] })).toBe(
      `holds within the engine's bounds: no state reached violates bug-on, I3 under lkmm${cut([held, ordering])} (${how})`,
    );
  });

  it("an ordering a litmus twin checked is said, and leaves the holds the model's; beside an unchecked one, both are said", () => {
    expect(auditSummary({ ...lkmm, modelBounds: [checked] })).toBe(`holds: no reachable state violates bug-on, I3 under lkmm${used([checked])} (${how})`);
    expect(auditSummary({ ...lkmm, modelBounds: [held, checked] })).toBe(
      `holds within the engine's bounds: no state reached violates bug-on, I3 under lkmm${cut([held])}${used([checked])} (${how})`,
    );
    // two checked orderings, each said, apart by '; '
    const checked2: ModelBoundMet = { bound: 'sc-step', thread: 'P0', label: 'R1', kept: 0, checkedBy: 'sb-twin' };
    expect(auditSummary({ ...lkmm, modelBounds: [checked, checked2] })).toBe(
      `holds: no reachable state violates bug-on, I3 under lkmm; the engine's orderings beyond the model's were used where checked: ${modelBoundWords(checked)}; ${modelBoundWords(checked2)} (${how})`,
    );
    // none met, or an empty list: the plain holds
    expect(auditSummary({ ...lkmm, modelBounds: [] })).toBe(`holds: no reachable state violates bug-on, I3 under lkmm (${how})`);
  });

  it('an inconclusive search or a violation says the bounds met too, a violation none (it is an execution of the model)', () => {
    expect(auditSummary({ ...lkmm, verdict: 'inconclusive', boundHit: 'time', modelBounds: [held, checked] })).toBe(
      `inconclusive: the time bound stopped the search; no violation of bug-on, I3 under lkmm in the states explored${cut([held])}${used([checked])} (${how})`,
    );
    expect(auditSummary({ ...lkmm, verdict: 'violated', counterexample: cx, modelBounds: [held] })).toBe(
      `violated: I3 breaks at step 8 of a shortest counterexample (9 steps); checked bug-on, I3 under lkmm (${how})`,
    );
  });
});

describe('a sampled audit in words', () => {
  const pct: Omit<AuditResult, 'summary'> = {
    ...base,
    strategy: 'pct',
    verdict: 'inconclusive',
    reductions: [],
    schedules: 1_500,
    bounds: { runs: 1_500, seed: 7, depth: 3, maxSteps: 1_000_000, maxSeconds: 300 },
    sampling: { runs: 1_500, depth: 3, perRun: 1 / 2_400.5, foundProbability: 0.4655 },
  };
  const pctHow = 'PCT sampling, seeds 7..1,506; bounds: 1,500 runs, 1,000,000 steps a run, 300 s; no reductions';

  it('PCT: the guarantee, the seeds, a stop', () => {
    expect(auditSummary(pct)).toBe(
      `inconclusive: no violation of bug-on, I3 under sc in 1,500 PCT runs; a bug of depth ≤ 3 would have been found with probability ≥ 46.55% (≥ 1/2,401 per run) (${pctHow})`,
    );
    expect(auditSummary({ ...pct, boundHit: 'time', sampling: { ...pct.sampling!, runs: 64 } })).toBe(
      'inconclusive: no violation of bug-on, I3 under sc in 64 PCT runs (stopped early by the time bound); a bug of depth ≤ 3 would have been found with probability ≥ 46.55% (≥ 1/2,401 per run) (PCT sampling, seeds 7..70; bounds: 1,500 runs, 1,000,000 steps a run, 300 s; no reductions)',
    );
    expect(auditSummary({ ...pct, boundHit: 'depth' })).toContain('(stopped early by the depth bound)');
    expect(auditSummary({ ...pct, verdict: 'violated', counterexample: cx, sampling: { ...pct.sampling!, runs: 12 } })).toBe(
      'violated: I3 breaks at step 8 of run 12 (PCT); checked bug-on, I3 under sc (PCT sampling, seeds 7..18; bounds: 1,500 runs, 1,000,000 steps a run, 300 s; no reductions)',
    );
    // no sampling scope: the runs are the schedules, and no guarantee is claimed
    expect(auditSummary({ ...pct, sampling: null, schedules: 3 })).toBe(
      'inconclusive: no violation of bug-on, I3 under sc in 3 PCT runs (PCT sampling, seeds 7..9; bounds: 1,500 runs, 1,000,000 steps a run, 300 s; no reductions)',
    );
    expect(auditSummary({ ...pct, sampling: { ...pct.sampling!, perRun: null } })).not.toContain('would have been found');
    expect(auditSummary({ ...pct, sampling: { ...pct.sampling!, foundProbability: null } })).not.toContain('would have been found');
    // zero runs: the seed range does not run backwards
    expect(auditSummary({ ...pct, sampling: { ...pct.sampling!, runs: 0 } })).toContain('in 0 PCT runs');
    expect(auditSummary({ ...pct, sampling: { ...pct.sampling!, runs: 0 } })).toContain('seeds 7..7;');
  });

  it('random: no probability bound, and says why', () => {
    const random = { ...pct, strategy: 'random' as const, sampling: { runs: 50, depth: 3, perRun: null, foundProbability: null } };
    expect(auditSummary(random)).toBe(
      'inconclusive: no violation of bug-on, I3 under sc in 50 random runs; random schedules give no probability bound (use --strategy pct for one, or exhaustive for a proof) (random sampling, seeds 7..56; bounds: 1,500 runs, 1,000,000 steps a run, 300 s; no reductions)',
    );
  });
});

describe('a comparison in words', () => {
  const side = (verdict: 'holds' | 'violated' | 'inconclusive', boundHit: AuditResult['boundHit'] = null, variant = 'v') => ({ variant, verdict, boundHit });
  it('each pair of verdicts', () => {
    expect(comparisonConclusion(side('violated', null, 'old'), side('holds', null, 'new'))).toBe(
      'the baseline (old) is violated and the fix (new) holds: the fix removes the violation',
    );
    expect(comparisonConclusion(side('violated', null, 'old'), side('holds', 'states', 'new'))).toBe(
      'the baseline (old) is violated and the fix (new) holds within the bound (states): the fix removes the violation',
    );
    expect(comparisonConclusion(side('violated'), side('violated', null, 'new'))).toBe('both are violated: the fix (new) does not remove the violation');
    expect(comparisonConclusion(side('holds'), side('holds'))).toBe('both hold: the baseline shows no violation to fix');
    expect(comparisonConclusion(side('holds'), side('holds', 'depth'))).toBe('both hold within the bound (depth): the baseline shows no violation to fix');
    expect(comparisonConclusion(side('holds'), side('violated', null, 'new'))).toBe(
      'the fix (new) is violated while the baseline is holds: the fix introduces a violation',
    );
    expect(comparisonConclusion(side('inconclusive'), side('violated', null, 'new'))).toBe(
      'the fix (new) is violated while the baseline is inconclusive: the fix introduces a violation',
    );
    expect(comparisonConclusion(side('violated'), side('inconclusive'))).toBe('inconclusive: baseline violated, fix inconclusive');
    expect(comparisonConclusion(side('inconclusive'), side('holds'))).toBe('inconclusive: baseline inconclusive, fix holds');
    expect(comparisonConclusion(side('holds'), side('inconclusive'))).toBe('inconclusive: baseline holds, fix inconclusive');
  });
});

describe('probabilities as a reader quotes them', () => {
  it('a lower bound is rounded down, at every scale', () => {
    const shown: [number, string][] = [
      [1, '100%'],
      [1.5, '100%'],
      [0.99999996, '99.99999%'],
      [0.9999, '99.99%'],
      [0.99995, '99.99%'],
      [0.999999999999999, '99.9999999999%'],
      [0.5, '50.00%'],
      [0.123456, '12.34%'],
      [0.01, '1.00%'],
      [0.00999, '0.99%'],
      [0.0012345, '0.12%'],
      [0.000012345, '0.0012%'],
      [0, '0%'],
      [-0.1, '0%'],
    ];
    for (const [p, text] of shown) expect([p, formatProbability(p)]).toEqual([p, text]);
  });

  it('an upper bound is rounded up, never to less than it is', () => {
    const shown: [number, string][] = [
      [1, '100%'],
      [2, '100%'],
      [0.999, '100%'],
      [0.994, '100%'],
      [0.5, '50%'],
      [0.123, '13%'],
      [0.12, '12%'],
      [0.01, '1%'],
      [0.0101, '1.1%'],
      [0.000123, '0.013%'],
      [0, '0%'],
      [-1, '0%'],
    ];
    for (const [p, text] of shown) expect([p, formatUpperProbability(p)]).toEqual([p, text]);
  });
});

describe("a request's settings", () => {
  it('approximate: off, the default table, a method by name, options as given', () => {
    expect(approximateOptions({})).toBeNull();
    expect(approximateOptions({ approximate: false })).toBeNull();
    expect(approximateOptions({ approximate: true })).toEqual({});
    expect(approximateOptions({ approximate: 'hashcompact' })).toEqual({ method: 'hashcompact' });
    const given = { method: 'bitstate' as const, log2Bits: 20 };
    expect(approximateOptions({ approximate: given })).toBe(given);
  });

  it('the reductions switched off, in one order, and only those set false', () => {
    expect(reductionsOff(undefined)).toEqual([]);
    expect(reductionsOff({})).toEqual([]);
    expect(reductionsOff({ symmetry: true, partialOrder: true, deadRegisters: true })).toEqual([]);
    expect(reductionsOff({ deadRegisters: false })).toEqual(['dead-registers']);
    expect(reductionsOff({ symmetry: false })).toEqual(['symmetry']);
    expect(reductionsOff({ deadRegisters: false, symmetry: false, partialOrder: false })).toEqual(['symmetry', 'partial-order', 'dead-registers']);
  });

  it('the bounds in force: a search has no runs or seed, sampling has no state bound', () => {
    expect(requestBounds({ scenario: 'seed', strategy: 'exhaustive' })).toEqual(DEFAULT_BOUNDS);
    expect(requestBounds({ scenario: 'seed', strategy: 'exhaustive', bounds: { maxStates: 9, runs: 5, seed: 3 } })).toEqual({
      ...DEFAULT_BOUNDS,
      maxStates: 9,
    });
    expect(requestBounds({ scenario: 'seed', strategy: 'pct' })).toEqual({ runs: 10_000, seed: 0, depth: 3, maxSteps: 1_000_000, maxSeconds: 300 });
    expect(requestBounds({ scenario: 'seed', strategy: 'random', bounds: { runs: 5, seed: 3, maxSeconds: 2, maxStates: 9 } })).toEqual({
      runs: 5,
      seed: 3,
      maxSteps: 1_000_000,
      maxSeconds: 2,
    });
  });

  it('workers: as asked, whole, at least one; every core by default', () => {
    expect(requestWorkers({ scenario: 'seed', strategy: 'exhaustive', workers: 3 })).toBe(3);
    expect(requestWorkers({ scenario: 'seed', strategy: 'exhaustive', workers: 2.9 })).toBe(2);
    expect(requestWorkers({ scenario: 'seed', strategy: 'exhaustive', workers: 0 })).toBe(1);
    expect(requestWorkers({ scenario: 'seed', strategy: 'exhaustive', workers: -4 })).toBe(1);
    expect(requestWorkers({ scenario: 'seed', strategy: 'exhaustive' })).toBe(Math.max(1, availableParallelism()));
  });
});

describe('an audit that stopped without a result of its own', () => {
  it('is inconclusive at the bound, with the counts of its last progress, or zeros', () => {
    expect(stoppedExploration(null, 'memory')).toEqual({
      verdict: 'inconclusive',
      boundHit: 'memory',
      statesStored: 0,
      transitions: 0,
      schedules: 0,
      maxDepth: 0,
      elapsedMs: 0,
      reductions: [],
      counterexample: null,
      pctBound: null,
      sampling: null,
    });
    expect(stoppedExploration({ states: 5, transitions: 6, depth: 7, elapsedMs: 8 }, 'cancelled')).toMatchObject({
      boundHit: 'cancelled',
      statesStored: 5,
      transitions: 6,
      maxDepth: 7,
      elapsedMs: 8,
      schedules: 0,
    });
  });

  it('as an audit result: the request, the model, the bounds given, and no workers or table it did not use', () => {
    const req = { scenario: 'seed', params: { ptes: 2, faults: 2 }, strategy: 'exhaustive' as const };
    const model = resolveModel(req);
    const r = auditResultOf(req, model, stoppedExploration(null, 'memory'), { ...requestBounds(req), maxMemoryMB: 64 });
    expect(r).toMatchObject({
      scenario: 'seed',
      variant: model.variant,
      modelHash: model.modelHash,
      memoryModel: 'sc',
      strategy: 'exhaustive',
      violated: null,
    });
    expect(r.bounds.maxMemoryMB).toBe(64);
    expect(r.summary).toMatch(/^inconclusive: the memory bound stopped the search; .*, 64 MB\)$/);
    expect('workers' in r && r.workers).toBeFalsy();
    expect(r.approximate).toBeUndefined();
    const two = auditResultOf(req, model, { ...stoppedExploration(null, 'time'), workers: 2 });
    expect(two.workers).toBe(2);
    expect(two.bounds).toEqual(DEFAULT_BOUNDS);
    expect(auditResultOf(req, model, { ...stoppedExploration(null, 'time'), workers: 1 }).workers).toBeUndefined();
  });

  it("names the class of the invariant broken: a built-in one's, or `user` for the document's own", () => {
    const req = { scenario: 'seed', params: { ptes: 2, faults: 2 }, strategy: 'exhaustive' as const };
    const model = resolveModel(req);
    const broken = (invariant: string) =>
      auditResultOf(req, model, { ...stoppedExploration(null, 'time'), verdict: 'violated', counterexample: { ...cx, invariant } });
    expect(broken('bug-on').violated).toMatchObject({ invariant: 'bug-on', class: 'kernel-assertion' });
    expect(broken('I3').violated).toMatchObject({ invariant: 'I3', class: 'protocol' });
    expect(broken('no-such-invariant').violated).toEqual({ invariant: 'no-such-invariant', class: 'user', backing: USER_INVARIANT_BACKING });
  });
});

describe('runAudit and runAuditAsync paths', () => {
  const small = { scenario: 'seed', params: { ptes: 2, faults: 2 } } as const;

  it('an approximate audit with a spill port spills its levels there, and finds what the exact one does', () => {
    const blocks: Uint32Array[] = [];
    const levels = new Map<number, Uint32Array[]>();
    const port: SpillPort = {
      append: (level, block) => {
        blocks.push(block.slice());
        levels.set(level, [...(levels.get(level) ?? []), block.slice()]);
      },
      read: (level, into) => {
        const b = levels.get(level)?.shift();
        if (!b) return 0;
        into.set(b);
        return b.length;
      },
      drop: (level) => levels.delete(level),
      close: () => levels.clear(),
    };
    const off = { symmetry: false, partialOrder: false, deadRegisters: false };
    const exact = runAudit({ ...small, strategy: 'exhaustive', reductions: off });
    const spilled = runAudit({ ...small, strategy: 'exhaustive', reductions: off, approximate: true, frontierInMemory: 2 }, { spill: port });
    expect(blocks.length).toBeGreaterThan(0);
    expect(spilled.approximate?.method).toBe('bitstate');
    expect([spilled.verdict, spilled.statesStored, spilled.transitions]).toEqual([exact.verdict, exact.statesStored, exact.transitions]);
    // without a port, nothing is spilled
    const unspilled = runAudit({ ...small, strategy: 'exhaustive', reductions: off, approximate: 'hashcompact', frontierInMemory: 2 });
    expect(unspilled.statesStored).toBe(exact.statesStored);
    expect(unspilled.approximate?.method).toBe('hashcompact');
  });

  it('sampling stops at a cancellation, and says so', () => {
    const r = runAudit({ scenario: 'seed', strategy: 'random', bounds: { runs: 1_000 } }, { cancel: { cancelled: true } });
    expect([r.verdict, r.boundHit, r.schedules]).toEqual(['inconclusive', 'cancelled', 0]);
    expect(r.summary).toContain('in 0 random runs (stopped early by a cancellation)');
  });

  it('runAuditAsync on one thread is runAudit: sampling, approximate, or one worker', async () => {
    const strip = (r: AuditResult) => ({ ...r, elapsedMs: 0, summary: r.summary.replace(/\d+ ms/g, '') });
    for (const req of [
      { ...small, strategy: 'pct' as const, bounds: { runs: 20 } },
      { ...small, strategy: 'exhaustive' as const, approximate: true },
      { ...small, strategy: 'exhaustive' as const, workers: 1 },
    ]) {
      expect(strip(await runAuditAsync(req))).toEqual(strip(runAudit(req)));
    }
  });
});
