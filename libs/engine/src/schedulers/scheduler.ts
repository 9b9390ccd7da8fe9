/**
 * A scheduler only chooses: which runnable thread takes the next step, and which outcome a step
 * with several possible outcomes has. It never touches the simulation state.
 */
export interface Scheduler {
  readonly strategy: 'random' | 'pct' | 'replay' | 'round-robin';
  /** `runnable` lists the thread indexes that can step, in increasing order; `count` of them are valid */
  pickThread(runnable: Int32Array, count: number, step: number): number;
  pickChoice(choices: number, thread: number, step: number): number;
}
