// The CLI as a process on a real SQLite store: `events --json` streams a long run, stops quietly
// when its reader goes away (EPIPE), and two writers of one run id end without a stack trace.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = join(dirname(fileURLToPath(import.meta.url)), '../bin/mmreplay.js');
const run = promisify(execFile);

/** `run`'s exit code when the step bound ends the run (apps/cli/src/exit-codes.ts) */
const STEP_BOUND = 125;

describe('the CLI streams (issue 12)', () => {
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-stream-'));
    env = { ...process.env, MMREPLAY_STORE: `sqlite:${join(dir, 'cli.db')}`, MMREPLAY_API: '' };
    // A run cut by its step bound exits 125 (inconclusive, README "Exit codes"): that is the run we want.
    await run(process.execPath, [BIN, 'run', 'seed', '--param', 'rounds=10000000', '--strategy', 'round-robin', '--max-steps', '30000', '--id', 'long'], {
      env,
    }).catch((e: { code: number }) => {
      if (e.code !== STEP_BOUND) throw e;
    });
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('events --json is a JSON array streamed one event per line', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'events', 'long', '--json'], { env, maxBuffer: 1 << 30 });
    const events = JSON.parse(stdout) as { step: number }[];
    expect(events).toHaveLength(30_000);
    expect(events.map((e) => e.step)).toEqual(events.map((_, i) => i));
    expect(stdout.split('\n')[1]).toMatch(/^\{"step":0,/);
  });

  it('events ... | head: exits 0, nothing on stderr', async () => {
    const child = spawn(process.execPath, [BIN, 'events', 'long', '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    // read two chunks, then go away like `head`
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
    expect(err).toBe('');
    expect(code).toBe(0);
  });

  it('two `run --id X` at once: both end cleanly (one waits and joins), the stream is the uninterrupted one, no stack trace', async () => {
    const args = [BIN, 'run', 'seed', '--param', 'rounds=10000000', '--strategy', 'round-robin', '--max-steps', '20000', '--id', 'twice', '--json'];
    const both = await Promise.all(
      [0, 1].map(() =>
        run(process.execPath, args, { env }).then(
          (r) => ({ code: 0, ...r }),
          (e: { code: number; stdout: string; stderr: string }) => e,
        ),
      ),
    );
    for (const r of both) {
      expect(r.stderr).not.toMatch(/\n\s+at /);
      expect(r.stderr.trim().split('\n').filter(Boolean).length).toBeLessThanOrEqual(1);
    }
    const ok = both.filter((r) => r.code === STEP_BOUND);
    expect(ok.length).toBeGreaterThanOrEqual(1);
    const { stdout } = await run(process.execPath, [BIN, 'events', 'twice', '--json'], { env, maxBuffer: 1 << 30 });
    const events = JSON.parse(stdout) as { step: number }[];
    expect(events.map((e) => e.step)).toEqual(Array.from({ length: 20_000 }, (_, i) => i));
  });
});
