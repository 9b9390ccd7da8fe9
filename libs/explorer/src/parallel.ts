import type { World } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';
import { DEFAULT_BOUNDS, explore, type ExplorationResult, type ExploreOptions } from './explorer.js';
import { Symmetry } from './symmetry.js';
import { exploreShared, type ParallelOptions } from './parallel-shared.js';

export { exploreSharedAlone, type ParallelOptions } from './parallel-shared.js';

// The parallel breadth-first search: worker threads that share one visited set and run the levels
// together (parallel-shared.ts, shared-search.ts, shared-visited.ts), the levels synchronised so
// that the first counterexample found is a shortest one.

/** Whether the parallel search applies: partial order's cycle proviso depends on the visiting order, so a world it reduces is searched on one thread. */
export function parallelApplies(world: World, opts: ExploreOptions): boolean {
  const sym = new Symmetry(new Machine(world));
  const useSymmetry = opts.symmetry !== false && sym.active;
  return (useSymmetry && opts.partialOrderWithSymmetry !== true) || opts.partialOrder === false;
}

/**
 * Exhaustive breadth-first search on `workers` threads: the same states, transitions, verdict and
 * counterexample length as `explore` on one. A world that partial order reduces is searched by
 * `explore` on the calling thread (its cycle proviso depends on the order states are visited in).
 * Bounds: states, time and memory are checked between levels and while expanding; the memory
 * bound counts the shared visited set and component tables and every thread's heap, and a worker
 * that runs out of heap ends the search `inconclusive` (bound `memory`), like the bound itself.
 */
export async function exploreParallel(world: World, opts: ParallelOptions): Promise<ExplorationResult & { workers: number }> {
  const W = Math.max(1, Math.floor(opts.workers));
  if (W === 1 || !parallelApplies(world, opts)) return { ...explore(world, opts), workers: 1 };
  const bounds = { ...DEFAULT_BOUNDS, ...opts.bounds };
  const first = opts.sequentialFirst ?? 50_000;
  // a state bound no larger than the first levels' share: explore's own, exact to the state
  if (first > 0 && bounds.maxStates <= first) return { ...explore(world, opts), workers: 1 };
  return exploreShared(world, opts, bounds);
}
