import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse, subscribe, TestApi } from './harness.js';

// A token of team B can neither read, list, query, subscribe to, cancel nor guess team A's runs and
// audits: everything of A answers B exactly as an id that does not exist.

describe('team isolation', () => {
  let api: TestApi;
  let a: string;
  let b: string;
  let runA: string;
  let auditA: string;
  let comparisonA: string;
  let ceRunA: string;

  beforeAll(async () => {
    api = await TestApi.start();
    a = await api.team('team-a', 'ann');
    b = await api.team('team-b', 'ben');
    runA = (await api.post('/runs', { scenario: 'seed', strategy: 'pct', seed: 1 }, a)).body.id;
    const cmp = await api.post('/comparisons', { scenario: 'seed', params: { ptes: 2, faults: 2 }, baseline: 'unlock-before-remove' }, a);
    comparisonA = cmp.body.id;
    auditA = cmp.body.baseline.id;
    const settled = await api.settled(auditA, a);
    ceRunA = settled.counterexample.runId;
    await api.settled(cmp.body.fix.id, a);
  });
  afterAll(() => api.close());

  const notFound = (r: { status: number; body: { type: string } }) => {
    expect(r.status).toBe(404);
    expect(r.body.type).toBe('/problems/not-found');
  };

  it("B reads none of A's runs, audits or comparisons, and the answer is the one for an unknown id", async () => {
    const unknownRun = await api.get('/runs/0123456789abcdef0123', b);
    notFound(unknownRun);
    for (const path of [
      `/runs/${runA}`,
      `/runs/${ceRunA}`,
      `/runs/${runA}/events`,
      `/runs/${runA}/state?at=1`,
      `/runs/${runA}/history?object=P`,
      `/runs/${runA}/diff?from=0&to=1`,
      `/runs/${runA}/locks?thread=mig&at=1`,
      `/runs/${runA}/trace`,
      `/audits/${auditA}`,
      `/comparisons/${comparisonA}`,
    ]) {
      const r = await api.get(path, b);
      notFound(r);
      expect(r.body.detail).not.toMatch(/team-a|ann/);
    }
    notFound(await api.post(`/runs/${runA}/first-where`, { where: { page: 'P', locked: true } }, b));
    notFound(await api.post(`/audits/${auditA}/cancel`, {}, b));
    // A's run as the other side of B's own query is not found either.
    const own = (await api.post('/runs', { scenario: 'seed', strategy: 'pct', seed: 1 }, b)).body.id;
    notFound(await api.get(`/runs/${own}/divergence/${runA}`, b));
    notFound(await api.get(`/runs/${own}/diff?from=0&to=0&otherRun=${runA}`, b));
    expect((await api.get(`/runs/${own}/divergence/${runA}`, a)).status).toBe(404);
  });

  it("B's listings hold only B's objects", async () => {
    const runs = await api.get('/runs', b);
    expect(runs.body.nodes.map((r: { id: string }) => r.id)).not.toContain(runA);
    expect(runs.body.nodes.map((r: { id: string }) => r.id)).not.toContain(ceRunA);
    expect((await api.get(`/runs?counterexampleOf=${auditA}`, b)).body.nodes).toEqual([]);
    expect((await api.get('/audits', b)).body.nodes).toEqual([]);
    expect((await api.get(`/runs?after=${runA}`, b)).status).toBe(400);
    const activity = await api.get('/activity', b);
    expect(JSON.stringify(activity.body)).not.toContain(runA);
    expect(JSON.stringify(activity.body)).not.toContain(auditA);
    expect((await api.get('/runs', a)).body.nodes.map((r: { id: string }) => r.id)).toEqual(expect.arrayContaining([runA, ceRunA]));
  });

  it('B cannot follow A live: SSE and graphql-ws subscriptions answer not found', async () => {
    const sseRun = await readSse(`${api.url}/runs/${runA}/live`, b);
    expect(sseRun.status).toBe(404);
    expect(sseRun.body.type).toBe('/problems/not-found');
    const sseAudit = await readSse(`${api.url}/audits/${auditA}/live`, b);
    expect(sseAudit.status).toBe(404);

    const ws = api.ws(b);
    const audit = await subscribe(ws, 'subscription ($id: ID!) { auditEvents(id: $id) { type } }', { id: auditA });
    expect(audit.values).toEqual([]);
    expect(audit.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
    const run = await subscribe(ws, 'subscription ($id: ID!) { runEvents(id: $id) { type } }', { id: runA });
    expect(run.values).toEqual([]);
    expect(run.errors).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
    await ws.dispose();

    // A follows its own.
    const wsA = api.ws(a);
    const own = await subscribe(wsA, 'subscription ($id: ID!) { auditEvents(id: $id) { type } }', { id: auditA });
    await wsA.dispose();
    expect(own.values.at(-1).auditEvents.type).toBe('AuditCompleted');
  });

  it('a graphql-ws connection without a valid token is refused', async () => {
    const ws = api.ws('mmr_0000000000000000_' + 'x'.repeat(43));
    const r = await subscribe(ws, 'subscription ($id: ID!) { auditEvents(id: $id) { type } }', { id: auditA });
    expect(r.values).toEqual([]);
    expect(r.errors.length).toBe(1);
    await ws.dispose();
  });

  it('B cannot reach A over GraphQL', async () => {
    const q = await api.graphql(
      'query ($run: ID!) { run(id: $run) { id } }',
      { run: runA },
      b,
    );
    expect(q.body.errors[0].extensions.code).toBe('NOT_FOUND');
    for (const query of [`{ audit(id: "${auditA}") { id } }`, `{ comparison(id: "${comparisonA}") { id } }`, `mutation { cancelAudit(id: "${auditA}") { id } }`]) {
      const r = await api.graphql(query, {}, b);
      expect(r.body.errors[0].extensions.code).toBe('NOT_FOUND');
    }
    const lists = await api.graphql('{ runs { nodes { id } } audits { nodes { id } } }', {}, b);
    expect(lists.body.data.audits.nodes).toEqual([]);
    expect(lists.body.data.runs.nodes.map((r: { id: string }) => r.id)).not.toContain(runA);
  });
});
