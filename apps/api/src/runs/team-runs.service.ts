import { randomBytes } from 'node:crypto';
import { take, type Subscription } from 'rxjs';
import { runStream, type RecordedEvent, type RunStarted } from '@mmreplay/events';
import { StoreUnavailableError, StreamNotFoundError, type EventStore } from '@mmreplay/event-store';
import {
  CatalogueService,
  exportRun,
  importRun,
  parseExport,
  prepareRun,
  QueryService,
  RunService,
  renderTraceLkml,
  renderTraceText,
  UnknownRunError,
  type EventQuery,
  type RunEntry,
  type RunIndexFilter,
  type RunReport,
  type StartRunRequest,
  type Trace,
} from '@mmreplay/runs';
import type { Actor } from '@mmreplay/teams';
import { ApiError } from '../http/problem.js';
import { pulledFeed, type PulledFeed } from '../live/pulled-feed.js';

export type NewRunRequest = Omit<StartRunRequest, 'runId' | 'actor' | 'team'>;

/** What `GET /runs` filters on: the run table's own filter. */
export type RunFilter = RunIndexFilter;

/** A run as listed: the catalogue entry, plus how far it has got. */
export type RunSummary = RunEntry & { engineVersion?: string; lastStep?: number };

/** One event of a run as it is streamed live: `RunStarted` without the model it carries. */
export interface LiveRunEvent {
  type: string;
  revision: number;
  step: number | null;
  data: unknown;
}

export const newRunId = (): string => randomBytes(10).toString('hex');

/**
 * The run and query services of `@mmreplay/runs`, scoped to the caller's team: a run of another team
 * is an `UnknownRunError`, exactly like a run that does not exist. Also holds the server's caps
 * (steps per run, runs in flight per team) and the runs recorded in the background.
 */
export class TeamRuns {
  /** runs being recorded by this process: id -> team (known before their first event is stored) */
  private readonly inFlight = new Map<string, { team: string; tokenId?: string; done: Promise<unknown> }>();

  constructor(
    private readonly store: EventStore,
    readonly runs: RunService,
    readonly queries: QueryService,
    readonly catalogue: CatalogueService,
    private readonly caps: { maxSteps: number; concurrentPerTeam: number; concurrentPerToken?: number; feedsPerToken?: number },
    private readonly onError: (error: unknown) => void = () => undefined,
  ) {}

  /**
   * Validates and records a run. `wait`: resolves with the report once the run is stored;
   * otherwise resolves with its id at once and records it in the background.
   */
  async start(req: NewRunRequest, team: string, by: Actor, wait: boolean): Promise<{ runId: string; report?: RunReport }> {
    const maxSteps = req.maxSteps ?? this.caps.maxSteps;
    if (maxSteps > this.caps.maxSteps) throw ApiError.invalid('maxSteps', `must be at most ${this.caps.maxSteps} on this server`);
    let running = 0;
    let mine = 0;
    for (const r of this.inFlight.values()) {
      if (r.team === team) running++;
      if (by.tokenId !== undefined && r.tokenId === by.tokenId) mine++;
    }
    if (running >= this.caps.concurrentPerTeam) {
      throw new ApiError('too-many-requests', `your team already records ${running} run(s), the most this server allows at once`, 2);
    }
    const perToken = this.caps.concurrentPerToken ?? this.caps.concurrentPerTeam;
    if (mine >= perToken) throw new ApiError('too-many-requests', `this token already records ${mine} run(s), the most one token may at once`, 2);
    const runId = newRunId();
    const request: StartRunRequest = { ...req, maxSteps, runId, actor: by.actor, team };
    // Pure and synchronous: a bad scenario, variant or schedule is refused before anything is stored.
    prepareRun(request, runId);
    const done = this.runs.startRun(request).catch((e) => this.retryUnavailable(runId, e));
    const entry = { team, tokenId: by.tokenId, done };
    this.inFlight.set(runId, entry);
    const settle = done.finally(() => this.inFlight.delete(runId));
    if (wait) return { runId, report: await settle };
    settle.catch((e) => this.onError(e));
    // Answer once the run's first event is stored (so it can be read at once), or with its failure.
    let subscription: Subscription | undefined;
    const stored = new Promise<void>(
      (resolve) =>
        (subscription = this.store
          .subscribeToStream(runStream(runId))
          .pipe(take(1))
          .subscribe({ next: () => resolve(), error: () => resolve() })),
    );
    try {
      await Promise.race([stored, done]);
    } finally {
      subscription?.unsubscribe();
    }
    return { runId };
  }

  /**
   * A run whose store failed mid-recording (503) is resumed here, a few times with back-off, rather
   * than left `running` until the next restart; a run that has not started at all fails as it did.
   */
  private async retryUnavailable(runId: string, error: unknown, delaysMs: readonly number[] = [500, 2_000, 5_000]): Promise<RunReport> {
    let last = error;
    for (const delay of delaysMs) {
      if (!(last instanceof StoreUnavailableError)) break;
      await new Promise((r) => setTimeout(r, delay));
      try {
        return await this.runs.resumeRun(runId);
      } catch (e) {
        if (e instanceof UnknownRunError) throw error;
        last = e;
      }
    }
    throw last;
  }

  /** Resumes the runs the log shows unfinished (a previous process stopped while recording them). */
  async resumeUnfinished(): Promise<string[]> {
    const unfinished = (await this.catalogue.unfinished()).filter((r) => !this.inFlight.has(r.runId));
    for (const r of unfinished) {
      const done = this.runs.resumeRun(r.runId).catch((e) => this.retryUnavailable(r.runId, e));
      this.inFlight.set(r.runId, { team: r.team, done });
      done.catch((e) => this.onError(e)).finally(() => this.inFlight.delete(r.runId));
    }
    return unfinished.map((r) => r.runId);
  }

  /** Waits for the runs in flight, at most `timeoutMs`; an unfinished run resumes at the next start. */
  async drain(timeoutMs: number): Promise<void> {
    const all = Promise.allSettled([...this.inFlight.values()].map((r) => r.done));
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([all, new Promise((r) => (timer = setTimeout(r, timeoutMs)))]);
    clearTimeout(timer);
  }

  /** Throws `UnknownRunError` unless the run exists and belongs to `team`. */
  async own(runId: string, team: string): Promise<void> {
    const pending = this.inFlight.get(runId);
    if (pending) {
      if (pending.team !== team) throw new UnknownRunError(runId);
      return;
    }
    const model = await this.queries.model(runId);
    if (model.started.team !== team) throw new UnknownRunError(runId);
  }

  async list(team: string, filter: RunFilter, page: { limit?: number; after?: string }): Promise<{ runs: RunEntry[]; next: string | null }> {
    const result = await this.catalogue.page(team, filter, { limit: page.limit ?? 50, after: page.after });
    if (!result) throw ApiError.invalid('after', 'is not a cursor of this listing');
    return result;
  }

  async get(runId: string, team: string): Promise<RunSummary> {
    await this.own(runId, team);
    const info = await this.queries.run(runId);
    const entry = await this.catalogue.run(runId);
    const s = info.started;
    const base: RunEntry = entry ?? {
      runId,
      team: s.team,
      scenario: s.scenario,
      params: s.params,
      variant: s.variant,
      modelHash: s.modelHash,
      strategy: s.strategy,
      seed: s.seed,
      author: s.actor,
      status: info.completed ? 'completed' : 'running',
      outcome: info.completed?.outcome ?? null,
      violation: info.completed?.violation ?? null,
      steps: info.completed?.steps ?? null,
      schedule: info.completed?.schedule ?? null,
      reason: info.completed?.reason ?? null,
      createdAt: '',
      completedAt: null,
      counterexampleOf: [],
    };
    return { ...base, engineVersion: s.engineVersion, lastStep: info.lastStep };
  }

  /** The run's stored events as NDJSON lines, read from the store as the client takes them. */
  async exportRun(runId: string, team: string): Promise<AsyncGenerator<string>> {
    await this.own(runId, team);
    return exportRun(this.store, runId);
  }

  /**
   * Stores an exported run after re-simulating it (`importRun` of @mmreplay/runs). The server names
   * the run and keeps it in the importer's team, as for the runs it records.
   */
  async importRun(ndjson: string, team: string): Promise<string> {
    const runId = newRunId();
    await importRun(this.store, parseExport(ndjson, 'the body'), { as: { runId, team } });
    return runId;
  }

  /** The run's exact model and initial deltas: enough for any client to fold its events. */
  async model(runId: string, team: string) {
    await this.own(runId, team);
    const m = await this.queries.model(runId);
    return { runId, modelHash: m.modelHash, model: m.started.model, initialDeltas: m.started.initialDeltas ?? [] };
  }

  async events(runId: string, team: string, query: EventQuery) {
    await this.own(runId, team);
    return this.queries.events(runId, query);
  }

  async stateAt(runId: string, team: string, step: number) {
    await this.own(runId, team);
    const { vector: _vector, ...state } = await this.queries.stateAt(runId, step);
    return state;
  }

  async history(runId: string, team: string, object: string, page: { after?: number; limit: number }) {
    await this.own(runId, team);
    return this.queries.history(runId, object, page);
  }

  async firstWhere(runId: string, team: string, predicate: unknown, from?: number) {
    await this.own(runId, team);
    return this.queries.firstWhere(runId, predicate, { from });
  }

  /** Two steps of one run, or this run at `from` against `otherRun` at `to`. */
  async diff(runId: string, team: string, from: number, to: number, otherRun?: string) {
    await this.own(runId, team);
    if (otherRun !== undefined) await this.own(otherRun, team);
    return this.queries.diff({ runId, step: from }, { runId: otherRun ?? runId, step: to });
  }

  async divergence(runId: string, team: string, otherRun: string) {
    await this.own(runId, team);
    await this.own(otherRun, team);
    return this.queries.divergence(runId, otherRun);
  }

  async locksHeld(runId: string, team: string, thread: string, step: number) {
    await this.own(runId, team);
    return this.queries.locksHeld(runId, thread, step);
  }

  /** The trace of a step range, and its two renderings (the CLI's `trace --format text|lkml`). */
  async trace(runId: string, team: string, range: { from?: number; to?: number }): Promise<{ trace: Trace; text: () => string; lkml: () => string }> {
    await this.own(runId, team);
    const trace = await this.queries.trace(runId, range);
    return { trace, text: () => renderTraceText(trace), lkml: () => renderTraceLkml(trace) };
  }

  /** live feeds open per token (SSE and GraphQL subscriptions together) */
  private readonly feeds = new Map<string, number>();

  /**
   * The run's events from `fromStep` (default: its first event), live until `RunCompleted`, read
   * from the store a page at a time as the consumer asks (see `pulledFeed`). At most
   * `caps.feedsPerToken` open at once per token (429 over that).
   */
  async live(runId: string, team: string, fromStep?: number, tokenId?: string): Promise<PulledFeed<LiveRunEvent>> {
    await this.own(runId, team);
    const key = tokenId ?? `team:${team}`;
    const open = this.feeds.get(key) ?? 0;
    const cap = this.caps.feedsPerToken ?? 16;
    if (open >= cap) throw new ApiError('too-many-requests', `this token already follows ${open} live stream(s), the most one token may at once`, 5);
    this.feeds.set(key, open + 1);
    const stream = runStream(runId);
    const store = this.store;
    // revision r holds step r - 1: step `fromStep` is at revision fromStep + 1
    const start = fromStep === undefined || fromStep <= 0 ? 0n : BigInt(fromStep) + 1n;
    return pulledFeed<LiveRunEvent>(
      {
        readPage: async (cursor) => {
          let page: RecordedEvent[];
          try {
            page = await store.readStream(stream, { fromRevision: cursor, maxCount: LIVE_PAGE });
          } catch (e) {
            if (e instanceof StreamNotFoundError) return { items: [], next: cursor, last: false };
            throw e;
          }
          const end = page.findIndex((e) => e.type === 'RunCompleted');
          const items = (end >= 0 ? page.slice(0, end + 1) : page).map(liveEvent);
          return { items, next: cursor + BigInt(items.length), last: end >= 0 };
        },
        // a catch-up subscription delivers the events *after* its revision: the one before the cursor
        appended: (cursor) => store.subscribeToStream(stream, { fromRevision: cursor === 0n ? 'start' : cursor - 1n }),
      },
      start,
      () => {
        const n = (this.feeds.get(key) ?? 1) - 1;
        if (n <= 0) this.feeds.delete(key);
        else this.feeds.set(key, n);
      },
    );
  }
}

/** Events a live feed reads from the store at a time. */
const LIVE_PAGE = 256;

export function liveEvent(e: RecordedEvent): LiveRunEvent {
  let data = e.data;
  if (e.type === 'RunStarted') {
    const { model: _model, initialDeltas: _deltas, ...rest } = e.data as RunStarted;
    data = rest;
  }
  return { type: e.type, revision: Number(e.revision), step: e.type === 'StepRecorded' ? Number(e.revision) - 1 : null, data };
}
