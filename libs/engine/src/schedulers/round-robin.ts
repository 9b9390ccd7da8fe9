import type { Scheduler } from './scheduler.js';

/** Each runnable thread in turn; choices take the first outcome. Deterministic, no seed. */
export class RoundRobinScheduler implements Scheduler {
  readonly strategy = 'round-robin';
  private last = -1;

  pickThread(runnable: Int32Array, count: number): number {
    for (let i = 0; i < count; i++) {
      if (runnable[i] > this.last) return (this.last = runnable[i]);
    }
    return (this.last = runnable[0]);
  }

  pickChoice(): number {
    return 0;
  }
}
