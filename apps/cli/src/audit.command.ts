import { parseArgs } from 'node:util';
import { resolveModel } from '@mmreplay/model';
import { explore, sampleAudit, type Progress } from '@mmreplay/explorer';
import { intOption, paramsOption, parsed } from './args.js';
import { UsageError, type Io } from './io.js';
import { variantOption } from './variant-option.js';

export const AUDIT_USAGE =
  'mmreplay audit <scenario> [--param k=v ...] [--variant <name|file.json>] [--invariant NAME ...] [--strategy exhaustive|pct|random] [--runs N] [--max-states N] [--max-seconds N] [--no-symmetry] [--json]';

export function auditCommand(argv: string[], io: Io, isTty = false): number {
  const { values, positionals } = parsed(() =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        param: { type: 'string', multiple: true },
        variant: { type: 'string' },
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
  const model = resolveModel({ scenario: positionals[0], params: paramsOption(values.param), variant: variantOption(values.variant), invariants: values.invariant });
  const maxSeconds = intOption(values['max-seconds'], 'max-seconds', 300, 1, 86_400);
  const showProgress = isTty && !values.json;
  const onProgress = showProgress
    ? (p: Progress) => io.err(`\r  ${p.states.toLocaleString()} states, ${p.transitions.toLocaleString()} transitions, depth ${p.depth}, ${Math.round(p.statesPerSecond).toLocaleString()} states/s`)
    : undefined;
  const result =
    strategy === 'exhaustive'
      ? explore(model.world, { bounds: { maxStates: intOption(values['max-states'], 'max-states', 5_000_000, 1), maxSeconds }, symmetry: !values['no-symmetry'], onProgress })
      : sampleAudit(model.world, { strategy: strategy as 'pct' | 'random', runs: intOption(values.runs, 'runs', 10_000, 1, 100_000_000), seed: intOption(values.seed, 'seed', 0), maxSeconds });
  if (showProgress) io.err('\n');
  const report = {
    scenario: model.world.scenario,
    params: model.world.params,
    variant: model.variant,
    modelHash: model.modelHash,
    invariants: model.world.invariants,
    strategy,
    verdict: result.verdict,
    boundHit: result.boundHit,
    statesStored: result.statesStored,
    transitions: result.transitions,
    elapsedMs: result.elapsedMs,
    reductions: result.reductions,
    counterexample: result.counterexample,
    ...('pctBound' in result ? { pctBound: result.pctBound } : {}),
  };
  if (values.json) io.out(`${JSON.stringify(report)}\n`);
  else {
    io.out(`${report.scenario} (${report.variant}) ${strategy}: ${result.verdict}${result.boundHit ? ` (bound hit: ${result.boundHit})` : ''}\n`);
    io.out(`  ${result.statesStored.toLocaleString()} states, ${result.transitions.toLocaleString()} transitions, ${result.elapsedMs} ms; reductions: ${result.reductions.join(', ') || 'none'}\n`);
    if (result.counterexample) {
      const c = result.counterexample;
      io.out(`  ${c.invariant} at step ${c.step} (${c.length} steps): ${c.message}\n  replay: mmreplay run ${report.scenario} --strategy replay --schedule ${c.schedule}\n`);
    }
  }
  return 0;
}
