import { resolveModel, type ResolveRequest, type ResolvedModel, type World } from '@mmreplay/model';
import { Runtime, type RunResult } from './runtime.js';
import { RandomScheduler } from './schedulers/random.js';
import { PctScheduler } from './schedulers/pct.js';
import { ReplayScheduler, stepBound } from './schedulers/replay.js';
import { RoundRobinScheduler } from './schedulers/round-robin.js';
import type { Scheduler } from './schedulers/scheduler.js';
import type { StepEvent } from './step-event.js';

export type Strategy = 'random' | 'pct' | 'replay' | 'round-robin';
export const strategies: readonly Strategy[] = ['random', 'pct', 'replay', 'round-robin'];

export interface SchedulerSpec {
  readonly strategy: Strategy;
  readonly seed?: number;
  readonly schedule?: string;
  /** PCT bug depth d (default 3) */
  readonly depth?: number;
}

/** The length of one uninterrupted run of the world: PCT's k. */
export function estimateSteps(world: World, maxSteps: number): number {
  const r = new Runtime(world).run({ scheduler: new RoundRobinScheduler(), maxSteps: Math.min(maxSteps, 100_000) });
  return Math.max(1, r.steps);
}

export function makeScheduler(spec: SchedulerSpec, world: World, maxSteps: number): Scheduler {
  const seed = spec.seed ?? 0;
  switch (spec.strategy) {
    case 'random':
      return new RandomScheduler(seed);
    case 'pct':
      return new PctScheduler(seed, world.threads.length, spec.depth ?? 3, estimateSteps(world, maxSteps));
    case 'round-robin':
      return new RoundRobinScheduler();
    case 'replay':
      if (!spec.schedule) throw new Error('replay needs a schedule token');
      return new ReplayScheduler(spec.schedule);
  }
}

export interface SimulateRequest extends ResolveRequest, SchedulerSpec {
  readonly maxSteps?: number;
  readonly onEvent?: (e: StepEvent) => void;
}

export interface Simulation {
  readonly model: ResolvedModel;
  readonly result: RunResult;
}

export const DEFAULT_MAX_STEPS = 100_000_000;

/** Resolve a scenario and run one interleaving of it. */
export function simulate(req: SimulateRequest): Simulation {
  const model = resolveModel(req);
  const maxSteps = req.maxSteps ?? DEFAULT_MAX_STEPS;
  const scheduler = makeScheduler(req, model.world, maxSteps);
  const result = new Runtime(model.world).run({ scheduler, maxSteps: stepBound(scheduler, maxSteps), onEvent: req.onEvent });
  return { model, result };
}
