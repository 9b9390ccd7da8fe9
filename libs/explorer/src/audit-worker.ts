import { Worker } from 'node:worker_threads';
import { Observable, ReplaySubject } from 'rxjs';
import { resolveModel } from '@mmreplay/model';
import type { Progress } from './explorer.js';
import type { AuditRequest, AuditResult } from './audit.js';

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

// The worker runs the built library: a worker thread cannot execute TypeScript sources, so when
// this module runs from src/ it points at ../dist, which `npm test` builds first. Tests of this
// module pass `entry` (the current sources, transpiled) so that a stale build cannot pass them.
const builtEntry = (): string => {
  const here = import.meta.url;
  return here.endsWith('.ts') ? new URL('../dist/index.js', here).href : new URL('./index.js', here).href;
};

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const flag = new Int32Array(workerData.cancel);
const cancel = { get cancelled() { return Atomics.load(flag, 0) === 1; } };
import(workerData.entry).then(({ runAudit }) => {
  try {
    const result = runAudit(workerData.request, { cancel, onProgress: (progress) => parentPort.postMessage({ type: 'progress', progress }) });
    parentPort.postMessage({ type: 'result', result });
  } catch (e) {
    parentPort.postMessage({ type: 'error', message: String(e && e.message || e) });
  }
}, (e) => parentPort.postMessage({ type: 'error', message: 'cannot load the explorer in a worker: ' + e.message }));
`;

export interface WorkerOptions {
  /** the file: URL of the explorer's index.js the worker imports; default this build's own */
  readonly entry?: string;
}

/**
 * Runs an audit on a worker thread, so the caller's event loop (an API server) stays responsive.
 * The request is resolved here first, so a bad scenario, parameter or variant throws its typed
 * error synchronously instead of failing inside the worker.
 */
export function runAuditInWorker(req: AuditRequest, options: WorkerOptions = {}): AuditJob {
  resolveModel(req);
  const cancelFlag = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER_SOURCE, { eval: true, execArgv: [], workerData: { request: req, entry: options.entry ?? builtEntry(), cancel: cancelFlag } });
  const subject = new ReplaySubject<AuditEvent>(1);
  let settled = false;
  const result = new Promise<AuditResult>((resolve, reject) => {
    worker.on('message', (msg: AuditEvent | { type: 'error'; message: string }) => {
      if (msg.type === 'progress') subject.next(msg);
      else if (msg.type === 'result') {
        settled = true;
        subject.next(msg);
        subject.complete();
        resolve(msg.result);
        void worker.terminate();
      } else {
        settled = true;
        const err = new Error(msg.message);
        subject.error(err);
        reject(err);
        void worker.terminate();
      }
    });
    worker.on('error', (e) => {
      settled = true;
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
export async function compareAudits(baseline: AuditRequest, fix: AuditRequest, options: WorkerOptions = {}): Promise<{ baseline: AuditResult; fix: AuditResult }> {
  const [a, b] = [runAuditInWorker(baseline, options), runAuditInWorker(fix, options)];
  return { baseline: await a.result, fix: await b.result };
}
