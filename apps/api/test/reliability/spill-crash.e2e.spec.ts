import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startApi, until, type ApiProcess } from './processes.js';

// An approximate audit spills its frontier to files under MMREPLAY_SPILL_DIR. SIGKILL of the API
// process (its audit worker dies with it: no `finally`, no shutdown hook) leaves the audit's spill
// directory behind; the restarted server completes the audit as interrupted and removes it.
const SPILLING_AUDIT = {
  scenario: 'seed',
  params: { ptes: 5, faults: 5 },
  strategy: 'exhaustive',
  reductions: { symmetry: false, partialOrder: false, deadRegisters: false },
  approximate: 'hashcompact',
  frontierInMemory: 50,
  bounds: { maxSeconds: 120 },
};

/** The level files of an audit's spill directory (`audit-<id>/mmreplay-spill-*` / `level-N.bin`). */
function levelFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((d) => {
    try {
      return readdirSync(join(dir, d)).filter((f) => f.startsWith('level-'));
    } catch {
      return [];
    }
  });
}

describe('crash: a killed audit worker leaves its spill, the restarted server sweeps it', () => {
  let dir: string;
  let api: ApiProcess | undefined;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-spill-crash-'));
  });
  afterAll(async () => {
    await api?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('SIGKILL mid-search: the spill directory survives the kill, and the restart removes it and completes the audit as interrupted', async () => {
    const store = `sqlite:${join(dir, 'store.db')}`;
    const spill = join(dir, 'spill');
    const env = { MMREPLAY_SPILL_DIR: spill };
    api = await startApi(store, env);
    const token = (await api.request('POST', '/teams', ADMIN, { teamId: 'mm', owner: 'alice' })).body.token.token as string;
    const started = await api.request('POST', '/audits', token, SPILLING_AUDIT);
    expect(started.status).toBe(202);
    const id = started.body.id as string;
    const own = join(spill, `audit-${id}`);
    // killed while its frontier is on disk
    await until('level files in the audit`s spill directory', async () => levelFiles(own).length > 0, 60_000, 20);
    await api.kill('SIGKILL');
    expect(levelFiles(own).length).toBeGreaterThan(0);
    api = await startApi(store, env);
    await until('the spill swept', async () => !existsSync(own), 30_000);
    const v = (await api.request('GET', `/audits/${id}`, token)).body;
    expect(v.status).toBe('interrupted');
    expect(readdirSync(spill)).toEqual([]);
  });
});
