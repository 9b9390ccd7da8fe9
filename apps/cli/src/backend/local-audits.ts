import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { getHeapStatistics } from 'node:v8';
import { AuditService, counterexampleRuns, workerSpill, type AuditCaps, type AuditView, type StartAuditRequest } from '@mmreplay/audits';
import { comparisonConclusion, DEFAULT_BOUNDS, runAuditInWorker, type AuditJob, type AuditRequest, type AuditResult, type Progress } from '@mmreplay/explorer';
import { resolveModel } from '@mmreplay/model';
import type { EventStore } from '@mmreplay/event-store';
import { RunService } from '@mmreplay/runs';
import type { AuditReport, CliAuditRequest, CompareRequest, ComparisonReport } from './backend.js';
import { loadedDocument } from '../scenario-file.js';

// `mmreplay audit` and `mmreplay compare` on the embedded store record their audits exactly as the
// API does: the same AuditService appends the same stream `audit-<id>` (AuditRequested,
// AuditProgressed, CounterexampleFound with the run that replays it, AuditCompleted), so
// `mmreplay runs --audits` and an API server on the same store list them. The search runs on a
// worker thread, as on the server: the event loop stays free for the audit's heartbeat, which
// tells an API process sharing the store that this audit is alive.

/** The CLI's own bounds are its options: no server caps, the explorer's default depth. */
const CLI_CAPS: AuditCaps = {
  maxStates: Number.MAX_SAFE_INTEGER,
  maxDepth: DEFAULT_BOUNDS.maxDepth,
  maxSeconds: 86_400,
  maxRuns: 100_000_000,
  maxConcurrentPerTeam: Number.MAX_SAFE_INTEGER,
  maxMemoryMB: Number.MAX_SAFE_INTEGER,
};

/** Where an approximate audit spills its frontier without --spill-dir: one directory an audit, removed when it ends. */
export const DEFAULT_SPILL_DIR = join(tmpdir(), 'mmreplay-spill');

/** The worker may use as much heap as this process could (the explorer stops at 70% of it: bound `memory`). */
const workerMemoryMB = (): number => Math.floor(getHeapStatistics().heap_size_limit / 2 ** 20);

interface Who {
  actor: string;
  team: string;
}

/** One command's audits: the service, and each launched job's result in launch order. */
class RecordedAudits {
  private readonly jobs: AuditJob[] = [];
  private readonly errors: unknown[] = [];
  readonly service: AuditService;

  constructor(
    store: EventStore,
    private readonly who: Who,
    spillDir: string | undefined,
    onProgress?: (p: Progress) => void,
  ) {
    this.service = new AuditService(store, {
      caps: CLI_CAPS,
      spillDir: spillDir ?? DEFAULT_SPILL_DIR,
      runner: (request, { spillDir: dir }) => {
        const job = runAuditInWorker(request, { memoryMB: workerMemoryMB(), ...workerSpill(dir) });
        if (onProgress) job.events$.subscribe({ next: (e) => e.type === 'progress' && onProgress(e.progress), error: () => undefined });
        this.jobs.push(job);
        return job;
      },
      recordCounterexample: counterexampleRuns(new RunService(store)),
      onError: (e) => this.errors.push(e),
    });
  }

  /** The audit's result once it is recorded as completed, with the run of its counterexample. */
  async report(view: AuditView, index: number): Promise<AuditReport> {
    await this.service.settled(view.auditId);
    // the worker's own error (a variant the machine refuses mid-run): recorded as failed, told here
    const result: AuditResult = await this.jobs[index].result;
    if (this.errors.length) throw this.errors[0];
    const runId = this.service.get(view.auditId, this.who.team).counterexample?.runId;
    return { ...result, ...(runId ? { counterexampleRunId: runId } : {}) };
  }
}

/** An audit request as the service takes it; bad input throws the model's typed errors first, before the store is opened: nothing is recorded for it. */
function startRequest(req: AuditRequest): StartAuditRequest {
  // A scenario loaded from a file is known to this process only: the worker thread gets its document.
  const document = req.document ?? loadedDocument(req.scenario);
  resolveModel({ ...req, document });
  return {
    scenario: req.scenario,
    ...(document !== undefined ? { document } : {}),
    params: req.params as Record<string, number | string> | undefined,
    variant: req.variant,
    invariants: req.invariants ? [...req.invariants] : undefined,
    memoryModel: req.memoryModel,
    strategy: req.strategy,
    bounds: req.bounds,
    reductions: req.reductions,
    workers: req.workers,
    approximate: typeof req.approximate === 'string' ? req.approximate : req.approximate ? true : undefined,
    frontierInMemory: req.frontierInMemory,
  };
}

export async function recordedAudit(
  store: () => Promise<EventStore>,
  who: Who,
  req: CliAuditRequest,
  onProgress?: (p: Progress) => void,
): Promise<AuditReport> {
  const request = startRequest(req);
  const audits = new RecordedAudits(await store(), who, req.spillDir, onProgress);
  const view = await audits.service.request(request, who.team, { actor: who.actor });
  return audits.report(view, 0);
}

export async function recordedComparison(
  store: () => Promise<EventStore>,
  who: Who,
  req: CompareRequest,
  onProgress?: (p: Progress) => void,
): Promise<ComparisonReport> {
  const { variant: baseline, ...common } = startRequest(req.baseline);
  const fix = startRequest(req.fix).variant;
  const audits = new RecordedAudits(await store(), who, req.baseline.spillDir, onProgress);
  const c = await audits.service.compare({ ...common, baseline: baseline ?? 'kernel', fix }, who.team, { actor: who.actor });
  const [b, f] = [await audits.report(c.baseline, 0), await audits.report(c.fix, 1)];
  return { comparisonId: c.comparisonId, baseline: b, fix: f, conclusion: comparisonConclusion(b, f) };
}
