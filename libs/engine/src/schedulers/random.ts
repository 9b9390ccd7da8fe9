import { Rng } from '../rng.js';
import type { Scheduler } from './scheduler.js';

/** Uniformly random among the runnable threads, from a seed. */
export class RandomScheduler implements Scheduler {
  readonly strategy = 'random';
  private readonly rng: Rng;

  constructor(readonly seed: number) {
    this.rng = new Rng(seed);
  }

  pickThread(runnable: Int32Array, count: number): number {
    return runnable[this.rng.below(count)];
  }

  pickChoice(choices: number): number {
    return this.rng.below(choices);
  }
}
