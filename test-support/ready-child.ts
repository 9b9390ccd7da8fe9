// A child process of a multi-process test that prints "ready" once it is set up and then waits for
// a line on stdin before it starts (so that several start at once), as the SQLite race children do.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export interface ReadyChild {
  proc: ChildProcessWithoutNullStreams;
  /** resolves once the child has printed its first line, "ready" */
  ready: Promise<void>;
  /** what the child printed, and its exit code, once it has exited */
  closed: Promise<{ code: number | null; out: string; err: string }>;
  /** lets the child start */
  go(): void;
}

/** Runs `node <script> <args...>`. */
export function startReadyChild(script: string, args: readonly string[]): ReadyChild {
  const proc = spawn(process.execPath, [script, ...args]);
  let out = '';
  let err = '';
  let markReady!: () => void;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
    out += chunk;
    if (out.startsWith('ready\n')) markReady();
  });
  proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
  const closed = new Promise<{ code: number | null; out: string; err: string }>((resolve, reject) => {
    proc.on('error', reject);
    proc.on('close', (code) => resolve({ code, out, err }));
  });
  return { proc, ready, closed, go: () => proc.stdin.write('go\n') };
}
