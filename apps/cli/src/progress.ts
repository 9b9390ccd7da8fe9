import type { Progress } from '@mmreplay/explorer';

/** Where a live progress line goes: a terminal's stderr, redrawn in place; nothing when piped. */
export interface ProgressSink {
  update(line: string): void;
  /** ends the line (clears it) */
  done(): void;
}

/** A sink over a TTY stream: at most one redraw per `everyMs`, cleared at the end. */
export function ttyProgress(stream: { write(s: string): unknown; isTTY?: boolean }, everyMs = 100): ProgressSink | undefined {
  if (stream.isTTY !== true) return undefined;
  let last = 0;
  let shown = false;
  return {
    update(line: string) {
      const now = Date.now();
      if (now - last < everyMs) return;
      last = now;
      shown = true;
      stream.write(`\r\x1b[2K${line}`);
    },
    done() {
      if (shown) stream.write('\r\x1b[2K');
    },
  };
}

const n = (x: number) => Math.round(x).toLocaleString('en-US');

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** An exploration's progress: states, states/s, depth, elapsed. */
export const progressLine = (p: Progress): string => `  ${n(p.states)} states, ${n(p.statesPerSecond)} states/s, depth ${n(p.depth)}, ${seconds(p.elapsedMs)}`;

/** How far a run's recording has got: the steps stored so far and the time since it started. */
export interface RunProgress {
  steps: number;
  elapsedMs: number;
}

/** A run's progress: steps, steps/s, elapsed. */
export const runProgressLine = (p: RunProgress): string =>
  `  ${n(p.steps)} steps, ${n((p.steps / Math.max(1, p.elapsedMs)) * 1000)} steps/s, ${seconds(p.elapsedMs)}`;
