import { simulate, strategies, type Strategy } from '@mmreplay/engine';
import { parseArgs } from 'node:util';
import { intOption, paramsOption, parsed } from './args.js';
import { UsageError, type Io } from './io.js';
import { variantOption } from './variant-option.js';

export const RUN_USAGE =
  'mmreplay run <scenario> [--param k=v ...] [--variant <name|file.json>] [--strategy random|pct|replay|round-robin] [--seed N] [--schedule TOKEN] [--max-steps N] [--json]';

export function runCommand(argv: string[], io: Io): number {
  const { values, positionals } = parsed(() =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
    param: { type: 'string', multiple: true },
    variant: { type: 'string' },
    strategy: { type: 'string' },
    seed: { type: 'string' },
    schedule: { type: 'string' },
    depth: { type: 'string' },
    'max-steps': { type: 'string' },
        json: { type: 'boolean' },
      },
    }),
  );
  if (positionals.length !== 1) throw new UsageError(`usage: ${RUN_USAGE}`);
  const strategy = (values.strategy ?? (values.schedule ? 'replay' : 'random')) as Strategy;
  if (!strategies.includes(strategy)) throw new UsageError(`--strategy must be one of ${strategies.join(', ')}`);
  if (strategy === 'replay' && !values.schedule) throw new UsageError('--strategy replay needs --schedule TOKEN');
  const seed = intOption(values.seed, 'seed', 0, 0, 2 ** 32 - 1);
  const { model, result } = simulate({
    scenario: positionals[0],
    params: paramsOption(values.param),
    variant: variantOption(values.variant),
    strategy,
    seed,
    schedule: values.schedule,
    depth: intOption(values.depth, 'depth', 3, 1, 20),
    maxSteps: intOption(values['max-steps'], 'max-steps', 100_000_000, 1),
  });
  const report = {
    scenario: model.world.scenario,
    params: model.world.params,
    variant: model.variant,
    modelHash: model.modelHash,
    strategy,
    seed,
    outcome: result.outcome,
    violation: result.violation,
    steps: result.steps,
    schedule: result.schedule,
  };
  if (values.json) io.out(`${JSON.stringify(report)}\n`);
  else {
    io.out(`${report.scenario} (${report.variant}) ${strategy} seed ${seed}: ${result.outcome} after ${result.steps} steps\n`);
    if (result.violation) io.out(`  ${result.violation.invariant} at step ${result.violation.step}: ${result.violation.message}\n`);
    io.out(`  model    ${model.modelHash}\n  schedule ${result.schedule}\n`);
  }
  return 0;
}
