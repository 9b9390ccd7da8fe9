// Explorer section: the exhaustive audit of the seed scenario (1 migration thread, N PTEs of one
// page under one PTL, N fault threads; kernel protocol, WAIT=post) with the default reductions,
// for N = 5, 6, 7 on 1 and on 2 worker threads; N = 8 approximate (bitstate hashing and hash
// compaction); and the unlock-before-remove mutant's first counterexample on 1 and 2 workers. Each
// run is a child process, so that its peak memory (max RSS, worker threads included) and CPU time
// are its own. Knobs: MMREPLAY_EXPLORER_N (default 5,6,7), MMREPLAY_EXPLORER_WORKERS (default 1,2),
// MMREPLAY_EXPLORER_APPROX_N (default 8; empty for none), MMREPLAY_EXPLORER_APPROX (methods,
// default bitstate,hashcompact), MMREPLAY_EXPLORER_BITS (log2 of the bitstate table's bits, default
// 32), MMREPLAY_EXPLORER_TIMEOUT (seconds per run, default 300; a run that hits it is reported
// `inconclusive (time)`), MMREPLAY_EXPLORER_APPROX_TIMEOUT (seconds per approximate run, default
// 900), MMREPLAY_EXPLORER_MEMORY_MB (default 8,000), MMREPLAY_EXPLORER_ABLATION=1 (also N = 4, 5
// with each reduction switched off), MMREPLAY_EXPLORER_SPILL (states of a level the approximate run
// keeps in memory before it spills the rest to files, FileSpill; default 1,000,000; 0: no spill).

import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { explore, exploreBitstate, exploreParallel, formatUpperProbability } from '@mmreplay/explorer';
import { resolveModel } from '@mmreplay/model';
import { searchEnv } from './huge-pages.js';

const SELF = fileURLToPath(import.meta.url);
const ABLATION = {
  'no symmetry': { symmetry: false },
  'no dead registers': { deadRegisters: false },
  none: { symmetry: false, partialOrder: false, deadRegisters: false },
};

async function child(spec) {
  const { n, workers, approximate, variant, config, timeout, memoryMB, spillStates } = JSON.parse(spec);
  const { world } = resolveModel({ scenario: 'seed', params: { ptes: n, faults: n }, variant });
  const stats = { bytes: 0 };
  const opts = { ...(ABLATION[config] ?? {}), stats, bounds: { maxSeconds: timeout, maxStates: 2_000_000_000, maxMemoryMB: memoryMB } };
  const t0 = performance.now();
  let r;
  // loaded only here: the audits library brings the event store with it
  const spill = approximate && spillStates > 0 ? { port: new (await import('@mmreplay/audits')).FileSpill(), maxInMemory: spillStates } : undefined;
  if (approximate) r = exploreBitstate(world, { ...opts, bitstate: approximate, spill });
  // as an audit runs it (the first levels on this thread while the workers load), but the mutant on
  // the workers from the start: it ends within 50,000 states, which would never start them
  else if (workers > 1) r = await exploreParallel(world, { ...opts, workers, ...(variant ? { sequentialFirst: 0 } : {}) });
  else r = explore(world, opts);
  const wall = (performance.now() - t0) / 1000;
  const u = process.resourceUsage();
  process.stdout.write(
    JSON.stringify({
      verdict: r.verdict,
      boundHit: r.boundHit,
      states: r.statesStored,
      transitions: r.transitions,
      seconds: wall,
      cpuSeconds: (u.userCPUTime + u.systemCPUTime) / 1e6,
      peakMB: Math.round(u.maxRSS / 1024),
      storeBytes: stats.bytes,
      counterexample: r.counterexample ? r.counterexample.length : null,
      approximate: r.approximate ?? null,
      spilledMB: spill ? Math.round(spill.port.written / 2 ** 20) : null,
    }),
  );
}

function run(spec) {
  const p = spawnSync(process.execPath, ['--max-old-space-size=4096', SELF, 'child', JSON.stringify(spec)], {
    encoding: 'utf8',
    env: searchEnv(),
    timeout: (spec.timeout + 120) * 1000,
    maxBuffer: 1 << 20,
  });
  if (p.status !== 0)
    return {
      error: `failed: ${
        (p.stderr || p.signal || '')
          .toString()
          .split('\n')
          .find((l) => l.trim()) ?? ''
      }`,
    };
  return JSON.parse(p.stdout);
}

function row(label, spec, r) {
  const load = loadavg()[0].toFixed(1);
  if (r.error) return { N: spec.n, run: label, workers: spec.workers, verdict: r.error, load };
  const verdict = r.boundHit ? `${r.verdict} (${r.boundHit})` : r.approximate && r.verdict === 'holds' ? 'holds (approximate)' : r.verdict;
  return {
    N: spec.n,
    run: label,
    workers: spec.workers,
    verdict,
    statesStored: r.states,
    transitions: r.transitions,
    seconds: Number(r.seconds.toFixed(1)),
    cpuSeconds: Number(r.cpuSeconds.toFixed(1)),
    peakMB: r.peakMB,
    bytesPerState: r.storeBytes ? Math.round(r.storeBytes / r.states) : null,
    peakBytesPerState: Math.round((r.peakMB * 2 ** 20) / Math.max(1, r.states)),
    statesPerSecond: Math.round(r.states / Math.max(0.001, r.seconds)),
    ...(r.counterexample !== null ? { counterexampleSteps: r.counterexample } : {}),
    ...(r.approximate
      ? {
          method: r.approximate.method,
          omissionProbability: r.approximate.omissionProbability,
          missed: `at most ${formatUpperProbability(r.approximate.omissionProbability)}`,
          hashFactor: Number(r.approximate.hashFactor.toFixed(1)),
        }
      : {}),
    ...(r.spilledMB !== null && r.spilledMB !== undefined ? { spilledMB: r.spilledMB } : {}),
    load,
  };
}

export async function explorer() {
  const env = process.env;
  const list = (v, d) =>
    (v ?? d)
      .split(',')
      .filter((x) => x.trim() !== '')
      .map(Number);
  const ns = list(env.MMREPLAY_EXPLORER_N, '5,6,7');
  const workerCounts = list(env.MMREPLAY_EXPLORER_WORKERS, '1,2');
  const approxNs = list(env.MMREPLAY_EXPLORER_APPROX_N, '8');
  const methods = (env.MMREPLAY_EXPLORER_APPROX ?? 'bitstate,hashcompact').split(',').filter((m) => m === 'bitstate' || m === 'hashcompact');
  const approxTimeout = Number(env.MMREPLAY_EXPLORER_APPROX_TIMEOUT ?? 900);
  const bits = Number(env.MMREPLAY_EXPLORER_BITS ?? 32);
  const timeout = Number(env.MMREPLAY_EXPLORER_TIMEOUT ?? 300);
  const memoryMB = Number(env.MMREPLAY_EXPLORER_MEMORY_MB ?? 8_000);
  const spillStates = Number(env.MMREPLAY_EXPLORER_SPILL ?? 1_000_000);
  const rows = [];
  const go = (label, spec) => {
    const full = { timeout, memoryMB, workers: 1, ...spec };
    const r = row(label, full, run(full));
    process.stderr.write(`${JSON.stringify(r)}\n`);
    rows.push(r);
  };
  for (const workers of workerCounts) go('unlock-before-remove (first counterexample)', { n: 4, workers, variant: 'unlock-before-remove' });
  for (const n of ns) for (const workers of workerCounts) go('kernel, default reductions', { n, workers });
  const approxLabel = {
    bitstate: `kernel, approximate: bitstate 2^${bits} bits, k = 3`,
    hashcompact: 'kernel, approximate: hash compaction, 64-bit signatures',
  };
  for (const n of approxNs)
    for (const method of methods) go(approxLabel[method], { n, approximate: { method, log2Bits: bits }, spillStates, timeout: approxTimeout });
  if (env.MMREPLAY_EXPLORER_ABLATION === '1') for (const n of [4, 5]) for (const config of Object.keys(ABLATION)) go(config, { n, config });
  return rows;
}

if (process.argv[2] === 'child') await child(process.argv[3]);
