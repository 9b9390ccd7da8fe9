// A process recording a long run is killed with SIGKILL at random moments and restarted with the
// same run id, several times; the stream it ends with must be the uninterrupted run's, event for
// event (and the state snapshots must be whole).
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqliteEventStore } from '@mmreplay/event-store';
import { DEFAULT_SNAPSHOT_EVERY, PROJECTION_VERSION, RunModel, snapshotKey, stateAt } from '@mmreplay/projections';
import type { RecordedEvent, RunStarted } from '@mmreplay/events';
// Test support shared by the multi-process tests, outside every project (no dependency edge).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { buildChildLibraries, type ChildLibraries } from '../../../test-support/child-lib.js';
import { tempSqliteStore } from '../test/temp-store.js';
import { RunService } from './run.service.js';
import { storeSource } from './store-source.js';
import type { StartRunRequest } from './run-request.js';

const child = fileURLToPath(new URL('../test/crash-child.mjs', import.meta.url));
/** About 200,000 step events. */
const REQUEST: StartRunRequest = {
  runId: 'long',
  scenario: 'seed',
  params: { ptes: 2, faults: 2, rounds: 4_100 },
  strategy: 'random',
  seed: 1,
  actor: 'ann',
  team: 'mm',
};
const KILLS = 6;

interface ChildRun {
  lines: string[];
  killed: boolean;
}

/** Runs the child; kills it after `afterBatches` committed batches plus `delayMs` (never when undefined). */
function runChild(lib: ChildLibraries, file: string, afterBatches?: number, delayMs = 0): Promise<ChildRun> {
  // afterBatches 0: counted from 'ready'.
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, [child, lib.entries.runs, lib.entries['event-store'], file, JSON.stringify(REQUEST)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let batches = 0;
    let armed = false;
    proc.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      batches += (chunk.match(/^batch /gm) ?? []).length;
      if (afterBatches !== undefined && !armed && out.startsWith('ready\n') && batches >= afterBatches) {
        armed = true;
        setTimeout(() => proc.kill('SIGKILL'), delayMs);
      }
    });
    proc.stderr.setEncoding('utf8').on('data', (chunk: string) => (err += chunk));
    proc.on('error', reject);
    proc.on('close', (code, signal) => {
      const lines = out.split('\n').filter(Boolean);
      if (signal === 'SIGKILL') resolve({ lines, killed: true });
      else if (code === 0) resolve({ lines, killed: false });
      else reject(new Error(`the child failed (${code ?? signal}): ${err}`));
    });
  });
}

const content = (e: RecordedEvent) => JSON.stringify([String(e.revision), e.type, e.data, e.metadata.step ?? null]);

describe('a run killed with SIGKILL and restarted', () => {
  let lib: ChildLibraries;
  let crash: Awaited<ReturnType<typeof tempSqliteStore>>;
  let reference: Awaited<ReturnType<typeof tempSqliteStore>>;

  beforeAll(async () => {
    lib = buildChildLibraries(['model', 'engine', 'explorer', 'litmus', 'events', 'event-store', 'projections', 'runs'], 'runs-crash');
    crash = await tempSqliteStore('mmreplay-crash-');
    reference = await tempSqliteStore('mmreplay-reference-');
  });
  afterAll(async () => {
    lib?.cleanup();
    await crash?.dispose();
    await reference?.dispose();
  });

  it(`ends with exactly the uninterrupted run's events after ${KILLS} kills`, async () => {
    const want = await new RunService(reference.store, { batchSize: 5_000 }).startRun(REQUEST);
    expect(want.events).toBeGreaterThan(190_000);
    await crash.store.close();

    const seen: number[] = [];
    let head = 0;
    for (let k = 0; k < KILLS; k++) {
      // Most kills come a random moment after a few committed batches: during the engine run or
      // the append of the next one. Every third comes at a random time after the start, often
      // while the restarted process is still checking the stored prefix.
      const byTime = k % 3 === 2;
      const remaining = Math.floor((want.events - head) / 5_000);
      const r = byTime
        ? await runChild(lib, crash.file, 0, Math.floor(Math.random() * 1_500))
        : await runChild(lib, crash.file, 1 + Math.floor(Math.random() * Math.max(1, Math.min(8, remaining - 2))), Math.floor(Math.random() * 40));
      expect(r.killed, `kill ${k}: the run finished before it could be killed`).toBe(true);
      const db = await SqliteEventStore.open(crash.file);
      const [last] = await db.readStream('run-long', { direction: 'backwards', maxCount: 1 });
      await db.close();
      if (!byTime) expect(Number(last.revision), `kill ${k} after committed batches`).toBeGreaterThan(head);
      head = Number(last.revision);
      seen.push(head);
    }
    const last = await runChild(lib, crash.file);
    expect(last.killed).toBe(false);
    const [, events, , verified] = last.lines.at(-1)!.split(' ');
    expect(Number(events)).toBe(want.events);
    expect(Number(verified)).toBe(seen.at(-1)! + 1);

    const [a, b] = [await SqliteEventStore.open(crash.file), reference.store];
    try {
      const ia = a.iterateStream('run-long', { pageSize: 10_000 })[Symbol.asyncIterator]();
      let n = 0;
      for await (const e of b.iterateStream('run-long', { pageSize: 10_000 })) {
        const got = await ia.next();
        if (got.done || content(got.value) !== content(e))
          expect.fail(`event ${n} differs: ${got.done ? 'missing' : content(got.value).slice(0, 200)} vs ${content(e).slice(0, 200)}`);
        n++;
      }
      expect((await ia.next()).done).toBe(true);
      expect(n).toBe(want.events);
      // The snapshots written around the kills are whole: time travel from them agrees with the reference.
      const started = (await a.readStream('run-long', { maxCount: 1 }))[0].data as RunStarted;
      const model = new RunModel(started);
      const key = snapshotKey('run-long');
      for (const step of [1_000, 77_777, 150_001, want.steps - 1]) {
        const [x, y] = [
          await stateAt(storeSource(a, 'long', { writeSnapshots: false }), model, step),
          await stateAt(storeSource(b, 'long', { writeSnapshots: false }), model, step),
        ];
        expect([...x.state]).toEqual([...y.state]);
        expect(x.folded).toBeLessThanOrEqual(DEFAULT_SNAPSHOT_EVERY);
      }
      expect((await a.snapshots.load(key, { version: PROJECTION_VERSION }))?.revision).toBe(
        (await b.snapshots.load(key, { version: PROJECTION_VERSION }))?.revision,
      );
    } finally {
      await a.close();
    }
  }, 240_000); // seven recordings of a 190,000-event run: minutes on a loaded 2-core machine
});
