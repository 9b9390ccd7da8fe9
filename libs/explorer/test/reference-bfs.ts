import type { ResolveRequest, World } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';

// A breadth-first search written from the machine alone, in the explorer's order (thread, then
// choice), without reductions: the figures every search of the explorer must report exactly when
// its reductions are off (explorer.search.spec, searches.differential.spec). Given an ample-set
// choice (PartialOrder.ample), it expands only that thread where the choice is one and none of
// its successors is stored yet (the cycle proviso), as the explorer does with partial order alone.
// A step that breaks an invariant ends it at the shortest counterexample: that step's, or an end
// state's later in the same level that breaks one (one step shorter).

/** The worlds those specs hold to the reference: sc, tso and lkmm, violated and holding, with and without symmetry. */
export const REFERENCE_REQUESTS: readonly ResolveRequest[] = [
  { scenario: 'seed', params: { ptes: 2, faults: 2 }, variant: 'install-before-lock' },
  { scenario: 'c6-ttu-sync' },
  { scenario: 'c6-ttu-sync', variant: 'c6-no-ttu-sync' },
  { scenario: 'c8-shmem-refcount' },
  { scenario: 'c10-device-private' },
  { scenario: 'c5-pmd-wait', variant: 'c5-pmd-no-ref' },
  { scenario: 'c11-split-order', memoryModel: 'tso' },
  { scenario: 'litmus-sb', variant: 'SB+poonceonces', memoryModel: 'tso' },
];
export const requestName = (r: ResolveRequest): string => [r.scenario, r.variant, r.memoryModel].filter(Boolean).join(' ');

export interface Reference {
  states: number;
  transitions: number;
  endStates: number;
  maxDepth: number;
  /** steps of the shortest counterexample (the violating step included), or null if none */
  violationLength: number | null;
  invariant: string | null;
}

export function referenceBfs(world: World, ample?: (m: Machine, s: Int32Array) => number): Reference {
  const m = new Machine(world);
  const seen = new Map<string, number>();
  const queue = [m.initialState()];
  const depths = [0];
  seen.set(queue[0].join(','), 0);
  /** Enqueues a state not seen before at depth d; false when it was seen. */
  const visit = (next: Int32Array, d: number): boolean => {
    const key = next.join(',');
    if (seen.has(key)) return false;
    seen.set(key, d);
    queue.push(next);
    depths.push(d);
    return true;
  };
  const out: Reference = { states: 1, transitions: 0, endStates: 0, maxDepth: 0, violationLength: null, invariant: null };
  /** What an end state breaks, if it is one and breaks one that the search reports. */
  const endBreaks = (s: Int32Array): string | null => {
    for (let t = 0; t < m.threadCount; t++) if (m.isRunnable(s, t)) return null;
    const end = m.endState(s);
    return end.violation && (end.outcome === 'violation' || world.invariants.includes(end.violation.invariant)) ? end.violation.invariant : null;
  };
  /** A step of `head` (depth d) broke an invariant: an end state later in its level that breaks one is one step shorter. */
  const stepBroke = (head: number, d: number): Reference => {
    const invariant = m.violation!.invariant;
    for (let h = head + 1; h < queue.length && depths[h] === d; h++) {
      const broken = endBreaks(queue[h]);
      if (broken !== null) return { ...out, states: queue.length, violationLength: d, invariant: broken };
    }
    return { ...out, states: queue.length, violationLength: d + 1, invariant };
  };
  for (let head = 0; head < queue.length; head++) {
    const s = queue[head];
    const d = depths[head];
    const a = ample ? ample(m, s) : -1;
    if (a >= 0) {
      // an attempt counts its transitions even when the proviso then refuses it
      const succ: Int32Array[] = [];
      for (let c = 0; c < m.choiceCount(s, a); c++) {
        const next = s.slice();
        out.transitions++;
        if (!m.step(next, a, c)) return stepBroke(head, d);
        succ.push(next);
      }
      if (succ.every((x) => !seen.has(x.join(',')))) {
        for (const next of succ) visit(next, d + 1);
        out.maxDepth = Math.max(out.maxDepth, d + 1);
        continue;
      }
    }
    let runnable = false;
    for (let t = 0; t < m.threadCount; t++) {
      if (!m.isRunnable(s, t)) continue;
      runnable = true;
      for (let c = 0; c < m.choiceCount(s, t); c++) {
        const next = s.slice();
        out.transitions++;
        if (!m.step(next, t, c)) return stepBroke(head, d);
        if (visit(next, d + 1)) out.maxDepth = Math.max(out.maxDepth, d + 1);
      }
    }
    if (!runnable) {
      out.endStates++;
      const broken = endBreaks(s);
      if (broken !== null) return { ...out, states: queue.length, violationLength: d, invariant: broken };
    }
  }
  return { ...out, states: queue.length };
}

/** A search's counts as the reference names them, to compare with referenceCounts. */
export const searchCounts = (r: { statesStored: number; transitions: number; schedules: number; maxDepth: number }) => ({
  states: r.statesStored,
  transitions: r.transitions,
  endStates: r.schedules,
  maxDepth: r.maxDepth,
});

/** The reference's counts of a search that holds. */
export const referenceCounts = (ref: Reference) => ({ states: ref.states, transitions: ref.transitions, endStates: ref.endStates, maxDepth: ref.maxDepth });
