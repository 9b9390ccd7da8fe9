import { beforeAll, describe, expect, it } from 'vitest';
import { InMemoryEventStore } from '@mmreplay/event-store';
import { predicateWork, PredicateBudgetError, SEED_QUESTION, WorkBudget } from '@mmreplay/projections';
import { RunService } from './run.service.js';
import { QueryService } from './query.service.js';

/** `exists pte` nested `depth` deep around a test that never holds: every combination is tried. */
function nested(depth: number): unknown {
  let where: unknown = { all: Array.from({ length: depth }, (_, i) => ({ pte: `$p${i}`, kind: 'swap' })) };
  for (let i = depth - 1; i >= 0; i--) where = { exists: 'pte', as: `$p${i}`, where };
  return where;
}

describe('predicate work budget (issue 12, attack 4)', () => {
  const store = new InMemoryEventStore();
  const queries = new QueryService(store);

  beforeAll(async () => {
    await new RunService(store).startRun({ runId: 'wide', scenario: 'seed', params: { ptes: 13, faults: 2 }, strategy: 'round-robin' });
  });

  it('exists pte nested 4 deep over 13 PTEs is refused at once, naming the budget', async () => {
    const t0 = performance.now();
    const error = await queries.firstWhere('wide', nested(4)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PredicateBudgetError);
    expect((error as PredicateBudgetError).budget).toBe('work per state');
    expect((error as Error).message).toMatch(/work per state budget of 50000 tests/);
    expect(performance.now() - t0).toBeLessThan(500);
  });

  it('the seed question and 2-deep nesting still run to the end', async () => {
    expect(await queries.firstWhere('wide', nested(2))).toBeNull();
    const r = await queries.firstWhere('wide', SEED_QUESTION);
    expect(r === null || r.step >= -1).toBe(true);
  });

  it('a scan that fits per state but not per request stops at the request budget', async () => {
    // 3 deep: about 13^3 x 4 tests per state, within the per-state budget; 1,000 states exceed 10^6
    const perState = predicateWork(await queries.model('wide'), nested(3));
    expect(perState).toBeGreaterThan(8_000);
    const budget = new WorkBudget(perState, 1_000_000);
    expect(() => {
      for (let i = 0; i < 1_000; i++) budget.spend();
    }).toThrow(/work per request budget of 1000000/);
  });
});
