import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { filter, firstValueFrom, lastValueFrom, toArray } from 'rxjs';
import { UnknownScenarioError } from '@mmreplay/model';
import { ProgramFaultError, ReplayScheduler, Runtime } from '@mmreplay/engine';
import { resolveModel } from '@mmreplay/model';
import { compareAudits, runAuditInWorker } from './audit-worker.js';
import { runAudit } from './audit.js';
// Test support shared by the multi-process tests, outside every project (no dependency edge).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { buildChildLibraries, type ChildLibraries } from '../../../test-support/child-lib.js';

// These run the built library in a worker thread (`npm test` builds before testing).
describe('audits on worker threads', () => {
  // The worker imports the sources as they are now, transpiled for it here: not dist/, which a
  // forgotten build would leave stale.
  let libs: ChildLibraries;
  let worker: { entry: string };
  beforeAll(() => {
    libs = buildChildLibraries(['model', 'engine', 'explorer'], 'audit-worker');
    worker = { entry: pathToFileURL(libs.entries.explorer).href };
  });
  afterAll(() => libs.cleanup());

  it('a comparison audit: unlock-before-remove is violated with a replayable counterexample, the kernel protocol holds', async () => {
    const base = { scenario: 'seed', params: { ptes: 3, faults: 3 }, strategy: 'exhaustive' as const };
    const { baseline, fix } = await compareAudits({ ...base, variant: 'unlock-before-remove' }, base, worker);
    expect(baseline.verdict).toBe('violated');
    expect(fix.verdict).toBe('holds');
    // no ample sets where symmetry is on (docs/architecture.md, "Partial order")
    expect(fix.reductions).toEqual(expect.arrayContaining(['symmetry', 'dead-registers']));
    expect(fix.reductions).not.toContain('partial-order');
    const { world } = resolveModel({ ...base, variant: 'unlock-before-remove' });
    const replay = new Runtime(world).run({ scheduler: new ReplayScheduler(baseline.counterexample!.schedule), maxSteps: baseline.counterexample!.length });
    expect(replay.violation?.invariant).toBe(baseline.counterexample!.invariant);
  });

  it('a variant the machine refuses (ret with an empty call stack) fails typed, naming the variant, on the worker as in process', async () => {
    const variant = {
      name: 'stray-ret',
      patches: [{ op: 'insert' as const, path: 'migrate_pages', after: 'U2.locked', steps: [{ label: 'X1', op: 'ret', args: [] }] }],
    } as never;
    const req = { scenario: 'seed', variant, strategy: 'exhaustive' as const };
    const refused = runAuditInWorker(req, worker).result;
    await expect(refused).rejects.toBeInstanceOf(ProgramFaultError);
    await expect(refused).rejects.toMatchObject({
      kind: 'invalid',
      issues: [{ field: 'variant', message: expect.stringMatching(/ret with an empty call stack/) }],
    });
    expect(() => runAudit(req)).toThrow(ProgramFaultError);
  });

  it('reports progress while the event loop stays free, and cancels to an inconclusive verdict', async () => {
    // ptes=6 takes seconds: long enough to cancel, on any machine, after the first progress report.
    const job = runAuditInWorker({ scenario: 'seed', params: { ptes: 6, faults: 6 }, strategy: 'exhaustive' }, worker);
    let ticks = 0;
    const timer = setInterval(() => ticks++, 5);
    const events = lastValueFrom(job.events$.pipe(toArray()));
    await firstValueFrom(job.events$.pipe(filter((e) => e.type === 'progress')));
    await new Promise((r) => setTimeout(r, 50));
    job.cancel();
    const all = await events;
    clearInterval(timer);
    // the main thread kept running its timers while the worker searched
    expect(ticks).toBeGreaterThan(3);
    const last = all[all.length - 1];
    expect(last.type === 'result' && last.result.verdict).toBe('inconclusive');
    expect(last.type === 'result' && last.result.boundHit).toBe('cancelled');
  });

  it('bad input fails before any worker starts, with the typed error', () => {
    expect(() => runAuditInWorker({ scenario: 'nope', strategy: 'exhaustive' })).toThrow(UnknownScenarioError);
  });
});
