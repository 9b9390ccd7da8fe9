import { InvalidParamsError, InvalidVariantError, UnknownScenarioError, VariantNotApplicableError } from '@mmreplay/model';
import { InvalidScheduleTokenError, ReplayDivergenceError } from '@mmreplay/engine';
import { UsageError, type Io } from './io.js';
import { scenariosCommand } from './scenarios.command.js';
import { RUN_USAGE, runCommand } from './run.command.js';
import { AUDIT_USAGE, auditCommand } from './audit.command.js';

export type { Io } from './io.js';

const USAGE = `mmreplay: simulate and audit the Linux page-migration locking protocol

  mmreplay scenarios [--json]
  ${RUN_USAGE}
  ${AUDIT_USAGE}
`;

const commands: Record<string, (argv: string[], io: Io) => number | Promise<number>> = {
  scenarios: scenariosCommand,
  run: runCommand,
  audit: (argv, io) => auditCommand(argv, io, process.stderr.isTTY === true),
};

/** Bad input the user can fix: a message and exit code 2, never a stack trace. */
const userErrors = [UsageError, UnknownScenarioError, InvalidParamsError, InvalidVariantError, VariantNotApplicableError, InvalidScheduleTokenError, ReplayDivergenceError];

export async function main(argv: string[], io: Io): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(USAGE);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.err(`mmreplay: unknown command '${name}'\n\n${USAGE}`);
    return 2;
  }
  try {
    return await command(rest, io);
  } catch (e) {
    if (userErrors.some((k) => e instanceof k)) {
      io.err(`mmreplay ${name}: ${(e as Error).message}\n`);
      return 2;
    }
    throw e;
  }
}
