import { describeUserInvariant, namedVariants, scenarios, scenarioUserInvariants, switchesOf, type Scenario, type UserInvariant } from '@mmreplay/model';
import type { Progress } from '@mmreplay/explorer';
import { SqliteEventStore, storeFromEnv, type EventStore } from '@mmreplay/event-store';
import { mmreplayUpcasters } from '@mmreplay/events';
import { formatField } from '@mmreplay/projections';
import { CatalogueService, QueryService, RunIndex, RunService, type EventQuery, type RunReport, type StepRef } from '@mmreplay/runs';
import { exportRun, importRun, parseExport } from './run-transfer.js';
import type { RunProgress } from '../progress.js';
import { recordedAudit, recordedComparison } from './local-audits.js';
import type { AuditReport, Backend, CliAuditRequest, CompareRequest, ComparisonReport, RunRequest, ScenarioListing, StepState } from './backend.js';

/** The step bound of an embedded run when `--max-steps` is not given. */
export const LOCAL_MAX_STEPS = 100_000_000;

/** The scenarios built into this mmreplay, as `mmreplay scenarios` lists them. */
export function scenarioListing(): ScenarioListing[] {
  return scenarios().map((s) => listingOfScenario(s, scenarioUserInvariants(s)));
}

function listingOfScenario(s: Scenario, users: readonly UserInvariant[]): ScenarioListing {
  return {
    name: s.name,
    title: s.title,
    row: s.row,
    description: s.description,
    params: s.params.map((p) => ({ name: p.name, default: p.default, min: p.min, max: p.max, description: p.description })),
    switches: switchesOf(s).map((w) => ({ name: w.name, values: [...w.values], default: w.default, description: w.description })),
    variants: namedVariants(s).map((v) => ({ name: v.name, description: v.description })),
    invariants: [...s.invariants, ...users.map((u) => u.name)],
    userInvariants: users.map((u) => ({ name: u.name, description: describeUserInvariant(u) })),
  };
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

  async startRun(req: RunRequest, onProgress?: (p: RunProgress) => void): Promise<RunReport> {
    return (await this.runService(onProgress)).startRun({ ...req, maxSteps: req.maxSteps ?? LOCAL_MAX_STEPS, actor: this.who.actor, team: this.who.team });
  }

  async resumeRun(runId: string, onProgress?: (p: RunProgress) => void): Promise<RunReport> {
    return (await this.runService(onProgress)).resumeRun(runId);
  }

  /** The run recorder, telling `onProgress` the steps stored after each committed batch. */
  private async runService(onProgress?: (p: RunProgress) => void): Promise<RunService> {
    const store = await this.store();
    const t0 = performance.now();
    // revision 0 is RunStarted: the steps stored are the revisions after it
    return new RunService(
      store,
      onProgress ? { onProgress: ({ revision }) => onProgress({ steps: Math.max(0, Number(revision)), elapsedMs: performance.now() - t0 }) } : {},
    );
  }

  /** Recorded on the store as the API records its audits (local-audits.ts). */
  audit(req: CliAuditRequest, onProgress?: (p: Progress) => void): Promise<AuditReport> {
    return recordedAudit(() => this.store(), this.who, req, onProgress);
  }

  compare(req: CompareRequest, onProgress?: (p: Progress) => void): Promise<ComparisonReport> {
    return recordedComparison(() => this.store(), this.who, req, onProgress);
  }

  async *exportRun(runId: string): AsyncIterable<string> {
    yield* exportRun(await this.store(), runId);
  }

  async importRun(ndjson: string, file: string) {
    return importRun(await this.store(), parseExport(ndjson, file));
  }

  async runs(filter: { team?: string }) {
    return this.withCatalogue((catalogue) => catalogue.runs(filter));
  }

  async audits(filter: { team?: string }) {
    return this.withCatalogue((catalogue) => catalogue.audits(filter));
  }

  /**
   * The catalogue in the embedded store's own tables, as the API keeps them there: only the log
   * after their position is folded. In memory (the whole log folded) for other stores, or when the
   * file cannot be written.
   */
  private async withCatalogue<T>(read: (catalogue: CatalogueService) => Promise<T>): Promise<T> {
    const store = await this.store();
    let index: RunIndex | undefined;
    if (store instanceof SqliteEventStore) {
      try {
        index = new RunIndex(store.path);
      } catch {
        index = undefined;
      }
    }
    const catalogue = new CatalogueService(store, { index });
    try {
      return await read(catalogue);
    } finally {
      catalogue.index.close();
    }
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
