import type { Machine } from '@mmreplay/engine';

/**
 * Every state a machine reaches, each once (told apart by its words), without reductions; a step
 * that breaks an invariant adds no state. For specs that check a property over the whole state
 * space of a small world (partial-order.pending-release.spec, symmetry.wait-outside.spec).
 */
export function reachable(m: Machine): Int32Array[] {
  const seen = new Map<string, Int32Array>();
  const todo = [m.initialState()];
  while (todo.length > 0) {
    const s = todo.pop()!;
    const key = s.join(',');
    if (seen.has(key)) continue;
    seen.set(key, s);
    for (let u = 0; u < m.threadCount; u++) {
      if (!m.isRunnable(s, u)) continue;
      for (let c = 0; c < m.choiceCount(s, u); c++) {
        const y = s.slice();
        if (m.step(y, u, c)) todo.push(y);
      }
    }
  }
  return [...seen.values()];
}
