/**
 * Long work in bounded slices: `pause()` gives the event loop a turn (setImmediate: timers, I/O,
 * other requests) once the current slice has run `sliceMs`. Awaiting a promise that is already
 * settled does not: better-sqlite3 answers synchronously, so a recording loop that only awaits
 * the store would hold the event loop from its first step to its last.
 */
export class Slices {
  private started = performance.now();

  constructor(private readonly sliceMs: number) {}

  /** True when the slice is used up (cheap: call it every step, pause when it says so). */
  get due(): boolean {
    return performance.now() - this.started >= this.sliceMs;
  }

  async pause(): Promise<void> {
    if (!this.due) return;
    await new Promise<void>((resolve) => setImmediate(resolve));
    this.started = performance.now();
  }
}

/** How long one slice of recording or scanning may hold the event loop, by default. */
export const DEFAULT_SLICE_MS = 15;
