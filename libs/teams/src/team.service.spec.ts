import { describe, expect, it, vi } from 'vitest';
import { InMemoryEventStore, WrongExpectedVersionError } from '@mmreplay/event-store';
import { ActivityService } from './activity.js';
import { TeamDirectory } from './directory.js';
import { InvalidTeamRequestError, TeamConflictError, TeamObjectNotFoundError } from './errors.js';
import { can } from './principal.js';
import { TeamService } from './team.service.js';
import { teamStream } from './team-events.js';
import { hashToken, newToken, tokenIdOf } from './tokens.js';

const admin = { actor: 'admin' };

describe('tokens', () => {
  it('are mmr_<id>_<32 random bytes>, hashed with SHA-256, never equal', () => {
    const a = newToken();
    const b = newToken();
    expect(a.token).toMatch(/^mmr_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$/);
    expect(tokenIdOf(a.token)).toBe(a.tokenId);
    expect(a.hash).toBe(hashToken(a.token));
    expect(a.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(a.token).not.toBe(b.token);
    expect(tokenIdOf('mmr_nope')).toBeUndefined();
  });
});

describe('TeamService', () => {
  it('creates a team with its owner and a token in one append; the token authenticates', async () => {
    const store = new InMemoryEventStore();
    const teams = new TeamService(store, { adminToken: 'a'.repeat(20) });
    await teams.start();
    const { team, token } = await teams.createTeam({ teamId: 'mm', name: 'Memory', owner: 'alice' }, admin);
    expect(team).toMatchObject({ teamId: 'mm', name: 'Memory', members: [{ member: 'alice', role: 'owner', addedBy: 'admin' }] });
    expect(teams.authenticate(token!.token)).toEqual({ kind: 'member', team: 'mm', member: 'alice', role: 'owner', tokenId: token!.info.tokenId });
    expect(teams.authenticate('a'.repeat(20))).toMatchObject({ kind: 'admin', team: null });
    expect(teams.authenticate('nope')).toBeUndefined();
    const events = await store.readStream(teamStream('mm'));
    expect(events.map((e) => e.type)).toEqual(['TeamCreated', 'MemberAdded', 'TokenIssued']);
    // Only the hash is stored.
    expect(JSON.stringify(events.map((e) => e.data))).not.toContain(token!.token);
    expect(events[2].metadata).toMatchObject({ actor: 'admin', team: 'mm', action: 'token.issued' });
    teams.stop();
  });

  it('refuses bad requests by field, and conflicts', async () => {
    const teams = new TeamService(new InMemoryEventStore());
    await teams.start();
    await expect(teams.createTeam({ teamId: 'Bad Id' }, admin)).rejects.toThrow(InvalidTeamRequestError);
    await teams.createTeam({ teamId: 'mm', owner: 'alice' }, admin);
    await expect(teams.createTeam({ teamId: 'mm' }, admin)).rejects.toThrow(TeamConflictError);
    await expect(teams.addMember('mm', 'alice', 'member', admin)).rejects.toThrow(TeamConflictError);
    await expect(teams.addMember('zz', 'bob', 'member', admin)).rejects.toThrow(TeamObjectNotFoundError);
    await expect(teams.addMember('mm', 'bob', 'king' as never, admin)).rejects.toMatchObject({ field: 'role' });
    await teams.addMember('mm', 'bob', 'viewer', admin);
    await expect(teams.issueToken('mm', { member: 'bob', role: 'member' }, admin)).rejects.toMatchObject({ field: 'role' });
    await expect(teams.issueToken('mm', { member: 'carl' }, admin)).rejects.toMatchObject({ field: 'member' });
    await expect(teams.issueToken('mm', { member: 'bob', expiresAt: 'tomorrow' }, admin)).rejects.toMatchObject({ field: 'expiresAt' });
    expect(() => new TeamService(new InMemoryEventStore(), { adminToken: 'short' })).toThrow(InvalidTeamRequestError);
    teams.stop();
  });

  it('revocation, expiry and member removal end a token; a token never outranks its member', async () => {
    let now = new Date('2030-01-01T00:00:00Z');
    const teams = new TeamService(new InMemoryEventStore(), { clock: () => now });
    await teams.start();
    await teams.createTeam({ teamId: 'mm', owner: 'alice' }, admin);
    await teams.addMember('mm', 'bob', 'member', admin);
    const t1 = await teams.issueToken('mm', { member: 'bob', expiresAt: '2030-01-01T01:00:00Z' }, admin);
    const t2 = await teams.issueToken('mm', { member: 'bob', role: 'viewer', name: 'ci' }, admin);
    expect(teams.authenticate(t1.token)?.role).toBe('member');
    expect(teams.authenticate(t2.token)?.role).toBe('viewer');
    now = new Date('2030-01-01T02:00:00Z');
    expect(teams.authenticate(t1.token)).toBeUndefined();
    await teams.revokeToken('mm', t2.info.tokenId, { actor: 'alice' });
    expect(teams.authenticate(t2.token)).toBeUndefined();
    expect(teams.tokens('mm').find((t) => t.tokenId === t2.info.tokenId)).toMatchObject({ revokedBy: 'alice', name: 'ci' });
    const t3 = await teams.issueToken('mm', { member: 'bob' }, admin);
    await teams.removeMember('mm', 'bob', admin);
    expect(teams.authenticate(t3.token)).toBeUndefined();
    await expect(teams.revokeToken('mm', 'nope', admin)).rejects.toThrow(TeamObjectNotFoundError);
    teams.stop();
  });

  it('is rebuilt from the log at start, and follows changes another process appends', async () => {
    const store = new InMemoryEventStore();
    const first = new TeamService(store);
    await first.start();
    const { token } = await first.createTeam({ teamId: 'mm', owner: 'alice' }, admin);
    const second = new TeamService(store);
    await second.start();
    expect(second.authenticate(token!.token)?.member).toBe('alice');
    const issued = await first.issueToken('mm', { member: 'alice' }, admin);
    // `second` sees it through its subscription (waited for, not slept on: fails only if it never comes).
    await vi.waitFor(() => expect(second.authenticate(issued.token)?.member).toBe('alice'), { timeout: 5_000, interval: 5 });
    // An append at a stale revision is refused: nothing is lost to a race.
    await expect(
      store.appendToStream(teamStream('mm'), [{ type: 'MemberRemoved', data: { teamId: 'mm', member: 'alice' } }], { expectedRevision: 0n }),
    ).rejects.toThrow(WrongExpectedVersionError);
    first.stop();
    second.stop();
  });

  it('roles: viewer reads, member writes, owner manages, admin administers', () => {
    const p = (role: 'viewer' | 'member' | 'owner') => ({ kind: 'member' as const, team: 'mm', member: 'x', role, tokenId: 't' });
    expect(can(p('viewer'), 'read')).toBe(true);
    expect(can(p('viewer'), 'write')).toBe(false);
    expect(can(p('member'), 'write')).toBe(true);
    expect(can(p('member'), 'manage')).toBe(false);
    expect(can(p('owner'), 'manage')).toBe(true);
    expect(can(p('owner'), 'admin')).toBe(false);
    const a = { kind: 'admin' as const, team: null, member: 'admin', role: 'admin' as const, tokenId: 'admin' };
    expect(can(a, 'admin')).toBe(true);
    expect(can(a, 'read')).toBe(false);
  });

  it('the directory ignores events of other streams', () => {
    const d = new TeamDirectory();
    d.apply({
      streamId: 'run-1',
      type: 'TeamCreated',
      data: { teamId: 'x', name: 'x' },
      metadata: { schemaVersion: 1, recordedAt: '' },
      revision: 0n,
      position: 1n,
      id: 'a',
    });
    expect(d.listTeams()).toEqual([]);
  });
});

describe('ActivityService', () => {
  it("lists a team's activity from event metadata, newest first, paged", async () => {
    const store = new InMemoryEventStore();
    const teams = new TeamService(store);
    await teams.start();
    await teams.createTeam({ teamId: 'mm', owner: 'alice' }, admin);
    await teams.createTeam({ teamId: 'other', owner: 'olga' }, admin);
    await teams.addMember('mm', 'bob', 'member', { actor: 'alice', tokenId: 'tok' });
    await store.appendToStream('audit-a1', [
      { type: 'AuditCancelRequested', data: {}, metadata: { actor: 'bob', team: 'mm', action: 'audit.cancelled', target: 'audit:a1' } },
    ]);
    const activity = new ActivityService(store, ['AuditCancelRequested']);
    await activity.start();
    const page = activity.list('mm');
    expect(page.entries.map((e) => `${e.actor} ${e.action} ${e.target}`)).toEqual([
      'bob audit.cancelled audit:a1',
      'alice member.added member:bob',
      'admin token.issued ' + page.entries[2].target,
      'admin member.added member:alice',
      'admin team.created team:mm',
    ]);
    expect(page.entries[1].tokenId).toBe('tok');
    const p1 = activity.list('mm', { limit: 2 });
    const p2 = activity.list('mm', { limit: 2, before: p1.next! });
    expect([...p1.entries, ...p2.entries]).toEqual(page.entries.slice(0, 4));
    expect(activity.list('mm', { action: 'member' }).entries).toHaveLength(2);
    // The other team's page holds its own entries, all of them, and none of mm's.
    const other = activity.list('other').entries;
    expect(other.map((e) => `${e.actor} ${e.action} ${e.target}`)).toEqual([
      'admin token.issued ' + other[0].target,
      'admin member.added member:olga',
      'admin team.created team:other',
    ]);
    expect(other.map((e) => e.team)).toEqual(['other', 'other', 'other']);
    activity.stop();
    teams.stop();
  });
});
