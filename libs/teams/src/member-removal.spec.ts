import { describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '@mmreplay/event-store';
import { TeamService } from './team.service.js';

const admin = { actor: 'admin' };

describe('removing a member (issue 12)', () => {
  it('revokes their tokens: adding them back does not bring an old token back, in this process or a restarted one', async () => {
    const store = new InMemoryEventStore();
    const teams = new TeamService(store);
    await teams.start();
    await teams.createTeam({ teamId: 'mm', owner: 'alice' }, admin);
    await teams.addMember('mm', 'bob', 'member', admin);
    const old = await teams.issueToken('mm', { member: 'bob' }, admin);
    expect(teams.authenticate(old.token)?.member).toBe('bob');
    await teams.removeMember('mm', 'bob', { actor: 'alice' });
    await teams.addMember('mm', 'bob', 'member', admin);
    expect(teams.authenticate(old.token)).toBeUndefined();
    expect(teams.tokens('mm').find((t) => t.tokenId === old.info.tokenId)).toMatchObject({ revokedBy: 'alice' });
    const fresh = await teams.issueToken('mm', { member: 'bob' }, admin);
    expect(teams.authenticate(fresh.token)?.member).toBe('bob');
    teams.stop();

    const restarted = new TeamService(store);
    await restarted.start();
    expect(restarted.authenticate(old.token)).toBeUndefined();
    expect(restarted.authenticate(fresh.token)?.member).toBe('bob');
    restarted.stop();
  });
});
