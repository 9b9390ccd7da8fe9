import type { Subscription } from 'rxjs';
import type { Variant } from '@mmreplay/model';
import type { AuditJob, Progress } from '@mmreplay/explorer';
import { createEvent, type AuditProgressed, type EventData } from '@mmreplay/events';
import type { Actor } from '@mmreplay/teams';
import type { AuditStop, AuditView } from './audit-view.js';

/** What a running audit reports through: its stream, its view, and the lease's clock. */
export interface RunningAuditReports {
  append(events: EventData[]): Promise<void>;
  view(): AuditView | undefined;
  /** how long the stream has been silent, ms */
  silentFor(): number;
  heartbeatMs: number;
  /** AuditProgressed at most this often, ms */
  progressEveryMs: number;
  onError(error: unknown): void;
}

/**
 * One exploration this process runs, and its reports: progress appended at most every
 * `progressEveryMs`, and between reports a heartbeat that keeps the stream alive for the lease
 * (other processes take a silent audit for orphaned).
 */
export class RunningAudit {
  /** terminated at shutdown or completed elsewhere: its own result, if any, is ignored */
  abandoned = false;
  stopping: AuditStop | null = null;
  /** settles once the job's outcome is recorded */
  finished: Promise<void> = Promise.resolve();
  private readonly progressSub: Subscription;
  private readonly heartbeat: NodeJS.Timeout;
  private appending = false;
  private lastAppend = -Infinity;

  constructor(
    readonly job: AuditJob,
    readonly team: string,
    readonly by: Actor,
    readonly variant: string | Variant | undefined,
    private readonly reports: RunningAuditReports,
  ) {
    this.progressSub = job.events$.subscribe({ next: (e) => e.type === 'progress' && this.onProgress(e.progress), error: () => undefined });
    const beat = reports.heartbeatMs;
    this.heartbeat = setInterval(() => {
      const v = reports.view();
      if (this.appending || !v || reports.silentFor() < beat) return;
      this.appendProgress({ ...(v.progress ?? { states: 0, transitions: 0, depth: 0, elapsedMs: 0 }) });
    }, beat);
    this.heartbeat.unref();
    void job.result.finally(() => clearInterval(this.heartbeat)).catch(() => undefined);
  }

  /** Stops reporting progress (the result is being recorded, or ignored). */
  stopReporting(): void {
    this.progressSub.unsubscribe();
  }

  /** Ends the job without a result: its outcome is recorded by someone else. */
  abandon(): Promise<void> {
    this.abandoned = true;
    this.stopReporting();
    return this.job.terminate();
  }

  private onProgress(progress: Progress): void {
    const now = Date.now();
    if (this.appending || now - this.lastAppend < this.reports.progressEveryMs) return;
    this.lastAppend = now;
    this.appendProgress({ states: progress.states, transitions: progress.transitions, depth: progress.depth, elapsedMs: Math.round(progress.elapsedMs) });
  }

  private appendProgress(data: AuditProgressed): void {
    this.appending = true;
    this.reports
      .append([createEvent('AuditProgressed', data)])
      .catch((e) => this.reports.onError(e))
      .finally(() => (this.appending = false));
  }
}
