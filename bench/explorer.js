// Explorer section: the exhaustive audit of the seed scenario (1 migration thread, N PTEs of one
// page under one PTL, N fault threads; kernel protocol, WAIT=post) for N = 4, 5, 6, with every
// reduction and with each one turned off. Each run is a child process, so that its peak memory
// (max RSS) is its own. Knobs: MMREPLAY_EXPLORER_N (default 4,5,6), MMREPLAY_EXPLORER_TIMEOUT
// (seconds per run, default 120; a run that hits it is reported `inconclusive (time)`),
// MMREPLAY_EXPLORER_MEMORY_MB (heap + state store, default 16,000).

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { explore } from '@mmreplay/explorer';
import { resolveModel } from '@mmreplay/model';

const SELF = fileURLToPath(import.meta.url);
const CONFIGS = {
  'all reductions': {},
  'no symmetry': { symmetry: false },
  'no partial order': { partialOrder: false },
  'no dead registers': { deadRegisters: false },
  'none': { symmetry: false, partialOrder: false, deadRegisters: false },
};

function child(n, config, timeout) {
  const { world } = resolveModel({ scenario: 'seed', params: { ptes: n, faults: n } });
  const r = explore(world, { ...CONFIGS[config], bounds: { maxSeconds: timeout, maxStates: 200_000_000, maxMemoryMB: Number(process.env.MMREPLAY_EXPLORER_MEMORY_MB ?? 16_000) } });
  const rss = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ verdict: r.verdict, boundHit: r.boundHit, states: r.statesStored, transitions: r.transitions, seconds: r.elapsedMs / 1000, peakMB: Math.round(rss) }));
}

export async function explorer() {
  const ns = (process.env.MMREPLAY_EXPLORER_N ?? '4,5,6').split(',').map(Number);
  const timeout = Number(process.env.MMREPLAY_EXPLORER_TIMEOUT ?? 120);
  const rows = [];
  for (const n of ns) {
    for (const config of Object.keys(CONFIGS)) {
      // Without symmetry, N = 6 cannot finish in the budget; say so instead of burning it.
      if (n >= 6 && config !== 'all reductions' && config !== 'no partial order' && config !== 'no dead registers') {
        rows.push({ N: n, reductions: config, verdict: 'skipped (does not fit the budget)' });
        continue;
      }
      const p = spawnSync(process.execPath, ['--max-old-space-size=8192', SELF, 'child', String(n), config, String(timeout)], { encoding: 'utf8', timeout: (timeout + 60) * 1000 });
      if (p.status !== 0) {
        rows.push({ N: n, reductions: config, verdict: `failed: ${(p.stderr || p.signal || '').toString().split('\n')[0]}` });
        continue;
      }
      const r = JSON.parse(p.stdout);
      rows.push({ N: n, reductions: config, verdict: r.boundHit ? `${r.verdict} (${r.boundHit})` : r.verdict, statesStored: r.states, transitions: r.transitions, seconds: r.seconds, peakMB: r.peakMB });
    }
  }
  return rows;
}

if (process.argv[2] === 'child') child(Number(process.argv[3]), process.argv[4], Number(process.argv[5]));
