import {
  assertPathsCanRun,
  checkedInvariants,
  InvalidModelRequestError,
  InvalidVariantError,
  parseVariant,
  resolveModel,
  VariantNotApplicableError,
  type FieldIssue,
  type MemoryModelName,
  type Variant,
} from '@mmreplay/model';
import { APPROXIMATE_METHODS, AUDIT_STRATEGIES, type ApproximateMethod, type AuditRequest } from '@mmreplay/explorer';
import type { JsonObject, JsonValue } from '@mmreplay/events';
import type { AuditRequestedData, AuditStrategy } from './audit-view.js';
import { InvalidAuditRequestError } from './errors.js';

// What a member asks to audit, resolved against the model and the server's caps into the request
// the explorer runs and the `AuditRequested` that records it. Pure: no store, no clock, no job.

/** What a member asks to audit. */
export interface StartAuditRequest {
  scenario: string;
  /** the scenario as a document (published or inline): its world instead of a built-in's */
  document?: unknown;
  params?: Record<string, number | string>;
  /** a named variant, a variant object, or absent for the kernel protocol */
  variant?: string | Variant;
  /** default: the scenario's */
  invariants?: string[];
  /** the memory model of relaxed accesses (default: the variant's MEM switch, `sc`) */
  memoryModel?: MemoryModelName;
  /** default `exhaustive` */
  strategy?: AuditStrategy;
  /** `maxMemoryMB`: the search's memory bound (visited set, frontier in memory, every worker), at most the server's cap */
  bounds?: { maxStates?: number; maxDepth?: number; maxSeconds?: number; maxMemoryMB?: number; runs?: number; seed?: number };
  reductions?: { symmetry?: boolean; partialOrder?: boolean; deadRegisters?: boolean };
  /** exhaustive: worker threads (default: every core) */
  workers?: number;
  /** exhaustive: bitstate hashing (`bitstate`, or `true`) or hash compaction (`hashcompact`): an approximate holds */
  approximate?: boolean | ApproximateMethod;
  /** approximate: states of a breadth-first level kept in memory; the rest goes to the server's spill directory */
  frontierInMemory?: number;
}

/** A baseline and a fix of one scenario, audited together. */
export interface StartComparisonRequest extends Omit<StartAuditRequest, 'variant'> {
  baseline: string | Variant;
  /** default: the kernel protocol */
  fix?: string | Variant;
}

/** Server-side limits: a request over a limit is refused, one without bounds gets these. */
export interface AuditCaps {
  maxStates: number;
  maxDepth: number;
  maxSeconds: number;
  /** samples of a pct / random audit */
  maxRuns: number;
  /** audits one team may run at once */
  maxConcurrentPerTeam: number;
  /** the largest memory bound a request may ask for, MB (absent: the worker's default, 70% of its heap) */
  maxMemoryMB: number;
}

export const DEFAULT_AUDIT_CAPS: AuditCaps = {
  maxStates: 5_000_000,
  maxDepth: 100_000,
  maxSeconds: 300,
  maxRuns: 100_000,
  maxConcurrentPerTeam: 2,
  maxMemoryMB: 4_096,
};

/** The most states of a level an approximate audit may keep in memory, and the fewest. */
export const FRONTIER_IN_MEMORY = { min: 1, max: 100_000_000 } as const;

/** A request checked and resolved: what the explorer runs, and what the log records of it. */
export interface ResolvedAudit {
  request: AuditRequest;
  variantName: string;
  variantSpec: Variant | null;
  modelHash: string;
  variant: string | Variant | undefined;
  invariants: string[];
  memoryModel: MemoryModelName;
}

/**
 * Checks a request against the caps and the model. Every issue is reported at once (a 400); the
 * model's own typed errors (unknown scenario, a variant that does not apply) pass through, their
 * fields named from the request's root. `prefix` names the variant's field (`baseline`, `fix`).
 */
export function resolveAuditRequest(req: StartAuditRequest, caps: AuditCaps, prefix?: string): ResolvedAudit {
  const issues: FieldIssue[] = [];
  const strategy = req.strategy ?? 'exhaustive';
  if (!AUDIT_STRATEGIES.includes(strategy)) issues.push({ field: 'strategy', message: `must be one of ${AUDIT_STRATEGIES.join(', ')}` });
  const b = req.bounds ?? {};
  const capped = <D extends number | undefined>(field: 'maxStates' | 'maxDepth' | 'maxSeconds' | 'maxMemoryMB' | 'runs', cap: number, dflt: D): number | D => {
    const v = b[field];
    if (v === undefined) return dflt;
    if (!Number.isSafeInteger(v) || v < 1) issues.push({ field: `bounds.${field}`, message: 'must be a positive integer' });
    else if (v > cap) issues.push({ field: `bounds.${field}`, message: `must be at most ${cap} on this server` });
    return v;
  };
  const bounds = {
    maxStates: capped('maxStates', caps.maxStates, caps.maxStates),
    maxDepth: capped('maxDepth', caps.maxDepth, caps.maxDepth),
    maxSeconds: capped('maxSeconds', caps.maxSeconds, caps.maxSeconds),
    runs: capped('runs', caps.maxRuns, Math.min(10_000, caps.maxRuns)),
    seed: b.seed ?? 0,
  };
  const maxMemoryMB = capped('maxMemoryMB', caps.maxMemoryMB, undefined);
  if (!Number.isSafeInteger(bounds.seed) || bounds.seed < 0) issues.push({ field: 'bounds.seed', message: 'must be a non-negative integer' });
  if (req.workers !== undefined && (!Number.isSafeInteger(req.workers) || req.workers < 1 || req.workers > 64))
    issues.push({ field: 'workers', message: 'must be an integer from 1 to 64' });
  const approximate = approximateMethod(req, strategy, issues);
  if (req.frontierInMemory !== undefined) {
    const f = req.frontierInMemory;
    if (!Number.isSafeInteger(f) || f < FRONTIER_IN_MEMORY.min || f > FRONTIER_IN_MEMORY.max)
      issues.push({ field: 'frontierInMemory', message: `must be an integer from ${FRONTIER_IN_MEMORY.min} to ${FRONTIER_IN_MEMORY.max}` });
    else if (!approximate)
      issues.push({ field: 'frontierInMemory', message: "applies to an approximate search only (the exact search's visited set is its queue)" });
  }
  const where = prefix ?? 'variant';
  const prefixed = (issues: readonly FieldIssue[]) =>
    issues.map((i) => ({
      field: i.field === 'variant' || i.field === '(root)' ? where : i.field.startsWith('invariants[') ? i.field : `${where}.${i.field}`,
      message: i.message,
    }));
  let variantSpec: Variant | null = null;
  if (req.variant !== undefined && typeof req.variant !== 'string') {
    try {
      variantSpec = parseVariant(req.variant);
    } catch (e) {
      if (e instanceof InvalidVariantError) throw InvalidAuditRequestError.of([...issues, ...prefixed(e.issues)]);
      throw e;
    }
  }
  const request: AuditRequest = {
    scenario: req.scenario,
    params: req.params,
    variant: req.variant,
    invariants: req.invariants?.length ? req.invariants : undefined,
    memoryModel: req.memoryModel,
    strategy,
    bounds: { ...bounds, ...(maxMemoryMB !== undefined ? { maxMemoryMB } : {}) },
    reductions: req.reductions,
    ...(req.document !== undefined ? { document: req.document } : {}),
    ...(req.workers !== undefined ? { workers: req.workers } : {}),
    ...(approximate ? { approximate } : {}),
    ...(approximate && req.frontierInMemory !== undefined ? { frontierInMemory: req.frontierInMemory } : {}),
  };
  // Throws the model's typed errors (unknown scenario, bad parameters, variant that does not apply).
  // Unknown or inapplicable invariants and switches are checked by the model (the CLI's check
  // too), and reported with the request's own issues in one 400.
  let model: ReturnType<typeof resolveModel> | undefined;
  try {
    model = resolveModel(request);
    // A path a variant left unable to run (a `ret` with no call, a call that recurses, a local loop
    // with no way out) is refused as a run's is, naming the step: not started, to fail on the first
    // interleaving that reaches it, or to say nothing of it where the search ends before it.
    if (!issues.length) assertPathsCanRun(model.world);
  } catch (e) {
    if (e instanceof InvalidModelRequestError) issues.push(...prefixed(e.issues));
    else if (issues.length) throw InvalidAuditRequestError.of(issues);
    else if (e instanceof VariantNotApplicableError) throw new VariantNotApplicableError(prefixed(e.issues));
    else throw e;
  }
  if (issues.length || !model) throw InvalidAuditRequestError.of(issues);
  return {
    request,
    variantName: model.variant,
    variantSpec,
    modelHash: model.modelHash,
    variant: req.variant,
    invariants: checkedInvariants(model.world),
    memoryModel: model.world.memoryModel,
  };
}

/** The approximate method a request asks for (`true` is bitstate), null for an exact search; a bad value is an issue. */
function approximateMethod(req: StartAuditRequest, strategy: string, issues: FieldIssue[]): ApproximateMethod | null {
  const a: unknown = req.approximate;
  if (a === undefined || a === null || a === false) return null;
  const method = a === true ? 'bitstate' : a;
  if (typeof method !== 'string' || !(APPROXIMATE_METHODS as readonly string[]).includes(method)) {
    issues.push({ field: 'approximate', message: `must be one of ${APPROXIMATE_METHODS.join(', ')}` });
    return null;
  }
  if (strategy !== 'exhaustive') issues.push({ field: 'approximate', message: 'applies to an exhaustive search only (sampling keeps no visited set)' });
  return method as ApproximateMethod;
}

/** The `AuditRequested` that records a resolved audit. */
export function auditRequestedData(
  p: ResolvedAudit,
  ids: { auditId: string; team: string; actor: string; comparison: AuditRequestedData['comparison'] },
): AuditRequestedData {
  const req = p.request;
  return {
    auditId: ids.auditId,
    scenario: req.scenario,
    params: (req.params ?? {}) as Record<string, JsonValue>,
    variant: p.variantName === 'kernel' ? null : p.variantName,
    invariants: p.invariants,
    memoryModel: p.memoryModel,
    mode: req.strategy === 'exhaustive' ? 'exhaustive' : 'sampling',
    bounds: { maxStates: req.bounds!.maxStates, maxDepth: req.bounds!.maxDepth, samples: req.bounds!.runs, timeLimitMs: req.bounds!.maxSeconds! * 1000 },
    modelHash: p.modelHash,
    actor: ids.actor,
    team: ids.team,
    strategy: req.strategy,
    variantSpec: p.variantSpec as JsonObject | null,
    request: JSON.parse(JSON.stringify(req)) as JsonObject,
    comparison: ids.comparison,
  };
}
