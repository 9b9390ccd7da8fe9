import { findScenario, resolveModel, violatedInvariantLabel } from '@mmreplay/model';
import type { Approximation, AuditRequest, AuditResult, ReductionName, SamplingScope } from '@mmreplay/explorer';
import type { ModelBoundMet } from '@mmreplay/engine';
import type { JsonValue, RunViolation } from '@mmreplay/events';
import type { AuditEntry, RunEntry, RunReport } from '@mmreplay/runs';
import type { ApiAudit, ApiRun } from '@mmreplay/contracts';
import { loadedDocument } from '../scenario-file.js';
import { ApiUnavailableError } from './remote-http.js';
import type { AuditReport, CliAuditRequest, ScenarioListing } from './backend.js';
import { UsageError } from '../io.js';

// The API's answers (the contracts' types, generated from its OpenAPI document) mapped back to the
// shapes the services return, and the commands' requests mapped to what the API takes, so every
// command prints the same thing over `--api` as on the embedded store.

/** A JSON object of the wire (typed `unknown` by the OpenAPI document) as the services type it. */
const jsonObject = (o: { [key: string]: unknown }): Record<string, JsonValue> => o as Record<string, JsonValue>;

/** The API names the unmodified protocol `kernel`; the services, no variant. */
const variantOf = (v: string): string | null => (v === 'kernel' ? null : v);

/** The memory model travels as the variant's MEM switch. */
export const apiVariant = (req: AuditRequest): AuditRequest['variant'] =>
  req.memoryModel === undefined
    ? req.variant
    : req.variant === undefined
      ? { name: 'kernel', switches: { MEM: req.memoryModel } }
      : typeof req.variant === 'string'
        ? { name: req.variant, base: req.variant, switches: { MEM: req.memoryModel } }
        : { ...req.variant, switches: { ...req.variant.switches, MEM: req.memoryModel } };

/** `--param k=v` values are strings; the API takes integers (and refuses anything else, as the CLI does). */
export const apiParams = (params: Readonly<Record<string, number | string>> | undefined) =>
  params && Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v]));

/** A built-in or published name as `scenario`; a document loaded from a file, as it is. */
export function scenarioTarget(name: string): { scenario: string } | { document: unknown } {
  const document = loadedDocument(name);
  return document === undefined ? { scenario: name } : { document };
}

/** What an audit and a comparison send alike, besides their variants. The server spills where it chooses. */
export function auditCommon(req: CliAuditRequest) {
  if (req.spillDir !== undefined) throw new UsageError('--spill-dir cannot be used with --api: the server spills to its own directory (MMREPLAY_SPILL_DIR)');
  const approximate = typeof req.approximate === 'string' ? req.approximate : req.approximate ? 'bitstate' : undefined;
  return {
    ...scenarioTarget(req.scenario),
    params: apiParams(req.params),
    invariants: req.invariants,
    strategy: req.strategy,
    bounds: req.bounds,
    reductions: req.reductions,
    workers: req.workers,
    approximate,
    frontierInMemory: req.frontierInMemory,
  };
}

/** One node of `GET /scenarios` (the OpenAPI document does not type it); invariants are objects there, names here. */
export type ApiScenario = Omit<ScenarioListing, 'invariants' | 'userInvariants'> & {
  invariants: ({ name: string; class?: string; description?: string } | string)[];
};

export const listingOf = (s: ApiScenario): ScenarioListing => ({
  name: s.name,
  title: s.title,
  row: s.row,
  description: s.description,
  params: s.params.map((p) => ({ name: p.name, default: p.default, min: p.min, max: p.max, description: p.description })),
  switches: s.switches.map((w) => ({ name: w.name, values: w.values, default: w.default, description: w.description })),
  variants: s.variants.map((v) => ({ name: v.name, description: v.description })),
  invariants: s.invariants.map((i) => (typeof i === 'string' ? i : i.name)),
  userInvariants: s.invariants.flatMap((i) => (typeof i !== 'string' && i.class === 'user' ? [{ name: i.name, description: i.description ?? '' }] : [])),
});

/** What names a run's model, in the order the services give it. */
const runModelOf = (r: ApiRun) => ({
  scenario: r.scenario,
  params: jsonObject(r.params),
  variant: variantOf(r.variant),
  modelHash: r.modelHash,
  strategy: r.strategy,
  seed: r.seed,
});

/** A recorded run as `startRun` reports it: the server stored its started and completed events too. */
export function runReportOf(r: ApiRun): RunReport {
  const events = (r.steps ?? 0) + 2;
  return {
    runId: r.id,
    stream: `run-${r.id}`,
    ...runModelOf(r),
    outcome: r.outcome!,
    violation: (r.violation ?? null) as RunViolation | null,
    steps: r.steps ?? 0,
    schedule: r.schedule ?? '',
    events,
    appended: events,
    verified: 0,
  };
}

export const runEntryOf = (r: ApiRun, team: string): RunEntry => ({
  runId: r.id,
  team,
  ...runModelOf(r),
  author: r.author,
  status: r.status,
  outcome: r.outcome ?? null,
  violation: (r.violation ?? null) as RunViolation | null,
  steps: r.steps ?? null,
  schedule: r.schedule ?? null,
  createdAt: r.createdAt,
  completedAt: r.completedAt ?? null,
  counterexampleOf: r.counterexampleOf,
});

export const auditEntryOf = (a: ApiAudit, team: string): AuditEntry => ({
  auditId: a.id,
  team,
  scenario: a.scenario,
  params: jsonObject(a.params),
  variant: variantOf(a.variant),
  modelHash: a.modelHash,
  mode: a.strategy,
  invariants: a.invariants,
  author: a.author,
  status: a.status === 'running' ? 'running' : 'completed',
  verdict: a.verdict ?? null,
  createdAt: a.createdAt,
  completedAt: a.completedAt ?? null,
  counterexamples: a.counterexample ? [a.counterexample.runId] : [],
});

/**
 * The broken invariant's class, as the server labels it (the same table): a built-in's, or `user`
 * for the document's own. Labelled here rather than taken from the wire, so that an older server's
 * `protocol` for a user invariant is not repeated.
 */
const violatedOf = (invariant: string): AuditResult['violated'] => ({ invariant, ...violatedInvariantLabel(invariant) });

/** A finished API audit as the explorer reports one. */
export function auditReportOf(a: ApiAudit, req: AuditRequest, variant: AuditRequest['variant']): AuditReport {
  if (!a.result || !a.verdict) throw new ApiUnavailableError(`audit ${a.id} ended ${a.status}${a.error ? `: ${a.error}` : ''}`);
  // What the server does not say (the memory model of the exact model) is resolved here, as the server did.
  // A published `name@version` is the server's alone: its params and memory model are the server's answer.
  const document = loadedDocument(req.scenario);
  const model =
    findScenario(req.scenario) || document !== undefined ? resolveModel({ scenario: req.scenario, document, params: req.params, variant }) : undefined;
  const {
    runId,
    invariantClass: _class,
    invariantBacking: _backing,
    ...counterexample
  } = a.counterexample ?? { runId: '', invariantClass: '', invariantBacking: '' };
  // The server audits with its own caps: its bounds are the ones in force; sampling's step bound is the explorer's.
  const inForce = a.bounds as Record<string, number>;
  const bounds =
    a.strategy === 'exhaustive'
      ? { ...inForce }
      : { runs: inForce.runs, seed: inForce.seed ?? 0, ...(a.strategy === 'pct' ? { depth: 3 } : {}), maxSteps: 1_000_000, maxSeconds: inForce.maxSeconds };
  for (const k of ['runs', 'seed'] as const) if (a.strategy === 'exhaustive') delete bounds[k];
  return {
    ...(runId ? { counterexampleRunId: runId } : {}),
    verdict: a.verdict,
    boundHit: a.result.bound ?? null,
    statesStored: a.result.statesStored,
    transitions: a.result.transitions,
    schedules: a.result.schedules,
    maxDepth: a.result.maxDepth,
    elapsedMs: a.result.elapsedMs,
    reductions: a.result.reductions,
    counterexample: a.counterexample ? (counterexample as AuditResult['counterexample']) : null,
    scenario: a.scenario,
    params: model?.world.params ?? (a.params as Record<string, number>),
    variant: a.variant,
    modelHash: a.modelHash,
    memoryModel: a.memoryModel ?? model?.world.memoryModel ?? 'sc',
    invariants: a.invariants,
    strategy: a.strategy,
    pctBound: a.result.pctBound ?? null,
    reductionsOff: (a.reductionsOff ?? []) as ReductionName[],
    bounds,
    sampling: (a.result.sampling ?? null) as SamplingScope | null,
    // as the embedded audit reports it: only an approximate search says so
    ...(a.result.approximate ? { approximate: a.result.approximate as Approximation } : {}),
    ...(a.result.modelBounds?.length ? { modelBounds: a.result.modelBounds as ModelBoundMet[] } : {}),
    summary: a.result.summary ?? '',
    violated: a.counterexample ? violatedOf(a.counterexample.invariant) : null,
  };
}
