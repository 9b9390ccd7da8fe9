import { randomBytes } from 'node:crypto';
import { Observable, takeWhile } from 'rxjs';
import type { AuditJob, AuditRequest, AuditResult } from '@mmreplay/explorer';
import { auditIdOf, auditStream, AUDIT_STREAM_PREFIX, createEvent, type RecordedEvent } from '@mmreplay/events';
import { LogFollower, type EventStore } from '@mmreplay/event-store';
import type { Actor, ActivityMetadata } from '@mmreplay/teams';
import { AUDIT_CANCEL_REQUESTED, compareViews, type AuditCompletedData, type AuditRequestedData, type AuditView, type ComparisonView } from './audit-view.js';
import { AuditNotRunningError } from './errors.js';
import {
  auditRequestedData,
  DEFAULT_AUDIT_CAPS,
  resolveAuditRequest,
  type AuditCaps,
  type ResolvedAudit,
  type StartAuditRequest,
  type StartComparisonRequest,
} from './audit-request.js';
import { TeamSlots } from './team-slots.js';
import { AuditLease } from './audit-lease.js';
import { AuditReadModel, type AuditFilter } from './audit-read-model.js';
import { AuditLog } from './audit-log.js';
import { completedData, counterexampleData, failedResult, finalProgress, stoppedResult } from './audit-completion.js';
import { RunningAudit } from './running-audit.js';
import type { AuditJobContext, AuditServiceOptions } from './audit-service-options.js';
import { AuditSpills, workerRunner } from './audit-spills.js';

export type { AuditJobContext, AuditServiceOptions, CounterexampleRecorder } from './audit-service-options.js';
export const newAuditId = (): string => randomBytes(10).toString('hex');

/**
 * Audits as jobs. An audit is a stream `audit-<id>`: `AuditRequested`, throttled `AuditProgressed`,
 * `CounterexampleFound` (with the run that replays it), `AuditCompleted`. The exploration runs on a
 * worker thread. Around the jobs: the request resolver (audit-request.ts), the team's slots
 * (team-slots.ts), the lease between processes (audit-lease.ts), the views (audit-read-model.ts,
 * fed by the shared LogFollower) and the per-audit append queue (audit-log.ts).
 *
 * Audits run in the process that accepted them. At start, an audit the log shows unfinished (its
 * process died) is completed as `inconclusive` with `stopped: 'interrupted'`; at shutdown, running
 * audits are cancelled and completed with `stopped: 'shutdown'`.
 */
export class AuditService {
  readonly caps: AuditCaps;
  private readonly model = new AuditReadModel();
  private readonly jobs = new Map<string, RunningAudit>();
  private readonly slots: TeamSlots;
  private readonly lease: AuditLease;
  private readonly log: AuditLog;
  private readonly runner: (request: AuditRequest, job: AuditJobContext) => AuditJob;
  private readonly newId: () => string;
  private readonly spills: AuditSpills | null;
  private closing = false;
  private follower: LogFollower | undefined;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(
    private readonly store: EventStore,
    private readonly options: AuditServiceOptions = {},
  ) {
    this.caps = { ...DEFAULT_AUDIT_CAPS, ...options.caps };
    this.runner = options.runner ?? workerRunner;
    this.newId = options.newId ?? newAuditId;
    this.spills = options.spillDir ? new AuditSpills(options.spillDir) : null;
    this.slots = new TeamSlots(this.caps.maxConcurrentPerTeam, (team) => this.running(team));
    this.lease = new AuditLease(options.leaseMs ?? 30_000, options.instance);
    this.log = new AuditLog(store, this.lease.owner.instance, { revision: (id) => this.model.view(id)?.revision, recorded: (id, e) => this.fold(id, e) });
  }

  /**
   * Rebuilds the views from the log, then follows it (audits of other processes on the same store
   * appear, progress and complete here too), and completes the audits whose process died
   * (audit-lease.ts says how; no audit is executed twice).
   */
  async start(): Promise<void> {
    this.follower = new LogFollower(this.store, {
      filter: { streamPrefix: [AUDIT_STREAM_PREFIX] },
      apply: (e) => this.applyFollowed(e),
      onError: (e) => this.options.onError?.(e, '(follower)'),
    });
    await this.follower.start();
    await this.sweep();
    this.sweeper = setInterval(() => void this.sweep(), this.lease.sweepMs);
    this.sweeper.unref();
  }

  /** Completes as `interrupted` the running audits whose process is gone (see `start`), then removes the spill of audits not running. */
  async sweep(): Promise<void> {
    if (this.closing) return;
    for (const v of this.model.running()) {
      if (this.jobs.has(v.auditId) || this.log.busy(v.auditId) || !this.lease.orphaned(v)) continue;
      // A conflict means its owner (or another process) appended first: it is not orphaned, or already done.
      await this.complete(v.auditId, stoppedResult(v, 'interrupted'), { actor: 'system' }).catch(() => undefined);
    }
    if (!this.closing) this.spills?.sweep((id) => this.spillInUse(id));
  }

  /** A spill still written to: a job here, a running audit of a live process, or one not folded yet. */
  private spillInUse(auditId: string): boolean {
    if (this.jobs.has(auditId)) return true;
    const view = this.model.view(auditId);
    return !view || (view.status === 'running' && !this.lease.orphaned(view));
  }

  /** An audit event from the log: another process's, or an echo of one this process appended. */
  private applyFollowed(e: RecordedEvent): void {
    const auditId = auditIdOf(e.streamId);
    if (!auditId) return;
    this.fold(auditId, e);
    const job = this.jobs.get(auditId);
    if (e.type === 'AuditCompleted' && job && !this.lease.mine(e) && !job.abandoned) {
      // Completed elsewhere (cancelled through another process, or taken for orphaned): stop here.
      this.jobs.delete(auditId);
      void job.abandon();
    }
  }

  private fold(auditId: string, e: Pick<RecordedEvent, 'type' | 'data' | 'metadata' | 'revision'>): void {
    if (this.model.apply(auditId, e)) this.lease.observe(auditId, e);
  }

  /** Validates, records `AuditRequested` and starts the exploration; resolves with the running audit's view. */
  async request(req: StartAuditRequest, team: string, by: Actor, comparison: AuditRequestedData['comparison'] = null): Promise<AuditView> {
    const resolved = resolveAuditRequest(req, this.caps);
    const release = this.slots.reserve(team, 1);
    try {
      return await this.launch(resolved, team, by, comparison);
    } finally {
      release();
    }
  }

  /** Starts the baseline and the fix together; both count against the team's concurrent audits. */
  async compare(req: StartComparisonRequest, team: string, by: Actor): Promise<ComparisonView> {
    const { baseline, fix, ...common } = req;
    const b = resolveAuditRequest({ ...common, variant: baseline }, this.caps, 'baseline');
    const f = resolveAuditRequest({ ...common, variant: fix }, this.caps, 'fix');
    const release = this.slots.reserve(team, 2);
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
    return this.model.get(auditId, team);
  }

  comparison(comparisonId: string, team: string): ComparisonView {
    return this.model.comparison(comparisonId, team);
  }

  /** A team's audits, newest first, filtered; `after` is the id of the last audit of the previous page. */
  list(team: string, filter: AuditFilter = {}, page: { limit?: number; after?: string } = {}): { audits: AuditView[]; next: string | null } {
    return this.model.list(team, filter, page);
  }

  /** Audits the team runs now. */
  running(team: string): number {
    return [...this.jobs.values()].filter((j) => j.team === team).length;
  }

  /** Cancels a running audit: it completes as `inconclusive` with `stopped: 'cancelled'`. */
  async cancel(auditId: string, team: string, by: Actor): Promise<AuditView> {
    const view = this.get(auditId, team);
    const job = this.jobs.get(auditId);
    if (view.status !== 'running' || (job && job.stopping)) throw new AuditNotRunningError(auditId, job?.stopping ? 'being stopped' : view.status);
    const data = { auditId, reason: 'cancelled by a member' };
    if (job) {
      await this.log.append(auditId, [{ type: AUDIT_CANCEL_REQUESTED, data, metadata: this.activity(by, team, 'audit.cancelled', auditId) }]);
      job.stopping = 'cancelled';
      job.job.cancel();
      await job.finished;
      return this.get(auditId, team);
    }
    // Running in another process (or orphaned): its owner stops its job when it sees the completion.
    await this.log.appendCaughtUp(auditId, () => {
      const current = this.get(auditId, team);
      if (current.status !== 'running') throw new AuditNotRunningError(auditId, current.status);
      return [
        { type: AUDIT_CANCEL_REQUESTED, data, metadata: this.activity(by, team, 'audit.cancelled', auditId) },
        createEvent('AuditCompleted', stoppedResult(current, 'cancelled'), { actor: by.actor }),
      ];
    });
    return this.get(auditId, team);
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
  settled = async (auditId: string): Promise<void> => void (await this.jobs.get(auditId)?.finished);

  /**
   * Stops every running audit: each is cancelled and completed with `stopped: 'shutdown'`. A worker
   * that does not stop within `timeoutMs` is terminated and its audit completed the same way.
   */
  async shutdown(timeoutMs = 5_000): Promise<void> {
    this.closing = true;
    this.slots.close();
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
        this.jobs.delete(id);
        await j.abandon();
        // The result will never come: complete the audit here.
        const view = this.model.view(id);
        if (view && view.status === 'running') await this.complete(id, stoppedResult(view, 'shutdown'), { actor: 'system' }).catch(() => undefined);
      }
    }
    await this.log.drained();
    this.follower?.stop();
  }

  // --- the jobs ---
  private async launch(p: ResolvedAudit, team: string, by: Actor, comparison: AuditRequestedData['comparison']): Promise<AuditView> {
    const auditId = this.newId();
    const requested = auditRequestedData(p, { auditId, team, actor: by.actor, comparison });
    const metadata = { ...this.activity(by, team, 'audit.requested', auditId), owner: { ...this.lease.owner } };
    await this.log.append(auditId, [createEvent('AuditRequested', requested, metadata)], 'no-stream');
    if (comparison) this.model.link(comparison, auditId);
    let job: AuditJob;
    try {
      const spills = this.spills;
      job = this.runner(p.request, { auditId, ...(spills ? { spillDir: spills.dirOf(auditId) } : {}) });
      if (spills) job = spills.removedAfter(job, auditId);
    } catch (e) {
      // No worker: the audit is recorded as failed, and the caller gets the error.
      await this.complete(auditId, failedResult(this.model.view(auditId)!, e), { actor: 'system' });
      throw e;
    }
    const running = new RunningAudit(job, team, by, p.variant, {
      append: (events) => this.log.append(auditId, events),
      view: () => this.model.view(auditId),
      silentFor: () => this.lease.silentFor(auditId),
      heartbeatMs: this.lease.heartbeatMs,
      progressEveryMs: this.options.progressEveryMs ?? 1_000,
      onError: (e) => this.options.onError?.(e, auditId),
    });
    this.jobs.set(auditId, running);
    running.finished = job.result.then(
      (result) => this.finish(auditId, running, result),
      (error: unknown) => this.fail(auditId, running, error),
    );
    return this.get(auditId, team);
  }

  private async finish(auditId: string, running: RunningAudit, result: AuditResult): Promise<void> {
    try {
      running.stopReporting();
      if (running.abandoned) return;
      const view = this.model.view(auditId)!;
      await this.log.append(auditId, [createEvent('AuditProgressed', finalProgress(result))]);
      const counterexample = result.counterexample && counterexampleData(this.newId(), result.counterexample);
      if (counterexample) {
        const { runId, schedule } = counterexample;
        try {
          await this.options.recordCounterexample?.({ runId, audit: view, variant: running.variant, schedule, by: running.by });
        } catch (e) {
          // The audit's verdict stands; the run can be recorded again from the schedule.
          this.options.onError?.(e, auditId);
        }
        await this.log.append(auditId, [createEvent('CounterexampleFound', counterexample)]);
      }
      const stopped = result.boundHit === 'cancelled' ? (running.stopping ?? 'cancelled') : null;
      await this.complete(auditId, completedData(result, counterexample, stopped), stopped === 'shutdown' ? { actor: 'system' } : running.by);
    } catch (e) {
      this.options.onError?.(e, auditId);
    } finally {
      this.jobs.delete(auditId);
    }
  }

  private async fail(auditId: string, running: RunningAudit, error: unknown): Promise<void> {
    running.stopReporting();
    if (running.abandoned) return;
    try {
      await this.complete(auditId, failedResult(this.model.view(auditId)!, error), { actor: 'system' });
    } catch (e) {
      this.options.onError?.(e, auditId);
    } finally {
      this.jobs.delete(auditId);
    }
  }

  private complete(auditId: string, data: AuditCompletedData, by: Actor): Promise<void> {
    return this.log.append(auditId, [createEvent('AuditCompleted', data, { actor: by.actor })]);
  }

  private activity(by: Actor, team: string, action: string, auditId: string): ActivityMetadata {
    return { actor: by.actor, ...(by.tokenId ? { tokenId: by.tokenId } : {}), team, action, target: `audit:${auditId}` };
  }
}
