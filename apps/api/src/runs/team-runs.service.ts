import { randomBytes } from 'node:crypto';
import { map, take, takeWhile, type Observable, type Subscription } from 'rxjs';
import { runStream, type RecordedEvent, type RunStarted } from '@mmreplay/events';
import type { EventStore } from '@mmreplay/event-store';
import {
  CatalogueService,
  prepareRun,
  QueryService,
  RunService,
  renderTraceText,
  UnknownRunError,
  type EventQuery,
  type RunEntry,
  type RunReport,
  type StartRunRequest,
  type Trace,
} from '@mmreplay/runs';
import type { Actor } from '@mmreplay/teams';
import { ApiError } from '../http/problem.js';

export type NewRunRequest = Omit<StartRunRequest, 'runId' | 'actor' | 'team'>;

export interface RunFilter {
  scenario?: string;
  variant?: string;
  status?: string;
  outcome?: string;
  strategy?: string;
  author?: string;
  modelHash?: string;
  counterexampleOf?: string;
}

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
  private readonly inFlight = new Map<string, { team: string; done: Promise<unknown> }>();

  constructor(
    private readonly store: EventStore,
    readonly runs: RunService,
    readonly queries: QueryService,
    readonly catalogue: CatalogueService,
    private readonly caps: { maxSteps: number; concurrentPerTeam: number },
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
    for (const r of this.inFlight.values()) if (r.team === team) running++;
    if (running >= this.caps.concurrentPerTeam) {
      throw new ApiError('too-many-requests', `your team already records ${running} run(s), the most this server allows at once`, 2);
    }
    const runId = newRunId();
    const request: StartRunRequest = { ...req, maxSteps, runId, actor: by.actor, team };
    // Pure and synchronous: a bad scenario, variant or schedule is refused before anything is stored.
    prepareRun(request, runId);
    const done = this.runs.startRun(request);
    const entry = { team, done };
    this.inFlight.set(runId, entry);
    const settle = done.finally(() => this.inFlight.delete(runId));
    if (wait) return { runId, report: await settle };
    settle.catch((e) => this.onError(e));
    // Answer once the run's first event is stored (so it can be read at once), or with its failure.
    let subscription: Subscription | undefined;
    const stored = new Promise<void>((resolve) => (subscription = this.store.subscribeToStream(runStream(runId)).pipe(take(1)).subscribe({ next: () => resolve(), error: () => resolve() })));
    try {
      await Promise.race([stored, done]);
    } finally {
      subscription?.unsubscribe();
    }
    return { runId };
  }

  /** Resumes the runs the log shows unfinished (a previous process stopped while recording them). */
  async resumeUnfinished(): Promise<string[]> {
    const unfinished = (await this.catalogue.runs()).filter((r) => r.status === 'running' && !this.inFlight.has(r.runId));
    for (const r of unfinished) {
      const done = this.runs.resumeRun(r.runId);
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
    const all = (await this.catalogue.runs({ team })).reverse();
    let start = 0;
    if (page.after !== undefined) {
      const i = all.findIndex((r) => r.runId === page.after);
      if (i < 0) throw ApiError.invalid('after', 'is not a cursor of this listing');
      start = i + 1;
    }
    const matches = (r: RunEntry) =>
      (filter.scenario === undefined || r.scenario === filter.scenario) &&
      (filter.variant === undefined || (r.variant ?? 'kernel') === filter.variant) &&
      (filter.status === undefined || r.status === filter.status) &&
      (filter.outcome === undefined || r.outcome === filter.outcome) &&
      (filter.strategy === undefined || r.strategy === filter.strategy) &&
      (filter.author === undefined || r.author === filter.author) &&
      (filter.modelHash === undefined || r.modelHash === filter.modelHash) &&
      (filter.counterexampleOf === undefined || r.counterexampleOf.includes(filter.counterexampleOf));
    const limit = page.limit ?? 50;
    const out: RunEntry[] = [];
    let i = start;
    for (; i < all.length && out.length < limit; i++) if (matches(all[i])) out.push(all[i]);
    const more = out.length === limit && all.slice(i).some(matches);
    return { runs: out, next: more ? out[out.length - 1].runId : null };
  }

  async get(runId: string, team: string): Promise<RunSummary> {
    await this.own(runId, team);
    const info = await this.queries.run(runId);
    const entry = (await this.catalogue.catchUp()).getRun(runId);
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
      createdAt: '',
      completedAt: null,
      counterexampleOf: [],
    };
    return { ...base, engineVersion: s.engineVersion, lastStep: info.lastStep };
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

  async history(runId: string, team: string, object: string) {
    await this.own(runId, team);
    return this.queries.history(runId, object);
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

  async trace(runId: string, team: string, range: { from?: number; to?: number }): Promise<{ trace: Trace; text: string }> {
    await this.own(runId, team);
    const trace = await this.queries.trace(runId, range);
    return { trace, text: renderTraceText(trace) };
  }

  /** The run's events from `fromStep` (default: its first event), live until `RunCompleted`. */
  async live(runId: string, team: string, fromStep?: number): Promise<Observable<LiveRunEvent>> {
    await this.own(runId, team);
    const fromRevision = fromStep === undefined || fromStep <= 0 ? 'start' : BigInt(fromStep);
    return this.store.subscribeToStream(runStream(runId), { fromRevision }).pipe(
      takeWhile((e) => e.type !== 'RunCompleted', true),
      map(liveEvent),
    );
  }
}

export function liveEvent(e: RecordedEvent): LiveRunEvent {
  let data = e.data;
  if (e.type === 'RunStarted') {
    const { model: _model, initialDeltas: _deltas, ...rest } = e.data as RunStarted;
    data = rest;
  }
  return { type: e.type, revision: Number(e.revision), step: e.type === 'StepRecorded' ? Number(e.revision) - 1 : null, data };
}
