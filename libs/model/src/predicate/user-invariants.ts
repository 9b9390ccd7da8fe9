import type { FieldIssue } from '../errors.js';
import { Layout } from '../layout.js';
import type { World } from '../world.js';
import { compilePredicateReads, type PredicateReads, type StatePredicate } from './compile.js';
import { worldPredicateModel } from './context.js';
import { InvalidPredicateError } from './predicate.js';

// User invariants: a scenario document's own properties of states, written in the predicate
// language (`always: P` holds after every step, `never: P` after none), each with the message a
// violation gives. They are part of the world a run executes (and of its hash); the engine checks
// them after every step, as it checks I1 and I3, so the explorer finds them violated like any
// other invariant, with a replayable counterexample.

export interface UserInvariant {
  /** how verdicts name it; never the name of a built-in invariant */
  readonly name: string;
  /** `always`: the predicate holds after every step; `never`: it holds after none */
  readonly kind: 'always' | 'never';
  /** the predicate, as written (JSON) */
  readonly predicate: unknown;
  /** what a violation says */
  readonly message: string;
}

export interface UserInvariantCheck {
  readonly name: string;
  /** the state breaks the invariant when `test` gives this */
  readonly breaksWhen: boolean;
  readonly message: string;
  readonly test: StatePredicate;
  /** what this invariant's predicate reads (the engine defers one that reads a thread holding a guess: Machine.checkUser) */
  readonly reads: PredicateReads;
}

/** The user invariants of a world compiled for its state vector, and the union of what they read. */
export interface CompiledUserInvariants {
  readonly checks: readonly UserInvariantCheck[];
  readonly reads: PredicateReads;
}

/** Every invariant a world is checked for: its built-ins, then its user invariants, by name. */
export const checkedInvariants = (world: Pick<World, 'invariants' | 'userInvariants'>): string[] => [
  ...world.invariants,
  ...(world.userInvariants ?? []).map((u) => u.name),
];

/** What no predicate reads: a world without user invariants. */
export const noReads = (threads: number): PredicateReads => ({
  classes: 0,
  threads: Array.from({ length: threads }, () => false),
  regs: false,
  asymmetric: false,
  events: false,
});

/**
 * Compiles a world's user invariants (event tests refused: they are checked on states). Throws
 * `InvalidPredicateError` with fields `<index>.<always|never>.<predicate field>`.
 */
export function compileUserInvariants(world: World, layout: Layout = new Layout(world)): CompiledUserInvariants {
  const list = world.userInvariants ?? [];
  const reads = noReads(world.threads.length);
  if (list.length === 0) return { checks: [], reads };
  const model = worldPredicateModel(world, layout);
  const issues: FieldIssue[] = [];
  const checks: UserInvariantCheck[] = [];
  list.forEach((inv, i) => {
    try {
      const c = compilePredicateReads(model, inv.predicate, { events: false });
      checks.push({ name: inv.name, breaksWhen: inv.kind === 'never', message: inv.message, test: c.test, reads: c.reads });
      reads.classes |= c.reads.classes;
      c.reads.threads.forEach((r, t) => (reads.threads[t] ||= r));
      reads.regs ||= c.reads.regs;
      reads.asymmetric ||= c.reads.asymmetric;
      reads.events ||= c.reads.events;
    } catch (e) {
      if (!(e instanceof InvalidPredicateError)) throw e;
      for (const is of e.issues ?? []) issues.push({ field: [`${i}`, inv.kind, is.field].filter(Boolean).join('.'), message: is.message });
    }
  });
  if (issues.length) throw new InvalidPredicateError(issues);
  return { checks, reads };
}

/**
 * Problems of a world's user invariants, each with its field as `at(i)` names the i-th invariant
 * (a document: `invariants[3]`), e.g. `invariants[3].never.all[0].pte: the world has no pte 'e9'`.
 */
export function userInvariantIssues(world: World, at: (i: number) => string): FieldIssue[] {
  try {
    compileUserInvariants(world);
    return [];
  } catch (e) {
    if (!(e instanceof InvalidPredicateError)) throw e;
    return (e.issues ?? []).map((is) => {
      const [i, ...rest] = is.field.split('.');
      return { field: [at(Number(i)), ...rest].join('.'), message: is.message };
    });
  }
}
