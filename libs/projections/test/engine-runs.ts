// Test support: engine runs recorded as a run's events, with the engine's own state after every
// step to compare the projection with. The projection library itself never imports the engine.
import { Layout, resolveModel, scenarios, type World } from '@mmreplay/model';
import { ENGINE_VERSION, Machine, makeScheduler, Runtime, type StateDelta, type StepEvent } from '@mmreplay/engine';
import type { JsonObject, RunStarted } from '@mmreplay/events';

export interface Target {
  scenario: string;
  variant?: string;
  params?: Record<string, number>;
  memoryModel?: 'sc' | 'tso' | 'lkmm';
}

/** Every built-in scenario, unmodified and in each of its named variants. */
export const everyTarget: readonly Target[] = scenarios().flatMap((s) =>
  [undefined, ...s.variants.map((v) => v.name)].map((variant) => ({ scenario: s.name, variant })),
);

/** The slots the engine changes before step 0 (local instructions up to each thread's first atomic step). */
export function initialDeltas(world: World): StateDelta[] {
  const layout = new Layout(world);
  const base = layout.initialState();
  const init = new Machine(world).initialState();
  const out: StateDelta[] = [];
  for (let i = 0; i < init.length; i++) if (init[i] !== base[i]) out.push({ slot: i, ...layout.describe(i), before: base[i], after: init[i] });
  return out;
}

export interface RecordedRun {
  started: RunStarted;
  steps: StepEvent[];
  /** the engine's state after each step */
  states: Int32Array[];
  engineInitial: Int32Array;
}

export function recordRun(
  target: Target,
  strategy: 'random' | 'pct' | 'replay',
  seed: number,
  maxSteps = 20_000,
  runId = 'r1',
  schedule?: string,
): RecordedRun {
  const { world, modelHash, variant } = resolveModel(target);
  const steps: StepEvent[] = [];
  const states: Int32Array[] = [];
  new Runtime(world).run({
    scheduler: makeScheduler({ strategy, seed, schedule }, world, maxSteps),
    maxSteps,
    onEvent: (e) => steps.push(e),
    onState: (s) => states.push(s.slice()),
  });
  const started: RunStarted = {
    runId,
    scenario: target.scenario,
    params: world.params,
    variant,
    model: world as unknown as JsonObject,
    modelHash,
    engineVersion: ENGINE_VERSION,
    strategy,
    seed,
    schedule: schedule ?? null,
    depth: strategy === 'pct' ? 3 : null,
    maxSteps,
    initialDeltas: initialDeltas(world),
    actor: 'test',
    team: 'test',
  };
  return { started, steps, states, engineInitial: new Machine(world).initialState() };
}
