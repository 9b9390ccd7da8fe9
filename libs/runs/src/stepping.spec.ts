import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { resolveModel, scenarios } from '@mmreplay/model';
import { makeScheduler, Runtime, type StepEvent } from '@mmreplay/engine';
import { stepRun } from './stepping.js';

const targets = scenarios().flatMap((s) => [undefined, ...s.variants.map((v) => v.name)].map((variant) => ({ scenario: s.name, variant })));
const hash = (events: StepEvent[]) => createHash('sha256').update(JSON.stringify(events)).digest('hex');

describe('stepRun', () => {
  it('makes exactly the decisions, events and result of Runtime.run, for every scenario and variant', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...targets),
        fc.constantFrom('random' as const, 'pct' as const, 'round-robin' as const),
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.integer({ min: 1, max: 400 }),
        (target, strategy, seed, maxSteps) => {
          const { world } = resolveModel(target);
          const expected: StepEvent[] = [];
          const want = new Runtime(world).run({ scheduler: makeScheduler({ strategy, seed }, world, maxSteps), maxSteps, onEvent: (e) => expected.push(e) });
          const got: StepEvent[] = [];
          const it = stepRun(world, { strategy, seed }, maxSteps);
          let r = it.next();
          for (; !r.done; r = it.next()) got.push(r.value);
          expect(hash(got)).toBe(hash(expected));
          const { state, ...result } = r.value;
          const { state: wantState, ...wantResult } = want;
          expect(result).toEqual(wantResult);
          expect([...state]).toEqual([...wantState]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('replays a schedule token to its end', () => {
    const { world } = resolveModel({ scenario: 'seed', variant: 'unlock-before-remove' });
    const it = stepRun(world, { strategy: 'replay', schedule: 's1.ARECAAMD.' }, 1_000_000);
    let r = it.next();
    let n = 0;
    for (; !r.done; r = it.next()) n++;
    expect(n).toBe(22);
    expect(r.value).toMatchObject({ outcome: 'violation', steps: 22, schedule: 's1.ARECAAMD.', violation: { invariant: 'bug-on', step: 21, thread: 'flt0' } });
  });
});
