import { parseArgs } from 'node:util';
import { intOption, parsed } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';
import { stepLine } from './render/state-text.js';

export const FIRST_USAGE = "mmreplay first <run> --where '<predicate JSON>' [--from N] [--json]   (exit 1 when no step matches)";

/** The first step after which a declarative predicate over the state holds. */
export async function firstCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values, positionals } = parsed(() =>
    parseArgs({ args: argv, allowPositionals: true, options: { where: { type: 'string' }, from: { type: 'string' }, json: { type: 'boolean' } } }),
  );
  if (positionals.length !== 1 || values.where === undefined) throw new UsageError(`usage: ${FIRST_USAGE}`);
  let predicate: unknown;
  try {
    predicate = JSON.parse(values.where);
  } catch (e) {
    throw new UsageError(`--where is not JSON: ${(e as Error).message}`);
  }
  const runId = positionals[0];
  const from = values.from === undefined ? undefined : intOption(values.from, 'from', 0);
  const hit = await withBackend((queries) => queries.firstWhere(runId, predicate, { from }));
  if (values.json) {
    io.out(`${JSON.stringify(hit ? { runId, step: hit.step, event: hit.event, scanned: hit.scanned, state: hit.view } : { runId, step: null })}\n`);
  } else if (hit) {
    io.out(`step ${hit.step}: ${hit.event ? stepLine(hit.event) : 'the state before the first step'}\n`);
    io.out(`  (the first of ${hit.scanned} states checked; see it with: mmreplay state ${runId} --at ${hit.step < 0 ? 'initial' : hit.step})\n`);
  } else {
    io.out(`no step of run ${runId} satisfies the predicate\n`);
  }
  return hit ? 0 : 1;
}
