import { describe, expect, it } from 'vitest';
import { InMemoryEventStore, type EventStore } from '@mmreplay/event-store';
import { runStream, type RecordedEvent, type RunStarted } from '@mmreplay/events';
import { PROJECTION_VERSION, snapshotKey } from '@mmreplay/projections';
import { crashingAfter } from '../test/failing-store.js';
import { RunService } from './run.service.js';
import { RunConflictError, RunDivergedError, UnknownRunError } from './errors.js';
import type { StartRunRequest } from './run-request.js';

const request: StartRunRequest = {
  runId: 'r1',
  scenario: 'seed',
  params: { ptes: 2, faults: 2, rounds: 20 },
  strategy: 'random',
  seed: 5,
  actor: 'ann',
  team: 'mm',
};
/** What identifies an event regardless of when it was written: type, data and step metadata. */
const content = (events: RecordedEvent[]) => events.map((e) => JSON.stringify([String(e.revision), e.type, e.data, e.metadata.step ?? null]));

async function reference(req: StartRunRequest = request): Promise<RecordedEvent[]> {
  const store = new InMemoryEventStore();
  await new RunService(store, { batchSize: 100 }).startRun(req);
  return store.readStream(runStream(req.runId!));
}

describe('RunService', () => {
  it('records RunStarted, every step and RunCompleted, in batches with snapshots', async () => {
    const store = new InMemoryEventStore();
    const report = await new RunService(store, { batchSize: 100, snapshotEvery: 50 }).startRun(request);
    const events = await store.readStream('run-r1');
    expect(report).toMatchObject({ runId: 'r1', stream: 'run-r1', outcome: 'completed', events: events.length, appended: events.length, verified: 0 });
    expect(events[0].type).toBe('RunStarted');
    expect(events.at(-1)!.type).toBe('RunCompleted');
    expect(events.at(-1)!.data).toMatchObject({ outcome: 'completed', steps: report.steps, schedule: report.schedule });
    events.slice(1, -1).forEach((e, i) => expect(e.data).toMatchObject({ step: i }));
    const started = events[0].data as RunStarted;
    expect(started).toMatchObject({ runId: 'r1', scenario: 'seed', variant: null, strategy: 'random', seed: 5, schedule: null, actor: 'ann', team: 'mm' });
    expect(started.initialDeltas.length).toBeGreaterThan(0);
    const snap = await store.snapshots.load(snapshotKey('run-r1'));
    expect(snap).toMatchObject({ version: PROJECTION_VERSION, revision: BigInt(Math.floor((events.length - 2) / 50) * 50) });
  });

  it('is idempotent: starting the same run again appends nothing and checks everything', async () => {
    const store = new InMemoryEventStore();
    const service = new RunService(store, { batchSize: 100 });
    const first = await service.startRun(request);
    const again = await service.startRun(request);
    expect(again).toEqual({ ...first, appended: 0, verified: first.events });
    expect((await store.readStream('run-r1')).length).toBe(first.events);
  });

  it("continues a run killed after any batch, and ends with the uninterrupted run's events", async () => {
    const want = content(await reference());
    for (const crashAfter of [0, 1, 2, 5, 9]) {
      const store = new InMemoryEventStore();
      await expect(new RunService(crashingAfter(store, crashAfter), { batchSize: 100 }).startRun(request)).rejects.toThrow('simulated crash');
      const stored = await store.readStream('run-r1').catch(() => []);
      expect(stored.length).toBe(crashAfter === 0 ? 0 : 1 + (crashAfter - 1) * 100);
      const report = await new RunService(store, { batchSize: 100 }).startRun(request);
      expect(report.verified).toBe(stored.length);
      expect(content(await store.readStream('run-r1'))).toEqual(want);
    }
  });

  it('continues from the stored RunStarted alone (resumeRun), with another batch size', async () => {
    const want = content(await reference());
    const store = new InMemoryEventStore();
    await expect(new RunService(crashingAfter(store, 3), { batchSize: 100 }).startRun(request)).rejects.toThrow();
    const report = await new RunService(store, { batchSize: 37 }).resumeRun('r1');
    expect(report.verified).toBe(201);
    expect(content(await store.readStream('run-r1'))).toEqual(want);
    await expect(new RunService(store).resumeRun('nope')).rejects.toBeInstanceOf(UnknownRunError);
  });

  it('two writers continuing one run race safely', async () => {
    const want = content(await reference());
    const store = new InMemoryEventStore();
    await expect(new RunService(crashingAfter(store, 2), { batchSize: 100 }).startRun(request)).rejects.toThrow();
    await Promise.all([new RunService(store, { batchSize: 50 }).startRun(request), new RunService(store, { batchSize: 70 }).startRun(request)]);
    expect(content(await store.readStream('run-r1'))).toEqual(want);
  });

  it('refuses a different request under an existing id, naming the field, and writes nothing', async () => {
    const store = new InMemoryEventStore();
    await new RunService(store).startRun(request);
    const before = (await store.readStream('run-r1')).length;
    await expect(new RunService(store).startRun({ ...request, seed: 6 })).rejects.toMatchObject({
      name: 'RunConflictError',
      field: 'seed',
      stored: 5,
      requested: 6,
    });
    await expect(new RunService(store).startRun({ ...request, params: { ptes: 1 } })).rejects.toBeInstanceOf(RunConflictError);
    await expect(new RunService(store).startRun({ ...request, actor: 'bob' })).rejects.toThrow(/actor = "ann", not "bob"/);
    expect((await store.readStream('run-r1')).length).toBe(before);
  });

  it('never overwrites a stored run that differs from its re-simulation', async () => {
    const good = await reference();
    const store = new InMemoryEventStore();
    // A log whose step 40 another engine would have written differently.
    const tampered = good
      .slice(0, 60)
      .map((e) => ({ type: e.type, data: structuredClone(e.data) as Record<string, unknown>, metadata: { step: e.metadata.step } }));
    (tampered[41].data as { thread: string }).thread = 'flt9';
    await store.appendToStream('run-r1', tampered, { expectedRevision: 'no-stream' });
    const err = await new RunService(store).startRun(request).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunDivergedError);
    expect((err as RunDivergedError).revision).toBe(41n);
    expect((err as Error).message).toMatch(/StepRecorded thread: stored "flt9", re-simulated "(mig|flt\d)"/);
    expect((await store.readStream('run-r1')).length).toBe(60);
  });

  it('records a replayed counterexample with its violation', async () => {
    const store: EventStore = new InMemoryEventStore();
    const report = await new RunService(store).startRun({ runId: 'bug', scenario: 'seed', variant: 'unlock-before-remove', schedule: 's1.ARECAAMD.' });
    expect(report).toMatchObject({
      strategy: 'replay',
      outcome: 'violation',
      steps: 22,
      events: 24,
      violation: { invariant: 'bug-on', step: 21, thread: 'flt0' },
    });
    const [started] = await store.readStream('run-bug', { maxCount: 1 });
    expect(started.data).toMatchObject({ variant: 'unlock-before-remove', schedule: 's1.ARECAAMD.', strategy: 'replay' });
  });
});
