import { getHeapStatistics } from 'node:v8';
import type { MessagePort } from 'node:worker_threads';
import type { World } from '@mmreplay/model';
import type { ModelBoundMet } from '@mmreplay/engine';
import { SharedInternTable, type SharedTableBuffers } from './shared-intern.js';
import { SharedVisited, type SharedVisitedBuffers } from './shared-visited.js';
import { SharedSearcher, START, Stop, type SearchSettings, type SearcherReport, type TeamBuffers } from './shared-search.js';

// A worker thread of the parallel search (parallel-shared.ts): it loads, says so, and blocks until
// the coordinator says at which level the workers begin; then its team runs every level to the
// end without the coordinator (shared-search.ts), and it reports once. The leader also reports
// each level it begins, for the search's progress.

export interface SharedWorkerData {
  readonly entry: string;
  readonly world: World;
  readonly settings: SearchSettings;
  readonly rank: number;
  readonly workers: number;
  readonly visited: SharedVisitedBuffers;
  readonly tables: SharedTableBuffers[];
  readonly team: TeamBuffers;
  readonly stats: SharedArrayBuffer;
  /** the writer whose lists hold the first level's heads besides the workers' (the calling thread's) */
  readonly caller: number;
}

export type FromSharedWorker =
  | { type: 'loaded' }
  | { type: 'level'; depth: number }
  | { type: 'done'; report: SearcherReport; bounds: readonly ModelBoundMet[] }
  | { type: 'error'; message: string };

export function runSharedThread(port: MessagePort, data: SharedWorkerData): void {
  let searcher: SharedSearcher;
  try {
    searcher = new SharedSearcher(
      data.world,
      { ...data.settings, heapUsed: () => getHeapStatistics().used_heap_size },
      new SharedVisited(data.visited),
      data.tables.map((b) => new SharedInternTable(b)),
      data.team,
      data.stats,
      data.rank,
      data.workers,
      data.rank,
    );
  } catch (e) {
    port.postMessage({ type: 'error', message: String((e as Error)?.message ?? e) });
    return;
  }
  port.postMessage({ type: 'loaded' });
  const ctl = new Int32Array(data.team.ctl);
  while (Atomics.load(ctl, START) < 0) Atomics.wait(ctl, START, -1);
  const depth = Atomics.load(ctl, START);
  const workers = Array.from({ length: data.workers }, (_, i) => i);
  const report = searcher.run(depth, [...workers, data.caller], workers, (d) => port.postMessage({ type: 'level', depth: d }));
  if (report.stop === Stop.Failed && report.failure !== null) port.postMessage({ type: 'error', message: report.failure });
  port.postMessage({ type: 'done', report, bounds: searcher.m.boundsMet });
}
