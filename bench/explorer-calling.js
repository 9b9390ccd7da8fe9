// The parallel search's two algorithms (issue 15, ParallelOptions.algorithm), alternated with one
// worker: `node bench/explorer-calling.js [--n 6] [--runs 3] [--gap 3]`. Each round runs, each in a
// child process of its own and `--gap` seconds apart: `explore` (one worker), then `exploreParallel`
// on 2 workers sharing one visited set (the default), then on 2 partitions (partition 0 on the
// calling thread); seed at N, kernel protocol, default reductions, the default first levels. Prints
// each run's wall and CPU time; this machine's speed moves by 15-50 % from minute to minute, so
// compare within a round.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { explore, exploreParallel } from '@mmreplay/explorer';
import { resolveModel } from '@mmreplay/model';
import { searchEnv } from './huge-pages.js';
import { UNBOUNDED, option, seedRequest } from './args.js';

const SELF = fileURLToPath(import.meta.url);
const MODES = ['one', 'shared', 'partitions'];

async function child(n, mode) {
  const { world } = resolveModel(seedRequest(n));
  const bounds = UNBOUNDED;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  const r = mode === 'one' ? explore(world, { bounds }) : await exploreParallel(world, { workers: 2, bounds, algorithm: mode });
  const c = process.cpuUsage(c0);
  process.stdout.write(JSON.stringify({ states: r.statesStored, wall: (performance.now() - t0) / 1000, cpu: (c.user + c.system) / 1e6 }));
}

if (process.argv[2] === 'child') {
  await child(Number(process.argv[3]), process.argv[4]);
} else {
  const n = Number(option('n', 6));
  const runs = Number(option('runs', 3));
  const gap = option('gap', '3');
  let states = null;
  for (let k = 0; k < runs; k++) {
    const row = [];
    for (const mode of MODES) {
      spawnSync('sleep', [gap]);
      const p = spawnSync(process.execPath, ['--max-old-space-size=8192', SELF, 'child', String(n), mode], { encoding: 'utf8', env: searchEnv() });
      if (p.status !== 0) throw new Error(`${mode} failed: ${p.stderr}`);
      const r = JSON.parse(p.stdout);
      if (states !== null && r.states !== states) throw new Error(`the searches disagree: ${states} states against ${r.states}`);
      states = r.states;
      row.push(`${mode} ${r.wall.toFixed(2)} s (${r.cpu.toFixed(2)} CPU s)`);
    }
    console.log(`N = ${n}, ${states} states: ${row.join('; ')}`);
  }
}
