import { auditStream, type EventData, type RecordedEvent } from '@mmreplay/events';
import { WrongExpectedVersionError, type EventStore } from '@mmreplay/event-store';

/** The revision this process has folded for an audit, and what to do with an event it appended. */
export interface AuditLogSink {
  revision(auditId: string): bigint | undefined;
  recorded(auditId: string, e: Pick<RecordedEvent, 'type' | 'data' | 'metadata' | 'revision'>): void;
}

/**
 * Appends to audits' streams: at the exact revision this process has folded (so a process that
 * lags behind another's appends gets a conflict, never a fork), one append at a time per audit,
 * each stamped with the time and this process's instance, then folded at once (read-your-writes).
 */
export class AuditLog {
  private readonly queues = new Map<string, Promise<unknown>>();

  constructor(
    private readonly store: EventStore,
    private readonly instance: string,
    private readonly sink: AuditLogSink,
  ) {}

  append(auditId: string, events: EventData[], expected?: 'no-stream'): Promise<void> {
    const previous = this.queues.get(auditId) ?? Promise.resolve();
    const next = previous.then(async () => {
      const recordedAt = new Date().toISOString();
      const stamped = events.map((e) => ({ ...e, metadata: { ...e.metadata, recordedAt, instance: this.instance } }));
      const revision = expected ?? this.sink.revision(auditId) ?? 'no-stream';
      const result = await this.store.appendToStream(auditStream(auditId), stamped, { expectedRevision: revision });
      let r = result.nextExpectedRevision - BigInt(stamped.length) + 1n;
      for (const e of stamped) {
        this.sink.recorded(auditId, { type: e.type, data: e.data, metadata: { schemaVersion: 1, ...e.metadata, recordedAt }, revision: r++ });
      }
    });
    const settled = next.catch(() => undefined);
    this.queues.set(auditId, settled);
    void settled.then(() => {
      if (this.queues.get(auditId) === settled) this.queues.delete(auditId);
    });
    return next;
  }

  /**
   * Appends what `build` makes of the audit as this process has folded it; when another process
   * appended first (its owner keeps appending progress), folds what it missed and builds again.
   */
  async appendCaughtUp(auditId: string, build: () => EventData[], attempts = 20): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.append(auditId, build());
      } catch (e) {
        if (!(e instanceof WrongExpectedVersionError) || attempt >= attempts) throw e;
        const from = (this.sink.revision(auditId) ?? -1n) + 1n;
        for (const r of await this.store.readStream(auditStream(auditId), { fromRevision: from })) this.sink.recorded(auditId, r);
      }
    }
  }

  /** Whether an append to the audit is under way. */
  busy(auditId: string): boolean {
    return this.queues.has(auditId);
  }

  /** Resolves once every append under way has settled. */
  async drained(): Promise<void> {
    await Promise.allSettled([...this.queues.values()]);
  }
}
