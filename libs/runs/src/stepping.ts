import {
  encodeSchedule,
  makeScheduler,
  ReplayScheduler,
  Runtime,
  type Outcome,
  type RunResult,
  type SchedulerSpec,
  type StepEvent,
  type ViolationRecord,
} from '@mmreplay/engine';
import type { World } from '@mmreplay/model';

/**
 * One interleaving of a world, one step event at a time: `Runtime.run`'s loop as a generator.
 *
 * Why a copy: recording a run appends its events to the store in batches, which is asynchronous,
 * while `Runtime.run` is synchronous and cannot pause; collecting a million events first would
 * hold them all in memory. This loop makes the same decisions in the same order (same scheduler
 * calls, same machine steps, same events, same result), and `stepping.spec.ts` checks it against
 * `Runtime.run` for every scenario. The engine could offer this itself (`Runtime.steps()`), and
 * then this file goes.
 */
export function* stepRun(world: World, spec: SchedulerSpec, maxSteps: number): Generator<StepEvent, RunResult, void> {
  const runtime = new Runtime(world);
  const m = runtime.machine;
  const scheduler = makeScheduler(spec, world, maxSteps);
  // As simulate(): a replay ends where its schedule ends.
  const bound = scheduler instanceof ReplayScheduler ? Math.min(maxSteps, scheduler.length) : maxSteps;
  const n = m.threadCount;
  const s = m.initialState();
  const prev = new Int32Array(s.length);
  const runnable = new Int32Array(n);
  const threads: number[] = [];
  const choices: number[] = [];
  let violation: ViolationRecord | null = null;
  let outcome: Outcome = 'completed';
  let step = 0;
  const record = (v: { invariant: string; thread: number; message: string }, at: number): ViolationRecord => ({
    invariant: v.invariant,
    step: at,
    thread: world.threads[v.thread].name,
    message: v.message,
  });
  for (; ; step++) {
    let count = 0;
    for (let t = 0; t < n; t++) if (m.isRunnable(s, t)) runnable[count++] = t;
    if (count === 0) {
      const end = m.endState(s);
      outcome = end.outcome;
      if (end.violation) violation = record(end.violation, step);
      break;
    }
    if (step >= bound) {
      outcome = 'step-bound';
      break;
    }
    const t = scheduler.pickThread(runnable, count, step);
    const k = m.choiceCount(s, t);
    const c = k > 1 ? scheduler.pickChoice(k, t, step) : 0;
    threads.push(t);
    if (k > 1) choices.push(c);
    const pc = m.pcOf(s, t);
    prev.set(s);
    const ok = m.step(s, t, c);
    const broken = ok ? null : m.violation;
    yield runtime.stepEvent(prev, s, t, pc, step, c);
    if (broken) {
      outcome = 'violation';
      violation = record(broken, step);
      step++;
      break;
    }
  }
  return { outcome, violation, steps: step, schedule: encodeSchedule({ threads, choices }), state: s };
}
