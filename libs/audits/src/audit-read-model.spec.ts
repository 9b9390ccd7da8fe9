import { describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { InMemoryEventStore } from '@mmreplay/event-store';
import { auditStream } from '@mmreplay/events';
import { AuditReadModel, type AuditFilter } from './audit-read-model.js';
import { AuditService } from './audit.service.js';
import type { AuditView } from './audit-view.js';

const requested = (auditId: string, team: string, scenario: string, actor: string) => ({
  type: 'AuditRequested',
  revision: 0n,
  metadata: { recordedAt: '2026-12-02T12:00:00.000Z', schemaVersion: 1 },
  data: { auditId, team, actor, scenario, params: {}, variant: null, invariants: ['bug-on'], mode: 'exhaustive', bounds: {}, modelHash: 'h' },
});
const completed = (verdict: string) => ({
  type: 'AuditCompleted',
  revision: 1n,
  metadata: { recordedAt: '2026-12-02T12:00:01.000Z', schemaVersion: 1 },
  data: { verdict, boundHit: null, statesStored: 1, transitions: 1, schedules: 1, elapsedMs: 1, reductions: [], counterexample: null },
});

/** The listing as it was written before (every view copied and filtered on each request): the reference. */
function reference(views: AuditView[], team: string, filter: AuditFilter, limit: number, after?: string) {
  const all = views.filter((v) => v.team === team).reverse();
  const start = after === undefined ? 0 : all.findIndex((v) => v.auditId === after) + 1;
  const matches = (v: AuditView) => (Object.keys(filter) as (keyof AuditFilter)[]).every((k) => filter[k] === undefined || v[k] === filter[k]);
  const rest = all.slice(start).filter(matches);
  const audits = rest.slice(0, limit);
  return { ids: audits.map((v) => v.auditId), next: rest.length > limit ? audits[audits.length - 1].auditId : null };
}

describe('the audit read model (issue 12: no request or sweep walks every audit)', () => {
  it('pages exactly like filtering the whole list, with cursors, across teams, statuses and filters', () => {
    const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);
    fc.assert(
      fc.property(
        fc.array(fc.record({ team: pick(['a', 'b']), scenario: pick(['seed', 'thp']), actor: pick(['ann', 'bob']), done: pick([null, 'holds', 'violated']) }), {
          maxLength: 40,
        }),
        fc.record({
          status: fc.option(pick(['running', 'completed']), { nil: undefined }),
          scenario: fc.option(pick(['seed', 'thp']), { nil: undefined }),
          verdict: fc.option(pick(['holds', 'violated']), { nil: undefined }),
          author: fc.option(pick(['ann']), { nil: undefined }),
        }),
        fc.integer({ min: 1, max: 6 }),
        (audits, filter, limit) => {
          const model = new AuditReadModel();
          audits.forEach((a, i) => model.apply(`x${i}`, requested(`x${i}`, a.team, a.scenario, a.actor)));
          // completed in another order than requested: a view changes, its place in the listing does not
          audits.forEach((a, i) => a.done && model.apply(`x${i}`, completed(a.done)));
          const views = audits.map((_, i) => model.view(`x${i}`)!);
          for (const team of ['a', 'b']) {
            let after: string | undefined;
            for (let pages = 0; pages < 50; pages++) {
              const got = model.list(team, filter, { limit, after });
              const want = reference(views, team, filter, limit, after);
              expect({ ids: got.audits.map((v) => v.auditId), next: got.next }).toEqual(want);
              if (!got.next) break;
              after = got.next;
            }
          }
          expect(model.running().map((v) => v.auditId)).toEqual(views.filter((v) => v.status === 'running').map((v) => v.auditId));
          // another team's audit is not a cursor of this listing
          if (audits.some((a) => a.team === 'b')) expect(() => model.list('a', {}, { after: `x${audits.findIndex((a) => a.team === 'b')}` })).toThrow(/cursor/);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a sweep for orphaned audits looks only at the running ones, however many have completed', async () => {
    const store = new InMemoryEventStore();
    for (let i = 0; i < 500; i++) {
      const { type, data } = requested(`done${i}`, 'mm', 'seed', 'ann');
      const end = completed('holds');
      await store.appendToStream(auditStream(`done${i}`), [
        { type, data },
        { type: end.type, data: end.data },
      ]);
    }
    const service = new AuditService(store, { runner: () => undefined as never, leaseMs: 60_000 });
    await service.start();
    const lease = (service as unknown as { lease: { orphaned: (...args: unknown[]) => boolean } }).lease;
    const orphaned = vi.spyOn(lease, 'orphaned');
    await service.sweep();
    expect(orphaned).not.toHaveBeenCalled();
    await service.shutdown(100);
    await store.close();
  });
});
