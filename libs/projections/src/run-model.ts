import { Layout, type PathDef, type RegDecl, type Step, type World } from '@mmreplay/model';
import type { RunStarted, StateDelta } from '@mmreplay/events';
import { ProjectionMismatchError } from './errors.js';

/**
 * What a projection knows about one run, from its `RunStarted` alone: the exact model it ran, where
 * each object lives in the state vector, and the state before step 0.
 *
 * The initial state is `new Layout(model).initialState()` plus `RunStarted.initialDeltas`: before
 * step 0 the engine runs every thread's local instructions up to its first atomic step (its
 * `Machine.initialState()`), which moves program counters and sets registers. The run records that
 * difference, so the projection never needs the engine.
 */
export class RunModel {
  readonly world: World;
  readonly layout: Layout;
  /** the state before step 0 (never mutated: copy it) */
  readonly initial: Int32Array;
  readonly runId: string;
  readonly modelHash: string;
  private readonly threadPaths: readonly PathDef[];
  private readonly regIndexes: readonly ReadonlyMap<string, number>[];

  constructor(readonly started: RunStarted) {
    const world = started.model as unknown as World;
    if (!isWorld(world)) throw new ProjectionMismatchError(`run ${started.runId}: RunStarted.model is not a model`);
    this.world = world;
    this.runId = started.runId;
    this.modelHash = started.modelHash;
    this.layout = new Layout(world);
    this.threadPaths = world.threads.map((t) => {
      const path = world.paths[t.path];
      if (!path) throw new ProjectionMismatchError(`run ${started.runId}: thread ${t.name} runs unknown path '${t.path}'`);
      return path;
    });
    this.regIndexes = this.threadPaths.map((p) => new Map(p.regs.map((r, i) => [r.name, i])));
    const initial = this.layout.initialState();
    applyDeltas(initial, started.initialDeltas ?? [], `run ${started.runId} before step 0`);
    this.initial = initial;
  }

  get size(): number {
    return this.layout.size;
  }

  /** A page lock owner or PTL holder (thread index + 1, 0 for none) as a thread name. */
  holderName(v: number): string | null {
    return v > 0 ? (this.world.threads[v - 1]?.name ?? `#${v - 1}`) : null;
  }

  pathOf(thread: number): PathDef {
    return this.threadPaths[thread];
  }

  /** The step thread `t` is at (about to execute), or null when it has run off its path. */
  stepAt(thread: number, pc: number): Step | null {
    return this.threadPaths[thread].steps[pc] ?? null;
  }

  regsOf(thread: number): readonly RegDecl[] {
    return this.threadPaths[thread].regs;
  }

  /** The slot of a thread's register, by the register's name in its path. */
  regSlot(thread: number, reg: string): number | undefined {
    const r = this.regIndexes[thread].get(reg);
    return r === undefined ? undefined : this.layout.reg(thread, r);
  }
}

function isWorld(w: World | undefined): w is World {
  return (
    typeof w === 'object' &&
    w !== null &&
    Array.isArray(w.pages) &&
    Array.isArray(w.vmas) &&
    Array.isArray(w.ptes) &&
    Array.isArray(w.ptls) &&
    Array.isArray(w.threads) &&
    typeof w.paths === 'object'
  );
}

/**
 * Applies state deltas, checking each one's `before` against the state: a delta that does not fit
 * means the log and the model disagree, and a projection must fail loudly rather than show a
 * state the run never had.
 */
export function applyDeltas(state: Int32Array, deltas: readonly StateDelta[], where: string): void {
  for (let i = 0; i < deltas.length; i++) {
    const d = deltas[i];
    const slot = d.slot;
    if (!(slot >= 0 && slot < state.length) || state[slot] !== d.before) {
      throw new ProjectionMismatchError(
        `${where}: delta ${d.object}.${d.field} (slot ${slot}) expects ${d.before} but the projected state has ${slot >= 0 && slot < state.length ? state[slot] : 'no such slot'}`,
      );
    }
    state[slot] = d.after;
  }
}
