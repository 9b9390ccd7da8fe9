// Issue 11 items 4-6 through the command line: bad invariants and switches exit 2 naming the valid
// ones, an audit says what it checked, each reduction can be switched off, and every outcome has
// its own exit code (README "Exit codes").
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './test-cli.js';

const SMALL = ['--param', 'ptes=2', '--param', 'faults=2'];

// Audits record themselves on the configured store: an in-memory one here (one per command, nothing
// kept), never ./data in the working directory. Set before the suites below save it.
process.env.MMREPLAY_STORE ??= 'memory:';

describe('audit: bad invariants, switches and options exit 2 naming the valid ones', () => {
  it.each([
    [
      ['--variant', 'unlock-before-remove', '--invariant', 'bugon'],
      /invariants\[0\]: unknown invariant 'bugon'; did you mean 'bug-on'\? \(invariants that apply to scenario 'seed': bug-on, I1, I2, I3, I6, I7, I9, .*deadlock\)/,
    ],
    [['--invariant', 'weak-outcome'], /invariant 'weak-outcome' does not apply to scenario 'seed': .*\(invariants that apply to it: bug-on, /],
    [['--switch', 'WAITT=pre'], /switches\.WAITT: scenario 'seed' has no switch 'WAITT'; did you mean 'WAIT'\? \(it has WAIT, MIG, MUTANT, WALK, MEM\)/],
    [['--switch', 'WAIT=sometimes'], /switches\.WAIT: 'sometimes' is not a value of WAIT: must be one of post, pre/],
    [['--no-symetry'], /unknown option '--no-symetry' for audit; did you mean '--no-symmetry'\?/],
  ])('audit seed %j', async (argv, message) => {
    const r = await cli('audit', 'seed', ...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
  });

  it('whether an invariant applies follows from what the model runs: weak-outcome on a litmus test, not the BUG_ON', async () => {
    expect((await cli('audit', 'litmus-mp', '--invariant', 'weak-outcome', '--json')).code).toBe(0);
    const r = await cli('audit', 'litmus-mp', '--invariant', 'bug-on');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(
      /invariant 'bug-on' does not apply to scenario 'litmus-mp': checked only by check_locked, check_locked_loaded, unlock_page, which no thread of this model runs/,
    );
  });
});

describe('audit: what it checked', () => {
  it('text: invariants, memory model, reductions, bounds, what was explored', async () => {
    const r = await cli('audit', 'seed', ...SMALL, '--no-partial-order');
    expect(r.out).toMatch(/^seed \(kernel\) exhaustive: holds\n/);
    expect(r.out).toMatch(/^ {2}checked {5}bug-on, I3, I9, use-after-free, deadlock$/m);
    expect(r.out).toMatch(/^ {2}memory {6}sc$/m);
    expect(r.out).toMatch(/^ {2}reductions {2}symmetry, dead-registers \(switched off: partial-order\)$/m);
    expect(r.out).toMatch(/^ {2}bounds {6}5,000,000 states, depth 100,000, 300 s, [\d,]+ MB$/m);
    expect(r.out).toMatch(/^ {2}explored {4}[\d,]+ states, [\d,]+ transitions, depth \d+, [\d,]+ ms$/m);
  });

  it('PCT: the runs and the probability bound in words', async () => {
    const r = await cli('audit', 'seed', '--strategy', 'pct', '--runs', '1000');
    expect(r.code).toBe(125);
    expect(r.out).toMatch(/^ {2}no violation in 1,000 PCT runs; a bug of depth <= 3 would have been found with probability >= \d+(\.\d+)?%$/m);
    expect(r.out).toMatch(/^ {2}bounds {6}1,000 runs from seed 0, PCT depth 3, 1,000,000 steps a run, 300 s$/m);
    const json = JSON.parse((await cli('audit', 'seed', '--strategy', 'pct', '--runs', '1000', '--json')).out);
    expect(json.sampling).toMatchObject({ runs: 1000, depth: 3, perRun: expect.any(Number), foundProbability: expect.any(Number) });
    expect(json.summary).toMatch(/in 1,000 PCT runs; a bug of depth ≤ 3 would have been found with probability ≥ /);
  });

  it('--no-reductions and each --no-<reduction>: the same verdict, the switched-off reductions named', async () => {
    const verdicts = new Set<string>();
    for (const flags of [[], ['--no-symmetry'], ['--no-partial-order'], ['--no-dead-registers'], ['--no-reductions']]) {
      const r = JSON.parse((await cli('audit', 'seed', ...SMALL, '--variant', 'unlock-before-remove', ...flags, '--json')).out);
      verdicts.add(`${r.verdict} ${r.counterexample.invariant}`);
      const off = flags[0] === '--no-reductions' ? ['symmetry', 'partial-order', 'dead-registers'] : flags.map((f) => f.slice(5));
      expect(r.reductionsOff).toEqual(off);
      for (const name of off) expect(r.reductions).not.toContain(name);
    }
    expect([...verdicts]).toEqual(['violated bug-on']);
  });
});

describe('exit codes', () => {
  let dir: string;
  const saved = process.env.MMREPLAY_STORE;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-exit-'));
    process.env.MMREPLAY_STORE = `sqlite:${join(dir, 'mmreplay.db')}`;
  });
  afterAll(() => {
    process.env.MMREPLAY_STORE = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('audit: 0 holds, 1 violated, 125 inconclusive, 2 bad input, 3 unavailable', async () => {
    expect((await cli('audit', 'seed', ...SMALL)).code).toBe(0);
    expect((await cli('audit', 'seed', ...SMALL, '--variant', 'unlock-before-remove')).code).toBe(1);
    expect((await cli('audit', 'seed', ...SMALL, '--max-states', '10')).code).toBe(125);
    expect((await cli('audit', 'seed', '--strategy', 'random', '--runs', '10')).code).toBe(125);
    expect((await cli('audit', 'seed', '--invariant', 'bugon')).code).toBe(2);
    expect((await cli('--api', 'http://127.0.0.1:9', 'audit', 'seed')).code).toBe(3);
  });

  it('run: 0 finished, 1 hit a violation, 125 stopped at --max-steps, 3 store unavailable', async () => {
    const audit = JSON.parse((await cli('audit', 'seed', '--variant', 'unlock-before-remove', '--json')).out);
    expect((await cli('run', 'seed')).code).toBe(0);
    const bug = await cli('run', 'seed', '--variant', 'unlock-before-remove', '--schedule', audit.counterexample.schedule);
    expect(bug.code).toBe(1);
    expect(bug.out).toMatch(/violation after \d+ steps/);
    expect((await cli('run', 'seed', '--max-steps', '3')).code).toBe(125);
    process.env.MMREPLAY_STORE = 'esdb://127.0.0.1:9?tls=false';
    try {
      expect((await cli('run', 'seed')).code).toBe(3);
    } finally {
      process.env.MMREPLAY_STORE = `sqlite:${join(dir, 'mmreplay.db')}`;
    }
  });
});
