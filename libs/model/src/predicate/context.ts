import { Layout, ThreadField, ThreadStatus, WaitFlag } from '../layout.js';
import type { Step } from '../program.js';
import type { World } from '../world.js';
import type { Kind } from './predicate.js';

/**
 * What a predicate is compiled against: a model's objects, where they live in the state vector,
 * and each thread's steps and registers. A run's model in the projections (`RunModel`) is one; the
 * engine builds one from the world it runs (`worldPredicateModel`).
 */
export interface PredicateModel {
  readonly world: World;
  readonly layout: Layout;
  /** The step thread `t` is at (about to execute), or null when it has run off its path. */
  stepAt(thread: number, pc: number): Step | null;
  /** The slot of a thread's register, by the register's name in its path. */
  regSlot(thread: number, reg: string): number | undefined;
}

/**
 * The step a predicate's event tests read: the step that produced the state. A recorded step event
 * (`StepRecorded`) is one.
 */
export interface PredicateEvent {
  readonly threadIndex: number;
  readonly kind: string;
  readonly op: string;
  readonly label: string;
  readonly src: { readonly fn: string };
  readonly args: Readonly<Record<string, string | number>>;
}

/** A PredicateModel of a world, for the engine (a thread's pc indexes its path's steps). */
export function worldPredicateModel(world: World, layout = new Layout(world)): PredicateModel {
  const paths = world.threads.map((t) => world.paths[t.path]);
  const regs = paths.map((p) => new Map((p?.regs ?? []).map((r, i) => [r.name, i])));
  return {
    world,
    layout,
    stepAt: (t, pc) => paths[t]?.steps[pc] ?? null,
    regSlot: (t, name) => {
      const r = regs[t].get(name);
      return r === undefined ? undefined : layout.reg(t, r);
    },
  };
}

/** `runnable`, or why a running thread cannot take its next step; `done` / `crashed` when it ended. */
export type ThreadState = 'runnable' | 'sleeping' | 'spinning' | 'done' | 'crashed';

/** Why a running thread cannot step, from the instruction it is at (the engine's isRunnable, read back). */
export function threadState(model: PredicateModel, s: Int32Array, t: number): ThreadState {
  const L = model.layout;
  const status = s[L.thread(t, ThreadField.status)];
  if (status === ThreadStatus.done) return 'done';
  if (status === ThreadStatus.crashed) return 'crashed';
  const step = model.stepAt(t, s[L.thread(t, ThreadField.pc)]);
  if (!step) return 'runnable';
  switch (step.op) {
    case 'sleep':
    case 'lock_page': {
      const waiting = s[L.thread(t, ThreadField.waitPage)] >= 0;
      return waiting && (s[L.thread(t, ThreadField.waitFlags)] & WaitFlag.woken) === 0 ? 'sleeping' : 'runnable';
    }
    case 'ptl_lock': {
      const slot = model.regSlot(t, String(step.args[0]));
      const pte = slot === undefined ? -1 : s[slot];
      const ptl = pte >= 0 ? L.ptlOfPte[pte] : -1;
      return ptl >= 0 && s[L.ptl(ptl)] !== 0 ? 'spinning' : 'runnable';
    }
    case 'rmap_lock': {
      const held = s[L.rmap];
      const blocked = step.args[1] === 1 ? held !== 0 : held < 0;
      return blocked ? 'spinning' : 'runnable';
    }
    default:
      return 'runnable';
  }
}

/** How many objects of `kind` a world has: what one quantifier over that kind ranges over. */
export function domainSize(model: { readonly world: World }, kind: Kind): number {
  const w = model.world;
  const sizes: Record<Kind, number> = {
    var: w.litmus?.vars.length ?? 0,
    page: w.pages.length,
    pte: w.ptes.length,
    ptl: w.ptls.length,
    thread: w.threads.length,
    vma: w.vmas.length,
  };
  return sizes[kind];
}
