import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, TestApi } from './harness.js';

describe('teams, tokens, roles and the audit log', () => {
  let api: TestApi;
  let owner: string;

  beforeAll(async () => {
    api = await TestApi.start();
    owner = await api.team('mm', 'alice');
  });
  afterAll(() => api.close());

  it('401 without a token, with an unknown one, with a malformed header', async () => {
    for (const headers of [{}, { authorization: 'Bearer mmr_0000000000000000_' + 'x'.repeat(43) }, { authorization: 'Basic abc' }] as Record<
      string,
      string
    >[]) {
      const r = await api.request('GET', '/runs', { headers });
      expect(r.status).toBe(401);
      expect(r.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(r.body).toMatchObject({ type: '/problems/unauthenticated', title: 'Authentication required', status: 401, instance: '/runs' });
    }
    const gql = await api.graphql('{ scenarios { nodes { name } } }');
    expect(gql.body.errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('the admin creates teams; a team id is taken once (409); only an admin lists teams (403)', async () => {
    const r = await api.post('/teams', { teamId: 'sched', name: 'Scheduler' }, ADMIN_TOKEN);
    expect(r.status).toBe(201);
    expect(r.body).toEqual({ team: expect.objectContaining({ teamId: 'sched', name: 'Scheduler', members: [] }) });
    const again = await api.post('/teams', { teamId: 'sched' }, ADMIN_TOKEN);
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ type: '/problems/conflict', detail: "team 'sched' already exists" });
    expect((await api.get('/teams', ADMIN_TOKEN)).body.map((t: { teamId: string }) => t.teamId)).toEqual(['mm', 'sched']);
    expect((await api.get('/teams', owner)).status).toBe(403);
    expect((await api.post('/teams', { teamId: 'x1' }, owner)).status).toBe(403);
    // An admin token belongs to no team: runs and audits need a team token.
    const runs = await api.get('/runs', ADMIN_TOKEN);
    expect(runs.status).toBe(403);
    expect(runs.body.detail).toMatch(/admin token/);
    const bad = await api.post('/teams', { teamId: 'Bad Id!', owner: '' }, ADMIN_TOKEN);
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { field: string }) => e.field)).toEqual(['teamId', 'owner']);
  });

  it('an owner adds members and issues tokens (shown once, stored hashed); roles decide what a token may do', async () => {
    const member = await api.member('mm', owner, 'bob', 'member');
    const viewer = await api.member('mm', owner, 'carol', 'viewer');
    expect(member).toMatch(/^mmr_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect((await api.get('/me', member)).body).toMatchObject({ kind: 'member', team: 'mm', member: 'bob', role: 'member' });
    // The secret is never listed.
    const tokens = await api.get('/teams/mm/tokens', owner);
    expect(tokens.status).toBe(200);
    expect(JSON.stringify(tokens.body)).not.toContain(member.slice(22));
    expect(tokens.body.every((t: Record<string, unknown>) => !('token' in t) && !('hash' in t))).toBe(true);
    // viewer: reads, cannot start; member: starts, cannot manage tokens.
    expect((await api.get('/audits', viewer)).status).toBe(200);
    const denied = await api.post('/audits', { scenario: 'seed' }, viewer);
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ type: '/problems/forbidden', detail: 'a viewer token cannot do this (needs write)' });
    const gqlDenied = await api.graphql('mutation { startAudit(input: { scenario: "seed" }) { id } }', {}, viewer);
    expect(gqlDenied.body.errors[0].extensions.code).toBe('FORBIDDEN');
    expect((await api.post('/teams/mm/tokens', { member: 'bob' }, member)).status).toBe(403);
    // A token never grants more than its member's role.
    const tooMuch = await api.post('/teams/mm/tokens', { member: 'carol', role: 'owner' }, owner);
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.errors).toEqual([{ field: 'role', message: "a token of carol can be at most 'viewer'" }]);
    // An owner manages only their own team: another team is not found.
    expect((await api.post('/teams/sched/members', { member: 'eve', role: 'owner' }, owner)).status).toBe(404);
    expect((await api.get('/teams/sched', owner)).status).toBe(404);
    expect((await api.get('/teams/mm', viewer)).body.members.map((m: { member: string }) => m.member)).toEqual(['alice', 'bob', 'carol']);
  });

  it('revoked and expired tokens stop working; removing a member revokes their tokens', async () => {
    const token = await api.member('mm', owner, 'dave', 'member');
    const me = await api.get('/me', token);
    expect(me.status).toBe(200);
    const revoked = await api.request('DELETE', `/teams/mm/tokens/${me.body.tokenId}`, { token: owner });
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ tokenId: me.body.tokenId, revokedBy: 'alice' });
    expect((await api.get('/me', token)).status).toBe(401);

    const soon = new Date(Date.now() + 1_200).toISOString();
    const short = await api.post('/teams/mm/tokens', { member: 'bob', name: 'short', expiresAt: soon }, owner);
    expect(short.status).toBe(201);
    expect((await api.get('/me', short.body.token)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1_300));
    expect((await api.get('/me', short.body.token)).status).toBe(401);
    const past = await api.post('/teams/mm/tokens', { member: 'bob', expiresAt: '2000-01-01T00:00:00Z' }, owner);
    expect(past.status).toBe(400);
    expect(past.body.errors).toEqual([{ field: 'expiresAt', message: 'must be in the future' }]);

    const erin = await api.member('mm', owner, 'erin', 'member');
    expect((await api.request('DELETE', '/teams/mm/members/erin', { token: owner })).status).toBe(200);
    expect((await api.get('/me', erin)).status).toBe(401);
  });

  it('the audit log says who did what, from the events metadata', async () => {
    const audit = await api.post('/audits', { scenario: 'seed', strategy: 'random', bounds: { runs: 100_000, maxSeconds: 30 } }, owner);
    expect(audit.status).toBe(202);
    const bob = await api.post('/teams/mm/tokens', { member: 'bob', name: 'bob-2' }, owner);
    const cancelled = await api.post(`/audits/${audit.body.id}/cancel`, {}, bob.body.token);
    expect(cancelled.status).toBe(200);
    await api.post('/runs', { scenario: 'seed', strategy: 'pct', seed: 2 }, bob.body.token);

    const log = await api.get('/activity?limit=100', owner);
    expect(log.status).toBe(200);
    const entries = log.body.entries as { actor: string; action: string; target: string }[];
    expect(entries[0]).toMatchObject({ actor: 'bob', action: 'run.started' });
    expect(entries).toContainEqual(
      expect.objectContaining({ actor: 'bob', action: 'audit.cancelled', target: `audit:${audit.body.id}`, tokenId: bob.body.tokenId }),
    );
    expect(entries).toContainEqual(expect.objectContaining({ actor: 'alice', action: 'audit.requested', target: `audit:${audit.body.id}` }));
    expect(entries).toContainEqual(expect.objectContaining({ actor: 'alice', action: 'token.revoked' }));
    expect(entries).toContainEqual(expect.objectContaining({ actor: 'admin', action: 'team.created', target: 'team:mm' }));
    expect(entries).toContainEqual(expect.objectContaining({ actor: 'alice', action: 'member.removed', target: 'member:erin' }));
    // Filters and pages.
    const audits = await api.get('/activity?action=audit', owner);
    expect(audits.body.entries.map((e: { action: string }) => e.action)).toEqual(['audit.cancelled', 'audit.requested']);
    const page1 = await api.get('/activity?limit=2', owner);
    const page2 = await api.get(`/activity?limit=2&before=${page1.body.next}`, owner);
    expect(page2.body.entries[0]).toEqual(entries[2]);
    // Another team's log is another team's.
    expect((await api.get('/activity?team=sched', owner)).status).toBe(404);
    expect((await api.get('/activity?team=sched', ADMIN_TOKEN)).body.entries.map((e: { action: string }) => e.action)).toEqual(['team.created']);
  });
});
