import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, TestApi } from '../harness.js';
import { AUTH_FAILURE_BURST } from '../../src/http/auth.js';
import { ADMIN, startApi } from './processes.js';

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
    const audit = await api.post('/audits', { scenario: 'seed', strategy: 'random', bounds: { runs: 5 } }, a);
    ids.audit = audit.body.id;
    const cmp = await api.post('/comparisons', { scenario: 'seed', baseline: 'unlock-before-remove', strategy: 'random', bounds: { runs: 5 } }, a);
    ids.comparison = cmp.body.id ?? cmp.body.comparisonId;
    await api.settled(ids.audit, a);
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
    const short = await api.post('/teams/team-c/tokens', { member: 'alice', expiresIn: '1s' }, owner);
    if (short.status === 201) {
      await new Promise((r) => setTimeout(r, 1_200));
      expect((await api.get('/me', short.body.token)).status).toBe(401);
    }
  });

  it("every endpoint of the OpenAPI document refuses another team's objects (404 or 403, never 2xx)", async () => {
    const doc = (await api.get('/docs/openapi.json')).body as { paths: Record<string, Record<string, unknown>> };
    const tried: string[] = [];
    for (const [path, ops] of Object.entries(doc.paths)) {
      if (!/\{/.test(path)) continue;
      for (const method of Object.keys(ops)) {
        const url = path
          .replace(/\/runs\/\{[^}]+\}/, `/runs/${ids.run}`)
          .replace(/\/audits\/\{[^}]+\}/, `/audits/${ids.audit}`)
          .replace(/\/comparisons\/\{[^}]+\}/, `/comparisons/${ids.comparison}`)
          .replace(/\/teams\/\{[^}]+\}/, '/teams/team-a')
          .replace(/\{other[^}]*\}/, ids.run)
          .replace(/\{[^}]+\}/g, 'x');
        if (url.startsWith('/scenarios') || url.startsWith('/problems')) continue;
        const r = await api.request(method.toUpperCase(), `${url}?at=0&from=0&to=1&object=pte:e0&otherRun=${ids.run}`, { token: b, body: method === 'get' || method === 'delete' ? undefined : { member: 'mallory', role: 'owner', where: { all: [] } } });
        tried.push(`${method} ${url} ${r.status}`);
        expect([400, 403, 404], `${method} ${url}: ${r.status} ${r.text.slice(0, 200)}`).toContain(r.status);
      }
    }
    expect(tried.length).toBeGreaterThanOrEqual(15);
    // and nothing of team A leaks into B's listings
    for (const p of ['/runs', '/audits', '/activity']) expect((await api.get(p, b)).text).not.toMatch(new RegExp(`${ids.run}|${ids.audit}`));
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
