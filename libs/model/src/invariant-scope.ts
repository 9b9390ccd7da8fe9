import type { FieldIssue } from './errors.js';
import { INVARIANTS, invariantNames, resolveInvariant, type InvariantName } from './invariants.js';
import type { OpName } from './isa.js';
import { didYouMean } from './suggest.js';
import type { World } from './world.js';

// Which invariants a model can be audited for. The rule: an invariant applies to a model when the
// model can reach a state the invariant constrains, which the model's own programs and objects
// decide, never a list kept per scenario:
//
// - an invariant checked at a step (the BUG_ON, I2, I6, I7, waiter-ref, split-unmapped,
//   migration-progress, use-after-free) applies when some thread's path has an instruction that
//   checks it (the table below, one row per invariant, from the engine's semantics);
// - I1 and I3, predicates over migration entries, apply when a migration entry can exist: a path
//   installs one or a PTE starts as one;
// - I9 (lost wakeup) applies when a thread can sleep on a page; deadlock always applies;
// - weak-outcome applies to a model with a litmus test's `exists` clause.
//
// Asking for an invariant that does not apply would make `holds` vacuous: the request is refused
// with the invariants that do apply. `invariant-scope.spec.ts` (engine) checks the table against
// the semantics: no run of any scenario violates an invariant this module says does not apply.

/** The instructions whose semantics check each step-checked invariant (libs/engine machine). */
const CHECKED_BY: Partial<Record<InvariantName, readonly OpName[]>> = {
  'bug-on': ['check_locked', 'check_locked_loaded', 'unlock_page'],
  I2: ['ptl_unlock', 'pte_clear', 'set_migration_pte', 'set_present_pte', 'pte_move', 'pte_copy'],
  I6: ['unlock_page'],
  I7: ['set_migration_pte'],
  'waiter-ref': ['waitq_add', 'put_and_wait'],
  'split-unmapped': ['vm_bug_on_mapped'],
  'migration-progress': ['migrate_result'],
  'use-after-free': ['trylock_page', 'lock_page', 'waitq_add', 'put_and_wait', 'get_page', 'put_page', 'rmap_remove'],
  I9: ['lock_page', 'sleep', 'put_and_wait'],
};

/** The parts of a model the rule reads (a world before or after its invariants are chosen). */
export type ScopedWorld = Pick<World, 'paths' | 'threads' | 'ptes' | 'litmus'>;

/** Why an invariant applies to a model, or why not: one line a user can read. */
export function invariantScope(world: ScopedWorld, name: InvariantName): { applies: boolean; reason: string } {
  const used = new Set<string>();
  for (const t of world.threads) for (const st of world.paths[t.path]?.steps ?? []) used.add(st.op);
  const ops = CHECKED_BY[name];
  switch (name) {
    case 'I1':
    case 'I3': {
      const can = used.has('set_migration_pte') || world.ptes.some((p) => p.init.kind === 'migration');
      return { applies: can, reason: can ? 'a migration entry can exist' : 'no path installs a migration entry and no PTE starts as one' };
    }
    case 'deadlock':
      return { applies: true, reason: 'every model has threads that must finish' };
    case 'weak-outcome': {
      const can = (world.litmus?.exists.length ?? 0) > 0;
      return { applies: can, reason: can ? "the litmus test's exists clause" : 'the scenario is not a litmus test (no exists clause)' };
    }
    default: {
      const hit = (ops ?? []).filter((o) => used.has(o));
      return hit.length
        ? { applies: true, reason: `checked by ${hit.join(', ')}` }
        : { applies: false, reason: `checked only by ${(ops ?? []).join(', ')}, which no thread of this model runs` };
    }
  }
}

/** Every invariant that applies to the model, in the catalogue's order. */
export function applicableInvariants(world: ScopedWorld): InvariantName[] {
  return invariantNames.filter((n) => invariantScope(world, n).applies);
}

export type InvariantIssue = FieldIssue;

/**
 * The requested invariant names checked against the model: canonical names (aliases such as `I5`
 * resolved, duplicates dropped) and one issue per unknown or inapplicable name, each naming the
 * valid ones.
 */
export function checkInvariantNames(requested: readonly unknown[], world: ScopedWorld, scenario: string): { names: InvariantName[]; issues: InvariantIssue[] } {
  const applicable = applicableInvariants(world);
  const names: InvariantName[] = [];
  const issues: InvariantIssue[] = [];
  requested.forEach((raw, i) => {
    const field = `invariants[${i}]`;
    const name = typeof raw === 'string' ? resolveInvariant(raw) : undefined;
    if (!name) {
      const typed = String(raw);
      issues.push({
        field,
        message: `unknown invariant '${typed}'${didYouMean(typed, invariantNames)} (invariants that apply to scenario '${scenario}': ${applicable.join(', ')})`,
      });
      return;
    }
    const scope = invariantScope(world, name);
    if (!scope.applies) {
      issues.push({
        field,
        message: `invariant '${name}' does not apply to scenario '${scenario}': ${scope.reason} (invariants that apply to it: ${applicable.join(', ')})`,
      });
      return;
    }
    if (!names.includes(name)) names.push(name);
  });
  return { names, issues };
}

/** One line per invariant for people: name, reference and what it says. */
export const describeInvariant = (name: string): string => {
  const info = INVARIANTS.find((i) => i.name === name);
  return info ? `${info.name} (${info.ref}, ${info.kind}): ${info.description}` : name;
};
