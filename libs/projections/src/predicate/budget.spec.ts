import { describe, expect, it } from 'vitest';
import { recordRun } from '../../test/engine-runs.js';
import { RunModel } from '../run-model.js';
import { MAX_WORK_PER_REQUEST, MAX_WORK_PER_STATE, PredicateBudgetError, WorkBudget, predicateWork } from './budget.js';
import { InvalidPredicateError } from './predicate.js';

// The predicate work budget inside the library (issue 20: budget.ts had no test of its own, only
// the query service's in libs/runs, which a per-library mutation run does not execute), and the
// invalid-predicate error's message.

// two worlds that between them tell every pair of kinds apart by domain size
const models = [{ scenario: 'c10-device-private' }, { scenario: 'c11-split-order' }].map((target) => new RunModel(recordRun(target, 'random', 1, 10).started));
const sizes = models.map(({ world: w }) => ({ page: w.pages.length, pte: w.ptes.length, ptl: w.ptls.length, thread: w.threads.length, vma: w.vmas.length }));
const KINDS = ['page', 'pte', 'ptl', 'thread', 'vma'] as const;
const model = models[0];

describe('predicate work', () => {
  it('the test worlds tell every pair of kinds apart', () => {
    for (const a of KINDS)
      for (const b of KINDS)
        if (a !== b)
          expect(
            sizes.some((size) => size[a] !== size[b]),
            `${a} ${b}`,
          ).toBe(true);
  });
  it('a test costs 1, a connective 1 plus its operands, a quantifier 1 plus its domain times its body', () => {
    const test = { page: 'P', locked: true };
    expect(predicateWork(model, test)).toBe(1);
    expect(predicateWork(model, { all: [test, test, test] })).toBe(4);
    expect(predicateWork(model, { any: [test, { not: test }] })).toBe(4);
    expect(predicateWork(model, { not: { not: test } })).toBe(3);
    models.forEach((m, i) => {
      const size = sizes[i];
      for (const kind of KINDS) {
        expect(predicateWork(m, { exists: kind, as: '$x', where: test }), kind).toBe(1 + size[kind]);
        expect(predicateWork(m, { every: kind, as: '$x', where: { all: [test, test] } }), kind).toBe(1 + size[kind] * 3);
      }
      expect(predicateWork(m, { exists: 'thread', as: '$t', where: { every: 'pte', as: '$e', where: test } })).toBe(1 + size.thread * (1 + size.pte));
    });
  });
  it('what is not a connective or a quantifier counts as one test', () => {
    expect(predicateWork(model, null)).toBe(1);
    expect(predicateWork(model, [1, 2, 3])).toBe(1);
    expect(predicateWork(model, 'P')).toBe(1);
    // `not` beside test fields is a test field, not the connective
    expect(predicateWork(model, { not: { all: [{ page: 'P' }, { page: 'P' }] }, page: 'P' })).toBe(1);
    expect(predicateWork(model, { all: 'P' })).toBe(1);
    expect(predicateWork(model, { exists: 3, where: { all: [{ page: 'P' }] } })).toBe(1);
  });
});

describe('work budgets', () => {
  it('refuse a predicate whose work per state is over the limit before anything is spent, and take one at the limit', () => {
    expect(() => new WorkBudget(MAX_WORK_PER_STATE)).not.toThrow();
    let error: unknown;
    try {
      new WorkBudget(MAX_WORK_PER_STATE + 1);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PredicateBudgetError);
    expect(error).toMatchObject({
      code: 'PREDICATE_BUDGET_EXCEEDED',
      name: 'PredicateBudgetError',
      budget: 'work per state',
      limit: MAX_WORK_PER_STATE,
      needed: MAX_WORK_PER_STATE + 1,
      kind: 'budget',
      issues: [{ field: 'where', message: `work per state: ${MAX_WORK_PER_STATE}` }],
    });
    expect((error as Error).message).toBe(
      `the predicate exceeds the work per state budget of ${MAX_WORK_PER_STATE} tests (it needs ${MAX_WORK_PER_STATE + 1}): nest fewer quantifiers, or scan a shorter range with 'from'`,
    );
  });
  it('stop a scan at the first state past the per-request budget, saying how much was spent so far', () => {
    const budget = new WorkBudget(7, 21);
    budget.spend();
    budget.spend();
    budget.spend();
    expect(() => budget.spend()).toThrow(
      expect.objectContaining({
        budget: 'work per request',
        limit: 21,
        needed: 28,
        message:
          "the predicate exceeds the work per request budget of 21 tests (it needs 28 so far): nest fewer quantifiers, or scan a shorter range with 'from'",
      }),
    );
  });
  it('default to the per-request maximum', () => {
    const budget = new WorkBudget(MAX_WORK_PER_STATE);
    const spends = MAX_WORK_PER_REQUEST / MAX_WORK_PER_STATE;
    for (let i = 0; i < spends; i++) budget.spend();
    expect(() => budget.spend()).toThrow(PredicateBudgetError);
  });
});

describe('invalid predicates', () => {
  it('list every issue with where it is, the root named as such', () => {
    const e = new InvalidPredicateError([
      { field: '', message: 'not an object' },
      { field: 'all[1].page', message: "no page 'X'" },
    ]);
    expect(e).toMatchObject({ code: 'INVALID_PREDICATE', name: 'InvalidPredicateError' });
    expect(e.message).toBe("invalid predicate: (root): not an object; all[1].page: no page 'X'");
    expect(e.issues).toHaveLength(2);
  });
});
