import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { explore } from '@mmreplay/explorer';
import type { SqliteEventStore } from '@mmreplay/event-store';
import { tempSqliteStore } from '../test/temp-store.js';
import { RunService } from './run.service.js';
import { QueryService } from './query.service.js';

// The memory model's objects are objects of time travel (docs/memory-model.md): litmus variables,
// recorded results, outstanding loads and stores, and under lkmm which store of a location each
// CPU has seen. The SB run below is lkmm's weak outcome: both CPUs read 0.

describe('time travel over the memory model (SQLite)', () => {
  let t: Awaited<ReturnType<typeof tempSqliteStore>>;
  let store: SqliteEventStore;
  let queries: QueryService;
  let last = 0;

  beforeAll(async () => {
    t = await tempSqliteStore();
    store = t.store;
    const req = { scenario: 'litmus-sb', variant: 'SB+poonceonces', memoryModel: 'lkmm' as const };
    const cex = explore(resolveModel(req).world).counterexample!;
    const runs = new RunService(store, { batchSize: 100, snapshotEvery: 4 });
    await runs.startRun({ runId: 'sb', ...req, schedule: cex.schedule, actor: 'ann', team: 'mm' });
    queries = new QueryService(store, { snapshotEvery: 4 });
    last = (await queries.events('sb')).at(-1)!.step;
  });
  afterAll(() => t.dispose());

  it('diff from before the first step to the last shows x 0->1, y 0->1 and the results recorded as 0', async () => {
    const d = await queries.diff('sb', -1, last);
    const change = (path: string) => d.changes.find((c) => c.path === path);
    expect(change('memory.vars.x')).toEqual({ path: 'memory.vars.x', a: 0, b: 1 });
    expect(change('memory.vars.y')).toEqual({ path: 'memory.vars.y', a: 0, b: 1 });
    // Both CPUs read 0: an outcome observed as 0 is recorded (null before).
    expect(change('memory.results.0:r0')).toEqual({ path: 'memory.results.0:r0', a: null, b: 0 });
    expect(change('memory.results.1:r0')).toEqual({ path: 'memory.results.1:r0', a: null, b: 0 });
  });

  it('the state shows which store has not reached which CPU', async () => {
    // P0 stores x = 1 (in the coherence order) and P1 still sees the initial 0: it reads 0 later.
    const hit = await queries.firstWhere('sb', { var: 'x', value: 1, notSeenBy: 'P1' });
    expect(hit).not.toBeNull();
    expect(hit!.view.memory!.threads.P1.notYetSeen.x).toEqual([1]);
    expect(hit!.view.memory!.threads.P1.sees.x).toBe(0);
    expect(hit!.view.memory!.locations.x).toEqual([0, 1]);
    const read = (await queries.events('sb')).find((e) => e.thread === 'P1' && e.memory?.some((a) => a.location === 'var:x'))!;
    expect(read.memory![0]).toMatchObject({ access: 'load', value: 0, readFrom: { step: null }, newer: [{ thread: 'P0', value: 1 }] });
    expect(await queries.firstWhere('sb', { var: 'x', value: 1, notSeenBy: 'P0' })).toBeNull();
    // Registers and outstanding loads in the predicate language too.
    const done = await queries.firstWhere('sb', { thread: 'P1', regs: { r0: 0 }, pendingLoads: 0, status: 'done' });
    expect(done).not.toBeNull();
  });

  it('history var:x names every step that wrote or read x', async () => {
    const h = await queries.history('sb', 'var:x');
    const events = await queries.events('sb');
    const touching = events.filter((e) => e.memory?.some((a) => a.location === 'var:x')).map((e) => e.step);
    expect(h.map((e) => e.step)).toEqual(touching);
    expect(h.length).toBeGreaterThanOrEqual(2);
    expect(h.find((e) => e.thread === 'P0')?.changes).toEqual([{ field: 'value', before: 0, after: 1 }]);
    expect((await queries.history('sb', 'litmus')).length).toBe(2);
    expect((await queries.history('sb', 'view:P1')).length).toBeGreaterThan(0);
  });
});
