import { intOption, opt, parseCommand, usageLine, type CommandSpec } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';
import { stepLine } from './render/state-text.js';

export const FIRST_SPEC: CommandSpec = {
  name: 'first',
  summary: 'The first step after which a predicate over the state holds (exit 1 when no step matches).',
  usage: ["mmreplay first <run> --where '<predicate JSON>' [--from N] [--json]   (exit 1 when no step matches)"],
  options: {
    where: { type: 'string', arg: 'JSON', help: 'the predicate (README "Recorded runs and time travel"; libs/projections/src/predicate/predicate.ts)' },
    from: { type: 'string', arg: 'N', help: 'start looking at step N' },
    json: { type: 'boolean', help: 'the step, its event and the state as JSON' },
  },
};

/** The first step after which a declarative predicate over the state holds. */
export async function firstCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values: v, positionals } = parseCommand(FIRST_SPEC, argv);
  const values = { where: opt.string(v.where), from: opt.string(v.from), json: opt.flag(v.json) };
  if (positionals.length !== 1 || values.where === undefined) throw new UsageError(`usage: ${usageLine(FIRST_SPEC)}`);
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
