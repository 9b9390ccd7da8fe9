import type { AuditRequest, AuditResult, Progress } from '@mmreplay/explorer';
import {
  APPROXIMATE_METHODS,
  AUDIT_STRATEGIES,
  approximationWords,
  formatProbability,
  formatUpperProbability,
  type ApproximateMethod,
} from '@mmreplay/explorer';
import { intOption, opt, paramsOption, parseCommand, switchesOption, usageLine, type CommandSpec } from './args.js';
import { UsageError, type Io } from './io.js';
import { modelBoundWords, unchecked } from '@mmreplay/engine';
import { memoryModelOption, variantOption, withSwitches } from './variant-option.js';
import type { AuditReport, BackendProvider, CliAuditRequest } from './backend/backend.js';
import { scenarioArgument } from './scenario-file.js';
import { EXIT } from './exit-codes.js';
import { progressLine, type ProgressSink } from './progress.js';
import { CATALOGUE_USAGE, catalogueCommand } from './catalogue.command.js';
import { BACKING_WORDS, INVARIANT_CLASS_WORDS } from './render/invariant-class.js';

export const AUDIT_SPEC: CommandSpec = {
  name: 'audit',
  summary: 'Check invariants over every interleaving of a scenario (exhaustive), or over sampled ones (pct, random).',
  usage: [
    'mmreplay audit <scenario> [--param k=v ...] [--variant <name|file.json>] [--switch NAME=VALUE ...] [--memory-model sc|tso|lkmm] [--invariant NAME ...] [--strategy exhaustive|pct|random] [--runs N] [--seed N] [--max-states N] [--max-seconds N] [--max-memory MB] [--no-symmetry] [--no-partial-order] [--no-dead-registers] [--no-reductions] [--workers N] [--approximate bitstate|hashcompact [--frontier-in-memory N] [--spill-dir DIR]] [--quiet] [--json]',
    CATALOGUE_USAGE,
  ],
  options: {
    param: { type: 'string', multiple: true, arg: 'k=v', help: 'a scenario parameter (mmreplay scenarios lists them)' },
    variant: { type: 'string', arg: 'NAME|FILE.json', help: 'a named variant of the scenario, or a variant file (docs/variants.md)' },
    switch: { type: 'string', multiple: true, arg: 'NAME=VALUE', help: "set one of the scenario's switches (over the variant's)" },
    'memory-model': { type: 'string', arg: 'sc|tso|lkmm', help: "memory model of the relaxed accesses (default: the variant's MEM switch, sc)" },
    invariant: { type: 'string', multiple: true, arg: 'NAME', help: "check this invariant (default: the scenario's); must apply to the scenario" },
    strategy: { type: 'string', arg: 'exhaustive|pct|random', help: 'exhaustive search (default), or sampling of PCT / random schedules' },
    runs: { type: 'string', arg: 'N', help: 'pct / random: schedules to sample (default 10,000)' },
    seed: { type: 'string', arg: 'N', help: 'pct / random: the first seed (default 0)' },
    'max-states': { type: 'string', arg: 'N', help: 'exhaustive: stop (inconclusive) after N states (default 5,000,000)' },
    'max-seconds': { type: 'string', arg: 'N', help: 'stop (inconclusive) after N seconds (default 300)' },
    'max-memory': {
      type: 'string',
      arg: 'MB',
      help: 'exhaustive: stop (inconclusive, bound memory) when the visited set, the frontier in memory and every worker pass MB (default: 70% of the heap)',
    },
    'no-symmetry': { type: 'boolean', help: 'exhaustive: no symmetry reduction' },
    'no-partial-order': { type: 'boolean', help: 'exhaustive: no partial-order (ample set) reduction' },
    'no-dead-registers': { type: 'boolean', help: 'exhaustive: do not clear dead registers' },
    'no-reductions': { type: 'boolean', help: 'exhaustive: none of the three (to double-check a verdict)' },
    workers: { type: 'string', arg: 'N', help: 'exhaustive: threads for the search, one of them its own (default: every core)' },
    approximate: {
      type: 'string',
      arg: 'bitstate|hashcompact',
      help: 'exhaustive: for what does not fit, bitstate hashing (SPIN -DBITSTATE) or hash compaction (SPIN -DHC) instead of a visited set; holds (approximate), with the probability that a state was missed',
    },
    'frontier-in-memory': {
      type: 'string',
      arg: 'N',
      help: '--approximate: states of a breadth-first level kept in memory, the rest spilled to --spill-dir (default 1,000,000)',
    },
    'spill-dir': {
      type: 'string',
      arg: 'DIR',
      help: "--approximate: where the frontier spills, one directory an audit, removed when it ends (default: the system's temporary directory; not with --api)",
    },
    quiet: { type: 'boolean', help: 'no progress line' },
    catalogue: {
      type: 'boolean',
      help: "every catalogue scenario under the kernel's protocol and each named variant, next to the verdict the kernel's history implies (no <scenario>)",
    },
    scenario: { type: 'string', multiple: true, arg: 'NAME', help: '--catalogue: only the rows of this scenario' },
    json: { type: 'boolean', help: 'the full result as one JSON object' },
  },
  details: `Exit codes: 0 holds, 1 violated, 2 bad input, 3 store or API unavailable, 125 inconclusive
(a bound stopped the search, or sampling found no violation, or it holds only within the engine's
bounds on weak-memory state). \`git bisect run mmreplay audit ...\`
takes holds for good, violated for bad and skips inconclusive revisions. With --catalogue: 0 when
every row's verdict is the one the kernel's history implies, 1 when some row's is not.

An audit is recorded on the store (MMREPLAY_STORE) as a server records its own: mmreplay runs
--audits lists it, and its counterexample is a recorded run (mmreplay trace <run>).

Examples:
  mmreplay audit seed --param ptes=2 --param faults=2 --variant unlock-before-remove
  mmreplay audit seed --variant unlock-before-remove --invariant bug-on --no-reductions
  mmreplay audit seed --strategy pct --runs 10000
  mmreplay audit --catalogue --scenario c6-ttu-sync`,
};

/**
 * The exit code of an audit's verdict (see exit-codes.ts). A `holds` within the engine's bounds
 * on weak-memory state proves nothing beyond them: a script must not take it for a proof.
 */
export const auditExit = (r: Pick<AuditResult, 'verdict' | 'modelBounds'>): number =>
  r.verdict === 'holds' ? (unchecked(r.modelBounds).length ? EXIT.inconclusive : EXIT.ok) : r.verdict === 'violated' ? EXIT.violated : EXIT.inconclusive;

export async function auditCommand(argv: string[], io: Io, withBackend: BackendProvider, progress?: ProgressSink): Promise<number> {
  const { values, positionals } = parseCommand(AUDIT_SPEC, argv);
  if (values.catalogue) return catalogueCommand(values, positionals, io, withBackend);
  if (opt.list(values.scenario)) throw new UsageError('--scenario goes with --catalogue; a single audit names its scenario as the argument');
  if (positionals.length !== 1) throw new UsageError(`usage: ${usageLine(AUDIT_SPEC)}`);
  const request = auditRequest(scenarioArgument(positionals[0], io), values);
  const line = values.json || values.quiet ? undefined : progress;
  const onProgress = line ? (p: Progress) => line.update(progressLine(p)) : undefined;
  const report = await withBackend((backend) => backend.audit(request, onProgress)).finally(() => line?.done());
  if (values.json) io.out(`${JSON.stringify(report)}\n`);
  else printAudit(report, io, replayArgs(opt.string(values.variant), opt.list(values.switch), opt.string(values['memory-model'])), '', positionals[0]);
  return auditExit(report);
}

type Values = Record<string, string | boolean | string[] | undefined>;

/** `--approximate`, `--frontier-in-memory` and `--spill-dir`: the approximate search and its spill. */
function approximateOptions(values: Values): Pick<CliAuditRequest, 'approximate' | 'frontierInMemory' | 'spillDir'> {
  const method = opt.string(values.approximate);
  const frontier = opt.string(values['frontier-in-memory']);
  const spillDir = opt.string(values['spill-dir']);
  if (method === undefined) {
    if (frontier !== undefined || spillDir !== undefined)
      throw new UsageError('--frontier-in-memory and --spill-dir go with --approximate (the exact search spills nothing)');
    return {};
  }
  if (!(APPROXIMATE_METHODS as readonly string[]).includes(method))
    throw new UsageError(`--approximate must be one of ${APPROXIMATE_METHODS.join(', ')}, got '${method}'`);
  if (spillDir !== undefined && spillDir.trim() === '') throw new UsageError('--spill-dir must name a directory');
  return {
    approximate: method as ApproximateMethod,
    ...(frontier !== undefined ? { frontierInMemory: intOption(frontier, 'frontier-in-memory', 1_000_000, 1, 100_000_000) } : {}),
    ...(spillDir !== undefined ? { spillDir } : {}),
  };
}

/** The request of `audit` (and of each side of `compare`) from its options. */
export function auditRequest(scenario: string, values: Values, variantValue = opt.string(values.variant)): CliAuditRequest {
  const strategy = opt.string(values.strategy) ?? 'exhaustive';
  if (!(AUDIT_STRATEGIES as readonly string[]).includes(strategy)) throw new UsageError(`--strategy must be one of ${AUDIT_STRATEGIES.join(', ')}`);
  const none = opt.flag(values['no-reductions']);
  const reductions = {
    ...(none || opt.flag(values['no-symmetry']) ? { symmetry: false } : {}),
    ...(none || opt.flag(values['no-partial-order']) ? { partialOrder: false } : {}),
    ...(none || opt.flag(values['no-dead-registers']) ? { deadRegisters: false } : {}),
  };
  return {
    scenario,
    params: paramsOption(opt.list(values.param)),
    variant: withSwitches(variantOption(variantValue), switchesOption(opt.list(values.switch))),
    memoryModel: memoryModelOption(opt.string(values['memory-model'])),
    invariants: opt.list(values.invariant),
    strategy: strategy as AuditRequest['strategy'],
    bounds: {
      maxStates: intOption(opt.string(values['max-states']), 'max-states', 5_000_000, 1),
      maxSeconds: intOption(opt.string(values['max-seconds']), 'max-seconds', 300, 1, 86_400),
      ...(opt.string(values['max-memory']) !== undefined ? { maxMemoryMB: intOption(opt.string(values['max-memory']), 'max-memory', 0, 1, 1_048_576) } : {}),
      runs: intOption(opt.string(values.runs), 'runs', 10_000, 1, 100_000_000),
      seed: intOption(opt.string(values.seed), 'seed', 0),
    },
    reductions: Object.keys(reductions).length ? reductions : undefined,
    ...(opt.string(values.workers) !== undefined ? { workers: intOption(opt.string(values.workers), 'workers', 1, 1, 64) } : {}),
    ...approximateOptions(values),
  };
}

/** What `mmreplay run` needs besides the schedule to replay a counterexample of this audit. */
export function replayArgs(variant: string | undefined, switches: string[] | undefined, memoryModel: string | undefined): string {
  return `${variant ? ` --variant ${variant}` : ''}${(switches ?? []).map((w) => ` --switch ${w}`).join('')}${memoryModel ? ` --memory-model ${memoryModel}` : ''}`;
}

const n = (x: number) => x.toLocaleString('en-US');

/** An audit in text: the verdict, the counterexample, then exactly what was checked. */
export function printAudit(r: AuditReport, io: Io, replay: string, indent = '', scenarioArg = r.scenario): void {
  const p = (line: string) => io.out(`${indent}${line}\n`);
  p(
    `${r.scenario} (${r.variant}) ${r.strategy}: ${r.verdict}${r.approximate && r.verdict === 'holds' ? ' (approximate)' : ''}${unchecked(r.modelBounds).length && r.verdict === 'holds' ? " (within the engine's bounds)" : ''}${r.boundHit ? ` (bound hit: ${r.boundHit})` : ''}`,
  );
  const c = r.counterexample;
  if (c) {
    const v = r.violated;
    p(`  ${c.invariant}${v ? ` (${INVARIANT_CLASS_WORDS[v.class]})` : ''} at step ${c.step} (${c.length} steps): ${c.message}`);
    if (v) p(`  ${BACKING_WORDS[v.class]}: ${v.backing}`);
    if (r.counterexampleRunId) p(`  recorded as run ${r.counterexampleRunId} (mmreplay trace ${r.counterexampleRunId})`);
    p(`  replay: mmreplay run ${scenarioArg}${replay} --strategy replay --schedule ${c.schedule}`);
  }
  const a = r.approximate;
  if (a && r.verdict === 'holds')
    p(`  approximate ${approximationWords(a)}: a reachable state was missed with probability at most ${formatUpperProbability(a.omissionProbability)}`);
  if (unchecked(r.modelBounds).length && !c) {
    p(
      `  not searched: executions beyond the engine's own bounds on weak-memory state or its orderings beyond the model's (docs/memory-model.md, "the engine's own bounds"):`,
    );
    for (const b of unchecked(r.modelBounds)) p(`    ${modelBoundWords(b)}`);
  }
  const checked = (r.modelBounds ?? []).filter((b) => b.checkedBy !== undefined);
  if (checked.length && !c) {
    p(`  the engine's orderings beyond the model's, checked for this world:`);
    for (const b of checked) p(`    ${modelBoundWords(b)}`);
  }
  const s = r.sampling;
  if (r.strategy !== 'exhaustive' && s && !c) {
    const kind = r.strategy === 'pct' ? 'PCT' : 'random';
    p(
      s.foundProbability !== null && s.perRun !== null
        ? `  no violation in ${n(s.runs)} ${kind} runs; a bug of depth <= ${s.depth} would have been found with probability >= ${formatProbability(s.foundProbability)}`
        : `  no violation in ${n(s.runs)} ${kind} runs (random schedules give no probability bound: use --strategy pct or exhaustive)`,
    );
  }
  p(`  checked     ${r.invariants.join(', ')}`);
  p(`  memory      ${r.memoryModel}`);
  if (r.strategy === 'exhaustive') {
    const used = r.reductions.filter((x) => ['symmetry', 'partial-order', 'dead-registers'].includes(x));
    p(`  reductions  ${used.join(', ') || 'none'}${r.reductionsOff.length ? ` (switched off: ${r.reductionsOff.join(', ')})` : ''}`);
    p(
      `  bounds      ${n(r.bounds.maxStates)} states, depth ${n(r.bounds.maxDepth)}, ${n(r.bounds.maxSeconds)} s${r.bounds.maxMemoryMB ? `, ${n(r.bounds.maxMemoryMB)} MB` : ''}`,
    );
    p(`  explored    ${n(r.statesStored)} states, ${n(r.transitions)} transitions, depth ${n(r.maxDepth)}, ${n(r.elapsedMs)} ms`);
  } else {
    p(`  reductions  none (sampling runs whole schedules)`);
    p(
      `  bounds      ${n(r.bounds.runs)} runs from seed ${n(r.bounds.seed)}${r.bounds.depth ? `, PCT depth ${r.bounds.depth}` : ''}, ${n(r.bounds.maxSteps ?? 0)} steps a run, ${n(r.bounds.maxSeconds)} s`,
    );
    p(`  explored    ${n(r.schedules)} runs, ${n(r.transitions)} steps, ${n(r.elapsedMs)} ms`);
  }
}
