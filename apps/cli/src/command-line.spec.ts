// Issue 14 (the command line a kernel developer expects), items 1-3: per-command help, --version,
// did-you-mean for commands, options and names, negative numbers, `compare`, and text output that
// says what --json says. Each of these failed on the main branch before this change.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './test-cli.js';

// Audits record themselves on the configured store: an in-memory one here (one per command, nothing
// kept), never ./data in the working directory. Set before the suites below save it.
process.env.MMREPLAY_STORE ??= 'memory:';

describe('help, version and suggestions (item 1)', () => {
  it.each(['scenarios', 'run', 'audit', 'compare', 'runs', 'events', 'state', 'history', 'first', 'diff', 'trace', 'export', 'import', 'link', 'admin'])(
    '%s --help and help %s: that command, every option, exit 0',
    async (name) => {
      const a = await cli(name, '--help');
      const b = await cli('help', name);
      expect(a).toEqual(b);
      expect(a.code).toBe(0);
      expect(a.out).toMatch(new RegExp(`^usage:\\n {2}mmreplay ${name}`, 'm'));
      expect(a.out).toMatch(/^options:$/m);
      expect(a.out).toMatch(/^ {2}--help +this help$/m);
    },
  );

  it('audit --help lists the reduction switches and the exit codes', async () => {
    const r = await cli('audit', '--help');
    for (const o of ['--no-symmetry', '--no-partial-order', '--no-dead-registers', '--no-reductions', '--quiet', '--switch NAME=VALUE ...'])
      expect(r.out).toContain(o);
    expect(r.out).toMatch(/Exit codes: 0 holds, 1 violated, 2 bad input, 3 store or API unavailable, 125 inconclusive/);
  });

  it('--version prints the version', async () => {
    expect(await cli('--version')).toEqual({ code: 0, out: 'mmreplay 0.1.0\n', err: '' });
  });

  it.each([
    [['aduit', 'seed'], /unknown command 'aduit'; did you mean 'audit'\?/],
    [['help', 'trac'], /no command 'trac'; did you mean 'trace'\?/],
    [['run', 'seed', '--sed', '3'], /unknown option '--sed' for run; did you mean '--seed'\? \(mmreplay run --help lists its options\)/],
    [['audit', 'seed', '--max-state', '10'], /did you mean '--max-states'\?/],
    [['run', 'sed'], /unknown scenario 'sed'; did you mean 'seed'\?/],
    [['run', 'seed', '--variant', 'unlock-before-remov'], /has no variant 'unlock-before-remov'; did you mean 'unlock-before-remove'\?/],
    [['audit', 'seed', '--invariant', 'I99'], /unknown invariant 'I99'; did you mean 'I9'\?/],
    [['run', 'seed', '--json=yes'], /--json takes no value/],
  ])('%j: exit 2 with a suggestion', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});

describe('negative numbers and the store (items 1, 3)', () => {
  let dir: string;
  const saved = process.env.MMREPLAY_STORE;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-cl-'));
    process.env.MMREPLAY_STORE = `sqlite:${join(dir, 'mmreplay.db')}`;
  });
  afterAll(() => {
    process.env.MMREPLAY_STORE = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('--at -1 is the state before the first step, like --at=-1 and --at initial', async () => {
    const run = JSON.parse((await cli('run', 'seed', '--json')).out);
    const a = await cli('state', run.runId, '--at', '-1', '--json');
    expect(a.code).toBe(0);
    expect(JSON.parse(a.out).step).toBe(-1);
    expect((await cli('state', run.runId, '--at=-1', '--json')).out).toBe(a.out);
    expect((await cli('state', run.runId, '--at', 'initial', '--json')).out).toBe(a.out);
    const bad = await cli('state', run.runId, '--at', '-2');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/--at must be a step number/);
  });
});

describe('compare (item 2)', () => {
  it('both audits side by side, the conclusion, the counterexample of the one that fails', async () => {
    const r = await cli('compare', 'seed', '--param', 'ptes=2', '--param', 'faults=2', '--baseline', 'unlock-before-remove');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^the baseline \(unlock-before-remove\) is violated and the fix \(kernel\) holds: the fix removes the violation$/m);
    expect(r.out).toMatch(/^baseline: seed \(unlock-before-remove\) exhaustive: violated$/m);
    expect(r.out).toMatch(/^ {2}replay: mmreplay run seed --variant unlock-before-remove --strategy replay --schedule s1\.\S+$/m);
    expect(r.out).toMatch(/^fix: seed \(kernel\) exhaustive: holds$/m);
    const j = JSON.parse(
      (await cli('compare', 'seed', '--param', 'ptes=2', '--param', 'faults=2', '--baseline', 'unlock-before-remove', '--fix', 'install-before-lock', '--json'))
        .out,
    );
    expect([j.baseline.verdict, j.fix.verdict]).toEqual(['violated', 'violated']);
    expect(j.conclusion).toMatch(/^both are violated/);
    expect((await cli('compare', 'seed', '--baseline', 'unlock-before-remove', '--fix', 'install-before-lock')).code).toBe(1);
    expect((await cli('compare', 'seed')).code).toBe(2);
  });
});

describe('text output says what --json says (item 3)', () => {
  it('scenarios: descriptions of the scenario, parameters, switches, variants, and each invariant explained', async () => {
    const r = await cli('scenarios', 'seed');
    expect(r.out).toMatch(/^ {2}T_mig migrates anon page P/m);
    expect(r.out).toMatch(/^ {4}ptes=1 {2}\(1\.\.16\) {2}PTEs mapping the page/m);
    expect(r.out).toMatch(/^ {4}WAIT=post\|pre {2}\(default post\) {2}fault side: /m);
    expect(r.out).toMatch(/^ {4}unlock-before-remove {2}MUTANT: unlock the old page before removing its migration entries$/m);
    expect(r.out).toMatch(/^ {4}I9 \(I9, liveness\): No lost wakeup/m);
    const all = await cli('scenarios');
    expect(all.out).toMatch(/^litmus-mp {2}\(litmus\)/m);
  });

  it('scenarios <name> --steps: every step with its label, instruction and kernel citation', async () => {
    const r = await cli('scenarios', 'seed', '--steps');
    expect(r.out).toMatch(/^migrate_pages: /m);
    expect(r.out).toMatch(/^ {2}U12\.unlock_page +unlock_page +mm\/migrate\.c \S+ v\d/m);
    expect(r.out).toMatch(/^ {2}F3\.do_swap_page +ptl_lock +mm\/\S+ \S+ v\d\S*$/m);
  });
});
