import { namedVariants, scenarios, switchesOf } from '@mmreplay/model';
import { comparisonConclusion, runAuditAsync, type AuditRequest, type AuditResult, type Progress } from '@mmreplay/explorer';
import { storeFromEnv, type EventStore } from '@mmreplay/event-store';
import { mmreplayUpcasters } from '@mmreplay/events';
import { formatField } from '@mmreplay/projections';
import { CatalogueService, QueryService, RunService, type EventQuery, type RunReport, type StepRef } from '@mmreplay/runs';
import { exportRun, importRun, parseExport } from './run-transfer.js';
import type { Backend, CompareRequest, ComparisonReport, RunRequest, ScenarioListing, StepState } from './backend.js';

/** The step bound of an embedded run when `--max-steps` is not given. */
export const LOCAL_MAX_STEPS = 100_000_000;

/** The scenarios built into this mmreplay, as `mmreplay scenarios` lists them. */
export function scenarioListing(): ScenarioListing[] {
  return scenarios().map((s) => ({
    name: s.name,
    title: s.title,
    row: s.row,
    description: s.description,
    params: s.params.map((p) => ({ name: p.name, default: p.default, min: p.min, max: p.max, description: p.description })),
    switches: switchesOf(s).map((w) => ({ name: w.name, values: [...w.values], default: w.default, description: w.description })),
    variants: namedVariants(s).map((v) => ({ name: v.name, description: v.description })),
    invariants: [...s.invariants],
  }));
}

/**
 * The embedded backend: the services of `@mmreplay/runs` and `@mmreplay/explorer` over the store
 * `MMREPLAY_STORE` names (default `sqlite:./data/mmreplay.db`), opened only when a command needs it.
 */
export class LocalBackend implements Backend {
  private opened: Promise<EventStore> | undefined;

  constructor(
    private readonly who: { actor: string; team: string },
    private readonly openStore: () => Promise<EventStore> = () => storeFromEnv(process.env, { upcasters: mmreplayUpcasters() }),
  ) {}

  private store(): Promise<EventStore> {
    return (this.opened ??= this.openStore());
  }

  private async queries(): Promise<QueryService> {
    return new QueryService(await this.store());
  }

  scenarios(): Promise<ScenarioListing[]> {
    return Promise.resolve(scenarioListing());
  }

  async startRun(req: RunRequest): Promise<RunReport> {
    return new RunService(await this.store()).startRun({ ...req, maxSteps: req.maxSteps ?? LOCAL_MAX_STEPS, actor: this.who.actor, team: this.who.team });
  }

  async resumeRun(runId: string): Promise<RunReport> {
    return new RunService(await this.store()).resumeRun(runId);
  }

  audit(req: AuditRequest, onProgress?: (p: Progress) => void): Promise<AuditResult> {
    // Audits explore in memory: no store needed (on every core unless --workers says otherwise).
    return runAuditAsync(req, { onProgress });
  }

  async compare(req: CompareRequest, onProgress?: (p: Progress) => void): Promise<ComparisonReport> {
    const baseline = await runAuditAsync(req.baseline, { onProgress });
    const fix = await runAuditAsync(req.fix, { onProgress });
    return { baseline, fix, conclusion: comparisonConclusion(baseline, fix) };
  }

  async *exportRun(runId: string): AsyncIterable<string> {
    yield* exportRun(await this.store(), runId);
  }

  async importRun(ndjson: string, file: string) {
    return importRun(await this.store(), parseExport(ndjson, file));
  }

  async runs(filter: { team?: string }) {
    return new CatalogueService(await this.store()).runs(filter);
  }

  async audits(filter: { team?: string }) {
    return new CatalogueService(await this.store()).audits(filter);
  }

  async lastStep(runId: string): Promise<number> {
    return (await (await this.queries()).run(runId)).lastStep;
  }

  async events(runId: string, query: EventQuery) {
    return (await this.queries()).events(runId, query);
  }

  async fieldFormatter(runId: string) {
    const model = await (await this.queries()).model(runId);
    return (object: string, field: string, value: number) => formatField(model, object, field, value);
  }

  async stateAt(runId: string, step: number): Promise<StepState> {
    const { runId: id, step: at, event, view } = await (await this.queries()).stateAt(runId, step);
    return { runId: id, step: at, event, view };
  }

  async history(runId: string, object: string) {
    return (await this.queries()).history(runId, object);
  }

  async firstWhere(runId: string, predicate: unknown, options: { from?: number }) {
    return (await this.queries()).firstWhere(runId, predicate, options);
  }

  async diff(a: StepRef, b: StepRef) {
    return (await this.queries()).diff(a, b);
  }

  async divergence(runA: string, runB: string) {
    return (await this.queries()).divergence(runA, runB);
  }

  async trace(runId: string, range: { from?: number; to?: number }) {
    return (await this.queries()).trace(runId, range);
  }

  async close(): Promise<void> {
    if (this.opened) await (await this.opened).close();
  }
}
