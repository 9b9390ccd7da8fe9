import { storeFromEnv, type EventStore } from '@mmreplay/event-store';
import { mmreplayUpcasters } from '@mmreplay/events';
import { ADMIN_COMMANDS, runAdminCommand, type AdminIo } from '@mmreplay/teams';

// `npm run admin -- <command>`: teams and tokens straight in the event store (MMREPLAY_STORE), with
// or without the server running (a running server sees the change at once). The same command set
// as `mmreplay admin` (@mmreplay/teams runAdminCommand).

export const ADMIN_USAGE = `usage: npm run admin -- <command> [--json]
${ADMIN_COMMANDS.map((c) => `  ${c}`).join('\n')}
the store is MMREPLAY_STORE (default sqlite:./data/mmreplay.db); --owner and --member default to MMREPLAY_ACTOR (or the login name)`;

export type { AdminIo };

export async function admin(
  argv: string[],
  io: AdminIo,
  openStore: () => Promise<EventStore> = () => storeFromEnv(process.env, { upcasters: mmreplayUpcasters() }),
): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    io.out(`${ADMIN_USAGE}\n`);
    return 0;
  }
  const me = process.env.MMREPLAY_ACTOR || process.env.USER || 'admin';
  return runAdminCommand(argv, io, { tool: 'npm run admin --', actor: `admin-script:${me}`, defaultMember: me, openStore });
}
