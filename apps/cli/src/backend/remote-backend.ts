import type { Progress } from '@mmreplay/explorer';
import type { StepRecorded } from '@mmreplay/events';
import { formatField, RunModel } from '@mmreplay/projections';
import {
  prepareRun,
  type AuditEntry,
  type Divergence,
  type EventQuery,
  type FirstMatch,
  type HistoryEntry,
  type RunEntry,
  type RunReport,
  type StateDiff,
  type StepRef,
  type Trace,
} from '@mmreplay/runs';
import type { ApiAudit, ApiComparison, ApiRun, components } from '@mmreplay/contracts';
import type { RunProgress } from '../progress.js';
import type {
  AuditReport,
  Backend,
  CliAuditRequest,
  CompareRequest,
  ComparisonReport,
  PublishedScenario,
  RunRequest,
  ScenarioListing,
  StepState,
} from './backend.js';
import { ApiHttp, ApiRequestError } from './remote-http.js';
import {
  apiParams,
  apiVariant,
  auditCommon,
  auditEntryOf,
  auditReportOf,
  listingOf,
  runEntryOf,
  runReportOf,
  scenarioTarget,
  type ApiScenario,
} from './remote-wire.js';

export { ApiRequestError, ApiUnavailableError } from './remote-http.js';

type Wire = components['schemas'];

/** A listing's page size, the most the API answers. */
const PAGE = 200;
/** The most events or history entries the API answers a request. */
const EVENTS_PAGE = 10_000;

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const statesPerSecond = (p: Wire['AuditProgress']): Progress => ({ ...p, statesPerSecond: (p.states / Math.max(1, p.elapsedMs)) * 1000 });

/**
 * The backend of `mmreplay --api URL --token T`: every command over the server's REST API
 * (remote-http.ts), its answers mapped back to the shapes the services return (remote-wire.ts), so
 * every command prints the same thing either way.
 */
export class RemoteBackend implements Backend {
  private readonly http: ApiHttp;

  constructor(
    api: string,
    token: string | undefined,
    private readonly pollMs = 200,
  ) {
    this.http = new ApiHttp(api, token);
  }

  private run(runId: string): Promise<ApiRun> {
    return this.http.call<ApiRun>('GET', `/runs/${encodeURIComponent(runId)}`);
  }

  private runPath(runId: string, rest: string): string {
    return `/runs/${encodeURIComponent(runId)}/${rest}`;
  }

  async scenarios(): Promise<ScenarioListing[]> {
    return (await this.http.call<{ nodes: ApiScenario[] }>('GET', `/scenarios?limit=${PAGE}`)).nodes.map(listingOf);
  }

  /** `POST /scenarios`: publishes a document in the team's library. */
  publishScenario(document: unknown): Promise<PublishedScenario> {
    return this.http.call<PublishedScenario>('POST', '/scenarios', document);
  }

  async startRun(req: RunRequest, onProgress?: (p: RunProgress) => void): Promise<RunReport> {
    if (req.runId !== undefined) throw new ApiRequestError('--id cannot be used with --api: the server names its runs', 400);
    if (req.world !== undefined)
      throw new ApiRequestError('--record records on the embedded store (without --api); over the API, POST /litmus/runs records a witness', 400);
    const body = {
      ...scenarioTarget(req.scenario),
      params: apiParams(req.params),
      variant: req.variant,
      strategy: req.strategy,
      seed: req.seed,
      schedule: req.schedule,
      depth: req.depth,
      maxSteps: req.maxSteps,
    };
    if (!onProgress) return runReportOf(await this.http.call<ApiRun>('POST', '/runs', body));
    // recorded in the background (202), followed until it completes: the steps stored so far are its progress
    const t0 = performance.now();
    const { id } = await this.http.call<{ id: string }>('POST', '/runs', { ...body, wait: false });
    let r: ApiRun;
    for (r = await this.run(id); r.status === 'running'; r = await this.run(id)) {
      onProgress({ steps: (r.lastStep ?? -1) + 1, elapsedMs: performance.now() - t0 });
      await sleep(this.pollMs);
    }
    return runReportOf(r);
  }

  resumeRun(): Promise<RunReport> {
    return Promise.reject(new ApiRequestError('run --id (resume) cannot be used with --api: the server resumes its own runs', 400));
  }

  async audit(req: CliAuditRequest, onProgress?: (p: Progress) => void): Promise<AuditReport> {
    const variant = apiVariant(req);
    let a = await this.http.call<ApiAudit>('POST', '/audits', { ...auditCommon(req), variant });
    while (a.status === 'running') {
      await sleep(this.pollMs);
      a = await this.http.call<ApiAudit>('GET', `/audits/${encodeURIComponent(a.id)}`);
      if (a.progress && onProgress) onProgress(statesPerSecond(a.progress));
    }
    return auditReportOf(a, req, variant);
  }

  /** `POST /comparisons`: the server audits both sides and concludes. */
  async compare(req: CompareRequest, onProgress?: (p: Progress) => void): Promise<ComparisonReport> {
    const [b, f] = [apiVariant(req.baseline), apiVariant(req.fix)];
    let c = await this.http.call<ApiComparison>('POST', '/comparisons', { ...auditCommon(req.baseline), baseline: b ?? 'kernel', fix: f });
    while (c.status === 'running') {
      await sleep(this.pollMs);
      c = await this.http.call<ApiComparison>('GET', `/comparisons/${encodeURIComponent(c.id)}`);
      const p = c.baseline.status === 'running' ? c.baseline.progress : c.fix.progress;
      if (p && onProgress) onProgress(statesPerSecond(p));
    }
    return {
      comparisonId: c.id,
      baseline: auditReportOf(c.baseline, req.baseline, b),
      fix: auditReportOf(c.fix, req.fix, f),
      conclusion: c.conclusion ?? `stopped: baseline ${c.baseline.status}, fix ${c.fix.status}`,
    };
  }

  /** `GET /runs/{id}/export`: the stored events as the server streams them, passed on as they come. */
  exportRun(runId: string): AsyncIterable<string> {
    return this.http.stream(this.runPath(runId, 'export'), 'application/x-ndjson');
  }

  /** `POST /runs/import`: the server re-simulates the run and stores it under a new id in the token's team. */
  async importRun(ndjson: string): Promise<{ runId: string; events: number }> {
    const r = await this.http.call<ApiRun>('POST', '/runs/import', { ndjson });
    return { runId: r.id, events: (r.steps ?? 0) + 2 };
  }

  /** The caller's team: the API lists only its runs and audits. */
  private async myTeam(): Promise<string | null> {
    return (await this.http.call<{ team: string | null }>('GET', '/me')).team;
  }

  /** Every page of a listing (the contracts' RunPage, AuditPage), oldest first (as the catalogue lists them). */
  private async all<T extends ApiRun | ApiAudit>(path: string): Promise<T[]> {
    const out: T[] = [];
    let after: string | null | undefined = null;
    do {
      const page: { nodes: T[]; next?: string | null } = await this.http.call(
        'GET',
        `${path}?limit=${PAGE}${after ? `&after=${encodeURIComponent(after)}` : ''}`,
      );
      out.push(...page.nodes);
      after = page.next;
    } while (after);
    return out.reverse();
  }

  async runs(filter: { team?: string }): Promise<RunEntry[]> {
    const team = await this.myTeam();
    if (team === null || (filter.team !== undefined && filter.team !== team)) return [];
    return (await this.all<ApiRun>('/runs')).map((r) => runEntryOf(r, team));
  }

  async audits(filter: { team?: string }): Promise<AuditEntry[]> {
    const team = await this.myTeam();
    if (team === null || (filter.team !== undefined && filter.team !== team)) return [];
    return (await this.all<ApiAudit>('/audits')).map((a) => auditEntryOf(a, team));
  }

  async lastStep(runId: string): Promise<number> {
    return (await this.run(runId)).lastStep ?? -1;
  }

  async events(runId: string, query: EventQuery): Promise<StepRecorded[]> {
    // The API answers at most EVENTS_PAGE events a request: page through the range.
    const out: StepRecorded[] = [];
    let from = query.from ?? 0;
    const want = query.limit ?? Number.MAX_SAFE_INTEGER;
    for (;;) {
      const limit = Math.min(EVENTS_PAGE, want - out.length);
      if (limit <= 0) break;
      const q = new URLSearchParams({ from: String(from), limit: String(limit) });
      if (query.to !== undefined) q.set('to', String(query.to));
      if (query.thread !== undefined) q.set('thread', query.thread);
      if (query.types?.length) q.set('types', query.types.join(','));
      if (query.object !== undefined) q.set('object', query.object);
      // the stored events' shape, field order included (the OpenAPI document's StepEventModel types their parts loosely)
      const page = await this.http.call<StepRecorded[]>('GET', this.runPath(runId, `events?${q}`));
      out.push(...page);
      if (page.length < limit) break;
      from = page[page.length - 1].step + 1;
    }
    return out;
  }

  async fieldFormatter(runId: string) {
    // Rebuild the run's model from what the run says, and use it only if it is the exact model
    // (same hash); otherwise print raw values.
    const r = await this.run(runId);
    let model: RunModel | undefined;
    try {
      const { started } = prepareRun(
        { scenario: r.scenario, params: r.params as Record<string, number>, variant: r.variant === 'kernel' ? undefined : r.variant, strategy: 'random' },
        'remote',
      );
      if (started.modelHash === r.modelHash) model = new RunModel(started);
    } catch {
      model = undefined;
    }
    return (object: string, field: string, value: number) => (model ? formatField(model, object, field, value) : value);
  }

  async stateAt(runId: string, step: number): Promise<StepState> {
    return this.http.call<StepState>('GET', this.runPath(runId, `state?at=${step}`));
  }

  async history(runId: string, object: string): Promise<HistoryEntry[]> {
    // The API answers a history a page at a time: follow the cursor.
    const out: HistoryEntry[] = [];
    let after = -1;
    for (;;) {
      const page = await this.http.call<HistoryEntry[]>(
        'GET',
        this.runPath(runId, `history?object=${encodeURIComponent(object)}&limit=${EVENTS_PAGE}&after=${after}`),
      );
      out.push(...page);
      if (page.length < EVENTS_PAGE) return out;
      after = page[page.length - 1].step;
    }
  }

  async firstWhere(runId: string, predicate: unknown, options: { from?: number }): Promise<FirstMatch | null> {
    if (predicate === null || typeof predicate !== 'object' || Array.isArray(predicate)) throw new ApiRequestError('--where must be a JSON object', 400);
    const r = await this.http.call<Wire['FirstWhereResult']>('POST', this.runPath(runId, 'first-where'), { where: predicate, from: options.from });
    return (r.match ?? null) as FirstMatch | null;
  }

  async diff(a: StepRef, b: StepRef): Promise<StateDiff> {
    const q = new URLSearchParams({ from: String(a.step), to: String(b.step) });
    if (b.runId !== a.runId) q.set('otherRun', b.runId);
    return this.http.call<StateDiff>('GET', this.runPath(a.runId, `diff?${q}`));
  }

  async divergence(runA: string, runB: string): Promise<Divergence | null> {
    const r = await this.http.call<Wire['DivergenceResult']>('GET', this.runPath(runA, `divergence/${encodeURIComponent(runB)}`));
    return (r.divergence ?? null) as Divergence | null;
  }

  async trace(runId: string, range: { from?: number; to?: number }): Promise<Trace> {
    const q = new URLSearchParams({ format: 'json' });
    if (range.from !== undefined) q.set('from', String(range.from));
    if (range.to !== undefined) q.set('to', String(range.to));
    return this.http.call<Trace>('GET', this.runPath(runId, `trace?${q}`));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
