import type { Machine, Rng } from '@mmreplay/engine';

export interface RandomWalk {
  /** the state the walk reached */
  state: Int32Array;
  /** a step the machine refused ended the walk early (a property over whole walks skips it) */
  refused: boolean;
}

/**
 * Up to `steps` steps from the initial state, each runnable thread and each of its choices drawn
 * from `rng`: the reachable states the symmetry specs check their properties on. `onStep` sees the
 * state after each step, with the thread that took it.
 */
export function randomWalk(m: Machine, rng: Rng, steps: number, onStep?: (s: Int32Array, thread: number) => void): RandomWalk {
  const s = m.initialState();
  for (let k = 0; k < steps; k++) {
    const runnable = Array.from({ length: m.threadCount }, (_, t) => t).filter((t) => m.isRunnable(s, t));
    if (!runnable.length) break;
    const t = runnable[rng.below(runnable.length)];
    if (!m.step(s, t, rng.below(m.choiceCount(s, t)))) return { state: s, refused: true };
    onStep?.(s, t);
  }
  return { state: s, refused: false };
}
