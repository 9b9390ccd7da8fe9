import { Rng } from '../rng.js';
import type { Scheduler } from './scheduler.js';

/**
 * PCT (Burckhardt, Kothari, Musuvathi, Nagarakatte, ASPLOS 2010): random distinct priorities for
 * the threads, and d-1 random change points among the first k steps; the highest-priority runnable
 * thread runs, and at the i-th change point the running thread drops to priority i. A bug of depth d
 * is found by one run with probability at least 1 / (n * k^(d-1)), n threads, k steps.
 */
export class PctScheduler implements Scheduler {
  readonly strategy = 'pct';
  private readonly rng: Rng;
  private readonly priority: Float64Array;
  private readonly changePoints: number[];

  constructor(
    readonly seed: number,
    threads: number,
    readonly depth: number,
    readonly expectedSteps: number,
  ) {
    this.rng = new Rng(seed);
    // Distinct initial priorities d .. d+n-1, in random order (Fisher-Yates).
    const order = Array.from({ length: threads }, (_, i) => i);
    for (let i = threads - 1; i > 0; i--) {
      const j = this.rng.below(i + 1);
      [order[i], order[j]] = [order[j], order[i]];
    }
    this.priority = new Float64Array(threads);
    order.forEach((t, i) => (this.priority[t] = depth + i));
    this.changePoints = Array.from({ length: Math.max(0, depth - 1) }, () => 1 + this.rng.below(Math.max(1, expectedSteps)));
  }

  /** The guaranteed lower bound on the probability that one run finds a bug of this depth. */
  static probabilityBound(threads: number, steps: number, depth: number): number {
    return 1 / (threads * Math.pow(Math.max(1, steps), Math.max(0, depth - 1)));
  }

  pickThread(runnable: Int32Array, count: number, step: number): number {
    let best = runnable[0];
    for (let i = 1; i < count; i++) if (this.priority[runnable[i]] > this.priority[best]) best = runnable[i];
    const cp = this.changePoints.indexOf(step);
    if (cp >= 0) {
      this.priority[best] = cp + 1;
      best = runnable[0];
      for (let i = 1; i < count; i++) if (this.priority[runnable[i]] > this.priority[best]) best = runnable[i];
    }
    return best;
  }

  pickChoice(choices: number): number {
    return this.rng.below(choices);
  }
}
