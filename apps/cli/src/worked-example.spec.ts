import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { cli } from './test-cli.js';

// docs/scenarios.md's worked example: a real race the built-in catalogue does not have, written
// only as a document (examples/scenarios/batch-migration-deadlock.yaml): v6.3-rc1's batched
// MIGRATE_SYNC migration locks two folios in opposite orders in two tasks and deadlocks; the fix
// (trylock in the batch, then one folio at a time: v6.4 migrate_pages_sync) holds, exhaustively.

const doc = fileURLToPath(new URL('../../../examples/scenarios/batch-migration-deadlock.yaml', import.meta.url));

beforeAll(() => {
  process.env.MMREPLAY_STORE = 'memory:';
});

describe('worked example: batched migration deadlock (v6.3-rc1)', () => {
  it('the fix (async batch first, then one folio at a time) holds, exhaustively', async () => {
    const r = await cli('audit', doc);
    expect(r.err).toBe('');
    expect(r.out).toMatch(/^batch-migration-deadlock \(kernel\) exhaustive: holds/);
    expect(r.code).toBe(0);
  });

  it('v6.3-rc1 (folio_lock in a sync batch) deadlocks: both tasks sleep at U2.lock, and the printed replay reproduces it', async () => {
    const r = await cli('audit', doc, '--variant', 'v6.3-rc1-sync-batch');
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/exhaustive: violated/);
    expect(r.out).toMatch(/deadlock: no thread can run \(m1 at U2\.lock, m2 at U2\.lock\)/);
    const replay = /replay: mmreplay run (\S+) (.*)$/m.exec(r.out);
    expect(replay?.[1]).toBe(doc);
    const run = await cli('run', doc, ...replay![2].split(' '));
    expect(run.out).toMatch(/deadlock/);
    expect(run.code).toBe(1);
  });
});
