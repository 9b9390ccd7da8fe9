import type { Machine } from '@mmreplay/engine';

// End states in a breadth-first search. A state where no thread can run breaks an invariant at its
// own depth, a step that breaks one at the depth after its head's. So in a level whose heads were
// not all expanded because a step broke an invariant, an end state among the heads left that
// breaks one is the shorter counterexample: the searches look for one before they report the step.

/** Whether no thread of `s` can run. */
function isEndState(m: Machine, s: Int32Array): boolean {
  for (let t = 0; t < m.threadCount; t++) if (m.isRunnable(s, t)) return false;
  return true;
}

/**
 * What an end state `s` breaks as a search reports it, or null: what the machine says it breaks,
 * a deadlock only where the world audits `deadlock`.
 */
export function endStateViolation(m: Machine, s: Int32Array): { invariant: string; message: string } | null {
  const e = m.endState(s);
  if (!e.violation || (e.outcome !== 'violation' && !m.world.invariants.includes(e.violation.invariant))) return null;
  return { invariant: e.violation.invariant, message: e.violation.message };
}

/**
 * The first of the heads [from, to), each read into a vector by `read(id, out)`, that is an end
 * state breaking an invariant, with its id; or null.
 */
export function firstBrokenEndState(
  m: Machine,
  read: (id: number, out: Int32Array) => void,
  from: number,
  to: number,
): { id: number; invariant: string; message: string } | null {
  const v = new Int32Array(m.layout.size);
  for (let id = from; id < to; id++) {
    read(id, v);
    const end = isEndState(m, v) ? endStateViolation(m, v) : null;
    if (end) return { id, ...end };
  }
  return null;
}
