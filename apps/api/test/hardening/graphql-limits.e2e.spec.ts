import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getIntrospectionQuery } from 'graphql';
import { createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { subscribe, TestApi } from '../harness.js';
import { AUTH_FAILURE_BURST } from '../../src/http/auth-failures.js';
import { wsConnects } from '../ws-connect.js';

const SCHEMA_ALIAS = (i: number) => `a${i}: __schema { types { name fields { name args { name } type { name } } } }`;

describe('GraphQL budgets (issue 12, attacks 2, 7, 9, 10)', () => {
  let api: TestApi;
  let owner: string;
  let runId: string;

  beforeAll(async () => {
    api = await TestApi.start();
    owner = await api.team('gql');
    const run = await api.post('/runs', { scenario: 'seed', strategy: 'round-robin' }, owner);
    expect(run.status).toBe(201);
    runId = run.body.id;
  });
  afterAll(() => api?.close());

  it('2,000 aliases of __schema (281 KB) are refused before they are parsed; 200 (28 KB) by the cost rule; with or without a token', async () => {
    for (const aliases of [2_000, 200]) {
      const query = `{ ${Array.from({ length: aliases }, (_, i) => SCHEMA_ALIAS(i)).join(' ')} }`;
      for (const token of [undefined, owner]) {
        const r = await api.graphql(query, {}, token);
        expect(r.status).toBe(400);
        expect(r.body.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
        expect(r.text.length).toBeLessThan(10_000);
      }
    }
  });

  it('a token holder may introspect (within the depth limit); an anonymous client only glances', async () => {
    const twice = await api.graphql(
      `{ a: __schema { types { name fields { name } } } b: __schema { types { name fields { name } } } c: __schema { types { name fields { name args { name } } } } }`,
      {},
      owner,
    );
    expect(twice.status).toBe(200);
    expect(twice.body.data.c.types.length).toBeGreaterThan(10);
    const anonymousShallow = await api.graphql('{ __schema { types { name fields { name } } } }', {});
    expect(anonymousShallow.status).toBe(400);
    const anonymous = await api.graphql(getIntrospectionQuery(), {});
    expect(anonymous.status).toBe(400);
    expect(anonymous.body.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
    const glance = await api.graphql('{ __typename __schema { queryType { name } } }', {});
    expect(glance.status).toBe(200);
    expect(glance.body.data.__schema.queryType.name).toBe('Query');
  });

  it('a variable default counts like the literal it stands for', async () => {
    const withDefault = await api.graphql('query ($l: Int = 10000) { runs(first: 20) { nodes { events(limit: $l) { step } } } }', {}, owner);
    expect(withDefault.status).toBe(400);
    expect(withDefault.body.errors[0].extensions.code).toBe('QUERY_TOO_COSTLY');
    // the given value wins over the default
    const small = await api.graphql('query ($l: Int = 10000) { runs(first: 2) { nodes { events(limit: $l) { step } } } }', { l: 5 }, owner);
    expect(small.status).toBe(200);
  });

  it('a revoked token opens no new subscription on a socket it opened', async () => {
    const issued = await api.post('/teams/gql/tokens', { member: 'alice' }, owner);
    expect(issued.status).toBe(201);
    // not lazy: one socket, open across both subscriptions
    let connections = 0;
    const ws = createClient({
      url: api.url.replace(/^http/, 'ws') + '/graphql',
      webSocketImpl: WebSocket,
      connectionParams: { authorization: `Bearer ${issued.body.token}` },
      retryAttempts: 0,
      lazy: false,
    });
    ws.on('connected', () => connections++);
    try {
      const before = await subscribe(ws, 'subscription ($id: ID!) { runEvents(id: $id) { type } }', { id: runId });
      expect(before.errors).toEqual([]);
      expect(before.values.length).toBeGreaterThan(1);
      const revoked = await api.request('DELETE', `/teams/gql/tokens/${issued.body.tokenId ?? issued.body.id}`, { token: owner });
      expect(revoked.status).toBeLessThan(300);
      const after = await subscribe(ws, 'subscription ($id: ID!) { runEvents(id: $id) { type } }', { id: runId });
      expect(after.values).toEqual([]);
      expect(JSON.stringify(after.errors)).toMatch(/UNAUTHENTICATED/);
      expect(connections).toBe(1);
    } finally {
      await ws.dispose();
    }
  });

  it('token guessing over graphql-ws is rate-limited with REST: after the burst even a good token is refused', async () => {
    const fresh = await TestApi.start();
    try {
      const good = await fresh.team('victim');
      const connect = (token: string) => wsConnects(fresh.url, token);
      expect(await connect(good)).toBe(true);
      for (let i = 0; i < AUTH_FAILURE_BURST + 5; i++) expect(await connect(`mmr_guess_${i}`)).toBe(false);
      expect(await connect(good)).toBe(false);
      expect((await fresh.get('/me', good)).status).toBe(429);
    } finally {
      await fresh.close();
    }
  });

  it('a body over the limit is 413 PAYLOAD_TOO_LARGE, not INTERNAL', async () => {
    const r = await api.request('POST', '/graphql', {
      token: owner,
      raw: JSON.stringify({ query: `{ __typename }`, pad: 'x'.repeat(api.config.bodyLimit + 10) }),
    });
    expect(r.status).toBe(413);
    expect(r.text).not.toMatch(/INTERNAL/);
    expect(r.text).toMatch(/PAYLOAD_TOO_LARGE|payload-too-large/);
  });

  it('a deeply nested GraphQL literal is a 400, not a stack overflow', async () => {
    const depth = 20_000; // 40 KB: under the length limit, so the depth check is what refuses it
    const literal = '['.repeat(depth) + '1' + ']'.repeat(depth);
    const r = await api.graphql(`{ runs(scenario: ${literal}) { nodes { id } } }`, {}, owner);
    expect(r.status).toBe(400);
    expect(r.text).not.toMatch(/call stack/i);
    expect(r.body.errors[0].extensions.code).toBe('QUERY_TOO_DEEP');
  });
});
