import { randomBytes } from 'node:crypto';
import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';
import type { RecordedEvent } from '@mmreplay/events';
import type { AuditView } from './audit-view.js';

// Ownership of running audits across the processes that share one store. The process whose
// `AuditRequested` created an audit's stream owns it (recorded in that event's metadata) and
// keeps its stream alive with heartbeats; an audit whose stream has been silent for `leaseMs`, or
// whose owner is certainly dead, is orphaned, and any process may complete it as interrupted.
//
// An audit runs only in the process whose `AuditRequested` append (expected: no stream) created
// its stream, and is never resumed elsewhere: no audit is executed twice. A dead process's audits
// are completed as `interrupted` with their last progress, by an append at the revision this
// process has seen, so a process that is still alive and appending wins; an owner that sees its
// audit completed by another process stops its job.

/** Who runs an audit: recorded in the metadata of its `AuditRequested`. */
export interface Owner {
  instance: string;
  host: string;
  pid: number;
}

export class AuditLease {
  /** this process */
  readonly owner: Owner;
  /** the process running each audit, and when its stream last had an event (ms) */
  private readonly owners = new Map<string, Owner | null>();
  private readonly lastEventAt = new Map<string, number>();

  constructor(
    readonly leaseMs: number,
    instance?: string,
  ) {
    this.owner = { instance: instance ?? `${hostname()}/${process.pid}/${randomBytes(4).toString('hex')}`, host: hostIdentity(), pid: process.pid };
  }

  /** Notes an event of an audit's stream: its owner (from `AuditRequested`) and that the stream is alive. */
  observe(auditId: string, e: Pick<RecordedEvent, 'type' | 'metadata'>): void {
    if (e.type === 'AuditRequested') this.owners.set(auditId, (e.metadata.owner as Owner | undefined) ?? null);
    const at = Date.parse(String(e.metadata.recordedAt ?? ''));
    this.lastEventAt.set(auditId, Number.isNaN(at) ? 0 : at);
  }

  /** Whether the event was appended by this process. */
  mine(e: Pick<RecordedEvent, 'metadata'>): boolean {
    return e.metadata.instance === this.owner.instance;
  }

  /** How long the audit's stream has been silent, ms. */
  silentFor(auditId: string, now = Date.now()): number {
    return now - (this.lastEventAt.get(auditId) ?? 0);
  }

  /** A running audit no live process runs: silent past the lease, or its owner is certainly gone. */
  orphaned(view: AuditView, now = Date.now()): boolean {
    if (view.status !== 'running') return false;
    const owner = this.owners.get(view.auditId);
    return this.silentFor(view.auditId, now) > this.leaseMs || !owner || this.ownerIsDead(owner);
  }

  /** How often a running audit's owner appends a heartbeat: a third of the lease. */
  get heartbeatMs(): number {
    return Math.max(10, Math.floor(this.leaseMs / 3));
  }

  /** How often to look for orphaned audits: half the lease. */
  get sweepMs(): number {
    return Math.max(10, Math.floor(this.leaseMs / 2));
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
