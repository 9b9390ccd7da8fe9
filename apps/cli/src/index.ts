import { UsageError, type Io } from './io.js';
import { readFileSync } from 'node:fs';
import { didYouMean, DomainError } from '@mmreplay/model';
import { SCENARIOS_SPEC, scenariosCommand } from './scenarios.command.js';
import { RUN_SPEC, runCommand } from './run.command.js';
import { AUDIT_SPEC, auditCommand } from './audit.command.js';
import { HelpRequested, helpText } from './args.js';
import { EXIT, EXIT_OF_KIND } from './exit-codes.js';
import { ttyProgress } from './progress.js';
import { RUNS_SPEC, runsCommand } from './runs.command.js';
import { EVENTS_SPEC, eventsCommand } from './events.command.js';
import { STATE_SPEC, stateCommand } from './state.command.js';
import { HISTORY_SPEC, historyCommand } from './history.command.js';
import { FIRST_SPEC, firstCommand } from './first.command.js';
import { DIFF_SPEC, diffCommand } from './diff.command.js';
import { TRACE_SPEC, traceCommand } from './trace.command.js';
import { ADMIN_SPEC, adminCommand } from './admin.command.js';
import { COMPARE_SPEC, compareCommand } from './compare.command.js';
import type { CommandSpec } from './args.js';
import { LITMUS_SPEC, litmusCommand } from './litmus.command.js';
import { EXPORT_SPEC, IMPORT_SPEC, LINK_SPEC, exportCommand, importCommand, linkCommand } from './transfer.command.js';
import type { Backend, BackendProvider } from './backend/backend.js';
import { LocalBackend } from './backend/local-backend.js';
import { RemoteBackend } from './backend/remote-backend.js';
import { actor, team } from './store.js';

export type { Io } from './io.js';
export type { Backend, BackendProvider } from './backend/backend.js';
export { LocalBackend } from './backend/local-backend.js';
export { RemoteBackend, ApiRequestError, ApiUnavailableError } from './backend/remote-backend.js';

const SPECS: readonly CommandSpec[] = [
  SCENARIOS_SPEC,
  RUN_SPEC,
  AUDIT_SPEC,
  COMPARE_SPEC,
  LITMUS_SPEC,
  RUNS_SPEC,
  EVENTS_SPEC,
  STATE_SPEC,
  HISTORY_SPEC,
  FIRST_SPEC,
  DIFF_SPEC,
  TRACE_SPEC,
  EXPORT_SPEC,
  IMPORT_SPEC,
  LINK_SPEC,
  ADMIN_SPEC,
];
const spec = (name: string) => SPECS.find((s) => s.name === name)!;
const line = (name: string) => `  mmreplay ${name.padEnd(10)} ${spec(name).summary}`;

const USAGE = `mmreplay: simulate and audit the Linux page-migration locking protocol

usage: mmreplay [--api URL --token T] <command> [options]   (mmreplay <command> --help for its options)
       mmreplay --version

Models and verdicts:
${['scenarios', 'run', 'audit', 'compare', 'litmus'].map(line).join('\n')}

Recorded runs (on the store MMREPLAY_STORE names; default sqlite:./data/mmreplay.db):
${['runs', 'events', 'state', 'history', 'first', 'diff', 'trace', 'export', 'import', 'link'].map(line).join('\n')}

Teams and tokens (on the store MMREPLAY_STORE names, never over --api):
${line('admin')}

--api URL (or MMREPLAY_API) runs every command but admin against a server, with --token T (or
MMREPLAY_TOKEN). Exit codes: 0 done / holds, 1 violated, 2 bad input, 3 store or API unavailable,
125 inconclusive. docs/model.md explains the model: threads, objects, step labels, invariants.
`;

/** This mmreplay's version (the workspace's package.json). */
export function version(): string {
  for (const rel of ['../../../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(rel, import.meta.url), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'mmreplay' && pkg.version) return pkg.version;
    } catch {
      // not this layout
    }
  }
  return 'unknown';
}

type Command = (argv: string[], io: Io, withBackend: BackendProvider) => number | Promise<number>;

const commands: Record<string, Command> = {
  scenarios: scenariosCommand,
  run: (argv, io, withBackend) => runCommand(argv, io, withBackend, ttyProgress(process.stderr)),
  audit: (argv, io, withBackend) => auditCommand(argv, io, withBackend, ttyProgress(process.stderr)),
  runs: runsCommand,
  events: eventsCommand,
  state: stateCommand,
  history: historyCommand,
  first: firstCommand,
  diff: diffCommand,
  trace: traceCommand,
  admin: (argv, io) => adminCommand(argv, io),
  compare: (argv, io, withBackend) => compareCommand(argv, io, withBackend, ttyProgress(process.stderr)),
  litmus: litmusCommand,
  export: exportCommand,
  import: importCommand,
  // link needs only the target: set in main
  link: () => 0,
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

export async function main(argv: string[], io: Io, env: Record<string, string | undefined> = process.env): Promise<number> {
  let parsedGlobal;
  try {
    parsedGlobal = globalOptions(argv, env);
  } catch (e) {
    io.err(`mmreplay: ${(e as Error).message}\n`);
    return EXIT.badInput;
  }
  const { target } = parsedGlobal;
  const [name, ...rest] = parsedGlobal.rest;
  if (name === '--version' || name === '-V' || name === 'version') {
    io.out(`mmreplay ${version()}\n`);
    return EXIT.ok;
  }
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    // `help <command>` is that command's help
    const topic = name === 'help' ? rest[0] : undefined;
    if (topic && commands[topic]) {
      io.out(helpText(spec(topic)));
      return EXIT.ok;
    }
    if (topic) {
      io.err(`mmreplay: no command '${topic}'${didYouMean(topic, Object.keys(commands))}\n\n${USAGE}`);
      return EXIT.badInput;
    }
    (name ? io.out : io.err)(USAGE);
    return name ? EXIT.ok : EXIT.badInput;
  }
  const command = commands[name];
  if (!command) {
    io.err(`mmreplay: unknown command '${name}'${didYouMean(name, Object.keys(commands))}\n\n${USAGE}`);
    return EXIT.badInput;
  }
  try {
    // admin always works on the store; MMREPLAY_API in the environment does not get in its way.
    if (name === 'admin' && parsedGlobal.apiFlag)
      throw new UsageError("admin works on the store (MMREPLAY_STORE), not over --api: use the API's /teams endpoints with an owner or admin token");
    if (name === 'link') return linkCommand(rest, io, target);
    return await command(rest, io, backendProvider(target));
  } catch (e) {
    if (e instanceof HelpRequested) {
      io.out(helpText(e.spec));
      return EXIT.ok;
    }
    // A domain error is a message and the exit code of its kind, never a stack trace.
    if (e instanceof DomainError) {
      io.err(`mmreplay ${name}: ${e.message}\n`);
      return EXIT_OF_KIND[e.kind];
    }
    throw e;
  }
}
