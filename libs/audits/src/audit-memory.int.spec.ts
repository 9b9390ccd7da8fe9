import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '@mmreplay/event-store';
import { AuditService } from './audit.service.js';
import type { StartAuditRequest } from './audit-request.js';

// Issue 15, bounds that are honest: an audit's memory bound counts the visited set, the frontier in
// memory and every worker of the search, and an audit that reaches it is completed `inconclusive`
// with bound `memory` (its worker, and the search's own workers, ended by the bound, not crashed):
// on 2 workers, bitstate with its frontier in memory, and hash compaction with its frontier spilled. Real audit workers (the
// built explorer), through the service as the API runs them. On 2 workers the bound may stop the
// search in its first levels, on the audit's thread while the search's workers load, or later on
// them, by how fast they load; the workers' own bound is parallel.in-process.bounds.spec's.

const BIG = { scenario: 'seed', params: { ptes: 5, faults: 5 }, reductions: { symmetry: false, partialOrder: false, deadRegisters: false } };

describe('the memory bound of an audit (real workers)', () => {
  const spillDir = mkdtempSync(join(tmpdir(), 'mmreplay-memory-spill-'));
  const service = new AuditService(new InMemoryEventStore(), { spillDir, caps: { maxSeconds: 120 } });
  afterAll(() => rmSync(spillDir, { recursive: true, force: true }));

  const audit = async (req: Omit<StartAuditRequest, 'scenario'>) => {
    const started = await service.request({ ...BIG, ...req } as StartAuditRequest, 'mm', { actor: 'alice' });
    await service.settled(started.auditId);
    return service.get(started.auditId, 'mm');
  };

  it.each([
    ['exact, 2 workers', { workers: 2, bounds: { maxMemoryMB: 50 } }],
    // the bit table takes at most a quarter of the bound (8 MB): the frontier, kept in memory, fills the rest
    ['bitstate, frontier in memory', { approximate: 'bitstate' as const, bounds: { maxMemoryMB: 40 } }],
    ['hash compaction, frontier spilled', { approximate: 'hashcompact' as const, frontierInMemory: 1_000, bounds: { maxMemoryMB: 32 } }],
  ])(
    '%s: inconclusive, bound memory, after real progress; nothing spilled is left',
    async (_, req) => {
      const v = await audit(req);
      expect(v.error).toBeNull();
      expect(v).toMatchObject({ status: 'completed', verdict: 'inconclusive', result: { boundHit: true, bound: 'memory' } });
      expect(v.result!.statesStored).toBeGreaterThan(10_000);
      expect(v.result!.summary).toMatch(/^inconclusive: the memory bound stopped the search/);
      expect(readdirSync(spillDir)).toEqual([]);
    },
    180_000,
  );
});
