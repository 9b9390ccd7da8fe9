import { InvalidParamsError, InvalidVariantError, UnknownScenarioError, VariantNotApplicableError } from '@mmreplay/model';
import { InvalidScheduleTokenError, ReplayDivergenceError } from '@mmreplay/engine';
import { EventStoreConfigError, StoreUnavailableError } from '@mmreplay/event-store';
import { InvalidPredicateError, ProjectionMismatchError, StepOutOfRangeError, UnknownObjectError } from '@mmreplay/projections';
import { InvalidQueryError, InvalidRunRequestError, RunConflictError, RunDivergedError, UnknownRunError } from '@mmreplay/runs';
import { UsageError, type Io } from './io.js';
import { scenariosCommand } from './scenarios.command.js';
import { RUN_USAGE, runCommand } from './run.command.js';
import { AUDIT_USAGE, auditCommand } from './audit.command.js';
import { RUNS_USAGE, runsCommand } from './runs.command.js';
import { EVENTS_USAGE, eventsCommand } from './events.command.js';
import { STATE_USAGE, stateCommand } from './state.command.js';
import { HISTORY_USAGE, historyCommand } from './history.command.js';
import { FIRST_USAGE, firstCommand } from './first.command.js';
import { DIFF_USAGE, diffCommand } from './diff.command.js';
import { TRACE_USAGE, traceCommand } from './trace.command.js';

export type { Io } from './io.js';

const USAGE = `mmreplay: simulate and audit the Linux page-migration locking protocol

  mmreplay scenarios [--json]
  ${RUN_USAGE}
  ${AUDIT_USAGE}

Recorded runs (on the store MMREPLAY_STORE names; default sqlite:./data/mmreplay.db):
  ${RUNS_USAGE}
  ${EVENTS_USAGE}
  ${STATE_USAGE}
  ${HISTORY_USAGE}
  ${FIRST_USAGE}
  ${DIFF_USAGE}
  ${TRACE_USAGE}
`;

const commands: Record<string, (argv: string[], io: Io) => number | Promise<number>> = {
  scenarios: scenariosCommand,
  run: runCommand,
  audit: (argv, io) => auditCommand(argv, io, process.stderr.isTTY === true),
  runs: runsCommand,
  events: eventsCommand,
  state: stateCommand,
  history: historyCommand,
  first: firstCommand,
  diff: diffCommand,
  trace: traceCommand,
};

/** Bad input the user can fix: a message and exit code 2, never a stack trace. */
const userErrors = [
  UsageError,
  UnknownScenarioError,
  InvalidParamsError,
  InvalidVariantError,
  VariantNotApplicableError,
  InvalidScheduleTokenError,
  ReplayDivergenceError,
  EventStoreConfigError,
  UnknownRunError,
  InvalidRunRequestError,
  RunConflictError,
  InvalidQueryError,
  InvalidPredicateError,
  StepOutOfRangeError,
  UnknownObjectError,
];
/** The store or the log is in a state the command cannot work with: a message and exit code 1. */
const operationalErrors = [StoreUnavailableError, RunDivergedError, ProjectionMismatchError];

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
    if (operationalErrors.some((k) => e instanceof k)) {
      io.err(`mmreplay ${name}: ${(e as Error).message}\n`);
      return 1;
    }
    throw e;
  }
}
