// Issue 14: a run travels between servers as its stored events. `GET /runs/{id}/export` streams them
// as NDJSON, scoped to the team; `POST /runs/import` stores such a file after re-simulating it, under
// a new id in the importer's team, and refuses a file that does not replay with a 400 naming the
// event, a body over its limit with a 413. Neither endpoint existed on the main branch.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from './harness.js';

const NDJSON = 'application/x-ndjson';

describe('export and import of a run over HTTP', () => {
  let api: TestApi;
  let alice: string;
  let bob: string;
  let runId: string;
  let exported: string;

  const exportOf = (id: string, token: string) => fetch(`${api.url}/runs/${id}/export`, { headers: { authorization: `Bearer ${token}` } });
  const importing = (body: string, token: string, type = NDJSON) =>
    api.request('POST', '/runs/import', { token, raw: body, headers: { 'content-type': type } });
  const lines = (text: string) => text.trimEnd().split('\n');

  beforeAll(async () => {
    api = await TestApi.start({ importLimit: 256 * 1024 });
    alice = await api.team('exporters', 'alice');
    bob = await api.team('importers', 'bob');
    const run = await api.post('/runs', { scenario: 'seed', variant: 'unlock-before-remove', strategy: 'pct', seed: 3 }, alice);
    expect(run.status).toBe(201);
    runId = run.body.id;
  });
  afterAll(() => api?.close());

  it("serves a run's stored events as NDJSON, one event a line, to its team only", async () => {
    const res = await exportOf(runId, alice);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    exported = await res.text();
    const events = lines(exported).map((l) => JSON.parse(l));
    expect(events[0]).toMatchObject({ type: 'RunStarted', data: { runId, team: 'exporters' }, metadata: expect.any(Object) });
    expect(events.at(-1).type).toBe('RunCompleted');
    const run = (await api.get(`/runs/${runId}`, alice)).body;
    expect(events).toHaveLength(run.steps + 2);
    // the same steps as the events endpoint serves
    const steps = (await api.get(`/runs/${runId}/events?limit=10000`, alice)).body;
    expect(events.slice(1, -1).map((e) => e.data.step)).toEqual(steps.map((s: { step: number }) => s.step));

    // another team gets exactly what a missing run gets
    const hidden = await exportOf(runId, bob);
    const missing = await exportOf('no-such-run', bob);
    expect([hidden.status, missing.status]).toEqual([404, 404]);
    expect((await hidden.text()).replaceAll(runId, 'ID')).toBe((await missing.text()).replaceAll('no-such-run', 'ID'));
    expect((await fetch(`${api.url}/runs/${runId}/export`)).status).toBe(401);
  });

  it('imports the export into another team under a new id, checked by re-simulation; the run then answers every query', async () => {
    const r = await importing(exported, bob);
    expect(r.status).toBe(201);
    const id = r.body.id as string;
    expect(id).not.toBe(runId);
    expect(r.headers.get('location')).toBe(`/runs/${id}`);
    const original = (await api.get(`/runs/${runId}`, alice)).body;
    expect(r.body).toMatchObject({
      outcome: original.outcome,
      steps: original.steps,
      modelHash: original.modelHash,
      schedule: original.schedule,
      author: 'alice',
    });
    // event for event the same, but for the id and team its RunStarted names
    const again = await (await exportOf(id, bob)).text();
    const [a, b] = [lines(exported), lines(again)];
    expect(b.slice(1)).toEqual(a.slice(1));
    expect(JSON.parse(b[0]).data).toEqual({ ...JSON.parse(a[0]).data, runId: id, team: 'importers' });
    expect((await api.get(`/runs/${id}/trace?format=text`, bob)).text.replaceAll(id, 'ID')).toBe(
      (await api.get(`/runs/${runId}/trace?format=text`, alice)).text.replaceAll(runId, 'ID'),
    );
    // it is bob's: alice does not see it
    expect((await api.get(`/runs/${id}`, alice)).status).toBe(404);
    expect((await api.get('/runs', bob)).body.nodes.map((n: { id: string }) => n.id)).toContain(id);
  });

  it('refuses a changed file, a model that is not its hash, a file that is not an export, or the wrong media type (4xx, with the reason)', async () => {
    const events = lines(exported).map((l) => JSON.parse(l));
    const step = events[5];
    step.data.thread = step.data.thread === 'mig' ? 'flt0' : 'mig';
    const changed = await importing(events.map((e) => JSON.stringify(e)).join('\n'), bob);
    expect(changed.status).toBe(400);
    expect(changed.body.detail).toMatch(/event 5 is not what re-simulating the run gives/);

    const model = lines(exported).map((l) => JSON.parse(l));
    model[0].data.model.threads = model[0].data.model.threads.slice(0, 1);
    const bad = await importing(model.map((e) => JSON.stringify(e)).join('\n'), bob);
    expect(bad.status).toBe(400);
    expect(bad.body.detail).toMatch(/not the one its modelHash names/);

    const notJson = await importing('{"type":"RunStarted"\nhello\n', bob);
    expect(notJson.status).toBe(400);
    expect((await importing(lines(exported).slice(1).join('\n'), bob)).body.detail).toMatch(/does not start with a RunStarted event/);
    expect((await importing(exported, bob, 'application/json')).status).toBe(400);
    expect((await importing(exported, bob, 'text/plain')).status).toBe(415);
    expect((await api.request('POST', '/runs', { token: bob, raw: exported, headers: { 'content-type': NDJSON } })).status).toBe(415);
    // nothing was stored by any of these
    expect((await api.get('/runs', bob)).body.nodes).toHaveLength(1);
  });

  it('a body over the import limit is a 413; a short file of a long run is refused without re-simulating the whole run', async () => {
    const big = await importing(`${exported}\n${' '.repeat(300 * 1024)}`, bob);
    expect(big.status).toBe(413);

    // The first 20 events of a run whose RunStarted allows ten million steps (a run cut at 50 steps
    // has the same first events): the re-simulation stops past the file's end instead of running
    // them all in memory (which would not end within the test's time).
    const short = await api.post('/runs', { scenario: 'seed', params: { rounds: 10_000_000 }, strategy: 'round-robin', maxSteps: 50 }, alice);
    expect(short.status).toBe(201);
    const head = lines(await (await exportOf(short.body.id, alice)).text())
      .slice(0, 20)
      .map((l) => JSON.parse(l));
    head[0].data.maxSteps = 10_000_000;
    const cut = await importing(head.map((e) => JSON.stringify(e)).join('\n'), bob);
    expect(cut.status).toBe(400);
    expect(cut.body.detail).toMatch(/event 20 is not what re-simulating the run gives \(missing vs StepRecorded\)/);
  });

  it('a viewer cannot import', async () => {
    const viewer = await api.member('importers', bob, 'vic', 'viewer');
    expect((await importing(exported, viewer)).status).toBe(403);
  });
});
