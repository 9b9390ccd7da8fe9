#!/usr/bin/env node
// What a big snapshot row costs its neighbours in the embedded store: the time of
// `snapshots.load` for runs that have no snapshot, on a store whose snapshot table also holds one
// row of N catalogue entries (what versions before catalogue version 3 saved, every run in one row
// under `read-model/catalogue`). The snapshot table is ordered by key, and a lookup that lands next to
// a row with overflow pages reads the whole row to compare keys. Run after `npm run build`:
//   node apps/api/scripts/snapshot-lookup.mjs [--runs 0,2000,8000,16000]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '@mmreplay/event-store';

const i = process.argv.indexOf('--runs');
const sizes = (i > 0 ? process.argv[i + 1] : '0,2000,8000,16000').split(',').map(Number);
const entry = {
  runId: '0123456789abcdef0123',
  team: 'soak',
  scenario: 'seed',
  params: { ptes: 3, faults: 3 },
  variant: null,
  modelHash: 'f'.repeat(64),
  strategy: 'pct',
  seed: 1,
  author: 'soak',
  status: 'completed',
  outcome: 'completed',
  violation: null,
  steps: 30,
  schedule: 's1.AAAAAAAAAAAAAAAAAAAAAA.',
  createdAt: '2026-12-02T10:25:00.000Z',
  completedAt: '2026-12-02T10:25:00.010Z',
  counterexampleOf: [],
  position: '123456',
};
for (const runs of sizes) {
  const dir = mkdtempSync(join(tmpdir(), 'mmreplay-snapshot-lookup-'));
  const store = await SqliteEventStore.open(join(dir, 'store.db'));
  try {
    if (runs > 0) {
      await store.snapshots.save('read-model/catalogue', {
        revision: 0n,
        version: 2,
        state: { position: '1', runs: Array.from({ length: runs }, () => entry), audits: [] },
      });
    }
    const lookups = 200;
    const t0 = performance.now();
    for (let k = 0; k < lookups; k++) await store.snapshots.load(`run-${k.toString(16).padStart(20, '0')}`, { atOrBefore: 100n });
    const ms = (performance.now() - t0) / lookups;
    console.log(JSON.stringify({ catalogueRuns: runs, rowMB: +((JSON.stringify(entry).length * runs) / 2 ** 20).toFixed(1), msPerLookup: +ms.toFixed(3) }));
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
