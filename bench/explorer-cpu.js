// CPU time of the exhaustive search alone (issue 15), for comparing two builds under the same load:
// `node bench/explorer-cpu.js [--n 6] [--runs 3] [--workers 1] [--partitioned] [--base ROOT]`.
// Each run is a child process that resolves the seed at N (kernel protocol, default reductions)
// and times `explore` (or `exploreParallel` with --workers > 1, or `explorePartitioned`, the
// parallel algorithm on one thread, with --partitioned) with process.cpuUsage() around it; the
// model is resolved before. With --base, the runs alternate between this tree and ROOT (another
// checkout, built with `npm run build`), and the medians and their ratio are printed. Every run's
// states and transitions must agree, or the script exits 1.

import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { dirname, resolve } from 'node:path';

const SELF = fileURLToPath(import.meta.url);
const HERE = resolve(dirname(SELF), '..');

async function child(root, n, workers, partitioned) {
  const lib = (name) => import(pathToFileURL(resolve(root, `libs/${name}/dist/index.js`)).href);
  const { explore, exploreParallel, explorePartitioned } = await lib('explorer');
  const { resolveModel } = await lib('model');
  const { world } = resolveModel({ scenario: 'seed', params: { ptes: n, faults: n } });
  const bounds = { maxSeconds: 3000, maxStates: 2e9, maxMemoryMB: 8000 };
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  let r;
  if (partitioned) r = explorePartitioned(world, workers, { maxStates: bounds.maxStates, maxSeconds: bounds.maxSeconds, maxDepth: 100_000 });
  else if (workers > 1) r = await exploreParallel(world, { bounds, workers, sequentialFirst: 0 });
  else r = explore(world, { bounds });
  const c = process.cpuUsage(c0);
  const wall = (performance.now() - t0) / 1000;
  const out = { verdict: r.verdict, states: r.statesStored, transitions: r.transitions, cpu: (c.user + c.system) / 1e6, wall };
  process.stdout.write(JSON.stringify(out));
}

function option(name, fallback) {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : process.argv[i + 1];
}

if (process.argv[2] === 'child') {
  await child(process.argv[3], Number(process.argv[4]), Number(process.argv[5]), process.argv[6] === 'partitioned');
} else {
  const n = Number(option('n', 6));
  const runs = Number(option('runs', 3));
  const workers = Number(option('workers', 1));
  const partitioned = process.argv.includes('--partitioned');
  const base = option('base', null);
  const roots = base ? [resolve(base), HERE] : [HERE];
  const cpu = roots.map(() => []);
  let counts = null;
  for (let k = 0; k < runs; k++) {
    roots.forEach((root, i) => {
      const p = spawnSync(process.execPath, ['--max-old-space-size=8192', SELF, 'child', root, String(n), String(workers), partitioned ? 'partitioned' : ''], {
        encoding: 'utf8',
        maxBuffer: 1 << 20,
      });
      if (p.status !== 0) throw new Error(`run failed in ${root}: ${p.stderr}`);
      const r = JSON.parse(p.stdout);
      const load = loadavg()[0].toFixed(1);
      console.log(`${root}: ${r.verdict}, ${r.states} states, ${r.transitions} transitions, ${r.cpu.toFixed(2)} CPU s, ${r.wall.toFixed(2)} s, load ${load}`);
      const c = `${r.verdict} ${r.states} ${r.transitions}`;
      if (counts !== null && c !== counts) {
        console.error(`the runs disagree: ${counts} against ${c}`);
        process.exit(1);
      }
      counts = c;
      cpu[i].push(r.cpu);
    });
  }
  const median = (a) => [...a].sort((x, y) => x - y)[Math.floor(a.length / 2)];
  const states = Number(counts.split(' ')[1]);
  roots.forEach((root, i) =>
    console.log(`median ${root}: ${median(cpu[i]).toFixed(2)} CPU s, ${Math.round(states / median(cpu[i])).toLocaleString('en')} states per CPU-second`),
  );
  if (base) console.log(`base / this tree: ${(median(cpu[0]) / median(cpu[1])).toFixed(2)}x`);
}
