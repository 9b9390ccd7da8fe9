import { randomBytes } from 'node:crypto';
import {
  DEFAULT_MAX_STEPS,
  ENGINE_VERSION,
  Machine,
  makeScheduler,
  Runtime,
  scheduleLength,
  stepBound,
  strategies,
  type SchedulerSpec,
  type StateDelta,
  type Strategy,
} from '@mmreplay/engine';
import { assertPathsCanRun, contentHash, Layout, resolveModel, type MemoryModelName, type Variant, type World } from '@mmreplay/model';
import type { JsonObject, RunStarted } from '@mmreplay/events';
import { InvalidRunRequestError } from './errors.js';

/** What starting a run takes: the model (scenario, params, variant), the scheduler, and who asks. */
export interface StartRunRequest {
  /** continue (or create) the run with this id; a new id when absent */
  runId?: string;
  scenario: string;
  /** the scenario as a document (a team's published version or an inline one) instead of a built-in */
  document?: unknown;
  params?: Readonly<Record<string, number | string>>;
  /** a named variant, or a variant object */
  variant?: string | Variant;
  /** the memory model of relaxed accesses (default: the variant's MEM switch, `sc`) */
  memoryModel?: MemoryModelName;
  /** default `random` (`replay` when a schedule is given) */
  strategy?: Strategy;
  seed?: number;
  /** the schedule token a `replay` run follows */
  schedule?: string;
  /** PCT bug depth (default 3) */
  depth?: number;
  maxSteps?: number;
  actor?: string;
  team?: string;
  /**
   * A model given whole, in place of scenario/params/variant (a litmus test's witness as a run,
   * `litmusWitnessRequest`); recorded in `RunStarted.model` like any other.
   */
  world?: World;
}

/** A run ready to execute: its first event, and what re-executes it exactly. */
export interface PreparedRun {
  runId: string;
  started: RunStarted;
  world: World;
  spec: SchedulerSpec;
  maxSteps: number;
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export function assertRunId(runId: string): void {
  if (typeof runId !== 'string' || !RUN_ID.test(runId)) {
    throw new InvalidRunRequestError('runId', 'must be 1 to 100 letters, digits, dots, dashes or underscores, starting with a letter or digit');
  }
}

/** A short random id: 12 hex digits. */
export const newRunId = (): string => randomBytes(6).toString('hex');

/**
 * The slots the engine changes before step 0: each thread runs its local instructions up to its
 * first atomic step (`Machine.initialState()` against `Layout.initialState()`). Recorded in
 * `RunStarted.initialDeltas` so that projections rebuild every state without the engine.
 */
export function initialStateDeltas(world: World): StateDelta[] {
  const layout = new Layout(world);
  const base = layout.initialState();
  const init = new Machine(world).initialState();
  const deltas: StateDelta[] = [];
  for (let i = 0; i < init.length; i++) if (init[i] !== base[i]) deltas.push({ slot: i, ...layout.describe(i), before: base[i], after: init[i] });
  return deltas;
}

/** Resolves the model and builds the run's `RunStarted`: a pure function of the request. */
export function prepareRun(req: StartRunRequest, runId: string = req.runId ?? newRunId()): PreparedRun {
  assertRunId(runId);
  const strategy: Strategy = req.strategy ?? (req.schedule ? 'replay' : 'random');
  if (!strategies.includes(strategy)) throw new InvalidRunRequestError('strategy', `must be one of ${strategies.join(', ')}`);
  if (strategy === 'replay' && !req.schedule) throw new InvalidRunRequestError('schedule', 'a replay needs a schedule token');
  const seed = req.seed ?? 0;
  if (!Number.isSafeInteger(seed) || seed < 0) throw new InvalidRunRequestError('seed', 'must be a non-negative integer');
  const maxSteps = req.maxSteps ?? DEFAULT_MAX_STEPS;
  if (!Number.isSafeInteger(maxSteps) || maxSteps < 1) throw new InvalidRunRequestError('maxSteps', 'must be a positive integer');
  const depth = strategy === 'pct' ? (req.depth ?? 3) : null;
  if (depth !== null && (!Number.isSafeInteger(depth) || depth < 1)) throw new InvalidRunRequestError('depth', 'must be a positive integer');
  const schedule = strategy === 'replay' ? (req.schedule ?? null) : null;
  // A malformed token, or one standing for more steps than the run may take, fails here: before
  // anything is written, and without expanding the token.
  if (schedule !== null) {
    const length = scheduleLength(schedule);
    if (length > maxSteps) throw new InvalidRunRequestError('schedule', `the token stands for ${length} steps, more than maxSteps (${maxSteps})`);
  }

  const model = req.world
    ? { world: req.world, modelHash: contentHash(req.world), variant: 'kernel' }
    : resolveModel({ scenario: req.scenario, document: req.document, params: req.params, variant: req.variant, memoryModel: req.memoryModel });
  assertPathsCanRun(model.world);
  const started: RunStarted = {
    runId,
    scenario: model.world.scenario,
    params: { ...model.world.params },
    variant: model.variant === 'kernel' ? null : model.variant,
    model: model.world as unknown as JsonObject,
    modelHash: model.modelHash,
    engineVersion: ENGINE_VERSION,
    strategy,
    seed,
    schedule,
    depth,
    maxSteps,
    initialDeltas: initialStateDeltas(model.world),
    ...(req.document !== undefined ? { document: JSON.parse(JSON.stringify(req.document)) as JsonObject } : {}),
    actor: req.actor ?? 'anonymous',
    team: req.team ?? 'default',
  };
  return { runId, started, world: model.world, spec: specOf(started), maxSteps };
}

/** What re-executes a stored run exactly: its own model and scheduler settings, nothing resolved again. */
export function preparedFromStarted(started: RunStarted): PreparedRun {
  return { runId: started.runId, started, world: started.model as unknown as World, spec: specOf(started), maxSteps: started.maxSteps };
}

function specOf(started: RunStarted): SchedulerSpec {
  return {
    strategy: started.strategy as Strategy,
    seed: Number(started.seed),
    schedule: started.schedule ?? undefined,
    depth: started.depth ?? undefined,
  };
}

/**
 * Replays the schedule once on the fast path (no events): a schedule that does not fit the model
 * fails here with `ReplayDivergenceError`, before the run's stream is created.
 */
export async function checkReplay(run: PreparedRun, slices?: { readonly due: boolean; pause(): Promise<void> }): Promise<void> {
  if (run.spec.strategy !== 'replay') return;
  const scheduler = makeScheduler(run.spec, run.world, run.maxSteps);
  // in slices when given (a replay may be 10^6 steps): the event loop gets a turn between them
  const steps = new Runtime(run.world).steps({ scheduler, maxSteps: stepBound(scheduler, run.maxSteps) });
  while (!steps.next().done) if (slices?.due) await slices.pause();
}
