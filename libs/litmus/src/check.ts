import { showPlace, showValue, valueEquals, type Expr, type LitmusTest, type Place, type Prop, type Stmt, type Value } from './ast.js';
import { candidates } from './candidates.js';
import { LitmusBoundError, LitmusSyntaxError } from './errors.js';
import { buildSkeleton, type Event } from './execution.js';
import { checkLkmm } from './lkmm.js';
import { PRIMITIVES } from './primitives.js';
import { threadTraces, type ThreadTrace } from './threads.js';

export type Observation = 'Never' | 'Sometimes' | 'Always';

export interface FinalState {
  /** The value of every observed place (`0:r0`, `x`), in herd's order: registers by process, then locations. */
  readonly values: Readonly<Record<string, string>>;
  /** The condition's proposition holds in this state. */
  readonly satisfies: boolean;
}

/** One execution the model allows: the witness of a result, replayable as a run. */
export interface Witness {
  readonly events: readonly Event[];
  /** For each read, the write it reads from (event ids). */
  readonly rf: readonly (readonly [number, number])[];
  /** Per location, its writes in coherence order. */
  readonly co: Readonly<Record<string, readonly number[]>>;
  readonly state: FinalState;
}

export interface LitmusResult {
  readonly name: string;
  readonly documentedResult?: string;
  /** herd7's first line: the kind of the condition (exists → Allowed, ~exists → Forbidden, forall → Required). */
  readonly kind: 'Allowed' | 'Forbidden' | 'Required';
  readonly states: readonly FinalState[];
  /** herd7's `Ok` / `No`: the condition, with its quantifier, is validated. */
  readonly validated: boolean;
  /** Allowed executions (after `filter`) where the proposition holds, and where it does not (herd7's `Observation` counts). */
  readonly positive: number;
  readonly negative: number;
  /**
   * herd7's `Witnesses` line: executions that validate the condition with its quantifier, and
   * those that do not. The same as positive/negative except under `~exists`, where they swap.
   */
  readonly witnesses: { readonly positive: number; readonly negative: number };
  readonly observation: Observation;
  readonly condition: string;
  /** Flags raised by some allowed execution (`data-race`). */
  readonly flags: readonly string[];
  /** Candidate executions examined (and choices of one path per process), and how many the model allows. */
  readonly candidates: number;
  readonly executions: number;
  /** An allowed execution where the proposition holds (the weak outcome), else one where it does not. */
  readonly witness?: Witness;
}

export interface CheckOptions {
  /** Upper bound on candidate executions examined (the check is refused beyond it). */
  readonly maxCandidates?: number;
}

const DEFAULT_MAX_CANDIDATES = 5_000_000;

/** Runs a parsed litmus test under the LKMM: every candidate execution, decided by `checkLkmm`. */
export function checkLitmus(test: LitmusTest, options: CheckOptions = {}): LitmusResult {
  const maxCandidates = options.maxCandidates ?? DEFAULT_MAX_CANDIDATES;
  const lockLocations = findLockLocations(test);
  const initial = new Map<string, Value>();
  const initRegs = test.processes.map(() => new Map<string, Value>());
  const locationNames = new Set<string>();
  for (const e of test.init) {
    if (e.place.thread !== undefined) {
      if (!initRegs[e.place.thread]) throw new LitmusSyntaxError(`initial value for ${showPlace(e.place)}: no process P${e.place.thread}`, 0);
      initRegs[e.place.thread].set(e.place.name, e.value ?? 0);
      continue;
    }
    locationNames.add(e.place.name);
    initial.set(e.place.name, e.value ?? 0);
    if (e.value !== undefined && typeof e.value !== 'number') locationNames.add(e.value.addr);
  }
  for (const p of test.processes) for (const prm of p.params) locationNames.add(prm.name);
  for (const v of initRegs.flatMap((m) => [...m.values()])) if (typeof v !== 'number') locationNames.add(v.addr);
  const locations = [...locationNames].sort();

  const traces = pathsPerProcess(test, initial, lockLocations, initRegs);

  const observed = observedPlaces(test, locations);
  const kind = test.condition.quantifier === 'exists' ? 'Allowed' : test.condition.quantifier === '~exists' ? 'Forbidden' : 'Required';
  const states = new Map<string, FinalState>();
  let positive = 0;
  let negative = 0;
  let examined = 0;
  let dataRace = false;
  let witness: Witness | undefined;
  let fallback: Witness | undefined;
  for (const combo of product(traces)) {
    // A choice of paths counts as one examined candidate too, so that tests whose paths multiply
    // without yielding candidates are bounded as well.
    if (++examined > maxCandidates) throw new LitmusBoundError(`more than ${maxCandidates} candidate executions`);
    const sk = buildSkeleton(locations, initial, combo);
    for (const cand of candidates(sk, lockLocations)) {
      if (++examined > maxCandidates) throw new LitmusBoundError(`more than ${maxCandidates} candidate executions`);
      const verdict = checkLkmm(sk, cand.rf, cand.co);
      if (!verdict.allowed) continue;
      const memory = new Map<string, Value>();
      for (const [loc, order] of cand.coOrder) if (!lockLocations.has(loc)) memory.set(loc, sk.events[order[order.length - 1]].value!);
      for (const loc of locations) if (!memory.has(loc)) memory.set(loc, initial.get(loc) ?? 0);
      const lookup = (p: Place): Value => {
        if (p.thread === undefined) {
          const v = memory.get(p.name);
          if (v === undefined) throw new LitmusSyntaxError(`the condition names ${p.name}, which is not a location of the test`, 0);
          return v;
        }
        if (!combo[p.thread]) throw new LitmusSyntaxError(`the condition names ${showPlace(p)}: no process P${p.thread}`, 0);
        return combo[p.thread].regs.get(p.name) ?? 0;
      };
      if (test.filter && !evalProp(test.filter, lookup)) continue;
      dataRace ||= verdict.dataRace;
      const satisfies = evalProp(test.condition.prop, lookup);
      if (satisfies) positive++;
      else negative++;
      const pairs = observed.map((p) => [showPlace(p), showValue(lookup(p))] as const);
      const key = pairs.map(([k, v]) => `${k}=${v};`).join(' ');
      const values = Object.fromEntries(pairs);
      if (!states.has(key)) states.set(key, { values, satisfies });
      if ((satisfies && !witness) || (!satisfies && !fallback)) {
        const w: Witness = {
          events: sk.events,
          rf: cand.rf.pairs(),
          co: Object.fromEntries(cand.coOrder),
          state: { values, satisfies },
        };
        if (satisfies) witness = w;
        else fallback = w;
      }
    }
  }
  const q = test.condition.quantifier;
  const validated = q === 'exists' ? positive > 0 : q === '~exists' ? positive === 0 : negative === 0;
  const observation: Observation = positive === 0 ? 'Never' : negative === 0 ? 'Always' : 'Sometimes';
  return {
    name: test.name,
    documentedResult: test.documentedResult,
    kind,
    states: [...states.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s),
    validated,
    positive,
    negative,
    witnesses: q === '~exists' ? { positive: negative, negative: positive } : { positive, negative },
    observation,
    condition: `${q} (${showProp(test.condition.prop)})`,
    flags: dataRace ? ['data-race'] : [],
    candidates: examined,
    executions: positive + negative,
    witness: witness ?? fallback,
  };
}

/**
 * The paths of every process, with read values guessed from what the test's writes can store:
 * start from the initial values and add every value some path writes, until nothing new appears
 * or the chains of computed values are as long as a loop-free test can make them.
 */
function pathsPerProcess(
  test: LitmusTest,
  initial: ReadonlyMap<string, Value>,
  lockLocations: ReadonlySet<string>,
  initRegs: readonly ReadonlyMap<string, Value>[],
): ThreadTrace[][] {
  const domains = new Map<string, Value[]>();
  // Besides the initial value, every integer the test writes down may be read: a value that some
  // write stores only on a path that reads it (a cycle that justifies itself, through a register
  // set under a branch) is an execution herd7 considers, which the rounds alone never reach.
  const literals = integerLiterals(test);
  const domain = (loc: string): readonly Value[] =>
    domains.get(loc) ??
    domains.set(loc, seeded(initial.get(loc) ?? 0, lockLocations.has(loc) || typeof (initial.get(loc) ?? 0) !== 'number' ? [] : literals)).get(loc)!;
  // A value of a well-founded execution is computed along a chain of at most one write per store
  // site (the test is loop-free), so that many rounds reach every value such an execution can read.
  const rounds = countStoreSites(test);
  for (let round = 0; ; round++) {
    const traces = test.processes.map((p, i) => threadTraces(p, domain, lockLocations, initRegs[i]));
    if (round >= rounds) return traces;
    let grew = false;
    for (const t of traces.flat()) {
      for (const e of t.events) {
        if (e.kind !== 'W' || e.lock || e.loc === undefined) continue;
        const d = domain(e.loc) as Value[];
        if (!d.some((v) => valueEquals(v, e.value!))) {
          d.push(e.value!);
          grew = true;
        }
      }
    }
    if (!grew) return traces;
    for (const d of domains.values()) if (d.length > 16) throw new LitmusBoundError('more than 16 distinct values for one location');
  }
}

function* product(traces: ThreadTrace[][]): Generator<ThreadTrace[]> {
  const pick = traces.map(() => 0);
  if (traces.some((t) => t.length === 0)) return;
  for (;;) {
    yield pick.map((k, i) => traces[i][k]);
    let i = traces.length - 1;
    while (i >= 0 && pick[i] + 1 >= traces[i].length) pick[i--] = 0;
    if (i < 0) return;
    pick[i]++;
  }
}

/** Locations declared `spinlock_t` or passed to a spin_* primitive. */
function findLockLocations(test: LitmusTest): Set<string> {
  const out = new Set<string>();
  for (const e of test.init) if (e.type?.includes('spinlock_t') && e.place.thread === undefined) out.add(e.place.name);
  for (const p of test.processes) for (const prm of p.params) if (prm.type.includes('spinlock_t')) out.add(prm.name);
  const visitExpr = (e: Expr): void => {
    if (e.k === 'call') {
      const prim = PRIMITIVES.get(e.name);
      if (prim && (prim.op === 'lock' || prim.op === 'unlock' || prim.op === 'trylock' || prim.op === 'is_locked') && e.args[0].k === 'name')
        out.add(e.args[0].name);
      e.args.forEach(visitExpr);
    } else if (e.k === 'deref' || e.k === 'unary') visitExpr(e.e);
    else if (e.k === 'binary') {
      visitExpr(e.l);
      visitExpr(e.r);
    }
  };
  for (const p of test.processes) forEachExpr(p.body, visitExpr);
  return out;
}

function forEachExpr(stmts: readonly Stmt[], f: (e: Expr) => void): void {
  for (const s of stmts) {
    if (s.k === 'decl' && s.init) f(s.init);
    if (s.k === 'assign') {
      f(s.target);
      f(s.value);
    }
    if (s.k === 'expr') f(s.e);
    if (s.k === 'if') {
      f(s.cond);
      forEachExpr(s.then, f);
      forEachExpr(s.else, f);
    }
  }
}

/** The initial value, then the literals other than it. */
function seeded(init: Value, literals: readonly number[]): Value[] {
  return [init, ...literals.filter((v) => !valueEquals(v, init))];
}

/** The integers written in the processes' code (stored, assigned, compared), in order of appearance. */
function integerLiterals(test: LitmusTest): number[] {
  const out: number[] = [];
  const visit = (e: Expr): void => {
    if (e.k === 'num' && !out.includes(e.v)) out.push(e.v);
    else if (e.k === 'call') e.args.forEach(visit);
    else if (e.k === 'deref' || e.k === 'unary') visit(e.e);
    else if (e.k === 'binary') {
      visit(e.l);
      visit(e.r);
    }
  };
  for (const p of test.processes) forEachExpr(p.body, visit);
  return out;
}

function countStoreSites(test: LitmusTest): number {
  let n = 0;
  const visit = (e: Expr): void => {
    if (e.k === 'call') {
      const op = PRIMITIVES.get(e.name)?.op;
      if (op === 'store' || op === 'xchg' || op === 'cmpxchg' || op === 'atomic') n++;
      e.args.forEach(visit);
    } else if (e.k === 'deref' || e.k === 'unary') visit(e.e);
    else if (e.k === 'binary') {
      visit(e.l);
      visit(e.r);
    }
  };
  for (const p of test.processes) {
    forEachExpr(p.body, visit);
    const assigns = (ss: readonly Stmt[]): void => {
      for (const s of ss) {
        if (s.k === 'assign' && s.target.k === 'deref') n++;
        if (s.k === 'if') {
          assigns(s.then);
          assigns(s.else);
        }
      }
    };
    assigns(p.body);
  }
  return n;
}

/** The places herd7 prints in each final state: the condition's, the filter's and `locations`. */
function observedPlaces(test: LitmusTest, locations: readonly string[]): Place[] {
  const seen = new Map<string, Place>();
  const add = (p: Place) => seen.set(showPlace(p), p);
  const walk = (p: Prop): void => {
    if (p.k === 'eq') add(p.place);
    else if (p.k === 'not') walk(p.p);
    else if (p.k === 'and' || p.k === 'or') {
      walk(p.l);
      walk(p.r);
    }
  };
  walk(test.condition.prop);
  for (const p of test.locations) add(p);
  for (const p of seen.values()) {
    if (p.thread === undefined && !locations.includes(p.name))
      throw new LitmusSyntaxError(`the condition names ${p.name}, which is not a location of the test`, 0);
  }
  return [...seen.values()].sort((a, b) => {
    const ta = a.thread ?? Number.MAX_SAFE_INTEGER;
    const tb = b.thread ?? Number.MAX_SAFE_INTEGER;
    if (ta !== tb) return ta - tb;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

export function evalProp(p: Prop, lookup: (p: Place) => Value): boolean {
  switch (p.k) {
    case 'true':
      return true;
    case 'false':
      return false;
    case 'eq':
      return valueEquals(lookup(p.place), p.value);
    case 'not':
      return !evalProp(p.p, lookup);
    case 'and':
      return evalProp(p.l, lookup) && evalProp(p.r, lookup);
    case 'or':
      return evalProp(p.l, lookup) || evalProp(p.r, lookup);
  }
}

/** herd7's rendering of a proposition: `/\` binds tighter than `\/`, parentheses only where needed. */
export function showProp(p: Prop, parent: 'and' | 'or' | 'top' = 'top'): string {
  switch (p.k) {
    case 'true':
      return 'true';
    case 'false':
      return 'false';
    case 'eq':
      return `${showPlace(p.place)}=${showValue(p.value)}`;
    case 'not':
      return p.p.k === 'and' || p.p.k === 'or' ? `~(${showProp(p.p)})` : `~${showProp(p.p)}`;
    case 'and': {
      const s = `${showProp(p.l, 'and')} /\\ ${showProp(p.r, 'and')}`;
      return parent === 'top' ? s : parent === 'and' ? s : `(${s})`;
    }
    case 'or': {
      const s = `${showProp(p.l, 'or')} \\/ ${showProp(p.r, 'or')}`;
      return parent === 'top' || parent === 'or' ? s : `(${s})`;
    }
  }
}
