import { formatPte, INSN_WIDTH, litmusPointee, OPS, opNames, type World } from '@mmreplay/model';
import { Machine, type Violation } from './machine.js';
import { encodeSchedule } from './schedule-token.js';
import { eventKind } from './event-kind.js';
import { MemoryTrace } from './memory-trace.js';
import type { Scheduler } from './schedulers/scheduler.js';
import type { StateDelta, StepEvent, ViolationRecord } from './step-event.js';

export const ENGINE_VERSION = '0.1.0';

/** The source of the implicit end of a path (a thread with a store buffer rests there until it drains). */
const END_SRC = { file: '-', fn: '(end of path)', version: '-' };

/**
 * `infeasible` (lkmm): the run guessed a branch on an outstanding load, and no store the load may
 * still read agrees with the guess: a path a CPU would have squashed, not an execution.
 */
/**
 * `model-bound` (tso, lkmm): no thread can run, and one waits only at one of the engine's own
 * bounds on weak-memory state (model-bounds.ts): the model would let it go on, so this is no
 * deadlock of the program, and the run says where the engine cut it short.
 */
export type Outcome = 'completed' | 'violation' | 'deadlock' | 'step-bound' | 'infeasible' | 'model-bound';

export interface RunOptions {
  readonly scheduler: Scheduler;
  readonly maxSteps: number;
  /** called with every step event; when absent, no event is built (the fast path) */
  readonly onEvent?: (e: StepEvent) => void;
  /** called after every step with the live state (tests compare projections with it) */
  readonly onState?: (state: Int32Array, step: number) => void;
}

export interface RunResult {
  readonly outcome: Outcome;
  readonly violation: ViolationRecord | null;
  readonly steps: number;
  readonly schedule: string;
  readonly state: Int32Array;
}

/**
 * Executes exactly one interleaving of a world: asks the scheduler which thread steps next, lets
 * the machine execute it, records the decision, and reports the outcome. Same world + same
 * schedule => the same events, bit for bit.
 */
export class Runtime {
  readonly machine: Machine;
  /** the history of relaxed writes of the run being recorded (built only with events) */
  private readonly memory: MemoryTrace;

  constructor(readonly world: World) {
    this.machine = new Machine(world);
    this.memory = new MemoryTrace(this.machine);
  }

  run(opts: RunOptions): RunResult {
    const steps = this.steps(opts, opts.onEvent !== undefined);
    for (;;) {
      const r = steps.next();
      if (r.done) return r.value;
      opts.onEvent!(r.value);
    }
  }

  /**
   * The run as a generator of its step events, for callers that must pause between steps (a
   * recorder appending to a store). With `events` false it yields nothing: that is `run()`'s
   * fast path, one loop for both.
   */
  *steps(opts: Omit<RunOptions, 'onEvent'>, events = true): Generator<StepEvent, RunResult, void> {
    const m = this.machine;
    const n = m.threadCount;
    const s = m.initialState();
    const runnable = new Int32Array(n);
    const threads: number[] = [];
    const choices: number[] = [];
    const prev = events ? new Int32Array(s.length) : null;
    let violation: ViolationRecord | null = null;
    let outcome: Outcome = 'completed';
    let step = 0;
    for (; ; step++) {
      let count = 0;
      for (let t = 0; t < n; t++) if (m.isRunnable(s, t)) runnable[count++] = t;
      if (count === 0) {
        const end = m.endState(s);
        outcome = end.outcome;
        if (end.violation) violation = this.record(end.violation, step);
        break;
      }
      if (step >= opts.maxSteps) {
        outcome = 'step-bound';
        break;
      }
      const t = opts.scheduler.pickThread(runnable, count, step);
      const k = m.choiceCount(s, t);
      const c = k > 1 ? opts.scheduler.pickChoice(k, t, step) : 0;
      threads.push(t);
      if (k > 1) choices.push(c);
      const pc = m.pcOf(s, t);
      if (prev) prev.set(s);
      const ok = m.step(s, t, c);
      const broken = ok ? null : (m.violation as Violation);
      if (prev) yield this.stepEvent(prev, s, t, pc, step, c);
      opts.onState?.(s, step);
      if (broken) {
        outcome = 'violation';
        violation = this.record(broken, step);
        step++;
        break;
      }
    }
    return { outcome, violation, steps: step, schedule: encodeSchedule({ threads, choices }), state: s };
  }

  private record(v: Violation, step: number): ViolationRecord {
    return { invariant: v.invariant, step, thread: this.world.threads[v.thread].name, message: v.message };
  }

  /**
   * The event for one step: the diff of the state vector, named by the layout. Call it for every
   * step of a run, in order, right after `machine.step` (it follows the history of relaxed writes).
   */
  stepEvent(before: Int32Array, after: Int32Array, t: number, pc: number, step: number, choice: number): StepEvent {
    const L = this.machine.layout;
    const deltas: StateDelta[] = [];
    for (let i = 0; i < after.length; i++) {
      if (before[i] !== after[i]) deltas.push({ slot: i, ...L.describe(i), before: before[i], after: after[i] });
    }
    if (step === 0) this.memory.reset();
    // lkmm: a scenario release issued (left outstanding), or performed later: named after the release.
    const pend = L.relPend[t];
    const issued = pend >= 0 && before[pend] === 0 && after[pend] !== 0;
    if (pend >= 0 && before[pend] !== 0 && after[pend] === 0) pc = before[pend] - 1;
    const { accesses, side } = this.memory.record(after, t, pc, step, deltas);
    const linked = this.machine.paths[t];
    const memory = accesses ? { memory: accesses } : {};
    if (side) {
      // A store-buffer flush or a late load: named after the instruction that issued it.
      const def = linked.def.steps[side.pc];
      const op = side.kind === 'flush' ? 'store_flush' : 'load_satisfy';
      return {
        step,
        thread: this.world.threads[t].name,
        threadIndex: t,
        pc: side.pc,
        label: def?.label ?? 'end',
        op,
        kind: side.kind === 'flush' ? 'StoreVisible' : 'LoadSatisfied',
        src: def?.src ?? END_SRC,
        choice,
        args: { location: side.location, value: side.value },
        deltas,
        ...memory,
      };
    }
    const def = linked.def.steps[pc];
    const op = opNames[linked.code[pc * INSN_WIDTH]];
    let kind = issued ? 'ReleaseIssued' : eventKind(op, deltas);
    const args = def ? this.describeArgs(after, t, pc) : {};
    if (accesses?.some((a) => a.access === 'load-issued') && (op === 'load' || op === 'load_var' || op === 'load_ptr')) {
      kind = 'LoadIssued';
      args[String(def.args[0])] = '(outstanding)';
      // issued before the pointer it loads through is loaded: that register is not known yet either
      if (op === 'load_ptr' && accesses.some((a) => a.access === 'load-issued' && a.location?.startsWith('*'))) args[String(def.args[1])] = '(outstanding)';
    } else if (accesses?.some((a) => a.access === 'store-buffered') && (op === 'store' || op === 'store_var' || op === 'store_ptr')) {
      kind = 'StoreBuffered';
      // issued before the pointer it stores through is loaded: that register is not known yet
      if (op === 'store_ptr' && accesses.some((a) => a.access === 'store-buffered' && a.location?.startsWith('*'))) args[String(def.args[0])] = '(outstanding)';
    }
    return {
      step,
      thread: this.world.threads[t].name,
      threadIndex: t,
      pc,
      label: def?.label ?? 'end',
      op,
      kind,
      src: def?.src ?? END_SRC,
      choice,
      args,
      deltas,
      ...memory,
    };
  }

  /** The operands of the instruction at pc, after it ran, as names a kernel developer reads. */
  describeArgs(s: Int32Array, t: number, pc: number): Record<string, string | number> {
    const linked = this.machine.paths[t];
    const def = linked.def.steps[pc];
    const L = this.machine.layout;
    const out: Record<string, string | number> = {};
    OPS[def.op].args.forEach((kind, j) => {
      const a = def.args[j];
      if (kind !== 'reg' || typeof a !== 'string') return;
      const ri = linked.def.regs.findIndex((r) => r.name === a);
      const reg = linked.def.regs[ri];
      const v = s[L.reg(t, ri)];
      switch (reg.type) {
        case 'page':
          out[a] = L.pageName(v);
          break;
        case 'pte':
          out[a] = v >= 0 ? this.world.ptes[v].name : '-';
          break;
        case 'vma':
          out[a] = v >= 0 ? this.world.vmas[v].name : '-';
          break;
        case 'pteval':
          out[a] = formatPte(v, L.pageName);
          break;
        default: {
          // a pointer (litmusPointer) as the address of the litmus variable it points to
          const vars = this.world.litmus?.vars ?? [];
          const p = litmusPointee(v, vars.length);
          out[a] = p < 0 ? v : `&${vars[p]}`;
        }
      }
    });
    return out;
  }
}
