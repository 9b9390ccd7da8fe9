// CPU time of the exhaustive search alone (issue 15), for comparing two builds under the same load:
// `node bench/explorer-cpu.js [--n 6] [--runs 3] [--workers 1] [--alone] [--base ROOT]`.
// Each run is a child process that resolves the seed at N (kernel protocol, default reductions)
// and times `explore` (or `exploreParallel` on --workers > 1 worker threads, started at once; or,
// with --alone, `exploreSharedAlone`, the parallel search's code on the calling thread alone) with
// process.cpuUsage() around it; the model is resolved before. With --base, the runs alternate
// between this tree and ROOT (another checkout, built with `npm run build`), and the medians and
// their ratio are printed. Every run's states and transitions must agree, or the script exits 1.
// Each line also splits the CPU by thread (sampled from /proc/self/task every 200 ms, so a
// thread's last 200 ms may be missing): the main thread, the busiest others, one per worker
// thread, and the rest (V8's compiler and collector threads).

import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, resolve } from 'node:path';
import { hugePagesNote, searchEnv } from './huge-pages.js';
import { UNBOUNDED, option, seedRequest } from './args.js';

const SELF = fileURLToPath(import.meta.url);
const HERE = resolve(dirname(SELF), '..');

/** CPU seconds of each thread of this process so far, by thread id (Linux; empty elsewhere). */
function threadCpu() {
  const out = new Map();
  let tids = [];
  try {
    tids = readdirSync('/proc/self/task');
  } catch {
    return out;
  }
  for (const tid of tids) {
    try {
      const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(f[11]) + Number(f[12])) / 100);
    } catch {
      // the thread ended between the listing and the read
    }
  }
  return out;
}

async function child(root, n, workers, mode) {
  const lib = (name) => import(pathToFileURL(resolve(root, `libs/${name}/dist/index.js`)).href);
  const { explore, exploreParallel, exploreSharedAlone } = await lib('explorer');
  const { resolveModel } = await lib('model');
  const { world } = resolveModel(seedRequest(n));
  const bounds = UNBOUNDED;
  // per thread: the first and the largest CPU seconds seen (a worker's are gone once it ends)
  const seen = new Map();
  const sample = () => {
    for (const [tid, cpu] of threadCpu()) {
      const s = seen.get(tid);
      if (!s) seen.set(tid, { first: cpu, last: cpu });
      else s.last = Math.max(s.last, cpu);
    }
  };
  sample();
  const timer = setInterval(sample, 200);
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let r;
  if (mode === 'alone') r = exploreSharedAlone(world, { bounds });
  else if (workers > 1) r = await exploreParallel(world, { bounds, workers, sequentialFirst: 0 });
  else r = explore(world, { bounds });
  const c = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / 1000;
  sample();
  clearInterval(timer);
  const used = [...seen.entries()].map(([tid, s]) => ({ main: tid === String(process.pid), cpu: s.last - s.first }));
  const others = used.filter((t) => !t.main).sort((a, b) => b.cpu - a.cpu);
  const busiest = mode === 'threads' && workers > 1 ? others.slice(0, workers).map((t) => t.cpu) : [];
  const rest = others.slice(busiest.length).reduce((a, t) => a + t.cpu, 0);
  const split = { main: used.find((t) => t.main)?.cpu ?? 0, workers: busiest, helpers: rest };
  const out = { verdict: r.verdict, states: r.statesStored, transitions: r.transitions, cpu: (c.user + c.system) / 1e6, wall, threads: split };
  process.stdout.write(JSON.stringify(out));
}

if (process.argv[2] === 'child') {
  await child(process.argv[3], Number(process.argv[4]), Number(process.argv[5]), process.argv[6]);
} else {
  const n = Number(option('n', 6));
  const runs = Number(option('runs', 3));
  const workers = Number(option('workers', 1));
  const mode = process.argv.includes('--alone') ? 'alone' : 'threads';
  const base = option('base', null);
  const roots = base ? [resolve(base), HERE] : [HERE];
  const cpu = roots.map(() => []);
  let counts = null;
  for (let k = 0; k < runs; k++) {
    roots.forEach((root, i) => {
      const p = spawnSync(process.execPath, ['--max-old-space-size=8192', SELF, 'child', root, String(n), String(workers), mode], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
        env: searchEnv(),
      });
      if (p.status !== 0) throw new Error(`run failed in ${root}: ${p.stderr}`);
      const r = JSON.parse(p.stdout);
      const load = loadavg()[0].toFixed(1);
      const t = r.threads;
      const split = `main ${t.main.toFixed(2)}${t.workers.map((w) => ` + worker ${w.toFixed(2)}`).join('')} + helpers ${t.helpers.toFixed(2)}`;
      console.log(
        `${root}: ${r.verdict}, ${r.states} states, ${r.transitions} transitions, ${r.cpu.toFixed(2)} CPU s (${split}), ${r.wall.toFixed(2)} s, load ${load}`,
      );
      const c = `${r.verdict} ${r.states} ${r.transitions}`;
      if (counts !== null && c !== counts) {
        console.error(`the runs disagree: ${counts} against ${c}`);
        process.exit(1);
      }
      counts = c;
      cpu[i].push(r.cpu);
    });
  }
  console.log(hugePagesNote());
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const states = Number(counts.split(' ')[1]);
  roots.forEach((root, i) =>
    console.log(`median ${root}: ${median(cpu[i]).toFixed(2)} CPU s, ${Math.round(states / median(cpu[i])).toLocaleString('en')} states per CPU-second`),
  );
  if (base) console.log(`base / this tree: ${(median(cpu[0]) / median(cpu[1])).toFixed(2)}x`);
}
