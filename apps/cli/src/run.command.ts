import { strategies, type Strategy } from '@mmreplay/engine';
import type { RunReport } from '@mmreplay/runs';
import { parseArgs } from 'node:util';
import { intOption, paramsOption, parsed } from './args.js';
import { UsageError, type Io } from './io.js';
import { memoryModelOption, variantOption, withMemoryModel } from './variant-option.js';
import type { BackendProvider } from './backend/backend.js';

export const RUN_USAGE =
  'mmreplay run <scenario> [--param k=v ...] [--variant <name|file.json>] [--memory-model sc|tso|lkmm] [--strategy random|pct|replay|round-robin] [--seed N] [--schedule TOKEN] [--max-steps N] [--id RUN-ID] [--json]\n  mmreplay run --id RUN-ID [--json]            (continue a stored run, e.g. after a crash)';

/** Runs one interleaving and records it as the stream `run-<id>` on the configured store. */
export async function runCommand(argv: string[], io: Io, withBackend: BackendProvider): Promise<number> {
  const { values, positionals } = parsed(() =>
    parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        param: { type: 'string', multiple: true },
        variant: { type: 'string' },
        'memory-model': { type: 'string' },
        strategy: { type: 'string' },
        seed: { type: 'string' },
        schedule: { type: 'string' },
        depth: { type: 'string' },
        'max-steps': { type: 'string' },
        id: { type: 'string' },
        json: { type: 'boolean' },
      },
    }),
  );
  // `run --id X` alone continues the stored run X from its own RunStarted.
  const resume = positionals.length === 0 && values.id !== undefined;
  if (positionals.length !== 1 && !resume) throw new UsageError(`usage: ${RUN_USAGE}`);
  const report = await withBackend(async (service) => {
    if (resume) return service.resumeRun(values.id!);
    const strategy = (values.strategy ?? (values.schedule ? 'replay' : 'random')) as Strategy;
    if (!strategies.includes(strategy)) throw new UsageError(`--strategy must be one of ${strategies.join(', ')}`);
    if (strategy === 'replay' && !values.schedule) throw new UsageError('--strategy replay needs --schedule TOKEN');
    return service.startRun({
      runId: values.id,
      scenario: positionals[0],
      params: paramsOption(values.param),
      variant: withMemoryModel(variantOption(values.variant), memoryModelOption(values['memory-model'])),
      strategy,
      seed: intOption(values.seed, 'seed', 0, 0, 2 ** 32 - 1),
      schedule: values.schedule,
      depth: strategy === 'pct' ? intOption(values.depth, 'depth', 3, 1, 20) : undefined,
      // absent: the backend's bound (100,000,000 steps embedded; a server's own cap over --api)
      maxSteps: values['max-steps'] === undefined ? undefined : intOption(values['max-steps'], 'max-steps', 100_000_000, 1),
    });
  });
  printReport(report, values.json === true, io);
  return 0;
}

function printReport(r: RunReport, json: boolean, io: Io): void {
  const out = {
    runId: r.runId,
    scenario: r.scenario,
    params: r.params,
    variant: r.variant ?? 'kernel',
    modelHash: r.modelHash,
    strategy: r.strategy,
    seed: r.seed,
    outcome: r.outcome,
    violation: r.violation,
    steps: r.steps,
    schedule: r.schedule,
    events: r.events,
    appended: r.appended,
  };
  if (json) {
    io.out(`${JSON.stringify(out)}\n`);
    return;
  }
  io.out(`run ${r.runId}: ${out.scenario} (${out.variant}) ${r.strategy} seed ${r.seed}: ${r.outcome} after ${r.steps} steps\n`);
  if (r.violation) io.out(`  ${r.violation.invariant} at step ${r.violation.step}: ${r.violation.message}\n`);
  io.out(`  model    ${r.modelHash}\n  schedule ${r.schedule}\n`);
  io.out(`  stored   ${r.stream}: ${r.events} events${r.appended < r.events ? ` (${r.events - r.appended} already stored and verified)` : ''}\n`);
}
