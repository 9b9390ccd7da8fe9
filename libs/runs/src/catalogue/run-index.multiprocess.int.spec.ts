// Several processes on one run table (API processes on one embedded store): they create it and
// fold into it at once, and none fails with SQLITE_BUSY. A deferred transaction that reads and
// then writes fails at once under WAL when another process wrote in between, whatever the busy
// timeout: the second of two API processes started together died at its first start that way.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
// Test support shared by the multi-process tests, outside every project (no dependency edge).
// eslint-disable-next-line @nx/enforce-module-boundaries
import { buildChildLibraries, type ChildLibraries } from '../../../../test-support/child-lib.js';
// eslint-disable-next-line @nx/enforce-module-boundaries
import { startReadyChild } from '../../../../test-support/ready-child.js';
import { RunIndex } from './run-index.js';

const script = fileURLToPath(new URL('../../test/run-index-child.mjs', import.meta.url));
const PROCESSES = 4;
const ROUNDS = 30;
const FOLDS = 40;

function start(lib: string, prefix: string) {
  const child = startReadyChild(script, [lib, prefix, String(ROUNDS), String(FOLDS)]);
  const done = child.closed.then(({ code, out, err }) =>
    code === 0 && out.endsWith('done\n') ? 'done' : `exit ${code}: ${err.match(/\w*Error: .*/)?.[0] ?? err.slice(0, 200)}`,
  );
  return { ...child, done };
}

describe('one run table, several processes', () => {
  let dir: string;
  let libs: ChildLibraries;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-run-index-'));
    libs = buildChildLibraries(['model', 'engine', 'explorer', 'litmus', 'events', 'event-store', 'projections', 'runs'], 'run-index');
  }, 120_000);
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
    libs?.cleanup();
  });

  it(`${PROCESSES} processes create ${ROUNDS} tables at once and fold into each: none fails, every table at the last position`, async () => {
    const lib = join(dirname(libs.entries.runs), 'catalogue', 'run-index.js');
    const prefix = join(dir, 'runs');
    const children = Array.from({ length: PROCESSES }, () => start(lib, prefix));
    await Promise.all(children.map((c) => c.ready));
    for (const c of children) c.go();
    expect(await Promise.all(children.map((c) => c.done))).toEqual(Array(PROCESSES).fill('done'));
    for (let round = 0; round < ROUNDS; round++) {
      const table = new RunIndex(`${prefix}-${round}.db`);
      expect(table.position).toBe(String(FOLDS));
      table.close();
    }
  }, 120_000);
});
