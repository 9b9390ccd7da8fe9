import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteEventStore } from '@mmreplay/event-store';
import { tempSqliteStore } from '../test/temp-store.js';
import { RunService } from './run.service.js';
import { QueryService } from './query.service.js';
import { litmusWitnessRequest } from './litmus-witness.js';

// A grace period in time travel (docs/memory-model.md, "RCU"): RCU-MP's witness recorded as a run
// on SQLite; the state view shows each thread's read-side section and the grace period with the
// threads it waits for, and `rcu:P1` is an object whose history names the grace period's two steps.

const RCU_MP = readFileSync(new URL('../../litmus/test/extra/RCU-MP.litmus', import.meta.url), 'utf8');

describe('time travel over RCU (SQLite)', () => {
  let t: Awaited<ReturnType<typeof tempSqliteStore>>;
  let store: SqliteEventStore;
  let queries: QueryService;

  beforeAll(async () => {
    t = await tempSqliteStore();
    store = t.store;
    const runs = new RunService(store, { batchSize: 100, snapshotEvery: 4 });
    await runs.startRun({ ...litmusWitnessRequest(RCU_MP, { runId: 'rcu', actor: 'ann', team: 'mm' }) });
    queries = new QueryService(store, { snapshotEvery: 4 });
  });
  afterAll(() => t.dispose());

  it("history rcu:P1 is the grace period's start and end; the state between them names whom it waits for", async () => {
    const h = await queries.history('rcu', 'rcu:P1');
    const events = await queries.events('rcu');
    const gp = events.filter((e) => e.kind === 'GracePeriod').map((e) => e.step);
    expect(gp).toHaveLength(2);
    expect(h.map((e) => e.step)).toEqual(gp);
    const between = await queries.stateAt('rcu', gp[0]);
    const reader = events.find((e) => e.kind === 'RcuReadLock')!;
    const unlock = events.find((e) => e.kind === 'RcuReadUnlock')!;
    // (the witness's schedule decides whether P0's section was open when the grace period started)
    const open = reader.step < gp[0] && unlock.step > gp[0];
    expect(between.view.memory!.threads.P1.rcu).toEqual({ section: 0, ending: false, gracePeriod: open ? ['P0'] : [] });
    const inside = await queries.stateAt('rcu', reader.step);
    expect(inside.view.memory!.threads.P0.rcu).toEqual({ section: 1, ending: false, gracePeriod: null });
  });

  it('the predicate language: the first state inside a section, and the first in a grace period', async () => {
    const events = await queries.events('rcu');
    const first = (kind: string) => events.find((e) => e.kind === kind)!.step;
    expect((await queries.firstWhere('rcu', { thread: 'P0', rcuSection: 1 }))!.step).toBe(first('RcuReadLock'));
    expect((await queries.firstWhere('rcu', { thread: 'P1', inGracePeriod: true }))!.step).toBe(first('GracePeriod'));
    expect(await queries.firstWhere('rcu', { thread: 'P0', rcuSection: { gt: 1 } })).toBeNull();
  });
});
