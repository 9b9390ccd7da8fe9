// `mmreplay --api URL --token T <command>` against the real API, listening on a free port in this
// process (apps/api's own test harness), on an SQLite file. The embedded CLI is pointed at the very
// same file: so for one recorded run, every query command must print exactly the same thing both
// ways; runs and audits started both ways must agree on everything but their ids and timings.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendProvider, main } from '../src/index.js';
import { runCommand } from '../src/run.command.js';
import { ttyProgress } from '../src/progress.js';
// apps/api's own test harness (a test file, not a package export): reused, not copied.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { TestApi } from '../../api/test/harness.js';

interface Result {
  code: number;
  out: string;
  err: string;
}

let api: TestApi;
let token: string;
const saved = {
  store: process.env.MMREPLAY_STORE,
  team: process.env.MMREPLAY_TEAM,
  actor: process.env.MMREPLAY_ACTOR,
  api: process.env.MMREPLAY_API,
  tok: process.env.MMREPLAY_TOKEN,
};

async function cli(argv: string[], env: Record<string, string | undefined> = {}): Promise<Result> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) }, env);
  return { code, out, err };
}
const local = (...argv: string[]) => cli(argv);
const remote = (...argv: string[]) => cli(['--api', api.url, '--token', token, ...argv]);
/** JSON output of a command that did its job: 0, or 1 for an audit or run that found a violation. */
const json = (r: Result) => {
  if (r.code !== 0 && r.code !== 1) throw new Error(`exit ${r.code}: ${r.err}`);
  return JSON.parse(r.out);
};

/** The same command both ways: same exit code, same output. */
async function same(...argv: string[]): Promise<Result> {
  const [l, r] = [await local(...argv), await remote(...argv)];
  expect({ code: r.code, out: r.out, err: r.err }, argv.join(' ')).toEqual({ code: l.code, out: l.out, err: l.err });
  return l;
}

const SEED_QUESTION = JSON.stringify({
  exists: 'pte',
  as: '$e',
  where: {
    all: [
      { pte: '$e', kind: 'migration' },
      { page: { of: '$e' }, locked: false },
      { ptl: { of: '$e' }, heldBy: '*' },
    ],
  },
});

describe('mmreplay --api: every command against a server, with the same output', () => {
  let runId: string;
  let other: string;

  beforeAll(async () => {
    api = await TestApi.start();
    token = await api.team('cli-team', 'alice');
    process.env.MMREPLAY_STORE = api.config.store;
    process.env.MMREPLAY_TEAM = 'cli-team';
    process.env.MMREPLAY_ACTOR = 'alice';
    delete process.env.MMREPLAY_API;
    delete process.env.MMREPLAY_TOKEN;
  });
  afterAll(async () => {
    await api?.close();
    for (const [k, v] of Object.entries({
      MMREPLAY_STORE: saved.store,
      MMREPLAY_TEAM: saved.team,
      MMREPLAY_ACTOR: saved.actor,
      MMREPLAY_API: saved.api,
      MMREPLAY_TOKEN: saved.tok,
    })) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('run: the same report, but for the run id', async () => {
    // the counterexample the embedded explorer finds, recorded both ways
    const audit = json(await local('audit', 'seed', '--param', 'ptes=2', '--param', 'faults=2', '--variant', 'unlock-before-remove', '--json'));
    const argv = [
      'run',
      'seed',
      '--param',
      'ptes=2',
      '--param',
      'faults=2',
      '--variant',
      'unlock-before-remove',
      '--strategy',
      'replay',
      '--schedule',
      audit.counterexample.schedule,
      '--json',
    ];
    const l = json(await local(...argv));
    const r = json(await remote(...argv));
    expect(r.runId).not.toBe(l.runId);
    expect({ ...r, runId: 'x' }).toEqual({ ...l, runId: 'x' });
    expect(r.outcome).toBe('violation');
    runId = r.runId;
    other = l.runId;
    // text: the same lines, but for the run id
    const lt = await local(...argv.slice(0, -1));
    const rt = await remote(...argv.slice(0, -1));
    // a run that hits a violation exits 1, both ways
    expect([lt.code, rt.code]).toEqual([1, 1]);
    const ids = /run-?[0-9a-f]{6,}|run [0-9a-f-]{6,}|[0-9a-f]{20}|[0-9a-f]{8}-[0-9a-f-]{27}/g;
    expect(rt.out.replace(ids, 'ID')).toBe(lt.out.replace(ids, 'ID'));
  });

  it('run on a terminal: the live progress line over --api too, and the same report', async () => {
    const writes: string[] = [];
    const tty = { isTTY: true, write: (x: string) => writes.push(x) };
    let out = '';
    const io = { out: (x: string) => (out += x), err: () => undefined };
    // about 25,000 events: the server records them in batches of 250 while the command follows
    const argv = ['seed', '--param', 'ptes=2', '--param', 'faults=2', '--param', 'rounds=500', '--seed', '1'];
    expect(await runCommand(argv, io, backendProvider({ api: api.url, token }), ttyProgress(tty, 0))).toBe(0);
    expect(writes.length).toBeGreaterThan(1);
    expect(writes[0]).toMatch(/^\r\x1b\[2K {2}[\d,]+ steps, [\d,]+ steps\/s, \d+\.\d s$/);
    expect(writes.at(-1)).toBe('\r\x1b[2K');
    const plain = await remote('run', ...argv);
    const ids = /[0-9a-f]{20}/g;
    expect(out.replace(ids, 'ID')).toBe(plain.out.replace(ids, 'ID'));
  });

  it('scenarios, runs', async () => {
    await same('scenarios', '--json');
    await same('scenarios');
    const runs = await same('runs', '--team', 'cli-team', '--json');
    expect(json(runs).map((r: { runId: string }) => r.runId)).toEqual(expect.arrayContaining([runId, other]));
    await same('runs', '--team', 'cli-team');
    expect(json(await remote('runs', '--team', 'someone-else', '--json'))).toEqual([]);
  });

  it('events, state, history, first, diff, trace: the same output for the same run', async () => {
    // events --json: the API serves step events in their stored shape, so the JSON is the same both ways
    const events = json(await same('events', runId, '--json'));
    expect(events.length).toBeGreaterThan(20);
    expect(Object.keys(events[0])).toEqual(expect.arrayContaining(['threadIndex', 'pc', 'choice', 'src']));
    await same('events', runId, '--from', '2', '--limit', '3', '--json');
    await same('events', runId, '--from', '3', '--to', '20', '--thread', 'flt0');
    await same('events', runId, '--object', 'pte:e0', '--type', 'PteRead', '--limit', '5');
    for (const at of ['--at=-1', '--at=7', '--at=last']) {
      await same('state', runId, at, '--json');
      await same('state', runId, at);
    }
    await same('history', runId, 'pte:e0', '--json');
    await same('history', runId, 'page:P');
    expect(json(await same('first', runId, '--where', SEED_QUESTION, '--json')).step).toBeGreaterThan(0);
    await same('first', runId, '--where', SEED_QUESTION);
    await same('first', runId, '--where', '{"page": "P", "locked": true, "not-a-field": 1}');
    await same('diff', runId, '--at', '3', '--to', '9', '--json');
    await same('diff', runId, '--at', '3', '--to', '9');
    await same('diff', runId, other, '--json');
    await same('diff', runId, other);
    await same('trace', runId, '--format', 'json');
    await same('trace', runId, '--from', '2', '--to', '12');
  });

  it('audit: the same report, but for timings', async () => {
    const argv = ['audit', 'seed', '--param', 'ptes=2', '--param', 'faults=2', '--variant', 'unlock-before-remove', '--json'];
    const l = json(await local(...argv));
    const r = json(await remote(...argv));
    expect(r.verdict).toBe('violated');
    // The server audits within its own caps (bounds, and the summary that states them) and records the counterexample as a run.
    const { counterexampleRunId, bounds: rb, summary: rs, ...rest } = r;
    const { counterexampleRunId: localRunId, bounds: lb, summary: ls, ...localRest } = l;
    expect({ ...rest, elapsedMs: 0 }).toEqual({ ...localRest, elapsedMs: 0 });
    expect(rb).toMatchObject({ maxStates: expect.any(Number), maxDepth: expect.any(Number), maxSeconds: expect.any(Number) });
    expect(lb).toMatchObject({ maxStates: 5_000_000, maxDepth: 100_000, maxSeconds: 300 });
    expect([rs, ls]).toEqual([
      expect.stringMatching(/^violated: bug-on breaks at step \d+ .* checked bug-on, I3, I9, use-after-free, deadlock under sc/),
      expect.stringMatching(/^violated: bug-on/),
    ]);
    expect(counterexampleRunId).toMatch(/^[0-9a-f]+$/);
    const text = await remote('audit', 'seed', '--param', 'ptes=2', '--param', 'faults=2', '--variant', 'unlock-before-remove');
    expect(text.code).toBe(1);
    expect(text.out).toMatch(/^ {2}recorded as run [0-9a-f]+ \(mmreplay trace [0-9a-f]+\)$/m);
    // The embedded audits were recorded on the store the server shares, as the server records its
    // own: the API lists them too, with the runs of their counterexamples (issue 14 item 6).
    const audits = json(await remote('runs', '--audits', '--json')).audits;
    expect(audits).toHaveLength(4);
    for (const a of audits)
      expect(a).toMatchObject({ team: 'cli-team', scenario: 'seed', variant: 'unlock-before-remove', status: 'completed', verdict: 'violated' });
    expect(audits.map((a: { counterexamples: string[] }) => a.counterexamples[0])).toContain(localRunId);
    expect(json(await local('runs', '--audits', '--json')).audits).toEqual(audits);
    const run = json(await remote('runs', '--json')).find((x: { runId: string }) => x.runId === localRunId);
    expect(run).toMatchObject({ outcome: 'violation', author: 'alice' });
  });

  it("export and import: the same export both ways; import --api stores it under a new id in the token's team", async () => {
    const exported = await same('export', runId);
    expect(exported.out.trimEnd().split('\n')).toHaveLength(json(await local('runs', '--json')).find((r: { runId: string }) => r.runId === runId).steps + 2);
    const file = join(api.config.store.replace(/^sqlite:/, '').replace(/[^/]+$/, ''), 'run.ndjson');
    writeFileSync(file, exported.out);
    const imported = await remote('import', file);
    expect(imported.code).toBe(0);
    const [, id] = /^imported run ([0-9a-f]{20}): \d+ events, checked by re-simulation/.exec(imported.out)!;
    expect(id).not.toBe(runId);
    // the same run but for its id
    expect((await remote('trace', id)).out.replaceAll(id, 'ID')).toBe((await remote('trace', runId)).out.replaceAll(runId, 'ID'));
    expect((await remote('export', id)).out.split('\n').slice(1)).toEqual(exported.out.split('\n').slice(1));
    // a changed file: exit 2 with the server's reason
    const lines = exported.out.trimEnd().split('\n');
    const step = JSON.parse(lines[4]);
    step.data.thread = step.data.thread === 'mig' ? 'flt0' : 'mig';
    lines[4] = JSON.stringify(step);
    writeFileSync(file, `${lines.join('\n')}\n`);
    const changed = await remote('import', file);
    expect(changed.code).toBe(2);
    expect(changed.err).toMatch(/^mmreplay import: .*event 4 is not what re-simulating the run gives/);
    // another team's run exports like a missing one
    const stranger = await api.team('export-strangers', 'eve');
    const hidden = await cli(['--api', api.url, '--token', stranger, 'export', runId]);
    const missing = await cli(['--api', api.url, '--token', stranger, 'export', 'no-such-run']);
    expect(hidden.code).toBe(2);
    expect(hidden.err.replaceAll(runId, 'ID')).toBe(missing.err.replaceAll('no-such-run', 'ID'));
  });

  it('compare: the same verdicts, states and conclusion, each side recorded by the server', async () => {
    const argv = ['compare', 'seed', '--param', 'ptes=2', '--param', 'faults=2', '--baseline', 'unlock-before-remove', '--json'];
    const [l, r] = [json(await local(...argv)), json(await remote(...argv))];
    expect(r.comparisonId).toMatch(/^[0-9A-Za-z]+$/);
    expect(r.conclusion).toBe(l.conclusion);
    for (const side of ['baseline', 'fix'] as const) {
      const pick = (a: Record<string, unknown>) => ({
        verdict: a.verdict,
        statesStored: a.statesStored,
        modelHash: a.modelHash,
        variant: a.variant,
        params: a.params,
      });
      expect(pick(r[side]), side).toEqual(pick(l[side]));
    }
    expect(r.baseline.counterexampleRunId).toMatch(/^[0-9a-f]+$/);
  });

  it("audit of a document's user invariant: labelled a user invariant both ways, never a protocol one", async () => {
    const example = fileURLToPath(new URL('../../../examples/scenarios/user-invariant.yaml', import.meta.url));
    const argv = ['audit', example, '--variant', 'unlock-early'];
    const [l, r] = [await local(...argv), await remote(...argv)];
    expect([l.code, r.code]).toEqual([1, 1]);
    for (const out of [l.out, r.out]) {
      expect(out).toMatch(/^ {2}entry-under-page-lock \(user invariant\) at step 5 \(6 steps\): /m);
      expect(out).toContain('  defined in: the scenario document, in the predicate language\n');
    }
    const violated = { invariant: 'entry-under-page-lock', class: 'user', backing: 'the scenario document, in the predicate language' };
    expect(json(await remote(...argv, '--json')).violated).toEqual(violated);
    // published, the server lists its invariant as the file does: after the built-ins, in words
    expect((await remote('scenarios', 'publish', example)).code).toBe(0);
    const shown = await remote('scenarios', 'show', 'user-invariant');
    expect(shown.out).toContain('entry-under-page-lock (user invariant): never (predicate language)');
    expect(shown.out).toBe((await local('scenarios', 'show', example)).out);
  });

  it('errors: the same exit codes and messages as the embedded store', async () => {
    await same('state', 'no-such-run', '--at', '0');
    await same('history', runId, 'pte:nope');
    await same('state', runId, '--at', '99999999');
    const bad = await cli(['--api', api.url, '--token', 'mmr_not-a-token', 'runs']);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^mmreplay runs: .*HTTP 401/);
    // Another team's run answers exactly like a run that does not exist.
    const stranger = await api.team('other-team', 'bob');
    const hidden = await cli(['--api', api.url, '--token', stranger, 'state', runId, '--at', '0']);
    const missing = await cli(['--api', api.url, '--token', stranger, 'state', 'no-such-run', '--at', '0']);
    expect(hidden.code).toBe(2);
    expect(hidden.err.replace(runId, 'ID')).toBe(missing.err.replace('no-such-run', 'ID'));
    // The environment names the server too; an unreachable one is exit code 3.
    const env = await cli(['runs', '--json'], { MMREPLAY_API: api.url, MMREPLAY_TOKEN: token });
    expect(json(env)).toEqual(json(await remote('runs', '--json')));
    const down = await cli(['--api', 'http://127.0.0.1:1', '--token', token, 'runs']);
    expect(down.code).toBe(3);
    expect(down.err).toMatch(/^mmreplay runs: cannot reach the API at http:\/\/127\.0\.0\.1:1/);
    const usage = await cli(['--api', 'ftp://x', 'runs']);
    expect(usage.code).toBe(2);
  });
});
