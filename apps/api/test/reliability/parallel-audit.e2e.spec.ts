import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, startApi, until, type ApiProcess } from './processes.js';

// The built server's parallel search. Its audit worker loads the explorer from the build and hands
// that file to the search's worker threads, which load it in turn; every other test that searches
// on worker threads runs the explorer from its sources, so only a server started from the build
// shows that a parallel audit there loads its workers and finds what one worker finds. Seed 5x5 has
// 753,972 states: the search starts the workers once its first levels on the calling thread pass
// 50,000 states, and takes about a second more there, long enough for them to load and go on.
const SEED5 = { scenario: 'seed', params: { ptes: 5, faults: 5 }, strategy: 'exhaustive' };

describe('the built server audits on worker threads', () => {
  let dir: string;
  let api: ApiProcess;
  let token: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-parallel-'));
    api = await startApi(`sqlite:${join(dir, 'parallel.db')}`);
    token = (await api.request('POST', '/teams', ADMIN, { teamId: 'mm', owner: 'alice' })).body.token.token;
  });
  afterAll(async () => {
    await api?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  const settled = async (body: unknown) => {
    const started = await api.request('POST', '/audits', token, body);
    expect(started.status).toBe(202);
    return until(
      'the audit',
      async () => {
        const v = (await api.request('GET', `/audits/${started.body.id}`, token)).body;
        return v.status !== 'running' && v.status !== 'queued' && v;
      },
      120_000,
    );
  };

  it('two workers: the states, transitions and verdict of one', async () => {
    const two = await settled({ ...SEED5, workers: 2 });
    const one = await settled({ ...SEED5, workers: 1 });
    expect(two).toMatchObject({ status: 'completed', verdict: 'holds' });
    expect(one).toMatchObject({ status: 'completed', verdict: 'holds' });
    expect(two.result.summary).toContain('(exhaustive search on 2 workers, ');
    expect(one.result.summary).toContain('(exhaustive search, ');
    expect(two.result.statesStored).toBe(one.result.statesStored);
    expect(two.result.transitions).toBe(one.result.transitions);
  });
});
