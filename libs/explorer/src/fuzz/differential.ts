import { resolveModel } from '@mmreplay/model';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import { explore, type ExploreOptions, type ExplorationResult } from '../explorer.js';
import { exploreParallel, exploreSharedAlone } from '../parallel.js';
import { referenceEnumerate } from '../reference-enumerator.js';
import { generateCase, type GeneratedCase } from './variant-generator.js';

// Differential soundness check of the reductions (issue 11 item 3): for a generated variant, the
// verdict with every reduction, with none, and with one more combination drawn by the seed, must
// all equal the reference enumerator's (which shares nothing with the explorer but the machine),
// and each violation's counterexample must replay to the same invariant. A counterexample that
// cannot be reconstructed is a failure, never an answer.

/** Reference enumerations larger than this are skipped (the check must stay cheap). */
const REFERENCE_STATES = 12_000;

export type CaseOutcome =
  | { readonly kind: 'agree'; readonly verdict: 'holds' | 'violated'; readonly states: number }
  | { readonly kind: 'skipped'; readonly reason: string }
  | { readonly kind: 'failed'; readonly reason: string };

const COMBOS: readonly ExploreOptions[] = [false, true].flatMap((symmetry) =>
  [false, true].flatMap((partialOrder) => [false, true].map((deadRegisters) => ({ symmetry, partialOrder, deadRegisters }))),
);

/** Whether the machine refuses a step somewhere in the whole (bounded) state space of the case. */
function refuses(c: GeneratedCase): boolean {
  try {
    referenceEnumerate(c.request, REFERENCE_STATES);
    return false;
  } catch {
    return true;
  }
}

/**
 * With `alone`, the parallel search's code on this thread alone (exploreSharedAlone) is checked
 * too, with and without reductions: the reference's verdict, a counterexample that replays, and
 * the same states and transitions as `explore` with the same reductions (it uses no partial
 * order). On worker threads: checkCaseOnWorkers.
 */
export function checkCase(c: GeneratedCase, alone = false): CaseOutcome {
  let world;
  try {
    world = resolveModel(c.request).world;
  } catch (e) {
    return { kind: 'skipped', reason: `does not resolve: ${(e as Error).message}` };
  }
  let ref;
  try {
    ref = referenceEnumerate(c.request, REFERENCE_STATES, true);
  } catch (e) {
    // a program the machine refuses to run (a loop of local steps, a call stack overflow)
    return { kind: 'skipped', reason: `the machine refuses it: ${(e as Error).message}` };
  }
  if (!ref.complete) return { kind: 'skipped', reason: `more than ${REFERENCE_STATES} states` };
  const expected = ref.violated ? 'violated' : 'holds';
  const extra = COMBOS[1 + (c.seed % (COMBOS.length - 2))];
  // and every reduction, partial order with symmetry included (off by default: explorer.ts)
  const lengths: { opts: ExploreOptions; length: number }[] = [];
  for (const opts of [{}, { symmetry: false, partialOrder: false, deadRegisters: false }, extra, { partialOrderWithSymmetry: true }]) {
    let r: ExplorationResult;
    try {
      r = explore(world, { ...opts, bounds: { maxStates: 4 * REFERENCE_STATES, maxSeconds: 60 } });
    } catch (e) {
      const message = (e as Error).message;
      // The search may reach a step the machine refuses (ret with an empty stack, ...) before the
      // reference found its first violation: skip the program if the whole state space has it.
      if (!message.startsWith('counterexample reconstruction') && refuses(c)) return { kind: 'skipped', reason: `the machine refuses it: ${message}` };
      return { kind: 'failed', reason: `explore ${JSON.stringify(opts)} threw: ${message}` };
    }
    // The reference stops at its first violation; breadth-first, the explorer may meet its bound first.
    if (r.verdict === 'inconclusive' && ref.violated) return { kind: 'skipped', reason: `the explorer's state bound (${r.boundHit})` };
    if (r.verdict !== expected) return { kind: 'failed', reason: `explore ${JSON.stringify(opts)}: ${r.verdict}, the reference enumerator: ${expected}` };
    const cx = r.counterexample;
    if (cx) {
      const replay = new ReplayScheduler(cx.schedule);
      const run = new Runtime(world).run({ scheduler: replay, maxSteps: replay.length });
      if (run.violation?.invariant !== cx.invariant) {
        return {
          kind: 'failed',
          reason: `explore ${JSON.stringify(opts)}: counterexample ${cx.schedule} (${cx.invariant}) replays to ${run.outcome} ${run.violation?.invariant ?? ''}`,
        };
      }
      // every search's is a shortest, unless it says it may not be (explore: a bound stopped the search for one)
      if (!cx.notShortest) lengths.push({ opts, length: cx.length });
    }
  }
  const longer = lengths.find((l) => l.length !== lengths[0].length);
  if (longer)
    return {
      kind: 'failed',
      reason: `counterexamples of ${lengths.map((l) => `${l.length} steps (explore ${JSON.stringify(l.opts)})`).join(', ')}: not all shortest`,
    };
  for (const opts of alone ? PARALLEL_OPTIONS : []) {
    const label = `the parallel search alone ${JSON.stringify(opts)}`;
    let r;
    let seq: ExplorationResult;
    try {
      r = exploreSharedAlone(world, { ...opts, bounds: PARALLEL_BOUNDS });
      seq = explore(world, { ...opts, partialOrder: false, bounds: PARALLEL_BOUNDS });
    } catch (e) {
      const message = (e as Error).message;
      if (!message.startsWith('counterexample reconstruction') && refuses(c)) return { kind: 'skipped', reason: `the machine refuses it: ${message}` };
      return { kind: 'failed', reason: `${label} threw: ${message}` };
    }
    const o = compareParallel(label, r, seq, expected, ref.violated, world);
    if (o) return o;
  }
  return { kind: 'agree', verdict: expected, states: ref.states };
}

/** the reductions a parallel search is checked with, every one and none (it uses no partial order) */
const PARALLEL_OPTIONS: readonly ExploreOptions[] = [{}, { symmetry: false, deadRegisters: false }];
const PARALLEL_BOUNDS = { maxStates: 4 * REFERENCE_STATES, maxSeconds: 60 };

/**
 * A parallel search's result `r` against the reference's verdict and `explore`'s `seq` with the
 * same reductions: the verdict, the states and transitions of a search that holds, a
 * counterexample that replays and is no longer than the sequential one. Null when they agree.
 */
function compareParallel(
  label: string,
  r: Pick<ExplorationResult, 'verdict' | 'boundHit' | 'statesStored' | 'transitions' | 'counterexample'>,
  seq: ExplorationResult,
  expected: 'holds' | 'violated',
  violated: boolean,
  world: ReturnType<typeof resolveModel>['world'],
): CaseOutcome | null {
  if (r.verdict === 'inconclusive' && violated) return { kind: 'skipped', reason: `the explorer's state bound (${r.boundHit})` };
  if (r.verdict !== expected) return { kind: 'failed', reason: `${label}: ${r.verdict}, the reference enumerator: ${expected}` };
  if (r.verdict === 'holds' && (r.statesStored !== seq.statesStored || r.transitions !== seq.transitions)) {
    return { kind: 'failed', reason: `${label}: ${r.statesStored} states, ${r.transitions} transitions; one thread: ${seq.statesStored}, ${seq.transitions}` };
  }
  const cx = r.counterexample;
  if (cx) {
    const replay = new ReplayScheduler(cx.schedule);
    const run = new Runtime(world).run({ scheduler: replay, maxSteps: replay.length });
    if (run.violation?.invariant !== cx.invariant)
      return { kind: 'failed', reason: `${label}: counterexample ${cx.schedule} (${cx.invariant}) replays to ${run.outcome}` };
    if (seq.counterexample && cx.length > seq.counterexample.length)
      return { kind: 'failed', reason: `${label}: counterexample of ${cx.length} steps, one thread: ${seq.counterexample.length}` };
  }
  return null;
}

/**
 * checkCase, then the parallel search itself on `workers` real worker threads sharing one visited
 * set (exploreParallel, from the initial state), with every reduction and with none, held to
 * `explore` as the search alone is. `entry`: the workers' module (ParallelOptions.entry).
 */
export async function checkCaseOnWorkers(c: GeneratedCase, workers: number, entry?: string): Promise<CaseOutcome> {
  const first = checkCase(c);
  if (first.kind !== 'agree') return first;
  const world = resolveModel(c.request).world;
  const expected = first.verdict;
  for (const opts of PARALLEL_OPTIONS) {
    const label = `${workers} workers ${JSON.stringify(opts)}`;
    let r: ExplorationResult;
    let seq: ExplorationResult;
    try {
      r = await exploreParallel(world, { ...opts, partialOrder: false, workers, sequentialFirst: 0, entry, bounds: PARALLEL_BOUNDS });
      seq = explore(world, { ...opts, partialOrder: false, bounds: PARALLEL_BOUNDS });
    } catch (e) {
      const message = (e as Error).message;
      if (!message.startsWith('counterexample reconstruction') && refuses(c)) return { kind: 'skipped', reason: `the machine refuses it: ${message}` };
      return { kind: 'failed', reason: `${label} threw: ${message}` };
    }
    const o = compareParallel(label, r, seq, expected, expected === 'violated', world);
    if (o) return o;
  }
  return first;
}

/** fuzzReductions with checkCaseOnWorkers: the parallel search on `workers` threads checked on every case. */
export async function fuzzReductionsOnWorkers(
  first: number,
  count: number,
  workers: number,
  onCase?: (seed: number, o: CaseOutcome) => void,
  entry?: string,
): Promise<FuzzReport> {
  const agreed = { holds: 0, violated: 0 };
  let skipped = 0;
  const failures: FuzzReport['failures'][number][] = [];
  for (let seed = first; seed < first + count; seed++) {
    const c = generateCase(seed);
    const o: CaseOutcome = c ? await checkCaseOnWorkers(c, workers, entry) : { kind: 'skipped', reason: 'no linking variant' };
    if (o.kind === 'agree') agreed[o.verdict]++;
    else if (o.kind === 'skipped') skipped++;
    else failures.push({ seed, reason: o.reason, request: c!.request });
    onCase?.(seed, o);
  }
  return { checked: count, agreed, skipped, failures };
}

export interface FuzzReport {
  readonly checked: number;
  readonly agreed: { readonly holds: number; readonly violated: number };
  readonly skipped: number;
  readonly failures: readonly { readonly seed: number; readonly reason: string; readonly request: GeneratedCase['request'] }[];
}

/** Checks the variants of seeds first .. first + count - 1; `onCase` sees each outcome. */
export function fuzzReductions(first: number, count: number, onCase?: (seed: number, o: CaseOutcome) => void, alone = false): FuzzReport {
  const agreed = { holds: 0, violated: 0 };
  let skipped = 0;
  const failures: FuzzReport['failures'][number][] = [];
  for (let seed = first; seed < first + count; seed++) {
    const c = generateCase(seed);
    const o: CaseOutcome = c ? checkCase(c, alone) : { kind: 'skipped', reason: 'no linking variant' };
    if (o.kind === 'agree') agreed[o.verdict]++;
    else if (o.kind === 'skipped') skipped++;
    else failures.push({ seed, reason: o.reason, request: c!.request });
    onCase?.(seed, o);
  }
  return { checked: count, agreed, skipped, failures };
}
