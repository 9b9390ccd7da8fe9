import { readFileSync } from 'node:fs';
import { parseCommand, usageLine, type CommandSpec } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';
import type { Target } from './index.js';

export const EXPORT_SPEC: CommandSpec = {
  name: 'export',
  summary: "A run's events as they are stored, one JSON object a line, so it can travel by mail.",
  usage: ['mmreplay export <run> > run.ndjson'],
  options: {},
  details:
    'mmreplay import run.ndjson stores it again elsewhere, after checking it by re-simulation. With --api, the server streams the run (GET /runs/{id}/export).',
};

export const IMPORT_SPEC: CommandSpec = {
  name: 'import',
  summary: 'Store a run exported with mmreplay export, after re-simulating it and checking every event.',
  usage: ['mmreplay import <run.ndjson>'],
  options: {},
  details: `The run keeps its id, author and team. A file that was changed, or a run already on the store, is refused (exit 2).
With --api, the server checks and stores it (POST /runs/import) under a new id in your token's team, and prints that id.`,
};

export const LINK_SPEC: CommandSpec = {
  name: 'link',
  summary: "The API address of a run, for a teammate (needs --api URL or MMREPLAY_API: your team's server).",
  usage: ['mmreplay link <run>      (with --api URL or MMREPLAY_API before the command)'],
  options: {},
};

export async function exportCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { positionals } = parseCommand(EXPORT_SPEC, argv);
  if (positionals.length !== 1) throw new UsageError(`usage: ${usageLine(EXPORT_SPEC)}`);
  await withBackend(async (backend) => {
    for await (const line of backend.exportRun(positionals[0])) io.out(line);
  });
  return 0;
}

export async function importCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { positionals } = parseCommand(IMPORT_SPEC, argv);
  if (positionals.length !== 1) throw new UsageError(`usage: ${usageLine(IMPORT_SPEC)}`);
  let text: string;
  try {
    text = readFileSync(positionals[0], 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${positionals[0]}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
  const r = await withBackend((backend) => backend.importRun(text, positionals[0]));
  io.out(`imported run ${r.runId}: ${r.events} events, checked by re-simulation (mmreplay trace ${r.runId})\n`);
  return 0;
}

export function linkCommand(argv: string[], io: Io, target: Target): number {
  const { positionals } = parseCommand(LINK_SPEC, argv);
  if (positionals.length !== 1) throw new UsageError(`usage: ${usageLine(LINK_SPEC)}`);
  if (!target.api)
    throw new UsageError(
      'link needs the server your team shares: --api URL (or MMREPLAY_API); a run on the embedded store is only on this machine (mmreplay export sends it)',
    );
  io.out(`${target.api.replace(/\/+$/, '')}/runs/${encodeURIComponent(positionals[0])}\n`);
  return 0;
}
