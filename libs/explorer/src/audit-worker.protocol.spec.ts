import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastValueFrom, toArray } from 'rxjs';
import { ProgramFaultError } from '@mmreplay/engine';
import { AUDIT_WORKER_MEMORY_MB, compareAudits, runAuditInWorker } from './audit-worker.js';
import type { AuditRequest } from './audit.js';

// The calling thread's side of an audit worker (issue 20): what runAuditInWorker makes of each
// thing a worker can do. The worker is a real thread running audit-worker.ts's own worker source,
// but its entry (the module it imports `runAuditAsync` from) is a scripted one written here, so
// each outcome (progress then a result, a typed fault, an error, running out of heap, exiting,
// waiting for a cancellation) is produced on purpose and in a few milliseconds. The worker running
// the real explorer is audit-worker.spec.ts's; this file needs no build, and its code runs in the
// process (so a mutation run measures it).
const ENTRY = `
import { resourceLimits } from 'node:worker_threads';
export async function runAuditAsync(request, hooks) {
  const mode = request.bounds.seed;
  hooks.onProgress({ states: 1, transitions: 2, depth: 3, elapsedMs: 4, statesPerSecond: 5 });
  hooks.onProgress({ states: 10, transitions: 20, depth: 30, elapsedMs: 40, statesPerSecond: 50 });
  if (mode === 1) return { request, entry: hooks.entry, spill: hooks.spill ?? null, limits: resourceLimits, cancelled: hooks.cancel.cancelled };
  if (mode === 2) { const e = new Error('ret with an empty call stack in X1'); e.name = 'ProgramFaultError'; throw e; }
  if (mode === 3) throw new Error('plain failure');
  if (mode === 4) { const keep = []; for (;;) keep.push(new Array(1 << 16).fill(mode)); }
  if (mode === 5) process.exit(7);
  if (mode === 6) { while (!hooks.cancel.cancelled) await new Promise((r) => setTimeout(r, 2)); return { cancelled: true }; }
  if (mode === 7) { setTimeout(() => { throw new Error('thrown outside the audit'); }, 1); return new Promise(() => undefined); }
  if (mode === 8) return new Promise(() => setInterval(() => undefined, 1000));
}
`;
const SPILL = `export const createSpillPort = (dir) => ({ dir, made: 'here' });`;

describe("an audit worker's outcomes, as the calling thread sees them", () => {
  let dir: string;
  let entry: string;
  let spillModule: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'audit-worker-protocol-'));
    writeFileSync(join(dir, 'entry.mjs'), ENTRY);
    writeFileSync(join(dir, 'spill.mjs'), SPILL);
    entry = pathToFileURL(join(dir, 'entry.mjs')).href;
    spillModule = pathToFileURL(join(dir, 'spill.mjs')).href;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const req = (mode: number, extra: Partial<AuditRequest> = {}): AuditRequest => ({
    scenario: 'seed',
    params: { ptes: 2, faults: 2 },
    strategy: 'exhaustive',
    bounds: { seed: mode },
    ...extra,
  });
  const progress = (states: number) => ({ type: 'progress', progress: expect.objectContaining({ states }) });

  it('progress, then one result, then completion; the request, the entry and a heap cap reach the worker', async () => {
    const job = runAuditInWorker(req(1), { entry });
    const events = lastValueFrom(job.events$.pipe(toArray()));
    const result = (await job.result) as unknown as {
      request: AuditRequest;
      entry: string;
      spill: unknown;
      limits: Record<string, number>;
      cancelled: boolean;
    };
    expect(result.request).toEqual(req(1));
    expect(result.entry).toBe(entry);
    expect(result.spill).toBeNull();
    expect(result.cancelled).toBe(false);
    expect(result.limits.maxOldGenerationSizeMb).toBe(AUDIT_WORKER_MEMORY_MB);
    expect(result.limits.maxYoungGenerationSizeMb).toBe(64);
    const all = await events;
    expect(all).toEqual([progress(1), progress(10), { type: 'result', result }]);
    // a late subscriber gets the result
    expect(await lastValueFrom(job.events$)).toEqual({ type: 'result', result });
  });

  it('the heap cap asked for, and a young generation an eighth of it within 4..64 MB', async () => {
    const limits = async (memoryMB: number) =>
      ((await runAuditInWorker(req(1), { entry, memoryMB }).result) as unknown as { limits: Record<string, number> }).limits;
    expect(await limits(200)).toMatchObject({ maxOldGenerationSizeMb: 200, maxYoungGenerationSizeMb: 25 });
    expect(await limits(16)).toMatchObject({ maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 });
    expect(await limits(2_048)).toMatchObject({ maxOldGenerationSizeMb: 2_048, maxYoungGenerationSizeMb: 64 });
  });

  it('an approximate audit gets the spill port the worker makes from the module given; an exact one none', async () => {
    const spill = { module: spillModule, dir: '/some/dir' };
    const approx = (await runAuditInWorker(req(1, { approximate: true }), { entry, spill }).result) as unknown as { spill: unknown };
    expect(approx.spill).toEqual({ dir: '/some/dir', made: 'here' });
    const exact = (await runAuditInWorker(req(1), { entry, spill }).result) as unknown as { spill: unknown };
    expect(exact.spill).toBeNull();
  });

  it('a program fault stays typed across the thread; any other error is a plain one', async () => {
    const fault = runAuditInWorker(req(2), { entry });
    const seen = lastValueFrom(fault.events$.pipe(toArray()));
    await expect(fault.result).rejects.toBeInstanceOf(ProgramFaultError);
    await expect(fault.result).rejects.toMatchObject({ message: 'ret with an empty call stack in X1', issues: [{ field: 'variant' }] });
    await expect(seen).rejects.toBeInstanceOf(ProgramFaultError);
    const plain = runAuditInWorker(req(3), { entry });
    await expect(plain.result).rejects.toThrow('plain failure');
    await expect(plain.result).rejects.not.toBeInstanceOf(ProgramFaultError);
  });

  it('an entry that cannot be loaded is an error that says so', async () => {
    const job = runAuditInWorker(req(1), { entry: pathToFileURL(join(dir, 'missing.mjs')).href });
    await expect(job.result).rejects.toThrow(/^cannot load the explorer in a worker: /);
  });

  it('a worker out of heap ends the audit inconclusive at the memory bound, with its last progress and its cap', async () => {
    const job = runAuditInWorker(req(4), { entry, memoryMB: 16 });
    const events = lastValueFrom(job.events$.pipe(toArray()));
    const r = await job.result;
    expect(r).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory', statesStored: 10, transitions: 20, maxDepth: 30, elapsedMs: 40, scenario: 'seed' });
    expect(r.bounds.maxMemoryMB).toBe(16);
    expect(r.summary).toMatch(/^inconclusive: the memory bound stopped the search.*, 16 MB\)$/);
    expect((await events).at(-1)).toEqual({ type: 'result', result: r });
  });

  it('a worker that exits, throws outside the audit, or is terminated fails the job, once', async () => {
    await expect(runAuditInWorker(req(5), { entry }).result).rejects.toThrow('audit worker exited with code 7 before a result');
    const thrown = runAuditInWorker(req(7), { entry });
    const seen = lastValueFrom(thrown.events$.pipe(toArray()));
    await expect(thrown.result).rejects.toThrow('thrown outside the audit');
    await expect(seen).rejects.toThrow('thrown outside the audit');
    // a worker that would wait for ever (a timer keeps it alive) ends only when terminated
    const waiting = runAuditInWorker(req(8), { entry });
    const ended = lastValueFrom(waiting.events$.pipe(toArray()));
    const settled = waiting.result.then(
      () => 'settled',
      () => 'settled',
    );
    expect(await Promise.race([settled, new Promise((r) => setTimeout(() => r('pending'), 100))])).toBe('pending');
    await waiting.terminate();
    await expect(waiting.result).rejects.toThrow(/^audit worker exited with code \d+ before a result$/);
    await expect(ended).rejects.toThrow(/before a result/);
  });

  it('cancel() reaches the worker, which then ends', async () => {
    const job = runAuditInWorker(req(6), { entry });
    await new Promise((r) => setTimeout(r, 30));
    job.cancel();
    expect(await job.result).toEqual({ cancelled: true });
  });

  it('a comparison runs both, each with its own request', async () => {
    const { baseline, fix } = await compareAudits(req(1, { variant: 'unlock-before-remove' }), req(1), { entry });
    expect((baseline as unknown as { request: AuditRequest }).request.variant).toBe('unlock-before-remove');
    expect((fix as unknown as { request: AuditRequest }).request.variant).toBeUndefined();
  });
});
