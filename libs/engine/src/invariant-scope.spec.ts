import { describe, expect, it } from 'vitest';
import { applicableInvariants, invariantNames, namedVariants, resolveModel, scenarios } from '@mmreplay/model';
import { Runtime } from './runtime.js';
import { makeScheduler } from './simulate.js';

// The model says which invariants apply to a model (libs/model invariant-scope.ts) from the
// instructions its threads run. Checked here against the semantics: auditing a model for an
// invariant said not to apply never finds a violation of it, over every scenario and variant
// (random and PCT schedules, each invariant enabled alone). A row missing from that table, an
// instruction that checks an invariant it is not listed for, fails this test.
const SEEDS = 40;

describe('invariants that do not apply are never violated', () => {
  for (const s of scenarios()) {
    const variants = [undefined, ...namedVariants(s).map((v) => v.name)];
    it(`${s.name} (${variants.length} variants)`, () => {
      for (const variant of variants) {
        const { world } = resolveModel({ scenario: s.name, variant });
        const applicable = applicableInvariants(world);
        for (const name of invariantNames.filter((n) => !applicable.includes(n))) {
          const w = { ...world, invariants: [name] };
          const runtime = new Runtime(w);
          for (let seed = 0; seed < SEEDS; seed++) {
            for (const strategy of ['random', 'pct'] as const) {
              const r = runtime.run({ scheduler: makeScheduler({ strategy, seed }, w, 20_000), maxSteps: 20_000 });
              if (r.violation) expect({ variant, seed, strategy, invariant: r.violation.invariant }).not.toMatchObject({ invariant: name });
            }
          }
        }
      }
    });
  }
});
