// What this machine's two cores give two threads, without any of mmreplay's code (issue 15): the
// ceiling of a two-worker search, measured on kernels whose work never varies. `node
// bench/machine-pair.js [--rounds 3] [--scale 1]`.
// Each kernel runs alone on each core (pinned with taskset), then alone unpinned, then as two
// processes at once (unpinned, as a search's threads are). A kernel is a fixed loop, so a longer
// time is the machine's doing:
// - alu: twelve independent integer chains, no memory (bound by the core's adders);
// - chain: one dependent multiply chain (bound by latency, not by the core's width);
// - reads N MB: eight independent streams of random reads over an N MB table (a hash table's
//   probes; 4 MB sits in the shared cache, 512 MB is main memory, as the visited table of N = 7 is).
// Per kernel and round: each core's time alone, the pair's two times, and two throughputs against
// one alone: `split` = 2 x alone / the slower of the pair (what a search whose levels split evenly
// can reach) and `sum` = alone x (1/a + 1/b) (what perfect balancing can reach).

import { spawnSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { option } from './args.js';

const SELF = fileURLToPath(import.meta.url);
const KERNELS = ['alu', 'chain', 'reads 4', 'reads 32', 'reads 512'];

/** Runs one kernel in this process and returns its seconds (the table is filled before the clock starts). */
function kernel(name, scale) {
  if (name === 'alu') {
    let a0 = 1,
      a1 = 2,
      a2 = 3,
      a3 = 4,
      a4 = 5,
      a5 = 6,
      a6 = 7,
      a7 = 8,
      a8 = 9,
      a9 = 10,
      a10 = 11,
      a11 = 12;
    const n = 4e8 * scale;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      a0 = (a0 + 1) | 0;
      a1 = (a1 + 3) | 0;
      a2 = (a2 + 5) | 0;
      a3 = (a3 + 7) | 0;
      a4 = (a4 + 9) | 0;
      a5 = (a5 + 11) | 0;
      a6 = (a6 ^ i) | 0;
      a7 = (a7 ^ 13) | 0;
      a8 = (a8 + 17) | 0;
      a9 = (a9 ^ 19) | 0;
      a10 = (a10 + 23) | 0;
      a11 = (a11 ^ 29) | 0;
    }
    const s = (performance.now() - t0) / 1000;
    if ((a0 ^ a1 ^ a2 ^ a3 ^ a4 ^ a5 ^ a6 ^ a7 ^ a8 ^ a9 ^ a10 ^ a11) === 42) console.error('');
    return s;
  }
  if (name === 'chain') {
    let x = 1;
    const n = 3e8 * scale;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) x = (Math.imul(x, 0x9e3779b1) + i) | 0;
    const s = (performance.now() - t0) / 1000;
    if (x === 42) console.error('');
    return s;
  }
  const mb = Number(name.split(' ')[1]);
  const t = new Int32Array((mb * 1024 * 1024) / 4);
  for (let i = 0; i < t.length; i++) t[i] = Math.imul(i, 0x9e3779b1);
  const mask = t.length - 1;
  const streams = new Int32Array([1, 2, 3, 4, 5, 6, 7, 8]);
  const n = 2e7 * scale;
  let sum = 0;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < 8; k++) {
      const x = (Math.imul(streams[k], 1664525) + 1013904223) | 0;
      streams[k] = x;
      sum = (sum + t[(x >>> 7) & mask]) | 0;
    }
  }
  const s = (performance.now() - t0) / 1000;
  if (sum === 42) console.error('');
  return s;
}

function once(name, scale, core) {
  const cmd = core === undefined ? [process.execPath] : ['taskset', '-c', String(core), process.execPath];
  const p = spawnSync(cmd[0], [...cmd.slice(1), SELF, 'child', name, String(scale)], { encoding: 'utf8' });
  if (p.status !== 0) throw new Error(`${name} failed: ${p.stderr}`);
  return Number(p.stdout);
}

function pair(name, scale) {
  const one = () =>
    new Promise((done, fail) => {
      const p = spawn(process.execPath, [SELF, 'child', name, String(scale)], { stdio: ['ignore', 'pipe', 'inherit'] });
      let out = '';
      p.stdout.on('data', (d) => (out += d));
      p.on('close', (code) => (code === 0 ? done(Number(out)) : fail(new Error(`${name} failed`))));
    });
  return Promise.all([one(), one()]);
}

if (process.argv[2] === 'child') {
  process.stdout.write(String(kernel(process.argv[3], Number(process.argv[4]))));
} else {
  const rounds = Number(option('rounds', 3));
  const scale = Number(option('scale', 1));
  const f = (x) => x.toFixed(2);
  for (let r = 0; r < rounds; r++) {
    for (const name of KERNELS) {
      const core0 = once(name, scale, 0);
      const core1 = once(name, scale, 1);
      const alone = once(name, scale);
      const [a, b] = await pair(name, scale);
      const split = (2 * alone) / Math.max(a, b);
      const sum = alone * (1 / a + 1 / b);
      console.log(
        `round ${r + 1}, ${name.padEnd(9)}: core 0 ${f(core0)} s, core 1 ${f(core1)} s, unpinned ${f(alone)} s; ` +
          `two at once ${f(a)} and ${f(b)} s; split ${f(split)}x, sum ${f(sum)}x`,
      );
    }
  }
}
