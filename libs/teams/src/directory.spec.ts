// The teams read model as a pure fold: events a command would never write (for an unknown team,
// twice over, for another team's member) must not change it, nor crash it.
import { describe, expect, it } from 'vitest';
import type { RecordedEvent } from '@mmreplay/events';
import { TeamDirectory, roleAtLeast, weaker } from './directory.js';
import { actorOf, can } from './principal.js';

let position = 0n;
function ev(
  streamId: string,
  type: string,
  data: Record<string, unknown>,
  metadata: Record<string, unknown> = { recordedAt: `T${position + 1n}`, actor: 'adm' },
): RecordedEvent {
  position++;
  // `recordedAt` may be missing: the fold does not trust the metadata
  return { streamId, type, data, metadata: { schemaVersion: 1, ...metadata } as RecordedEvent['metadata'], revision: position, position, id: String(position) };
}

function fold(events: RecordedEvent[]): TeamDirectory {
  const d = new TeamDirectory();
  for (const e of events) d.apply(e);
  return d;
}

const later = new Date('2030-01-01T00:00:00.000Z');

describe('TeamDirectory', () => {
  it('records who and when from the metadata, "unknown" and "" when absent, and the stream revision', () => {
    const d = fold([
      ev('team-a', 'TeamCreated', { teamId: 'a', name: 'A' }, { recordedAt: 'when', actor: 'who' }),
      ev('team-a', 'MemberAdded', { teamId: 'a', member: 'm', role: 'member' }, {}),
    ]);
    expect(d.team('a')).toEqual({
      teamId: 'a',
      name: 'A',
      createdAt: 'when',
      createdBy: 'who',
      members: [{ member: 'm', role: 'member', addedAt: '', addedBy: 'unknown' }],
      revision: position,
    });
    expect(d.listTeams().map((t) => t.teamId)).toEqual(['a']);
  });

  it('a member added twice is listed once, with the first role; members of unknown teams are dropped', () => {
    const d = fold([
      ev('team-a', 'TeamCreated', { teamId: 'a', name: 'A' }),
      ev('team-a', 'MemberAdded', { teamId: 'a', member: 'x', role: 'owner' }),
      ev('team-a', 'MemberAdded', { teamId: 'a', member: 'y', role: 'viewer' }),
      ev('team-a', 'MemberAdded', { teamId: 'a', member: 'x', role: 'viewer' }),
      ev('team-z', 'MemberAdded', { teamId: 'z', member: 'x', role: 'owner' }),
      ev('team-z', 'MemberRemoved', { teamId: 'z', member: 'x' }),
    ]);
    expect(d.team('a')!.members.map((m) => `${m.member}:${m.role}`)).toEqual(['x:owner', 'y:viewer']);
    expect(d.team('z')).toBeUndefined();
  });

  it('removing a member removes only them, and revokes only their tokens in that team, once', () => {
    const issue = (team: string, tokenId: string, member: string) =>
      ev(`team-${team}`, 'TokenIssued', { teamId: team, tokenId, name: tokenId, member, role: 'member', hash: `h-${tokenId}`, expiresAt: null });
    const d = fold([
      ev('team-a', 'TeamCreated', { teamId: 'a', name: 'A' }),
      ev('team-b', 'TeamCreated', { teamId: 'b', name: 'B' }),
      ev('team-a', 'MemberAdded', { teamId: 'a', member: 'bob', role: 'member' }),
      ev('team-a', 'MemberAdded', { teamId: 'a', member: 'eve', role: 'member' }),
      ev('team-b', 'MemberAdded', { teamId: 'b', member: 'bob', role: 'member' }),
      issue('a', 'a-bob', 'bob'),
      issue('a', 'a-bob-old', 'bob'),
      issue('a', 'a-eve', 'eve'),
      issue('b', 'b-bob', 'bob'),
      ev('team-a', 'TokenRevoked', { teamId: 'a', tokenId: 'a-bob-old' }, { recordedAt: 'first', actor: 'first' }),
      ev('team-a', 'TokenRevoked', { teamId: 'a', tokenId: 'a-bob-old' }, { recordedAt: 'second', actor: 'second' }),
      ev('team-a', 'TokenRevoked', { teamId: 'a', tokenId: 'nope' }),
      ev('team-a', 'MemberRemoved', { teamId: 'a', member: 'bob' }, { recordedAt: 'gone', actor: 'remover' }),
    ]);
    expect(d.team('a')!.members.map((m) => m.member)).toEqual(['eve']);
    expect(d.team('b')!.members.map((m) => m.member)).toEqual(['bob']);
    expect(d.token('a-bob')).toMatchObject({ revokedAt: 'gone', revokedBy: 'remover' });
    expect(d.token('a-bob-old')).toMatchObject({ revokedAt: 'first', revokedBy: 'first' });
    expect(d.token('a-eve')).toMatchObject({ revokedAt: null, revokedBy: null });
    expect(d.token('b-bob')).toMatchObject({ revokedAt: null, revokedBy: null });
    expect(d.tokenByHash('h-b-bob', later)).toMatchObject({ teamId: 'b', member: 'bob' });
    expect(d.tokenByHash('h-a-eve', later)).toMatchObject({ teamId: 'a', member: 'eve' });
    expect(d.tokenByHash('h-a-bob', later)).toBeUndefined();
    expect(d.listTokens('b').map((t) => t.tokenId)).toEqual(['b-bob']);
    expect(d.listTokens('a').map((t) => t.tokenId)).toEqual(['a-bob', 'a-bob-old', 'a-eve']);
    expect(JSON.stringify(d.listTokens('a'))).not.toContain('h-a');
  });

  it('a token stops at its expiry instant, needs its member in a team that exists, and grants at most the member role', () => {
    const d = fold([
      ev('team-a', 'TeamCreated', { teamId: 'a', name: 'A' }),
      ev('team-a', 'MemberAdded', { teamId: 'a', member: 'owner', role: 'owner' }),
      ev('team-a', 'MemberAdded', { teamId: 'a', member: 'viewer', role: 'viewer' }),
      ev('team-a', 'TokenIssued', {
        teamId: 'a',
        tokenId: 'exp',
        name: 'n',
        member: 'owner',
        role: 'member',
        hash: 'h1',
        expiresAt: '2030-01-01T00:00:00.000Z',
      }),
      ev('team-a', 'TokenIssued', { teamId: 'a', tokenId: 'up', name: 'n', member: 'viewer', role: 'owner', hash: 'h2', expiresAt: null }),
      ev('team-a', 'TokenIssued', { teamId: 'a', tokenId: 'stranger', name: 'n', member: 'nobody', role: 'viewer', hash: 'h3', expiresAt: null }),
      ev('team-q', 'TokenIssued', { teamId: 'q', tokenId: 'orphan', name: 'n', member: 'owner', role: 'viewer', hash: 'h4', expiresAt: null }),
    ]);
    expect(d.tokenByHash('h1', new Date(later.getTime() - 1))?.role).toBe('member');
    expect(d.tokenByHash('h1', later)).toBeUndefined();
    expect(d.tokenByHash('h2', later)?.role).toBe('viewer');
    expect(d.tokenByHash('h3', later)).toBeUndefined();
    expect(d.tokenByHash('h4', later)).toBeUndefined();
    expect(d.tokenByHash('unknown', later)).toBeUndefined();
  });

  it('weaker and roleAtLeast order viewer < member < owner', () => {
    expect(weaker('owner', 'viewer')).toBe('viewer');
    expect(weaker('viewer', 'owner')).toBe('viewer');
    expect(weaker('member', 'owner')).toBe('member');
    expect(weaker('member', 'member')).toBe('member');
    expect(roleAtLeast('member', 'member')).toBe(true);
    expect(roleAtLeast('viewer', 'member')).toBe(false);
  });
});

describe('principals', () => {
  it('the admin manages and administers but neither reads nor writes team data; actorOf records member and token', () => {
    const a = { kind: 'admin' as const, team: null, member: 'admin', role: 'admin' as const, tokenId: 'admin' };
    expect((['read', 'write', 'manage', 'admin'] as const).map((p) => can(a, p))).toEqual([false, false, true, true]);
    const owner = { kind: 'member' as const, team: 'a', member: 'o', role: 'owner' as const, tokenId: 't1' };
    expect((['read', 'write', 'manage', 'admin'] as const).map((p) => can(owner, p))).toEqual([true, true, true, false]);
    expect(actorOf(owner)).toEqual({ actor: 'o', tokenId: 't1' });
  });
});
