import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from '../harness.js';

describe('strict integer query parameters (issue 12)', () => {
  let api: TestApi;
  let token: string;
  let runId: string;

  beforeAll(async () => {
    api = await TestApi.start();
    token = await api.team('params');
    runId = (await api.post('/runs', { scenario: 'seed', strategy: 'round-robin' }, token)).body.id;
  });
  afterAll(() => api?.close());

  it.each(['0x10', '1e1', '9007199254740993', '99999999999999999999', ' 3', '3.0', ''])('state?at=%j is a 400 naming at', async (at) => {
    const r = await api.get(`/runs/${runId}/state?at=${encodeURIComponent(at)}`, token);
    expect(r.status).toBe(400);
    expect(r.body.errors.map((e: { field: string }) => e.field)).toContain('at');
  });

  it('state?at=3 and at=-1 answer; a step past the end names the real range', async () => {
    expect((await api.get(`/runs/${runId}/state?at=3`, token)).body.step).toBe(3);
    expect((await api.get(`/runs/${runId}/state?at=-1`, token)).body.step).toBe(-1);
    const far = await api.get(`/runs/${runId}/state?at=9007199254740991`, token);
    expect(far.status).toBe(400);
    expect(far.body.detail).toMatch(/has steps -1 \(initial state\) to \d{2,}/);
  });
});
