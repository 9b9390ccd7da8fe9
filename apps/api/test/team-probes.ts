// One valid request per endpoint and GraphQL operation that addresses a team's object, for the
// isolation and security suites: each is first shown to succeed for the owning team, then to
// answer the other team exactly as an unknown id does (404 not-found). A probe that does not
// succeed for its owner proves nothing about the refusal, so both halves are always asserted.
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import { readSse, type TestApi } from './harness.js';
import type { Client } from 'graphql-ws';

/** The ids a probe addresses. `other` is a finished run of the same team (divergence, diff). */
export interface ProbeIds {
  run: string;
  other: string;
  audit: string;
  comparison: string;
}

export interface RestProbe {
  /** the OpenAPI operation it covers, e.g. `get /runs/{id}/state` */
  operation: string;
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  /** a server-sent event stream: read until its first event */
  sse?: boolean;
  /** an NDJSON answer (one JSON value a line), or a problem document */
  ndjson?: boolean;
}

export const runProbes = (ids: ProbeIds, at: number): RestProbe[] => [
  { operation: 'get /runs/{id}', method: 'GET', path: `/runs/${ids.run}` },
  { operation: 'get /runs/{id}/events', method: 'GET', path: `/runs/${ids.run}/events` },
  { operation: 'get /runs/{id}/state', method: 'GET', path: `/runs/${ids.run}/state?at=${at}` },
  { operation: 'get /runs/{id}/history', method: 'GET', path: `/runs/${ids.run}/history?object=pte:e0` },
  { operation: 'post /runs/{id}/first-where', method: 'POST', path: `/runs/${ids.run}/first-where`, body: { where: { page: 'P', locked: true } } },
  { operation: 'get /runs/{id}/diff', method: 'GET', path: `/runs/${ids.run}/diff?from=${at}&to=${at}` },
  { operation: 'get /runs/{id}/diff', method: 'GET', path: `/runs/${ids.run}/diff?from=${at}&to=${at}&otherRun=${ids.other}` },
  { operation: 'get /runs/{id}/divergence/{other}', method: 'GET', path: `/runs/${ids.run}/divergence/${ids.other}` },
  { operation: 'get /runs/{id}/divergence/{other}', method: 'GET', path: `/runs/${ids.other}/divergence/${ids.run}` },
  { operation: 'get /runs/{id}/locks', method: 'GET', path: `/runs/${ids.run}/locks?thread=mig&at=${at}` },
  { operation: 'get /runs/{id}/trace', method: 'GET', path: `/runs/${ids.run}/trace` },
  { operation: 'get /runs/{id}/model', method: 'GET', path: `/runs/${ids.run}/model` },
  { operation: 'get /runs/{id}/export', method: 'GET', path: `/runs/${ids.run}/export`, ndjson: true },
  { operation: 'get /runs/{id}/live', method: 'GET', path: `/runs/${ids.run}/live`, sse: true },
];

export const auditProbes = (ids: ProbeIds): RestProbe[] => [
  { operation: 'get /audits/{id}', method: 'GET', path: `/audits/${ids.audit}` },
  { operation: 'get /audits/{id}/live', method: 'GET', path: `/audits/${ids.audit}/live`, sse: true },
  { operation: 'get /comparisons/{id}', method: 'GET', path: `/comparisons/${ids.comparison}` },
];

/** A version of the team's scenario library: published by `publishProbeScenario`. */
export interface PublishedRef {
  name: string;
  version: string;
}

/** Publishes the tutorial's document (examples/scenarios/tutorial-race.yaml) in the token's team. */
export async function publishProbeScenario(api: TestApi, token: string): Promise<PublishedRef> {
  const text = readFileSync(new URL('../../../examples/scenarios/tutorial-race.yaml', import.meta.url), 'utf8');
  const r = await api.request('POST', '/scenarios', { token, raw: text, headers: { 'content-type': 'application/yaml' } });
  expect([200, 201], r.text).toContain(r.status);
  return { name: r.body.name, version: r.body.version };
}

export const scenarioProbes = (s: PublishedRef): RestProbe[] => [
  { operation: 'get /scenarios/{name}', method: 'GET', path: `/scenarios/${s.name}` },
  { operation: 'get /scenarios/{name}', method: 'GET', path: `/scenarios/${s.name}@${s.version}` },
  { operation: 'get /scenarios/{name}/versions', method: 'GET', path: `/scenarios/${s.name}/versions` },
];

export const scenarioGraphqlProbes = (s: PublishedRef): GraphqlProbe[] => [
  { operation: 'publishedScenario', query: 'query ($r: String!) { publishedScenario(ref: $r) { version } }', variables: { r: s.name } },
  { operation: 'publishedScenario', query: 'query ($r: String!) { publishedScenario(ref: $r) { version } }', variables: { r: `${s.name}@${s.version}` } },
  { operation: 'scenarioVersions', query: 'query ($n: String!) { scenarioVersions(name: $n) { version } }', variables: { n: s.name } },
  { operation: 'scenario', query: 'query ($n: String!) { scenario(name: $n) { ref } }', variables: { n: s.name } },
  { operation: 'scenario', query: 'query ($n: String!) { scenario(name: $n) { ref paths { name } } }', variables: { n: `${s.name}@${s.version}` } },
];

/** The cancel probe, kept apart: it succeeds once, so the other team is refused first. */
export const cancelProbe = (ids: ProbeIds): RestProbe => ({
  operation: 'post /audits/{id}/cancel',
  method: 'POST',
  path: `/audits/${ids.audit}/cancel`,
  body: {},
});

export async function send(api: TestApi, probe: RestProbe, token: string): Promise<{ status: number; body: any }> {
  if (probe.sse) {
    const r = await readSse(`${api.url}${probe.path}`, token, 1);
    return { status: r.status, body: r.body ?? r.events };
  }
  if (probe.ndjson) {
    const res = await fetch(`${api.url}${probe.path}`, { method: probe.method, headers: { authorization: `Bearer ${token}` } });
    const text = await res.text();
    return {
      status: res.status,
      body: /ndjson/.test(res.headers.get('content-type') ?? '')
        ? text
            .trimEnd()
            .split('\n')
            .map((l) => JSON.parse(l))
        : JSON.parse(text),
    };
  }
  const r = await api.request(probe.method, probe.path, { token, body: probe.body });
  return { status: r.status, body: r.body };
}

/** The answer to an unknown id, for comparison with the other team's answer. */
export function expectNotFound(r: { status: number; body: any }, what: string): void {
  expect(r.status, `${what}: ${JSON.stringify(r.body).slice(0, 300)}`).toBe(404);
  expect(r.body.type, what).toBe('/problems/not-found');
}

/** The owner gets a 2xx (with content), then the other team a 404 that names nobody. */
export async function expectOwnerOnly(api: TestApi, probe: RestProbe, owner: string, other: string, secrets: readonly string[]): Promise<void> {
  const mine = await send(api, probe, owner);
  const what = `${probe.method} ${probe.path}`;
  expect([200, 201], `${what} for its owner: ${mine.status} ${JSON.stringify(mine.body).slice(0, 300)}`).toContain(mine.status);
  const theirs = await send(api, probe, other);
  expectNotFound(theirs, `${what} for another team`);
  for (const s of secrets) expect(JSON.stringify(theirs.body), what).not.toContain(s);
}

export interface GraphqlProbe {
  operation: string;
  query: string;
  variables: Record<string, unknown>;
}

export const graphqlProbes = (ids: ProbeIds, at: number): GraphqlProbe[] => [
  { operation: 'run', query: 'query ($id: ID!) { run(id: $id) { id status } }', variables: { id: ids.run } },
  ...[
    `state(at: ${at}) { step }`,
    'events { step }',
    'history(object: "pte:e0") { step }',
    'firstWhere(where: $where) { step }',
    `diff(from: ${at}, to: ${at}) { changes { path } }`,
    'divergence(otherRun: $other) { step }',
    `locksHeld(thread: "mig", at: ${at}) { ptls }`,
    'trace { text }',
    'model { modelHash }',
  ].map((field) => {
    // GraphQL refuses a declared variable that is not used: declare only the field's own.
    const declared = ['$id: ID!', ...(field.includes('$other') ? ['$other: ID!'] : []), ...(field.includes('$where') ? ['$where: JSON!'] : [])];
    return {
      operation: `run.${field.split(/[ ({]/)[0]}`,
      query: `query (${declared.join(', ')}) { run(id: $id) { id ${field} } }`,
      variables: {
        id: ids.run,
        ...(field.includes('$other') ? { other: ids.other } : {}),
        ...(field.includes('$where') ? { where: { page: 'P', locked: true } } : {}),
      },
    };
  }),
  // this run as the other side of the owner's own run
  {
    operation: 'run.divergence(other)',
    query: 'query ($id: ID!, $other: ID!) { run(id: $id) { divergence(otherRun: $other) { step } } }',
    variables: { id: ids.other, other: ids.run },
  },
  { operation: 'audit', query: 'query ($id: ID!) { audit(id: $id) { id status } }', variables: { id: ids.audit } },
  { operation: 'comparison', query: 'query ($id: ID!) { comparison(id: $id) { id } }', variables: { id: ids.comparison } },
];

export async function expectGraphqlOwnerOnly(api: TestApi, probe: GraphqlProbe, owner: string, other: string): Promise<void> {
  const mine = await api.graphql(probe.query, probe.variables, owner);
  expect(mine.body.errors, `${probe.operation} for its owner`).toBeUndefined();
  expect(mine.body.data, probe.operation).toBeTruthy();
  const theirs = await api.graphql(probe.query, probe.variables, other);
  expect(
    theirs.body.errors?.map((e) => e.extensions.code),
    `${probe.operation} for another team`,
  ).toEqual(['NOT_FOUND']);
}

/** The first value (or error) of a subscription, then it is closed: a live object never completes. */
export function firstOf(client: Client, query: string, variables: Record<string, unknown>): Promise<{ value?: any; errors?: unknown[] }> {
  return new Promise((resolve) => {
    let done = false;
    const finish = (r: { value?: any; errors?: unknown[] }) => {
      if (done) return;
      done = true;
      unsubscribe();
      resolve(r);
    };
    const unsubscribe = client.subscribe(
      { query, variables },
      {
        next: (v) => finish(v.errors ? { errors: [...v.errors] } : { value: v.data }),
        error: (e) => finish({ errors: Array.isArray(e) ? e : [e] }),
        complete: () => finish({}),
      },
    );
  });
}

export const subscriptionProbes = (ids: ProbeIds) => [
  { operation: 'runEvents', query: 'subscription ($id: ID!) { runEvents(id: $id) { type } }', variables: { id: ids.run } },
  { operation: 'auditEvents', query: 'subscription ($id: ID!) { auditEvents(id: $id) { type } }', variables: { id: ids.audit } },
];

export async function expectSubscriptionOwnerOnly(
  api: TestApi,
  probe: { operation: string; query: string; variables: Record<string, unknown> },
  owner: string,
  other: string,
): Promise<void> {
  const [a, b] = [api.ws(owner), api.ws(other)];
  try {
    const mine = await firstOf(a, probe.query, probe.variables);
    expect(mine.errors, `${probe.operation} for its owner`).toBeUndefined();
    expect(mine.value?.[probe.operation]?.type, probe.operation).toEqual(expect.any(String));
    const theirs = await firstOf(b, probe.query, probe.variables);
    expect(theirs.value, `${probe.operation} for another team`).toBeUndefined();
    expect(theirs.errors, probe.operation).toEqual([expect.objectContaining({ extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
  } finally {
    await Promise.all([a.dispose(), b.dispose()]);
  }
}
