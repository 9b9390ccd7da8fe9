import { DomainError, findScenario, invariantBacking, resolveModel, type ErrorKind } from '@mmreplay/model';
import { loadedDocument } from '../scenario-file.js';
import type { AuditRequest, AuditResult, Progress, ReductionName, SamplingScope } from '@mmreplay/explorer';
import type { JsonValue, RunViolation, StepRecorded } from '@mmreplay/events';
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
import type { ApiAudit, ApiComparison, ApiRun } from '@mmreplay/contracts';
import type { RunProgress } from '../progress.js';
import type { AuditReport, Backend, CompareRequest, ComparisonReport, PublishedScenario, RunRequest, ScenarioListing, StepState } from './backend.js';

/** The kind of error a refusal's HTTP status stands for, so that --api exits as the embedded store would. */
const KIND_OF_STATUS: Readonly<Record<number, ErrorKind>> = { 404: 'not-found', 409: 'conflict', 422: 'not-applicable', 429: 'limit' };

/** The server refused the request (4xx: bad input, unknown run, bad token, ...). */
export class ApiRequestError extends DomainError {
  readonly kind: ErrorKind;
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
    this.kind = KIND_OF_STATUS[status] ?? 'invalid';
  }
}

/** The server cannot be reached, or cannot answer now (5xx, e.g. its store is down). */
export class ApiUnavailableError extends DomainError {
  readonly kind = 'unavailable';
}

/** A JSON object of the wire (typed `unknown` by the OpenAPI document) as the services type it. */
const jsonObject = (o: { [key: string]: unknown }): Record<string, JsonValue> => o as Record<string, JsonValue>;

/** The memory model travels as the variant's MEM switch. */
const apiVariant = (req: AuditRequest): AuditRequest['variant'] =>
  req.memoryModel === undefined
    ? req.variant
    : req.variant === undefined
      ? { name: 'kernel', switches: { MEM: req.memoryModel } }
      : typeof req.variant === 'string'
        ? { name: req.variant, base: req.variant, switches: { MEM: req.memoryModel } }
        : { ...req.variant, switches: { ...req.variant.switches, MEM: req.memoryModel } };

const PAGE = 200;

/** `--param k=v` values are strings; the API takes integers (and refuses anything else, as the CLI does). */
const apiParams = (params: Readonly<Record<string, number | string>> | undefined) =>
  params && Object.fromEntries(Object.entries(params).map(([k, v]) => [k, typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v]));

/** A step event in the stored shape, field order included (the API serves that shape). */
const fromApiEvent = (e: StepRecorded): StepRecorded =>
  ({
    step: e.step,
    thread: e.thread,
    threadIndex: e.threadIndex,
    pc: e.pc,
    label: e.label,
    op: e.op,
    kind: e.kind,
    src: e.src,
    choice: e.choice,
    args: e.args,
    deltas: e.deltas,
    ...(e.memory ? { memory: e.memory } : {}),
  }) as StepRecorded;

/**
 * The backend of `mmreplay --api URL --token T`: every command over the server's REST API, with
 * Node's fetch. Answers are mapped back to the shapes the services return, so every command prints
 * the same thing either way; problem details become `ApiRequestError` / `ApiUnavailableError`.
 */
export class RemoteBackend implements Backend {
  private readonly base: string;

  constructor(
    api: string,
    private readonly token: string | undefined,
    private readonly pollMs = 200,
  ) {
    this.base = api.replace(/\/+$/, '');
  }

  /** `body`: JSON, or `{ ndjson }` sent as it is (an exported run). */
  private async fetch(method: 'GET' | 'POST', path: string, body?: unknown, accept = 'application/json'): Promise<Response> {
    const headers: Record<string, string> = { accept };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    const ndjson = (body as { ndjson?: unknown } | undefined)?.ndjson;
    if (body !== undefined) headers['content-type'] = typeof ndjson === 'string' ? 'application/x-ndjson' : 'application/json';
    try {
      return await fetch(this.base + path, {
        method,
        headers,
        body: body === undefined ? undefined : typeof ndjson === 'string' ? ndjson : JSON.stringify(body),
      });
    } catch (e) {
      const cause = (e as { cause?: { code?: string; message?: string } }).cause;
      throw new ApiUnavailableError(`cannot reach the API at ${this.base}: ${cause?.code ?? cause?.message ?? (e as Error).message}`);
    }
  }

  private async call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await this.fetch(method, path, body);
    const text = await res.text();
    let json: unknown;
    try {
      json = text === '' ? null : JSON.parse(text);
    } catch {
      json = undefined;
    }
    if (res.ok) {
      if (json === undefined) throw new ApiUnavailableError(`the API at ${this.base} answered ${method} ${path} with something that is not JSON`);
      return json as T;
    }
    throw this.failure(res, json);
  }

  /** A problem-details answer as the error the commands map to exit codes 2 and 3. */
  private failure(res: Response, json: unknown): Error {
    const problem = (json ?? {}) as { detail?: string; title?: string; retryAfter?: number };
    const detail = problem.detail ?? problem.title ?? `HTTP ${res.status}`;
    if (res.status >= 500) {
      const retry = problem.retryAfter ?? res.headers.get('retry-after');
      return new ApiUnavailableError(`${detail} (HTTP ${res.status} from ${this.base}${retry ? `; retry after ${retry} s` : ''})`);
    }
    if (res.status === 401 || res.status === 403) return new ApiRequestError(`${detail} (HTTP ${res.status}: check --token / MMREPLAY_TOKEN)`, res.status);
    return new ApiRequestError(detail, res.status);
  }

  private run(runId: string): Promise<ApiRun> {
    return this.call<ApiRun>('GET', `/runs/${encodeURIComponent(runId)}`);
  }

  private runPath(runId: string, rest: string): string {
    return `/runs/${encodeURIComponent(runId)}/${rest}`;
  }

  async scenarios(): Promise<ScenarioListing[]> {
    const page = await this.call<{ nodes: (Omit<ScenarioListing, 'invariants'> & { invariants: ({ name: string } | string)[] })[] }>(
      'GET',
      '/scenarios?limit=200',
    );
    return page.nodes.map((s) => ({
      name: s.name,
      title: s.title,
      row: s.row,
      description: s.description,
      params: s.params.map((p) => ({ name: p.name, default: p.default, min: p.min, max: p.max, description: p.description })),
      switches: s.switches.map((w) => ({ name: w.name, values: w.values, default: w.default, description: w.description })),
      variants: s.variants.map((v) => ({ name: v.name, description: v.description })),
      invariants: s.invariants.map((i) => (typeof i === 'string' ? i : i.name)),
    }));
  }

  /** `POST /scenarios`: publishes a document in the team's library. */
  publishScenario(document: unknown): Promise<PublishedScenario> {
    return this.call<PublishedScenario>('POST', '/scenarios', document);
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
    let r: ApiRun;
    if (!onProgress) r = await this.call<ApiRun>('POST', '/runs', body);
    else {
      // recorded in the background (202), followed until it completes: the steps stored so far are its progress
      const t0 = performance.now();
      const { id } = await this.call<{ id: string }>('POST', '/runs', { ...body, wait: false });
      for (r = await this.run(id); r.status === 'running'; r = await this.run(id)) {
        onProgress({ steps: (r.lastStep ?? -1) + 1, elapsedMs: performance.now() - t0 });
        await new Promise((done) => setTimeout(done, this.pollMs));
      }
    }
    const events = (r.steps ?? 0) + 2;
    return {
      runId: r.id,
      stream: `run-${r.id}`,
      scenario: r.scenario,
      params: jsonObject(r.params),
      variant: r.variant === 'kernel' ? null : r.variant,
      modelHash: r.modelHash,
      strategy: r.strategy,
      seed: r.seed,
      outcome: r.outcome!,
      violation: (r.violation ?? null) as RunViolation | null,
      steps: r.steps ?? 0,
      schedule: r.schedule ?? '',
      events,
      appended: events,
      verified: 0,
    };
  }

  resumeRun(): Promise<RunReport> {
    return Promise.reject(new ApiRequestError('run --id (resume) cannot be used with --api: the server resumes its own runs', 400));
  }

  async audit(req: AuditRequest, onProgress?: (p: Progress) => void): Promise<AuditReport> {
    const variant = apiVariant(req);
    const body = {
      ...scenarioTarget(req.scenario),
      params: apiParams(req.params),
      variant,
      invariants: req.invariants,
      strategy: req.strategy,
      bounds: req.bounds,
      reductions: req.reductions,
      workers: req.workers,
      approximate: req.approximate ? true : undefined,
    };
    let a = await this.call<ApiAudit>('POST', '/audits', body);
    while (a.status === 'running') {
      await new Promise((r) => setTimeout(r, this.pollMs));
      a = await this.call<ApiAudit>('GET', `/audits/${encodeURIComponent(a.id)}`);
      if (a.progress && onProgress) onProgress({ ...a.progress, statesPerSecond: (a.progress.states / Math.max(1, a.progress.elapsedMs)) * 1000 });
    }
    return this.report(a, req, variant);
  }

  /** `POST /comparisons`: the server audits both sides and concludes. */
  async compare(req: CompareRequest, onProgress?: (p: Progress) => void): Promise<ComparisonReport> {
    const [b, f] = [apiVariant(req.baseline), apiVariant(req.fix)];
    const common = req.baseline;
    const body = {
      ...scenarioTarget(common.scenario),
      params: apiParams(common.params),
      baseline: b ?? 'kernel',
      fix: f,
      invariants: common.invariants,
      strategy: common.strategy,
      bounds: common.bounds,
      reductions: common.reductions,
      workers: common.workers,
      approximate: common.approximate ? true : undefined,
    };
    let c = await this.call<ApiComparison>('POST', '/comparisons', body);
    while (c.status === 'running') {
      await new Promise((r) => setTimeout(r, this.pollMs));
      c = await this.call<ApiComparison>('GET', `/comparisons/${encodeURIComponent(c.id)}`);
      const p = c.baseline.status === 'running' ? c.baseline.progress : c.fix.progress;
      if (p && onProgress) onProgress({ ...p, statesPerSecond: (p.states / Math.max(1, p.elapsedMs)) * 1000 });
    }
    return {
      comparisonId: c.id,
      baseline: this.report(c.baseline, req.baseline, b),
      fix: this.report(c.fix, req.fix, f),
      conclusion: c.conclusion ?? `stopped: baseline ${c.baseline.status}, fix ${c.fix.status}`,
    };
  }

  /** An API audit as the explorer reports one. */
  private report(a: ApiAudit, req: AuditRequest, variant: AuditRequest['variant']): AuditReport {
    if (!a.result || !a.verdict) throw new ApiUnavailableError(`audit ${a.id} ended ${a.status}${a.error ? `: ${a.error}` : ''}`);
    // What the server does not say (the memory model of the exact model) is resolved here, as the server did.
    // A published `name@version` is the server's alone: its params and memory model are the server's answer.
    const document = loadedDocument(req.scenario);
    const model =
      findScenario(req.scenario) || document !== undefined ? resolveModel({ scenario: req.scenario, document, params: req.params, variant }) : undefined;
    const {
      runId,
      invariantClass: _class,
      invariantBacking: _backing,
      ...counterexample
    } = a.counterexample ?? { runId: '', invariantClass: '', invariantBacking: '' };
    // The server audits with its own caps: its bounds are the ones in force; sampling's step bound is the explorer's.
    const inForce = a.bounds as Record<string, number>;
    const bounds =
      a.strategy === 'exhaustive'
        ? { ...inForce }
        : { runs: inForce.runs, seed: inForce.seed ?? 0, ...(a.strategy === 'pct' ? { depth: 3 } : {}), maxSteps: 1_000_000, maxSeconds: inForce.maxSeconds };
    for (const k of ['runs', 'seed'] as const) if (a.strategy === 'exhaustive') delete bounds[k];
    return {
      ...(runId ? { counterexampleRunId: runId } : {}),
      verdict: a.verdict,
      boundHit: a.result.bound ?? null,
      statesStored: a.result.statesStored,
      transitions: a.result.transitions,
      schedules: a.result.schedules,
      maxDepth: a.result.maxDepth,
      elapsedMs: a.result.elapsedMs,
      reductions: a.result.reductions,
      counterexample: a.counterexample ? (counterexample as AuditResult['counterexample']) : null,
      scenario: a.scenario,
      params: model?.world.params ?? (a.params as Record<string, number>),
      variant: a.variant,
      modelHash: a.modelHash,
      memoryModel: a.memoryModel ?? model?.world.memoryModel ?? 'sc',
      invariants: a.invariants,
      strategy: a.strategy,
      pctBound: a.result.pctBound ?? null,
      reductionsOff: (a.reductionsOff ?? []) as ReductionName[],
      bounds,
      sampling: (a.result.sampling ?? null) as SamplingScope | null,
      summary: a.result.summary ?? '',
      violated: a.counterexample ? violatedOf(a.counterexample.invariant) : null,
    };
  }

  /** `GET /runs/{id}/export`: the stored events as the server streams them, passed on as they come. */
  async *exportRun(runId: string): AsyncIterable<string> {
    const res = await this.fetch('GET', this.runPath(runId, 'export'), undefined, 'application/x-ndjson');
    if (!res.ok) {
      const text = await res.text();
      let json: unknown = null;
      try {
        json = JSON.parse(text);
      } catch {
        // not a problem document: the status says it
      }
      throw this.failure(res, json);
    }
    const decoder = new TextDecoder();
    for await (const chunk of res.body ?? []) yield decoder.decode(chunk as Uint8Array, { stream: true });
    const rest = decoder.decode();
    if (rest) yield rest;
  }

  /** `POST /runs/import`: the server re-simulates the run and stores it under a new id in the token's team. */
  async importRun(ndjson: string): Promise<{ runId: string; events: number }> {
    const r = await this.call<ApiRun>('POST', '/runs/import', { ndjson });
    return { runId: r.id, events: (r.steps ?? 0) + 2 };
  }

  /** The caller's team: the API lists only its runs and audits. */
  private async myTeam(): Promise<string | null> {
    return (await this.call<{ team: string | null }>('GET', '/me')).team;
  }

  /** Every page of a listing, oldest first (as the catalogue lists them). */
  private async all<T>(path: string): Promise<T[]> {
    const out: T[] = [];
    let after: string | null = null;
    do {
      const page: { nodes: (T & { id: string })[]; next: string | null } = await this.call(
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
    const runs = await this.all<ApiRun>('/runs');
    return runs.map((r) => ({
      runId: r.id,
      team,
      scenario: r.scenario,
      params: jsonObject(r.params),
      variant: r.variant === 'kernel' ? null : r.variant,
      modelHash: r.modelHash,
      strategy: r.strategy,
      seed: r.seed,
      author: r.author,
      status: r.status,
      outcome: r.outcome ?? null,
      violation: (r.violation ?? null) as RunViolation | null,
      steps: r.steps ?? null,
      schedule: r.schedule ?? null,
      createdAt: r.createdAt,
      completedAt: r.completedAt ?? null,
      counterexampleOf: r.counterexampleOf,
    }));
  }

  async audits(filter: { team?: string }): Promise<AuditEntry[]> {
    const team = await this.myTeam();
    if (team === null || (filter.team !== undefined && filter.team !== team)) return [];
    const audits = await this.all<ApiAudit>('/audits');
    return audits.map((a) => ({
      auditId: a.id,
      team,
      scenario: a.scenario,
      params: jsonObject(a.params),
      variant: a.variant === 'kernel' ? null : a.variant,
      modelHash: a.modelHash,
      mode: a.strategy,
      invariants: a.invariants,
      author: a.author,
      status: a.status === 'running' ? 'running' : 'completed',
      verdict: a.verdict ?? null,
      createdAt: a.createdAt,
      completedAt: a.completedAt ?? null,
      counterexamples: a.counterexample ? [a.counterexample.runId] : [],
    }));
  }

  async lastStep(runId: string): Promise<number> {
    return (await this.run(runId)).lastStep ?? -1;
  }

  async events(runId: string, query: EventQuery): Promise<StepRecorded[]> {
    // The API answers at most 10,000 events a request: page through the range.
    const out: StepRecorded[] = [];
    let from = query.from ?? 0;
    const want = query.limit ?? Number.MAX_SAFE_INTEGER;
    for (;;) {
      const limit = Math.min(10_000, want - out.length);
      if (limit <= 0) break;
      const q = new URLSearchParams({ from: String(from), limit: String(limit) });
      if (query.to !== undefined) q.set('to', String(query.to));
      if (query.thread !== undefined) q.set('thread', query.thread);
      if (query.types?.length) q.set('types', query.types.join(','));
      if (query.object !== undefined) q.set('object', query.object);
      const page = await this.call<StepRecorded[]>('GET', this.runPath(runId, `events?${q}`));
      out.push(...page.map(fromApiEvent));
      if (page.length < limit) break;
      from = page[page.length - 1].step + 1;
    }
    return out;
  }

  async fieldFormatter(runId: string) {
    // The API does not serve a run's model: rebuild it from what the run says, and use it only if
    // it is the exact model (same hash); otherwise print raw values.
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
    return this.call<StepState>('GET', this.runPath(runId, `state?at=${step}`));
  }

  async history(runId: string, object: string): Promise<HistoryEntry[]> {
    // The API answers a history a page at a time (at most 10,000 entries): follow the cursor.
    const out: HistoryEntry[] = [];
    let after = -1;
    for (;;) {
      const page = await this.call<HistoryEntry[]>('GET', this.runPath(runId, `history?object=${encodeURIComponent(object)}&limit=10000&after=${after}`));
      out.push(...page);
      if (page.length < 10_000) return out;
      after = page[page.length - 1].step;
    }
  }

  async firstWhere(runId: string, predicate: unknown, options: { from?: number }): Promise<FirstMatch | null> {
    if (predicate === null || typeof predicate !== 'object' || Array.isArray(predicate)) throw new ApiRequestError('--where must be a JSON object', 400);
    return (await this.call<{ match: FirstMatch | null }>('POST', this.runPath(runId, 'first-where'), { where: predicate, from: options.from })).match;
  }

  async diff(a: StepRef, b: StepRef): Promise<StateDiff> {
    const q = new URLSearchParams({ from: String(a.step), to: String(b.step) });
    if (b.runId !== a.runId) q.set('otherRun', b.runId);
    return this.call('GET', this.runPath(a.runId, `diff?${q}`));
  }

  async divergence(runA: string, runB: string): Promise<Divergence | null> {
    return (await this.call<{ divergence: Divergence | null }>('GET', this.runPath(runA, `divergence/${encodeURIComponent(runB)}`))).divergence;
  }

  async trace(runId: string, range: { from?: number; to?: number }): Promise<Trace> {
    const q = new URLSearchParams({ format: 'json' });
    if (range.from !== undefined) q.set('from', String(range.from));
    if (range.to !== undefined) q.set('to', String(range.to));
    return this.call('GET', this.runPath(runId, `trace?${q}`));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

/** The broken invariant's class, as the server labels it (the same table). */
function violatedOf(invariant: string): AuditResult['violated'] {
  const b = invariantBacking(invariant);
  return b ? { invariant, ...b } : null;
}

/** A built-in or published name as `scenario`; a document loaded from a file, as it is. */
function scenarioTarget(name: string): { scenario: string } | { document: unknown } {
  const document = loadedDocument(name);
  return document === undefined ? { scenario: name } : { document };
}
