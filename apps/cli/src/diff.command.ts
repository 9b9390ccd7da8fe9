import type { StateDiff } from '@mmreplay/runs';
import { opt, parseCommand, usageLine, type CommandSpec } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';
import { resolveStep, stepOption } from './step-option.js';

export const DIFF_SPEC: CommandSpec = {
  name: 'diff',
  summary: 'What changed between two steps of a run, or where two runs diverge and how their states differ.',
  usage: [
    'mmreplay diff <run> --at A --to B [--json]',
    'mmreplay diff <runA> <runB> [--at A] [--to B] [--json]   (two runs: their first divergence, and their states at A and B)',
  ],
  options: {
    at: { type: 'string', arg: 'A', help: "the first step (-1 or 'initial', a number, 'last')" },
    to: { type: 'string', arg: 'B', help: 'the second step' },
    json: { type: 'boolean', help: 'the changes as JSON' },
  },
};

/** What changed between two steps of a run, or how two runs differ. */
export async function diffCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values, positionals } = parseCommand(DIFF_SPEC, argv);
  const DIFF_USAGE = usageLine(DIFF_SPEC);
  const at = stepOption(opt.string(values.at), 'at');
  const to = stepOption(opt.string(values.to), 'to');
  if (positionals.length === 1 && (at === undefined || to === undefined)) throw new UsageError(`usage: ${DIFF_USAGE}`);
  if (positionals.length < 1 || positionals.length > 2) throw new UsageError(`usage: ${DIFF_USAGE}`);
  const [runA, runB = runA] = positionals;
  const result = await withBackend(async (queries) => {
    const [lastA, lastB] = [await queries.lastStep(runA), await queries.lastStep(runB)];
    if (runA === runB)
      return {
        divergence: undefined,
        diff: await queries.diff({ runId: runA, step: resolveStep(at!, lastA) }, { runId: runA, step: resolveStep(to!, lastA) }),
      };
    const divergence = await queries.divergence(runA, runB);
    // Without --at, two runs are compared where they diverge (or at their end when they do not).
    const where = divergence ? divergence.step : Math.min(lastA, lastB);
    const a = at === undefined ? Math.min(where, lastA) : resolveStep(at, lastA);
    const b = to === undefined ? (at === undefined ? Math.min(where, lastB) : Math.min(a, lastB)) : resolveStep(to, lastB);
    return { divergence, diff: await queries.diff({ runId: runA, step: a }, { runId: runB, step: b }) };
  });
  if (values.json) {
    io.out(`${JSON.stringify(result.divergence === undefined ? result.diff : { divergence: result.divergence, ...result.diff })}\n`);
    return 0;
  }
  if (result.divergence !== undefined) {
    const d = result.divergence;
    io.out(
      d
        ? `runs ${runA} and ${runB} diverge at step ${d.step}: ${d.reason}${d.a || d.b ? ` (${d.a ? `${d.a.thread} ${d.a.label}` : 'nothing'} vs ${d.b ? `${d.b.thread} ${d.b.label}` : 'nothing'})` : ''}\n`
        : `runs ${runA} and ${runB} are the same, step for step\n`,
    );
  }
  printDiff(result.diff, io);
  return 0;
}

function printDiff(d: StateDiff, io: Io): void {
  const name = (r: { runId: string; step: number }) => (d.a.runId === d.b.runId ? `step ${r.step}` : `${r.runId}@${r.step}`);
  io.out(`${name(d.a)} -> ${name(d.b)}: ${d.changes.length} change${d.changes.length === 1 ? '' : 's'}\n`);
  const width = Math.max(0, ...d.changes.map((c) => c.path.length));
  for (const c of d.changes) io.out(`  ${c.path.padEnd(width)}  ${JSON.stringify(c.a)} -> ${JSON.stringify(c.b)}\n`);
}
