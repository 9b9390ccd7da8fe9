import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './test-cli.js';

// `run` records every run on the configured store: an in-memory one here (one per command, nothing
// kept), so these stay unit tests. time-travel.int.spec.ts uses SQLite.
beforeAll(() => {
  process.env.MMREPLAY_STORE = 'memory:';
});

describe('mmreplay run', () => {
  it('finds the unlock-before-remove BUG_ON with PCT for some seed below 1,000, and replays its schedule', async () => {
    let found: { seed: number; schedule: string; violation: { invariant: string } } | undefined;
    for (let seed = 0; seed < 1000 && !found; seed++) {
      const r = JSON.parse((await cli('run', 'seed', '--variant', 'unlock-before-remove', '--strategy', 'pct', '--seed', String(seed), '--json')).out);
      if (r.outcome === 'violation') found = { seed, schedule: r.schedule, violation: r.violation };
    }
    expect(found?.violation.invariant).toBe('bug-on');
    const replay = JSON.parse(
      (await cli('run', 'seed', '--variant', 'unlock-before-remove', '--strategy', 'replay', '--schedule', found!.schedule, '--json')).out,
    );
    expect(replay.outcome).toBe('violation');
    expect(replay.violation).toEqual(found!.violation);
  });

  it('never reports a violation for the kernel protocol', async () => {
    for (let seed = 0; seed < 1000; seed++) {
      const r = JSON.parse((await cli('run', 'seed', '--strategy', 'pct', '--seed', String(seed), '--json')).out);
      expect(r.outcome).toBe('completed');
    }
  });

  it('prints the documented JSON fields', async () => {
    const r = JSON.parse((await cli('run', 'seed', '--param', 'ptes=2', '--param', 'faults=2', '--seed', '7', '--json')).out);
    expect(Object.keys(r)).toEqual(expect.arrayContaining(['scenario', 'modelHash', 'strategy', 'seed', 'outcome', 'violation', 'steps', 'schedule']));
    expect(r.modelHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each([
    [['run'], /usage/],
    [['run', 'nope'], /unknown scenario 'nope'/],
    [['run', 'seed', '--param', 'ptes=0'], /params.ptes: must be an integer from 1 to 16/],
    [['run', 'seed', '--param', 'bogus=1'], /params.bogus: unknown parameter/],
    [['run', 'seed', '--variant', 'no-such'], /has no variant 'no-such'/],
    [['run', 'seed', '--strategy', 'dfs'], /--strategy must be one of/],
    [['run', 'seed', '--strategy', 'replay'], /needs --schedule/],
    [['run', 'seed', '--schedule', 'garbage'], /schedule token/],
    [['run', 'seed', '--seed', '-3'], /--seed|option/],
    [['run', 'seed', '--variant', '/nonexistent/v.json'], /cannot read variant file/],
    [['frobnicate'], /unknown command/],
  ])('bad arguments %j: exit code 2 and a clear message', async (argv, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.err + r.out).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });
});

describe('mmreplay scenarios', () => {
  it('lists every scenario with its variants', async () => {
    const list = JSON.parse((await cli('scenarios', '--json')).out);
    expect(list.map((s: { name: string }) => s.name)).toEqual(
      expect.arrayContaining([
        'seed',
        'c1-exec-stack',
        'c3-remap-file-pages',
        'c6-ttu-sync',
        'c8-shmem-refcount',
        'c10-device-private',
        'c5-pmd-wait',
        'c12-fork',
        'c13-mremap',
        'c14-pte-retract',
      ]),
    );
    const seed = list.find((s: { name: string }) => s.name === 'seed');
    expect(seed.variants.map((v: { name: string }) => v.name)).toEqual(['unlock-before-remove', 'install-before-lock', 'wait-pre', 'mig-v6', 'mig-v6-async']);
  });
});

describe('mmreplay audit', () => {
  it('seed ptes=3 faults=3 exhaustively: holds; unlock-before-remove: violated, and the counterexample replays through run', async () => {
    const ok = JSON.parse((await cli('audit', 'seed', '--param', 'ptes=3', '--param', 'faults=3', '--strategy', 'exhaustive', '--json')).out);
    expect(ok.verdict).toBe('holds');
    const bad = JSON.parse((await cli('audit', 'seed', '--param', 'ptes=3', '--param', 'faults=3', '--variant', 'unlock-before-remove', '--json')).out);
    expect(bad.verdict).toBe('violated');
    const run = JSON.parse(
      (
        await cli(
          'run',
          'seed',
          '--param',
          'ptes=3',
          '--param',
          'faults=3',
          '--variant',
          'unlock-before-remove',
          '--strategy',
          'replay',
          '--schedule',
          bad.counterexample.schedule,
          '--json',
        )
      ).out,
    );
    expect(run.outcome).toBe('violation');
    expect(run.violation.invariant).toBe(bad.counterexample.invariant);
    expect(run.steps).toBe(bad.counterexample.length);
  });

  it('a state bound makes the verdict inconclusive, and bad options exit 2', async () => {
    const r = JSON.parse((await cli('audit', 'seed', '--param', 'ptes=3', '--param', 'faults=3', '--max-states', '100', '--json')).out);
    expect(r).toMatchObject({ verdict: 'inconclusive', boundHit: 'states' });
    expect((await cli('audit', 'seed', '--strategy', 'bfs')).code).toBe(2);
    expect((await cli('audit', 'seed', '--invariant', 'bug-on', '--max-states', 'many')).code).toBe(2);
  });

  it('a variant whose path cannot run (a ret with no call) is refused before the audit starts, naming the step: exit 2, one line, no stack trace', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mmreplay-variant-'));
    const file = join(dir, 'stray-ret.json');
    writeFileSync(
      file,
      JSON.stringify({
        name: 'stray-ret',
        patches: [{ op: 'insert', path: 'migrate_pages', after: 'U2.locked', steps: [{ label: 'X1', op: 'ret', args: [] }] }],
      }),
    );
    try {
      const r = await cli('audit', 'seed', '--variant', file);
      expect(r.code).toBe(2);
      // before session 22 the audit started and the machine refused the step mid-search ("thread
      // mig: ret with an empty call stack"), without saying which step of the variant it was
      expect(r.err).toBe(
        "mmreplay audit: variant does not apply: variant.paths.migrate_pages.steps[9] (X1): 'ret' is reached without a 'call': there is nothing to return to\n",
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
