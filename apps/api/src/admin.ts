import { parseArgs } from 'node:util';
import { storeFromEnv, type EventStore } from '@mmreplay/event-store';
import { InvalidTeamRequestError, TeamConflictError, TeamObjectNotFoundError, TeamService, ROLES, type Role } from '@mmreplay/teams';

// `npm run admin -- <command>`: teams and tokens straight in the event store (MMREPLAY_STORE), with
// or without the server running (a running server sees the change at once).

export const ADMIN_USAGE = `usage: npm run admin -- <command> [--json]
  create-team <teamId> [--name NAME] [--owner MEMBER]   a team; with --owner, its first member (owner) and a token
  add-member <teamId> <member> [--role owner|member|viewer]
  create-token <teamId> <member> [--name NAME] [--role ROLE] [--expires ISO-8601 | 30d | 12h]
  revoke-token <teamId> <tokenId>
  list-teams
  list-tokens <teamId>
the store is MMREPLAY_STORE (default sqlite:./data/mmreplay.db)`;

export interface AdminIo {
  out(text: string): void;
  err(text: string): void;
}

class Usage extends Error {}

function expiry(text: string | undefined, now = Date.now()): string | undefined {
  if (text === undefined) return undefined;
  const m = /^(\d+)([dhm])$/.exec(text);
  if (!m) return text;
  const ms = { d: 86_400_000, h: 3_600_000, m: 60_000 }[m[2] as 'd' | 'h' | 'm'];
  return new Date(now + Number(m[1]) * ms).toISOString();
}

export async function admin(argv: string[], io: AdminIo, openStore: () => Promise<EventStore> = () => storeFromEnv()): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { name: { type: 'string' }, owner: { type: 'string' }, role: { type: 'string' }, expires: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean' } },
    });
  } catch (e) {
    io.err(`${(e as Error).message}\n${ADMIN_USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [command, ...args] = positionals;
  if (values.help || !command) {
    io.out(`${ADMIN_USAGE}\n`);
    return command || values.help ? 0 : 2;
  }
  const role = values.role as Role | undefined;
  if (role !== undefined && !ROLES.includes(role)) {
    io.err(`--role must be one of ${ROLES.join(', ')}\n`);
    return 2;
  }
  const need = (n: number) => {
    if (args.length !== n) throw new Usage(`${command} takes ${n} argument(s)`);
  };
  const by = { actor: `admin-script:${process.env.USER ?? 'unknown'}` };
  const store = await openStore();
  const teams = new TeamService(store);
  const print = (json: unknown, text: string) => io.out(values.json ? `${JSON.stringify(json, (_, v) => (typeof v === 'bigint' ? Number(v) : v), 2)}\n` : `${text}\n`);
  try {
    await teams.start();
    switch (command) {
      case 'create-team': {
        need(1);
        const { team, token } = await teams.createTeam({ teamId: args[0], name: values.name, owner: values.owner }, by);
        print(
          { team: { teamId: team.teamId, name: team.name }, token: token ? { ...token.info, token: token.token } : null },
          `created team ${team.teamId}` + (token ? `\nowner ${token.info.member}'s token (shown once, keep it):\n${token.token}` : ''),
        );
        return 0;
      }
      case 'add-member': {
        need(2);
        await teams.addMember(args[0], args[1], role ?? 'member', by);
        print({ teamId: args[0], member: args[1], role: role ?? 'member' }, `added ${args[1]} to ${args[0]} as ${role ?? 'member'}`);
        return 0;
      }
      case 'create-token': {
        need(2);
        const { token, info } = await teams.issueToken(args[0], { member: args[1], name: values.name, role, expiresAt: expiry(values.expires) }, by);
        print({ ...info, token }, `token ${info.tokenId} for ${info.member} (${info.role}${info.expiresAt ? `, expires ${info.expiresAt}` : ''}), shown once:\n${token}`);
        return 0;
      }
      case 'revoke-token': {
        need(2);
        const info = await teams.revokeToken(args[0], args[1], by);
        print(info, `revoked token ${info.tokenId} of ${info.member}`);
        return 0;
      }
      case 'list-teams': {
        need(0);
        const list = teams.teams().map((t) => ({ teamId: t.teamId, name: t.name, members: t.members.map((m) => `${m.member} (${m.role})`) }));
        print(list, list.map((t) => `${t.teamId}  ${t.name}  ${t.members.join(', ')}`).join('\n') || '(no team)');
        return 0;
      }
      case 'list-tokens': {
        need(1);
        const list = teams.tokens(args[0]);
        print(list, list.map((t) => `${t.tokenId}  ${t.member}  ${t.role}  ${t.name}${t.revokedAt ? '  revoked' : ''}${t.expiresAt ? `  expires ${t.expiresAt}` : ''}`).join('\n') || '(no token)');
        return 0;
      }
      default:
        throw new Usage(`unknown command '${command}'`);
    }
  } catch (e) {
    if (e instanceof Usage) {
      io.err(`${e.message}\n${ADMIN_USAGE}\n`);
      return 2;
    }
    if (e instanceof InvalidTeamRequestError || e instanceof TeamConflictError || e instanceof TeamObjectNotFoundError) {
      io.err(`${e.message}\n`);
      return 1;
    }
    throw e;
  } finally {
    teams.stop();
    await store.close();
  }
}
