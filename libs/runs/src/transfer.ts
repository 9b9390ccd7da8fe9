import { assertPathsCanRun, canonicalJson, contentHash, type World } from '@mmreplay/model';
import { runStream, type EventData, type RunStarted } from '@mmreplay/events';
import { InMemoryEventStore, StreamNotFoundError, type EventStore } from '@mmreplay/event-store';
import { InvalidRunRequestError, RunConflictError, UnknownRunError } from './errors.js';
import { RunService } from './run.service.js';

// A run travels as its events, one JSON object a line, as they are stored (type, data, metadata):
// `mmreplay export <run> > run.ndjson`, mailed, `mmreplay import run.ndjson` (or
// `GET /runs/{id}/export` and `POST /runs/import` on a server). An import is checked before
// anything is stored: the run is re-simulated from its own RunStarted on an in-memory store, and
// every event of the file must be the re-simulation's, in order.

/** The run an export names is already on this store: a conflict (409, CLI exit code 2), nothing written. */
export class RunAlreadyStoredError extends RunConflictError {
  constructor(runId: string) {
    super(runId, 'runId', runId, runId);
    this.message = `run '${runId}' is already on this store (mmreplay trace ${runId})`;
    this.name = 'RunAlreadyStoredError';
  }
}

/** One line of an exported run. */
export interface ExportedEvent {
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

const bigints = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** The run's stream as ndjson lines, read from the store as they are consumed. */
export async function* exportRun(store: EventStore, runId: string): AsyncGenerator<string> {
  const stream = runStream(runId);
  try {
    for await (const e of store.iterateStream(stream)) yield `${JSON.stringify({ type: e.type, data: e.data, metadata: e.metadata }, bigints)}\n`;
  } catch (e) {
    if (e instanceof StreamNotFoundError) throw new UnknownRunError(runId);
    throw e;
  }
}

/** Reads an export: one event a line, the first a RunStarted. `file` names it in messages. */
export function parseExport(text: string, file: string): ExportedEvent[] {
  const events: ExportedEvent[] = [];
  text.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    let e: ExportedEvent;
    try {
      e = JSON.parse(line) as ExportedEvent;
    } catch (err) {
      throw new InvalidRunRequestError('file', `${file} line ${i + 1} is not JSON: ${(err as Error).message}`);
    }
    if (typeof e?.type !== 'string' || typeof e.data !== 'object' || e.data === null)
      throw new InvalidRunRequestError('file', `${file} line ${i + 1} is not an event {type, data, metadata}`);
    events.push({ type: e.type, data: e.data, metadata: typeof e.metadata === 'object' && e.metadata ? e.metadata : {} });
  });
  if (events[0]?.type !== 'RunStarted') throw new InvalidRunRequestError('file', `${file} does not start with a RunStarted event (is it a mmreplay export?)`);
  return events;
}

export interface ImportOptions {
  /**
   * Store the run under this id and team rather than the file's (a server names its runs and keeps
   * them in the importer's team). Neither is part of what the re-simulation checks.
   */
  as?: { runId: string; team: string };
}

/** The re-simulation went on past the file's last event: it cannot match. */
class LongerThanTheFile extends Error {}

/**
 * Re-simulates the exported run and, when every event matches, stores the events as they are (with
 * their authors and times) under the run's own id (or `options.as`). Refuses an id that is taken.
 * The re-simulation stops once it has gone past the file's length, so a short file that claims a
 * long run costs no more than the file itself.
 */
export async function importRun(
  store: EventStore,
  exported: readonly ExportedEvent[],
  options: ImportOptions = {},
): Promise<{ runId: string; events: number }> {
  const events = options.as ? renamed(exported, options.as) : exported;
  const runId = String((events[0].data as { runId?: unknown }).runId ?? '');
  if (!runId) throw new InvalidRunRequestError('file', 'the RunStarted event names no runId');
  checkModel(events[0].data as Partial<RunStarted>);
  const scratch = new InMemoryEventStore();
  const batchSize = 1_000;
  try {
    await scratch.appendToStream(runStream(runId), [{ type: 'RunStarted', data: events[0].data, metadata: events[0].metadata } as EventData], {
      expectedRevision: 'no-stream',
    });
    const resim = new RunService(scratch, {
      batchSize,
      onProgress: ({ appended }) => {
        if (appended > events.length + batchSize) throw new LongerThanTheFile();
      },
    });
    try {
      await resim.resumeRun(runId);
    } catch (e) {
      // any other failure is the file's: a model the engine cannot run
      if (!(e instanceof LongerThanTheFile))
        throw new InvalidRunRequestError('file', `the run cannot be re-simulated: ${e instanceof Error ? e.message : String(e)}`);
    }
    const again = await scratch.readStream(runStream(runId));
    const differs = again.findIndex((e, i) => !events[i] || e.type !== events[i].type || canonicalJson(e.data) !== canonicalJson(events[i].data));
    if (differs >= 0 || again.length !== events.length) {
      const at = differs >= 0 ? differs : Math.min(again.length, events.length);
      throw new InvalidRunRequestError(
        'file',
        `event ${at} is not what re-simulating the run gives (${events[at]?.type ?? 'missing'} vs ${again[at]?.type ?? 'missing'}): the file was changed, or comes from another model`,
      );
    }
  } finally {
    await scratch.close();
  }
  try {
    await store.readStream(runStream(runId), { maxCount: 1 });
    throw new RunAlreadyStoredError(runId);
  } catch (e) {
    if (!(e instanceof StreamNotFoundError)) throw e;
  }
  await store.appendToStream(
    runStream(runId),
    events.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata }) as EventData),
    { expectedRevision: 'no-stream' },
  );
  return { runId, events: events.length };
}

/**
 * The model a run executes is the one its RunStarted carries: it must be the model its hash names,
 * and every path its threads run must be able to run, as for a variant submitted to `run`.
 */
function checkModel(started: Partial<RunStarted>): void {
  if (typeof started.model !== 'object' || started.model === null) throw new InvalidRunRequestError('file', 'the RunStarted event carries no model');
  if (contentHash(started.model) !== started.modelHash)
    throw new InvalidRunRequestError('file', 'the model in the RunStarted event is not the one its modelHash names: the file was changed');
  try {
    assertPathsCanRun(started.model as unknown as World);
  } catch (e) {
    throw new InvalidRunRequestError('file', `the run's model cannot run: ${e instanceof Error ? e.message : String(e)}`);
  }
}

/** The events with the RunStarted naming another id and team. */
function renamed(events: readonly ExportedEvent[], as: { runId: string; team: string }): ExportedEvent[] {
  const started = { ...(events[0].data as RunStarted), runId: as.runId, team: as.team };
  return [{ ...events[0], data: started }, ...events.slice(1)];
}
