import { resolveModel, type ResolveRequest } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';

/**
 * The simplest possible enumerator: depth-first over every decision, raw states in a Set, no
 * reduction and nothing shared with the explorer but the machine. Tests hold the explorer's
 * state counts and verdicts to it. Past `maxStates` it stops and says it is not complete; with `stopAtViolation` it stops at the
 * first violation (the verdict is known, the state count is not).
 */
export function referenceEnumerate(
  req: ResolveRequest,
  maxStates = Infinity,
  stopAtViolation = false,
): { states: number; violated: boolean; complete: boolean } {
  const m = new Machine(resolveModel(req).world);
  const seen = new Set<string>();
  const stack = [m.initialState()];
  seen.add(stack[0].join(','));
  let violated = false;
  while (stack.length) {
    if (seen.size > maxStates) return { states: seen.size, violated, complete: false };
    if (violated && stopAtViolation) break;
    const s = stack.pop()!;
    let runnable = false;
    for (let t = 0; t < m.threadCount; t++) {
      if (!m.isRunnable(s, t)) continue;
      runnable = true;
      for (let c = 0; c < m.choiceCount(s, t); c++) {
        const next = s.slice();
        if (!m.step(next, t, c)) {
          violated = true;
          continue;
        }
        const key = next.join(',');
        if (!seen.has(key)) {
          seen.add(key);
          stack.push(next);
        }
      }
    }
    if (!runnable) {
      const end = m.endState(s);
      if (end.violation && (end.outcome === 'violation' || m.world.invariants.includes(end.violation.invariant))) violated = true;
    }
  }
  return { states: seen.size, violated, complete: true };
}
