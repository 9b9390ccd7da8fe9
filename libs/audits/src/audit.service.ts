import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import { Observable, takeWhile, type Subscription } from 'rxjs';
import { InvalidModelRequestError, InvalidVariantError, parseVariant, resolveModel, VariantNotApplicableError, type MemoryModelName, type Variant } from '@mmreplay/model';
import { runAuditInWorker, type AuditJob, type AuditRequest, type AuditResult, type Progress } from '@mmreplay/explorer';
import { auditIdOf, auditStream, AUDIT_STREAM_PREFIX, createEvent, type EventData, type JsonObject, type JsonValue, type RecordedEvent } from '@mmreplay/events';
import { WrongExpectedVersionError, type EventStore } from '@mmreplay/event-store';
import type { Actor, ActivityMetadata } from '@mmreplay/teams';
import {
  AUDIT_CANCEL_REQUESTED,
  compareViews,
  evolveAudit,
  type AuditCancelRequested,
  type AuditCompletedData,
  type AuditRequestedData,
  type AuditStop,
  type AuditStrategy,
  type AuditView,
  type ComparisonView,
  type CounterexampleData,
} from './audit-view.js';
import { AuditLimitError, AuditNotRunningError, InvalidAuditRequestError, UnknownAuditError, UnknownComparisonError } from './errors.js';

/** What a member asks to audit. */
export interface StartAuditRequest {
  scenario: string;
  /** the scenario as a document (published or inline): its world instead of a built-in's */
  document?: unknown;
  params?: Record<string, number | string>;
  /** a named variant, a variant object, or absent for the kernel protocol */
  variant?: string | Variant;
  /** default: the scenario's */
  invariants?: string[];
  /** the memory model of relaxed accesses (default: the variant's MEM switch, `sc`) */
  memoryModel?: MemoryModelName;
  /** default `exhaustive` */
  strategy?: AuditStrategy;
  bounds?: { maxStates?: number; maxDepth?: number; maxSeconds?: number; runs?: number; seed?: number };
  reductions?: { symmetry?: boolean; partialOrder?: boolean; deadRegisters?: boolean };
}

/** A baseline and a fix of one scenario, audited together. */
export interface StartComparisonRequest extends Omit<StartAuditRequest, 'variant'> {
  baseline: string | Variant;
  /** default: the kernel protocol */
  fix?: string | Variant;
}

/** Server-side limits: a request over a limit is refused, one without bounds gets these. */
export interface AuditCaps {
  maxStates: number;
  maxDepth: number;
  maxSeconds: number;
  /** samples of a pct / random audit */
  maxRuns: number;
  /** audits one team may run at once */
  maxConcurrentPerTeam: number;
}

export const DEFAULT_AUDIT_CAPS: AuditCaps = { maxStates: 5_000_000, maxDepth: 100_000, maxSeconds: 300, maxRuns: 100_000, maxConcurrentPerTeam: 2 };

/** Records a counterexample as a run (replaying its schedule); resolves when the run is stored. */
export type CounterexampleRecorder = (request: {
  runId: string;
  audit: AuditView;
  variant: string | Variant | undefined;
  schedule: string;
  by: Actor;
}) => Promise<void>;

export interface AuditServiceOptions {
  caps?: Partial<AuditCaps>;
  /** AuditProgressed events are appended at most this often; default 1,000 ms */
  progressEveryMs?: number;
  /** default `runAuditInWorker`: the exploration runs off the event loop */
  runner?: (request: AuditRequest) => AuditJob;
  recordCounterexample?: CounterexampleRecorder;
  newId?: () => string;
  onError?: (error: unknown, auditId: string) => void;
  /**
   * Several API processes on one store: an audit whose stream has had no event for `leaseMs`
   * (default 30 s) while it is running is taken for orphaned (its process died) and completed as
   * interrupted by whichever process sees it first. Running audits append a heartbeat
   * (`AuditProgressed`) at least every third of it.
   */
  leaseMs?: number;
  /** this process, as recorded on the audits it runs; default `<hostname>/<pid>/<random>` */
  instance?: string;
}

/** Who runs an audit: recorded in the metadata of its `AuditRequested`. */
interface Owner {
  instance: string;
  host: string;
  pid: number;
}

interface RunningJob {
  job: AuditJob;
  /** terminated at shutdown and completed there: its own result, if any, is ignored */
  abandoned?: boolean;
  team: string;
  stopping: AuditStop | null;
  by: Actor;
  variant: string | Variant | undefined;
  finished: Promise<void>;
  progressSub: Subscription;
}

export const newAuditId = (): string => randomBytes(10).toString('hex');

/**
 * Audits as jobs. An audit is a stream `audit-<id>`: `AuditRequested`, throttled `AuditProgressed`,
 * `CounterexampleFound` (with the run that replays it), `AuditCompleted`. The exploration runs on a
 * worker thread; this service keeps the audits' views in memory (rebuilt from the log at start) and
 * scopes every read and write to the caller's team: another team's audit is unknown.
 *
 * Audits run in the process that accepted them. At start, an audit the log shows unfinished (its
 * process died) is completed as `inconclusive` with `stopped: 'interrupted'`; at shutdown, running
 * audits are cancelled and completed with `stopped: 'shutdown'`.
 */
export class AuditService {
  readonly caps: AuditCaps;
  private readonly views = new Map<string, AuditView>();
  private readonly jobs = new Map<string, RunningJob>();
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly comparisons = new Map<string, { baseline?: string; fix?: string }>();
  /** slots taken by requests between the capacity check and their job's start */
  private readonly reserved = new Map<string, number>();
  private readonly runner: (request: AuditRequest) => AuditJob;
  private readonly newId: () => string;
  private closing = false;
  /** the process running each audit, and when its stream last had an event (ms) */
  private readonly owners = new Map<string, Owner | null>();
  private readonly lastEventAt = new Map<string, number>();
  private readonly owner: Owner;
  private readonly leaseMs: number;
  private follower: Subscription | undefined;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly options: AuditServiceOptions = {},
  ) {
    this.caps = { ...DEFAULT_AUDIT_CAPS, ...options.caps };
    this.runner = options.runner ?? runAuditInWorker;
    this.newId = options.newId ?? newAuditId;
    this.owner = { instance: options.instance ?? `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`, host: hostIdentity(), pid: process.pid };
    this.leaseMs = options.leaseMs ?? 30_000;
  }

  /**
   * Rebuilds the views from the log, then follows it (audits of other processes on the same store
   * appear, progress and complete here too), and completes the audits whose process died.
   *
   * An audit runs only in the process whose `AuditRequested` append (expected: no stream) created
   * its stream, and is never resumed elsewhere: no audit is executed twice. A dead process's
   * audits are completed as `interrupted` with their last progress, by an append at the revision
   * this process has seen, so a process that is still alive and appending wins; an owner that
   * sees its audit completed by another process stops its job.
   */
  async start(): Promise<void> {
    let position: bigint | 'start' = 'start';
    for await (const e of this.store.iterateAll({ filter: { streamPrefix: [AUDIT_STREAM_PREFIX] } })) {
      const auditId = auditIdOf(e.streamId);
      if (auditId) this.applyRecorded(auditId, e);
      position = e.position;
    }
    this.follower = this.store.subscribeToAll({ fromPosition: position, filter: { streamPrefix: [AUDIT_STREAM_PREFIX] } }).subscribe({
      next: (e) => this.applyFollowed(e),
      error: (e: unknown) => this.options.onError?.(e, '(follower)'),
    });
    await this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), Math.max(10, Math.floor(this.leaseMs / 2)));
    this.sweeper.unref();
  }

  /** Completes as `interrupted` the running audits whose process is gone (see `start`). */
  async sweep(): Promise<void> {
    if (this.closing) return;
    const now = Date.now();
    for (const v of [...this.views.values()]) {
      if (v.status !== 'running' || this.jobs.has(v.auditId) || this.queues.has(v.auditId)) continue;
      const owner = this.owners.get(v.auditId);
      const stale = now - (this.lastEventAt.get(v.auditId) ?? 0) > this.leaseMs;
      if (!stale && owner && !this.ownerIsDead(owner)) continue;
      // A conflict means its owner (or another process) appended first: it is not orphaned, or already done.
      await this.complete(v.auditId, stoppedResult(v, 'interrupted'), { actor: 'system' }).catch(() => undefined);
    }
  }

  /** Certain only on this host (and pid namespace): the owner's process no longer exists. */
  private ownerIsDead(owner: Owner): boolean {
    if (owner.instance === this.owner.instance) return false;
    // Another host (or pid namespace), or this very process: only the lease can tell.
    if (owner.host !== this.owner.host || owner.pid === process.pid) return false;
    try {
      process.kill(owner.pid, 0);
      return false;
    } catch (e) {
      return (e as NodeJS.ErrnoException).code === 'ESRCH';
    }
  }

  /** An audit event from the log: another process's, or an echo of one this process appended. */
  private applyFollowed(e: RecordedEvent): void {
    const auditId = auditIdOf(e.streamId);
    if (!auditId) return;
    this.applyRecorded(auditId, e);
    const job = this.jobs.get(auditId);
    if (e.type === 'AuditCompleted' && job && e.metadata.instance !== this.owner.instance && !job.abandoned) {
      // Completed elsewhere (cancelled through another process, or taken for orphaned): stop here.
      job.abandoned = true;
      this.jobs.delete(auditId);
      job.progressSub.unsubscribe();
      void job.job.terminate();
    }
  }

  /** Validates, records `AuditRequested` and starts the exploration; resolves with the running audit's view. */
  async request(req: StartAuditRequest, team: string, by: Actor, comparison: AuditRequestedData['comparison'] = null): Promise<AuditView> {
    const prepared = this.prepare(req);
    const release = this.reserve(team, 1);
    try {
      return await this.launch(prepared, team, by, comparison);
    } finally {
      release();
    }
  }

  /** Starts the baseline and the fix together; both count against the team's concurrent audits. */
  async compare(req: StartComparisonRequest, team: string, by: Actor): Promise<ComparisonView> {
    const { baseline, fix, ...common } = req;
    const b = this.prepare({ ...common, variant: baseline }, 'baseline');
    const f = this.prepare({ ...common, variant: fix }, 'fix');
    const release = this.reserve(team, 2);
    try {
      const comparisonId = this.newId();
      const bv = await this.launch(b, team, by, { id: comparisonId, role: 'baseline' });
      const fv = await this.launch(f, team, by, { id: comparisonId, role: 'fix' });
      return compareViews(comparisonId, bv, fv);
    } finally {
      release();
    }
  }

  get(auditId: string, team: string): AuditView {
    const v = this.views.get(auditId);
    if (!v || v.team !== team) throw new UnknownAuditError(auditId);
    return copy(v);
  }

  comparison(comparisonId: string, team: string): ComparisonView {
    const c = this.comparisons.get(comparisonId);
    const b = c?.baseline ? this.views.get(c.baseline) : undefined;
    const f = c?.fix ? this.views.get(c.fix) : undefined;
    if (!b || !f || b.team !== team) throw new UnknownComparisonError(comparisonId);
    return compareViews(comparisonId, copy(b), copy(f));
  }

  /** A team's audits, newest first, filtered; `after` is the id of the last audit of the previous page. */
  list(
    team: string,
    filter: { status?: string; scenario?: string; verdict?: string; variant?: string; author?: string } = {},
    page: { limit?: number; after?: string } = {},
  ): { audits: AuditView[]; next: string | null } {
    const all = [...this.views.values()].filter((v) => v.team === team).reverse();
    let start = 0;
    if (page.after !== undefined) {
      const i = all.findIndex((v) => v.auditId === page.after);
      if (i < 0) throw new InvalidAuditRequestError('after', 'is not a cursor of this listing');
      start = i + 1;
    }
    const limit = page.limit ?? 50;
    const matches = (v: AuditView) =>
      (filter.status === undefined || v.status === filter.status) &&
      (filter.scenario === undefined || v.scenario === filter.scenario) &&
      (filter.verdict === undefined || v.verdict === filter.verdict) &&
      (filter.variant === undefined || v.variant === filter.variant) &&
      (filter.author === undefined || v.author === filter.author);
    const out: AuditView[] = [];
    let i = start;
    for (; i < all.length && out.length < limit; i++) if (matches(all[i])) out.push(copy(all[i]));
    const more = out.length === limit && all.slice(i).some(matches);
    return { audits: out, next: more ? out[out.length - 1].auditId : null };
  }

  /** Audits the team runs now. */
  running(team: string): number {
    let n = 0;
    for (const j of this.jobs.values()) if (j.team === team) n++;
    return n;
  }

  /** Cancels a running audit: it completes as `inconclusive` with `stopped: 'cancelled'`. */
  async cancel(auditId: string, team: string, by: Actor): Promise<AuditView> {
    const view = this.get(auditId, team);
    const job = this.jobs.get(auditId);
    if (view.status !== 'running' || (job && job.stopping)) throw new AuditNotRunningError(auditId, job?.stopping ? 'being stopped' : view.status);
    const data: AuditCancelRequested = { auditId, reason: 'cancelled by a member' };
    if (job) {
      await this.append(auditId, [{ type: AUDIT_CANCEL_REQUESTED, data, metadata: this.activity(by, team, 'audit.cancelled', auditId) }]);
      job.stopping = 'cancelled';
      job.job.cancel();
      await job.finished;
      return this.get(auditId, team);
    }
    // Running in another process (or orphaned): its owner keeps appending progress, so this
    // process's view may lag; catch up and retry. The owner stops its job when it sees the completion.
    for (let attempt = 0; ; attempt++) {
      const current = this.get(auditId, team);
      if (current.status !== 'running') throw new AuditNotRunningError(auditId, current.status);
      try {
        await this.append(auditId, [
          { type: AUDIT_CANCEL_REQUESTED, data, metadata: this.activity(by, team, 'audit.cancelled', auditId) },
          createEvent('AuditCompleted', stoppedResult(current, 'cancelled'), { actor: by.actor }),
        ]);
        return this.get(auditId, team);
      } catch (e) {
        if (!(e instanceof WrongExpectedVersionError) || attempt >= 20) throw e;
        await this.catchUp(auditId);
      }
    }
  }

  /** Folds the audit's events this process has not seen yet (appended by another process). */
  private async catchUp(auditId: string): Promise<void> {
    const from = (this.views.get(auditId)?.revision ?? -1n) + 1n;
    for (const e of await this.store.readStream(auditStream(auditId), { fromRevision: from })) this.applyRecorded(auditId, e);
  }

  /**
   * The audit's events, from its first, live until `AuditCompleted` (then the Observable completes).
   * Throws `UnknownAuditError` at once for an audit the team does not have.
   */
  events(auditId: string, team: string): Observable<RecordedEvent> {
    this.get(auditId, team);
    return this.store.subscribeToStream(auditStream(auditId)).pipe(takeWhile((e) => e.type !== 'AuditCompleted', true));
  }

  /** Resolves when the audit has completed (for tests and scripts). */
  async settled(auditId: string): Promise<void> {
    await this.jobs.get(auditId)?.finished;
  }

  /**
   * Stops every running audit: each is cancelled and completed with `stopped: 'shutdown'`. A worker
   * that does not stop within `timeoutMs` is terminated and its audit completed the same way.
   */
  async shutdown(timeoutMs = 5_000): Promise<void> {
    this.closing = true;
    clearInterval(this.sweeper);
    const running = [...this.jobs.entries()];
    for (const [, j] of running) {
      j.stopping ??= 'shutdown';
      j.job.cancel();
    }
    const all = Promise.all(running.map(([, j]) => j.finished));
    let timer: NodeJS.Timeout | undefined;
    const late = await Promise.race([all.then(() => false), new Promise<boolean>((r) => (timer = setTimeout(() => r(true), timeoutMs)))]);
    clearTimeout(timer);
    if (late) {
      for (const [id, j] of running) {
        if (!this.jobs.has(id)) continue;
        j.abandoned = true;
        this.jobs.delete(id);
        await j.job.terminate();
        // The result will never come: complete the audit here.
        const view = this.views.get(id);
        if (view && view.status === 'running') await this.complete(id, stoppedResult(view, 'shutdown'), { actor: 'system' }).catch(() => undefined);
      }
    }
    await Promise.allSettled([...this.queues.values()]);
    this.follower?.unsubscribe();
  }

  // --- internals ---

  private prepare(
    req: StartAuditRequest,
    prefix?: string,
  ): { request: AuditRequest; variantName: string; variantSpec: Variant | null; modelHash: string; variant: string | Variant | undefined; invariants: string[]; memoryModel: MemoryModelName } {
    const caps = this.caps;
    const issues: { field: string; message: string }[] = [];
    const strategy = req.strategy ?? 'exhaustive';
    if (!['exhaustive', 'pct', 'random'].includes(strategy)) issues.push({ field: 'strategy', message: 'must be one of exhaustive, pct, random' });
    const b = req.bounds ?? {};
    const capped = (field: 'maxStates' | 'maxDepth' | 'maxSeconds' | 'runs', cap: number, dflt: number) => {
      const v = b[field];
      if (v === undefined) return dflt;
      if (!Number.isSafeInteger(v) || v < 1) issues.push({ field: `bounds.${field}`, message: 'must be a positive integer' });
      else if (v > cap) issues.push({ field: `bounds.${field}`, message: `must be at most ${cap} on this server` });
      return v;
    };
    const bounds = {
      maxStates: capped('maxStates', caps.maxStates, caps.maxStates),
      maxDepth: capped('maxDepth', caps.maxDepth, caps.maxDepth),
      maxSeconds: capped('maxSeconds', caps.maxSeconds, caps.maxSeconds),
      runs: capped('runs', caps.maxRuns, Math.min(10_000, caps.maxRuns)),
      seed: b.seed ?? 0,
    };
    if (!Number.isSafeInteger(bounds.seed) || bounds.seed < 0) issues.push({ field: 'bounds.seed', message: 'must be a non-negative integer' });
    const where = prefix ?? 'variant';
    const prefixed = (issues: readonly { field: string; message: string }[]) =>
      issues.map((i) => ({ field: i.field === 'variant' || i.field === '(root)' ? where : i.field.startsWith('invariants[') ? i.field : `${where}.${i.field}`, message: i.message }));
    let variantSpec: Variant | null = null;
    if (req.variant !== undefined && typeof req.variant !== 'string') {
      try {
        variantSpec = parseVariant(req.variant);
      } catch (e) {
        if (e instanceof InvalidVariantError) throw InvalidAuditRequestError.of([...issues, ...prefixed(e.issues)]);
        throw e;
      }
    }
    const request: AuditRequest = {
      scenario: req.scenario,
      ...(req.document !== undefined ? { document: req.document } : {}),
      params: req.params,
      variant: req.variant,
      invariants: req.invariants?.length ? req.invariants : undefined,
      memoryModel: req.memoryModel,
      strategy,
      bounds,
      reductions: req.reductions,
    };
    // Throws the model's typed errors (unknown scenario, bad parameters, variant that does not apply).
    // Unknown or inapplicable invariants and switches are checked by the model (the CLI's check
    // too), and reported with the request's own issues in one 400.
    let model: ReturnType<typeof resolveModel> | undefined;
    try {
      model = resolveModel(request);
    } catch (e) {
      if (e instanceof InvalidModelRequestError) issues.push(...prefixed(e.issues));
      else if (issues.length) throw InvalidAuditRequestError.of(issues);
      else if (e instanceof VariantNotApplicableError) throw new VariantNotApplicableError(prefixed(e.issues));
      else throw e;
    }
    if (issues.length || !model) throw InvalidAuditRequestError.of(issues);
    return {
      request,
      variantName: model.variant,
      variantSpec,
      modelHash: model.modelHash,
      variant: req.variant,
      invariants: [...model.world.invariants],
      memoryModel: model.world.memoryModel,
    };
  }

  /** Takes `wanted` of the team's slots, or throws `AuditLimitError`; the returned function gives back the reservation. */
  private reserve(team: string, wanted: number): () => void {
    if (this.closing) throw new AuditLimitError(0, 5);
    const limit = this.caps.maxConcurrentPerTeam;
    // Checked and taken synchronously: two requests cannot both take the last slot.
    if (this.running(team) + (this.reserved.get(team) ?? 0) + wanted > limit) throw new AuditLimitError(limit, 5);
    this.reserved.set(team, (this.reserved.get(team) ?? 0) + wanted);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.reserved.set(team, (this.reserved.get(team) ?? 0) - wanted);
    };
  }

  private async launch(
    p: ReturnType<AuditService['prepare']>,
    team: string,
    by: Actor,
    comparison: AuditRequestedData['comparison'],
  ): Promise<AuditView> {
    const auditId = this.newId();
    const req = p.request;
    const requested: AuditRequestedData = {
      auditId,
      scenario: req.scenario,
      params: (req.params ?? {}) as Record<string, JsonValue>,
      variant: p.variantName === 'kernel' ? null : p.variantName,
      invariants: p.invariants,
      memoryModel: p.memoryModel,
      mode: req.strategy === 'exhaustive' ? 'exhaustive' : 'sampling',
      bounds: { maxStates: req.bounds!.maxStates, maxDepth: req.bounds!.maxDepth, samples: req.bounds!.runs, timeLimitMs: req.bounds!.maxSeconds! * 1000 },
      modelHash: p.modelHash,
      actor: by.actor,
      team,
      strategy: req.strategy,
      variantSpec: p.variantSpec as JsonObject | null,
      request: JSON.parse(JSON.stringify(req)) as JsonObject,
      comparison,
    };
    await this.append(auditId, [createEvent('AuditRequested', requested, { ...this.activity(by, team, 'audit.requested', auditId), owner: { ...this.owner } })], 'no-stream');
    if (comparison) this.comparisons.set(comparison.id, { ...this.comparisons.get(comparison.id), [comparison.role]: auditId });

    let job: AuditJob;
    try {
      job = this.runner(req);
    } catch (e) {
      // No worker: the audit is recorded as failed, and the caller gets the error.
      await this.complete(auditId, { ...stoppedResult(this.views.get(auditId)!, 'failed'), error: e instanceof Error ? e.message : String(e) }, { actor: 'system' });
      throw e;
    }
    const every = this.options.progressEveryMs ?? 1_000;
    let lastAppend = -Infinity;
    let appending = false;
    const onProgress = (progress: Progress) => {
      const data = { states: progress.states, transitions: progress.transitions, depth: progress.depth, elapsedMs: Math.round(progress.elapsedMs) };
      const now = Date.now();
      if (appending || now - lastAppend < every) return;
      appending = true;
      lastAppend = now;
      this.append(auditId, [createEvent('AuditProgressed', data)])
        .catch((e) => this.options.onError?.(e, auditId))
        .finally(() => (appending = false));
    };
    const running: RunningJob = {
      job,
      team,
      by,
      stopping: null,
      variant: p.variant,
      finished: Promise.resolve(),
      progressSub: job.events$.subscribe({ next: (e) => e.type === 'progress' && onProgress(e.progress), error: () => undefined }),
    };
    this.jobs.set(auditId, running);
    // The heartbeat: other processes take an audit whose stream is silent for leaseMs for orphaned.
    const beat = Math.max(10, Math.floor(this.leaseMs / 3));
    const heartbeat = setInterval(() => {
      const v = this.views.get(auditId);
      if (appending || !v || Date.now() - (this.lastEventAt.get(auditId) ?? 0) < beat) return;
      const p = v.progress ?? { states: 0, transitions: 0, depth: 0, elapsedMs: 0 };
      appending = true;
      this.append(auditId, [createEvent('AuditProgressed', { ...p })])
        .catch((e) => this.options.onError?.(e, auditId))
        .finally(() => (appending = false));
    }, beat);
    heartbeat.unref();
    running.finished = job.result.finally(() => clearInterval(heartbeat)).then(
      (result) => this.finish(auditId, running, result),
      (error: unknown) => this.fail(auditId, running, error),
    );
    return this.get(auditId, team);
  }

  private async finish(auditId: string, running: RunningJob, result: AuditResult): Promise<void> {
    try {
      running.progressSub.unsubscribe();
      if (running.abandoned) return;
      const view = this.views.get(auditId)!;
      await this.append(auditId, [
        createEvent('AuditProgressed', { states: result.statesStored, transitions: result.transitions, depth: result.maxDepth, elapsedMs: Math.round(result.elapsedMs) }),
      ]);
      let counterexample: CounterexampleData | null = null;
      const ce = result.counterexample;
      if (ce) {
        const runId = this.newId();
        counterexample = { runId, schedule: ce.schedule, length: ce.length, invariant: ce.invariant, step: ce.step, thread: ce.thread, message: ce.message };
        if (this.options.recordCounterexample) {
          try {
            await this.options.recordCounterexample({ runId, audit: view, variant: running.variant, schedule: ce.schedule, by: running.by });
          } catch (e) {
            // The audit's verdict stands; the run can be recorded again from the schedule.
            this.options.onError?.(e, auditId);
          }
        }
        await this.append(auditId, [createEvent('CounterexampleFound', counterexample)]);
      }
      const stopped = result.boundHit === 'cancelled' ? (running.stopping ?? 'cancelled') : null;
      const completed: AuditCompletedData = {
        verdict: result.verdict,
        boundHit: result.boundHit !== null,
        bound: result.boundHit,
        statesStored: result.statesStored,
        transitions: result.transitions,
        schedules: result.schedules,
        maxDepth: result.maxDepth,
        elapsedMs: Math.round(result.elapsedMs),
        reductions: [...result.reductions],
        pctBound: result.pctBound,
        sampling: result.sampling,
        summary: stopped ? `inconclusive: ${stopped} before a verdict; ${result.summary}` : result.summary,
        counterexample,
        stopped,
        error: null,
      };
      await this.complete(auditId, completed, stopped === 'shutdown' ? { actor: 'system' } : running.by);
    } catch (e) {
      this.options.onError?.(e, auditId);
    } finally {
      this.jobs.delete(auditId);
    }
  }

  private async fail(auditId: string, running: RunningJob, error: unknown): Promise<void> {
    running.progressSub.unsubscribe();
    if (running.abandoned) return;
    try {
      const view = this.views.get(auditId)!;
      const message = error instanceof Error ? error.message : String(error);
      await this.complete(auditId, { ...stoppedResult(view, 'failed'), error: message }, { actor: 'system' });
    } catch (e) {
      this.options.onError?.(e, auditId);
    } finally {
      this.jobs.delete(auditId);
    }
  }

  private complete(auditId: string, data: AuditCompletedData, by: Actor): Promise<void> {
    return this.append(auditId, [createEvent('AuditCompleted', data, { actor: by.actor })]);
  }

  private activity(by: Actor, team: string, action: string, auditId: string): ActivityMetadata {
    return { actor: by.actor, ...(by.tokenId ? { tokenId: by.tokenId } : {}), team, action, target: `audit:${auditId}` };
  }

  /** Appends to an audit's stream at its exact revision, one append at a time per audit, and folds the events into its view. */
  private append(auditId: string, events: EventData[], expected?: 'no-stream'): Promise<void> {
    const previous = this.queues.get(auditId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const recordedAt = new Date().toISOString();
      const stamped = events.map((e) => ({ ...e, metadata: { ...e.metadata, recordedAt, instance: this.owner.instance } }));
      const revision = expected ?? this.views.get(auditId)?.revision ?? 'no-stream';
      const result = await this.store.appendToStream(auditStream(auditId), stamped, { expectedRevision: revision });
      let r = result.nextExpectedRevision - BigInt(stamped.length) + 1n;
      for (const e of stamped) {
        this.applyRecorded(auditId, { type: e.type, data: e.data, metadata: { schemaVersion: 1, ...e.metadata, recordedAt }, revision: r++ });
      }
    });
    const settled = next.catch(() => undefined);
    this.queues.set(auditId, settled);
    void settled.then(() => {
      if (this.queues.get(auditId) === settled) this.queues.delete(auditId);
    });
    return next;
  }

  private applyRecorded(auditId: string, e: Pick<RecordedEvent, 'type' | 'data' | 'metadata' | 'revision'>): void {
    const known = this.views.get(auditId);
    // Each event once: appended here and seen again by the follower, or the other way round.
    if (known && e.revision <= known.revision) return;
    if (e.type === 'AuditRequested') this.owners.set(auditId, (e.metadata.owner as Owner | undefined) ?? null);
    const at = Date.parse(String(e.metadata.recordedAt ?? ''));
    this.lastEventAt.set(auditId, Number.isNaN(at) ? 0 : at);
    const view = evolveAudit(known, e);
    if (!view) return;
    this.views.set(auditId, view);
    if (view.comparison) this.comparisons.set(view.comparison.id, { ...this.comparisons.get(view.comparison.id), [view.comparison.role]: auditId });
  }
}

/** The host and pid namespace: two processes with the same identity see each other's pids. */
function hostIdentity(): string {
  let ns = '';
  try {
    ns = readlinkSync('/proc/self/ns/pid');
  } catch {
    // not Linux: the host name alone
  }
  return ns ? `${hostname()}#${ns}` : hostname();
}

/** The completion of an audit that stopped without a result of its own. */
function stoppedResult(view: AuditView, stopped: AuditStop): AuditCompletedData {
  const p = view.progress;
  return {
    verdict: 'inconclusive',
    boundHit: true,
    bound: 'cancelled',
    statesStored: p?.states ?? 0,
    transitions: p?.transitions ?? 0,
    schedules: 0,
    maxDepth: p?.depth ?? 0,
    elapsedMs: p?.elapsedMs ?? 0,
    reductions: [],
    pctBound: null,
    sampling: null,
    summary: `inconclusive: ${stopped} before a verdict, after ${(p?.states ?? 0).toLocaleString('en-US')} states; nothing is claimed about ${view.invariants.join(', ')}`,
    counterexample: null,
    stopped,
    error: null,
  };
}

const copy = (v: AuditView): AuditView => structuredClone(v);
