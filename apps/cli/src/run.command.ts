import { strategies, type Strategy } from '@mmreplay/engine';
import type { RunReport } from '@mmreplay/runs';
import { intOption, opt, paramsOption, parseCommand, switchesOption, usageLine, type CommandSpec } from './args.js';
import { UsageError, type Io } from './io.js';
import { memoryModelOption, variantOption, withMemoryModel, withSwitches } from './variant-option.js';
import type { BackendProvider } from './backend/backend.js';
import { EXIT } from './exit-codes.js';
import { scenarioArgument } from './scenario-file.js';
import { runProgressLine, type ProgressSink, type RunProgress } from './progress.js';

export const RUN_SPEC: CommandSpec = {
  name: 'run',
  summary: 'Run one interleaving of a scenario and record it (its events) on the store.',
  usage: [
    'mmreplay run <scenario> [--param k=v ...] [--variant <name|file.json>] [--switch NAME=VALUE ...] [--memory-model sc|tso|lkmm] [--strategy random|pct|replay|round-robin] [--seed N] [--depth N] [--schedule TOKEN] [--max-steps N] [--id RUN-ID] [--quiet] [--json]',
    'mmreplay run --id RUN-ID [--quiet] [--json]            (continue a stored run, e.g. after a crash)',
  ],
  options: {
    param: { type: 'string', multiple: true, arg: 'k=v', help: 'a scenario parameter (mmreplay scenarios lists them)' },
    variant: { type: 'string', arg: 'NAME|FILE.json', help: 'a named variant of the scenario, or a variant file (docs/variants.md)' },
    switch: { type: 'string', multiple: true, arg: 'NAME=VALUE', help: "set one of the scenario's switches (over the variant's)" },
    'memory-model': { type: 'string', arg: 'sc|tso|lkmm', help: "memory model of the relaxed accesses (default: the variant's MEM switch, sc)" },
    strategy: { type: 'string', arg: 'NAME', help: 'random (default), pct, replay (with --schedule) or round-robin' },
    seed: { type: 'string', arg: 'N', help: 'seed of the random or pct scheduler (default 0)' },
    depth: { type: 'string', arg: 'N', help: 'pct: the bug depth d it aims at (default 3)' },
    schedule: { type: 'string', arg: 'TOKEN', help: 'replay this schedule (an audit prints one for its counterexample)' },
    'max-steps': { type: 'string', arg: 'N', help: 'stop after N steps (default 100,000,000; a server has its own cap)' },
    id: { type: 'string', arg: 'RUN-ID', help: 'name the run; alone, continue the stored run RUN-ID' },
    quiet: { type: 'boolean', help: 'no progress line (a long run on a terminal shows steps, steps/s, elapsed)' },
    json: { type: 'boolean', help: 'the report as one JSON object' },
  },
  details: `Exit codes: 0 the run finished without a violation, 1 it hit a violation (an invariant or a
deadlock), 2 bad input, 3 store or API unavailable, 125 it stopped at --max-steps, was cut short at
one of the engine's bounds on weak-memory state (model-bound), or was no execution (infeasible).

Examples:
  mmreplay run seed --variant unlock-before-remove --strategy pct --seed 3
  mmreplay run seed --strategy replay --schedule TOKEN
  mmreplay run ./race.yaml          (a scenario document, docs/scenarios.md)`,
};

/** Runs one interleaving and records it as the stream `run-<id>` on the configured store. */
export async function runCommand(argv: string[], io: Io, withBackend: BackendProvider, progress?: ProgressSink): Promise<number> {
  const { values: v, positionals } = parseCommand(RUN_SPEC, argv);
  const values = { id: opt.string(v.id), strategy: opt.string(v.strategy), schedule: opt.string(v.schedule), json: opt.flag(v.json) };
  // `run --id X` alone continues the stored run X from its own RunStarted.
  const resume = positionals.length === 0 && values.id !== undefined;
  if (positionals.length !== 1 && !resume) throw new UsageError(`usage: ${usageLine(RUN_SPEC)}`);
  const line = values.json || opt.flag(v.quiet) ? undefined : progress;
  const onProgress = line ? (p: RunProgress) => line.update(runProgressLine(p)) : undefined;
  const report = await withBackend(async (service) => {
    if (resume) return service.resumeRun(values.id!, onProgress);
    const strategy = (values.strategy ?? (values.schedule ? 'replay' : 'random')) as Strategy;
    if (!strategies.includes(strategy)) throw new UsageError(`--strategy must be one of ${strategies.join(', ')}`);
    if (strategy === 'replay' && !values.schedule) throw new UsageError('--strategy replay needs --schedule TOKEN');
    const variant = withSwitches(variantOption(opt.string(v.variant)), switchesOption(opt.list(v.switch)));
    return service.startRun(
      {
        runId: values.id,
        scenario: scenarioArgument(positionals[0], io),
        params: paramsOption(opt.list(v.param)),
        variant: withMemoryModel(variant, memoryModelOption(opt.string(v['memory-model']))),
        strategy,
        seed: intOption(opt.string(v.seed), 'seed', 0, 0, 2 ** 32 - 1),
        schedule: values.schedule,
        depth: strategy === 'pct' ? intOption(opt.string(v.depth), 'depth', 3, 1, 20) : undefined,
        // absent: the backend's bound (100,000,000 steps embedded; a server's own cap over --api)
        maxSteps: v['max-steps'] === undefined ? undefined : intOption(opt.string(v['max-steps']), 'max-steps', 100_000_000, 1),
      },
      onProgress,
    );
  }).finally(() => line?.done());
  printReport(report, values.json, io);
  return runExit(report.outcome);
}

/** A run's exit code: 1 when it hit a violation or a deadlock, 125 when a bound stopped it or it was no execution. */
export const runExit = (outcome: RunReport['outcome']): number =>
  outcome === 'completed' ? EXIT.ok : outcome === 'violation' || outcome === 'deadlock' ? EXIT.violated : EXIT.inconclusive;

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
  const how = r.strategy === 'replay' ? 'replay of the schedule below' : `${r.strategy} seed ${r.seed}`;
  io.out(`run ${r.runId}: ${out.scenario} (${out.variant}) ${how}: ${r.outcome} after ${r.steps} steps\n`);
  if (r.violation) io.out(`  ${r.violation.invariant} at step ${r.violation.step}: ${r.violation.message}\n`);
  if (r.outcome === 'infeasible')
    io.out(`  not an execution: a branch was guessed on an outstanding load that no store agrees with (a CPU squashes that path); try another seed\n`);
  if (r.outcome === 'model-bound')
    io.out(
      `  cut short by the engine: a thread waits only at one of its bounds on weak-memory state (docs/memory-model.md, "the engine's own bounds"), not a deadlock of the program; try another seed\n`,
    );
  io.out(`  model    ${r.modelHash}\n  schedule ${r.schedule}\n`);
  io.out(`  stored   ${r.stream}: ${r.events} events${r.appended < r.events ? ` (${r.events - r.appended} already stored and verified)` : ''}\n`);
}
