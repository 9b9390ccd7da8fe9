import { DomainError, domainSize, type Kind } from '@mmreplay/model';
import type { RunModel } from '../run-model.js';

// A predicate's work: quantifiers multiply (exists pte / exists pte / ... nested k deep over n
// PTEs is n^k tests per state), so neither the node count nor the depth limit bounds it. The
// work of a well-formed predicate (compilePredicate has accepted it) is computed before anything
// is evaluated, and a scan checks it against a per-state and a per-request budget.

/** Tests one state may cost: `exists pte` nested 3 deep over 20 PTEs (8,000 x the body) fits, 4 deep does not. */
export const MAX_WORK_PER_STATE = 50_000;
/** Tests one request may cost over all the states it scans (about 10 to 30 s of CPU, spent in slices). */
export const MAX_WORK_PER_REQUEST = 250_000_000;

/** A predicate whose evaluation would exceed a work budget. Nothing more was evaluated. */
export class PredicateBudgetError extends DomainError {
  readonly code = 'PREDICATE_BUDGET_EXCEEDED';
  readonly kind = 'budget';
  constructor(
    /** `work per state` or `work per request` */
    readonly budget: string,
    readonly limit: number,
    readonly needed: number,
  ) {
    super(
      `the predicate exceeds the ${budget} budget of ${limit} tests (it needs ${needed}${budget === 'work per request' ? ' so far' : ''}): nest fewer quantifiers, or scan a shorter range with 'from'`,
      {
        issues: [{ field: 'where', message: `${budget}: ${limit}` }],
      },
    );
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

export { domainSize };

/** The most tests one evaluation of a (valid) predicate can make: each test 1, a quantifier its domain times its body. */
export function predicateWork(model: RunModel, input: unknown): number {
  if (!isRecord(input)) return 1;
  if (Array.isArray(input.all)) return 1 + input.all.reduce((sum: number, p) => sum + predicateWork(model, p), 0);
  if (Array.isArray(input.any)) return 1 + input.any.reduce((sum: number, p) => sum + predicateWork(model, p), 0);
  if ('not' in input && Object.keys(input).length === 1) return 1 + predicateWork(model, input.not);
  for (const q of ['exists', 'every'] as const) {
    if (typeof input[q] === 'string') return 1 + domainSize(model, input[q] as Kind) * predicateWork(model, input.where);
  }
  return 1;
}

/** Counts the work of a scan and stops it, with a `PredicateBudgetError`, at a budget. */
export class WorkBudget {
  private spent = 0;

  constructor(
    readonly perState: number,
    private readonly perRequest = MAX_WORK_PER_REQUEST,
  ) {
    if (perState > MAX_WORK_PER_STATE) throw new PredicateBudgetError('work per state', MAX_WORK_PER_STATE, perState);
  }

  /** One state evaluated. */
  spend(): void {
    this.spent += this.perState;
    if (this.spent > this.perRequest) throw new PredicateBudgetError('work per request', this.perRequest, this.spent);
  }
}
