import { parseArgs } from 'node:util';
import type { AuditRequest, Progress } from '@mmreplay/explorer';
import { intOption, paramsOption, parsed } from './args.js';
import { UsageError, type Io } from './io.js';
import { memoryModelOption, variantOption } from './variant-option.js';
import type { BackendProvider } from './backend/backend.js';

export const AUDIT_USAGE =
  'mmreplay audit <scenario> [--param k=v ...] [--variant <name|file.json>] [--memory-model sc|tso|lkmm] [--invariant NAME ...] [--strategy exhaustive|pct|random] [--runs N] [--max-states N] [--max-seconds N] [--no-symmetry] [--json]';

export async function auditCommand(argv: string[], io: Io, withBackend: BackendProvider, isTty = false): Promise<number> {
  const { values, positionals } = parsed(() =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        param: { type: 'string', multiple: true },
        variant: { type: 'string' },
        'memory-model': { type: 'string' },
        invariant: { type: 'string', multiple: true },
        strategy: { type: 'string' },
        runs: { type: 'string' },
        seed: { type: 'string' },
        'max-states': { type: 'string' },
        'max-seconds': { type: 'string' },
        'no-symmetry': { type: 'boolean' },
        json: { type: 'boolean' },
      },
    }),
  );
  if (positionals.length !== 1) throw new UsageError(`usage: ${AUDIT_USAGE}`);
  const strategy = values.strategy ?? 'exhaustive';
  if (!['exhaustive', 'pct', 'random'].includes(strategy)) throw new UsageError('--strategy must be one of exhaustive, pct, random');
  const maxSeconds = intOption(values['max-seconds'], 'max-seconds', 300, 1, 86_400);
  const showProgress = isTty && !values.json;
  const onProgress = showProgress
    ? (p: Progress) => io.err(`\r  ${p.states.toLocaleString()} states, ${p.transitions.toLocaleString()} transitions, depth ${p.depth}, ${Math.round(p.statesPerSecond).toLocaleString()} states/s`)
    : undefined;
  const request: AuditRequest =     {
      scenario: positionals[0],
      params: paramsOption(values.param),
      variant: variantOption(values.variant),
      memoryModel: memoryModelOption(values['memory-model']),
      invariants: values.invariant,
      strategy: strategy as AuditRequest['strategy'],
      bounds: {
        maxStates: intOption(values['max-states'], 'max-states', 5_000_000, 1),
        maxSeconds,
        runs: intOption(values.runs, 'runs', 10_000, 1, 100_000_000),
        seed: intOption(values.seed, 'seed', 0),
      },
      reductions: values['no-symmetry'] ? { symmetry: false } : undefined,
    };
  const report = await withBackend((backend) => backend.audit(request, onProgress));
  if (showProgress) io.err('\n');
  if (values.json) io.out(`${JSON.stringify(report)}\n`);
  else {
    io.out(`${report.scenario} (${report.variant}) ${strategy}: ${report.verdict}${report.boundHit ? ` (bound hit: ${report.boundHit})` : ''}\n`);
    io.out(`  ${report.statesStored.toLocaleString()} states, ${report.transitions.toLocaleString()} transitions, ${report.elapsedMs} ms; reductions: ${report.reductions.join(', ') || 'none'}\n`);
    if (report.counterexample) {
      const c = report.counterexample;
      const mm = `${values.variant ? ` --variant ${values.variant}` : ''}${values['memory-model'] ? ` --memory-model ${values['memory-model']}` : ''}`;
      const kind = report.violated ? ` (${report.violated.class === 'kernel-assertion' ? 'kernel assertion' : 'protocol invariant'})` : '';
      io.out(`  ${c.invariant}${kind} at step ${c.step} (${c.length} steps): ${c.message}\n`);
      if (report.violated) io.out(`  ${report.violated.class === 'kernel-assertion' ? 'the check' : 'the argument'}: ${report.violated.backing}\n`);
      io.out(`  replay: mmreplay run ${report.scenario}${mm} --strategy replay --schedule ${c.schedule}\n`);
    }
  }
  return 0;
}
