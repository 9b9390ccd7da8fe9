import { describe, expect, it } from 'vitest';
import { InMemoryEventStore, type EventStore } from '@mmreplay/event-store';
import { runStream } from '@mmreplay/events';
import { PROJECTION_VERSION, snapshotKey } from '@mmreplay/projections';
import { RunService } from './run.service.js';
import { QueryService } from './query.service.js';

const REQUEST = { runId: 'snap', scenario: 'seed', params: { ptes: 2, faults: 2, rounds: 20 }, strategy: 'random' as const, seed: 3 };

async function recorded(): Promise<{ store: InMemoryEventStore; truth: QueryService }> {
  const store = new InMemoryEventStore();
  await new RunService(store, { snapshotEvery: 32 }).startRun(REQUEST);
  // the truth: every state folded from the events alone
  const bare = new InMemoryEventStore();
  await new RunService(bare, { snapshotEvery: 1_000_000 }).startRun(REQUEST);
  return { store, truth: new QueryService(bare, { writeSnapshots: false }) };
}

describe('snapshots are caches that cannot lie (issue 12)', () => {
  it('a snapshot whose contents were altered (one field raised by 5) is discarded and rebuilt from the events', async () => {
    const { store, truth } = await recorded();
    const key = snapshotKey(runStream('snap'));
    const snap = (await store.snapshots.load(key, { atOrBefore: 64n, version: PROJECTION_VERSION }))!;
    expect(snap.revision).toBe(64n);
    const state = snap.state as { state: number[] };
    const i = state.state.findIndex((v) => v !== 0);
    state.state[i] += 5;
    await store.snapshots.save(key, { revision: snap.revision, version: PROJECTION_VERSION, state: state as never });

    const queries = new QueryService(store, { snapshotEvery: 32 });
    for (let step = 63; step < 90; step++) {
      expect((await queries.stateAt('snap', step)).vector, `step ${step}`).toEqual((await truth.stateAt('snap', step)).vector);
    }
    // and the snapshot was written again, whole
    const again = (await store.snapshots.load(key, { atOrBefore: 64n, version: PROJECTION_VERSION }))!;
    expect((again.state as { state: number[] }).state[i]).toBe(state.state[i] - 5);
  });

  it('a failed snapshot write (disk full, read-only) never fails the read that triggered it', async () => {
    const { store, truth } = await recorded();
    // drop every snapshot, then make writing them fail
    const failing: EventStore = Object.create(store);
    Object.defineProperty(failing, 'snapshots', {
      value: {
        load: async () => undefined,
        save: async () => {
          throw new Error('SQLITE_FULL: database or disk is full');
        },
      },
    });
    const queries = new QueryService(failing, { snapshotEvery: 32 });
    expect((await queries.stateAt('snap', 100)).vector).toEqual((await truth.stateAt('snap', 100)).vector);
  });
});
