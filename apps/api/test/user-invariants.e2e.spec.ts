import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from './harness.js';

// Issue 13, user invariants over HTTP: a document's own invariant (predicate language) audited
// inline, violated with a counterexample recorded as a run; a predicate with errors is a 400 with
// the same words and field paths as the CLI's exit 2, for audits and for publishing.

const YAML_TEXT = readFileSync(new URL('../../../examples/scenarios/user-invariant.yaml', import.meta.url), 'utf8');
const BAD_TEXT = YAML_TEXT.replace('kind: migration }', 'kind: migrated }');

describe('user invariants over HTTP', () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    api = await TestApi.start({});
    token = await api.team('inv-a', 'ann');
  });
  afterAll(() => api.close());

  it('an inline document: the early unlock breaks the user invariant, its counterexample is a run that ends in it; the kernel order holds', async () => {
    const buggy = await api.post('/audits', { document: YAML_TEXT, variant: 'unlock-early' }, token);
    expect(buggy.status, buggy.text).toBe(202);
    const fixed = await api.post('/audits', { document: YAML_TEXT }, token);
    expect(fixed.status, fixed.text).toBe(202);
    const bad = await api.settled(buggy.body.id, token);
    expect(bad).toMatchObject({ status: 'completed', verdict: 'violated' });
    expect(bad.counterexample).toMatchObject({ invariant: 'entry-under-page-lock', step: 5 });
    // the document author's invariant is labelled `user`, over REST and GraphQL: never one of mmreplay's protocol invariants
    const label = { invariantClass: 'user', invariantBacking: 'the scenario document, in the predicate language' };
    expect(bad.counterexample).toMatchObject(label);
    const q = await api.graphql(
      'query ($id: ID!) { audit(id: $id) { counterexample { invariant invariantClass invariantBacking } } }',
      { id: buggy.body.id },
      token,
    );
    expect(q.body.errors).toBeUndefined();
    expect(q.body.data.audit.counterexample).toEqual({ invariant: 'entry-under-page-lock', ...label });
    const run = await api.get(`/runs/${bad.counterexample.runId}`, token);
    expect(run.body).toMatchObject({ scenario: 'user-invariant', outcome: 'violation' });
    expect(await api.settled(fixed.body.id, token)).toMatchObject({ status: 'completed', verdict: 'holds' });
  });

  it('a predicate with an error is a 400 naming its path inside the document, for an audit and for publishing', async () => {
    const field = 'document.invariants[1].never.where.all[0].kind';
    const audit = await api.post('/audits', { document: BAD_TEXT }, token);
    expect(audit.status, audit.text).toBe(400);
    expect(audit.body.type).toBe('/problems/invalid-request');
    expect(audit.body.errors).toContainEqual({ field, message: expect.stringMatching(/^must be one of none, present, migration/) });
    const publish = await api.request('POST', '/scenarios', { token, raw: BAD_TEXT, headers: { 'content-type': 'application/yaml' } });
    expect(publish.status, publish.text).toBe(400);
    expect(JSON.stringify(publish.body.errors)).toContain('invariants[1].never.where.all[0].kind');
  });
});
