// Issue 11 items 4-5 over HTTP: unknown or inapplicable invariants and unknown switches are 400s
// naming the field and the valid names (REST problem details, typed GraphQL errors) for audits and
// comparisons; an audit says what it checked; each reduction can be switched off.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from './harness.js';

describe('audits say exactly what they checked', () => {
  let api: TestApi;
  let token: string;

  beforeAll(async () => {
    api = await TestApi.start({ audits: { maxConcurrentPerTeam: 4 } });
    token = await api.team('mm');
  });
  afterAll(() => api.close());

  it('--invariant bugon: 400 naming the field and the valid invariants, REST and GraphQL alike', async () => {
    const r = await api.post('/audits', { scenario: 'seed', variant: 'unlock-before-remove', invariants: ['bugon'] }, token);
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ type: '/problems/invalid-request', status: 400 });
    expect(r.body.errors).toEqual([
      {
        field: 'invariants[0]',
        message: expect.stringMatching(
          /^unknown invariant 'bugon'; did you mean 'bug-on'\? \(invariants that apply to scenario 'seed': bug-on, I1, I2, I3, I6, I7, I9, .*deadlock\)$/,
        ),
      },
    ]);
    const g = await api.graphql(
      'mutation { startAudit(input: { scenario: "seed", variant: "unlock-before-remove", invariants: ["bugon"] }) { id } }',
      {},
      token,
    );
    expect(g.body.data).toBeNull();
    expect(g.body.errors[0].extensions).toMatchObject({
      code: 'BAD_USER_INPUT',
      errors: [{ field: 'invariants[0]', message: expect.stringMatching(/did you mean 'bug-on'/) }],
    });
  });

  it('an invariant that does not apply, an unknown switch or value: 400 for audits, comparisons and runs', async () => {
    const weak = await api.post('/audits', { scenario: 'seed', invariants: ['weak-outcome'] }, token);
    expect(weak.status).toBe(400);
    expect(weak.body.errors[0]).toMatchObject({
      field: 'invariants[0]',
      message: expect.stringMatching(/^invariant 'weak-outcome' does not apply to scenario 'seed'/),
    });
    const cmp = await api.post('/comparisons', { scenario: 'seed', baseline: 'unlock-before-remove', invariants: ['weak-outcome'] }, token);
    expect(cmp.status).toBe(400);
    expect(cmp.body.errors.map((e: { field: string }) => e.field)).toEqual(['invariants[0]']);
    const sw = await api.post(
      '/comparisons',
      { scenario: 'seed', baseline: { switches: { MUTANT: 'unlock-before-remove' } }, fix: { switches: { WAIT: 'sometimes' } } },
      token,
    );
    expect(sw.status).toBe(400);
    expect(sw.body.errors).toEqual([{ field: 'fix.switches.WAIT', message: "'sometimes' is not a value of WAIT: must be one of post, pre" }]);
    const run = await api.post('/runs', { scenario: 'seed', variant: { switches: { MIGG: 'v5' } } }, token);
    expect(run.status).toBe(400);
    expect(run.body.errors[0]).toMatchObject({ field: 'switches.MIGG', message: expect.stringMatching(/did you mean 'MIG'\?/) });
    const g = await api.graphql(
      'mutation { startComparison(input: { scenario: "seed", baseline: "unlock-before-remove", invariants: ["weak-outcome"] }) { id } }',
      {},
      token,
    );
    expect(g.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', errors: [{ field: 'invariants[0]' }] });
  });

  it('exhaustive, reductions switched off: the result names the invariants, memory model, reductions used and off, bounds, in words too', async () => {
    const r = await api.post(
      '/audits',
      { scenario: 'seed', params: { ptes: 2, faults: 2 }, variant: 'unlock-before-remove', reductions: { symmetry: false, deadRegisters: false } },
      token,
    );
    expect(r.status).toBe(202);
    expect(r.body).toMatchObject({
      invariants: ['bug-on', 'I3', 'I9', 'use-after-free', 'deadlock'],
      memoryModel: 'sc',
      reductionsOff: ['symmetry', 'dead-registers'],
    });
    const done = await api.settled(r.body.id, token);
    expect(done.verdict).toBe('violated');
    // partial order found the violation; the answer is the search without it (a shortest counterexample)
    expect(done.result.reductions).not.toContain('partial-order');
    expect(done.result.reductions).not.toContain('symmetry');
    expect(done.result.reductions).not.toContain('dead-registers');
    expect(done.result.summary).toMatch(
      /^violated: bug-on breaks at step \d+ of a shortest counterexample .*checked bug-on, I3, I9, use-after-free, deadlock under sc \(exhaustive search, [\d,]+ states, reductions: none \(partial-order found the violation first; this search without it, its shortest counterexample\); switched off: symmetry, dead-registers; bounds: 5,000,000 states/,
    );
    const g = await api.graphql(
      `{ audit(id: "${r.body.id}") { invariants memoryModel reductionsOff bounds result { reductions summary sampling { runs } } } }`,
      {},
      token,
    );
    expect(g.body.data.audit).toMatchObject({
      memoryModel: 'sc',
      reductionsOff: ['symmetry', 'dead-registers'],
      result: { summary: done.result.summary, sampling: null },
    });
  });

  it('PCT: the runs done and the probability bound, in words; comparisons take reductions too', async () => {
    const r = await api.post('/audits', { scenario: 'seed', strategy: 'pct', bounds: { runs: 1_000 } }, token);
    const done = await api.settled(r.body.id, token);
    expect(done.verdict).toBe('inconclusive');
    expect(done.result.sampling).toMatchObject({ runs: 1_000, depth: 3, perRun: done.result.pctBound, foundProbability: expect.any(Number) });
    expect(done.result.summary).toMatch(
      /^inconclusive: no violation of .* in 1,000 PCT runs; a bug of depth ≤ 3 would have been found with probability ≥ [\d.]+%/,
    );
    const c = await api.post(
      '/comparisons',
      { scenario: 'seed', params: { ptes: 2, faults: 2 }, baseline: 'unlock-before-remove', reductions: { partialOrder: false } },
      token,
    );
    expect(c.status).toBe(202);
    expect([c.body.baseline.reductionsOff, c.body.fix.reductionsOff]).toEqual([['partial-order'], ['partial-order']]);
    await api.settled(c.body.baseline.id, token);
    await api.settled(c.body.fix.id, token);
  });
});
