// Catalogue section: one page of `GET /runs` (50 runs, newest first) as the API answers it from the
// run table (RunIndex: SQLite, indexed by team and each filter), at 10,000, 100,000 and 1,000,000
// runs in the catalogue, for an unfiltered page, a filter, a rare filter and a page deep into the
// listing (cursor). p50 and p99 over 2,000 pages each (goal: p99 < 20 ms at 1,000,000 runs).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunIndex } from '@mmreplay/runs';

const TEAMS = 20;
const SCENARIOS = ['seed', 'thp', 'ksm', 'swap', 'c11'];

function entry(i) {
  const completed = i % 10 !== 0;
  return {
    runId: `r${i.toString(16).padStart(8, '0')}`,
    team: `team-${i % TEAMS}`,
    scenario: SCENARIOS[i % SCENARIOS.length],
    params: { ptes: 2, faults: 2 },
    variant: i % 7 === 0 ? 'unlock-before-remove' : null,
    modelHash: (i % 97).toString(16).padStart(64, '0'),
    strategy: i % 3 === 0 ? 'pct' : 'random',
    seed: i,
    author: `member-${i % 13}`,
    status: completed ? 'completed' : 'running',
    outcome: completed ? (i % 1000 === 1 ? 'violation' : 'completed') : null,
    violation: null,
    steps: completed ? 300 : null,
    schedule: completed ? 's1.AQID.' : null,
    createdAt: new Date(1_700_000_000_000 + i * 1000).toISOString(),
    completedAt: null,
    counterexampleOf: [],
  };
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export async function catalogue() {
  const dir = mkdtempSync(join(tmpdir(), 'mmreplay-bench-catalogue-'));
  const index = new RunIndex(join(dir, 'catalogue.db'));
  const rows = [];
  try {
    let filled = 0;
    for (const size of [10_000, 100_000, 1_000_000]) {
      const t0 = performance.now();
      for (let from = filled; from < size; from += 10_000) {
        const batch = [];
        for (let i = from; i < Math.min(size, from + 10_000); i++) batch.push(entry(i));
        index.write(batch, String(size));
      }
      const fillMs = performance.now() - t0;
      filled = size;
      // the cursor of page 20 of team 3's listing
      const deep = index.list('team-3', {}, { limit: 50 * 20 }).runs.at(-1)?.runId;
      const cases = {
        'newest 50': () => index.list('team-3', {}, { limit: 50 }),
        'status=running': () => index.list('team-0', { status: 'running' }, { limit: 50 }),
        'outcome=violation (rare)': () => index.list('team-1', { outcome: 'violation' }, { limit: 50 }),
        'scenario+author': () => index.list('team-3', { scenario: 'swap', author: 'member-5' }, { limit: 50 }),
        'page 21 (cursor)': () => index.list('team-3', {}, { limit: 50, after: deep }),
      };
      for (const [name, query] of Object.entries(cases)) {
        // wall time, and the process's CPU time (user + system): on a shared machine the wall
        // time's tail is the scheduler's, the CPU time's is the query's
        const times = [];
        const cpu = [];
        for (let k = 0; k < 2_000; k++) {
          const c = process.cpuUsage();
          const s = performance.now();
          query();
          times.push(performance.now() - s);
          const d = process.cpuUsage(c);
          cpu.push((d.user + d.system) / 1000);
        }
        times.sort((a, b) => a - b);
        cpu.sort((a, b) => a - b);
        rows.push({
          runs: size,
          page: name,
          'p50 ms': Number(percentile(times, 50).toFixed(3)),
          'p99 ms': Number(percentile(times, 99).toFixed(3)),
          'p99 cpu ms': Number(percentile(cpu, 99).toFixed(3)),
          'fill s': Number((fillMs / 1000).toFixed(1)),
          goal: size === 1_000_000 ? 'p99 < 20 ms' : '',
        });
      }
    }
    return rows;
  } finally {
    index.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
