import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, TestApi } from '../harness.js';
import { AUTH_FAILURE_BURST } from '../../src/http/auth.js';
import { ADMIN, startApi } from './processes.js';
import {
  auditProbes,
  cancelProbe,
  expectNotFound,
  expectOwnerOnly,
  publishProbeScenario,
  runProbes,
  scenarioProbes,
  send,
  type ProbeIds,
  type RestProbe,
} from '../team-probes.js';

describe('security', () => {
  let api: TestApi;
  let a: string;
  let b: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    api = await TestApi.start();
    a = await api.team('team-a');
    b = await api.team('team-b');
    const run = await api.post('/runs', { scenario: 'seed', strategy: 'pct', seed: 1 }, a);
    ids.run = run.body.id;
    ids.other = (await api.post('/runs', { scenario: 'seed', strategy: 'pct', seed: 2 }, a)).body.id;
    const audit = await api.post('/audits', { scenario: 'seed', strategy: 'random', bounds: { runs: 5 } }, a);
    ids.audit = audit.body.id;
    // A team runs at most two audits at once: the comparison (two more) waits for this one.
    await api.settled(ids.audit, a);
    const cmp = await api.post('/comparisons', { scenario: 'seed', baseline: 'unlock-before-remove', strategy: 'random', bounds: { runs: 5 } }, a);
    expect(cmp.status).toBe(202);
    ids.comparison = cmp.body.id;
    await api.settled(cmp.body.baseline.id, a);
    await api.settled(cmp.body.fix.id, a);
  });
  afterAll(() => api?.close());

  it('token guessing is rate-limited per client: 401s, then 429 with Retry-After, even for a valid token', async () => {
    // a fresh server: the limiter is per process
    const fresh = await TestApi.start();
    try {
      const good = await fresh.team('victim');
      const statuses: number[] = [];
      for (let i = 0; i < AUTH_FAILURE_BURST + 5; i++) statuses.push((await fresh.get('/me', `mmr_guess${i}`)).status);
      expect(statuses.slice(0, AUTH_FAILURE_BURST).every((s) => s === 401)).toBe(true);
      expect(statuses.slice(AUTH_FAILURE_BURST).every((s) => s === 429)).toBe(true);
      const blocked = await fresh.get('/me', good);
      expect(blocked.status).toBe(429);
      expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
      await new Promise((r) => setTimeout(r, 1_100));
      expect((await fresh.get('/me', good)).status).toBe(200);
    } finally {
      await fresh.close();
    }
  });

  it('revoked and expired tokens are refused', async () => {
    const owner = await api.team('team-c');
    const issued = await api.post('/teams/team-c/tokens', { member: 'alice' }, owner);
    expect(issued.status).toBe(201);
    expect((await api.get('/me', issued.body.token)).status).toBe(200);
    const tokenId = issued.body.tokenId ?? issued.body.id;
    expect((await api.request('DELETE', `/teams/team-c/tokens/${tokenId}`, { token: owner })).status).toBeLessThan(300);
    expect((await api.get('/me', issued.body.token)).status).toBe(401);
    // A token that expires in a few seconds: accepted before, refused after (the server's clock
    // is this machine's, so waiting past expiresAt is enough).
    const expiresAt = new Date(Date.now() + 3_000);
    const short = await api.post('/teams/team-c/tokens', { member: 'alice', expiresAt: expiresAt.toISOString() }, owner);
    expect(short.status, short.text).toBe(201);
    expect((await api.get('/me', short.body.token)).status).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, expiresAt.getTime() - Date.now()) + 100));
    expect((await api.get('/me', short.body.token)).status).toBe(401);
  });

  it("every OpenAPI operation on a team's object: a valid request succeeds for the owner, another team gets 404", async () => {
    const doc = (await api.get('/docs/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.entries(doc.paths)
      .flatMap(([path, ops]) => Object.keys(ops).map((method) => `${method} ${path}`))
      .filter((op) => /\{/.test(op) && !/ \/problems\//.test(op));
    const covered = new Set<string>();
    // A refusal may echo the id the caller sent, never anything else of team A.
    const probe = async (p: RestProbe, secrets = ['team-a']) => {
      await expectOwnerOnly(api, p, a, b, secrets);
      covered.add(p.operation);
    };
    const pids: ProbeIds = { run: ids.run, other: ids.other, audit: ids.audit, comparison: ids.comparison };
    for (const p of [...runProbes(pids, 1), ...auditProbes(pids), ...scenarioProbes(await publishProbeScenario(api, a))]) await probe(p);

    // Cancel needs a running audit: refused to B first, then done by A.
    const running = await api.post('/audits', { scenario: 'seed', params: { ptes: 6, faults: 6 }, strategy: 'exhaustive' }, a);
    expect(running.status).toBe(202);
    const cancel = cancelProbe({ ...pids, audit: running.body.id });
    expectNotFound(await send(api, cancel, b), 'cancel by another team');
    expect((await send(api, cancel, a)).status).toBe(200);
    covered.add(cancel.operation);

    // The team's own resources, addressed by name.
    await probe({ operation: 'get /teams/{teamId}', method: 'GET', path: '/teams/team-a' }, ['alice']);
    await probe({ operation: 'get /teams/{teamId}/tokens', method: 'GET', path: '/teams/team-a/tokens' }, ['alice']);
    const tryBoth = async (operation: string, method: string, path: string, body: unknown, ok: number) => {
      const theirs = await api.request(method, path, { token: b, body });
      expectNotFound({ status: theirs.status, body: theirs.body }, `${operation} by another team`);
      const mine = await api.request(method, path, { token: a, body });
      expect(mine.status, `${operation} by the owner: ${mine.text}`).toBe(ok);
      covered.add(operation);
      return mine.body;
    };
    await tryBoth('post /teams/{teamId}/members', 'POST', '/teams/team-a/members', { member: 'mallory', role: 'viewer' }, 201);
    const token = await tryBoth('post /teams/{teamId}/tokens', 'POST', '/teams/team-a/tokens', { member: 'mallory' }, 201);
    await tryBoth('delete /teams/{teamId}/tokens/{tokenId}', 'DELETE', `/teams/team-a/tokens/${token.tokenId}`, undefined, 200);
    await tryBoth('delete /teams/{teamId}/members/{member}', 'DELETE', '/teams/team-a/members/mallory', undefined, 200);

    // Every such operation of the document has a probe (a new endpoint must get one).
    expect([...covered].sort()).toEqual([...new Set(operations)].sort());
    // and nothing of team A leaks into B's listings
    for (const p of ['/runs', '/audits', '/activity']) expect((await api.get(p, b)).text).not.toMatch(new RegExp(`${ids.run}|${ids.other}|${ids.audit}`));
    await api.settled(running.body.id, a);
  });

  it('no token appears in the server output, even when requests with tokens fail', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const dir = mkdtempSync(join(tmpdir(), 'mmreplay-logs-'));
    const p = await startApi(`sqlite:${join(dir, 'logs.db')}`);
    try {
      const team = await p.request('POST', '/teams', ADMIN, { teamId: 'logs', owner: 'alice' });
      const token = team.body.token.token as string;
      await p.request('GET', '/me', 'mmr_wrong-token-value-123456');
      await p.request('POST', '/runs', token, { scenario: 'nope' });
      await p.request('POST', '/runs', token, { scenario: 'seed', variant: { switches: { X: 1 } } });
      await p.request('GET', '/runs/none/state?at=1', token);
      await p.request('POST', '/graphql', token, { query: '{ nope }' });
      await p.kill('SIGTERM');
      const out = p.output();
      expect(out).toContain('listening');
      for (const secret of [ADMIN, ADMIN_TOKEN, token, 'mmr_wrong-token-value-123456']) expect(out).not.toContain(secret);
    } finally {
      await p.kill();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
