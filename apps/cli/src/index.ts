import { InvalidParamsError, InvalidVariantError, UnknownScenarioError, VariantNotApplicableError } from '@mmreplay/model';
import { InvalidScheduleTokenError, ReplayDivergenceError } from '@mmreplay/engine';
import { EventStoreConfigError, StoreUnavailableError } from '@mmreplay/event-store';
import { InvalidPredicateError, ProjectionMismatchError, StepOutOfRangeError, UnknownObjectError } from '@mmreplay/projections';
import { InvalidQueryError, InvalidRunRequestError, RunConflictError, RunDivergedError, UnknownRunError } from '@mmreplay/runs';
import { UsageError, type Io } from './io.js';
import { scenariosCommand } from './scenarios.command.js';
import { RUN_USAGE, runCommand } from './run.command.js';
import { AUDIT_USAGE, auditCommand } from './audit.command.js';
import { CATALOGUE_USAGE, catalogueCommand } from './catalogue.command.js';
import { RUNS_USAGE, runsCommand } from './runs.command.js';
import { EVENTS_USAGE, eventsCommand } from './events.command.js';
import { STATE_USAGE, stateCommand } from './state.command.js';
import { HISTORY_USAGE, historyCommand } from './history.command.js';
import { FIRST_USAGE, firstCommand } from './first.command.js';
import { DIFF_USAGE, diffCommand } from './diff.command.js';
import { TRACE_USAGE, traceCommand } from './trace.command.js';
import { ADMIN_USAGE, AdminError, adminCommand } from './admin.command.js';
import type { Backend, BackendProvider } from './backend/backend.js';
import { LocalBackend } from './backend/local-backend.js';
import { ApiRequestError, ApiUnavailableError, RemoteBackend } from './backend/remote-backend.js';
import { actor, team } from './store.js';

export type { Io } from './io.js';
export type { Backend, BackendProvider } from './backend/backend.js';
export { LocalBackend } from './backend/local-backend.js';
export { RemoteBackend, ApiRequestError, ApiUnavailableError } from './backend/remote-backend.js';

const USAGE = `mmreplay: simulate and audit the Linux page-migration locking protocol

  mmreplay [--api URL --token T] <command> ...   (every command but admin against a server instead of
                                                 the embedded store; also MMREPLAY_API, MMREPLAY_TOKEN)
  mmreplay scenarios [--json]
  ${RUN_USAGE}
  ${AUDIT_USAGE}
  ${CATALOGUE_USAGE}

Recorded runs (on the store MMREPLAY_STORE names; default sqlite:./data/mmreplay.db):
  ${RUNS_USAGE}
  ${EVENTS_USAGE}
  ${STATE_USAGE}
  ${HISTORY_USAGE}
  ${FIRST_USAGE}
  ${DIFF_USAGE}
  ${TRACE_USAGE}

Teams and tokens (on the store MMREPLAY_STORE names, never over --api):
  ${ADMIN_USAGE}
`;

type Command = (argv: string[], io: Io, withBackend: BackendProvider) => number | Promise<number>;

const commands: Record<string, Command> = {
  scenarios: scenariosCommand,
  run: runCommand,
  audit: (argv, io, withBackend) =>
    argv.includes('--catalogue') ? catalogueCommand(argv, io, withBackend) : auditCommand(argv, io, withBackend, process.stderr.isTTY === true),
  runs: runsCommand,
  events: eventsCommand,
  state: stateCommand,
  history: historyCommand,
  first: firstCommand,
  diff: diffCommand,
  trace: traceCommand,
  admin: (argv, io) => adminCommand(argv, io),
};

/** Where commands run: `--api URL` / `MMREPLAY_API` (a server), else the embedded store. */
export interface Target {
  api?: string;
  token?: string;
}

/** `--api URL`, `--token T` (also `--api=URL`) before the command; the environment fills what is not given. */
export function globalOptions(argv: string[], env: Record<string, string | undefined> = process.env): { target: Target; rest: string[]; apiFlag: boolean } {
  const target: Target = { api: env['MMREPLAY_API'] || undefined, token: env['MMREPLAY_TOKEN'] || undefined };
  let i = 0;
  for (; i < argv.length; i++) {
    const m = /^--(api|token)(?:=(.*))?$/.exec(argv[i]);
    if (!m) break;
    const value = m[2] ?? argv[++i];
    if (value === undefined || value === '') throw new UsageError(`--${m[1]} needs a value`);
    target[m[1] as 'api' | 'token'] = value;
  }
  if (target.api !== undefined && !/^https?:\/\/[^/]/.test(target.api)) throw new UsageError(`--api must be an http(s) URL, got '${target.api}'`);
  return { target, rest: argv.slice(i), apiFlag: argv.slice(0, i).some((a) => a.startsWith('--api')) };
}

/** A backend per command: remote over `target.api`, else local over the store. */
export function backendProvider(target: Target): BackendProvider {
  const open = (): Backend => (target.api ? new RemoteBackend(target.api, target.token) : new LocalBackend({ actor: actor(), team: team() }));
  return async (use) => {
    const backend = open();
    try {
      return await use(backend);
    } finally {
      await backend.close();
    }
  };
}

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
  ApiRequestError,
  AdminError,
];
/** The store or the log is in a state the command cannot work with: a message and exit code 1. */
const operationalErrors = [StoreUnavailableError, RunDivergedError, ProjectionMismatchError, ApiUnavailableError];

export async function main(argv: string[], io: Io, env: Record<string, string | undefined> = process.env): Promise<number> {
  let parsedGlobal;
  try {
    parsedGlobal = globalOptions(argv, env);
  } catch (e) {
    io.err(`mmreplay: ${(e as Error).message}\n`);
    return 2;
  }
  const { target } = parsedGlobal;
  const [name, ...rest] = parsedGlobal.rest;
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
    // admin always works on the store; MMREPLAY_API in the environment does not get in its way.
    if (name === 'admin' && parsedGlobal.apiFlag) throw new UsageError('admin works on the store (MMREPLAY_STORE), not over --api: use the API\'s /teams endpoints with an owner or admin token');
    return await command(rest, io, backendProvider(target));
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
