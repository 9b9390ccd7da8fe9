import {
  checkedInvariants,
  resolveModel,
  violatedInvariantLabel,
  type InvariantClass,
  type MemoryModelName,
  type ResolvedModel,
  type Variant,
} from '@mmreplay/model';
import { availableParallelism } from 'node:os';
import { modelBoundWords, unchecked } from '@mmreplay/engine';
import { DEFAULT_BOUNDS, explore, type BoundName, type Bounds, type ExplorationResult, type Progress } from './explorer.js';
import { exploreBitstate, type ApproximateMethod, type Approximation, type BitstateOptions } from './bitstate.js';
import type { SpillOptions } from './frontier.js';
import { exploreParallel } from './parallel.js';
import { sampleAudit, type SamplingScope } from './sampling.js';

/** The reductions a user can switch off, by the names results use. */
export const SWITCHABLE_REDUCTIONS = ['symmetry', 'partial-order', 'dead-registers'] as const;
export type ReductionName = (typeof SWITCHABLE_REDUCTIONS)[number];

/** How an audit explores: every interleaving (`exhaustive`), or sampled runs (`pct`, `random`). */
export const AUDIT_STRATEGIES = ['exhaustive', 'pct', 'random'] as const;
export type AuditStrategy = (typeof AUDIT_STRATEGIES)[number];

/** A fix hypothesis to check: an invariant set over a scenario under a protocol variant. */
export interface AuditRequest {
  readonly scenario: string;
  readonly params?: Readonly<Record<string, number | string>>;
  readonly variant?: string | Variant;
  readonly invariants?: readonly string[];
  readonly memoryModel?: MemoryModelName;
  /** the scenario as a document (a team's published version or an inline one) instead of a built-in name */
  readonly document?: unknown;
  readonly strategy: AuditStrategy;
  readonly bounds?: Partial<Bounds> & { readonly runs?: number; readonly seed?: number };
  /** turn reductions off, e.g. to double-check a verdict without them */
  readonly reductions?: { readonly symmetry?: boolean; readonly partialOrder?: boolean; readonly deadRegisters?: boolean };
  /** exhaustive: threads for the search, one of them its own (default: every core; runAudit, synchronous, uses one) */
  readonly workers?: number;
  /** exhaustive: bitstate hashing (`true`, `bitstate`) or hash compaction instead of a visited set (a `holds` is then approximate) */
  readonly approximate?: boolean | ApproximateMethod | BitstateOptions;
  /** approximate: states of a breadth-first level kept in memory before the rest goes to the spill port (hooks.spill); default 1,000,000 */
  readonly frontierInMemory?: number;
}

export interface AuditResult extends ExplorationResult {
  readonly scenario: string;
  readonly params: Readonly<Record<string, number | string>>;
  readonly variant: string;
  readonly modelHash: string;
  readonly memoryModel: MemoryModelName;
  /** the invariants checked (canonical names) */
  readonly invariants: readonly string[];
  readonly strategy: AuditRequest['strategy'];
  /** PCT only: the guaranteed probability that one run finds a bug of depth 3 */
  readonly pctBound: number | null;
  /** the reductions the request switched off (`reductions` lists those the search used) */
  readonly reductionsOff: readonly ReductionName[];
  /** the bounds in force: states, depth, seconds and memory for a search; runs, seed, depth, steps and seconds for sampling */
  readonly bounds: Readonly<Record<string, number>>;
  /** sampling only: runs done and what they guarantee */
  readonly sampling: SamplingScope | null;
  /** what was checked and what the verdict means, in words */
  readonly summary: string;
  /** worker threads the search ran on (1 for sampling, and for a world partial order reduces) */
  readonly workers?: number;
  /** bitstate hashing: the table and the probability that a reached state was missed; null for an exact search */
  readonly approximate?: Approximation | null;
  /** the broken invariant's class (a kernel assertion would fire, a protocol argument fails, or the document's user invariant is broken) and what backs it */
  readonly violated: { readonly invariant: string; readonly class: InvariantClass; readonly backing: string } | null;
}

export interface AuditHooks {
  readonly onProgress?: (p: Progress) => void;
  readonly cancel?: { readonly cancelled: boolean };
  /** approximate: where the frontier beyond `frontierInMemory` states a level goes (a file port: @mmreplay/audits FileSpill) */
  readonly spill?: SpillOptions['port'];
}

/** The approximate search a request asks for, or null for an exact one. */
export function approximateOptions(req: Pick<AuditRequest, 'approximate'>): BitstateOptions | null {
  const a = req.approximate;
  if (!a) return null;
  if (a === true) return {};
  return typeof a === 'string' ? { method: a } : a;
}

/** The reductions a request switches off. */
export function reductionsOff(r: AuditRequest['reductions']): ReductionName[] {
  if (!r) return [];
  return [
    ...(r.symmetry === false ? ['symmetry' as const] : []),
    ...(r.partialOrder === false ? ['partial-order' as const] : []),
    ...(r.deadRegisters === false ? ['dead-registers' as const] : []),
  ];
}

/** The sampling settings of a request, defaults filled in. */
function samplingOptions(req: AuditRequest) {
  const b = req.bounds ?? {};
  return {
    strategy: req.strategy as 'pct' | 'random',
    runs: b.runs ?? 10_000,
    seed: b.seed ?? 0,
    depth: 3,
    maxSteps: 1_000_000,
    maxSeconds: b.maxSeconds ?? DEFAULT_BOUNDS.maxSeconds,
  };
}

/** The bounds in force for a request: states, depth, seconds and memory for a search; runs, seed, depth, steps and seconds for sampling. */
export function requestBounds(req: AuditRequest): Record<string, number> {
  if (req.strategy === 'exhaustive') {
    const { runs: _runs, seed: _seed, ...searchBounds } = req.bounds ?? {};
    return { ...DEFAULT_BOUNDS, ...searchBounds };
  }
  const o = samplingOptions(req);
  return { runs: o.runs, seed: o.seed, ...(req.strategy === 'pct' ? { depth: o.depth } : {}), maxSteps: o.maxSteps, maxSeconds: o.maxSeconds };
}

type Searched = ExplorationResult & { pctBound: number | null; sampling: SamplingScope | null; workers?: number; approximate?: Approximation };

/** Runs an audit on the calling thread (one worker). `runAuditInWorker` runs the same off the event loop. */
export function runAudit(req: AuditRequest, hooks: AuditHooks = {}): AuditResult {
  const model = resolveModel(req);
  const b = req.bounds ?? {};
  let result: Searched;
  if (req.strategy === 'exhaustive') {
    const { runs: _runs, seed: _seed, ...searchBounds } = b;
    const opts = { bounds: searchBounds, ...req.reductions, onProgress: hooks.onProgress, cancel: hooks.cancel as { cancelled: boolean } };
    const approximate = approximateOptions(req);
    const spill = approximate && hooks.spill ? { port: hooks.spill, maxInMemory: req.frontierInMemory } : undefined;
    const searched = approximate ? exploreBitstate(model.world, { ...opts, bitstate: approximate, spill }) : explore(model.world, opts);
    result = { ...searched, pctBound: null, sampling: null };
  } else {
    const o = samplingOptions(req);
    result = sampleAudit(model.world, { ...o, cancel: hooks.cancel });
  }
  return auditResultOf(req, model, result);
}

/** The worker threads an exhaustive audit asks for: `workers`, or every core. */
export function requestWorkers(req: AuditRequest): number {
  return Math.max(1, Math.floor(req.workers ?? availableParallelism()));
}

/**
 * Runs an audit, an exact exhaustive search on `workers` threads (default: every core) when it
 * asks for more than one: the same states and verdict as `runAudit`, sooner.
 */
export async function runAuditAsync(req: AuditRequest, hooks: AuditHooks & { readonly entry?: string } = {}): Promise<AuditResult> {
  const workers = requestWorkers(req);
  if (req.strategy !== 'exhaustive' || req.approximate || workers === 1) return runAudit(req, hooks);
  const model = resolveModel(req);
  const { runs: _runs, seed: _seed, ...searchBounds } = req.bounds ?? {};
  const searched = await exploreParallel(model.world, {
    workers,
    entry: hooks.entry,
    bounds: searchBounds,
    ...req.reductions,
    onProgress: hooks.onProgress,
    cancel: hooks.cancel as { cancelled: boolean },
  });
  return auditResultOf(req, model, { ...searched, pctBound: null, sampling: null });
}

/**
 * An exploration that stopped without a result of its own (its worker ran out of memory, it was
 * cancelled or interrupted elsewhere): inconclusive at `bound`, with the counts of its last progress.
 */
export function stoppedExploration(
  last: Pick<Progress, 'states' | 'transitions' | 'depth' | 'elapsedMs'> | null | undefined,
  bound: BoundName,
): ExplorationResult & { reductions: string[]; counterexample: null; pctBound: null; sampling: null } {
  return {
    verdict: 'inconclusive',
    boundHit: bound,
    statesStored: last?.states ?? 0,
    transitions: last?.transitions ?? 0,
    schedules: 0,
    maxDepth: last?.depth ?? 0,
    elapsedMs: last?.elapsedMs ?? 0,
    reductions: [],
    counterexample: null,
    pctBound: null,
    sampling: null,
  };
}

/** What an exploration found, as the result of the audit that asked for it (with its summary). */
export function auditResultOf(
  req: AuditRequest,
  model: ResolvedModel,
  result: Searched,
  bounds: Readonly<Record<string, number>> = requestBounds(req),
): AuditResult {
  const out: Omit<AuditResult, 'summary'> = {
    ...result,
    // only when they say something: a one-thread exact search reads as it always did
    ...((result.workers ?? 1) > 1 ? { workers: result.workers } : { workers: undefined }),
    ...(result.approximate ? { approximate: result.approximate } : { approximate: undefined }),
    scenario: model.world.scenario,
    params: model.world.params,
    variant: model.variant,
    modelHash: model.modelHash,
    memoryModel: model.world.memoryModel,
    invariants: checkedInvariants(model.world),
    strategy: req.strategy,
    reductionsOff: reductionsOff(req.reductions),
    bounds,
    violated: violatedClass(result.counterexample?.invariant),
  };
  return { ...out, summary: auditSummary(out) };
}

const n = (x: number) => x.toLocaleString('en-US');

/** A probability as a percentage a reader can quote: never rounded up to a certainty it is not. */
export function formatProbability(p: number): string {
  if (p >= 1) return '100%';
  const pct = p * 100;
  if (pct >= 99.99) {
    // floor at the first digit that is not a 9, so 99.99996% reads 99.9999%, not 100%
    const nines = Math.min(12, Math.floor(-Math.log10(1 - p)));
    return `${(Math.floor(pct * 10 ** (nines - 2)) / 10 ** (nines - 2)).toFixed(nines - 2)}%`;
  }
  if (pct >= 1) return `${(Math.floor(pct * 100) / 100).toFixed(2)}%`;
  if (pct <= 0) return '0%';
  // two significant digits, rounded down
  const unit = 10 ** (Math.floor(Math.log10(pct)) - 1);
  return `${Number((Math.floor(pct / unit) * unit).toPrecision(2))}%`;
}

/** A probability of missing something, rounded up (two significant digits): never smaller than it is. */
export function formatUpperProbability(p: number): string {
  if (p >= 1) return '100%';
  if (p <= 0) return '0%';
  const pct = p * 100;
  const unit = 10 ** (Math.floor(Math.log10(pct)) - 1);
  const up = Math.ceil(pct / unit - 1e-9) * unit;
  return up >= 100 ? '100%' : `${Number(up.toPrecision(2))}%`;
}

/** The approximate method and its table, in words (the summary and the CLI's text). */
export function approximationWords(a: Approximation): string {
  return a.method === 'hashcompact'
    ? `hash compaction (${a.signatureBits ?? 64}-bit signatures, ${n(Math.round(2 ** a.log2Bits / 64))} slots, hash factor ${a.hashFactor.toFixed(1)})`
    : `bitstate hashing (2^${a.log2Bits} bits, ${a.hashes} a state, hash factor ${a.hashFactor.toFixed(1)})`;
}

const boundWords: Record<string, string> = {
  states: 'the states bound',
  depth: 'the depth bound',
  time: 'the time bound',
  memory: 'the memory bound',
  cancelled: 'a cancellation',
};

/**
 * What an audit checked and what its verdict means, in words: the invariants, the memory model,
 * the reductions (and those switched off), the bounds, and for sampling the runs and PCT's
 * probability bound. The CLI prints it; JSON, REST and GraphQL carry it as `summary`.
 */
export function auditSummary(r: Omit<AuditResult, 'summary'>): string {
  const what = `${r.invariants.join(', ')} under ${r.memoryModel}`;
  const off = r.reductionsOff.length ? `; switched off: ${r.reductionsOff.join(', ')}` : '';
  if (r.strategy === 'exhaustive') {
    const used = r.reductions.filter((x) => (SWITCHABLE_REDUCTIONS as readonly string[]).includes(x));
    const workers = (r.workers ?? 1) > 1 ? ` on ${r.workers} workers` : '';
    const without = r.shortestWithout?.length
      ? ` (${r.shortestWithout.join(', ')} found the violation first; this search without it, its shortest counterexample)`
      : '';
    const how = `exhaustive search${workers}, ${n(r.statesStored)} states, reductions: ${used.join(', ') || 'none'}${without}${off}; bounds: ${n(r.bounds.maxStates)} states, depth ${n(r.bounds.maxDepth)}, ${n(r.bounds.maxSeconds)} s, ${n(r.bounds.maxMemoryMB)} MB`;
    const cx = r.counterexample;
    if (r.verdict === 'violated' && cx?.notShortest)
      return `violated: ${cx.invariant} breaks at step ${cx.step} of a counterexample of ${cx.length} steps, found with partial-order reduction, which may lengthen it (${boundWords[cx.notShortest] ?? 'a bound'} stopped the search for a shortest); checked ${what} (${how})`;
    if (r.verdict === 'violated' && cx)
      return `violated: ${cx.invariant} breaks at step ${cx.step} of a shortest counterexample (${cx.length} steps); checked ${what} (${how})`;
    const a = r.approximate;
    // A bound of the engine's weak-memory state held a thread back: what lies beyond it was not searched.
    // (an ordering a litmus twin checked for this world is said, and does not make the holds the engine's)
    const open = unchecked(r.modelBounds);
    const checked = (r.modelBounds ?? []).filter((b) => b.checkedBy !== undefined);
    const cut =
      (open.length
        ? `; but the engine held threads back at its own bounds on weak-memory state or its orderings beyond the model's, so executions beyond them were not searched: ${open.map(modelBoundWords).join('; ')} (docs/memory-model.md, "the engine's own bounds")`
        : '') + (checked.length ? `; the engine's orderings beyond the model's were used where checked: ${checked.map(modelBoundWords).join('; ')}` : '');
    if (r.verdict === 'holds' && a) {
      return `holds (approximate): no state reached violates ${what}; ${approximationWords(a)}: the probability that a reachable state was missed is at most ${formatUpperProbability(a.omissionProbability)}${cut} (${how})`;
    }
    if (r.verdict === 'holds' && open.length) return `holds within the engine's bounds: no state reached violates ${what}${cut} (${how})`;
    if (r.verdict === 'holds') return `holds: no reachable state violates ${what}${cut} (${how})`;
    return `inconclusive: ${boundWords[r.boundHit ?? ''] ?? 'a bound'} stopped the search; no violation of ${what} in the states explored${cut} (${how})`;
  }
  const s = r.sampling;
  const runs = s ? s.runs : r.schedules;
  const kind = r.strategy === 'pct' ? 'PCT' : 'random';
  const how = `${kind} sampling, seeds ${n(r.bounds.seed)}..${n(r.bounds.seed + Math.max(0, runs - 1))}; bounds: ${n(r.bounds.runs)} runs, ${n(r.bounds.maxSteps)} steps a run, ${n(r.bounds.maxSeconds)} s; no reductions`;
  if (r.verdict === 'violated' && r.counterexample)
    return `violated: ${r.counterexample.invariant} breaks at step ${r.counterexample.step} of run ${n(runs)} (${kind}); checked ${what} (${how})`;
  const stopped = r.boundHit ? ` (stopped early by ${boundWords[r.boundHit] ?? 'a bound'})` : '';
  const guarantee =
    s && s.foundProbability !== null && s.perRun !== null
      ? `; a bug of depth ≤ ${s.depth} would have been found with probability ≥ ${formatProbability(s.foundProbability)} (≥ 1/${n(Math.ceil(1 / s.perRun))} per run)`
      : r.strategy === 'random'
        ? '; random schedules give no probability bound (use --strategy pct for one, or exhaustive for a proof)'
        : '';
  return `inconclusive: no violation of ${what} in ${n(runs)} ${kind} runs${stopped}${guarantee} (${how})`;
}

/** One side of a comparison, as the conclusion reads it. */
export interface ComparedAudit {
  readonly variant: string;
  readonly verdict: ExplorationResult['verdict'];
  readonly boundHit: ExplorationResult['boundHit'];
}

/** What a baseline and a fix audited side by side say, in words. */
export function comparisonConclusion(baseline: ComparedAudit, fix: ComparedAudit): string {
  const bound = fix.boundHit ? ` within the bound (${fix.boundHit})` : '';
  const b = baseline.verdict;
  const f = fix.verdict;
  if (b === 'violated' && f === 'holds')
    return `the baseline (${baseline.variant}) is violated and the fix (${fix.variant}) holds${bound}: the fix removes the violation`;
  if (b === 'violated' && f === 'violated') return `both are violated: the fix (${fix.variant}) does not remove the violation`;
  if (b === 'holds' && f === 'holds') return `both hold${bound}: the baseline shows no violation to fix`;
  if (f === 'violated') return `the fix (${fix.variant}) is violated while the baseline is ${b}: the fix introduces a violation`;
  return `inconclusive: baseline ${b}, fix ${f}`;
}

function violatedClass(invariant: string | undefined): AuditResult['violated'] {
  if (invariant === undefined) return null;
  // a name no built-in has is one of the document's user invariants: its author's claim, class `user`
  return { invariant, ...violatedInvariantLabel(invariant) };
}
