// What two searches at once cost on this machine (issue 15): the ceiling a two-worker search can
// reach, whatever its algorithm. `node bench/explorer-pair.js [--n 6] [--runs 3] [--threads]
// [--parallel]`.
// With --threads, the searches are worker threads of one process (alone: one such thread), as a
// parallel search's workers are: they share the process's address space, allocator and V8's
// helper threads, which two processes do not.
// Each round runs `explore` (one thread, seed at N, kernel protocol, default reductions) alone,
// then two such processes at the same time, each a child process with its own wall and CPU time.
// Two independent searches share nothing but the machine (cores, caches, memory), so if a pair
// takes longer than one alone, that slowdown also caps two workers sharing one search: two
// workers cannot beat 2 x (alone) / (pair) over one worker unless each thread's memory traffic
// shrinks (which would speed one worker up as well). Run it on a quiet machine: other load hides
// the effect (the one alone then shares the caches too).
// With --parallel, each round then runs one search on two workers (`exploreParallel`, the default
// options, a child process) and prints its speed-up over the one alone beside the pair's: how near
// the parallel search comes to the ceiling measured in the same minute.

import { spawn } from 'node:child_process';
import { Worker, parentPort } from 'node:worker_threads';
import { loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { explore, exploreParallel } from '@mmreplay/explorer';
import { resolveModel } from '@mmreplay/model';
import { searchEnv } from './huge-pages.js';
import { UNBOUNDED, option, seedRequest } from './args.js';

const SELF = fileURLToPath(import.meta.url);

async function child(n, workers) {
  const { world } = resolveModel(seedRequest(n));
  const bounds = UNBOUNDED;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = workers > 1 ? await exploreParallel(world, { workers, bounds }) : explore(world, { bounds });
  const c = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({ states: r.statesStored, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 }));
}

/** k searches as worker threads of this process: each one's wall time, and the process's CPU time shared out among them. */
async function threadsChild(n, k) {
  const c0 = process.cpuUsage();
  const walls = await Promise.all(
    Array.from(
      { length: k },
      () =>
        new Promise((done, fail) => {
          const w = new Worker(SELF, { argv: ['thread', String(n)] });
          w.once('message', done);
          w.once('error', fail);
        }),
    ),
  );
  const c = process.cpuUsage(c0);
  const cpu = (c.user + c.system) / 1e6 / k;
  process.stdout.write(JSON.stringify(walls.map((r) => ({ ...r, cpu }))));
}

/**
 * One search (a child process), or with `threads` k of them as threads of one child process, or with
 * `workers` one search on that many workers: their figures, in a list.
 */
function run(n, threads = 0, workers = 1) {
  return new Promise((done, fail) => {
    const args = threads > 0 ? ['threads', String(n), String(threads)] : ['child', String(n), String(workers)];
    const p = spawn(process.execPath, ['--max-old-space-size=8192', SELF, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: searchEnv() });
    let out = '';
    let err = '';
    p.stdout.on('data', (d) => (out += d));
    p.stderr.on('data', (d) => (err += d));
    p.on('close', (code) => (code === 0 ? done([JSON.parse(out)].flat()) : fail(new Error(`search failed: ${err}`))));
  });
}

if (process.argv[2] === 'thread') {
  const { world } = resolveModel({ scenario: 'seed', params: { ptes: Number(process.argv[3]), faults: Number(process.argv[3]) } });
  const t0 = performance.now();
  const r = explore(world, { bounds: UNBOUNDED });
  parentPort.postMessage({ states: r.statesStored, wall: (performance.now() - t0) / 1000 });
} else if (process.argv[2] === 'threads') {
  await threadsChild(Number(process.argv[3]), Number(process.argv[4]));
} else if (process.argv[2] === 'child') {
  await child(Number(process.argv[3]), Number(process.argv[4]));
} else {
  const n = Number(option('n', 6));
  const runs = Number(option('runs', 3));
  const threads = process.argv.includes('--threads');
  const parallel = process.argv.includes('--parallel');
  const fmt = (r) => `${r.wall.toFixed(2)} s (${r.cpu.toFixed(2)} CPU s)`;
  const ceilings = [];
  const speedUps = [];
  for (let k = 0; k < runs; k++) {
    const [alone] = await run(n, threads ? 1 : 0);
    const load = loadavg()[0].toFixed(1);
    const pair = threads ? await run(n, 2) : (await Promise.all([run(n), run(n)])).flat();
    if (pair.some((r) => r.states !== alone.states)) throw new Error('the searches disagree on the state count');
    const slowest = Math.max(...pair.map((r) => r.wall));
    const ceiling = (2 * alone.wall) / slowest;
    ceilings.push(ceiling);
    console.log(
      `N = ${n}, ${alone.states} states${threads ? ', threads of one process' : ''}: alone ${fmt(alone)}; two at once ${pair.map(fmt).join(' and ')}; ` +
        `each ${(slowest / alone.wall).toFixed(2)}x alone, two searches' throughput ${ceiling.toFixed(2)}x one (load ${load} before the pair)`,
    );
    if (parallel) {
      const [two] = await run(n, 0, 2);
      if (two.states !== alone.states) throw new Error('the parallel search disagrees on the state count');
      speedUps.push(alone.wall / two.wall);
      console.log(
        `  two workers ${fmt(two)}: ${(alone.wall / two.wall).toFixed(2)}x one, ${((alone.wall / two.wall / ceiling) * 100).toFixed(0)} % of the ceiling`,
      );
    }
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  console.log(`median: two searches at once do ${median(ceilings).toFixed(2)}x the work of one in the same time`);
  if (parallel) console.log(`median: one search on two workers is ${median(speedUps).toFixed(2)}x one worker`);
}
