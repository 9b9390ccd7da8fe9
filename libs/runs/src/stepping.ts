import { makeScheduler, Runtime, stepBound, type RunResult, type SchedulerSpec, type StepEvent } from '@mmreplay/engine';
import type { World } from '@mmreplay/model';

/**
 * One interleaving of a world, one step event at a time, so that recording can append each batch
 * before stepping on: the engine's own loop (`Runtime.steps`) with the scheduler of a run request.
 */
export function* stepRun(world: World, spec: SchedulerSpec, maxSteps: number): Generator<StepEvent, RunResult, void> {
  const scheduler = makeScheduler(spec, world, maxSteps);
  return yield* new Runtime(world).steps({ scheduler, maxSteps: stepBound(scheduler, maxSteps) });
}
