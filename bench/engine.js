// Engine section: simulated steps per second on one core, seeded random schedules of the seed
// scenario (DESIGN.md §3: at least 1,000,000 steps/s). Two modes: the fast path (no events) and
// with every StepEvent materialised (onEvent set, the callback does nothing with it).
//
// Run by bench/run.js. When `taskset` exists, the measurement runs in a child process pinned to
// CPU 0 so that V8's helper threads cannot borrow the second core; set MMREPLAY_BENCH_NO_PIN=1 to
// measure in process instead.

import { spawn, spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Runtime, RandomScheduler } from '@mmreplay/engine';
import { resolveModel } from '@mmreplay/model';

const SELF = fileURLToPath(import.meta.url);

export const ENGINE_BENCH = {
  request: { scenario: 'seed', params: { ptes: 2, faults: 2, rounds: 100_000 } },
  maxSteps: 100_000_000,
  warmupSeed: 1000,
  seeds: [1, 2, 3, 4, 5],
  goal: 1_000_000,
};

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function timeRun(runtime, seed, onEvent) {
  const opts = { scheduler: new RandomScheduler(seed), maxSteps: ENGINE_BENCH.maxSteps };
  if (onEvent) opts.onEvent = onEvent;
  const t0 = process.hrtime.bigint();
  const r = runtime.run(opts);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  return { seed, steps: r.steps, outcome: r.outcome, seconds, stepsPerSecond: r.steps / seconds };
}

/** The measurement itself, in this process. */
export function measureEngine() {
  const { world } = resolveModel(ENGINE_BENCH.request);
  const runtime = new Runtime(world);
  const modes = [
    { mode: 'no events (fast path)', onEvent: undefined },
    { mode: 'events materialised', onEvent: () => {} },
  ];
  const rows = [];
  for (const { mode, onEvent } of modes) {
    timeRun(runtime, ENGINE_BENCH.warmupSeed, onEvent); // warm-up: JIT, inline caches, heap growth
    const runs = ENGINE_BENCH.seeds.map((seed) => timeRun(runtime, seed, onEvent));
    const bad = runs.filter((r) => r.outcome !== 'completed');
    const rate = median(runs.map((r) => r.stepsPerSecond));
    rows.push({
      scenario: 'seed ptes=2 faults=2 rounds=100000',
      mode,
      runs: runs.length,
      stepsPerRun: Math.round(median(runs.map((r) => r.steps))),
      medianSeconds: Number(median(runs.map((r) => r.seconds)).toFixed(3)),
      stepsPerSecond: Math.round(rate),
      minStepsPerSecond: Math.round(Math.min(...runs.map((r) => r.stepsPerSecond))),
      maxStepsPerSecond: Math.round(Math.max(...runs.map((r) => r.stepsPerSecond))),
      goal: onEvent ? '-' : `>= ${ENGINE_BENCH.goal.toLocaleString('en-US')}`,
      verdict: onEvent ? '-' : rate >= ENGINE_BENCH.goal ? 'met' : 'NOT MET',
      outcomes: bad.length ? `${bad.length} not completed: ${bad.map((r) => r.outcome).join(',')}` : 'all completed',
    });
  }
  return rows;
}

function hasTaskset() {
  if (process.platform !== 'linux') return false;
  const r = spawnSync('taskset', ['-c', '0', 'true'], { stdio: 'ignore' });
  return r.status === 0;
}

/** Section entry point for bench/run.js. */
export async function engine() {
  const pin = !process.env.MMREPLAY_BENCH_NO_PIN && !process.env.MMREPLAY_BENCH_PINNED && hasTaskset();
  if (!pin) {
    return measureEngine().map((r) => ({ ...r, cpu: process.env.MMREPLAY_BENCH_PINNED ? 'pinned to CPU 0' : 'not pinned' }));
  }
  const child = spawn('taskset', ['-c', '0', process.execPath, SELF], {
    env: { ...process.env, MMREPLAY_BENCH_PINNED: '1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d) => (out += d));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`engine bench child exited with ${code}`);
  return JSON.parse(out).map((r) => ({ ...r, cpu: 'pinned to CPU 0 (taskset)' }));
}

// Child mode: `node bench/engine.js` prints the rows as JSON.
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  process.stdout.write(JSON.stringify(measureEngine()));
}
