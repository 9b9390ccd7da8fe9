import type { Machine } from '../src/index.js';

/** What a walk is told: each step's successor (return true to stop there), each state where no thread can run. */
export interface WalkVisitor {
  step?: (next: Int32Array, kept: boolean, thread: number) => boolean | void;
  end?: (s: Int32Array) => void;
}

/**
 * Every state a machine reaches, depth first over every thread and choice, each state once (told
 * apart by its words; no reduction, so the specs that use it test the engine alone). `kept` is
 * false when the step broke an invariant (`m.violation` says which); the walk goes on past it
 * unless the visitor stops it.
 */
export function walkStates(m: Machine, on: WalkVisitor): void {
  const seen = new Set<string>();
  const stack = [m.initialState()];
  while (stack.length > 0) {
    const s = stack.pop()!;
    let any = false;
    for (let t = 0; t < m.threadCount; t++) {
      if (!m.isRunnable(s, t)) continue;
      any = true;
      for (let c = 0, n = m.choiceCount(s, t); c < n; c++) {
        const next = s.slice();
        const kept = m.step(next, t, c);
        if (on.step?.(next, kept, t) === true) return;
        const key = next.join(',');
        if (!seen.has(key)) {
          seen.add(key);
          stack.push(next);
        }
      }
    }
    if (!any) on.end?.(s);
  }
}
