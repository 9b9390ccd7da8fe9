import fc from 'fast-check';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from '../harness.js';

// Property-based fuzzing of every input the API parses: the REST DTOs (bodies and query strings),
// the GraphQL inputs (as variables), the variant format and the predicate format. In-process
// (Fastify inject, memory store) so that 10,000+ cases take seconds. Properties: never a 5xx, an
// answer within the per-case timeout (no hang), the heap stays bounded.
let api: TestApi;
let fastify: FastifyInstance;
let token: string;
let runId: string;
let total = 0;

beforeAll(async () => {
  api = await TestApi.start({
    store: 'memory:',
    audits: { maxSeconds: 1, maxStates: 2_000, maxRuns: 50, maxConcurrentPerTeam: 1_000 },
    runs: { maxSteps: 2_000, concurrentPerTeam: 1_000 },
  });
  fastify = api.server.app.getHttpAdapter().getInstance() as FastifyInstance;
  token = await api.team('fuzz');
  const run = await api.post('/runs', { scenario: 'seed', strategy: 'pct', seed: 1 }, token);
  runId = run.body.id;
});
afterAll(async () => {
  await api?.close();
  expect(total).toBeGreaterThanOrEqual(10_000);
});

const unicode = fc.string({ unit: 'grapheme', maxLength: 40 });
const number = fc.oneof(fc.integer(), fc.double(), fc.constantFrom(-1, 0, 2 ** 31, 2 ** 53, Number.MAX_SAFE_INTEGER, -Number.MAX_SAFE_INTEGER, 1e308, -0.5));
const scalar = fc.oneof(
  unicode,
  number,
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom('seed', 'pct', 'exhaustive', 'random', 'replay', 'kernel', 'unlock-before-remove', 'pte:e0', 'I3', '__proto__', 'constructor'),
);
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    scalar,
    scalar,
    fc.array(tie('v'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(unicode, fc.constantFrom('switches', 'patches', 'all', 'any', 'not', 'exists', 'where', 'as', 'path', 'op', 'value')), tie('v'), {
      maxKeys: 4,
    }),
  ),
})).v;
/** An object with the DTO's own fields (mostly wrong), plus unknown ones. */
const dto = (fields: string[]) =>
  fc
    .tuple(fc.dictionary(fc.constantFrom(...fields), value, { maxKeys: fields.length }), fc.dictionary(unicode, value, { maxKeys: 2 }))
    .map(([known, unknown]) => ({ ...unknown, ...known }));
/** Deep nesting and size, as raw JSON text. */
const hostile = fc.oneof(
  fc.integer({ min: 1, max: 100_000 }).map((n) => '['.repeat(n) + ']'.repeat(n)),
  fc.integer({ min: 1, max: 20_000 }).map((n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n)),
  fc.integer({ min: 1, max: 2_000_000 }).map((n) => JSON.stringify({ scenario: 'x'.repeat(n) })),
  fc.string({ maxLength: 200 }),
);

async function send(method: 'GET' | 'POST' | 'DELETE', url: string, payload?: unknown, raw?: string) {
  total++;
  const started = Date.now();
  const res = await fastify.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}`, ...(payload !== undefined || raw !== undefined ? { 'content-type': 'application/json' } : {}) },
    payload: raw ?? (payload === undefined ? undefined : JSON.stringify(payload)),
  });
  if (res.statusCode >= 500) throw new Error(`${method} ${url.slice(0, 200)} -> ${res.statusCode} ${res.body.slice(0, 300)}`);
  if (Date.now() - started > 10_000) throw new Error(`${method} ${url.slice(0, 100)} took ${Date.now() - started} ms`);
  return res;
}

const property = async (runs: number, arb: fc.Arbitrary<unknown>, check: (v: any) => Promise<unknown>) =>
  fc.assert(
    fc.asyncProperty(arb, async (v) => void (await check(v))),
    { numRuns: runs, seed: 42, endOnFailure: true },
  );

const RUN_FIELDS = ['scenario', 'params', 'variant', 'strategy', 'seed', 'schedule', 'depth', 'maxSteps', 'wait'];
const AUDIT_FIELDS = ['scenario', 'params', 'variant', 'invariants', 'strategy', 'bounds', 'reductions'];

describe('fuzzing the inputs (fast-check): no 5xx, no hang, bounded memory', () => {
  it('REST bodies: runs, audits, comparisons, first-where (predicates), teams, members, tokens', async () => {
    const heap0 = process.memoryUsage().heapUsed;
    await property(1_500, dto(RUN_FIELDS), (b) => send('POST', '/runs', { ...b, wait: true }));
    await property(1_200, dto(AUDIT_FIELDS), (b) => send('POST', '/audits', b));
    await property(800, dto([...AUDIT_FIELDS, 'baseline', 'fix']), (b) => send('POST', '/comparisons', b));
    await property(1_500, dto(['where', 'from']), (b) => send('POST', `/runs/${runId}/first-where`, b));
    await property(500, dto(['teamId', 'owner']), (b) => send('POST', '/teams', b));
    await property(400, dto(['member', 'role']), (b) => send('POST', '/teams/fuzz/members', b));
    await property(400, dto(['member', 'expiresAt', 'expiresIn', 'name']), (b) => send('POST', '/teams/fuzz/tokens', b));
    await property(300, value, (b) => send('POST', '/runs', b));
    expect(process.memoryUsage().heapUsed - heap0).toBeLessThan(512 * 2 ** 20);
  });

  it('the variant format and the predicate format, as well-shaped requests with hostile content', async () => {
    const variant = fc.record(
      { switches: fc.dictionary(fc.constantFrom('WAIT', 'MIG', 'MUTANT', 'X'), value, { maxKeys: 3 }), patches: fc.array(value, { maxLength: 4 }) },
      { requiredKeys: [] },
    );
    await property(1_000, variant, (v) => send('POST', '/runs', { scenario: 'seed', strategy: 'pct', seed: 1, variant: v, maxSteps: 500 }));
    const predicate: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
      p: fc.oneof(
        { depthSize: 'small' },
        fc.record({ op: fc.constantFrom('eq', 'ne', 'lt', 'in', '??'), path: unicode, value }),
        fc.record({ all: fc.array(tie('p'), { maxLength: 3 }) }),
        fc.record({ any: fc.array(tie('p'), { maxLength: 3 }) }),
        fc.record({ not: tie('p') }),
        fc.record({ exists: fc.constantFrom('thread', 'pte', 'page', 'ptl', 'vma', 'nope'), as: fc.constantFrom('$t', '$e', 't', ''), where: tie('p') }),
        value,
      ),
    })).p;
    await property(1_000, predicate, (where) => send('POST', `/runs/${runId}/first-where`, { where }));
  });

  it('query strings and path parameters of the GET endpoints', async () => {
    const q = fc.array(
      fc.tuple(
        fc.constantFrom('at', 'from', 'to', 'limit', 'after', 'object', 'thread', 'types', 'format', 'otherRun', 'status', 'outcome', 'fromStep', 'x'),
        fc.oneof(unicode, number.map(String)),
      ),
      { maxLength: 4 },
    );
    const path = fc.constantFrom(
      '/runs',
      `/runs/${runId}/state`,
      `/runs/${runId}/events`,
      `/runs/${runId}/history`,
      `/runs/${runId}/diff`,
      `/runs/${runId}/trace`,
      `/runs/${runId}/locks`,
      '/audits',
      '/activity',
      '/scenarios/seed',
      '/teams/fuzz/tokens',
    );
    await property(1_500, fc.tuple(path, q), ([p, qs]) => send('GET', `${p}?${new URLSearchParams(qs as [string, string][]).toString()}`));
    await property(
      300,
      fc.tuple(fc.constantFrom('/runs/', '/audits/', '/comparisons/', '/teams/', '/scenarios/', `/runs/${runId}/divergence/`), unicode),
      ([p, id]) => send('GET', p + encodeURIComponent(id)),
    );
  });

  it('GraphQL inputs as variables, and hostile JSON text', async () => {
    const mutations = [
      ['mutation($input: StartRunInput!) { startRun(input: $input) { id } }', RUN_FIELDS],
      ['mutation($input: StartAuditInput!) { startAudit(input: $input) { id } }', AUDIT_FIELDS],
    ] as const;
    for (const [query, fields] of mutations)
      await property(500, dto(fields as unknown as string[]), (input) => send('POST', '/graphql', { query, variables: { input } }));
    await property(300, fc.tuple(unicode, value), ([id, at]) =>
      send('POST', '/graphql', { query: 'query($id: ID!, $at: Int) { run(id: $id) { id state(at: $at) { step } } }', variables: { id, at } }),
    );
    await property(200, fc.tuple(fc.integer({ min: 1, max: 5_000 }), unicode), ([n, s]) =>
      send('POST', '/graphql', { query: `{ ${'run(id: "x") { id '.repeat(Math.min(n, 300))}${'}'.repeat(Math.min(n, 300))} ${s}` }),
    );
    await property(150, hostile, (raw) => send('POST', '/runs', undefined, raw));
  });
});
