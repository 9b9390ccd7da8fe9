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
