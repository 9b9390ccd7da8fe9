import { resolveModel, type MemoryModelName, type PathDef, type ResolveRequest, type World } from '@mmreplay/model';
import { Runtime, type RunResult } from './runtime.js';
import { makeScheduler, type Strategy } from './simulate.js';
import type { StepEvent } from './step-event.js';

/** Runs seeds 0, 1, ... of one strategy until the first violation (or `seeds` runs without one). */
export function sample(
  req: ResolveRequest,
  strategy: Strategy,
  seeds: number,
  maxSteps = 100_000,
): { world: World; first: (RunResult & { seed: number }) | null; runs: number } {
  const { world } = resolveModel(req);
  const runtime = new Runtime(world);
  for (let seed = 0; seed < seeds; seed++) {
    const r = runtime.run({ scheduler: makeScheduler({ strategy, seed }, world, maxSteps), maxSteps });
    if (r.outcome === 'violation') return { world, first: { ...r, seed }, runs: seed + 1 };
  }
  return { world, first: null, runs: seeds };
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

/**
 * A world of litmus threads, one thread per path, named after it, over variables x (0) and y (1)
 * unless `litmus` names others (and initial values or pointer targets).
 */
export function litmusWorld(memoryModel: MemoryModelName, paths: PathDef[], results: string[], litmus: Partial<NonNullable<World['litmus']>> = {}): World {
  return {
    scenario: 'test',
    params: {},
    memoryModel,
    rmapOrder: 'any',
    pages: [],
    vmas: [],
    ptes: [],
    ptls: [],
    threads: paths.map((p) => ({ name: p.name, path: p.name, args: {} })),
    paths: Object.fromEntries(paths.map((p) => [p.name, p])),
    invariants: ['deadlock'],
    symmetry: [],
    litmus: { vars: ['x', 'y'], results, exists: [], ...litmus },
  };
}
