import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryEventStore, StoreUnavailableError, type EventStore } from '@mmreplay/event-store';
import { ADMIN_TOKEN, TestApi } from './harness.js';
import { AuditService } from '@mmreplay/audits';

/** A store that can be switched off: reads and appends then fail as an unreachable store does. */
function switchable(store: EventStore): { store: EventStore; down: (v: boolean) => void } {
  let down = false;
  const failing = new Set(['appendToStream', 'readStream', 'readAll', 'iterateStream', 'iterateAll']);
  const proxy = new Proxy(store, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver);
      if (typeof v !== 'function') return v;
      if (failing.has(String(prop))) {
        return (...args: unknown[]) => {
          if (down) {
            const error = new StoreUnavailableError('connection refused (simulated)');
            if (String(prop).startsWith('iterate')) {
              return { [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }) };
            }
            return Promise.reject(error);
          }
          return v.apply(target, args);
        };
      }
      return v.bind(target);
    },
  });
  return { store: proxy, down: (v) => (down = v) };
}

const noStackTrace = (text: string) => expect(text).not.toMatch(/\n\s+at |node_modules|\.ts:\d+/);

describe('errors are problem details', () => {
  let api: TestApi;
  let token: string;
  const s = switchable(new InMemoryEventStore());

  beforeAll(async () => {
    api = await TestApi.start({ bodyLimit: 4_096, audits: { maxStates: 100_000, maxConcurrentPerTeam: 1 } }, { store: s.store });
    token = await api.team('mm');
  });
  afterAll(() => api.close());

  it('400 names every invalid field, nested ones too, and refuses unknown fields', async () => {
    const r = await api.post(
      '/audits',
      { params: { ptes: 'x' }, strategy: 'bfs', bounds: { maxStates: -1, maxSeconds: 1.5 }, invariants: 'bug-on', extra: 1 },
      token,
    );
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toBe('application/problem+json; charset=utf-8');
    expect(r.body).toMatchObject({ type: '/problems/invalid-request', title: 'The request is not valid', status: 400, instance: '/audits' });
    const fields = [...new Set(r.body.errors.map((e: { field: string }) => e.field))];
    expect(fields.sort()).toEqual(['bounds.maxSeconds', 'bounds.maxStates', 'extra', 'invariants', 'params', 'scenario', 'strategy']);
    noStackTrace(r.text);
  });

  it('400 from the model: parameters out of range, unknown scenario, server caps, unknown invariant', async () => {
    const params = await api.post('/audits', { scenario: 'seed', params: { ptes: 99, nope: 1 } }, token);
    expect(params.status).toBe(400);
    expect(params.body.errors.map((e: { field: string }) => e.field)).toEqual(['params.nope', 'params.ptes']);
    const scenario = await api.post('/audits', { scenario: 'nope' }, token);
    expect(scenario.status).toBe(400);
    expect(scenario.body.errors[0].field).toBe('scenario');
    const caps = await api.post('/audits', { scenario: 'seed', bounds: { maxStates: 200_000 }, invariants: ['I1', 'I42'] }, token);
    expect(caps.status).toBe(400);
    expect(caps.body.errors).toEqual([
      { field: 'bounds.maxStates', message: 'must be at most 100000 on this server' },
      {
        field: 'invariants[1]',
        message: expect.stringMatching(/^unknown invariant 'I42'; did you mean 'I2'\? \(invariants that apply to scenario 'seed': bug-on, I1, /),
      },
    ]);
    const shape = await api.post('/audits', { scenario: 'seed', variant: { switches: { WAIT: 3 }, colour: 'red' } }, token);
    expect(shape.status).toBe(400);
    expect(shape.body.errors.map((e: { field: string }) => e.field)).toEqual(['variant.colour', 'variant.switches.WAIT']);
  });

  it('400 for malformed JSON, 415 for another media type, 404 for an unknown route, never a 500', async () => {
    const json = await api.request('POST', '/audits', { token, raw: '{"scenario": "seed",' });
    expect(json.status).toBe(400);
    expect(json.body.type).toBe('/problems/invalid-request');
    noStackTrace(json.text);
    const media = await api.request('POST', '/audits', { token, raw: 'scenario=seed', headers: { 'content-type': 'text/csv' } });
    expect(media.status).toBe(415);
    expect(media.body.type).toBe('/problems/unsupported-media-type');
    const route = await api.get('/nowhere', token);
    expect(route.status).toBe(404);
    expect(route.body.type).toBe('/problems/not-found');
    const weird = await api.request('POST', '/runs', { token, raw: '[]' });
    expect(weird.status).toBe(400);
    const nul = await api.request('POST', '/runs', { token, raw: 'null' });
    expect(nul.status).toBe(400);
  });

  it('413 over the body limit', async () => {
    const r = await api.post('/audits', { scenario: 'seed', variant: { name: 'x'.repeat(5_000) } }, token);
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ type: '/problems/payload-too-large', status: 413 });
  });

  it('400 for an unknown switch or switch value, with the valid ones; 422 for a variant that does not apply to the scenario', async () => {
    const named = await api.post('/audits', { scenario: 'seed', variant: 'no-such-variant' }, token);
    expect(named.status).toBe(422);
    expect(named.body).toMatchObject({ type: '/problems/variant-not-applicable', title: 'The variant does not apply to the scenario' });
    expect(named.body.errors[0]).toMatchObject({ field: 'variant', message: expect.stringMatching(/has no variant 'no-such-variant'/) });
    const patch = await api.post(
      '/runs',
      { scenario: 'seed', variant: { switches: { MUTANT: 'none', NOPE: 'x' }, patches: [{ op: 'delete', path: 'migrate_pages', step: 'Z99' }] } },
      token,
    );
    expect(patch.status).toBe(400);
    expect(patch.body.errors[0]).toEqual({ field: 'switches.NOPE', message: "scenario 'seed' has no switch 'NOPE' (it has WAIT, MIG, MUTANT, WALK, MEM)" });
    const steps = await api.post('/runs', { scenario: 'seed', variant: { patches: [{ op: 'delete', path: 'migrate_pages', step: 'Z99' }] } }, token);
    expect(steps.status).toBe(422);
    // a variant whose path cannot run: refused before the audit starts, as a run is, naming the step
    const ret = { patches: [{ op: 'replace', path: 'P0', step: 'P0.write_y', steps: [{ label: 'back', op: 'ret', args: [] }] }] };
    const cannot = { field: 'variant.paths.P0.steps[3] (back)', message: "'ret' is reached without a 'call': there is nothing to return to" };
    const audit = await api.post('/audits', { scenario: 'litmus-mp', variant: ret }, token);
    expect(audit.status).toBe(422);
    expect(audit.body).toMatchObject({ type: '/problems/variant-not-applicable', errors: [cannot] });
    const retGql = await api.graphql('mutation($v: JSON) { startAudit(input: { scenario: "litmus-mp", variant: $v }) { id } }', { v: ret }, token);
    expect(retGql.body.errors[0].extensions).toMatchObject({ code: 'VARIANT_NOT_APPLICABLE', errors: [cannot] });
    const cmp = await api.post('/comparisons', { scenario: 'seed', baseline: 'nope' }, token);
    expect(cmp.status).toBe(422);
    expect(cmp.body.errors[0].field).toBe('baseline');
    const gql = await api.graphql('mutation { startAudit(input: { scenario: "seed", variant: "nope" }) { id } }', {}, token);
    expect(gql.body.errors[0].extensions).toMatchObject({ code: 'VARIANT_NOT_APPLICABLE', errors: [{ field: 'variant' }] });
  });

  it('409 on a conflict', async () => {
    const done = await api.post('/audits', { scenario: 'seed' }, token);
    await api.settled(done.body.id, token);
    const r = await api.post(`/audits/${done.body.id}/cancel`, {}, token);
    expect(r.status).toBe(409);
    expect(r.body).toMatchObject({ type: '/problems/conflict', detail: expect.stringMatching(/is not running \(it is completed\)/) });
  });

  it('429 with Retry-After when the team runs as many audits as allowed', async () => {
    const long = await api.post('/audits', { scenario: 'seed', strategy: 'random', bounds: { runs: 100_000, maxSeconds: 30 } }, token);
    expect(long.status).toBe(202);
    const second = await api.post('/audits', { scenario: 'seed' }, token);
    expect(second.status).toBe(429);
    expect(second.headers.get('retry-after')).toBe('5');
    expect(second.body).toMatchObject({ type: '/problems/too-many-requests', retryAfter: 5 });
    const gql = await api.graphql('mutation { startAudit(input: { scenario: "seed" }) { id } }', {}, token);
    expect(gql.body.errors[0].extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfter: 5 });
    await api.post(`/audits/${long.body.id}/cancel`, {}, token);
  });

  it('503 with Retry-After when the store is unreachable; ready says so; it recovers', async () => {
    s.down(true);
    try {
      for (const r of [await api.get('/runs', token), await api.post('/runs', { scenario: 'seed' }, token), await api.get('/health/ready')]) {
        expect(r.status).toBe(503);
        expect(r.headers.get('retry-after')).toBe('5');
        expect(r.body.type).toBe('/problems/store-unavailable');
        noStackTrace(r.text);
      }
      const gql = await api.graphql('{ runs { nodes { id } } }', {}, token);
      expect(gql.body.errors[0].extensions).toMatchObject({ code: 'STORE_UNAVAILABLE', retryAfter: 5 });
      expect((await api.get('/health/live')).status).toBe(200);
    } finally {
      s.down(false);
    }
    expect((await api.get('/health/ready')).status).toBe(200);
    expect((await api.get('/runs', token)).status).toBe(200);
  });

  it('every problem type is documented at its type URI', async () => {
    for (const slug of [
      'invalid-request',
      'unauthenticated',
      'forbidden',
      'not-found',
      'conflict',
      'payload-too-large',
      'variant-not-applicable',
      'too-many-requests',
      'store-unavailable',
      'shutting-down',
    ]) {
      const r = await api.get(`/problems/${slug}`);
      expect(r.status).toBe(200);
      expect(r.body).toMatchObject({ type: `/problems/${slug}`, title: expect.any(String), description: expect.any(String) });
    }
    expect((await api.get('/problems/constructor')).status).toBe(404);
  });
});

describe('rate limit', () => {
  let api: TestApi;
  afterAll(() => api?.close());

  it('429 with Retry-After once a token has spent its burst, per token', async () => {
    api = await TestApi.start({ rate: { burst: 5, perSecond: 1 } }, { store: new InMemoryEventStore() });
    const token = await api.team('mm');
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await api.get('/scenarios', token)).status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429, 429]);
    const r = await api.get('/scenarios', token);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(r.body).toMatchObject({ type: '/problems/too-many-requests', status: 429, retryAfter: 1 });
    // Another token has its own bucket; GraphQL counts one request however many fields it asks.
    const other = (await api.post('/teams/mm/tokens', { member: 'alice' }, ADMIN_TOKEN)).body.token;
    expect(
      (await api.graphql('{ a: scenarios { nodes { name } } b: scenarios { nodes { name } } c: invariants { name } }', {}, other)).body.errors,
    ).toBeUndefined();
  });
});

describe('a server shutting down', () => {
  it('refuses new audits with 503 shutting-down and Retry-After, not as a team over its limit', async () => {
    const api = await TestApi.start({}, { store: new InMemoryEventStore() });
    try {
      const token = await api.team('mm');
      await api.server.app.get(AuditService).shutdown(1_000);
      const r = await api.post('/audits', { scenario: 'seed' }, token);
      expect(r.status).toBe(503);
      expect(r.headers.get('retry-after')).toBe('5');
      expect(r.body).toMatchObject({ type: '/problems/shutting-down', status: 503, retryAfter: 5 });
      expect(r.body.detail).not.toMatch(/already runs/);
      const gql = await api.graphql('mutation { startAudit(input: { scenario: "seed" }) { id } }', {}, token);
      expect(gql.body.errors[0].extensions).toMatchObject({ code: 'SHUTTING_DOWN', retryAfter: 5 });
    } finally {
      await api.close();
    }
  });
});
