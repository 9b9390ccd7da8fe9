import { describe, expect, it } from 'vitest';
import {
  INVARIANT_CLASSES,
  INVARIANTS,
  invariantBacking,
  invariantBit,
  invariantMask,
  invariantNames,
  USER_INVARIANT_BACKING,
  violatedInvariantLabel,
} from './invariants.js';
import { checkInvariantNames, describeInvariant, invariantScope, type ScopedWorld } from './invariant-scope.js';
import { resolveModel } from './scenarios/registry.js';

// How invariants are named, masked and labelled for people (issue 20: the mutation run over
// libs/model found invariantBacking, invariantMask and describeInvariant untested inside the
// library, and the reasons invariantScope gives unread: the CLI and the API quote them).

describe('invariant labels and masks', () => {
  it('a kernel assertion is backed by the kernel source that makes it, a protocol invariant by its argument, an unknown name by nothing', () => {
    expect(invariantBacking('bug-on')).toEqual({
      class: 'kernel-assertion',
      backing: 'include/linux/swapops.h pfn_swap_entry_to_page() v5.15: BUG_ON(is_migration_entry(entry) && !PageLocked(p));',
    });
    const weak = INVARIANTS.find((i) => i.name === 'weak-outcome')!;
    expect(invariantBacking('weak-outcome')).toEqual({ class: 'protocol', backing: weak.argument });
    expect(invariantBacking('no-such-invariant')).toBeUndefined();
  });

  it("a verdict's label: a built-in's own, or `user` for a name the table lacks (a document's invariant), never `protocol`", () => {
    expect(violatedInvariantLabel('bug-on')).toEqual(invariantBacking('bug-on'));
    expect(violatedInvariantLabel('I9')).toEqual(invariantBacking('I9'));
    expect(violatedInvariantLabel('entry-under-page-lock')).toEqual({ class: 'user', backing: USER_INVARIANT_BACKING });
    // the built-in table uses the two built-in classes only
    expect(new Set(INVARIANTS.map((i) => i.class))).toEqual(new Set(INVARIANT_CLASSES.filter((c) => c !== 'user')));
  });

  it('the enabled mask: one distinct bit per invariant, aliases resolved, unknown names left out', () => {
    expect(new Set(invariantNames.map(invariantBit)).size).toBe(invariantNames.length);
    for (const name of invariantNames) expect(invariantMask([name])).toBe(invariantBit(name));
    expect(invariantMask([])).toBe(0);
    expect(invariantMask(['I5', "I1'", 'nope', 'I3'])).toBe(invariantBit('migration-progress') | invariantBit('bug-on') | invariantBit('I3'));
  });

  it('one line per invariant: name, reference, kind and description; an unknown name as given', () => {
    const i3 = INVARIANTS.find((i) => i.name === 'I3')!;
    expect(describeInvariant('I3')).toBe(`I3 (${i3.ref}, ${i3.kind}): ${i3.description}`);
    expect(describeInvariant('bug-on')).toMatch(/^bug-on \(I1', safety\): /);
    expect(describeInvariant('nope')).toBe('nope');
  });
});

describe('why an invariant applies, in words', () => {
  const litmus = resolveModel({ scenario: 'litmus-mp' }).world;
  const seed = resolveModel({ scenario: 'seed' }).world;

  it('I1/I3: a PTE that starts as a migration entry is enough, without a path that installs one', () => {
    expect(invariantScope(litmus, 'I3')).toEqual({ applies: false, reason: 'no path installs a migration entry and no PTE starts as one' });
    const pte = seed.ptes[0];
    const withEntry: ScopedWorld = { ...litmus, ptes: [{ ...pte, init: { ...pte.init, kind: 'migration' } as typeof pte.init }, pte] };
    expect(invariantScope(withEntry, 'I1')).toEqual({ applies: true, reason: 'a migration entry can exist' });
    expect(invariantScope({ ...litmus, ptes: [pte] }, 'I1').applies).toBe(false);
    expect(invariantScope(seed, 'I3')).toEqual({ applies: true, reason: 'a migration entry can exist' });
  });

  it('an invariant checked by instructions no thread runs names them', () => {
    expect(invariantScope(litmus, 'I6')).toEqual({ applies: false, reason: 'checked only by unlock_page, which no thread of this model runs' });
    expect(invariantScope(litmus, 'waiter-ref').reason).toBe('checked only by waitq_add, put_and_wait, which no thread of this model runs');
    expect(invariantScope(seed, 'I6')).toEqual({ applies: true, reason: 'checked by unlock_page' });
  });

  it('a requested name that is not a string is an unknown invariant, quoted as given', () => {
    const { names, issues } = checkInvariantNames([5, 'I5', 'weak-outcome'], litmus, 'litmus-mp');
    expect(names).toEqual(['weak-outcome']);
    expect(issues.map((i) => i.field)).toEqual(['invariants[0]', 'invariants[1]']);
    expect(issues[0].message).toMatch(/^unknown invariant '5'/);
    expect(issues[1].message).toMatch(
      /^invariant 'migration-progress' does not apply to scenario 'litmus-mp': checked only by migrate_result, which no thread of this model runs \(/,
    );
    // not looked up at all: an array whose text is an alias is no name
    expect(checkInvariantNames([['I5']], litmus, 'litmus-mp').issues[0].message).toMatch(/^unknown invariant 'I5'/);
  });
});
