import { Worker } from 'node:worker_threads';
import { Observable, ReplaySubject } from 'rxjs';
import { resolveModel } from '@mmreplay/model';
import { ProgramFaultError } from '@mmreplay/engine';
import type { Progress } from './explorer.js';
import { auditResultOf, requestBounds, stoppedExploration, type AuditRequest, type AuditResult } from './audit.js';
import { builtModule } from './worker-module.js';

export type AuditEvent = { readonly type: 'progress'; readonly progress: Progress } | { readonly type: 'result'; readonly result: AuditResult };

export interface AuditJob {
  /** progress events, then exactly one result, then completion (or an error) */
  readonly events$: Observable<AuditEvent>;
  readonly result: Promise<AuditResult>;
  /** stops the search; the result is then `inconclusive` with boundHit `cancelled` */
  cancel(): void;
  /** ends the worker at once, without a result */
  terminate(): Promise<void>;
}

/** The heap an audit worker may use, MB (its explorer stops at 70% of it: bound `memory`). */
export const AUDIT_WORKER_MEMORY_MB = 1_024;

// The worker runs the built library: a worker thread cannot execute TypeScript sources, so when
// this module runs from src/ it points at ../dist, which `npm test` builds first. Tests of this
// module pass `entry` (the current sources, transpiled) so that a stale build cannot pass them.
const builtEntry = (): string => builtModule('index.js');

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData.cancel);
const cancel = { get cancelled() { return Atomics.load(flag, 0) === 1; } };
import(workerData.entry).then(async ({ runAuditAsync }) => {
  try {
    const spill = workerData.spill && workerData.request.approximate ? (await import(workerData.spill.module)).createSpillPort(workerData.spill.dir) : undefined;
    const result = await runAuditAsync(workerData.request, { cancel, spill, entry: workerData.searchEntry, onProgress: (progress) => parentPort.postMessage({ type: 'progress', progress }) });
    parentPort.postMessage({ type: 'result', result });
  } catch (e) {
    parentPort.postMessage({ type: 'error', message: String(e && e.message || e), fault: !!(e && e.name === 'ProgramFaultError') });
  }
}, (e) => parentPort.postMessage({ type: 'error', message: 'cannot load the explorer in a worker: ' + e.message }));
`;

export interface WorkerOptions {
  /** the file: URL of the explorer's index.js the worker imports; default this build's own */
  readonly entry?: string;
  /** the worker's heap cap, MB (default AUDIT_WORKER_MEMORY_MB) */
  readonly memoryMB?: number;
  /**
   * An approximate audit's frontier beyond `frontierInMemory` states a level goes to a spill port
   * the worker makes: `module` (a file: URL) exports `createSpillPort(dir)`; the explorer does no I/O
   * itself. The caller owns `dir` and removes it once the job is over, however it ended.
   */
  readonly spill?: { readonly module: string; readonly dir: string };
}

/**
 * Runs an audit on a worker thread, so the caller's event loop (an API server) stays responsive.
 * The request is resolved here first, so a bad scenario, parameter or variant throws its typed
 * error synchronously instead of failing inside the worker.
 */
export function runAuditInWorker(req: AuditRequest, options: WorkerOptions = {}): AuditJob {
  const model = resolveModel(req);
  const cancelFlag = new SharedArrayBuffer(4);
  // The worker's heap is capped: the explorer's own memory bound (70% of the heap limit by
  // default) ends the search `inconclusive` with bound `memory` first; should the heap run out
  // anyway, the worker dies alone and the audit ends the same way (below), never the process.
  const memoryMB = options.memoryMB ?? AUDIT_WORKER_MEMORY_MB;
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    execArgv: [],
    // a parallel search's own workers load the module given, else their default (shared-worker.js
    // beside the explorer this worker loaded), which is lighter than the whole library
    workerData: { request: req, entry: options.entry ?? builtEntry(), searchEntry: options.entry, cancel: cancelFlag, spill: options.spill },
    resourceLimits: { maxOldGenerationSizeMb: memoryMB, maxYoungGenerationSizeMb: Math.min(64, Math.max(4, Math.floor(memoryMB / 8))) },
  });
  const subject = new ReplaySubject<AuditEvent>(1);
  let settled = false;
  let last: Progress | undefined;
  // The audit the worker could not finish: inconclusive at the memory bound, with its last progress.
  const outOfMemory = (): AuditResult => auditResultOf(req, model, stoppedExploration(last, 'memory'), { ...requestBounds(req), maxMemoryMB: memoryMB });
  const result = new Promise<AuditResult>((resolve, reject) => {
    worker.on('message', (msg: AuditEvent | { type: 'error'; message: string; fault?: boolean }) => {
      if (msg.type === 'progress') {
        last = msg.progress;
        subject.next(msg);
      } else if (msg.type === 'result') {
        settled = true;
        subject.next(msg);
        subject.complete();
        resolve(msg.result);
        void worker.terminate();
      } else {
        settled = true;
        // A variant the machine refused stays typed across the thread boundary (a 400, exit 2).
        const err = msg.fault ? new ProgramFaultError(msg.message) : new Error(msg.message);
        subject.error(err);
        reject(err);
        void worker.terminate();
      }
    });
    worker.on('error', (e: Error & { code?: string }) => {
      if (settled) return;
      settled = true;
      if (e.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        const r = outOfMemory();
        subject.next({ type: 'result', result: r });
        subject.complete();
        resolve(r);
        return;
      }
      subject.error(e);
      reject(e);
    });
    worker.on('exit', (code) => {
      if (settled) return;
      const err = new Error(`audit worker exited with code ${code} before a result`);
      subject.error(err);
      reject(err);
    });
  });
  result.catch(() => undefined);
  return {
    events$: subject.asObservable(),
    result,
    cancel: () => Atomics.store(new Int32Array(cancelFlag), 0, 1),
    terminate: async () => {
      await worker.terminate();
    },
  };
}

/** A baseline variant and a fix side by side, each on its own worker. */
export async function compareAudits(
  baseline: AuditRequest,
  fix: AuditRequest,
  options: WorkerOptions = {},
): Promise<{ baseline: AuditResult; fix: AuditResult }> {
  const [a, b] = [runAuditInWorker(baseline, options), runAuditInWorker(fix, options)];
  return { baseline: await a.result, fix: await b.result };
}
