import { describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '@mmreplay/event-store';
import { createEvent, runStream, type RunStarted } from '@mmreplay/events';
import { prepareRun } from '../run-request.js';
import { CatalogueService } from './catalogue.service.js';

// Issue 12's soak: requests/s fell as runs accumulated, because the catalogue was a list of every
// run in memory, saved whole as a snapshot (at most every 20x its own duration, still O(runs)
// each time, and blocking the event loop longer as runs grew). A catch-up must cost the same
// whatever the number of runs already catalogued: what it hands the store is counted here, not timed.

const base = prepareRun({ runId: 'c0', scenario: 'seed', params: { ptes: 2, faults: 2 } }).started;

async function storeWithRuns(n: number): Promise<InMemoryEventStore> {
  const store = new InMemoryEventStore();
  for (let i = 0; i < n; i++) await appendRun(store, `c${i}`, i);
  return store;
}

async function appendRun(store: InMemoryEventStore, runId: string, i: number): Promise<void> {
  const started: RunStarted = { ...base, runId, seed: i, team: `team${i % 3}`, actor: 'ann' };
  await store.appendToStream(
    runStream(runId),
    [createEvent('RunStarted', started), createEvent('RunCompleted', { outcome: 'completed', violation: null, steps: 10, schedule: 's1.AA.' })],
    { expectedRevision: 'no-stream' },
  );
}

/** Bytes a catch-up that reads one new run hands to the store (snapshots and checkpoints), once anything periodic is due. */
async function bytesWrittenCatchingUpOneRun(runs: number): Promise<number> {
  const store = await storeWithRuns(runs);
  const catalogue = new CatalogueService(store, { saveEveryMs: 0 });
  const t0 = performance.now();
  await catalogue.page('team0', {}, { limit: 20 });
  // whatever is saved periodically is due again (the old snapshot waited 20x its last save's duration,
  // a part of this first catch-up)
  await new Promise((resolve) => setTimeout(resolve, Math.min(3_000, Math.max(250, 10 * (performance.now() - t0)))));
  let bytes = 0;
  const save = store.snapshots.save.bind(store.snapshots);
  store.snapshots.save = (stream, snapshot) => {
    bytes += JSON.stringify(snapshot.state).length;
    return save(stream, snapshot);
  };
  const checkpoint = store.checkpoints.store.bind(store.checkpoints);
  store.checkpoints.store = (consumer, position) => {
    bytes += 8;
    return checkpoint(consumer, position);
  };
  await appendRun(store, 'new', runs);
  const page = await catalogue.page(`team${runs % 3}`, {}, { limit: 20 });
  expect(page?.runs[0].runId).toBe('new');
  catalogue.index.close();
  await store.close();
  return bytes;
}

describe('the catalogue costs the same per request whatever the number of runs (issue 12 soak)', () => {
  it('a catch-up reading one new run writes as much with 400 runs catalogued as with 30', async () => {
    const few = await bytesWrittenCatchingUpOneRun(30);
    const many = await bytesWrittenCatchingUpOneRun(400);
    // the old snapshot: about 600 bytes a run, so 240 KB against 18 KB
    expect(many).toBeLessThanOrEqual(few + 64);
    expect(many).toBeLessThan(1_000);
  }, 60_000);
});
