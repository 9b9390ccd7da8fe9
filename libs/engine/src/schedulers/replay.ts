import { DomainError } from '@mmreplay/model';
import { parseSchedule, type CompactSchedule } from '../schedule-token.js';
import type { Scheduler } from './scheduler.js';

/** A recorded schedule that the model cannot follow: it was recorded on another model. */
export class ReplayDivergenceError extends DomainError {
  readonly kind = 'not-applicable';
  constructor(message: string) {
    super(message, { issues: [{ field: 'schedule', message }], detail: `the schedule does not fit this model: ${message}` });
  }
}

/**
 * Replays a recorded schedule exactly; a decision the run cannot take is an error, not a guess.
 * The token's run-length entries are walked, never expanded: a token of a few bytes may stand for
 * 10^8 steps, and the run's step cap, not the token, bounds the work.
 */
export class ReplayScheduler implements Scheduler {
  readonly strategy = 'replay';
  private readonly schedule: CompactSchedule;
  private nextChoice = 0;
  /** the entry holding step `entryStart` .. `entryStart + counts[entry] - 1` */
  private entry = 0;
  private entryStart = 0;

  constructor(token: string) {
    this.schedule = parseSchedule(token);
  }

  get length(): number {
    return this.schedule.length;
  }

  /** The thread the schedule runs at `step` (steps come in order; an earlier one rewinds). */
  private threadAt(step: number): number | undefined {
    const { threads, counts } = this.schedule;
    if (step < this.entryStart) {
      this.entry = 0;
      this.entryStart = 0;
    }
    while (this.entry < counts.length && step >= this.entryStart + counts[this.entry]) {
      this.entryStart += counts[this.entry];
      this.entry++;
    }
    return this.entry < counts.length ? threads[this.entry] : undefined;
  }

  pickThread(runnable: Int32Array, count: number, step: number): number {
    const t = this.threadAt(step);
    if (t === undefined) throw new ReplayDivergenceError(`the schedule ends after ${this.schedule.length} steps`);
    for (let i = 0; i < count; i++) if (runnable[i] === t) return t;
    throw new ReplayDivergenceError(`step ${step}: thread ${t} of the schedule cannot run here (the model differs from the one recorded)`);
  }

  pickChoice(choices: number, _thread: number, step: number): number {
    const c = this.schedule.choices[this.nextChoice++];
    if (c === undefined || c >= choices) throw new ReplayDivergenceError(`step ${step}: the schedule has no valid choice among ${choices}`);
    return c;
  }
}

/** The steps a run may take: a replay stops where its schedule ends, any other run at `maxSteps`. */
export function stepBound(scheduler: Scheduler, maxSteps: number): number {
  return scheduler instanceof ReplayScheduler ? Math.min(maxSteps, scheduler.length) : maxSteps;
}
