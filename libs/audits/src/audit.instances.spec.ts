import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ReplaySubject } from 'rxjs';
import { InMemoryEventStore } from '@mmreplay/event-store';
import { auditStream } from '@mmreplay/events';
import type { AuditEvent, AuditJob, AuditRequest, AuditResult } from '@mmreplay/explorer';
import { AuditService } from './audit.service.js';

// Several AuditService instances (API processes) on one store: the ownership rule of
// docs/operations.md ("Several API instances"), without processes and with a short lease.
// Time is Vitest's fake clock: heartbeats, sweeps and leases happen in the order their times say,
// however loaded the machine is, and "after two leases" means exactly that.
class Job implements AuditJob {
  readonly subject = new ReplaySubject<AuditEvent>();
  readonly events$ = this.subject.asObservable();
  terminated = false;
  cancelled = false;
  private resolve!: (r: AuditResult) => void;
  readonly result = new Promise<AuditResult>((r) => (this.resolve = r));
  constructor(readonly request: AuditRequest) {}
  progress(states: number) {
    this.subject.next({ type: 'progress', progress: { states, transitions: states * 2, depth: 3, elapsedMs: 10, statesPerSecond: 1 } });
  }
  cancel() {
    this.cancelled = true;
    this.resolve({
      verdict: 'inconclusive',
      boundHit: 'cancelled',
      statesStored: 1,
      transitions: 2,
      schedules: 0,
      maxDepth: 1,
      elapsedMs: 1,
      reductions: [],
      counterexample: null,
      pctBound: null,
    } as unknown as AuditResult);
  }
  async terminate() {
    this.terminated = true;
  }
}

const by = { actor: 'alice' };
const req = { scenario: 'seed', strategy: 'exhaustive' as const };
/** Moves the fake clock on, running every timer (and the promises they settle) that falls due. */
const wait = (ms: number) => vi.advanceTimersByTimeAsync(ms);

/** Shuts instances down, with the clock moving so their grace timers can expire. */
async function shutdown(...services: AuditService[]) {
  const done = Promise.all(services.map((s) => s.shutdown(100)));
  await wait(200);
  await done;
}

function instance(store: InMemoryEventStore, name: string, leaseMs = 300) {
  const jobs: Job[] = [];
  const service = new AuditService(store, { runner: (r) => (jobs.push(new Job(r)), jobs.at(-1)!), instance: name, leaseMs, progressEveryMs: 10 });
  return { service, jobs };
}

describe('audits with several instances on one store', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a starting instance leaves a live instance’s audit running, follows it, and never runs it itself', async () => {
    const store = new InMemoryEventStore();
    const a = instance(store, 'a');
    await a.service.start();
    const v = await a.service.request(req, 'mm', by);
    a.jobs[0].progress(5);
    const b = instance(store, 'b');
    await b.service.start();
    await wait(700); // beyond two leases: A's heartbeats keep it alive
    expect(b.service.get(v.auditId, 'mm').status).toBe('running');
    expect(b.service.get(v.auditId, 'mm').progress?.states).toBe(5);
    expect(b.jobs).toHaveLength(0);
    await shutdown(a.service, b.service);
  });

  it('a silent audit (owner on another host, heartbeats stopped) is completed as interrupted after the lease, once, with its progress', async () => {
    const store = new InMemoryEventStore();
    // A's heartbeat comes every 20 s: to B (lease 200 ms) it falls silent
    const a = instance(store, 'a', 60_000);
    await a.service.start();
    const v = await a.service.request(req, 'mm', by);
    a.jobs[0].progress(7);
    await wait(50);
    const b = instance(store, 'b', 200);
    (b.service as unknown as { lease: { owner: { host: string } } }).lease.owner.host = 'elsewhere'; // not provably dead: the lease decides
    await b.service.start();
    expect(b.service.get(v.auditId, 'mm').status).toBe('running');
    for (let i = 0; i < 100 && b.service.get(v.auditId, 'mm').status === 'running'; i++) await wait(10);
    const done = b.service.get(v.auditId, 'mm');
    expect(done.status).toBe('interrupted');
    expect(done.result?.statesStored).toBe(7);
    // the owner learns it and stops its job
    for (let i = 0; i < 50 && !a.jobs[0].terminated; i++) await wait(10);
    expect(a.jobs[0].terminated).toBe(true);
    expect((await store.readStream(auditStream(v.auditId))).filter((e) => e.type === 'AuditCompleted')).toHaveLength(1);
    await shutdown(a.service, b.service);
  });

  it('a cancel through another instance stops the owner’s job; one completion', async () => {
    const store = new InMemoryEventStore();
    const a = instance(store, 'a');
    const b = instance(store, 'b');
    await a.service.start();
    await b.service.start();
    const v = await a.service.request(req, 'mm', by);
    a.jobs[0].progress(3);
    for (let i = 0; i < 50 && b.service.get(v.auditId, 'mm').progress === null; i++) await wait(10);
    const cancelled = await b.service.cancel(v.auditId, 'mm', { actor: 'bob' });
    expect(cancelled.status).toBe('cancelled');
    for (let i = 0; i < 50 && !a.jobs[0].terminated; i++) await wait(10);
    expect(a.jobs[0].terminated).toBe(true);
    expect(a.service.get(v.auditId, 'mm').status).toBe('cancelled');
    expect((await store.readStream(auditStream(v.auditId))).filter((e) => e.type === 'AuditCompleted')).toHaveLength(1);
    await shutdown(a.service, b.service);
  });
});
