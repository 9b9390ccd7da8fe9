// Issue 15 over HTTP: an approximate audit (bitstate hashing or hash compaction) is asked for in the
// request, its frontier spills to the server's spill directory beyond `frontierInMemory` states a
// level, and its verdict says it is approximate, with the probability that a state was missed
// (REST and GraphQL alike). Hostile values of the new fields are 400s naming the field.
import { mkdtempSync, readdirSync, rmSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TestApi } from './harness.js';

const SEED3 = { scenario: 'seed', params: { ptes: 3, faults: 3 } };

describe('approximate audits over HTTP', () => {
  let api: TestApi;
  let token: string;
  let spillDir: string;

  beforeAll(async () => {
    spillDir = mkdtempSync(join(tmpdir(), 'mmreplay-api-spill-'));
    api = await TestApi.start({ audits: { maxConcurrentPerTeam: 4, maxMemoryMB: 2_000, spillDir } });
    token = await api.team('mm');
  });
  afterAll(async () => {
    await api.close();
    rmSync(spillDir, { recursive: true, force: true });
  });

  it('hash compaction, its frontier spilled beyond 3 states a level: the exact search`s states, holds (approximate) with the chance of a miss; no spill left', async () => {
    // the audit's own spill directory appears (its worker made a FileSpill there), then goes
    const made: string[] = [];
    const watcher = watch(spillDir, (_, name) => name && made.push(String(name)));
    const exact = await api.post('/audits', SEED3, token);
    const approx = await api.post('/audits', { ...SEED3, approximate: 'hashcompact', frontierInMemory: 3, bounds: { maxMemoryMB: 1_500 } }, token);
    expect(approx.status).toBe(202);
    const [e, a] = [await api.settled(exact.body.id, token), await api.settled(approx.body.id, token)];
    expect(e.verdict).toBe('holds');
    expect(a).toMatchObject({ status: 'completed', verdict: 'holds', bounds: { maxMemoryMB: 1_500 } });
    expect(a.result.statesStored).toBe(e.result.statesStored);
    expect(a.result.transitions).toBe(e.result.transitions);
    expect(e.result.approximate).toBeNull();
    expect(a.result.approximate).toMatchObject({ method: 'hashcompact', hashes: 1, signatureBits: 64 });
    expect(a.result.approximate.omissionProbability).toBeGreaterThan(0);
    expect(a.result.approximate.omissionProbability).toBeLessThan(1e-6);
    expect(a.result.summary).toMatch(
      /^holds \(approximate\): .*hash compaction \(64-bit signatures, .*the probability that a reachable state was missed is at most [\d.e-]+%.*1,500 MB\)$/,
    );
    watcher.close();
    expect(made).toContain(`audit-${approx.body.id}`);
    expect(made).not.toContain(`audit-${exact.body.id}`);
    expect(readdirSync(spillDir)).toEqual([]);
  });

  it('bitstate through GraphQL: the approximation in the result', async () => {
    const g = await api.graphql(
      `mutation { startAudit(input: { scenario: "seed", params: { ptes: 3, faults: 3 }, approximate: "bitstate", frontierInMemory: 5 }) { id } }`,
      {},
      token,
    );
    expect(g.body.errors).toBeUndefined();
    const id = g.body.data.startAudit.id;
    await api.settled(id, token);
    const q = await api.graphql(
      `{ audit(id: "${id}") { verdict result { summary approximate { method log2Bits hashes signatureBits hashFactor fill omissionProbability } } } }`,
      {},
      token,
    );
    expect(q.body.errors).toBeUndefined();
    const r = q.body.data.audit;
    expect(r.verdict).toBe('holds');
    expect(r.result.approximate).toMatchObject({ method: 'bitstate', log2Bits: 30, hashes: 3, signatureBits: null });
    expect(r.result.approximate.omissionProbability).toBeGreaterThan(0);
    expect(r.result.summary).toMatch(/^holds \(approximate\): .*bitstate hashing \(2\^30 bits, 3 a state/);
    // REST's `approximate: true` of before the methods were named is bitstate still
    const old = await api.post('/audits', { ...SEED3, approximate: true }, token);
    expect(old.status).toBe(202);
    expect((await api.settled(old.body.id, token)).result.approximate).toMatchObject({ method: 'bitstate', log2Bits: 30 });
  });

  it.each([
    [{ approximate: 'supertrace' }, 'approximate'],
    [{ approximate: 1 }, 'approximate'],
    [{ approximate: true, strategy: 'pct' }, 'approximate'],
    [{ approximate: 'bitstate', frontierInMemory: 0 }, 'frontierInMemory'],
    [{ approximate: 'bitstate', frontierInMemory: -3 }, 'frontierInMemory'],
    [{ approximate: 'bitstate', frontierInMemory: 2.5 }, 'frontierInMemory'],
    [{ approximate: 'bitstate', frontierInMemory: 1e12 }, 'frontierInMemory'],
    [{ approximate: 'bitstate', frontierInMemory: '10' }, 'frontierInMemory'],
    [{ frontierInMemory: 10 }, 'frontierInMemory'],
    [{ bounds: { maxMemoryMB: 0 } }, 'bounds.maxMemoryMB'],
    [{ bounds: { maxMemoryMB: 2_001 } }, 'bounds.maxMemoryMB'],
    [{ bounds: { maxMemoryMB: 'lots' } }, 'bounds.maxMemoryMB'],
  ])('%j: 400, problem details naming %s', async (extra, field) => {
    const r = await api.post('/audits', { ...SEED3, ...extra }, token);
    expect(r.status).toBe(400);
    expect(r.headers.get('content-type')).toMatch(/application\/problem\+json/);
    expect(r.body).toMatchObject({ status: 400 });
    expect(r.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    const c = await api.post('/comparisons', { ...SEED3, baseline: 'unlock-before-remove', ...extra }, token);
    expect(c.status).toBe(400);
  });

  it('GraphQL refuses an unknown method and a frontier out of range as bad input', async () => {
    for (const input of ['approximate: "supertrace"', 'approximate: "bitstate", frontierInMemory: 0']) {
      const g = await api.graphql(`mutation { startAudit(input: { scenario: "seed", ${input} }) { id } }`, {}, token);
      expect(g.body.data).toBeNull();
      expect(g.body.errors[0].extensions.code).toBe('BAD_USER_INPUT');
    }
  });
});
