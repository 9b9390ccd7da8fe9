import type { Progress } from '@mmreplay/explorer';
import { opt, parseCommand, usageLine, type CommandSpec } from './args.js';
import { UsageError, type Io } from './io.js';
import type { BackendProvider } from './backend/backend.js';
import { AUDIT_SPEC, auditExit, auditRequest, printAudit, replayArgs } from './audit.command.js';
import { progressLine, type ProgressSink } from './progress.js';

// compare audits one scenario twice: the catalogue sweep is audit's alone.
const { variant: _variant, catalogue: _catalogue, scenario: _scenario, ...auditOptions } = AUDIT_SPEC.options;

export const COMPARE_SPEC: CommandSpec = {
  name: 'compare',
  summary: 'Audit a buggy baseline and a fix side by side: both verdicts, the conclusion, the counterexample of the one that fails.',
  usage: [
    'mmreplay compare <scenario> --baseline <variant|file.json> [--fix <variant|file.json>] [audit options: --param, --switch, --invariant, --strategy, --no-reductions, ...] [--json]',
  ],
  options: {
    baseline: { type: 'string', arg: 'NAME|FILE.json', help: 'the variant suspected of the bug' },
    fix: { type: 'string', arg: 'NAME|FILE.json', help: 'the fix (default: the kernel protocol)' },
    ...auditOptions,
  },
  details: `Both audits are recorded on the store as one comparison (mmreplay runs --audits lists them); with
--api, the server's comparison (POST /comparisons), recorded there.
Exit codes follow the fix's verdict: 0 it holds, 1 it is violated, 125 inconclusive; 2 bad input,
3 store or API unavailable.

Example:
  mmreplay compare seed --param ptes=2 --param faults=2 --baseline unlock-before-remove`,
};

export async function compareCommand(argv: string[], io: Io, withBackend: BackendProvider, progress?: ProgressSink): Promise<number> {
  const { values, positionals } = parseCommand(COMPARE_SPEC, argv);
  if (positionals.length !== 1 || values.baseline === undefined) throw new UsageError(`usage: ${usageLine(COMPARE_SPEC)}`);
  const baselineName = opt.string(values.baseline);
  const fixName = opt.string(values.fix);
  const req = { baseline: auditRequest(positionals[0], values, baselineName), fix: auditRequest(positionals[0], values, fixName) };
  const line = values.json || values.quiet ? undefined : progress;
  const onProgress = line ? (p: Progress) => line.update(progressLine(p)) : undefined;
  const report = await withBackend((backend) => backend.compare(req, onProgress)).finally(() => line?.done());
  if (values.json) {
    io.out(`${JSON.stringify(report)}\n`);
    return auditExit(report.fix);
  }
  const rest = (variant: string | undefined) => replayArgs(variant, opt.list(values.switch), opt.string(values['memory-model']));
  io.out(`${report.conclusion}\n${report.comparisonId ? `  (comparison ${report.comparisonId})\n` : ''}\nbaseline: `);
  printAudit(report.baseline, io, rest(baselineName));
  io.out('\nfix: ');
  printAudit(report.fix, io, rest(fixName));
  return auditExit(report.fix);
}
