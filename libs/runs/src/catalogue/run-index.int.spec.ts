import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RunIndex, type RunIndexFilter } from './run-index.js';
import type { RunEntry } from './catalogue.js';

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);

const entryArb = (i: number) =>
  fc
    .record({
      team: pick(['a', 'b']),
      scenario: pick(['seed', 'thp']),
      variant: pick([null, 'fix']),
      status: pick(['running', 'completed'] as const),
      outcome: pick([null, 'completed', 'violation'] as const),
      strategy: pick(['random', 'pct']),
      author: pick(['ann', 'bob']),
      links: fc.subarray(['au1', 'au2']),
    })
    .map((r): RunEntry => ({
      runId: `r${i}`,
      team: r.team,
      scenario: r.scenario,
      params: {},
      variant: r.variant,
      modelHash: r.scenario === 'seed' ? 'h1' : 'h2',
      strategy: r.strategy,
      seed: i,
      author: r.author,
      status: r.status,
      outcome: r.outcome,
      violation: null,
      steps: null,
      schedule: null,
      createdAt: '',
      completedAt: null,
      counterexampleOf: r.links,
    }));

/** The listing as the API computed it before: the team's runs newest first, filtered, sliced after the cursor. */
function reference(all: RunEntry[], team: string, f: RunIndexFilter, limit: number, after?: string) {
  const runs = all.filter((r) => r.team === team).reverse();
  const start = after === undefined ? 0 : runs.findIndex((r) => r.runId === after) + 1;
  const matches = (r: RunEntry) =>
    (f.scenario === undefined || r.scenario === f.scenario) &&
    (f.variant === undefined || (r.variant ?? 'kernel') === f.variant) &&
    (f.status === undefined || r.status === f.status) &&
    (f.outcome === undefined || r.outcome === f.outcome) &&
    (f.strategy === undefined || r.strategy === f.strategy) &&
    (f.author === undefined || r.author === f.author) &&
    (f.modelHash === undefined || r.modelHash === f.modelHash) &&
    (f.counterexampleOf === undefined || r.counterexampleOf.includes(f.counterexampleOf));
  const out = runs.slice(start).filter(matches);
  return { runs: out.slice(0, limit), next: out.length > limit ? out[limit - 1].runId : null };
}

describe('RunIndex: the run catalogue as an indexed table (issue 12)', () => {
  it('pages exactly like the filtered, newest-first listing it replaces (differential, with updates and cursors)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => entryArb(i)))),
        fc.record({
          scenario: fc.option(pick(['seed', 'thp']), { nil: undefined }),
          status: fc.option(pick(['running', 'completed']), { nil: undefined }),
          variant: fc.option(pick(['kernel', 'fix']), { nil: undefined }),
          counterexampleOf: fc.option(pick(['au1', 'au2']), { nil: undefined }),
          author: fc.option(pick(['ann']), { nil: undefined }),
        }),
        fc.integer({ min: 1, max: 7 }),
        (entries, filter, limit) => {
          const index = new RunIndex();
          try {
            // written in two batches; the second also updates earlier runs (a RunCompleted)
            const half = Math.floor(entries.length / 2);
            index.write(entries.slice(0, half), '1');
            const updated = entries.slice(0, half).map((e, i) => (i % 2 ? { ...e, status: 'completed' as const, outcome: 'violation' as const } : e));
            index.write([...updated, ...entries.slice(half)], '2');
            const now = [...updated, ...entries.slice(half)];
            for (const team of ['a', 'b']) {
              let after: string | undefined;
              for (let pages = 0; pages < 20; pages++) {
                const got = index.list(team, filter, { limit, after });
                expect(got).toEqual(reference(now, team, filter, limit, after));
                if (!got?.next) break;
                after = got.next;
              }
            }
            expect(index.position).toBe('2');
          } finally {
            index.close();
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("a cursor of another team's run is refused (undefined), not answered", () => {
    const index = new RunIndex();
    index.write(
      [
        {
          runId: 'x',
          team: 'a',
          scenario: 's',
          params: {},
          variant: null,
          modelHash: 'h',
          strategy: 'random',
          seed: 0,
          author: 'ann',
          status: 'running',
          outcome: null,
          violation: null,
          steps: null,
          schedule: null,
          createdAt: '',
          completedAt: null,
          counterexampleOf: [],
        },
      ],
      '1',
    );
    expect(index.list('b', {}, { limit: 5, after: 'x' })).toBeUndefined();
    expect(index.list('a', {}, { limit: 5, after: 'nope' })).toBeUndefined();
    index.close();
  });
});
