import { describe, expect, it } from 'vitest';
import { applicableInvariants, checkInvariantNames } from './invariant-scope.js';
import { InvalidModelRequestError, namedVariants, resolveModel, scenarios } from './scenarios/registry.js';
import { closest } from './suggest.js';

describe('which invariants apply to a model', () => {
  it("every scenario's default invariants apply to it and to each of its named variants", () => {
    for (const s of scenarios()) {
      for (const variant of [undefined, ...namedVariants(s).map((v) => v.name)]) {
        const { world } = resolveModel({ scenario: s.name, variant });
        const applicable = applicableInvariants(world);
        expect({ scenario: s.name, variant, missing: s.invariants.filter((i) => !applicable.includes(i as never)) }).toEqual({
          scenario: s.name,
          variant,
          missing: [],
        });
      }
    }
  });

  it('the seed thread: the BUG_ON, I1, I3, I6, I7, I9 apply; weak-outcome and split-unmapped do not', () => {
    const applicable = applicableInvariants(resolveModel({ scenario: 'seed' }).world);
    expect(applicable).toEqual(expect.arrayContaining(['bug-on', 'I1', 'I2', 'I3', 'I6', 'I7', 'I9', 'use-after-free', 'deadlock']));
    expect(applicable).not.toContain('weak-outcome');
    expect(applicable).not.toContain('split-unmapped');
  });

  it('a litmus test: weak-outcome applies, the page-lock invariants do not', () => {
    const applicable = applicableInvariants(resolveModel({ scenario: 'litmus-mp' }).world);
    expect(applicable).toContain('weak-outcome');
    expect(applicable).not.toContain('bug-on');
  });
});

describe('requested invariants', () => {
  it('an unknown name is refused with a suggestion and the valid names', () => {
    expect(() => resolveModel({ scenario: 'seed', variant: 'unlock-before-remove', invariants: ['bugon'] })).toThrow(InvalidModelRequestError);
    try {
      resolveModel({ scenario: 'seed', invariants: ['I1', 'bugon'] });
      expect.unreachable();
    } catch (e) {
      expect((e as InvalidModelRequestError).issues).toEqual([
        {
          field: 'invariants[1]',
          message: expect.stringMatching(
            /^unknown invariant 'bugon'; did you mean 'bug-on'\? \(invariants that apply to scenario 'seed': bug-on, I1, I2, I3, .*deadlock\)$/,
          ),
        },
      ]);
    }
  });

  it('an invariant that does not apply is refused, saying why', () => {
    const { issues } = checkInvariantNames(['weak-outcome', 'I1'], resolveModel({ scenario: 'seed' }).world, 'seed');
    expect(issues).toEqual([
      {
        field: 'invariants[0]',
        message: expect.stringMatching(
          /^invariant 'weak-outcome' does not apply to scenario 'seed': the scenario is not a litmus test .*\(invariants that apply to it: bug-on, /,
        ),
      },
    ]);
  });

  it('aliases resolve to canonical names, once', () => {
    expect(resolveModel({ scenario: 'seed', invariants: ["I1'", 'bug-on', 'I1'] }).world.invariants).toEqual(['bug-on', 'I1']);
  });

  it('unknown switches and switch values are refused with the valid ones', () => {
    try {
      resolveModel({ scenario: 'seed', variant: { switches: { WAITT: 'pre', MIG: 'v7' } } });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidModelRequestError);
      expect((e as InvalidModelRequestError).issues).toEqual([
        { field: 'switches.WAITT', message: expect.stringMatching(/has no switch 'WAITT'; did you mean 'WAIT'\? \(it has WAIT, MIG, MUTANT, WALK, MEM\)/) },
        { field: 'switches.MIG', message: expect.stringMatching(/must be one of v5, v6batch, v6async, reorder/) },
      ]);
    }
  });
});

describe('did you mean', () => {
  it('finds near names and prefixes, not far ones', () => {
    expect(closest('bugon', ['bug-on', 'I1', 'deadlock'])).toEqual(['bug-on']);
    expect(closest('aduit', ['audit', 'run', 'admin'])).toEqual(['audit']);
    expect(closest('unlock-before', ['unlock-before-remove', 'install-before-lock'])).toEqual(['unlock-before-remove']);
    expect(closest('zzzzzz', ['audit', 'run'])).toEqual([]);
  });
});
