import { invariantBacking, resolveModel, type InvariantClass, type MemoryModelName, type Variant } from '@mmreplay/model';
import { explore, type Bounds, type ExplorationResult, type Progress } from './explorer.js';
import { sampleAudit } from './sampling.js';

/** A fix hypothesis to check: an invariant set over a scenario under a protocol variant. */
export interface AuditRequest {
  readonly scenario: string;
  readonly params?: Readonly<Record<string, number | string>>;
  readonly variant?: string | Variant;
  readonly invariants?: readonly string[];
  readonly memoryModel?: MemoryModelName;
  readonly strategy: 'exhaustive' | 'pct' | 'random';
  readonly bounds?: Partial<Bounds> & { readonly runs?: number; readonly seed?: number };
  /** turn reductions off, e.g. to compare their effect */
  readonly reductions?: { readonly symmetry?: boolean; readonly partialOrder?: boolean; readonly deadRegisters?: boolean };
}

export interface AuditResult extends ExplorationResult {
  readonly scenario: string;
  readonly params: Readonly<Record<string, number | string>>;
  readonly variant: string;
  readonly modelHash: string;
  readonly memoryModel: MemoryModelName;
  readonly invariants: readonly string[];
  readonly strategy: AuditRequest['strategy'];
  /** PCT only: the guaranteed probability that one run finds a bug of depth 3 */
  readonly pctBound: number | null;
  /** the broken invariant's class (a kernel assertion would fire, or a protocol argument fails) and what backs it */
  readonly violated: { readonly invariant: string; readonly class: InvariantClass; readonly backing: string } | null;
}

export interface AuditHooks {
  readonly onProgress?: (p: Progress) => void;
  readonly cancel?: { readonly cancelled: boolean };
}

/** Runs an audit on the calling thread. `runAuditInWorker` runs the same off the event loop. */
export function runAudit(req: AuditRequest, hooks: AuditHooks = {}): AuditResult {
  const model = resolveModel(req);
  const b = req.bounds ?? {};
  const result =
    req.strategy === 'exhaustive'
      ? { ...explore(model.world, { bounds: b, ...req.reductions, onProgress: hooks.onProgress, cancel: hooks.cancel as { cancelled: boolean } }), pctBound: null }
      : sampleAudit(model.world, { strategy: req.strategy, runs: b.runs ?? 10_000, seed: b.seed, maxSeconds: b.maxSeconds, cancel: hooks.cancel });
  return {
    ...result,
    scenario: model.world.scenario,
    params: model.world.params,
    variant: model.variant,
    modelHash: model.modelHash,
    memoryModel: model.world.memoryModel,
    invariants: model.world.invariants,
    strategy: req.strategy,
    violated: violatedClass(result.counterexample?.invariant),
  };
}

function violatedClass(invariant: string | undefined): AuditResult['violated'] {
  const b = invariant === undefined ? undefined : invariantBacking(invariant);
  return invariant === undefined || !b ? null : { invariant, ...b };
}
