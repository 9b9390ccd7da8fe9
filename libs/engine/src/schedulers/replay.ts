import { decodeSchedule, type Schedule } from '../schedule-token.js';
import type { Scheduler } from './scheduler.js';

export class ReplayDivergenceError extends Error {}

/** Replays a recorded schedule exactly; a decision the run cannot take is an error, not a guess. */
export class ReplayScheduler implements Scheduler {
  readonly strategy = 'replay';
  private readonly schedule: Schedule;
  private nextChoice = 0;

  constructor(token: string) {
    this.schedule = decodeSchedule(token);
  }

  get length(): number {
    return this.schedule.threads.length;
  }

  pickThread(runnable: Int32Array, count: number, step: number): number {
    const t = this.schedule.threads[step];
    if (t === undefined) throw new ReplayDivergenceError(`the schedule ends after ${this.schedule.threads.length} steps`);
    for (let i = 0; i < count; i++) if (runnable[i] === t) return t;
    throw new ReplayDivergenceError(`step ${step}: thread ${t} of the schedule cannot run here (the model differs from the one recorded)`);
  }

  pickChoice(choices: number, _thread: number, step: number): number {
    const c = this.schedule.choices[this.nextChoice++];
    if (c === undefined || c >= choices) throw new ReplayDivergenceError(`step ${step}: the schedule has no valid choice among ${choices}`);
    return c;
  }
}
