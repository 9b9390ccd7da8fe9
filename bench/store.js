// Event-store section: SQLite appends per second for batches the size of a run's step events
// (goal >= 200,000 events/s, DESIGN.md §3), reads per second by stream and by global position,
// and the catch-up subscription rate. 1,000,000 events by default (MMREPLAY_STORE_EVENTS).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { benchEventStore } from '@mmreplay/event-store';

export async function store() {
  const dir = mkdtempSync(join(tmpdir(), 'mmreplay-bench-'));
  try {
    const r = await benchEventStore(dir, { events: Number(process.env.MMREPLAY_STORE_EVENTS ?? 1_000_000) });
    return Object.entries(r).map(([measure, value]) => ({ measure, value, goal: /^append/.test(measure) ? '>= 200,000/s' : '' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
