import { canonicalJson } from '@mmreplay/model';
import { runStream, type RecordedEvent, type RunCompleted, type RunStarted, type StepRecorded } from '@mmreplay/events';
import { StreamNotFoundError, type EventStore } from '@mmreplay/event-store';
import {
  applyStep,
  compilePredicate,
  predicateWork,
  WorkBudget,
  diffViews,
  formatField,
  resolveObject,
  RunModel,
  stateAt,
  StepOutOfRangeError,
  UnknownObjectError,
  viewOf,
  type StateChange,
  type StateView,
  type TimeTravelOptions,
} from '@mmreplay/projections';
import { InvalidQueryError, UnknownRunError } from './errors.js';
import { checkEventTypes } from './event-kinds.js';
import { storeSource } from './store-source.js';
import { DEFAULT_SLICE_MS, Slices } from './slices.js';
import { buildTrace, type Trace } from './trace/trace.js';

export interface QueryServiceOptions extends TimeTravelOptions {
  /** runs whose model (RunStarted) is kept in memory; default 64 */
  cachedRuns?: number;
  /** the longest a scan holds the event loop at a time, ms; default `DEFAULT_SLICE_MS` */
  sliceMs?: number;
  /** rebuild missing or outdated snapshots while answering; default true */
  writeSnapshots?: boolean;
}

/** The state of a run after one step. */
export interface RunState {
  runId: string;
  /** -1: before the first step */
  step: number;
  /** the step that produced this state (null for step -1) */
  event: StepRecorded | null;
  view: StateView;
  /** the raw state vector */
  vector: Int32Array;
}

export interface RunInfo {
  runId: string;
  started: Omit<RunStarted, 'model' | 'initialDeltas'>;
  completed: RunCompleted | null;
  /** the last recorded step (-1: none yet) */
  lastStep: number;
}

export interface EventQuery {
  /** first step, inclusive (default 0) */
  from?: number;
  /** last step, inclusive (default: the last) */
  to?: number;
  /** event kinds (`PageUnlocked`, `PteRead`, ...) or ops (`unlock_page`, ...) */
  types?: readonly string[];
  /** steps of this thread */
  thread?: string;
  /** steps that touched this object (`page:P`, `pte:e0`, `ptl:ptl`, `thread:flt0`, or a bare name) */
  object?: string;
  /** at most this many events */
  limit?: number;
}

/** A readable change of one field of one object. */
export interface FieldChange {
  field: string;
  before: string | number;
  after: string | number;
}

/** One step in the history of an object. */
export interface HistoryEntry {
  step: number;
  thread: string;
  label: string;
  op: string;
  kind: string;
  fn: string;
  args: StepRecorded['args'];
  /** how the step changed the object (empty for a read) */
  changes: FieldChange[];
}

export interface FirstMatch {
  runId: string;
  /** -1 when the predicate already holds before the first step */
  step: number;
  event: StepRecorded | null;
  view: StateView;
  /** steps evaluated */
  scanned: number;
}

export interface StepRef {
  runId: string;
  step: number;
}

export interface StateDiff {
  a: StepRef;
  b: StepRef;
  changes: StateChange[];
}

export interface Divergence {
  /** the first step at which the runs differ; -1 when they start from different states */
  step: number;
  reason: string;
  a: StepRecorded | null;
  b: StepRecorded | null;
}

export interface HeldLocks {
  runId: string;
  thread: string;
  step: number;
  pageLocks: string[];
  ptls: string[];
}

/** Events read per round trip: small enough that one synchronous SQLite read and decode stays within a slice. */
const PAGE = 1_000;
/** Rows a trace shows when no range is given: the end of the run, where violations are. */
export const DEFAULT_TRACE_ROWS = 1_000;
export const MAX_TRACE_ROWS = 100_000;

/**
 * Time-travel queries over runs in the event store: any state of any run at any step (nearest
 * snapshot plus the fold of the events after it), object histories, the first step where a
 * predicate holds, differences between steps and runs, and interleaving traces.
 */
export class QueryService {
  private readonly models = new Map<string, RunModel>();

  constructor(
    private readonly store: EventStore,
    private readonly options: QueryServiceOptions = {},
  ) {}

  /** The model of a run, from its RunStarted (cached: it never changes). */
  async model(runId: string): Promise<RunModel> {
    const cached = this.models.get(runId);
    if (cached) {
      // Most recently used last, so the oldest is evicted first.
      this.models.delete(runId);
      this.models.set(runId, cached);
      return cached;
    }
    const [first] = await this.read(runId, 0n, 1);
    if (first?.type !== 'RunStarted') throw new UnknownRunError(runId);
    const model = new RunModel(first.data as RunStarted);
    this.models.set(runId, model);
    if (this.models.size > (this.options.cachedRuns ?? 64)) this.models.delete(this.models.keys().next().value!);
    return model;
  }

  async run(runId: string): Promise<RunInfo> {
    const model = await this.model(runId);
    const [last] = await this.store.readStream(runStream(runId), { direction: 'backwards', maxCount: 1 });
    const completed = last.type === 'RunCompleted' ? (last.data as RunCompleted) : null;
    const { model: _model, initialDeltas: _deltas, ...started } = model.started;
    return { runId, started, completed, lastStep: Number(last.revision) - (completed ? 2 : 1) };
  }

  /** The state after `step` (-1: before the first step). */
  async stateAt(runId: string, step: number): Promise<RunState> {
    const model = await this.model(runId);
    const r = await stateAt(this.source(runId), model, step, this.options);
    return { runId, step, event: r.event, view: viewOf(model, r.state, step), vector: r.state };
  }

  /** Step events, filtered. */
  async events(runId: string, query: EventQuery = {}): Promise<StepRecorded[]> {
    const model = await this.model(runId);
    const from = this.stepOption(query.from, 'from', 0);
    const to = this.stepOption(query.to, 'to', Number.MAX_SAFE_INTEGER);
    if (from > to) throw new InvalidQueryError('from', `must not be after to (${from} > ${to})`);
    const limit = query.limit ?? Infinity;
    if (limit !== Infinity && (!Number.isSafeInteger(limit) || limit < 0)) throw new InvalidQueryError('limit', 'must be a non-negative integer');
    if (query.thread !== undefined && !model.layout.threadIndex.has(query.thread)) {
      throw new UnknownObjectError(query.thread, `run ${runId} has no thread '${query.thread}' (it has ${model.world.threads.map((t) => t.name).join(', ')})`);
    }
    const touches = query.object === undefined ? undefined : toucher(resolveObject(model, query.object));
    checkEventTypes(query.types);
    const types = query.types?.length ? new Set(query.types) : undefined;
    const out: StepRecorded[] = [];
    const slices = new Slices(this.options.sliceMs ?? DEFAULT_SLICE_MS);
    for await (const e of this.steps(runId, from, to)) {
      if (out.length >= limit) break;
      if (slices.due) await slices.pause();
      if (query.thread !== undefined && e.thread !== query.thread) continue;
      if (types && !types.has(e.kind) && !types.has(e.op)) continue;
      if (touches && !touches(e)) continue;
      out.push(e);
    }
    return out;
  }

  /**
   * Every step that touched one page, PTE, PTL, VMA or thread: changed it, or named it as an
   * operand. A page at a time: the steps after step `after` (default: from the first), at most
   * `limit` of them (default: all); the next page starts after the last step of this one.
   */
  async history(runId: string, object: string, page: { after?: number; limit?: number } = {}): Promise<HistoryEntry[]> {
    const model = await this.model(runId);
    const name = resolveObject(model, object);
    const touches = toucher(name);
    const after = this.stepOption(page.after, 'after', -1, -1);
    const limit = page.limit ?? Infinity;
    if (limit !== Infinity && (!Number.isSafeInteger(limit) || limit < 1)) throw new InvalidQueryError('limit', 'must be a positive integer');
    const slices = new Slices(this.options.sliceMs ?? DEFAULT_SLICE_MS);
    const out: HistoryEntry[] = [];
    for await (const e of this.steps(runId, after + 1, Number.MAX_SAFE_INTEGER)) {
      if (slices.due) await slices.pause();
      if (!touches(e)) continue;
      out.push({
        step: e.step,
        thread: e.thread,
        label: e.label,
        op: e.op,
        kind: e.kind,
        fn: e.src.fn,
        args: e.args,
        changes: e.deltas
          .filter((d) => d.object === name)
          .map((d) => ({ field: d.field, before: formatField(model, d.object, d.field, d.before), after: formatField(model, d.object, d.field, d.after) })),
      });
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * The first step after which `predicate` holds (see `compilePredicate` for the format), from
   * step `from` on (default: the state before the first step, then every step); null if none.
   */
  async firstWhere(runId: string, predicate: unknown, options: { from?: number } = {}): Promise<FirstMatch | null> {
    const model = await this.model(runId);
    const holds = compilePredicate(model, predicate);
    // refused (422) before anything is read when one state already costs too much
    const budget = new WorkBudget(predicateWork(model, predicate));
    const slices = new Slices(this.options.sliceMs ?? DEFAULT_SLICE_MS);
    const from = this.stepOption(options.from, 'from', -1, -1);
    const start = from <= 0 ? { state: model.initial.slice(), event: null, step: -1 } : await stateAt(this.source(runId), model, from - 1, this.options);
    const state = start.state;
    let scanned = 0;
    if (from <= -1) {
      scanned++;
      budget.spend();
      if (holds(state, null)) return { runId, step: -1, event: null, view: viewOf(model, state, -1), scanned };
    }
    for await (const e of this.steps(runId, Math.max(0, from), Number.MAX_SAFE_INTEGER)) {
      applyStep(state, e, undefined);
      scanned++;
      budget.spend();
      if (holds(state, e)) return { runId, step: e.step, event: e, view: viewOf(model, state, e.step), scanned };
      if (slices.due) await slices.pause();
    }
    return null;
  }

  /** What differs between two steps of one run, or between two runs at given steps. */
  async diff(runId: string, stepA: number, stepB: number): Promise<StateDiff>;
  async diff(a: StepRef, b: StepRef): Promise<StateDiff>;
  async diff(x: string | StepRef, y: number | StepRef, z?: number): Promise<StateDiff> {
    const a: StepRef = typeof x === 'string' ? { runId: x, step: y as number } : x;
    const b: StepRef = typeof x === 'string' ? { runId: x, step: z as number } : (y as StepRef);
    const [sa, sb] = [await this.stateAt(a.runId, a.step), await this.stateAt(b.runId, b.step)];
    return { a, b, changes: diffViews(sa.view, sb.view) };
  }

  /** The first step where two runs differ (thread, step, operands or effects); null when they are the same. */
  async divergence(runA: string, runB: string): Promise<Divergence | null> {
    const [ma, mb] = [await this.model(runA), await this.model(runB)];
    if (ma.size !== mb.size || ma.initial.some((v, i) => v !== mb.initial[i])) {
      return { step: -1, reason: ma.modelHash === mb.modelHash ? 'different initial states' : 'different models', a: null, b: null };
    }
    const ia = this.steps(runA, 0, Number.MAX_SAFE_INTEGER)[Symbol.asyncIterator]();
    const ib = this.steps(runB, 0, Number.MAX_SAFE_INTEGER)[Symbol.asyncIterator]();
    const slices = new Slices(this.options.sliceMs ?? DEFAULT_SLICE_MS);
    for (let step = 0; ; step++) {
      if (slices.due) await slices.pause();
      const [ea, eb] = await Promise.all([ia.next(), ib.next()]);
      if (ea.done && eb.done) return null;
      if (ea.done || eb.done) {
        await Promise.all([ia.return?.(undefined), ib.return?.(undefined)]);
        return { step, reason: `run ${ea.done ? runA : runB} has no step ${step}`, a: ea.done ? null : ea.value, b: eb.done ? null : eb.value };
      }
      if (canonicalJson(ea.value) !== canonicalJson(eb.value)) {
        await Promise.all([ia.return?.(undefined), ib.return?.(undefined)]);
        const what =
          ea.value.thread !== eb.value.thread ? 'another thread steps' : ea.value.label !== eb.value.label ? 'another instruction' : 'another effect';
        return { step, reason: what, a: ea.value, b: eb.value };
      }
    }
  }

  /** The page locks and PTLs a thread holds after a step. */
  async locksHeld(runId: string, thread: string, step: number): Promise<HeldLocks> {
    const s = await this.stateAt(runId, step);
    const t = s.view.threads[thread];
    if (!t) throw new UnknownObjectError(thread, `run ${runId} has no thread '${thread}' (it has ${Object.keys(s.view.threads).join(', ')})`);
    return { runId, thread, step, pageLocks: t.holds.pageLocks, ptls: t.holds.ptls };
  }

  /**
   * A step range as an interleaving diagram (see `renderTraceText` for the text form). Without a
   * range: the last `DEFAULT_TRACE_ROWS` steps, where a violation is; at most `MAX_TRACE_ROWS`.
   */
  async trace(runId: string, range: { from?: number; to?: number } = {}): Promise<Trace> {
    const info = await this.run(runId);
    const model = await this.model(runId);
    const last = info.lastStep;
    // A range reaching past the end of the run stops at its last step.
    const to = Math.min(this.stepOption(range.to, 'to', last), last);
    const from = this.stepOption(range.from, 'from', range.from === undefined && range.to === undefined ? Math.max(0, last - DEFAULT_TRACE_ROWS + 1) : 0);
    if (last >= 0 && from > last) throw new StepOutOfRangeError(runId, from, last);
    if (from > to && last >= 0) throw new InvalidQueryError('from', `must not be after to (${from} > ${to})`);
    if (to - from + 1 > MAX_TRACE_ROWS) throw new InvalidQueryError('to', `a trace shows at most ${MAX_TRACE_ROWS} steps: narrow the range`);
    const before = from <= 0 ? model.initial : (await stateAt(this.source(runId), model, from - 1, this.options)).state;
    const events: StepRecorded[] = [];
    const slices = new Slices(this.options.sliceMs ?? DEFAULT_SLICE_MS);
    if (last >= 0) {
      for await (const e of this.steps(runId, from, to)) {
        events.push(e);
        if (slices.due) await slices.pause();
      }
    }
    return buildTrace(model, before, events, info.completed, last + 1);
  }

  private source(runId: string) {
    return storeSource(this.store, runId, { writeSnapshots: this.options.writeSnapshots });
  }

  private stepOption(v: number | undefined, field: string, dflt: number, min = 0): number {
    if (v === undefined) return dflt;
    if (!Number.isSafeInteger(v) || v < min) throw new InvalidQueryError(field, `must be an integer >= ${min}`);
    return v;
  }

  private async read(runId: string, fromRevision: bigint, maxCount: number): Promise<RecordedEvent[]> {
    try {
      return await this.store.readStream(runStream(runId), { fromRevision, maxCount });
    } catch (e) {
      if (e instanceof StreamNotFoundError) throw new UnknownRunError(runId);
      throw e;
    }
  }

  /** The step events from `from` to `to` (inclusive), page by page. */
  private async *steps(runId: string, from: number, to: number): AsyncGenerator<StepRecorded> {
    let revision = BigInt(from) + 1n;
    const last = BigInt(to) + 1n;
    while (revision <= last) {
      const want = last - revision + 1n < BigInt(PAGE) ? Number(last - revision + 1n) : PAGE;
      const page = await this.read(runId, revision, want);
      for (const e of page) {
        if (e.type !== 'StepRecorded') return;
        yield e.data as StepRecorded;
      }
      if (page.length < want) return;
      revision += BigInt(page.length);
    }
  }
}

/** Whether a step touched an object: changed one of its fields, or named it as an operand (a read). */
function toucher(object: string): (e: StepRecorded) => boolean {
  const colon = object.indexOf(':');
  const kind = object.slice(0, colon);
  const name = object.slice(colon + 1);
  const named = kind === 'page' || kind === 'pte' || kind === 'vma';
  return (e) => {
    if (kind === 'thread' && e.thread === name) return true;
    for (const d of e.deltas) if (d.object === object) return true;
    // A load of a litmus variable or of a page's word reads it (it changes nothing).
    if (e.memory) for (const a of e.memory) if (a.location === object || (kind === 'page' && a.location?.startsWith(`${object}.`))) return true;
    if (named) for (const v of Object.values(e.args)) if (v === name) return true;
    // A step that reads a PTE entry of the page (`migration(P,write)`), or decodes one and checks
    // the page's lock (the BUG_ON), reads the page: a check of a page's flag is a read of it.
    if (kind === 'page') for (const v of Object.values(e.args)) if (typeof v === 'string' && pteValuePage(v) === name) return true;
    return false;
  };
}

/** The page a formatted PTE value names (`migration(P,write)`, `present(P,w)`), or null. */
const pteValuePage = (v: string): string | null => /^[a-z_]+\(([^,()]+)[,)]/.exec(v)?.[1] ?? null;
