// Time-travel section: stateAt latency (p50, p99) at random steps of a stored run of about
// 1,000,000 events (goal p99 < 2 ms in process, DESIGN.md §3), the projection fold rate, and the
// catalogue rebuild time for 10,000 runs. The run is recorded into a temporary SQLite file first.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchTimeTravel } from '@mmreplay/runs';

export async function timeTravel() {
  const dir = mkdtempSync(join(tmpdir(), 'mmreplay-bench-'));
  try {
    const r = await benchTimeTravel(dir);
    return Object.entries(r).map(([measure, value]) => ({ measure, value, goal: /p99/i.test(measure) && /stateAt/i.test(measure) ? '< 2 ms' : '' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
