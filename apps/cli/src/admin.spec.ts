// `mmreplay admin`: teams and tokens straight in the store, through @mmreplay/teams; a token it
// prints authenticates, a revoked one does not.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '@mmreplay/event-store';
import { TeamService } from '@mmreplay/teams';
import { main } from './index.js';
import { teamIdOf } from './admin.command.js';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) }, {});
  return { code, out, err };
}

describe('mmreplay admin', () => {
  let dir: string;
  let file: string;
  const saved = { store: process.env.MMREPLAY_STORE, actor: process.env.MMREPLAY_ACTOR };

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-admin-'));
    file = join(dir, 'mmreplay.db');
    process.env.MMREPLAY_STORE = `sqlite:${file}`;
    process.env.MMREPLAY_ACTOR = 'alice';
  });
  afterAll(() => {
    for (const [k, v] of Object.entries({ MMREPLAY_STORE: saved.store, MMREPLAY_ACTOR: saved.actor })) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  /** Who a token is, as a server on the same store would see it. */
  async function whoIs(token: string) {
    const store = await SqliteEventStore.open(file);
    const teams = new TeamService(store);
    try {
      await teams.start();
      return teams.authenticate(token);
    } finally {
      teams.stop();
      await store.close();
    }
  }

  it('create-team prints the owner token once; create-token and revoke-token work by team id or name', async () => {
    const created = await cli('admin', 'create-team', 'Kernel MM');
    expect(created.code).toBe(0);
    expect(created.out).toMatch(/^created team kernel-mm \(Kernel MM\) with owner alice\n/);
    const owner = created.out.trim().split('\n').pop()!;
    expect(await whoIs(owner)).toMatchObject({ team: 'kernel-mm', member: 'alice', role: 'owner' });

    const issued = await cli('admin', 'create-token', '--team', 'Kernel MM', '--member', 'bob', '--role', 'viewer', '--expires', '30d', '--json');
    expect(issued.code).toBe(0);
    const t = JSON.parse(issued.out);
    expect(t).toMatchObject({ teamId: 'kernel-mm', member: 'bob', role: 'viewer' });
    expect(Date.parse(t.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect(await whoIs(t.token)).toMatchObject({ team: 'kernel-mm', member: 'bob', role: 'viewer' });

    const listed = JSON.parse((await cli('admin', 'list-tokens', '--team', 'kernel-mm', '--json')).out);
    expect(listed.map((x: { member: string }) => x.member).sort()).toEqual(['alice', 'bob']);
    expect(JSON.stringify(listed)).not.toContain(t.token);

    const revoked = await cli('admin', 'revoke-token', '--team', 'kernel-mm', t.tokenId);
    expect(revoked).toMatchObject({ code: 0, out: `revoked token ${t.tokenId} of bob in kernel-mm\n` });
    expect(await whoIs(t.token)).toBeUndefined();
    expect(JSON.parse((await cli('admin', 'list-teams', '--json')).out)).toEqual([
      {
        teamId: 'kernel-mm',
        name: 'Kernel MM',
        members: [
          { member: 'alice', role: 'owner' },
          { member: 'bob', role: 'viewer' },
        ],
      },
    ]);
  });

  it('add-member: the same command set as npm run admin (issue 14 item 9)', async () => {
    const added = await cli('admin', 'add-member', '--team', 'kernel-mm', 'carol', '--role', 'member');
    expect(added).toMatchObject({ code: 0, out: 'added carol to kernel-mm as member\n' });
    const teams = JSON.parse((await cli('admin', 'list-teams', '--json')).out);
    expect(teams[0].members).toContainEqual({ member: 'carol', role: 'member' });
    // npm run admin's own usage (apps/api, not a package export): read, not copied.
    // eslint-disable-next-line @nx/enforce-module-boundaries
    const { ADMIN_USAGE } = await import('../../api/src/admin.js');
    const npmWords = ADMIN_USAGE.split('\n')
      .slice(1, -1)
      .map((l: string) => l.trim());
    const help = (await cli('admin', '--help')).out;
    for (const words of npmWords) expect(help).toContain(`mmreplay admin ${words}`);
    expect(npmWords.map((w: string) => w.split(' ')[0])).toEqual(['create-team', 'add-member', 'create-token', 'revoke-token', 'list-teams', 'list-tokens']);
  });

  it('bad input: a message and exit code 2', async () => {
    expect(await cli('admin')).toMatchObject({ code: 2 });
    expect(await cli('admin', 'create-team', 'Kernel MM')).toMatchObject({ code: 2, err: expect.stringMatching(/^mmreplay admin: .*kernel-mm/) });
    expect(await cli('admin', 'create-token', '--team', 'nope')).toMatchObject({
      code: 2,
      err: "mmreplay admin: no team 'nope' (mmreplay admin list-teams lists them)\n",
    });
    expect(await cli('admin', 'create-token', '--team', 'kernel-mm', '--role', 'god')).toMatchObject({
      code: 2,
      err: expect.stringContaining('--role must be one of'),
    });
    expect(await cli('admin', 'create-token', '--team', 'kernel-mm', '--expires', 'yesterday')).toMatchObject({
      code: 2,
      err: expect.stringContaining('expiresAt'),
    });
    expect(await cli('admin', 'revoke-token', '--team', 'kernel-mm', 'tok_nope')).toMatchObject({ code: 2 });
    expect(await cli('--api', 'http://127.0.0.1:1', 'admin', 'list-teams')).toMatchObject({ code: 2, err: expect.stringContaining('not over --api') });
    expect(teamIdOf('  Kernel / MM  ')).toBe('kernel-mm');
  });
});
