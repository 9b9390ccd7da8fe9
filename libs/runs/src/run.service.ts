import { canonicalJson } from '@mmreplay/model';
import type { RunResult, StepEvent } from '@mmreplay/engine';
import { createEvent, runStream, type EventData, type RecordedEvent, type RunCompleted, type RunStarted, type StepRecorded } from '@mmreplay/events';
import { StreamNotFoundError, WrongExpectedVersionError, type EventStore, type ExpectedRevision } from '@mmreplay/event-store';
import { applyStep, DEFAULT_SNAPSHOT_EVERY, encodeStateSnapshot, isSnapshotRevision, PROJECTION_VERSION, RunModel, snapshotKey } from '@mmreplay/projections';
import type { JsonValue } from '@mmreplay/events';
import { RunConflictError, RunDivergedError, UnknownRunError } from './errors.js';
import { checkReplay, prepareRun, preparedFromStarted, type PreparedRun, type StartRunRequest } from './run-request.js';
import { stepRun } from './stepping.js';
import { DEFAULT_SLICE_MS, Slices } from './slices.js';

export interface RunServiceOptions {
  /** step events per append (one transaction each); default 5,000 */
  batchSize?: number;
  /** state snapshot spacing, in events; default `DEFAULT_SNAPSHOT_EVERY` */
  snapshotEvery?: number;
  /** the longest the recording loop holds the event loop at a time, ms; default `DEFAULT_SLICE_MS` */
  sliceMs?: number;
  /** called after every committed batch */
  onProgress?: (progress: { runId: string; revision: bigint; appended: number }) => void;
}

/** What a run ended with, and what this call did to its stream. */
export interface RunReport {
  runId: string;
  stream: string;
  scenario: string;
  params: RunStarted['params'];
  variant: string | null;
  modelHash: string;
  strategy: string;
  seed: number | string;
  outcome: RunCompleted['outcome'];
  violation: RunCompleted['violation'];
  steps: number;
  schedule: string;
  /** events in the stream: RunStarted, the steps, RunCompleted */
  events: number;
  /** events this call appended */
  appended: number;
  /** events that were already stored and were checked against the re-simulation */
  verified: number;
}

const RETRIES = 3;

/**
 * Records runs: one stream per run, `RunStarted`, the step events, `RunCompleted`.
 *
 * Idempotent and crash-safe. The engine is deterministic, so a run is a pure function of its
 * `RunStarted`: starting a run whose stream already has events re-simulates it, checks the stored
 * events one by one against the re-simulation (any difference is a `RunDivergedError`, and nothing
 * is written), and appends only the missing ones, each batch with the exact expected revision. A
 * process killed at any moment and restarted with the same id ends with exactly the stream an
 * uninterrupted run writes. Two processes continuing one run race safely: the loser's append fails
 * its expected revision, and it starts over, verifying what the winner wrote.
 */
export class RunService {
  private readonly batchSize: number;
  private readonly snapshotEvery: number;

  constructor(
    private readonly store: EventStore,
    private readonly options: RunServiceOptions = {},
  ) {
    this.batchSize = options.batchSize ?? 5_000;
    this.snapshotEvery = options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
  }

  /** Starts a run, or continues the run with `req.runId` if its stream exists (the request must be the same). */
  async startRun(req: StartRunRequest): Promise<RunReport> {
    const run = prepareRun(req);
    await checkReplay(run, new Slices(this.options.sliceMs ?? DEFAULT_SLICE_MS));
    return this.execute(run);
  }

  /** Continues a stored run from its own `RunStarted` (its exact model), e.g. after a crash. */
  async resumeRun(runId: string): Promise<RunReport> {
    let first: RecordedEvent[];
    try {
      first = await this.store.readStream(runStream(runId), { maxCount: 1 });
    } catch (e) {
      if (e instanceof StreamNotFoundError) throw new UnknownRunError(runId);
      throw e;
    }
    if (first[0]?.type !== 'RunStarted') throw new RunDivergedError(runId, 0n, `the stream starts with ${first[0]?.type}, not RunStarted`);
    return this.execute(preparedFromStarted(first[0].data as RunStarted));
  }

  private async execute(run: PreparedRun): Promise<RunReport> {
    const stream = runStream(run.runId);
    let seen = await this.head(stream);
    for (let idle = 1; ; idle++) {
      try {
        return await this.record(run);
      } catch (e) {
        // Another writer got there first: start over and verify what it wrote. Two writers
        // recording in slices take turns; as long as the stream grows between attempts one of
        // them makes progress, and only RETRIES attempts in a row without progress give up.
        if (!(e instanceof WrongExpectedVersionError)) throw e;
        const now = await this.head(stream);
        if (now !== undefined && (seen === undefined || now > seen)) idle = 0;
        seen = now;
        if (idle >= RETRIES) throw e;
      }
    }
  }

  private async head(stream: string): Promise<bigint | undefined> {
    try {
      const [last] = await this.store.readStream(stream, { direction: 'backwards', maxCount: 1 });
      return last?.revision;
    } catch (e) {
      if (e instanceof StreamNotFoundError) return undefined;
      throw e;
    }
  }

  private async record(run: PreparedRun): Promise<RunReport> {
    const { runId, started } = run;
    const stream = runStream(runId);
    const store = this.store;
    let head = await this.head(stream);
    let appended = 0;
    let verified = 0;
    if (head === undefined) {
      await store.appendToStream(stream, [createEvent('RunStarted', started, { actor: started.actor })], { expectedRevision: 'no-stream' });
      head = 0n;
      appended++;
    } else {
      verified++;
      const [first] = await store.readStream(stream, { maxCount: 1 });
      checkSameRun(runId, first, started);
    }

    const model = new RunModel(started);
    const state = model.initial.slice();
    const key = snapshotKey(stream);
    // Snapshots after the latest one saved may be missing (a crash between an append and its
    // snapshots): they are written again as the run is re-simulated.
    const lastSnapshot = (await store.snapshots.load(key, { version: PROJECTION_VERSION }))?.revision ?? 0n;
    const pendingSnapshots: { revision: bigint; state: JsonValue }[] = [];
    // A snapshot is a cache: failing to write one (disk full, read-only store) never fails the run.
    const saveSnapshot = async (snapshot: { revision: bigint; version: number; state: JsonValue }) => {
      try {
        await store.snapshots.save(key, snapshot);
      } catch {
        // the reads rebuild it from the events
      }
    };

    const stored = new StoredEvents(store, stream, head);
    let expected: ExpectedRevision = head;
    let batch: EventData[] = [];
    const flush = async (events: EventData[]) => {
      const result = await store.appendToStream(stream, events, { expectedRevision: expected });
      expected = result.nextExpectedRevision;
      appended += events.length;
      // Snapshots only of committed events.
      while (pendingSnapshots.length && pendingSnapshots[0].revision <= result.nextExpectedRevision) {
        const s = pendingSnapshots.shift()!;
        await saveSnapshot({ revision: s.revision, version: PROJECTION_VERSION, state: s.state });
      }
      this.options.onProgress?.({ runId, revision: result.nextExpectedRevision, appended });
    };

    const steps = stepRun(run.world, run.spec, run.maxSteps);
    const slices = new Slices(this.options.sliceMs ?? DEFAULT_SLICE_MS);
    let revision = 1n;
    let completed: RunCompleted;
    for (; ; revision++) {
      let next: IteratorResult<StepEvent, RunResult>;
      try {
        next = steps.next();
      } catch (e) {
        // The engine cannot go on (a model that loops without an atomic step, a return without a
        // call, ...): the run ends here as `failed`, with the reason, and is never resumed. The
        // engine is deterministic, so re-simulating it fails at the same step with the same reason.
        completed = {
          outcome: 'failed',
          violation: null,
          steps: Number(revision - 1n),
          schedule: '',
          reason: `the engine failed at step ${revision - 1n}: ${e instanceof Error ? e.message : String(e)}`,
        };
        break;
      }
      if (next.done) {
        const result = next.value;
        completed = { outcome: result.outcome, violation: result.violation ? { ...result.violation } : null, steps: result.steps, schedule: result.schedule };
        break;
      }
      const event = next.value;
      if (revision <= head) {
        await stored.verify(revision, 'StepRecorded', event, runId);
        verified++;
      } else {
        batch.push(createEvent('StepRecorded', event, { step: event.step }));
      }
      applyStep(state, event);
      if (isSnapshotRevision(revision, this.snapshotEvery) && revision > lastSnapshot) {
        const snapshot = { revision, state: encodeStateSnapshot(model, event.step, state) };
        // A verified event is committed already; a new one waits for its batch.
        if (revision <= head) await saveSnapshot({ ...snapshot, version: PROJECTION_VERSION });
        else pendingSnapshots.push(snapshot);
      }
      if (batch.length >= this.batchSize) {
        await flush(batch);
        batch = [];
      }
      if (slices.due) await slices.pause();
    }

    if (revision <= head) {
      await stored.verify(revision, 'RunCompleted', completed, runId);
      verified++;
      if (head > revision) throw new RunDivergedError(runId, revision + 1n, `the stream has ${head - revision} event(s) after RunCompleted`);
    } else {
      // The last steps and RunCompleted in one transaction.
      batch.push(createEvent('RunCompleted', completed, { actor: started.actor }));
      await flush(batch);
    }
    return {
      runId,
      stream,
      scenario: started.scenario,
      params: started.params,
      variant: started.variant,
      modelHash: started.modelHash,
      strategy: started.strategy,
      seed: started.seed,
      outcome: completed.outcome,
      violation: completed.violation,
      steps: completed.steps,
      schedule: completed.schedule,
      events: Number(revision) + 1,
      appended,
      verified,
    };
  }
}

/** The stored `RunStarted` must be the one this request makes, field for field. */
function checkSameRun(runId: string, first: RecordedEvent | undefined, started: RunStarted): void {
  if (first?.type !== 'RunStarted') throw new RunDivergedError(runId, 0n, `the stream starts with ${first?.type}, not RunStarted`);
  const stored = first.data as Record<string, unknown>;
  if (canonicalJson(stored) === canonicalJson(started)) return;
  const keys = [...new Set([...Object.keys(started), ...Object.keys(stored)])];
  const field = keys.find((k) => canonicalJson(stored[k]) !== canonicalJson((started as unknown as Record<string, unknown>)[k])) ?? '(root)';
  const shown = (v: unknown) => (field === 'model' || field === 'initialDeltas' ? `<${field} ${String(v && typeof v === 'object' ? 'object' : v)}>` : v);
  throw new RunConflictError(runId, field, shown(stored[field]), shown((started as unknown as Record<string, unknown>)[field]));
}

/** Reads a run's stored events page by page, to check them against the re-simulation in order. */
class StoredEvents {
  private page: RecordedEvent[] = [];
  private index = 0;
  private next = 1n;

  constructor(
    private readonly store: EventStore,
    private readonly stream: string,
    private readonly head: bigint,
    private readonly pageSize = 5_000,
  ) {}

  async verify(revision: bigint, type: string, data: StepRecorded | RunCompleted, runId: string): Promise<void> {
    if (this.index >= this.page.length) {
      this.page = await this.store.readStream(this.stream, { fromRevision: this.next, maxCount: Math.min(this.pageSize, Number(this.head - this.next + 1n)) });
      this.index = 0;
    }
    const event = this.page[this.index++];
    this.next = revision + 1n;
    if (!event || event.revision !== revision) throw new RunDivergedError(runId, revision, 'the stored stream has a gap');
    if (event.type !== type) throw new RunDivergedError(runId, revision, `stored ${event.type}, re-simulated ${type}`);
    // Same code, same key order: compare the JSON text, and only on a difference look closer.
    if (JSON.stringify(event.data) === JSON.stringify(data)) return;
    if (canonicalJson(event.data) === canonicalJson(data)) return;
    const a = event.data as Record<string, unknown>;
    const b = data as unknown as Record<string, unknown>;
    const field = Object.keys({ ...a, ...b }).find((k) => canonicalJson(a[k]) !== canonicalJson(b[k]));
    throw new RunDivergedError(runId, revision, `${type} ${field}: stored ${canonicalJson(a[field ?? ''])}, re-simulated ${canonicalJson(b[field ?? ''])}`);
  }
}
