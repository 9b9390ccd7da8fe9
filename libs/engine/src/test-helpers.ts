import { resolveModel, type ResolveRequest, type World } from '@mmreplay/model';
import { Runtime, type RunResult } from './runtime.js';
import { makeScheduler, type Strategy } from './simulate.js';
import type { StepEvent } from './step-event.js';

/** Runs many seeds of one resolved world; returns the first violating run, if any. */
export function sample(
  req: ResolveRequest,
  strategy: Strategy,
  seeds: number,
  maxSteps = 100_000,
): { world: World; first: (RunResult & { seed: number }) | null; violations: number } {
  const { world } = resolveModel(req);
  const runtime = new Runtime(world);
  let first: (RunResult & { seed: number }) | null = null;
  let violations = 0;
  for (let seed = 0; seed < seeds; seed++) {
    const r = runtime.run({ scheduler: makeScheduler({ strategy, seed }, world, maxSteps), maxSteps });
    if (r.outcome === 'violation') {
      violations++;
      if (!first) first = { ...r, seed };
    }
  }
  return { world, first, violations };
}

export function eventsOf(world: World, strategy: Strategy, seed: number, schedule?: string): { events: StepEvent[]; result: RunResult } {
  const events: StepEvent[] = [];
  const result = new Runtime(world).run({
    scheduler: makeScheduler({ strategy, seed, schedule }, world, 1_000_000),
    maxSteps: 1_000_000,
    onEvent: (e) => events.push(e),
  });
  return { events, result };
}
