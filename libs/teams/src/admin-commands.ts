import { parseArgs } from 'node:util';
import type { EventStore } from '@mmreplay/event-store';
import { InvalidTeamRequestError, TeamConflictError, TeamObjectNotFoundError } from './errors.js';
import { parseExpiry } from './expiry.js';
import { ROLES, type Role } from './team-events.js';
import { TeamService } from './team.service.js';
import type { TeamInfo } from './directory.js';

// The admin command set, one for both tools: `mmreplay admin <command>` and `npm run admin --
// <command>` take the same words and print the same things (teams and tokens straight in the store,
// with or without a server running; a running server sees the change at once).

/** Each command after the tool's own name (`mmreplay admin`, `npm run admin --`). */
export const ADMIN_COMMANDS = [
  "create-team <name> [--id TEAM-ID] [--owner MEMBER]      (prints the owner's token, once)",
  'add-member --team <id|name> <member> [--role viewer|member|owner]',
  'create-token --team <id|name> [--member M] [--role viewer|member|owner] [--name NAME] [--expires 30d|12h|ISO-8601]',
  'revoke-token --team <id|name> <tokenId>',
  'list-teams',
  'list-tokens --team <id|name>',
] as const;

export const ADMIN_OPTIONS = {
  team: { type: 'string' },
  id: { type: 'string' },
  owner: { type: 'string' },
  member: { type: 'string' },
  role: { type: 'string' },
  name: { type: 'string' },
  expires: { type: 'string' },
  json: { type: 'boolean' },
} as const;

export interface AdminIo {
  out(text: string): void;
  err(text: string): void;
}

export interface AdminContext {
  /** how the tool is called, for messages: `mmreplay admin`, `npm run admin --` */
  readonly tool: string;
  /** who acts, recorded on the events (`mmreplay-admin:alice`) */
  readonly actor: string;
  /** the member of --owner and --member when not given */
  readonly defaultMember: string;
  readonly openStore: () => Promise<EventStore>;
}

/** A team id from a name: lower case, dashes for anything else (`Kernel MM` -> `kernel-mm`). */
export const teamIdOf = (name: string): string =>
  name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);

class AdminUsage extends Error {}

function findTeam(teams: TeamService, ref: string | undefined, tool: string): TeamInfo {
  if (ref === undefined) throw new AdminUsage('--team <id|name> is required');
  const all = teams.teams();
  const t = all.find((x) => x.teamId === ref) ?? all.find((x) => x.name === ref) ?? all.find((x) => x.teamId === teamIdOf(ref));
  if (!t) throw new AdminUsage(`no team '${ref}' (${tool} list-teams lists them)`);
  return t;
}

/** Runs one admin command; returns the exit code (0 done, 2 bad input or a team error). */
export async function runAdminCommand(argv: readonly string[], io: AdminIo, ctx: AdminContext): Promise<number> {
  const usage = `usage:\n${ADMIN_COMMANDS.map((c) => `  ${ctx.tool} ${c}`).join('\n')}\n  (all with [--json]; --owner and --member default to ${ctx.defaultMember})\n`;
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], allowPositionals: true, options: ADMIN_OPTIONS });
  } catch (e) {
    io.err(`${ctx.tool}: ${(e as Error).message}\n${usage}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [sub, ...args] = positionals;
  const fail = (message: string) => {
    io.err(`${ctx.tool}: ${message}\n`);
    return 2;
  };
  if (!sub) return fail(`which command?\n${usage}`);
  const known = ADMIN_COMMANDS.map((c) => c.split(' ')[0]);
  if (!known.includes(sub)) return fail(`unknown admin command '${sub}'\n${usage}`);
  const role = values.role as Role | undefined;
  if (role !== undefined && !ROLES.includes(role)) return fail(`--role must be one of ${ROLES.join(', ')}`);
  const need = (n: number) => {
    if (args.length !== n) throw new AdminUsage(`usage: ${ctx.tool} ${ADMIN_COMMANDS.find((c) => c.startsWith(`${sub} `) || c === sub)}`);
  };
  const print = (json: unknown, text: string) => io.out(values.json ? `${JSON.stringify(json)}\n` : `${text}\n`);
  const by = { actor: ctx.actor };
  const store = await ctx.openStore();
  const teams = new TeamService(store);
  try {
    await teams.start();
    switch (sub) {
      case 'create-team': {
        need(1);
        const name = args[0];
        const teamId = values.id ?? teamIdOf(name);
        const owner = values.owner ?? ctx.defaultMember;
        const { team, token } = await teams.createTeam({ teamId, name, owner }, by);
        print(
          { team: { teamId: team.teamId, name: team.name }, token: token ? { ...token.info, token: token.token } : null },
          `created team ${team.teamId} (${team.name}) with owner ${owner}` +
            (token ? `\ntoken ${token.info.tokenId} for ${owner} (owner), shown once, keep it:\n${token.token}` : ''),
        );
        return 0;
      }
      case 'add-member': {
        need(1);
        const team = findTeam(teams, values.team, ctx.tool);
        await teams.addMember(team.teamId, args[0], role ?? 'member', by);
        print({ teamId: team.teamId, member: args[0], role: role ?? 'member' }, `added ${args[0]} to ${team.teamId} as ${role ?? 'member'}`);
        return 0;
      }
      case 'create-token': {
        need(0);
        const team = findTeam(teams, values.team, ctx.tool);
        const member = values.member ?? ctx.defaultMember;
        // A new member joins with the token's role (default member).
        if (!team.members.some((m) => m.member === member)) await teams.addMember(team.teamId, member, role ?? 'member', by);
        const { token, info } = await teams.issueToken(team.teamId, { member, name: values.name, role, expiresAt: parseExpiry(values.expires) }, by);
        print(
          { ...info, token },
          `token ${info.tokenId} for ${info.member} in ${info.teamId} (${info.role}${info.expiresAt ? `, expires ${info.expiresAt}` : ''}), shown once, keep it:\n${token}`,
        );
        return 0;
      }
      case 'revoke-token': {
        need(1);
        const team = findTeam(teams, values.team, ctx.tool);
        const info = await teams.revokeToken(team.teamId, args[0], by);
        print(info, `revoked token ${info.tokenId} of ${info.member} in ${info.teamId}`);
        return 0;
      }
      case 'list-teams': {
        need(0);
        const list = teams.teams().map((t) => ({ teamId: t.teamId, name: t.name, members: t.members.map((m) => ({ member: m.member, role: m.role })) }));
        print(list, list.map((t) => `${t.teamId}  ${t.name}  ${t.members.map((m) => `${m.member} (${m.role})`).join(', ')}`).join('\n') || '(no team)');
        return 0;
      }
      default: {
        need(0);
        const list = teams.tokens(findTeam(teams, values.team, ctx.tool).teamId);
        print(
          list,
          list
            .map((t) => `${t.tokenId}  ${t.member}  ${t.role}  ${t.name}${t.revokedAt ? '  revoked' : ''}${t.expiresAt ? `  expires ${t.expiresAt}` : ''}`)
            .join('\n') || '(no token)',
        );
        return 0;
      }
    }
  } catch (e) {
    if (e instanceof AdminUsage || e instanceof InvalidTeamRequestError || e instanceof TeamConflictError || e instanceof TeamObjectNotFoundError)
      return fail(e.message);
    throw e;
  } finally {
    teams.stop();
    await store.close();
  }
}
