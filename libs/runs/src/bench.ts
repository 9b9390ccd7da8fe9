import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { createEvent, type EventData, type RunStarted, type StepRecorded } from '@mmreplay/events';
import { SqliteEventStore } from '@mmreplay/event-store';
import { applyStep, DEFAULT_SNAPSHOT_EVERY, stateAt } from '@mmreplay/projections';
import { storeSource } from './store-source.js';
import { RunService } from './run.service.js';
import { QueryService } from './query.service.js';
import { CatalogueService } from './catalogue/catalogue.service.js';
import { prepareRun } from './run-request.js';

export interface TimeTravelBenchOptions {
  /** seed-scenario rounds of the long run: 21,500 gives about 1,000,000 step events */
  rounds?: number;
  /** random `stateAt` queries timed (after 200 of warm-up); default 5,000 */
  queries?: number;
  /** runs in the catalogue rebuilt; default 10,000 */
  catalogueRuns?: number;
  snapshotEvery?: number;
  log?: (line: string) => void;
}

const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
const round3 = (x: number) => Math.round(x * 1000) / 1000;

function removeDb(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
}

/**
 * Time travel on SQLite in a fresh database under `dir` (DESIGN.md §3: state at any event of a
 * 1,000,000-event run under 2 ms at p99, in process):
 * - records the seed scenario (2 PTEs, 2 faults) with about 1,000,000 step events through
 *   `RunService` (events appended per second, snapshots included);
 * - `stateAt` latency at uniformly random steps (p50, p99, max, in ms), through `QueryService`;
 * - the projection's fold rate: in memory over decoded events, and from the store (read, decode, fold);
 * - the catalogue rebuild time for 10,000 runs (their `RunStarted`, with the full model, and `RunCompleted`).
 */
export async function benchTimeTravel(dir: string, options: TimeTravelBenchOptions = {}): Promise<Record<string, number>> {
  const log = options.log ?? (() => {});
  const every = options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
  const results: Record<string, number> = { snapshotEvery: every };
  const file = join(dir, 'time-travel-bench.db');
  removeDb(file);
  const store = await SqliteEventStore.open(file);
  try {
    const request = {
      runId: 'bench',
      scenario: 'seed',
      params: { ptes: 2, faults: 2, rounds: options.rounds ?? 21_500 },
      strategy: 'random' as const,
      seed: 1,
    };
    let start = performance.now();
    const report = await new RunService(store, { snapshotEvery: every }).startRun(request);
    results['events'] = report.events;
    results['recordPerSec'] = perSecond(report.events, performance.now() - start);
    log(`recorded ${report.events} events: ${results['recordPerSec']} events/s (engine, append, snapshots)`);

    const queries = new QueryService(store, { snapshotEvery: every });
    const last = report.steps - 1;
    const pick = () => Math.floor(Math.random() * (last + 2)) - 1;
    for (let i = 0; i < 200; i++) await queries.stateAt('bench', pick());
    const n = options.queries ?? 5_000;
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const step = pick();
      const t0 = performance.now();
      await queries.stateAt('bench', step);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    results['stateAtQueries'] = n;
    results['stateAtP50Ms'] = round3(quantile(times, 0.5));
    results['stateAtP99Ms'] = round3(quantile(times, 0.99));
    results['stateAtMaxMs'] = round3(times[times.length - 1]);
    log(
      `QueryService.stateAt (state and view) at random steps: p50 ${results['stateAtP50Ms']} ms, p99 ${results['stateAtP99Ms']} ms, max ${results['stateAtMaxMs']} ms`,
    );

    // The projection alone: snapshot + fold, no readable view.
    const model = await queries.model('bench');
    const source = storeSource(store, 'bench');
    const core: number[] = [];
    for (let i = 0; i < n; i++) {
      const step = pick();
      const t0 = performance.now();
      await stateAt(source, model, step, { snapshotEvery: every });
      core.push(performance.now() - t0);
    }
    core.sort((a, b) => a - b);
    results['stateVectorP50Ms'] = round3(quantile(core, 0.5));
    results['stateVectorP99Ms'] = round3(quantile(core, 0.99));
    log(`projection stateAt (state vector only): p50 ${results['stateVectorP50Ms']} ms, p99 ${results['stateVectorP99Ms']} ms`);

    // Fold from the store: read, decode and apply every step event of the run.
    let state = model.initial.slice();
    const decoded: StepRecorded[] = [];
    start = performance.now();
    for await (const e of store.iterateStream('run-bench', { pageSize: 10_000 })) {
      if (e.type !== 'StepRecorded') continue;
      applyStep(state, e.data as StepRecorded);
      if (decoded.length < 200_000) decoded.push(e.data as StepRecorded);
    }
    results['foldFromStorePerSec'] = perSecond(report.steps, performance.now() - start);
    // Fold in memory: the projection alone.
    let folded = 0;
    start = performance.now();
    while (performance.now() - start < 1_000) {
      state = model.initial.slice();
      for (const e of decoded) applyStep(state, e);
      folded += decoded.length;
    }
    results['foldInMemoryPerSec'] = perSecond(folded, performance.now() - start);
    log(`fold: ${results['foldInMemoryPerSec']} events/s in memory, ${results['foldFromStorePerSec']} events/s from the store`);
  } finally {
    await store.close();
    removeDb(file);
  }

  const catalogueFile = join(dir, 'catalogue-bench.db');
  removeDb(catalogueFile);
  const catalogueStore = await SqliteEventStore.open(catalogueFile);
  try {
    const runs = options.catalogueRuns ?? 10_000;
    const base = prepareRun({ runId: 'c0', scenario: 'seed', params: { ptes: 2, faults: 2 } }).started;
    const batch: { stream: string; events: EventData[] }[] = [];
    for (let i = 0; i < runs; i++) {
      const started: RunStarted = { ...base, runId: `c${i}`, seed: i, team: `team${i % 7}`, actor: `user${i % 13}` };
      batch.push({
        stream: `run-c${i}`,
        events: [
          createEvent('RunStarted', started),
          createEvent('RunCompleted', { outcome: 'completed', violation: null, steps: 100 + (i % 50), schedule: 's1.AA.' }),
        ],
      });
    }
    for (const { stream, events } of batch) await catalogueStore.appendToStream(stream, events, { expectedRevision: 'no-stream' });
    const start = performance.now();
    const catalogue = new CatalogueService(catalogueStore);
    await catalogue.rebuild();
    results['catalogueRuns'] = catalogue.index.size;
    results['catalogueRebuildMs'] = Math.round(performance.now() - start);
    log(`catalogue of ${results['catalogueRuns']} runs rebuilt in ${results['catalogueRebuildMs']} ms`);
  } finally {
    await catalogueStore.close();
    removeDb(catalogueFile);
  }
  return results;
}
