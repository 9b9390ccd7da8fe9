import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from './harness.js';

// Audits and runs accept the memory model (issue 8): the THP-split barrier race of reference §5
// C11 exists under lkmm only.
describe('memoryModel on audits and runs', () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    api = await TestApi.start();
    token = await api.team('mm');
  });
  afterAll(() => api.close());

  it('C11 with smp_wmb only: violated under lkmm with a counterexample run, holds under sc', async () => {
    const audit = (memoryModel: string) => api.post('/audits', { scenario: 'c11-split-order', variant: 'c11-wmb-only', memoryModel }, token);
    const [lkmm, sc] = await Promise.all([audit('lkmm'), audit('sc')]);
    expect(lkmm.status).toBe(202);
    const weak = await api.settled(lkmm.body.id, token);
    const strong = await api.settled(sc.body.id, token);
    expect(weak).toMatchObject({ verdict: 'violated', counterexample: { invariant: 'bug-on' } });
    expect(strong.verdict).toBe('holds');
    expect(weak.modelHash).not.toBe(strong.modelHash);
    const run = await api.get(`/runs/${weak.counterexample.runId}`, token);
    expect(run.body).toMatchObject({ outcome: 'violation' });
  });

  it('a memory model given beside the variant: the counterexample run replays under it too', async () => {
    // litmus-sb's variant says nothing of the model: only the request's memoryModel makes SB's weak outcome reachable
    const r = await api.post('/audits', { scenario: 'litmus-sb', variant: 'SB+poonceonces', memoryModel: 'tso' }, token);
    const done = await api.settled(r.body.id, token);
    expect(done).toMatchObject({ verdict: 'violated', memoryModel: 'tso' });
    const run = await api.get(`/runs/${done.counterexample.runId}`, token);
    expect(run.status).toBe(200);
    expect(run.body).toMatchObject({ outcome: 'violation', modelHash: done.modelHash });
  });

  it('a run accepts a memory model and records under it', async () => {
    const r = await api.post('/runs', { scenario: 'c11-split-order', variant: 'c11-wmb-only', memoryModel: 'tso', strategy: 'random', seed: 3 }, token);
    expect(r.status).toBe(201);
    expect(r.body.outcome).toBe('completed');
  });

  it('an unknown memory model is a 400 naming the field', async () => {
    const r = await api.post('/audits', { scenario: 'seed', memoryModel: 'alpha' }, token);
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toContain('memoryModel');
    const run = await api.post('/runs', { scenario: 'seed', memoryModel: 'alpha' }, token);
    expect(run.status).toBe(400);
  });
});
