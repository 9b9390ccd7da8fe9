import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventStore, type EventStore } from '@mmreplay/event-store';
import { ADMIN, startApi, until, type ApiProcess } from './processes.js';

// Two API processes on one SQLite file (the rule in docs/operations.md, "Several instances"):
// an audit runs only in the process whose AuditRequested created its stream; the others follow
// its stream; a process that starts does not interrupt another live process's audit; a dead
// process's audit is completed as interrupted (with its progress) by the survivor, once.
// Long enough to outlive a restart of the other process: seed 6x6 with its default reductions
// stores states slowly and small (without reductions a 5x5 search fills the audit worker's heap cap
// and ends with bound `memory` within seconds on a quiet machine).
const LONG_AUDIT = { scenario: 'seed', params: { ptes: 6, faults: 6 }, strategy: 'exhaustive', bounds: { maxSeconds: 60 } };

describe('two API processes on one store', () => {
  let dir: string;
  let store: string;
  let a: ApiProcess;
  let b: ApiProcess;
  let token: string;
  let events: EventStore;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-instances-'));
    store = `sqlite:${join(dir, 'shared.db')}`;
    [a, b] = await Promise.all([startApi(store, { MMREPLAY_AUDIT_LEASE_MS: '2000' }), startApi(store, { MMREPLAY_AUDIT_LEASE_MS: '2000' })]);
    const team = await a.request('POST', '/teams', ADMIN, { teamId: 'mm', owner: 'alice' });
    expect(team.status).toBe(201);
    token = team.body.token.token;
    events = await createEventStore(store);
  });
  afterAll(async () => {
    await events?.close();
    await Promise.all([a?.kill(), b?.kill()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const completions = async (auditId: string) => (await events.readStream(`audit-${auditId}`)).filter((e) => e.type === 'AuditCompleted');

  it('a team, a run and an audit made through one are visible through the other', async () => {
    await until('the team on B', async () => (await b.request('GET', '/me', token)).status === 200);
    const run = await a.request('POST', '/runs', token, { scenario: 'seed', strategy: 'pct', seed: 4 });
    expect(run.status).toBe(201);
    const runId = run.body.id ?? run.body.runId;
    const onB = await until('the run in B catalogue', async () => {
      const r = await b.request('GET', '/runs?limit=50', token);
      return r.body.nodes?.find((n: any) => n.id === runId);
    });
    expect(onB.outcome).toBe(run.body.outcome);
    expect((await b.request('GET', `/runs/${runId}/state?at=3`, token)).body).toEqual((await a.request('GET', `/runs/${runId}/state?at=3`, token)).body);
  });

  it('a process that starts does not interrupt the audit another live process runs; it follows it', async () => {
    const started = await a.request('POST', '/audits', token, LONG_AUDIT);
    expect(started.status).toBe(202);
    const id = started.body.id;
    await until('progress on B', async () => (await b.request('GET', `/audits/${id}`, token)).body.progress?.transitions > 0);
    // B restarts while A's audit runs: before the fix it completed A's audit as interrupted at start.
    await b.kill();
    b = await startApi(store, { MMREPLAY_AUDIT_LEASE_MS: '2000' });
    await new Promise((r) => setTimeout(r, 2_500)); // beyond a lease: A's heartbeats keep it alive
    expect((await b.request('GET', `/audits/${id}`, token)).body.status).toBe('running');
    // cancelled through B, it stops on A (the job is not left running), and completes once
    const cancel = await b.request('POST', `/audits/${id}/cancel`, token);
    expect(cancel.status).toBe(200);
    const done = await until('completion on A', async () => {
      const v = (await a.request('GET', `/audits/${id}`, token)).body;
      return v.status !== 'running' && v;
    });
    expect(done.status).toBe('cancelled');
    await until(
      'A has no audit running',
      async () => (await a.request('POST', '/audits', token, { scenario: 'seed', strategy: 'random', bounds: { runs: 10, seed: 2 } })).status === 202,
    );
    expect(await completions(id)).toHaveLength(1);
  });

  it('the audit of a process killed with SIGKILL is completed by the survivor as interrupted, with its progress, once', async () => {
    const started = await a.request('POST', '/audits', token, LONG_AUDIT);
    expect(started.status).toBe(202);
    const id = started.body.id;
    const progress = await until('progress', async () => (await b.request('GET', `/audits/${id}`, token)).body.progress?.transitions > 0 && true);
    expect(progress).toBe(true);
    await a.kill('SIGKILL');
    const v = await until(
      'interrupted on B',
      async () => {
        const r = (await b.request('GET', `/audits/${id}`, token)).body;
        return r.status !== 'running' && r;
      },
      20_000,
    );
    expect(v.status).toBe('interrupted');
    expect(v.result.transitions).toBeGreaterThan(0);
    expect(await completions(id)).toHaveLength(1);
    // and a restarted A agrees, and does not complete it again
    a = await startApi(store, { MMREPLAY_AUDIT_LEASE_MS: '2000' });
    expect((await a.request('GET', `/audits/${id}`, token)).body.status).toBe('interrupted');
    expect(await completions(id)).toHaveLength(1);
  });
});
