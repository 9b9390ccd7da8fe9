import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderTraceLkml } from '@mmreplay/runs';
import { readSse, SEED_QUESTION, subscribe, TestApi } from './harness.js';

const SEED_BUG = 's1.ARECAAMD.';

describe('runs over REST and GraphQL', () => {
  let api: TestApi;
  let token: string;
  let bug: string;
  let random: string;

  beforeAll(async () => {
    api = await TestApi.start({ runs: { maxSteps: 50_000, concurrentPerTeam: 4 }, graphql: { maxDepth: 6, maxCost: 5_000 } });
    token = await api.team('mm');
    const a = await api.post('/runs', { scenario: 'seed', variant: 'unlock-before-remove', schedule: SEED_BUG }, token);
    expect(a.status).toBe(201);
    bug = a.body.id;
    const b = await api.post('/runs', { scenario: 'seed', params: { ptes: 2, faults: 2 }, strategy: 'pct', seed: 3 }, token);
    random = b.body.id;
  });
  afterAll(() => api.close());

  it('creates a run: 201 with Location, recorded by the caller', async () => {
    const r = await api.post('/runs', { scenario: 'seed', params: { ptes: 2, faults: 1 }, strategy: 'random', seed: 7 }, token);
    expect(r.status).toBe(201);
    expect(r.headers.get('location')).toBe(`/runs/${r.body.id}`);
    expect(r.body).toMatchObject({
      scenario: 'seed',
      variant: 'kernel',
      strategy: 'random',
      seed: 7,
      author: 'alice',
      status: 'completed',
      outcome: 'completed',
    });
    expect(r.body.id).toMatch(/^[0-9a-f]{20}$/);
    const replay = await api.post('/runs', { scenario: 'seed', params: { ptes: 2, faults: 1 }, schedule: r.body.schedule }, token);
    expect(replay.body).toMatchObject({ strategy: 'replay', steps: r.body.steps, outcome: 'completed' });
    const d = await api.get(`/runs/${r.body.id}/divergence/${replay.body.id}`, token);
    expect(d.body).toEqual({ divergence: null });
  });

  it('gets a run', async () => {
    const r = await api.get(`/runs/${bug}`, token);
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ id: bug, outcome: 'violation', steps: 22, lastStep: 21, violation: { invariant: 'bug-on', step: 21 } });
  });

  it('lists runs with filters and cursor pagination', async () => {
    const all = await api.get('/runs?limit=200', token);
    expect(all.body.nodes.length).toBeGreaterThanOrEqual(2);
    const violations = await api.get('/runs?outcome=violation&scenario=seed&variant=unlock-before-remove', token);
    expect(violations.body.nodes.map((r: { id: string }) => r.id)).toContain(bug);
    expect(violations.body.nodes.every((r: { outcome: string }) => r.outcome === 'violation')).toBe(true);
    const pct = await api.get('/runs?strategy=pct', token);
    expect(pct.body.nodes.map((r: { id: string }) => r.id)).toEqual([random]);
    // Newest first, one at a time, following the cursor to the end.
    const seen: string[] = [];
    let after: string | null = null;
    for (;;) {
      const page: { body: { nodes: { id: string }[]; next: string | null } } = await api.get(`/runs?limit=1${after ? `&after=${after}` : ''}`, token);
      seen.push(...page.body.nodes.map((r) => r.id));
      after = page.body.next;
      if (!after) break;
    }
    expect(seen).toEqual(all.body.nodes.map((r: { id: string }) => r.id));
    const bad = await api.get('/runs?after=unknown-cursor', token);
    expect(bad.status).toBe(400);
    expect(bad.body.errors).toEqual([{ field: 'after', message: 'is not a cursor of this listing' }]);
  });

  it('a step event has one shape on every endpoint; GET /runs/{id}/model serves the exact model and initial deltas (issue 14)', async () => {
    // step 20: the fault's F3.ptep_get, the step first-where finds below
    const [ev] = (await api.get(`/runs/${bug}/events?from=20&to=20`, token)).body;
    const state = (await api.get(`/runs/${bug}/state?at=20`, token)).body;
    expect(ev).toEqual(state.event);
    expect(Object.keys(ev)).toEqual(['step', 'thread', 'threadIndex', 'pc', 'label', 'op', 'kind', 'src', 'choice', 'args', 'deltas']);
    expect(ev.src).toEqual({ file: expect.stringMatching(/^mm\//), fn: expect.any(String), version: expect.stringMatching(/^v/) });
    const first = await api.post(`/runs/${bug}/first-where`, { where: { event: { label: 'F3.ptep_get' } } }, token);
    expect(first.body.match.event).toEqual(ev);
    const g = await api.graphql(
      `{ run(id: "${bug}") { events(from: 20, to: 20) { step thread threadIndex pc label op kind src { file fn version } choice args deltas } model { modelHash model initialDeltas } } }`,
      {},
      token,
    );
    expect(g.body.data.run.events[0]).toEqual(ev);
    const m = await api.get(`/runs/${bug}/model`, token);
    expect(m.status).toBe(200);
    const run = (await api.get(`/runs/${bug}`, token)).body;
    expect(m.body).toMatchObject({
      runId: bug,
      modelHash: run.modelHash,
      model: { scenario: 'seed', threads: expect.any(Array), paths: expect.any(Object) },
      initialDeltas: expect.any(Array),
    });
    expect(g.body.data.run.model).toEqual({ modelHash: m.body.modelHash, model: m.body.model, initialDeltas: m.body.initialDeltas });
    expect((await api.get('/runs/nope/model', token)).status).toBe(404);
  });

  it('events, state, history, first-where, diff, divergence, locks, trace', async () => {
    const events = await api.get(`/runs/${bug}/events?from=17&to=20`, token);
    expect(events.body.map((e: { label: string }) => e.label)).toEqual(['F1.access', 'U12.unlock_page', 'F3.do_swap_page', 'F3.ptep_get']);
    const unlocks = await api.get(`/runs/${bug}/events?types=PageUnlocked`, token);
    expect(unlocks.body.map((e: { step: number }) => e.step)).toEqual([18]);
    expect((await api.get(`/runs/${bug}/events?thread=flt0`, token)).body.map((e: { step: number }) => e.step)).toEqual([17, 19, 20, 21]);
    expect((await api.get(`/runs/${bug}/events?object=ptl&limit=2`, token)).body.map((e: { step: number }) => e.step)).toEqual([5, 12]);

    const state = await api.get(`/runs/${bug}/state?at=20`, token);
    expect(state.body).toMatchObject({ runId: bug, step: 20, event: { label: 'F3.ptep_get' } });
    expect(state.body.view.ptes.e0.entry).toBe('migration(P,write)');
    expect(state.body.view.pages.P.locked).toBe(false);
    expect(state.body.view.ptls.ptl.holder).toBe('flt0');
    expect((await api.get(`/runs/${bug}/state?at=-1`, token)).body.event).toBeNull();

    const history = await api.get(`/runs/${bug}/history?object=pte:e0`, token);
    expect(history.body.map((h: { step: number }) => h.step)).toEqual([3, 4, 5, 6, 7, 8, 9, 12, 13, 17, 19, 20]);

    const first = await api.post(`/runs/${bug}/first-where`, { where: SEED_QUESTION }, token);
    expect(first.status).toBe(200);
    expect(first.body.match).toMatchObject({ step: 20, event: { thread: 'flt0' } });
    const never = await api.post(`/runs/${bug}/first-where`, { where: { page: 'P', freed: true } }, token);
    expect(never.body).toEqual({ match: null });

    const diff = await api.get(`/runs/${bug}/diff?from=17&to=18`, token);
    expect(diff.body.changes).toEqual(expect.arrayContaining([{ path: 'pages.P.locked', a: true, b: false }]));
    const across = await api.get(`/runs/${bug}/diff?from=0&to=0&otherRun=${random}`, token);
    expect(across.body.a).toEqual({ runId: bug, step: 0 });
    expect(across.body.b).toEqual({ runId: random, step: 0 });

    const div = await api.get(`/runs/${bug}/divergence/${random}`, token);
    expect(div.body.divergence).toMatchObject({ step: -1, reason: 'different models' });

    const locks = await api.get(`/runs/${bug}/locks?thread=flt0&at=20`, token);
    expect(locks.body).toEqual({ runId: bug, thread: 'flt0', step: 20, pageLocks: [], ptls: ['ptl'] });

    const text = await api.get(`/runs/${bug}/trace?format=text&from=16`, token);
    expect(text.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(text.text).toMatch(/^run [0-9a-f]+: seed \(unlock-before-remove\)/);
    expect(text.text).toMatch(/steps 16-21 of 0-21/);
    const json = await api.get(`/runs/${bug}/trace`, token);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    expect(json.body).toMatchObject({ runId: bug, from: 0, to: 21, outcome: 'violation' });
  });

  it("trace?format=lkml: the CLI's 80-column trace for a mail, over REST and GraphQL (issue 17)", async () => {
    const lkml = await api.get(`/runs/${bug}/trace?format=lkml`, token);
    expect(lkml.status).toBe(200);
    expect(lkml.headers.get('content-type')).toMatch(/^text\/plain/);
    const lines = lkml.text.trimEnd().split('\n');
    for (const line of lines) expect(line.length, line).toBeLessThanOrEqual(80);
    // one renderer: the API's text is the CLI's rendering (libs/runs) of the same trace
    const json = (await api.get(`/runs/${bug}/trace`, token)).body;
    expect(lkml.text).toBe(renderTraceLkml(json));
    expect(lkml.text).toMatch(/^\[\d+\] mm\/migrate\.c:migration_entry_wait@v6\.6$/m);
    expect(lkml.text).toMatch(/<-- BUG$/m);
    expect(lkml.text).not.toBe((await api.get(`/runs/${bug}/trace?format=text`, token)).text);
    expect((await api.get(`/runs/${bug}/trace?format=svg`, token)).status).toBe(400);
    const g = await api.graphql(`{ run(id: "${bug}") { trace(from: 16) { lkml } } }`, {}, token);
    expect(g.body.errors).toBeUndefined();
    expect(g.body.data.run.trace.lkml).toBe((await api.get(`/runs/${bug}/trace?format=lkml&from=16`, token)).text);
  });

  it('refuses bad queries with the field named', async () => {
    const pred = await api.post(
      `/runs/${bug}/first-where`,
      {
        where: {
          all: [
            { pte: 'e9', kind: 'migration' },
            { page: 'P', locked: 'no' },
          ],
        },
      },
      token,
    );
    expect(pred.status).toBe(400);
    expect(pred.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(pred.body.errors.map((e: { field: string }) => e.field)).toEqual(
      expect.arrayContaining([expect.stringMatching(/^where\.all\[0\]/), expect.stringMatching(/^where\.all\[1\]/)]),
    );
    const step = await api.get(`/runs/${bug}/state?at=999`, token);
    expect(step.status).toBe(400);
    expect(step.body.errors[0].field).toBe('step');
    const at = await api.get(`/runs/${bug}/state?at=x`, token);
    expect(at.status).toBe(400);
    expect(at.body.errors.map((e: { field: string }) => e.field)).toEqual(['at', 'at']);
    const obj = await api.get(`/runs/${bug}/history?object=page:Z`, token);
    expect(obj.status).toBe(400);
    expect(obj.body.errors[0].field).toBe('object');
    const missing = await api.get(`/runs/nope/state?at=1`, token);
    expect(missing.status).toBe(404);
    const schedule = await api.post('/runs', { scenario: 'seed', schedule: 'garbage!' }, token);
    expect(schedule.status).toBe(400);
    expect(schedule.body.errors[0].field).toBe('schedule');
    const cap = await api.post('/runs', { scenario: 'seed', maxSteps: 60_000 }, token);
    expect(cap.status).toBe(400);
    expect(cap.body.errors).toEqual([{ field: 'maxSteps', message: 'must be at most 50000 on this server' }]);
  });

  it('records in the background with wait: false (202) and streams the run live over SSE', async () => {
    const r = await api.post('/runs', { scenario: 'seed', params: { ptes: 2, faults: 2, rounds: 180 }, strategy: 'random', seed: 5, wait: false }, token);
    expect(r.status).toBe(202);
    expect(r.headers.get('location')).toBe(`/runs/${r.body.id}`);
    const sse = await readSse(`${api.url}/runs/${r.body.id}/live`, token);
    expect(sse.contentType).toMatch(/^text\/event-stream/);
    const names = sse.events.map((e) => e.event);
    expect(names[0]).toBe('RunStarted');
    expect(names.slice(-2)).toEqual(['RunCompleted', 'end']);
    const steps = sse.events.filter((e) => e.event === 'StepRecorded');
    expect(steps.map((e) => e.data.step)).toEqual(steps.map((_, i) => i));
    expect(sse.events[0].data.data.model).toBeUndefined();
    const run = await api.get(`/runs/${r.body.id}`, token);
    expect(run.body.steps).toBe(steps.length);
    const from = await readSse(`${api.url}/runs/${r.body.id}/live?fromStep=${steps.length - 2}`, token);
    expect(from.events.map((e) => e.event)).toEqual(['StepRecorded', 'StepRecorded', 'RunCompleted', 'end']);
  });

  it('GraphQL: run(id) { state events history firstWhere diff divergence locksHeld trace }, runs, startRun, runEvents', async () => {
    const q = await api.graphql(
      `query ($id: ID!, $other: ID!, $where: JSON!) {
        run(id: $id) {
          id outcome steps variant
          state(at: 20) { step event view }
          events(from: 17, to: 20) { step label src { fn } kind }
          history(object: "pte:e0") { step changes }
          firstWhere(where: $where) { step scanned }
          diff(from: 17, to: 18) { changes { path a b } }
          divergence(otherRun: $other) { step reason }
          locksHeld(thread: "flt0", at: 20) { ptls pageLocks }
          trace(from: 19) { text json }
        }
        runs(outcome: "violation", first: 5) { nodes { id } next }
      }`,
      { id: bug, other: random, where: SEED_QUESTION },
      token,
    );
    expect(q.status).toBe(200);
    expect(q.body.errors).toBeUndefined();
    const run = q.body.data.run;
    expect(run).toMatchObject({ id: bug, outcome: 'violation', steps: 22, variant: 'unlock-before-remove' });
    expect(run.state.view.ptes.e0.entry).toBe('migration(P,write)');
    expect(run.events.map((e: { label: string }) => e.label)).toEqual(['F1.access', 'U12.unlock_page', 'F3.do_swap_page', 'F3.ptep_get']);
    expect(run.history.map((h: { step: number }) => h.step)).toContain(9);
    expect(run.firstWhere.step).toBe(20);
    expect(run.diff.changes).toContainEqual({ path: 'pages.P.locked', a: true, b: false });
    expect(run.divergence).toEqual({ step: -1, reason: 'different models' });
    expect(run.locksHeld).toEqual({ ptls: ['ptl'], pageLocks: [] });
    expect(run.trace.text).toMatch(/steps 19-21 of 0-21/);
    expect(run.trace.json.rows).toHaveLength(3);
    expect(q.body.data.runs.nodes.map((r: { id: string }) => r.id)).toContain(bug);

    // startRun, then its events over graphql-ws.
    const m = await api.graphql(`mutation { startRun(input: { scenario: "seed", strategy: "pct", seed: 1 }) { id status outcome steps } }`, {}, token);
    expect(m.body.errors).toBeUndefined();
    const started = m.body.data.startRun;
    expect(started).toMatchObject({ status: 'completed' });
    const ws = api.ws(token);
    const sub = await subscribe(ws, 'subscription ($id: ID!) { runEvents(id: $id) { type revision step } }', { id: started.id });
    await ws.dispose();
    expect(sub.errors).toEqual([]);
    expect(sub.values.map((v) => v.runEvents.type)).toEqual(['RunStarted', ...Array(started.steps).fill('StepRecorded'), 'RunCompleted']);

    // Field errors are typed.
    const bad = await api.graphql(`{ run(id: "${bug}") { state(at: 500) { step } } }`, {}, token);
    expect(bad.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ field: 'step' }] });
    const object = await api.graphql(`{ run(id: "${bug}") { history(object: "nothing") { step } } }`, {}, token);
    expect(object.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ field: 'object' }] });
    const invalid = await api.graphql(`{ run(id: "${bug}") { state(at: -5) { step } } }`, {}, token);
    expect(invalid.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ field: 'at', message: expect.any(String) }] });
  });

  it('GraphQL: depth and cost limits', async () => {
    const allowed = await api.graphql(`{ comparison(id: "x") { baseline { counterexample { run { state(at: 1) { view } } } } } }`, {}, token);
    expect(allowed.body.errors[0].extensions.code).toBe('NOT_FOUND');
    const costly = await api.graphql(`{ runs(first: 200) { nodes { trace { text } state(at: 0) { step } firstWhere(where: {}) { step } } } }`, {}, token);
    expect(costly.status).toBe(400);
    expect(costly.body.errors[0].extensions).toMatchObject({ code: 'QUERY_TOO_COSTLY', maxCost: 5000 });
    const depth = await api.graphql(`{ comparison(id: "x") { baseline { counterexample { run { diff(from: 0, to: 1) { a { runId } } } } } } }`, {}, token);
    expect(depth.status).toBe(400);
    expect(depth.body.errors[0].extensions.code).toBe('QUERY_TOO_DEEP');
    const invalid = await api.graphql(`{ runs { nodes { nope } } }`, {}, token);
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors[0].extensions.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });
});
