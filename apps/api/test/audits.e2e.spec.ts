import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse, TestApi } from './harness.js';

const LONG = { scenario: 'seed', strategy: 'random', bounds: { runs: 100_000, maxSeconds: 60 } };

describe('audits as jobs', () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    api = await TestApi.start({ audits: { maxConcurrentPerTeam: 3 } });
    token = await api.team('mm');
  });
  afterAll(() => api.close());

  it('create: 202 Accepted with Location; get: status, progress, verdict', async () => {
    const r = await api.post('/audits', { scenario: 'seed', params: { ptes: 2, faults: 2 }, invariants: ['bug-on'] }, token);
    expect(r.status).toBe(202);
    expect(r.headers.get('location')).toBe(`/audits/${r.body.id}`);
    expect(r.body).toMatchObject({ status: 'running', verdict: null, variant: 'kernel', strategy: 'exhaustive', invariants: ['bug-on'], author: 'alice' });
    expect(r.body.bounds).toMatchObject({ maxStates: 5_000_000, maxSeconds: 300 });
    const done = await api.settled(r.body.id, token);
    expect(done).toMatchObject({ status: 'completed', verdict: 'holds', counterexample: null, result: { boundHit: false, bound: null } });
    expect(done.progress.states).toBe(done.result.statesStored);
    expect(done.result.reductions).toContain('symmetry');
  });

  it('a variant object (a patch by step label) is audited like the named mutant', async () => {
    const patch = { name: 'my-reorder', patches: [{ op: 'move', path: 'migrate_pages', step: 'U12.unlock_page', before: 'U10.remove_migration_ptes' }] };
    const r = await api.post('/audits', { scenario: 'seed', variant: patch }, token);
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({ variant: 'my-reorder', variantSpec: patch });
    const done = await api.settled(r.body.id, token);
    expect(done).toMatchObject({ verdict: 'violated', counterexample: { invariant: 'bug-on' } });
    const run = await api.get(`/runs/${done.counterexample.runId}`, token);
    expect(run.body).toMatchObject({ outcome: 'violation', variant: 'my-reorder' });
  });

  it('sampling audits (pct) report their verdict and PCT bound', async () => {
    const r = await api.post('/audits', { scenario: 'seed', variant: 'unlock-before-remove', strategy: 'pct', bounds: { runs: 2_000, seed: 1 } }, token);
    const done = await api.settled(r.body.id, token);
    expect(done.strategy).toBe('pct');
    expect(done.verdict).toBe('violated');
    expect(done.result.pctBound).toBeGreaterThan(0);
  });

  it('cancel: the audit completes as inconclusive, cancelled by whom; its live stream shows it', async () => {
    const r = await api.post('/audits', LONG, token);
    const live = readSse(`${api.url}/audits/${r.body.id}/live`, token);
    await new Promise((res) => setTimeout(res, 300));
    const c = await api.post(`/audits/${r.body.id}/cancel`, {}, token);
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ status: 'cancelled', verdict: 'inconclusive', cancelledBy: 'alice', result: { boundHit: true, bound: 'cancelled' } });
    const events = (await live).events.map((e) => e.event);
    expect(events).toContain('AuditCancelRequested');
    expect(events.indexOf('AuditCancelRequested')).toBeLessThan(events.indexOf('AuditCompleted'));
    expect(events.slice(-2)).toEqual(['AuditCompleted', 'end']);
    expect((await api.get(`/audits?status=cancelled`, token)).body.nodes.map((a: { id: string }) => a.id)).toEqual([r.body.id]);
  });

  it('lists audits, newest first, with filters and cursor pagination', async () => {
    const all = await api.get('/audits', token);
    expect(all.body.nodes.length).toBeGreaterThanOrEqual(4);
    const violated = await api.get('/audits?verdict=violated&scenario=seed', token);
    expect(violated.body.nodes.length).toBe(2);
    expect(violated.body.nodes.every((a: { verdict: string }) => a.verdict === 'violated')).toBe(true);
    const p1 = await api.get('/audits?limit=2', token);
    expect(p1.body.nodes).toHaveLength(2);
    const p2 = await api.get(`/audits?limit=2&after=${p1.body.next}`, token);
    expect([...p1.body.nodes, ...p2.body.nodes].map((a: { id: string }) => a.id)).toEqual(all.body.nodes.slice(0, 4).map((a: { id: string }) => a.id));
    const bad = await api.get('/audits?limit=0&verdict=maybe', token);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field).sort()).toEqual(['limit', 'verdict']);
  });

  it('GraphQL: startAudit, audit, audits, startComparison, comparison, cancelAudit', async () => {
    const started = await api.graphql(
      'mutation ($input: StartAuditInput!) { startAudit(input: $input) { id status variant } }',
      { input: { scenario: 'seed', variant: 'install-before-lock', params: { ptes: 2, faults: 1 } } },
      token,
    );
    expect(started.body.errors).toBeUndefined();
    const id = started.body.data.startAudit.id;
    expect(started.body.data.startAudit).toMatchObject({ status: 'running', variant: 'install-before-lock' });
    await api.settled(id, token);
    const q = await api.graphql(
      'query ($id: ID!) { audit(id: $id) { id verdict status result { statesStored bound } counterexample { invariant step run { id outcome } } } audits(verdict: "violated", first: 10) { nodes { id } next } }',
      { id },
      token,
    );
    expect(q.body.errors).toBeUndefined();
    expect(q.body.data.audit).toMatchObject({ id, status: 'completed', verdict: 'violated', counterexample: { run: { outcome: 'violation' } } });
    expect(q.body.data.audits.nodes.map((a: { id: string }) => a.id)).toContain(id);

    const cmp = await api.graphql(
      'mutation { startComparison(input: { scenario: "seed", baseline: "unlock-before-remove", fix: "mig-v6" }) { id status baseline { id variant } fix { id variant } } }',
      {},
      token,
    );
    expect(cmp.body.errors).toBeUndefined();
    const c = cmp.body.data.startComparison;
    expect(c).toMatchObject({ status: 'running', baseline: { variant: 'unlock-before-remove' }, fix: { variant: 'mig-v6' } });
    await api.settled(c.baseline.id, token);
    await api.settled(c.fix.id, token);
    const got = await api.graphql(`{ comparison(id: "${c.id}") { status conclusion baseline { verdict } fix { verdict } } }`, {}, token);
    expect(got.body.data.comparison).toMatchObject({ status: 'completed', baseline: { verdict: 'violated' }, fix: { verdict: 'holds' } });

    const long = await api.graphql('mutation ($input: StartAuditInput!) { startAudit(input: $input) { id } }', { input: LONG }, token);
    const cancelled = await api.graphql(`mutation { cancelAudit(id: "${long.body.data.startAudit.id}") { status verdict cancelledBy } }`, {}, token);
    expect(cancelled.body.data.cancelAudit).toEqual({ status: 'cancelled', verdict: 'inconclusive', cancelledBy: 'alice' });

    const invalid = await api.graphql('mutation { startAudit(input: { scenario: "seed", strategy: "bfs", bounds: { maxStates: 0 } }) { id } }', {}, token);
    expect(invalid.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(invalid.body.errors[0].extensions.errors.map((e: { field: string }) => e.field).sort()).toEqual(['bounds.maxStates', 'strategy']);
  });
});
