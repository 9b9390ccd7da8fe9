import { canonicalJson, DomainError } from '@mmreplay/model';
import { runStream, type EventData } from '@mmreplay/events';
import { InMemoryEventStore, StreamNotFoundError, type EventStore } from '@mmreplay/event-store';
import { InvalidRunRequestError, RunService, UnknownRunError } from '@mmreplay/runs';

// A run travels as its events, one JSON object a line, as they are stored (type, data, metadata):
// `mmreplay export <run> > run.ndjson`, mailed, `mmreplay import run.ndjson`. An import is checked
// before anything is stored: the run is re-simulated from its own RunStarted on an in-memory store,
// and every event of the file must be the re-simulation's, in order.

/** The run an export names is already on this store: exit code 2. */
export class ImportConflictError extends DomainError {
  readonly kind = 'conflict';
}

/** One line of an exported run. */
export interface ExportedEvent {
  type: string;
  data: unknown;
  metadata: Record<string, unknown>;
}

const bigints = (_: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** The run's stream as ndjson lines. */
export async function* exportRun(store: EventStore, runId: string): AsyncIterable<string> {
  const stream = runStream(runId);
  try {
    for await (const e of store.iterateStream(stream)) yield `${JSON.stringify({ type: e.type, data: e.data, metadata: e.metadata }, bigints)}\n`;
  } catch (e) {
    if (e instanceof StreamNotFoundError) throw new UnknownRunError(runId);
    throw e;
  }
}

/** Reads an export: one event a line, the first a RunStarted. */
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
    if (typeof e?.type !== 'string' || typeof e.data !== 'object' || e.data === null) throw new InvalidRunRequestError('file', `${file} line ${i + 1} is not an event {type, data, metadata}`);
    events.push({ type: e.type, data: e.data, metadata: typeof e.metadata === 'object' && e.metadata ? e.metadata : {} });
  });
  if (events[0]?.type !== 'RunStarted') throw new InvalidRunRequestError('file', `${file} does not start with a RunStarted event (is it a mmreplay export?)`);
  return events;
}

/** The run id an export's RunStarted names. */
const runIdOf = (e: ExportedEvent): string => String((e.data as { runId?: unknown }).runId ?? '');

/**
 * Re-simulates the exported run and, when every event matches, stores the events as they are (with
 * their authors and times) under the run's own id. Refuses an id that is already taken.
 */
export async function importRun(store: EventStore, events: readonly ExportedEvent[]): Promise<{ runId: string; events: number }> {
  const runId = runIdOf(events[0]);
  if (!runId) throw new InvalidRunRequestError('file', 'the RunStarted event names no runId');
  const scratch = new InMemoryEventStore();
  try {
    await scratch.appendToStream(runStream(runId), [{ type: 'RunStarted', data: events[0].data, metadata: events[0].metadata } as EventData], { expectedRevision: 'no-stream' });
    await new RunService(scratch).resumeRun(runId);
    const again = await scratch.readStream(runStream(runId));
    const differs = again.findIndex((e, i) => !events[i] || e.type !== events[i].type || canonicalJson(e.data) !== canonicalJson(events[i].data));
    if (differs >= 0 || again.length !== events.length) {
      const at = differs >= 0 ? differs : Math.min(again.length, events.length);
      throw new InvalidRunRequestError('file', `event ${at} is not what re-simulating the run gives (${events[at]?.type ?? 'missing'} vs ${again[at]?.type ?? 'missing'}): the file was changed, or comes from another model`);
    }
  } finally {
    await scratch.close();
  }
  try {
    await store.readStream(runStream(runId), { maxCount: 1 });
    throw new ImportConflictError(`run '${runId}' is already on this store (mmreplay trace ${runId})`);
  } catch (e) {
    if (!(e instanceof StreamNotFoundError)) throw e;
  }
  await store.appendToStream(runStream(runId), events.map((e) => ({ type: e.type, data: e.data, metadata: e.metadata }) as EventData), { expectedRevision: 'no-stream' });
  return { runId, events: events.length };
}
