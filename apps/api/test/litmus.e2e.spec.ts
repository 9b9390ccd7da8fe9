import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '@mmreplay/event-store';
import { TestApi } from './harness.js';

// A test outside the engine's instruction set (smp_mb__after_spinlock() other than right after
// spin_lock() is answered by the checker only).
const OUTSIDE =
  'C afterspinlock\n{}\nP0(int *x, spinlock_t *s)\n{\n\tspin_lock(s);\n\tWRITE_ONCE(*x, 1);\n\tsmp_mb__after_spinlock();\n\tspin_unlock(s);\n}\nexists (x=1)\n';
const kernelTest = (name: string) => readFileSync(join(dirname(fileURLToPath(import.meta.url)), '../../../libs/litmus/test/kernel', `${name}.litmus`), 'utf8');

describe('litmus tests over REST and GraphQL', () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    api = await TestApi.start({}, { store: new InMemoryEventStore() });
    token = await api.team('mm');
  });
  afterAll(() => api.close());

  it('POST /litmus answers a kernel test as herd7 does', async () => {
    const r = await api.post('/litmus', { test: kernelTest('SB+poonceonces') }, token);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      name: 'SB+poonceonces',
      documentedResult: 'Sometimes',
      observation: 'Sometimes',
      positive: 1,
      negative: 3,
      kind: 'Allowed',
      validated: true,
    });
    expect(r.body.herd).toContain('Observation SB+poonceonces Sometimes 1 3\n');
    expect(r.body.witness.state.values).toEqual({ '0:r0': '0', '1:r0': '0' });
    const never = await api.post('/litmus', { test: kernelTest('SB+fencembonceonces') }, token);
    expect(never.body.observation).toBe('Never');
  });

  it('answers a bad or unsupported test with a 400 problem naming the field and the line', async () => {
    const r = await api.post('/litmus', { test: 'C t\n{}\nP0(int *x)\n{\n\tsrcu_read_lock(x);\n}\nexists (x=1)\n' }, token);
    expect(r.status).toBe(400);
    expect(r.body.type).toBe('/problems/invalid-request');
    expect(r.body.errors).toEqual([{ field: 'test', message: 'line 5: srcu_read_lock(): not a primitive this checker models' }]);
    expect((await api.post('/litmus', {}, token)).status).toBe(400);
    // Bounded: 5 processes writing x three times each have 168,168,000 coherence orders; refused, not run.
    const proc = (i: number) => `P${i}(int *x)\n{\n\tWRITE_ONCE(*x, 1);\n\tWRITE_ONCE(*x, 2);\n\tWRITE_ONCE(*x, 3);\n}\n`;
    const big = await api.post('/litmus', { test: `C big\n{}\n${[0, 1, 2, 3, 4].map(proc).join('')}exists (x=1)\n` }, token);
    expect(big.status).toBe(400);
    expect(big.body.errors[0].message).toMatch(/^too large to check here: /);
    expect((await api.post('/litmus', { test: kernelTest('SB+poonceonces') })).status).toBe(401);
  });

  it('POST /litmus/runs records the witness as a run whose time travel shows the store not yet seen', async () => {
    const r = await api.post('/litmus/runs', { test: kernelTest('MP+poonceonces') }, token);
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({ scenario: 'litmus:MP+poonceonces', outcome: 'violation' });
    const id = r.body.id as string;
    const last = r.body.steps - 1;
    const diff = await api.get(`/runs/${id}/diff?from=-1&to=${last}`, token);
    expect(diff.status).toBe(200);
    const change = (path: string) => diff.body.changes.find((c: { path: string }) => c.path === path);
    expect(change('memory.results.1:r0')).toMatchObject({ a: null, b: 1 });
    expect(change('memory.results.1:r1')).toMatchObject({ a: null, b: 0 });
    const hit = await api.post(`/runs/${id}/first-where`, { where: { var: 'buf', value: 1, notSeenBy: 'P1' } }, token);
    expect(hit.status).toBe(200);
    expect(hit.body.match.view.memory.threads.P1.notYetSeen.buf).toEqual([1]);
    // outside the engine's instruction set: a 400 naming the construct; a reader cannot record
    const locks = await api.post('/litmus/runs', { test: OUTSIDE }, token);
    expect(locks.status).toBe(400);
    expect(locks.body.errors[0]).toMatchObject({ field: 'test', message: expect.stringMatching(/^line \d+: /) });
    expect((await api.post('/litmus/runs', { test: kernelTest('MP+poonceonces') })).status).toBe(401);
  });

  it("GraphQL: recordLitmusWitness records the witness as a run of the caller's team only", async () => {
    const m = 'mutation($t: String!) { recordLitmusWitness(test: $t) { id scenario outcome steps } }';
    const r = await api.graphql(m, { t: kernelTest('SB+poonceonces') }, token);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.recordLitmusWitness).toMatchObject({ scenario: 'litmus:SB+poonceonces', outcome: 'violation' });
    const id = r.body.data.recordLitmusWitness.id as string;
    // the run is the team's: its time travel reaches the witness's final state (both loads read 0)
    const diff = await api.get(`/runs/${id}/diff?from=-1&to=${r.body.data.recordLitmusWitness.steps - 1}`, token);
    const change = (path: string) => diff.body.changes.find((c: { path: string }) => c.path === path);
    expect(change('memory.results.0:r0')).toMatchObject({ a: null, b: 0 });
    expect(change('memory.results.1:r0')).toMatchObject({ a: null, b: 0 });
    // another team does not see it; a viewer cannot record; no token, no run
    const other = await api.team('other');
    expect((await api.get(`/runs/${id}`, other)).status).toBe(404);
    const q = await api.graphql('query($id: ID!) { run(id: $id) { id } }', { id }, other);
    expect(q.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const viewer = await api.member('mm', token, 'vic', 'viewer');
    const denied = await api.graphql(m, { t: kernelTest('SB+poonceonces') }, viewer);
    expect(denied.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await api.graphql(m, { t: kernelTest('SB+poonceonces') })).body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
    // outside the engine's instruction set: a typed error naming the construct and line
    const locks = await api.graphql(m, { t: OUTSIDE }, token);
    expect(locks.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    expect(JSON.stringify(locks.body.errors[0])).toMatch(/line \d+: /);
  });

  it('GraphQL: litmus(test) with typed errors', async () => {
    const q = await api.graphql(
      'query($t: String!) { litmus(test: $t) { name observation positive negative condition herd } }',
      { t: kernelTest('MP+pooncerelease+poacquireonce') },
      token,
    );
    expect(q.body.errors).toBeUndefined();
    expect(q.body.data.litmus).toMatchObject({
      name: 'MP+pooncerelease+poacquireonce',
      observation: 'Never',
      positive: 0,
      negative: 3,
      condition: 'exists (1:r0=1 /\\ 1:r1=0)',
    });
    const bad = await api.graphql(
      'query($t: String!) { litmus(test: $t) { name } }',
      { t: 'C t\n{}\nP0(int *x)\n{\n\tWRITE_ONCE(*x, 1)\n}\nexists (x=1)\n' },
      token,
    );
    expect(bad.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
  });
});
