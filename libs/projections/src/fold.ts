import type { StepRecorded } from '@mmreplay/events';
import { ProjectionMismatchError } from './errors.js';
import { applyDeltas, type RunModel } from './run-model.js';

/** `evolve(state, event)`: applies one step to the state vector, in place. */
export function applyStep(state: Int32Array, step: StepRecorded, expectedStep?: number): void {
  if (expectedStep !== undefined && step.step !== expectedStep) {
    throw new ProjectionMismatchError(`expected step ${expectedStep}, the log has step ${step.step} there`);
  }
  applyDeltas(state, step.deltas, `step ${step.step} (${step.thread} ${step.label})`);
}

/** The state after the given steps (which must start at step 0 and be consecutive). */
export function foldSteps(model: RunModel, steps: Iterable<StepRecorded>): Int32Array {
  const state = model.initial.slice();
  let n = 0;
  for (const step of steps) applyStep(state, step, n++);
  return state;
}
