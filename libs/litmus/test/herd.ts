import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * herd7 with the LKMM's model files, the reference this checker is tested against. Found at
 * `$MMREPLAY_HERD7` or `../shared/tools/herd7` beside the repository (its README says how to run
 * it); absent on a machine without it, where the differential tests are skipped by name.
 */
export function findHerd(): string | undefined {
  const here = dirname(fileURLToPath(import.meta.url));
  const repo = resolve(here, '../../..');
  const candidates = [process.env['MMREPLAY_HERD7'], resolve(repo, '../shared/tools/herd7'), resolve(repo, '../../shared/tools/herd7')];
  for (const c of candidates) if (c && existsSync(join(c, 'run-herd.sh'))) return join(c, 'run-herd.sh');
  return undefined;
}

export interface HerdAnswer {
  readonly observation: 'Never' | 'Sometimes' | 'Always' | 'ERROR' | 'TIMEOUT';
  readonly positive: number;
  readonly total: number;
  readonly ms: number;
}

/** Runs herd7 on one test text (a file in a temporary directory), with a time limit. */
export function runHerd(script: string, name: string, text: string, timeoutMs = 60_000): HerdAnswer {
  const dir = mkdtempSync(join(tmpdir(), 'mmreplay-herd-'));
  try {
    const file = join(dir, `${name}.litmus`);
    writeFileSync(file, text);
    const t0 = performance.now();
    const r = spawnSync(script, ['-v', file], { encoding: 'utf8', timeout: timeoutMs });
    const ms = performance.now() - t0;
    if (r.error || r.signal) return { observation: 'TIMEOUT', positive: 0, total: 0, ms };
    const m = /\S+ (Never|Sometimes|Always) (\d+)\/(\d+)/.exec(r.stdout);
    if (!m) return { observation: 'ERROR', positive: 0, total: 0, ms };
    return { observation: m[1] as HerdAnswer['observation'], positive: Number(m[2]), total: Number(m[3]), ms };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
