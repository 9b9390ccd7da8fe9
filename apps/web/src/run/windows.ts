// A run of a million steps is never fetched whole: the timeline asks for the events of the
// windows it shows (WINDOW steps each, aligned), and each window is fetched once and cached.

export const WINDOW = 512;

/** The aligned windows (their first steps) that cover steps `from..to` of a run of `steps` steps. */
export function windowsCovering(from: number, to: number, steps: number, size = WINDOW): number[] {
  if (steps <= 0 || to < from) return [];
  const lo = Math.max(0, Math.min(from, steps - 1));
  const hi = Math.max(0, Math.min(to, steps - 1));
  const out: number[] = [];
  for (let w = Math.floor(lo / size) * size; w <= hi; w += size) out.push(w);
  return out;
}

/**
 * The `from`/`to` query of the window starting at `start` (both inclusive, as GET /runs/{id}/events
 * takes them). It does not depend on the run's length, so a window asked for before the run's
 * length is known (a deep link) is the same, cached, window afterwards.
 */
export function windowRange(start: number, size = WINDOW): { from: number; to: number; limit: number } {
  return { from: start, to: start + size - 1, limit: size };
}

/** The windows of several step ranges (what is in view, and the selected step), each once. */
export function windowsOf(ranges: readonly (readonly [number, number])[], steps: number, size = WINDOW): number[] {
  return [...new Set(ranges.flatMap(([from, to]) => windowsCovering(from, to, steps, size)))].sort((a, b) => a - b);
}

/** The step after a key press: ←/→ one step, PageUp/PageDown 10, Home/End the ends; null for other keys. */
export function stepAfterKey(key: string, step: number, last: number): number | null {
  const clamp = (s: number) => Math.max(-1, Math.min(last, s));
  switch (key) {
    case 'ArrowLeft':
      return clamp(step - 1);
    case 'ArrowRight':
      return clamp(step + 1);
    case 'PageUp':
      return clamp(step - 10);
    case 'PageDown':
      return clamp(step + 10);
    case 'Home':
      return -1;
    case 'End':
      return last;
    default:
      return null;
  }
}
