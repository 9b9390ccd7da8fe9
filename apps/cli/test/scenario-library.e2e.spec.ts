// `mmreplay --api URL scenarios publish ./race.yaml`, then `run` / `audit name@version --api`:
// the mremap-vs-migration document (examples/scenarios) through the team library of a real API.
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/index.js';
// apps/api's own test harness (a test file, not a package export): reused, not copied.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { TestApi } from '../../api/test/harness.js';

const race = fileURLToPath(new URL('../../../examples/scenarios/mremap-vs-migration.yaml', import.meta.url));

let api: TestApi;
let token: string;

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) }, {});
  return { code, out, err };
}
const remote = (...argv: string[]) => cli('--api', api.url, '--token', token, ...argv);

describe('mmreplay scenarios publish, and runs and audits of name@version, over --api', () => {
  beforeAll(async () => {
    api = await TestApi.start();
    token = await api.team('cli-lib', 'alice');
  });
  afterAll(() => api.close());

  it('publishes the file, then audits the published version: the buggy order violated with a counterexample that replays, the fixed order holds', async () => {
    const pub = await remote('scenarios', 'publish', race, '--json');
    expect(pub.code, pub.err).toBe(0);
    const published = JSON.parse(pub.out);
    expect(published).toMatchObject({ name: 'mremap-vs-migration', version: expect.stringMatching(/^[0-9a-f]{12}$/), created: true });
    const again = await remote('scenarios', 'publish', race);
    expect(again.out).toBe(`${published.ref} (already published: the same document)\n`);

    const bad = await remote('audit', published.ref, '--variant', 'merged-unfixed', '--json');
    expect(bad.code, bad.err).toBe(1);
    const violated = JSON.parse(bad.out);
    expect(violated).toMatchObject({ verdict: 'violated', scenario: 'mremap-vs-migration', counterexample: { invariant: 'I3' } });
    const replay = await remote(
      'run',
      published.ref,
      '--variant',
      'merged-unfixed',
      '--strategy',
      'replay',
      '--schedule',
      violated.counterexample.schedule,
      '--json',
    );
    expect(replay.code, replay.err).toBe(1);
    expect(JSON.parse(replay.out)).toMatchObject({ outcome: 'violation', modelHash: violated.modelHash });

    const good = await remote('audit', 'mremap-vs-migration', '--variant', 'merged-fixed', '--json');
    expect(good.code, good.err).toBe(0);
    expect(JSON.parse(good.out)).toMatchObject({ verdict: 'holds', boundHit: null });
  });

  it('a file given to run --api goes as an inline document; publish without --api exits 2; an unknown version is refused', async () => {
    const run = await remote('run', race, '--variant', 'merged-fixed', '--strategy', 'pct', '--seed', '1', '--json');
    expect(run.code, run.err).toBe(0);
    expect(JSON.parse(run.out)).toMatchObject({ scenario: 'mremap-vs-migration' });
    const embedded = await cli('scenarios', 'publish', race);
    expect(embedded.code).toBe(2);
    expect(embedded.err).toMatch(/needs --api/);
    await remote('scenarios', 'publish', race);
    const unknown = await remote('audit', 'mremap-vs-migration@0123456789ab');
    expect(unknown.code).not.toBe(0);
    expect(unknown.err).toMatch(/no version 0123456789ab/);
  });
});
