import { describe, expect, it, vi } from 'vitest';
import { ReplaySubject } from 'rxjs';
import { InMemoryEventStore } from '@mmreplay/event-store';
import { auditStream } from '@mmreplay/events';
import type { AuditEvent, AuditJob, AuditRequest, AuditResult } from '@mmreplay/explorer';
import { AuditService } from './audit.service.js';
import {
  AuditLimitError,
  AuditNotRunningError,
  AuditsShuttingDownError,
  InvalidAuditRequestError,
  UnknownAuditError,
  UnknownComparisonError,
} from './errors.js';
import { VariantNotApplicableError, type PatchStep, type Variant } from '@mmreplay/model';

/** A job the test drives: progress, then a result (or a failure), with cancel/terminate recorded. */
class FakeJob implements AuditJob {
  readonly subject = new ReplaySubject<AuditEvent>();
  readonly events$ = this.subject.asObservable();
  cancelled = false;
  terminated = false;
  private settle!: { resolve: (r: AuditResult) => void; reject: (e: unknown) => void };
  readonly result = new Promise<AuditResult>((resolve, reject) => (this.settle = { resolve, reject }));
  constructor(readonly request: AuditRequest) {}
  progress(states: number) {
    this.subject.next({ type: 'progress', progress: { states, transitions: states * 2, depth: 3, elapsedMs: 10, statesPerSecond: 1 } });
  }
  finish(partial: Partial<AuditResult> = {}) {
    const result = {
      verdict: 'holds',
      boundHit: null,
      statesStored: 100,
      transitions: 200,
      schedules: 1,
      maxDepth: 20,
      elapsedMs: 12,
      reductions: ['symmetry'],
      counterexample: null,
      scenario: 'seed',
      params: {},
      variant: 'kernel',
      modelHash: 'h',
      invariants: ['bug-on'],
      strategy: 'exhaustive',
      pctBound: null,
      ...partial,
    } as AuditResult;
    this.subject.next({ type: 'result', result });
    this.subject.complete();
    this.settle.resolve(result);
  }
  fail(message: string) {
    this.settle.reject(new Error(message));
  }
  cancel() {
    this.cancelled = true;
  }
  async terminate() {
    this.terminated = true;
  }
}

function setup(options: { caps?: object; progressEveryMs?: number } = {}) {
  const store = new InMemoryEventStore();
  const jobs: FakeJob[] = [];
  const recorded: string[] = [];
  const service = new AuditService(store, {
    caps: { maxStates: 1_000, maxConcurrentPerTeam: 2, ...options.caps },
    progressEveryMs: options.progressEveryMs ?? 0,
    runner: (req) => {
      const j = new FakeJob(req);
      jobs.push(j);
      return j;
    },
    recordCounterexample: async ({ runId }) => {
      recorded.push(runId);
    },
  });
  return { store, service, jobs, recorded };
}

const alice = { actor: 'alice', tokenId: 't1' };
const types = async (store: InMemoryEventStore, id: string) => (await store.readStream(auditStream(id))).map((e) => e.type);

describe('AuditService', () => {
  it('records the audit as a stream: requested, progress, counterexample (as a run), completed', async () => {
    const { store, service, jobs, recorded } = setup();
    await service.start();
    const view = await service.request({ scenario: 'seed', variant: 'unlock-before-remove', params: { ptes: 2 } }, 'mm', alice);
    expect(view).toMatchObject({ status: 'running', variant: 'unlock-before-remove', team: 'mm', author: 'alice', bounds: { maxStates: 1_000 } });
    expect(jobs[0].request).toMatchObject({ scenario: 'seed', strategy: 'exhaustive', bounds: { maxStates: 1_000 } });
    jobs[0].progress(10);
    await new Promise((r) => setTimeout(r, 5));
    jobs[0].finish({ verdict: 'violated', counterexample: { schedule: 's1.x', length: 5, invariant: 'bug-on', step: 4, thread: 'flt0', message: 'BUG' } });
    await service.settled(view.auditId);
    expect(await types(store, view.auditId)).toEqual(['AuditRequested', 'AuditProgressed', 'AuditProgressed', 'CounterexampleFound', 'AuditCompleted']);
    const done = service.get(view.auditId, 'mm');
    expect(done).toMatchObject({
      status: 'completed',
      verdict: 'violated',
      counterexample: { runId: recorded[0], step: 4, thread: 'flt0' },
      progress: { states: 100 },
    });
    const [requested] = await store.readStream(auditStream(view.auditId), { maxCount: 1 });
    expect(requested.metadata).toMatchObject({ actor: 'alice', team: 'mm', action: 'audit.requested', tokenId: 't1' });
  });

  it('throttles progress events', async () => {
    const { store, service, jobs } = setup({ progressEveryMs: 60_000 });
    const view = await service.request({ scenario: 'seed' }, 'mm', alice);
    for (let i = 1; i <= 20; i++) jobs[0].progress(i);
    await new Promise((r) => setTimeout(r, 5));
    expect(service.get(view.auditId, 'mm').progress?.states).toBe(1);
    jobs[0].finish();
    await service.settled(view.auditId);
    // the first progress, then the final one
    expect(await types(store, view.auditId)).toEqual(['AuditRequested', 'AuditProgressed', 'AuditProgressed', 'AuditCompleted']);
  });

  it('refuses a variant whose path cannot run, naming the step, as a run is refused: nothing recorded, no job started', async () => {
    const { store, service, jobs } = setup();
    const replace = (steps: readonly object[]): Variant => ({ patches: [{ op: 'replace', path: 'P0', step: 'P0.write_y', steps: steps as PatchStep[] }] });
    const cannotRun = [
      { steps: [{ label: 'back', op: 'ret', args: [] }], field: 'variant.paths.P0.steps[3] (back)', message: /'ret' is reached without a 'call'/ },
      { steps: [{ label: 'spin', op: 'jmp', args: ['spin'] }], field: 'variant.paths.P0.steps[3] (spin)', message: /jmp to itself/ },
      {
        steps: [
          { label: 'again', op: 'fence', args: [3] },
          { label: 'deeper', op: 'call', args: ['again'] },
        ],
        field: 'variant.paths.P0.steps[4] (deeper)',
        message: /recurses/,
      },
    ];
    for (const c of cannotRun) {
      for (const strategy of ['exhaustive', 'pct'] as const) {
        const refused = service.request({ scenario: 'litmus-mp', variant: replace(c.steps), strategy }, 'mm', alice);
        await expect(refused, c.field).rejects.toThrow(VariantNotApplicableError);
        await expect(refused).rejects.toMatchObject({ issues: [{ field: c.field, message: expect.stringMatching(c.message) }] });
      }
      // a comparison names the side
      await expect(service.compare({ scenario: 'litmus-mp', baseline: 'MP+poonceonces', fix: replace(c.steps) }, 'mm', alice)).rejects.toMatchObject({
        issues: [{ field: c.field.replace(/^variant/, 'fix') }],
      });
    }
    expect(jobs).toEqual([]);
    expect(await store.readAll()).toEqual([]);
    // the same variant's paths with a step that can run are audited
    await service.request({ scenario: 'litmus-mp', variant: replace([{ label: 'fine', op: 'fence', args: [3] }]) }, 'mm', alice);
    expect(jobs).toHaveLength(1);
    jobs[0].finish();
  });

  it('refuses requests over the caps (every field named), over the concurrency limit, and variants that do not apply', async () => {
    const { service, jobs } = setup();
    await expect(service.request({ scenario: 'seed', bounds: { maxStates: 5_000, maxSeconds: 0 }, invariants: ['nope'] }, 'mm', alice)).rejects.toMatchObject({
      issues: [
        { field: 'bounds.maxStates', message: 'must be at most 1000 on this server' },
        { field: 'bounds.maxSeconds', message: 'must be a positive integer' },
        { field: 'invariants[0]', message: expect.stringMatching(/^unknown invariant 'nope' \(invariants that apply to scenario 'seed': bug-on, /) },
      ],
    });
    await expect(service.request({ scenario: 'seed', bounds: { maxStates: 5_000 } }, 'mm', alice)).rejects.toThrow(InvalidAuditRequestError);
    await expect(service.compare({ scenario: 'seed', baseline: 'nope' }, 'mm', alice)).rejects.toMatchObject({ issues: [{ field: 'baseline' }] });
    await expect(service.request({ scenario: 'seed', variant: 'nope' }, 'mm', alice)).rejects.toThrow(VariantNotApplicableError);
    await service.request({ scenario: 'seed' }, 'mm', alice);
    await service.request({ scenario: 'seed' }, 'mm', alice);
    await expect(service.request({ scenario: 'seed' }, 'mm', alice)).rejects.toThrow(AuditLimitError);
    // Another team has its own limit.
    await service.request({ scenario: 'seed' }, 'other', alice);
    for (const j of jobs) j.finish();
  });

  it('two requests at once cannot both take the last slot', async () => {
    const { service, jobs } = setup({ caps: { maxConcurrentPerTeam: 1 } });
    const results = await Promise.allSettled([service.request({ scenario: 'seed' }, 'mm', alice), service.request({ scenario: 'seed' }, 'mm', alice)]);
    expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected']);
    expect((results.find((r) => r.status === 'rejected') as PromiseRejectedResult).reason).toBeInstanceOf(AuditLimitError);
    await expect(service.compare({ scenario: 'seed', baseline: 'unlock-before-remove' }, 'mm', alice)).rejects.toThrow(AuditLimitError);
    jobs[0].finish();
    await service.settled(jobs.length ? service.list('mm').audits[0].auditId : '');
    // the slot is free again
    const next = await service.request({ scenario: 'seed' }, 'mm', alice);
    expect(next.status).toBe('running');
    jobs[1].finish();
  });

  it('scopes every read to the team', async () => {
    const { service, jobs } = setup();
    const view = await service.request({ scenario: 'seed' }, 'mm', alice);
    expect(() => service.get(view.auditId, 'other')).toThrow(UnknownAuditError);
    expect(() => service.events(view.auditId, 'other')).toThrow(UnknownAuditError);
    await expect(service.cancel(view.auditId, 'other', alice)).rejects.toThrow(UnknownAuditError);
    expect(service.list('other').audits).toEqual([]);
    expect(service.list('mm').audits.map((a) => a.auditId)).toEqual([view.auditId]);
    jobs[0].finish();
  });

  it('cancel: the job is told, the audit completes as cancelled by whom; cancelling again is a conflict', async () => {
    const { store, service, jobs } = setup();
    const view = await service.request({ scenario: 'seed' }, 'mm', alice);
    const cancelling = service.cancel(view.auditId, 'mm', { actor: 'bob' });
    await vi.waitFor(() => expect(jobs[0].cancelled).toBe(true));
    jobs[0].finish({ verdict: 'inconclusive', boundHit: 'cancelled' });
    const cancelled = await cancelling;
    expect(cancelled).toMatchObject({ status: 'cancelled', verdict: 'inconclusive', cancelledBy: 'bob', result: { bound: 'cancelled' } });
    expect(await types(store, view.auditId)).toEqual(['AuditRequested', 'AuditCancelRequested', 'AuditProgressed', 'AuditCompleted']);
    await expect(service.cancel(view.auditId, 'mm', alice)).rejects.toThrow(AuditNotRunningError);
  });

  it('a failing worker completes the audit as failed', async () => {
    const { service, jobs } = setup();
    const view = await service.request({ scenario: 'seed' }, 'mm', alice);
    jobs[0].fail('worker exited');
    await service.settled(view.auditId);
    expect(service.get(view.auditId, 'mm')).toMatchObject({ status: 'failed', verdict: 'inconclusive', error: 'worker exited' });
  });

  it('shutdown cancels running audits and records them interrupted, terminating a worker that does not stop', async () => {
    const { service, jobs } = setup();
    const a = await service.request({ scenario: 'seed' }, 'mm', alice);
    const b = await service.request({ scenario: 'seed' }, 'mm', alice);
    // a stops when told; b never answers.
    const stopping = service.shutdown(200);
    await vi.waitFor(() => expect(jobs[0].cancelled).toBe(true));
    jobs[0].finish({ verdict: 'inconclusive', boundHit: 'cancelled' });
    await stopping;
    expect(jobs[1].terminated).toBe(true);
    expect(service.get(a.auditId, 'mm')).toMatchObject({ status: 'interrupted', verdict: 'inconclusive' });
    expect(service.get(b.auditId, 'mm')).toMatchObject({ status: 'interrupted', verdict: 'inconclusive' });
    // Refused as the server stopping (a 503), not as a team over its limit of "0 audit(s)".
    await expect(service.request({ scenario: 'seed' }, 'mm', alice)).rejects.toThrow(AuditsShuttingDownError);
  });

  it('start rebuilds the views from the log and completes audits left unfinished as interrupted', async () => {
    const { store, service, jobs } = setup();
    const done = await service.request({ scenario: 'seed' }, 'mm', alice);
    jobs[0].finish();
    await service.settled(done.auditId);
    const orphan = await service.request({ scenario: 'seed' }, 'mm', alice);
    // a new process over the same log, once the orphan's stream has been silent for a lease (in this
    // process the owner's pid is alive, so only the lease can tell; a new process after a crash sees
    // the old pid gone and does not wait: apps/api/test/reliability/crash.e2e.spec.ts)
    await new Promise((r) => setTimeout(r, 80));
    const again = new AuditService(store, { runner: () => new FakeJob({ scenario: 'seed', strategy: 'exhaustive' }), leaseMs: 50 });
    await again.start();
    expect(again.get(done.auditId, 'mm')).toMatchObject({ status: 'completed', verdict: 'holds' });
    expect(again.get(orphan.auditId, 'mm')).toMatchObject({ status: 'interrupted', verdict: 'inconclusive' });
    jobs[1].finish();
  });

  it('compares a baseline and a fix', async () => {
    const { service, jobs } = setup();
    const c = await service.compare({ scenario: 'seed', baseline: 'unlock-before-remove' }, 'mm', alice);
    expect(c).toMatchObject({ status: 'running', baseline: { variant: 'unlock-before-remove', comparison: { role: 'baseline' } }, fix: { variant: 'kernel' } });
    jobs[0].finish({ verdict: 'violated', counterexample: { schedule: 's', length: 1, invariant: 'bug-on', step: 0, thread: 'flt0', message: '' } });
    jobs[1].finish({ verdict: 'holds' });
    await service.settled(c.baseline.auditId);
    await service.settled(c.fix.auditId);
    const got = service.comparison(c.comparisonId, 'mm');
    expect(got.status).toBe('completed');
    expect(got.conclusion).toMatch(/the baseline \(unlock-before-remove\) is violated and the fix \(kernel\) holds/);
    // Another team sees the same answer as for an id that does not exist: nothing to tell them apart.
    const refusal = (() => {
      try {
        service.comparison(c.comparisonId, 'other');
      } catch (error) {
        return error;
      }
      return undefined;
    })();
    expect(refusal).toBeInstanceOf(UnknownComparisonError);
    expect(refusal).toMatchObject({ code: 'UNKNOWN_COMPARISON', comparisonId: c.comparisonId, message: `unknown comparison '${c.comparisonId}'` });
    expect(() => service.comparison('no-such-comparison', 'mm')).toThrow(UnknownComparisonError);
  });
});
