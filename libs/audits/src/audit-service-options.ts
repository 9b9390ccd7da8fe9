import type { Variant } from '@mmreplay/model';
import type { AuditJob, AuditRequest } from '@mmreplay/explorer';
import type { Actor } from '@mmreplay/teams';
import type { AuditCaps } from './audit-request.js';
import type { AuditView } from './audit-view.js';

/** Records a counterexample as a run (replaying its schedule); resolves when the run is stored. */
export type CounterexampleRecorder = (request: {
  runId: string;
  audit: AuditView;
  variant: string | Variant | undefined;
  schedule: string;
  by: Actor;
}) => Promise<void>;

/** What the service tells its runner about the job it starts. */
export interface AuditJobContext {
  auditId: string;
  /** the audit's own spill directory, when the service has a `spillDir` */
  spillDir?: string;
}

export interface AuditServiceOptions {
  caps?: Partial<AuditCaps>;
  /** AuditProgressed events are appended at most this often; default 1,000 ms */
  progressEveryMs?: number;
  /**
   * default `runAuditInWorker`: the exploration runs off the event loop. `job.spillDir` (when the
   * service has a `spillDir`) is the directory of this audit's frontier on disk, which the service
   * removes once the job is over, however it ended.
   */
  runner?: (request: AuditRequest, job: AuditJobContext) => AuditJob;
  /**
   * Where approximate audits spill their frontier: one directory `audit-<id>` each, removed when the
   * job ends, and at start and every sweep for audits no longer running (a process killed outright
   * leaves its directories; a sweep after restart removes them). Absent: frontiers stay in memory.
   */
  spillDir?: string;
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
