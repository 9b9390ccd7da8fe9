import { defer, map, type Observable } from 'rxjs';
import { evolveAudit, type AuditView } from '@mmreplay/audits';
import type { RecordedEvent } from '@mmreplay/events';
import { toAudit, type AuditEvent } from './audit.models.js';

/** An audit's events, each with the audit as of that event (folded as they arrive). */
export function withAuditState(events: Observable<RecordedEvent>): Observable<AuditEvent> {
  return defer(() => {
    let view: AuditView | undefined;
    return events.pipe(
      map((e) => {
        view = evolveAudit(view, e);
        return { type: e.type, revision: Number(e.revision), data: e.data, audit: toAudit(view!) };
      }),
    );
  });
}
