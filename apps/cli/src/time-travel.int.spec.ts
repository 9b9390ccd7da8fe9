// The seed story end to end through the command line, on an SQLite store in a temporary directory:
// find the unlock-before-remove counterexample, record it as a run, ask when a fault holding the
// PTL first reads a migration entry of an unlocked page, look at that state, and draw the trace.
import { isDeepStrictEqual } from 'node:util';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './test-cli.js';
import { SEED_QUESTION as SEED } from '@mmreplay/projections';

/** JSON output of a command that did its job: 0, or 1 for an audit or run that found a violation. */
const json = async (...argv: string[]) => {
  const r = await cli(...argv);
  if (r.code !== 0 && r.code !== 1) throw new Error(`${argv.join(' ')}: exit ${r.code}: ${r.err}`);
  return JSON.parse(r.out);
};

const SEED_QUESTION = JSON.stringify(SEED);

describe('the seed story through the CLI', () => {
  let dir: string;
  let runId: string;
  const saved = process.env.MMREPLAY_STORE;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-cli-'));
    process.env.MMREPLAY_STORE = `sqlite:${join(dir, 'mmreplay.db')}`;
    process.env.MMREPLAY_ACTOR = 'ann';
  });
  afterAll(() => {
    process.env.MMREPLAY_STORE = saved;
    delete process.env.MMREPLAY_ACTOR;
    rmSync(dir, { recursive: true, force: true });
  });

  it('audit finds the counterexample; run records it; first, state and trace explain it', async () => {
    const audit = await json('audit', 'seed', '--variant', 'unlock-before-remove', '--json');
    expect(audit.verdict).toBe('violated');
    const token = audit.counterexample.schedule;

    const run = await json('run', 'seed', '--variant', 'unlock-before-remove', '--strategy', 'replay', '--schedule', token, '--json');
    expect(run).toMatchObject({
      outcome: 'violation',
      violation: { invariant: 'bug-on' },
      variant: 'unlock-before-remove',
      events: run.steps + 2,
      appended: run.steps + 2,
    });
    expect(run.runId).toMatch(/^[0-9a-f]{12}$/);
    runId = run.runId;

    const first = await json('first', runId, '--where', SEED_QUESTION, '--json');
    expect(first).toMatchObject({
      step: audit.counterexample.step - 1,
      event: { thread: 'flt0', op: 'pte_read', args: { pte: 'e0', orig: 'migration(P,write)' } },
    });
    const firstText = await cli('first', runId, '--where', SEED_QUESTION);
    expect(firstText.out).toMatch(
      new RegExp(`^step ${first.step}: flt0 F3.ptep_get \\(mm/migrate.c migration_entry_wait v6.6\\): PteRead pte=e0 orig=migration\\(P,write\\)`),
    );

    const state = await json('state', runId, '--at', String(first.step), '--json');
    expect(state.state.ptes.e0.entry).toBe('migration(P,write)');
    expect(state.state.pages.P).toMatchObject({ locked: false, owner: null });
    expect(state.state.ptls.ptl.holder).toBe('flt0');
    expect(state.state.threads.flt0.holds.ptls).toEqual(['ptl']);
    const text = (await cli('state', runId, '--at', String(first.step))).out;
    expect(text).toMatch(/^ {2}P +unlocked +ref 1/m);
    expect(text).toMatch(/^ {2}e0 +migration\(P,write\) +under ptl/m);
    expect(text).toMatch(/^ {2}ptl +held by flt0/m);
    expect(text).toMatch(/^ {2}flt0 +runnable +at F4\.pfn_swap_entry_to_page \(mm\/filemap\.c migration_entry_wait_on_locked v6\.6\) +holds ptl/m);

    const trace = (await cli('trace', runId)).out;
    expect(trace).toMatch(/^run [0-9a-f]{12}: seed \(unlock-before-remove\), replay of a schedule: violation, bug-on at step 21$/m);
    expect(trace).toMatch(/^ +17 +U12\.unlock_page: P unlocked/m);
    expect(trace).toMatch(/F4\.pfn_swap_entry_to_page: BUG_ON\(!PageLocked\(P\)\)\?  <-- BUG/);
    expect(trace).toMatch(/!!!! bug-on: flt0: BUG_ON\(!PageLocked\)/);
    const traceJson = await json('trace', runId, '--from', '17', '--to', '21', '--format', 'json');
    expect(traceJson.rows.map((r: { step: number }) => r.step)).toEqual([17, 18, 19, 20, 21]);
    expect(traceJson.rows.at(-1).violation).toMatch(/^bug-on/);
  });

  it('events, history, diff and the run catalogue', async () => {
    const events = await json('events', runId, '--from', '17', '--to', '20', '--json');
    expect(events.map((e: { label: string }) => e.label)).toEqual(['U12.unlock_page', 'F1.access', 'F3.do_swap_page', 'F3.ptep_get']);
    expect((await cli('events', runId, '--type', 'PageUnlocked')).out).toMatch(
      /^ +17 +mig +U12\.unlock_page +PageUnlocked +src=P {2}\| page:P\.flags locked -> -; page:P\.owner mig -> -/m,
    );
    const history = await json('history', runId, 'e0', '--json');
    expect(history.find((h: { step: number }) => h.step === 9).changes).toEqual([{ field: 'entry', before: 'none', after: 'migration(P,write)' }]);
    expect((await cli('history', runId, 'pte:e0')).out).toMatch(/^ +20 +flt0 +F3\.ptep_get +PteRead +\(pte=e0 orig=migration\(P,write\)\)$/m);
    const diff = await json('diff', runId, '--at', '16', '--to', '20', '--json');
    expect(diff.changes).toEqual(expect.arrayContaining([{ path: 'pages.P.locked', a: true, b: false }]));
    expect((await cli('diff', runId, '--at', '16', '--to', '20')).out).toMatch(/^ {2}ptls\.ptl\.holder +null -> "flt0"$/m);

    const other = await json('run', 'seed', '--variant', 'unlock-before-remove', '--strategy', 'pct', '--seed', '3', '--json');
    const divergence = await json('diff', runId, other.runId, '--json');
    // The step it names is the first where the two runs' own event listings differ, found here by
    // comparing them record by record.
    const [mine, theirs] = [await json('events', runId, '--json'), await json('events', other.runId, '--json')];
    const firstDifferent = Array.from({ length: Math.max(mine.length, theirs.length) }, (_, i) => i).find((i) => !isDeepStrictEqual(mine[i], theirs[i]));
    expect(firstDifferent).toBeDefined();
    expect(divergence.divergence.step).toBe(firstDifferent);
    expect(divergence.divergence.step).toBe(mine[firstDifferent!].step);

    // the audit of the first test recorded its counterexample as a run too
    const runs = (await json('runs', '--json')).filter((r: { counterexampleOf: string[] }) => r.counterexampleOf.length === 0);
    expect(runs.map((r: { runId: string }) => r.runId)).toEqual([runId, other.runId]);
    expect(runs[0]).toMatchObject({
      scenario: 'seed',
      variant: 'unlock-before-remove',
      status: 'completed',
      outcome: 'violation',
      author: 'ann',
      team: 'default',
    });
    expect((await cli('runs')).out).toMatch(new RegExp(`^${runId} +default +seed +unlock-before-remove +completed +violation \\(bug-on@21\\) +22 +ann`, 'm'));
  });

  it('run --id continues a run: nothing to add when it is complete, and a different request is refused', async () => {
    const again = await json('run', '--id', runId, '--json');
    expect(again).toMatchObject({ runId, appended: 0, outcome: 'violation' });
    const fresh = await json('run', 'seed', '--param', 'rounds=3', '--seed', '4', '--id', 'my-run', '--json');
    expect(fresh).toMatchObject({ runId: 'my-run', appended: fresh.events });
    expect(await json('run', 'seed', '--param', 'rounds=3', '--seed', '4', '--id', 'my-run', '--json')).toMatchObject({ appended: 0 });
    const conflict = await cli('run', 'seed', '--param', 'rounds=3', '--seed', '5', '--id', 'my-run');
    expect(conflict.code).toBe(2);
    expect(conflict.err).toMatch(/run 'my-run' already exists with seed = 4, not 5/);
  });

  it.each([
    [['state', 'no-such-run', '--at', '1'], /unknown run 'no-such-run'/],
    [['state', '<run>', '--at', '99'], /has steps -1 \(initial state\) to 21; there is no step 99/],
    [['state', '<run>'], /usage: mmreplay state/],
    [['first', '<run>', '--where', '{"pte":"e9","kind":"migraton"}'], /invalid predicate: pte: the world has no pte 'e9'.*; kind: must be one of/],
    [['first', '<run>', '--where', 'not json'], /--where is not JSON/],
    [['history', '<run>', 'Z'], /has no object 'Z'/],
    [['events', '<run>', '--from', '9', '--to', '3'], /from: must not be after to/],
    [['trace', '<run>', '--format', 'svg'], /--format must be text, lkml or json/],
    [['diff', '<run>', '--at', '3'], /usage: mmreplay diff/],
    [['run', 'seed', '--id', 'bad id!'], /runId: must be 1 to 100 letters/],
  ])('%j: exit code 2 and a clear message', async (argv, message) => {
    const r = await cli(...argv.map((a) => (a === '<run>' ? runId : a)));
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
    expect(r.err).not.toMatch(/\n\s+at /);
  });

  it('first exits 1 when no step matches', async () => {
    const r = await cli('first', runId, '--where', '{"page":"P","freed":true}');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/no step of run .* satisfies the predicate/);
  });
});
