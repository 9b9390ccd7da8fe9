// Where two workers' wall time goes (issue 15): `node bench/explorer-levels.js [--n 6] [--workers 2] [--levels]`.
// Runs exploreParallel on partitions (ParallelOptions.algorithm 'partitions', whose levels it times)
// on the seed at N (kernel protocol, default reductions; --no-balance: without
// the gifts of heads between workers, ParallelOptions.balance) with
// ParallelOptions.onTiming and prints, per worker, the wall time split into busy (running the
// level's code), late (the level's message on its way), blocked (a full ring, or an ask for heads
// not yet answered, before it had nothing more to expand), tail (nothing more to expand, waiting
// for the others' batches and ends),
// reply and barrier (its report sent, waiting for the slowest worker); then the start-up and the
// coordinator's serial time. With --levels, one line per level as well. Wall-time figures on a
// shared machine are loaded: a thread that waits for the processor counts as busy. So at every
// level's end the script also reads each thread's CPU time (/proc/self/task/*/schedstat, in ns;
// Linux only), and from the workers' CPU per level it states the imbalance, which load does not
// inflate: per level the busiest worker's CPU against the mean, summed over the levels (the wall
// time the others wait on a quiet machine, where a level takes its busiest worker's time).

import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { pathToFileURL } from 'node:url';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UNBOUNDED, option, seedRequest } from './args.js';

const HERE = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const n = Number(option('n', 6));
const W = Number(option('workers', 2));
const lib = (name) => import(pathToFileURL(resolve(HERE, `libs/${name}/dist/index.js`)).href);
const { exploreParallel, summariseTimings } = await lib('explorer');
const { resolveModel } = await lib('model');
const { world } = resolveModel(seedRequest(n));

/** CPU ms of each thread of this process so far, by thread id. */
function threadCpu() {
  const out = new Map();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      out.set(tid, Number(readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ')[0]) / 1e6);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

const timings = [];
// per timing, every thread's CPU ms when it was reported
const cpuAt = [];
const load0 = loadavg()[0];
const c0 = process.cpuUsage();
const t0 = performance.now();
const r = await exploreParallel(world, {
  algorithm: 'partitions',
  workers: W,
  bounds: UNBOUNDED,
  balance: !process.argv.includes('--no-balance'),
  onTiming: (t) => {
    timings.push(t);
    cpuAt.push(threadCpu());
  },
});
const wall = performance.now() - t0;
const c = process.cpuUsage(c0);
const s = summariseTimings(timings);
const sec = (ms) => (ms / 1000).toFixed(2);
const pct = (ms) => `${((100 * ms) / wall).toFixed(1)} %`;
console.log(
  `seed N=${n}, ${r.workers} workers: ${r.verdict}, ${r.statesStored} states, ${r.transitions} transitions, ${sec(wall)} s wall, ${(
    (c.user + c.system) /
    1e6
  ).toFixed(2)} CPU s, load ${load0.toFixed(1)} -> ${loadavg()[0].toFixed(1)} (LOADED unless both are low)`,
);
const start = timings.find((t) => t.kind === 'start');
if (start === undefined) {
  console.log('the search ended on the calling thread before the workers had loaded: no levels on workers to look at');
  process.exit(0);
}
console.log(
  `start-up ${sec(s.startMs)} s (sequential try ${sec(start.sequentialMs)}, setup ${sec(start.setupMs)}, ready ${start.readyMs.map(sec).join(' / ')}); ` +
    `${s.levels} levels ${sec(s.levelsMs)} s; coordinator between levels ${sec(s.serialMs)} s`,
);
const levels = timings.filter((t) => t.kind === 'level');
const heads = levels.reduce((a, l) => a + l.workers.reduce((b, w) => b + w.frontier, 0), 0);
const given = levels.reduce((a, l) => a + l.workers.reduce((b, w) => b + w.took, 0), 0);
console.log(`heads given to another worker: ${given} of ${heads} (${((100 * given) / heads).toFixed(1)} %)`);
s.workers.forEach((w, i) => {
  const parts = ['busy', 'late', 'blocked', 'tail', 'reply', 'barrier'].map((k) => `${k} ${sec(w[`${k}Ms`])} (${pct(w[`${k}Ms`])})`);
  console.log(`worker ${i}: ${parts.join(', ')}`);
});
// the workers: partition 0's is the main thread (ParallelOptions.callingThread), the others the
// W - 1 threads besides it that used the most CPU over the levels
const first = cpuAt[0];
const last = cpuAt[cpuAt.length - 1];
const workerTids = [
  String(process.pid),
  ...[...last.keys()]
    .filter((tid) => tid !== String(process.pid) && first.has(tid))
    .sort((a, b) => last.get(b) - first.get(b) - (last.get(a) - first.get(a)))
    .slice(0, W - 1),
];
let maxSum = 0;
let meanSum = 0;
const perLevel = [];
for (let k = 1; k < cpuAt.length; k++) {
  const used = workerTids.map((tid) => cpuAt[k].get(tid) - cpuAt[k - 1].get(tid));
  const max = Math.max(...used);
  const mean = used.reduce((a, x) => a + x, 0) / used.length;
  maxSum += max;
  meanSum += mean;
  perLevel.push(used);
}
const mainCpu = (k) => cpuAt[k].get(String(process.pid));
console.log(
  `workers' CPU over the levels ${workerTids.map((tid) => sec(last.get(tid) - first.get(tid))).join(' + ')} s; per level the busiest ${sec(maxSum)} s ` +
    `against the mean ${sec(meanSum)} s: imbalance ${sec(maxSum - meanSum)} s (${((100 * (maxSum - meanSum)) / meanSum).toFixed(1)} % of the mean); ` +
    `main thread (partition 0's over the levels) ${sec(mainCpu(0))} s to the start, ${sec(mainCpu(cpuAt.length - 1) - mainCpu(0))} s over the levels`,
);
if (process.argv.includes('--levels')) {
  // perLevel[i]: the CPU over levels[i] (the levels after the first ones on the calling thread)
  levels.forEach((l, i) => {
    const ws = l.workers.map(
      (w) =>
        `${w.frontier} states, gave ${w.gave}, took ${w.took}, busy ${w.busyMs.toFixed(1)}, expanded at ${w.expandedMs.toFixed(1)}, done ${w.doneMs.toFixed(1)}`,
    );
    const cpu = perLevel[i].map((x) => x.toFixed(1)).join(' / ');
    console.log(`level ${l.depth}: wall ${l.wallMs.toFixed(1)} ms, serial ${l.serialMs.toFixed(2)}, workers' CPU ${cpu}; ${ws.join(' | ')}`);
  });
}
