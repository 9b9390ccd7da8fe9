// Issue 14: a run travels by mail (export / import, checked by re-simulation) and a teammate gets
// its API address (link); long audits show a live progress line on a terminal, none when piped or
// with --quiet. None of these existed on the main branch.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './test-cli.js';
import { auditCommand } from './audit.command.js';
import { runCommand } from './run.command.js';
import { ttyProgress } from './progress.js';
import { backendProvider } from './index.js';

// Audits record themselves on the configured store: an in-memory one unless a suite sets its own.
process.env.MMREPLAY_STORE ??= 'memory:';

describe('export, import, link', () => {
  let dir: string;
  const saved = process.env.MMREPLAY_STORE;
  const at = (name: string) => `sqlite:${join(dir, name)}`;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-tr-'));
  });
  afterAll(() => {
    process.env.MMREPLAY_STORE = saved;
    rmSync(dir, { recursive: true, force: true });
  });

  it('a run exported from one store is imported into another, event for event; a changed file or a taken id is refused', async () => {
    process.env.MMREPLAY_STORE = at('a.db');
    const run = JSON.parse((await cli('run', 'seed', '--variant', 'unlock-before-remove', '--strategy', 'pct', '--seed', '3', '--json')).out);
    const exported = await cli('export', run.runId);
    expect(exported.code).toBe(0);
    const lines = exported.out.trimEnd().split('\n');
    expect(lines).toHaveLength(run.events);
    expect(JSON.parse(lines[0])).toMatchObject({ type: 'RunStarted', data: { runId: run.runId }, metadata: expect.any(Object) });
    const file = join(dir, 'run.ndjson');
    writeFileSync(file, exported.out);

    process.env.MMREPLAY_STORE = at('b.db');
    const imported = await cli('import', file);
    expect(imported).toMatchObject({
      code: 0,
      out: `imported run ${run.runId}: ${run.events} events, checked by re-simulation (mmreplay trace ${run.runId})\n`,
    });
    expect((await cli('export', run.runId)).out).toBe(exported.out);
    process.env.MMREPLAY_STORE = at('a.db');
    const traceA = (await cli('trace', run.runId)).out;
    process.env.MMREPLAY_STORE = at('b.db');
    expect((await cli('trace', run.runId)).out).toBe(traceA);
    const again = await cli('import', file);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/is already on this store/);

    process.env.MMREPLAY_STORE = at('c.db');
    const tampered = join(dir, 'tampered.ndjson');
    const events = readFileSync(file, 'utf8').trimEnd().split('\n');
    const step = JSON.parse(events[5]);
    step.data.thread = step.data.thread === 'mig' ? 'flt0' : 'mig';
    events[5] = JSON.stringify(step);
    writeFileSync(tampered, `${events.join('\n')}\n`);
    const bad = await cli('import', tampered);
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/event 5 is not what re-simulating the run gives/);
    expect((await cli('runs', '--json')).out).toBe('[]\n');
    expect((await cli('import', join(dir, 'nope.ndjson'))).code).toBe(2);
  });

  it('link: the API address of a run, with --api; without, says why not', async () => {
    expect(await cli('--api', 'http://mm.example:8080/', 'link', 'abc123')).toEqual({ code: 0, out: 'http://mm.example:8080/runs/abc123\n', err: '' });
    const local = await cli('link', 'abc123');
    expect(local.code).toBe(2);
    expect(local.err).toMatch(/link needs the server your team shares: --api URL/);
  });
});

describe('a live progress line on a terminal', () => {
  const stream = (isTTY: boolean) => {
    const writes: string[] = [];
    return { writes, isTTY, write: (s: string) => writes.push(s) };
  };
  const io = () => {
    const out: string[] = [];
    return { out, io: { out: (s: string) => out.push(s), err: () => undefined } };
  };
  const argv = ['seed', '--param', 'ptes=3', '--param', 'faults=3', '--max-states', '40000'];

  it('states, states/s, depth and elapsed, redrawn in place on a TTY, cleared at the end', async () => {
    const tty = stream(true);
    const o = io();
    await auditCommand(argv, o.io, backendProvider({}), ttyProgress(tty, 0));
    expect(tty.writes.length).toBeGreaterThan(1);
    expect(tty.writes[0]).toMatch(/^\r\x1b\[2K {2}[\d,]+ states, [\d,]+ states\/s, depth \d+, \d+\.\d s$/);
    expect(tty.writes.at(-1)).toBe('\r\x1b[2K');
    expect(o.out.join('')).not.toMatch(/\r/);
  });

  it('nothing when piped, or with --quiet, or with --json', async () => {
    expect(ttyProgress(stream(false))).toBeUndefined();
    for (const extra of ['--quiet', '--json']) {
      const tty = stream(true);
      await auditCommand([...argv, extra], io().io, backendProvider({}), ttyProgress(tty, 0));
      expect(tty.writes).toEqual([]);
    }
  });

  // about 19,000 events: several committed batches of 5,000, each a redraw
  const long = ['seed', '--param', 'ptes=2', '--param', 'faults=2', '--param', 'rounds=400', '--seed', '1'];

  it('run: steps, steps/s and elapsed while a long run records, cleared at the end', async () => {
    const tty = stream(true);
    const o = io();
    expect(await runCommand(long, o.io, backendProvider({}), ttyProgress(tty, 0))).toBe(0);
    expect(tty.writes.length).toBeGreaterThan(2);
    expect(tty.writes[0]).toMatch(/^\r\x1b\[2K {2}[\d,]+ steps, [\d,]+ steps\/s, \d+\.\d s$/);
    const steps = tty.writes.slice(0, -1).map((w) => Number(/ ([\d,]+) steps,/.exec(w)![1].replace(/,/g, '')));
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(steps.at(-1)).toBeGreaterThanOrEqual(15_000);
    expect(tty.writes.at(-1)).toBe('\r\x1b[2K');
    expect(o.out.join('')).toMatch(/^run [0-9a-f]+: seed \(kernel\) random seed 1: completed after \d+ steps$/m);
  });

  it('run: nothing with --quiet or --json', async () => {
    for (const extra of ['--quiet', '--json']) {
      const tty = stream(true);
      await runCommand([...long, extra], io().io, backendProvider({}), ttyProgress(tty, 0));
      expect(tty.writes).toEqual([]);
    }
  });
});
