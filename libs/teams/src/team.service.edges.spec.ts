// TeamService at the edges of each check: the field and message of every refusal, the limits
// themselves (16-character admin token, 100-character names, an expiry equal to now), the events
// and activity metadata each command writes, and appends from a stale read model refused.
import { describe, expect, it } from 'vitest';
import { InMemoryEventStore, WrongExpectedVersionError } from '@mmreplay/event-store';
import { InvalidTeamRequestError, TeamConflictError, TeamObjectNotFoundError } from './errors.js';
import { TeamService } from './team.service.js';
import { teamStream } from './team-events.js';

const admin = { actor: 'admin' };

async function started(store = new InMemoryEventStore(), options: ConstructorParameters<typeof TeamService>[1] = {}) {
  const teams = new TeamService(store, options);
  await teams.start();
  return { store, teams };
}

/** The refusal's class, field (if any) and message. */
async function refusal(p: Promise<unknown>): Promise<{ name: string; field?: string; message: string; code: string; kind: string }> {
  const e = await p.then(
    () => expect.unreachable('accepted'),
    (x: unknown) => x as Error & { field?: string; code: string; kind: string },
  );
  return { name: e.constructor.name, ...(e.field !== undefined ? { field: e.field } : {}), message: e.message, code: e.code, kind: e.kind };
}

const invalid = (field: string, message: string) => ({
  name: 'InvalidTeamRequestError',
  field,
  message: `${field}: ${message}`,
  code: 'INVALID_TEAM_REQUEST',
  kind: 'invalid',
});

describe('TeamService edges', () => {
  it('the admin token: 16 characters are enough, 15 are refused; it authenticates as exactly the admin principal', async () => {
    expect(() => new TeamService(new InMemoryEventStore(), { adminToken: 'x'.repeat(15) })).toThrow(
      expect.objectContaining({ field: 'adminToken', message: 'adminToken: must be at least 16 characters' }),
    );
    const { teams } = await started(undefined, { adminToken: 'x'.repeat(16) });
    expect(teams.authenticate('x'.repeat(16))).toEqual({ kind: 'admin', team: null, member: 'admin', role: 'admin', tokenId: 'admin' });
    expect(teams.authenticate('x'.repeat(17))).toBeUndefined();
    teams.stop();
  });

  it('createTeam: team id, name and owner checked with their field and message', async () => {
    const { teams } = await started();
    const teamIdMessage = 'must be 2 to 40 lower-case letters, digits or dashes, starting with a letter or digit';
    expect(await refusal(teams.createTeam({ teamId: 'A' }, admin))).toEqual(invalid('teamId', teamIdMessage));
    expect(await refusal(teams.createTeam({ teamId: 12 as never }, admin))).toEqual(invalid('teamId', teamIdMessage));
    const nameMessage = 'must be 1 to 100 characters';
    expect(await refusal(teams.createTeam({ teamId: 'n1', name: '' }, admin))).toEqual(invalid('name', nameMessage));
    expect(await refusal(teams.createTeam({ teamId: 'n1', name: 'n'.repeat(101) }, admin))).toEqual(invalid('name', nameMessage));
    expect(await refusal(teams.createTeam({ teamId: 'n1', name: 7 as never }, admin))).toEqual(invalid('name', nameMessage));
    const memberMessage = 'must be 1 to 64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit';
    expect(await refusal(teams.createTeam({ teamId: 'n1', owner: 'two words' }, admin))).toEqual(invalid('owner', memberMessage));
    expect(await refusal(teams.createTeam({ teamId: 'n1', owner: 12 as never }, admin))).toEqual(invalid('owner', memberMessage));
    expect(teams.teams()).toEqual([]);
    expect((await teams.createTeam({ teamId: 'n1', name: 'n'.repeat(100) }, admin)).team.name).toHaveLength(100);
    expect(await refusal(teams.createTeam({ teamId: 'n1' }, admin))).toEqual({
      name: 'TeamConflictError',
      message: "team 'n1' already exists",
      code: 'CONFLICT',
      kind: 'conflict',
    });
    expect(await refusal(Promise.resolve().then(() => teams.team('zz')))).toEqual({
      name: 'TeamObjectNotFoundError',
      message: "no team 'zz'",
      code: 'NOT_FOUND',
      kind: 'not-found',
    });
    teams.stop();
  });

  it('createTeam without an owner writes the team alone; with one, the owner and a first token, each with its activity metadata', async () => {
    const { store, teams } = await started();
    const bare = await teams.createTeam({ teamId: 'bare' }, { actor: 'root', tokenId: 'tk' });
    expect(bare).toEqual({ team: expect.objectContaining({ teamId: 'bare', name: 'bare', members: [] }) });
    expect('token' in bare).toBe(false);
    const bareEvents = await store.readStream(teamStream('bare'));
    expect(bareEvents.map((e) => [e.type, e.metadata.action, e.metadata.target, e.metadata.tokenId])).toEqual([
      ['TeamCreated', 'team.created', 'team:bare', 'tk'],
    ]);

    const { token } = await teams.createTeam({ teamId: 'mm', owner: 'alice' }, admin);
    const events = await store.readStream(teamStream('mm'));
    expect(events.map((e) => [e.type, e.metadata.action, e.metadata.target])).toEqual([
      ['TeamCreated', 'team.created', 'team:mm'],
      ['MemberAdded', 'member.added', 'member:alice'],
      ['TokenIssued', 'token.issued', `token:${token!.info.tokenId}`],
    ]);
    expect('tokenId' in events[0].metadata).toBe(false);
    expect(events[2].data).toMatchObject({ name: 'alice (first token)', member: 'alice', role: 'owner', expiresAt: null });
    expect(token!.info).toMatchObject({ name: 'alice (first token)', role: 'owner', teamId: 'mm' });
    expect(teams.teams().map((t) => t.teamId)).toEqual(['bare', 'mm']);
    teams.stop();
  });

  it('a store failure other than a taken id is passed on as it is', async () => {
    const store = new InMemoryEventStore();
    const failure = new Error('store down');
    const { teams } = await started(Object.assign(Object.create(store) as InMemoryEventStore, { appendToStream: () => Promise.reject(failure) }));
    await expect(teams.createTeam({ teamId: 'mm' }, admin)).rejects.toBe(failure);
    teams.stop();
  });

  it('members: the field and message of each refusal; a member already in a larger team is a conflict; removal is recorded', async () => {
    const { store, teams } = await started();
    await teams.createTeam({ teamId: 'mm', owner: 'alice' }, admin);
    await teams.addMember('mm', 'bob', 'member', admin);
    const memberMessage = 'must be 1 to 64 letters, digits, dots, dashes, underscores or @, starting with a letter or digit';
    expect(await refusal(teams.addMember('mm', 'b c', 'member', admin))).toEqual(invalid('member', memberMessage));
    expect(await refusal(teams.addMember('mm', 12 as never, 'member', admin))).toEqual(invalid('member', memberMessage));
    expect(await refusal(teams.addMember('mm', 'carl', 'king' as never, admin))).toEqual(invalid('role', 'must be one of owner, member, viewer'));
    expect(await refusal(teams.addMember('mm', 'bob', 'viewer', admin))).toEqual({
      name: 'TeamConflictError',
      message: "'bob' is already a member of team 'mm'",
      code: 'CONFLICT',
      kind: 'conflict',
    });
    expect(await refusal(teams.removeMember('mm', 'zed', admin))).toEqual({
      name: 'TeamObjectNotFoundError',
      message: "no member 'zed'",
      code: 'NOT_FOUND',
      kind: 'not-found',
    });
    await teams.removeMember('mm', 'bob', { actor: 'alice' });
    expect(teams.team('mm').members.map((m) => m.member)).toEqual(['alice']);
    const last = (await store.readStream(teamStream('mm'))).at(-1)!;
    expect([last.type, last.metadata.action, last.metadata.target, last.metadata.actor]).toEqual(['MemberRemoved', 'member.removed', 'member:bob', 'alice']);
    teams.stop();
  });

  it('tokens: role, name and expiry checked at their limits; an expiry equal to now is refused', async () => {
    let now = new Date('2030-01-01T00:00:00.000Z');
    const { store, teams } = await started(undefined, { clock: () => now });
    await teams.createTeam({ teamId: 'mm', owner: 'alice' }, admin);
    await teams.addMember('mm', 'bob', 'member', admin);
    expect(await refusal(teams.issueToken('mm', { member: 'zed' }, admin))).toEqual(invalid('member', "'zed' is not a member of team 'mm'"));
    expect(await refusal(teams.issueToken('mm', { member: 'bob', role: 'king' as never }, admin))).toEqual(
      invalid('role', 'must be one of owner, member, viewer'),
    );
    expect(await refusal(teams.issueToken('mm', { member: 'bob', role: 'owner' }, admin))).toEqual(invalid('role', "a token of bob can be at most 'member'"));
    expect(await refusal(teams.issueToken('mm', { member: 'bob', name: '' }, admin))).toEqual(invalid('name', 'must be 1 to 100 characters'));
    expect(await refusal(teams.issueToken('mm', { member: 'bob', name: 'n'.repeat(101) }, admin))).toEqual(invalid('name', 'must be 1 to 100 characters'));
    expect(await refusal(teams.issueToken('mm', { member: 'bob', name: 5 as never }, admin))).toEqual(invalid('name', 'must be 1 to 100 characters'));
    expect(await refusal(teams.issueToken('mm', { member: 'bob', expiresAt: 'soon' }, admin))).toEqual(invalid('expiresAt', 'must be an ISO-8601 date-time'));
    expect(await refusal(teams.issueToken('mm', { member: 'bob', expiresAt: '2030-01-01T00:00:00Z' }, admin))).toEqual(
      invalid('expiresAt', 'must be in the future'),
    );
    const ok = await teams.issueToken('mm', { member: 'bob', name: 'n'.repeat(100), expiresAt: '2030-01-01T00:00:00.001Z' }, { actor: 'alice', tokenId: 'tk' });
    expect(ok.info).toMatchObject({ name: 'n'.repeat(100), expiresAt: '2030-01-01T00:00:00.001Z', role: 'member', createdBy: 'alice' });
    const last = (await store.readStream(teamStream('mm'))).at(-1)!;
    expect([last.metadata.action, last.metadata.target, last.metadata.tokenId]).toEqual(['token.issued', `token:${ok.info.tokenId}`, 'tk']);
    expect(teams.authenticate(ok.token)?.member).toBe('bob');
    now = new Date('2030-01-01T00:00:00.001Z');
    expect(teams.authenticate(ok.token)).toBeUndefined();
    teams.stop();
  });

  it('with the real clock, an expiry in the past is refused and one in the future works', async () => {
    const { teams } = await started();
    await teams.createTeam({ teamId: 'mm', owner: 'alice' }, admin);
    expect(await refusal(teams.issueToken('mm', { member: 'alice', expiresAt: '2000-01-01T00:00:00Z' }, admin))).toEqual(
      invalid('expiresAt', 'must be in the future'),
    );
    const t = await teams.issueToken('mm', { member: 'alice', expiresAt: new Date(Date.now() + 3_600_000).toISOString() }, admin);
    expect(teams.authenticate(t.token)?.member).toBe('alice');
    teams.stop();
  });

  it("revoking: another team's token is not found; a second revocation appends nothing", async () => {
    const { store, teams } = await started();
    await teams.createTeam({ teamId: 'mm', owner: 'alice' }, admin);
    const other = await teams.createTeam({ teamId: 'zz', owner: 'olga' }, admin);
    expect(await refusal(teams.revokeToken('mm', other.token!.info.tokenId, admin))).toEqual({
      name: 'TeamObjectNotFoundError',
      message: `no token '${other.token!.info.tokenId}'`,
      code: 'NOT_FOUND',
      kind: 'not-found',
    });
    expect(teams.authenticate(other.token!.token)?.member).toBe('olga');
    const t = await teams.issueToken('mm', { member: 'alice' }, admin);
    const first = await teams.revokeToken('mm', t.info.tokenId, { actor: 'alice' });
    const length = (await store.readStream(teamStream('mm'))).length;
    const last = (await store.readStream(teamStream('mm'))).at(-1)!;
    expect([last.type, last.metadata.action, last.metadata.target]).toEqual(['TokenRevoked', 'token.revoked', `token:${t.info.tokenId}`]);
    const again = await teams.revokeToken('mm', t.info.tokenId, admin);
    expect(again).toEqual(first);
    expect((await store.readStream(teamStream('mm'))).length).toBe(length);
    teams.stop();
  });

  it('a stopped service follows no more, and its stale appends are refused (expected revision)', async () => {
    const store = new InMemoryEventStore();
    const { teams: live } = await started(store);
    await live.createTeam({ teamId: 'mm', owner: 'alice' }, admin);
    const { teams: stale } = await started(store);
    stale.stop();
    await live.addMember('mm', 'bob', 'member', admin);
    // A third service that has caught up proves the event was delivered to subscribers.
    const { teams: third } = await started(store);
    expect(third.team('mm').members.map((m) => m.member)).toEqual(['alice', 'bob']);
    expect(stale.team('mm').members.map((m) => m.member)).toEqual(['alice']);
    await expect(stale.addMember('mm', 'carl', 'member', admin)).rejects.toThrow(WrongExpectedVersionError);
    live.stop();
    third.stop();
  });

  it('error classes carry their codes', () => {
    expect(new InvalidTeamRequestError('f', 'm')).toMatchObject({ code: 'INVALID_TEAM_REQUEST', kind: 'invalid', field: 'f' });
    expect(new TeamObjectNotFoundError('token', 't')).toMatchObject({
      code: 'NOT_FOUND',
      kind: 'not-found',
      message: "no token 't'",
      object: 'token',
      id: 't',
    });
    expect(new TeamConflictError('c')).toMatchObject({ code: 'CONFLICT', kind: 'conflict', message: 'c' });
  });
});
