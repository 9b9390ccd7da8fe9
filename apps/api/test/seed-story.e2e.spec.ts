import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSse, SEED_QUESTION, subscribe, TestApi } from './harness.js';

// The seed story over the API: an exhaustive comparison audit of the seed scenario (3 PTEs, 3
// faulting threads), the unlock-before-remove mutant against the kernel protocol, followed live;
// the baseline is violated with a counterexample run, the fix holds; then time travel on that run.

describe('the seed story', () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    api = await TestApi.start();
    token = await api.team('mm');
  });
  afterAll(() => api.close());

  it('compares the mutant and the kernel protocol, follows them live, and debugs the counterexample by time travel', async () => {
    const ws = api.ws(token);
    // 1. Start the comparison: 202 Accepted, Location.
    const started = await api.post(
      '/comparisons',
      { scenario: 'seed', params: { ptes: 3, faults: 3 }, strategy: 'exhaustive', baseline: 'unlock-before-remove' },
      token,
    );
    expect(started.status).toBe(202);
    const comparisonId = started.body.id;
    expect(started.headers.get('location')).toBe(`/comparisons/${comparisonId}`);
    expect(started.body.baseline).toMatchObject({ variant: 'unlock-before-remove', status: 'running', strategy: 'exhaustive', scenario: 'seed' });
    expect(started.body.fix).toMatchObject({ variant: 'kernel', status: 'running' });

    // 2. Follow the baseline over server-sent events and the fix over a graphql-ws subscription.
    const [sse, sub] = await Promise.all([
      readSse(`${api.url}/audits/${started.body.baseline.id}/live`, token),
      subscribe(ws, 'subscription ($id: ID!) { auditEvents(id: $id) { type revision data audit { status verdict progress { states } } } }', {
        id: started.body.fix.id,
      }),
    ]);
    await ws.dispose();

    expect(sse.status).toBe(200);
    const names = sse.events.map((e) => e.event);
    expect(names[0]).toBe('AuditRequested');
    expect(names).toContain('AuditProgressed');
    expect(names.slice(-3)).toEqual(['CounterexampleFound', 'AuditCompleted', 'end']);
    const completedB = sse.events.find((e) => e.event === 'AuditCompleted')!.data;
    expect(completedB.audit).toMatchObject({ status: 'completed', verdict: 'violated' });

    expect(sub.errors).toEqual([]);
    const types = sub.values.map((v) => v.auditEvents.type);
    expect(types[0]).toBe('AuditRequested');
    expect(types).toContain('AuditProgressed');
    expect(types.at(-1)).toBe('AuditCompleted');
    expect(sub.values.at(-1).auditEvents.audit).toMatchObject({ status: 'completed', verdict: 'holds' });
    expect(sub.values.find((v) => v.auditEvents.type === 'AuditProgressed').auditEvents.audit.progress.states).toBeGreaterThan(0);

    // 3. Side by side: baseline violated with a counterexample run, fix holds.
    const cmp = await api.get(`/comparisons/${comparisonId}`, token);
    expect(cmp.status).toBe(200);
    expect(cmp.body.status).toBe('completed');
    expect(cmp.body.conclusion).toMatch(/baseline \(unlock-before-remove\) is violated and the fix \(kernel\) holds/);
    expect(cmp.body.fix).toMatchObject({ verdict: 'holds', counterexample: null, result: { boundHit: false } });
    const ce = cmp.body.baseline.counterexample;
    expect(cmp.body.baseline.verdict).toBe('violated');
    expect(ce).toMatchObject({ invariant: 'bug-on', thread: expect.stringMatching(/^flt/), length: ce.step + 1 });

    // 4. The counterexample is a run of the team: it ends in the BUG_ON.
    const run = await api.get(`/runs/${ce.runId}`, token);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({
      id: ce.runId,
      scenario: 'seed',
      variant: 'unlock-before-remove',
      strategy: 'replay',
      outcome: 'violation',
      schedule: ce.schedule,
      author: 'alice',
    });
    expect(run.body.violation).toMatchObject({ invariant: 'bug-on', step: ce.step });
    expect(run.body.counterexampleOf).toEqual([cmp.body.baseline.id]);
    const listed = await api.get(`/runs?counterexampleOf=${cmp.body.baseline.id}`, token);
    expect(listed.body.nodes.map((r: { id: string }) => r.id)).toEqual([ce.runId]);

    // 5. Time travel: the first step where a fault holds the PTL and reads a migration entry of an unlocked page...
    const first = await api.post(`/runs/${ce.runId}/first-where`, { where: SEED_QUESTION }, token);
    expect(first.status).toBe(200);
    const step = first.body.match.step;
    expect(step).toBe(ce.step - 1);
    // ... and the state there: the PTE holds a migration entry, its page is unlocked, the PTL is held by the faulting thread.
    const state = await api.get(`/runs/${ce.runId}/state?at=${step}`, token);
    expect(state.status).toBe(200);
    const pte = state.body.event.args.pte as string;
    expect(state.body.view.ptes[pte].entry).toBe('migration(P,write)');
    expect(state.body.view.pages.P.locked).toBe(false);
    expect(state.body.view.ptls.ptl.holder).toBe(ce.thread);

    // 6. The trace, as text and as JSON, marks the BUG_ON.
    const text = await api.request('GET', `/runs/${ce.runId}/trace`, { token, headers: { accept: 'text/plain' } });
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text.text).toMatch(/U12\.unlock_page: P unlocked/);
    expect(text.text).toMatch(/!!!! bug-on: flt\d: BUG_ON\(!PageLocked\)/);
    const json = await api.get(`/runs/${ce.runId}/trace?format=json`, token);
    expect(json.body.rows.at(-1)).toMatchObject({ step: ce.step, violation: expect.stringMatching(/^bug-on/) });

    // 7. The same questions over GraphQL.
    const gql = await api.graphql(
      `query ($id: ID!, $at: Int!, $where: JSON!) {
        comparison(id: $id) { status baseline { verdict counterexample { step run { id outcome state(at: $at) { view } firstWhere(where: $where) { step } trace { text } } } } fix { verdict } }
      }`,
      { id: comparisonId, at: step, where: SEED_QUESTION },
      token,
    );
    expect(gql.body.errors).toBeUndefined();
    const g = gql.body.data.comparison;
    expect(g.fix.verdict).toBe('holds');
    expect(g.baseline.counterexample.run).toMatchObject({ id: ce.runId, outcome: 'violation', firstWhere: { step } });
    expect(g.baseline.counterexample.run.state.view.pages.P.locked).toBe(false);
    expect(g.baseline.counterexample.run.trace.text).toBe(text.text);
  });
});
