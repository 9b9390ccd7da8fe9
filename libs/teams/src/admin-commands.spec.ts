// The admin command set on an in-memory store: every command's text and JSON output, the usage
// and error messages word for word, and exit codes (apps/cli's admin.spec runs it over SQLite).
import { describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '@mmreplay/event-store';
import { ADMIN_COMMANDS, runAdminCommand, teamIdOf, type AdminContext } from './admin-commands.js';
import { TeamService } from './team.service.js';

function harness() {
  const store = new InMemoryEventStore();
  let closed = 0;
  // The command closes the store it opened; the shared one stays open for the checks below.
  const ctx: AdminContext = {
    tool: 'mm admin',
    actor: 'tool:alice',
    defaultMember: 'alice',
    openStore: async () => Object.assign(Object.create(store) as InMemoryEventStore, { close: async () => void closed++ }),
  };
  async function run(...argv: string[]) {
    let out = '';
    let err = '';
    const code = await runAdminCommand(argv, { out: (s) => (out += s), err: (s) => (err += s) }, ctx);
    return { code, out, err };
  }
  async function service() {
    const teams = new TeamService(store);
    await teams.start();
    return teams;
  }
  return { store, run, service, closed: () => closed };
}

const usage = `usage:\n${ADMIN_COMMANDS.map((c) => `  mm admin ${c}`).join('\n')}\n  (all with [--json]; --owner and --member default to alice)\n`;

describe('runAdminCommand', () => {
  it('create-team: id from the name, owner by default the tool user, the token printed once; --id and --owner win', async () => {
    const h = harness();
    const created = await h.run('create-team', 'Kernel MM');
    expect(created.code).toBe(0);
    expect(created.err).toBe('');
    const lines = created.out.split('\n');
    expect(lines[0]).toBe('created team kernel-mm (Kernel MM) with owner alice');
    expect(lines[1]).toMatch(/^token [0-9a-f]{16} for alice \(owner\), shown once, keep it:$/);
    expect(lines[2]).toMatch(/^mmr_[0-9a-f]{16}_/);
    expect(lines[3]).toBe('');
    expect(lines).toHaveLength(4);
    expect(h.closed()).toBe(1);
    const teams = await h.service();
    expect(teams.authenticate(lines[2])).toMatchObject({ team: 'kernel-mm', member: 'alice', role: 'owner' });
    expect(teams.team('kernel-mm')).toMatchObject({ createdBy: 'tool:alice' });

    const json = await h.run('create-team', 'Other', '--id', 'oth', '--owner', 'olga', '--json');
    expect(json.code).toBe(0);
    const parsed = JSON.parse(json.out);
    expect(json.out.endsWith('}\n')).toBe(true);
    expect(parsed.team).toEqual({ teamId: 'oth', name: 'Other' });
    expect(parsed.token).toMatchObject({ teamId: 'oth', member: 'olga', role: 'owner', name: 'olga (first token)' });
    expect(teams.authenticate(parsed.token.token)).toMatchObject({ team: 'oth', member: 'olga' });
    teams.stop();
  });

  it('add-member: default role member, --role given, found by id, name or the id of a name', async () => {
    const h = harness();
    await h.run('create-team', 'Kernel MM');
    expect(await h.run('add-member', '--team', 'kernel-mm', 'bob')).toEqual({ code: 0, out: 'added bob to kernel-mm as member\n', err: '' });
    expect(await h.run('add-member', '--team', 'Kernel MM', 'carol', '--role', 'viewer')).toEqual({
      code: 0,
      out: 'added carol to kernel-mm as viewer\n',
      err: '',
    });
    expect(await h.run('add-member', '--team', 'KERNEL mm', 'dave', '--json')).toEqual({
      code: 0,
      out: '{"teamId":"kernel-mm","member":"dave","role":"member"}\n',
      err: '',
    });
    const teams = await h.service();
    expect(teams.team('kernel-mm').members.map((m) => `${m.member}:${m.role}:${m.addedBy}`)).toEqual([
      'alice:owner:tool:alice',
      'bob:member:tool:alice',
      'carol:viewer:tool:alice',
      'dave:member:tool:alice',
    ]);
    teams.stop();
  });

  it('finds a team by id before name before the id of a name', async () => {
    const h = harness();
    // Team `b` is named `a`; team `a` exists too: `--team a` is team a, by id.
    await h.run('create-team', 'a', '--id', 'aa');
    await h.run('create-team', 'aa', '--id', 'bb');
    await h.run('create-team', 'x y', '--id', 'x-y');
    expect((await h.run('add-member', '--team', 'aa', 'bob')).out).toBe('added bob to aa as member\n');
    expect((await h.run('add-member', '--team', 'a', 'carol')).out).toBe('added carol to aa as member\n');
    expect((await h.run('add-member', '--team', 'X Y', 'bob')).out).toBe('added bob to x-y as member\n');
  });

  it('create-token: a new member joins with the token role; text names role and expiry; JSON holds the token', async () => {
    const h = harness();
    await h.run('create-team', 'Kernel MM');
    const viewer = await h.run('create-token', '--team', 'kernel-mm', '--member', 'bob', '--role', 'viewer', '--name', 'ci', '--expires', '2h');
    expect(viewer.code).toBe(0);
    const [head, token, end] = viewer.out.split('\n');
    expect(head).toMatch(/^token [0-9a-f]{16} for bob in kernel-mm \(viewer, expires \d{4}-\d\d-\d\dT[\d:.]+Z\), shown once, keep it:$/);
    expect(end).toBe('');
    const expires = Date.parse(/expires (\S+)\)/.exec(head)![1]);
    expect(Math.abs(expires - Date.now() - 2 * 3_600_000)).toBeLessThan(60_000);
    const teams = await h.service();
    expect(teams.authenticate(token)).toMatchObject({ member: 'bob', role: 'viewer' });
    expect(teams.team('kernel-mm').members.find((m) => m.member === 'bob')?.role).toBe('viewer');
    expect(teams.tokens('kernel-mm').find((t) => t.member === 'bob')?.name).toBe('ci');

    // The default member (alice, already the owner) gets a token of her own role; no expiry named.
    const own = await h.run('create-token', '--team', 'kernel-mm');
    expect(own.out).toMatch(/^token [0-9a-f]{16} for alice in kernel-mm \(owner\), shown once, keep it:\nmmr_/);
    // A member who is new and given no role joins as a member.
    const json = JSON.parse((await h.run('create-token', '--team', 'kernel-mm', '--member', 'carl', '--json')).out);
    expect(json).toMatchObject({ member: 'carl', role: 'member', name: 'carl', expiresAt: null });
    expect(teams.authenticate(json.token)).toMatchObject({ member: 'carl', role: 'member' });
    expect(teams.team('kernel-mm').members.map((m) => m.member)).toEqual(['alice', 'bob', 'carl']);
    teams.stop();
  });

  it('revoke-token, list-tokens and list-teams, as text and JSON', async () => {
    const h = harness();
    expect(await h.run('list-teams')).toEqual({ code: 0, out: '(no team)\n', err: '' });
    await h.run('create-team', 'Kernel MM');
    await h.run('add-member', '--team', 'kernel-mm', 'bob', '--role', 'viewer');
    const t = JSON.parse((await h.run('create-token', '--team', 'kernel-mm', '--member', 'bob', '--expires', '2040-01-01T00:00:00Z', '--json')).out);
    expect(await h.run('revoke-token', '--team', 'kernel-mm', t.tokenId)).toEqual({
      code: 0,
      out: `revoked token ${t.tokenId} of bob in kernel-mm\n`,
      err: '',
    });
    const revokedJson = JSON.parse((await h.run('revoke-token', '--team', 'kernel-mm', t.tokenId, '--json')).out);
    expect(revokedJson).toMatchObject({ tokenId: t.tokenId, revokedBy: 'tool:alice' });

    const tokens = (await h.run('list-tokens', '--team', 'kernel-mm')).out.split('\n');
    expect(tokens).toHaveLength(3);
    expect(tokens[0]).toMatch(/^[0-9a-f]{16} {2}alice {2}owner {2}alice \(first token\)$/);
    expect(tokens[1]).toBe(`${t.tokenId}  bob  viewer  bob  revoked  expires 2040-01-01T00:00:00.000Z`);
    const listed = JSON.parse((await h.run('list-tokens', '--team', 'kernel-mm', '--json')).out);
    expect(listed.map((x: { member: string; revokedAt: string | null }) => [x.member, x.revokedAt !== null])).toEqual([
      ['alice', false],
      ['bob', true],
    ]);

    await h.run('create-team', 'Empty', '--owner', 'olga');
    expect((await h.run('list-teams')).out).toBe('kernel-mm  Kernel MM  alice (owner), bob (viewer)\nempty  Empty  olga (owner)\n');
    expect(JSON.parse((await h.run('list-teams', '--json')).out)).toEqual([
      {
        teamId: 'kernel-mm',
        name: 'Kernel MM',
        members: [
          { member: 'alice', role: 'owner' },
          { member: 'bob', role: 'viewer' },
        ],
      },
      { teamId: 'empty', name: 'Empty', members: [{ member: 'olga', role: 'owner' }] },
    ]);
  });

  it('list-tokens of a team without tokens', async () => {
    const h = harness();
    const teams = await h.service();
    await teams.createTeam({ teamId: 'bare' }, { actor: 'x' });
    expect(await h.run('list-tokens', '--team', 'bare')).toEqual({ code: 0, out: '(no token)\n', err: '' });
    teams.stop();
  });

  it('bad input: exit code 2 and a message, word for word; the store is closed every time it was opened', async () => {
    const h = harness();
    expect(await h.run()).toEqual({ code: 2, out: '', err: `mm admin: which command?\n${usage}\n` });
    expect(await h.run('frobnicate')).toEqual({ code: 2, out: '', err: `mm admin: unknown admin command 'frobnicate'\n${usage}\n` });
    const badOption = await h.run('list-teams', '--colour');
    expect(badOption.code).toBe(2);
    expect(badOption.err).toMatch(/^mm admin: .*--colour.*\nusage:\n/s);
    expect(badOption.err.endsWith(usage)).toBe(true);
    expect(await h.run('add-member', '--team', 'x', 'bob', '--role', 'god')).toEqual({
      code: 2,
      out: '',
      err: 'mm admin: --role must be one of owner, member, viewer\n',
    });
    expect(h.closed()).toBe(0);

    expect(await h.run('create-team')).toEqual({
      code: 2,
      out: '',
      err: "mm admin: usage: mm admin create-team <name> [--id TEAM-ID] [--owner MEMBER]      (prints the owner's token, once)\n",
    });
    expect(await h.run('list-teams', 'extra')).toEqual({ code: 2, out: '', err: 'mm admin: usage: mm admin list-teams\n' });
    expect(await h.run('add-member', 'bob')).toEqual({ code: 2, out: '', err: 'mm admin: --team <id|name> is required\n' });
    expect(await h.run('list-tokens', '--team', 'nope')).toEqual({ code: 2, out: '', err: "mm admin: no team 'nope' (mm admin list-teams lists them)\n" });
    expect(await h.run('create-team', 'Bad', '--id', 'B A D')).toMatchObject({ code: 2, err: expect.stringMatching(/^mm admin: .*lower-case/) });
    await h.run('create-team', 'Kernel MM');
    expect(await h.run('create-team', 'Kernel MM')).toEqual({ code: 2, out: '', err: "mm admin: team 'kernel-mm' already exists\n" });
    expect(await h.run('revoke-token', '--team', 'kernel-mm', 'nope')).toEqual({ code: 2, out: '', err: "mm admin: no token 'nope'\n" });
    expect(h.closed()).toBe(8);
  });

  it('an error that is not bad input is thrown, and the store still closed', async () => {
    const h = harness();
    const broken = new Error('disk on fire');
    const ctx: AdminContext = {
      tool: 't',
      actor: 'a',
      defaultMember: 'alice',
      openStore: async () =>
        Object.assign(Object.create(h.store) as InMemoryEventStore, {
          appendToStream: async () => {
            throw broken;
          },
          close: async () => void closedHere++,
        }),
    };
    let closedHere = 0;
    await expect(runAdminCommand(['create-team', 'x y'], { out: () => {}, err: () => {} }, ctx)).rejects.toBe(broken);
    expect(closedHere).toBe(1);
  });
});

describe('teamIdOf', () => {
  it('lower case, runs of anything else one dash, none at the ends, at most 40 characters', () => {
    expect(teamIdOf('  Kernel / MM  ')).toBe('kernel-mm');
    expect(teamIdOf('--a__b--')).toBe('a-b');
    expect(teamIdOf('x'.repeat(50))).toBe('x'.repeat(40));
  });
});
