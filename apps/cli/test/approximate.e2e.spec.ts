// Issue 15 through the command line: `mmreplay audit --approximate bitstate|hashcompact`, its
// frontier spilled to --spill-dir beyond --frontier-in-memory states a level, the verdict stated as
// approximate with the probability that a state was missed (text and JSON), on the embedded store
// and over --api; bad values exit 2.
import { mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/index.js';
// apps/api's own test harness (a test file, not a package export): reused, not copied.
// eslint-disable-next-line @nx/enforce-module-boundaries
import { TestApi } from '../../api/test/harness.js';

const SEED3 = ['seed', '--param', 'ptes=3', '--param', 'faults=3'];

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => (out += s), err: (s) => (err += s) }, { ...process.env, MMREPLAY_STORE: 'memory:' });
  return { code, out, err };
}

describe('mmreplay audit --approximate', () => {
  let api: TestApi;
  let token: string;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'mmreplay-cli-spill-'));
    api = await TestApi.start({ audits: { spillDir: join(dir, 'server') } });
    token = await api.team('cli-approx', 'alice');
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('hash compaction spilled to --spill-dir: holds (approximate), the method and the chance of a miss in text; the exact states; no spill left', async () => {
    const spill = join(dir, 'local');
    const exact = JSON.parse((await cli('audit', ...SEED3, '--json')).out);
    const made: string[] = [];
    const r = await cli('audit', ...SEED3, '--approximate', 'hashcompact', '--frontier-in-memory', '3', '--spill-dir', spill, '--max-memory', '1500');
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^seed \(kernel\) exhaustive: holds \(approximate\)$/m);
    expect(r.out).toMatch(
      /^ {2}approximate hash compaction \(64-bit signatures, [\d,]+ slots, hash factor [\d.]+\): a reachable state was missed with probability at most [\d.e-]+%$/m,
    );
    expect(r.out).toMatch(/^ {2}bounds .*, 1,500 MB$/m);
    expect(r.out).toContain(`explored    ${exact.statesStored.toLocaleString('en-US')} states`);
    // the directory exists (the service made it) and is empty again: each audit's own went with it
    expect(readdirSync(spill)).toEqual([]);
    // and a spill really happened: watch the root while a JSON audit runs
    const watcher = watch(spill, (_, name) => name && made.push(String(name)));
    const j = JSON.parse((await cli('audit', ...SEED3, '--approximate', 'bitstate', '--frontier-in-memory', '2', '--spill-dir', spill, '--json')).out);
    watcher.close();
    expect(made.some((n) => n.startsWith('audit-'))).toBe(true);
    expect(readdirSync(spill)).toEqual([]);
    expect(j).toMatchObject({ verdict: 'holds', statesStored: exact.statesStored, approximate: { method: 'bitstate', log2Bits: 30, hashes: 3 } });
    expect(j.approximate.omissionProbability).toBeGreaterThan(0);
    expect(j.summary).toMatch(/^holds \(approximate\): .*bitstate hashing/);
  });

  it('over --api: the server`s approximate audit, the same verdict and approximation; --spill-dir is the server`s own', async () => {
    const remote = (...argv: string[]) => cli('--api', api.url, '--token', token, ...argv);
    const r = await remote('audit', ...SEED3, '--approximate', 'hashcompact', '--frontier-in-memory', '4', '--json');
    expect(r.err).toBe('');
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ verdict: 'holds', approximate: { method: 'hashcompact', signatureBits: 64 } });
    expect(j.summary).toMatch(/^holds \(approximate\): .*hash compaction/);
    const refused = await remote('audit', ...SEED3, '--approximate', 'bitstate', '--spill-dir', dir);
    expect(refused.code).toBe(2);
    expect(refused.err).toMatch(/--spill-dir cannot be used with --api/);
  });

  it.each([
    [['--approximate', 'supertrace'], /--approximate must be one of bitstate, hashcompact, got 'supertrace'/],
    [['--approximate', 'bitstate', '--frontier-in-memory', '0'], /--frontier-in-memory must be an integer from 1 to 100,000,000, got '0'/],
    [['--approximate', 'bitstate', '--frontier-in-memory', '1e9'], /--frontier-in-memory must be an integer/],
    [['--frontier-in-memory', '10'], /--frontier-in-memory and --spill-dir go with --approximate/],
    [['--spill-dir', '/tmp'], /--frontier-in-memory and --spill-dir go with --approximate/],
    [['--approximate', 'bitstate', '--spill-dir', ''], /--spill-dir must name a directory/],
    [['--max-memory', '0'], /--max-memory must be an integer from 1 to/],
    [['--approximate', 'bitstate', '--strategy', 'pct'], /approximate: applies to an exhaustive search only/],
  ])('audit seed %j exits 2', async (argv, message) => {
    const r = await cli('audit', ...SEED3, ...argv);
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message);
  });
});
