import { DomainError } from '@mmreplay/model';
import { storeFromEnv, type EventStore } from '@mmreplay/event-store';
import { mmreplayUpcasters } from '@mmreplay/events';
import { ADMIN_COMMANDS, runAdminCommand, teamIdOf } from '@mmreplay/teams';
import { parseCommand, type CommandSpec } from './args.js';
import type { Io } from './io.js';
import { actor } from './store.js';

export const ADMIN_SPEC: CommandSpec = {
  name: 'admin',
  summary: 'Teams, members and API tokens, straight in the store (with or without a server running).',
  usage: ADMIN_COMMANDS.map((c) => `mmreplay admin ${c}`),
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
  details: `The same commands as npm run admin -- <command>. The store is MMREPLAY_STORE (default
sqlite:./data/mmreplay.db); --owner and --member default to MMREPLAY_ACTOR. A token is printed
once; only its hash is stored.`,
};

/** Team errors the admin can fix: exit code 2 (kept for callers that throw it). */
export class AdminError extends DomainError {
  readonly kind = 'invalid';
}

export { teamIdOf };

/**
 * `mmreplay admin ...`: teams and API tokens straight in the configured store (`MMREPLAY_STORE`),
 * the same command set as `npm run admin` (`@mmreplay/teams` runAdminCommand), with or without a
 * server running: a server on the same store sees the change at once.
 */
export async function adminCommand(
  argv: string[],
  io: Io,
  openStore: () => Promise<EventStore> = () => storeFromEnv(process.env, { upcasters: mmreplayUpcasters() }),
): Promise<number> {
  // --help and misspelt options first, as for every command
  parseCommand(ADMIN_SPEC, argv);
  return runAdminCommand(argv, io, { tool: 'mmreplay admin', actor: `mmreplay-admin:${actor()}`, defaultMember: actor(), openStore });
}
