import { storeFromEnv, type EventStore } from '@mmreplay/event-store';
import { mmreplayUpcasters } from '@mmreplay/events';
import { InvalidTeamRequestError, parseExpiry, ROLES, TeamConflictError, TeamObjectNotFoundError, TeamService, type Role, type TeamInfo } from '@mmreplay/teams';
import { opt, parseCommand, usageLine, type CommandSpec } from './args.js';
import { UsageError, type Io } from './io.js';
import { actor } from './store.js';

export const ADMIN_SPEC: CommandSpec = {
  name: 'admin',
  summary: 'Teams, members and API tokens, straight in the store (with or without a server running).',
  usage: [
    "mmreplay admin create-team <name> [--id TEAM-ID] [--owner MEMBER]   (prints the owner's token, once)",
    'mmreplay admin create-token --team <id|name> [--member M] [--role viewer|member|owner] [--name NAME] [--expires 30d|12h|ISO-8601]',
    'mmreplay admin revoke-token --team <id|name> <tokenId>',
    'mmreplay admin list-teams | list-tokens --team <id|name>      (all with [--json]; --member defaults to MMREPLAY_ACTOR)',
  ],
  options: {
    team: { type: 'string', arg: 'ID|NAME', help: 'the team (its id or its name)' },
    id: { type: 'string', arg: 'TEAM-ID', help: 'create-team: the id (default: from the name)' },
    owner: { type: 'string', arg: 'MEMBER', help: "create-team: the first member, an owner (default MMREPLAY_ACTOR); prints the owner's token" },
    member: { type: 'string', arg: 'M', help: 'create-token: whose token (default MMREPLAY_ACTOR)' },
    role: { type: 'string', arg: 'ROLE', help: 'viewer, member or owner' },
    name: { type: 'string', arg: 'NAME', help: "create-token: the token's name" },
    expires: { type: 'string', arg: 'WHEN', help: '30d, 12h or an ISO-8601 time' },
    json: { type: 'boolean', help: 'the result as JSON' },
  },
  details: 'The store is MMREPLAY_STORE (default sqlite:./data/mmreplay.db). A token is printed once; only its hash is stored.',
};
const ADMIN_USAGE = usageLine(ADMIN_SPEC);

/** Team errors the admin can fix: exit code 2. */
export class AdminError extends Error {}

/** A team id from a name: lower case, dashes for anything else (`Kernel MM` -> `kernel-mm`). */
export const teamIdOf = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);

function findTeam(teams: TeamService, ref: string | undefined): TeamInfo {
  if (ref === undefined) throw new UsageError('--team <id|name> is required');
  const all = teams.teams();
  const t = all.find((x) => x.teamId === ref) ?? all.find((x) => x.name === ref) ?? all.find((x) => x.teamId === teamIdOf(ref));
  if (!t) throw new AdminError(`no team '${ref}' (mmreplay admin list-teams lists them)`);
  return t;
}

/**
 * `mmreplay admin ...`: teams and API tokens straight in the configured store (`MMREPLAY_STORE`),
 * through `@mmreplay/teams` (as `npm run admin` does), with or without a server running: a server
 * on the same store sees the change at once. A token is printed once; only its hash is stored.
 */
export async function adminCommand(argv: string[], io: Io, openStore: () => Promise<EventStore> = () => storeFromEnv(process.env, { upcasters: mmreplayUpcasters() })): Promise<number> {
  const { values: v, positionals } = parseCommand(ADMIN_SPEC, argv);
  const values = {
    team: opt.string(v.team),
    id: opt.string(v.id),
    owner: opt.string(v.owner),
    member: opt.string(v.member),
    role: opt.string(v.role),
    name: opt.string(v.name),
    expires: opt.string(v.expires),
    json: opt.flag(v.json),
  };
  const [sub, ...args] = positionals;
  if (!sub) throw new UsageError(`usage: ${ADMIN_USAGE}`);
  const role = values.role as Role | undefined;
  if (role !== undefined && !ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
  const need = (n: number, what: string) => {
    if (args.length !== n) throw new UsageError(`usage: mmreplay admin ${sub} ${what}`);
  };
  const known = ['create-team', 'create-token', 'revoke-token', 'list-teams', 'list-tokens'];
  if (!known.includes(sub)) throw new UsageError(`unknown admin command '${sub}'\nusage: ${ADMIN_USAGE}`);
  const print = (json: unknown, text: string) => io.out(values.json ? `${JSON.stringify(json)}\n` : `${text}\n`);
  const by = { actor: `mmreplay-admin:${actor()}` };
  const store = await openStore();
  const teams = new TeamService(store);
  try {
    await teams.start();
    switch (sub) {
      case 'create-team': {
        need(1, '<name>');
        const name = args[0];
        const teamId = values.id ?? teamIdOf(name);
        const owner = values.owner ?? actor();
        const { team, token } = await teams.createTeam({ teamId, name, owner }, by);
        print(
          { team: { teamId: team.teamId, name: team.name }, token: token ? { ...token.info, token: token.token } : null },
          `created team ${team.teamId} (${team.name}) with owner ${owner}` + (token ? `\ntoken ${token.info.tokenId} for ${owner} (owner), shown once, keep it:\n${token.token}` : ''),
        );
        return 0;
      }
      case 'create-token': {
        need(0, '--team <id|name> [--member M] [--role ROLE] [--expires 30d]');
        const team = findTeam(teams, values.team);
        const member = values.member ?? actor();
        // A new member joins with the token's role (default member).
        if (!team.members.some((m) => m.member === member)) await teams.addMember(team.teamId, member, role ?? 'member', by);
        const { token, info } = await teams.issueToken(team.teamId, { member, name: values.name, role, expiresAt: parseExpiry(values.expires) }, by);
        print({ ...info, token }, `token ${info.tokenId} for ${info.member} in ${info.teamId} (${info.role}${info.expiresAt ? `, expires ${info.expiresAt}` : ''}), shown once, keep it:\n${token}`);
        return 0;
      }
      case 'revoke-token': {
        need(1, '--team <id|name> <tokenId>');
        const team = findTeam(teams, values.team);
        const info = await teams.revokeToken(team.teamId, args[0], by);
        print(info, `revoked token ${info.tokenId} of ${info.member} in ${info.teamId}`);
        return 0;
      }
      case 'list-teams': {
        need(0, '');
        const list = teams.teams().map((t) => ({ teamId: t.teamId, name: t.name, members: t.members.map((m) => ({ member: m.member, role: m.role })) }));
        print(list, list.map((t) => `${t.teamId}  ${t.name}  ${t.members.map((m) => `${m.member} (${m.role})`).join(', ')}`).join('\n') || '(no team)');
        return 0;
      }
      default: {
        need(0, '--team <id|name>');
        const list = teams.tokens(findTeam(teams, values.team).teamId);
        print(list, list.map((t) => `${t.tokenId}  ${t.member}  ${t.role}  ${t.name}${t.revokedAt ? '  revoked' : ''}${t.expiresAt ? `  expires ${t.expiresAt}` : ''}`).join('\n') || '(no token)');
        return 0;
      }
    }
  } catch (e) {
    if (e instanceof InvalidTeamRequestError || e instanceof TeamConflictError || e instanceof TeamObjectNotFoundError) throw new AdminError(e.message);
    throw e;
  } finally {
    teams.stop();
    await store.close();
  }
}
