import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runAuditInWorker, type AuditJob, type AuditRequest } from '@mmreplay/explorer';
import type { AuditJobContext } from './audit-service-options.js';

// The spill directories of approximate audits: `<root>/audit-<id>`, one an audit, where its worker's
// FileSpill keeps the frontier beyond `frontierInMemory` states a level. A job's own is removed when
// the job is over; one whose process was killed outright (SIGKILL: no shutdown hook, no `finally`)
// stays behind until a sweep finds its audit no longer running.

const PREFIX = 'audit-';

// The module an audit worker loads to make its spill port (a worker thread runs built JavaScript:
// from src/ this points at ../dist, which `npm test` builds first).
const SPILL_MODULE = import.meta.url.endsWith('.ts')
  ? new URL('../dist/file-spill.js', import.meta.url).href
  : new URL('./file-spill.js', import.meta.url).href;

/** The worker options that spill an approximate audit's frontier to `dir` (none without one). */
export const workerSpill = (dir: string | undefined): { spill?: { module: string; dir: string } } => (dir ? { spill: { module: SPILL_MODULE, dir } } : {});

/** The audit service's default runner: a worker thread, its frontier spilled to the audit's own directory when there is one. */
export const workerRunner = (request: AuditRequest, job: AuditJobContext): AuditJob => runAuditInWorker(request, workerSpill(job.spillDir));

export class AuditSpills {
  constructor(readonly root: string) {}

  /** The directory of an audit's spilled frontier. */
  dirOf(auditId: string): string {
    return join(this.root, `${PREFIX}${auditId}`);
  }

  /** Removes an audit's spill directory and whatever a killed worker left in it; no error if there is none. */
  remove(auditId: string): void {
    rmSync(this.dirOf(auditId), { recursive: true, force: true });
  }

  /**
   * The job, its spill directory removed once it is over however it ended: a result or an error
   * (the search closed its port, or the worker died), or terminated (shutdown, completed
   * elsewhere) before the search could close it.
   */
  removedAfter(job: AuditJob, auditId: string): AuditJob {
    const remove = () => this.remove(auditId);
    job.result.then(remove, remove);
    return { events$: job.events$, result: job.result, cancel: () => job.cancel(), terminate: () => job.terminate().finally(remove) };
  }

  /** Removes the spill directories whose audit `inUse` does not claim; returns their audit ids. A root that does not exist has none. */
  sweep(inUse: (auditId: string) => boolean): string[] {
    let names: string[];
    try {
      names = readdirSync(this.root);
    } catch {
      return [];
    }
    const removed: string[] = [];
    for (const name of names) {
      const id = name.slice(PREFIX.length);
      if (!name.startsWith(PREFIX) || inUse(id)) continue;
      rmSync(join(this.root, name), { recursive: true, force: true });
      removed.push(id);
    }
    return removed;
  }
}
