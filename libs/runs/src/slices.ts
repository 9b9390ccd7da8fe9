/**
 * Long work in bounded slices: `pause()` gives the event loop a turn (timers, I/O, other requests)
 * once the current slice has run `sliceMs`. Awaiting a promise that is already settled does not:
 * better-sqlite3 answers synchronously, so a recording loop that only awaits the store would hold
 * the event loop from its first step to its last.
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
    await nextTurn();
    this.started = performance.now();
  }
}

/** How long one slice of recording or scanning may hold the event loop, by default. */
export const DEFAULT_SLICE_MS = 15;

// One slice per event-loop turn, for the whole process. A bare setImmediate per pause is not
// enough: Node runs every immediate queued before its check phase in that one phase, so three runs
// recording at once would hold the loop for three slices between two I/O polls, and a health check
// would wait for all of them. Here pauses queue, and each turn resumes only the oldest one.
const waiting: (() => void)[] = [];

function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    if (waiting.length === 1) setImmediate(resumeOldest);
  });
}

function resumeOldest(): void {
  waiting.shift()!();
  // scheduled from within the check phase, so it runs in the next turn, after that turn's I/O
  if (waiting.length) setImmediate(resumeOldest);
}
