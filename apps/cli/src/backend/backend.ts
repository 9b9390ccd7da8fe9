import type { AuditRequest, AuditResult, Progress } from '@mmreplay/explorer';
import type { StepRecorded } from '@mmreplay/events';
import type { ReadableValue } from '@mmreplay/projections';
import type { RunProgress } from '../progress.js';
import type {
  AuditEntry,
  Divergence,
  EventQuery,
  FirstMatch,
  HistoryEntry,
  RunEntry,
  RunReport,
  StartRunRequest,
  StateDiff,
  StepRef,
  Trace,
} from '@mmreplay/runs';

/** A scenario as `mmreplay scenarios` lists it. */
export interface ScenarioListing {
  name: string;
  title: string;
  row: string;
  description: string;
  params: { name: string; default: number; min: number; max: number; description: string }[];
  switches: { name: string; values: string[]; default: string; description: string }[];
  variants: { name: string; description: string }[];
  /** every invariant audited by default: the built-ins, then a document's own */
  invariants: string[];
  /** a document's user invariants among them, each with its line for people */
  userInvariants: { name: string; description: string }[];
}

/** An audit's result; over `--api`, also the run the server recorded its counterexample as. */
export type AuditReport = AuditResult & { counterexampleRunId?: string };

/** An audit as the CLI asks for it: `spillDir` is where an approximate search on the embedded store spills its frontier (the server chooses its own). */
export type CliAuditRequest = AuditRequest & { readonly spillDir?: string };

/** A baseline and a fix of one scenario: two audit requests that differ only in their variant. */
export interface CompareRequest {
  baseline: CliAuditRequest;
  fix: CliAuditRequest;
}

/** Both audits side by side and what the pair says. */
export interface ComparisonReport {
  /** the server's comparison (over --api) */
  comparisonId?: string;
  baseline: AuditReport;
  fix: AuditReport;
  conclusion: string;
}

/** The state of a run after a step, as the commands print it. */
export interface StepState {
  runId: string;
  step: number;
  event: StepRecorded | null;
  view: unknown;
}

/** What a new run is: the request without who runs it (the backend knows). */
export type RunRequest = Omit<StartRunRequest, 'actor' | 'team'>;

/**
 * Everything the commands ask of mmreplay. Two implementations: `LocalBackend` over the services
 * and the configured store (the default), `RemoteBackend` over a server's REST API (`--api URL`).
 * Both throw the same kinds of errors for the same mistakes (see index.ts: exit codes 2 and 1).
 */
export interface Backend {
  scenarios(): Promise<ScenarioListing[]>;
  /** publishes a scenario document in the team's library (a server's: absent embedded) */
  publishScenario?(document: unknown): Promise<PublishedScenario>;
  /** `onProgress`: as the recording goes (embedded: after each stored batch of events) */
  startRun(req: RunRequest, onProgress?: (p: RunProgress) => void): Promise<RunReport>;
  resumeRun(runId: string, onProgress?: (p: RunProgress) => void): Promise<RunReport>;
  audit(req: CliAuditRequest, onProgress?: (p: Progress) => void): Promise<AuditReport>;
  compare(req: CompareRequest, onProgress?: (p: Progress) => void): Promise<ComparisonReport>;
  /** the run's stored events, one ndjson line each */
  exportRun(runId: string): AsyncIterable<string>;
  /** stores an exported run after checking it by re-simulation */
  importRun(ndjson: string, file: string): Promise<{ runId: string; events: number }>;
  runs(filter: { team?: string }): Promise<RunEntry[]>;
  audits(filter: { team?: string }): Promise<AuditEntry[]>;
  /** the last recorded step of a run (-1: none yet) */
  lastStep(runId: string): Promise<number>;
  events(runId: string, query: EventQuery): Promise<StepRecorded[]>;
  /** formats a state field of a run's model for people (PTE entries, page flags, holders, ...) */
  fieldFormatter(runId: string): Promise<(object: string, field: string, value: number) => ReadableValue>;
  stateAt(runId: string, step: number): Promise<StepState>;
  history(runId: string, object: string): Promise<HistoryEntry[]>;
  firstWhere(runId: string, predicate: unknown, options: { from?: number }): Promise<FirstMatch | null>;
  diff(a: StepRef, b: StepRef): Promise<StateDiff>;
  divergence(runA: string, runB: string): Promise<Divergence | null>;
  trace(runId: string, range: { from?: number; to?: number }): Promise<Trace>;
  close(): Promise<void>;
}

/** Opens a backend for one command and closes it afterwards, whatever happens. */
export type BackendProvider = <T>(use: (backend: Backend) => Promise<T>) => Promise<T>;

/** A version of the team's scenario library, as `POST /scenarios` answers. */
export interface PublishedScenario {
  name: string;
  version: string;
  hash: string;
  ref: string;
  created: boolean;
}
