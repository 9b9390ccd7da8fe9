// SPIN section: SPIN 6.5.2 on bench/spin/seed.pml, the seed scenario (1 migration thread, N PTEs
// under one PTL, N fault threads, WAIT=post), for N = 5, 6, 7 with partial-order reduction (the
// default) and each state storage the explorer is compared with: collapse compression
// (-DCOLLAPSE, exact) and bitstate hashing (-DBITSTATE, -w32: 2^32 bits, approximate); plus the
// mutant check (-DUNLOCK_BEFORE_REMOVE must give an assertion violation, so the model is not
// vacuous).
//
// Per run: spin -DN=<n> -a seed.pml && gcc -O2 -w -DSAFETY -DMEMLIM=16000 [-DNOREDUCE]
//          [-DCOLLAPSE | -DBITSTATE] -o pan pan.c && ./pan -m1000000 [-w32], in a temporary directory.
//
// Environment:
//   MMREPLAY_SPIN_N=5,6,7         the N values
//   MMREPLAY_SPIN_REDUCTIONS=por  por and/or none (-DNOREDUCE)
//   MMREPLAY_SPIN_STORAGE=collapse,bitstate   exact (pan's default hash table), collapse, bitstate
//   MMREPLAY_SPIN_BITSTATE_N=8    further N values run with -DBITSTATE only (empty for none)
//   MMREPLAY_SPIN_TIMEOUT=120     cap per pan run, seconds (pan is interrupted and its partial
//                                 statistics are reported as status "timeout")
//   MMREPLAY_SPIN_POR_TIMEOUT     cap for the runs with POR (default: MMREPLAY_SPIN_TIMEOUT)
//   MMREPLAY_SPIN_BUDGET=1200     budget for the whole section, seconds (compiles included); runs
//                                 that do not fit are reported as "skipped (budget)"
//   MMREPLAY_SPIN_MEMLIM=16000    pan's -DMEMLIM, MB
//   MMREPLAY_SPIN_PAN_ARGS="-m1000000"   pan's run-time options (e.g. add -w27 to presize the hash)
//   MMREPLAY_SPIN_DEFINES=""      extra spin -D options for the seed model, e.g. "-DRESET_DEAD"
//   MMREPLAY_BENCH_INSTALL=1      as root, apt-get install -y spin when spin is missing

import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { searchEnv } from './huge-pages.js';

const MODEL = join(dirname(fileURLToPath(import.meta.url)), 'spin', 'seed.pml');

const env = process.env;
const NS = (env.MMREPLAY_SPIN_N ?? '5,6,7')
  .split(',')
  .map((s) => Number(s.trim()))
  .filter((n) => n >= 1 && n <= 8);
const TIMEOUT = Number(env.MMREPLAY_SPIN_TIMEOUT ?? 120);
const POR_TIMEOUT = Number(env.MMREPLAY_SPIN_POR_TIMEOUT ?? TIMEOUT);
const BUDGET = Number(env.MMREPLAY_SPIN_BUDGET ?? 1200);
const BITSTATE_NS = (env.MMREPLAY_SPIN_BITSTATE_N ?? '8')
  .split(',')
  .filter((s) => s.trim() !== '')
  .map((s) => Number(s.trim()))
  .filter((n) => n >= 1 && n <= 8 && !NS.includes(n));
const REDUCTIONS = (env.MMREPLAY_SPIN_REDUCTIONS ?? 'por')
  .split(',')
  .map((s) => s.trim())
  .filter((s) => s === 'por' || s === 'none');
const STORAGES = (env.MMREPLAY_SPIN_STORAGE ?? 'collapse,bitstate')
  .split(',')
  .map((s) => s.trim())
  .filter((s) => ['exact', 'collapse', 'bitstate'].includes(s));
const MEMLIM = Number(env.MMREPLAY_SPIN_MEMLIM ?? 16000);
const PAN_ARGS = (env.MMREPLAY_SPIN_PAN_ARGS ?? '-m1000000').split(/\s+/).filter(Boolean);
const DEFINES = (env.MMREPLAY_SPIN_DEFINES ?? '').split(/\s+/).filter(Boolean);
const MUTANT_N = 4;
/** N of the state-count cross-check: `spin -o1` (no data-flow optimisation) without POR stores
 * exactly the interpreter's reachable states (same registers, same stale values). */
const MIRROR_N = 3;

function has(cmd, args) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  return r.error ? null : `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
}

function spinVersion() {
  let v = has('spin', ['-V']);
  if (v === null && env.MMREPLAY_BENCH_INSTALL === '1' && process.getuid?.() === 0) {
    process.stderr.write('spin not found: apt-get install -y spin\n');
    let r = spawnSync('apt-get', ['install', '-y', 'spin'], { stdio: 'inherit' });
    if (r.status !== 0) {
      spawnSync('apt-get', ['update'], { stdio: 'inherit' });
      r = spawnSync('apt-get', ['install', '-y', 'spin'], { stdio: 'inherit' });
    }
    v = has('spin', ['-V']);
  }
  return v;
}

function modelName({ mutant, mirror }) {
  if (mutant) return `mutant unlock-before-remove${DEFINES.length ? ` ${DEFINES.join(' ')}` : ''}`;
  if (mirror) return 'seed, spin -o1 (state-count cross-check)';
  return DEFINES.length ? `seed ${DEFINES.join(' ')}` : 'seed';
}

function skipRow(note) {
  return { N: '-', model: 'seed', reduction: '-', status: 'skipped', statesStored: null, transitions: null, seconds: null, memoryMB: null, errors: null, note };
}

/** Parses pan's report. Numbers may be printed as 1.2636794e+08. */
export function parsePan(out) {
  const num = (re) => {
    const m = out.match(re);
    return m ? Number(m[1]) : null;
  };
  const violation = out.match(/pan:\d*:\s*(.+?)\s*\(at depth/);
  return {
    statesStored: num(/([\d.e+]+) states, stored/),
    transitions: num(/([\d.e+]+) transitions \(= stored\+matched\)/),
    memoryMB: num(/([\d.]+)\s+total actual memory usage/),
    panSeconds: num(/pan: elapsed time ([\d.e+-]+) seconds/),
    errors: num(/errors: (\d+)/),
    depth: num(/depth reached (\d+)/),
    incomplete: /Search not completed/.test(out),
    memlim: /reached -DMEMLIM bound|out of memory/i.test(out),
    interrupted: /Interrupted/.test(out),
    violation: violation ? violation[1] : null,
  };
}

function num(out, re) {
  const m = out.match(re);
  return m ? Number(m[1]) : null;
}

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (r.error || r.status !== 0) throw new Error(`${cmd} ${args.join(' ')}: ${r.error?.message ?? r.stderr}`);
}

/** Runs pan, interrupting it (SIGINT, so that it prints its statistics) after `seconds`. */
function runPan(cwd, seconds, args = PAN_ARGS) {
  return new Promise((resolve) => {
    const t0 = process.hrtime.bigint();
    const child = spawn('./pan', args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], env: searchEnv() });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    let timedOut = false;
    const soft = setTimeout(
      () => {
        timedOut = true;
        child.kill('SIGINT');
      },
      Math.max(1, seconds) * 1000,
    );
    const hard = setTimeout(() => child.kill('SIGKILL'), (Math.max(1, seconds) + 30) * 1000);
    child.on('close', (code, signal) => {
      clearTimeout(soft);
      clearTimeout(hard);
      resolve({ out, code, signal, timedOut, wall: Number(process.hrtime.bigint() - t0) / 1e9 });
    });
  });
}

async function verify({ N, reduction, mutant, mirror, timeout, storage = 'exact' }) {
  const dir = mkdtempSync(join(tmpdir(), 'mmreplay-spin-'));
  try {
    const spinArgs = mirror ? ['-o1', `-DN=${N}`] : [`-DN=${N}`, ...DEFINES];
    if (mutant) spinArgs.push('-DUNLOCK_BEFORE_REMOVE');
    run('spin', [...spinArgs, '-a', MODEL], dir);
    const gccArgs = ['-O2', '-w', '-DSAFETY', `-DMEMLIM=${MEMLIM}`];
    if (reduction === 'none') gccArgs.push('-DNOREDUCE');
    if (storage === 'collapse') gccArgs.push('-DCOLLAPSE');
    if (storage === 'bitstate') gccArgs.push('-DBITSTATE');
    run('gcc', [...gccArgs, '-o', 'pan', 'pan.c'], dir);
    const panArgs = storage === 'bitstate' ? [...PAN_ARGS.filter((a) => !a.startsWith('-w')), '-w32'] : PAN_ARGS;
    const r = await runPan(dir, timeout, panArgs);
    const p = parsePan(r.out);
    let status = 'ok';
    if (p.memlim) status = 'out-of-memory';
    else if (r.timedOut) status = 'timeout';
    else if (p.statesStored === null) status = `error (pan exit ${r.code ?? r.signal})`;
    else if (p.errors > 0)
      status = 'ok'; // pan stops at the first error: expected for the mutant
    else if (p.incomplete) status = 'incomplete';
    const verdict =
      p.errors === null ? '-' : p.errors > 0 ? `violation: ${p.violation ?? 'see pan output'}` : status === 'ok' ? 'no violation' : 'none found so far';
    return {
      N,
      model: modelName({ mutant, mirror }),
      reduction,
      storage,
      status,
      statesStored: p.statesStored,
      transitions: p.transitions,
      seconds: p.panSeconds ?? Number(r.wall.toFixed(2)),
      wallSeconds: Number(r.wall.toFixed(2)),
      memoryMB: p.memoryMB,
      // pan's whole memory over the states stored (bitstate: the fixed table, so not a per-state cost)
      bytesPerState: p.memoryMB && p.statesStored && storage !== 'bitstate' ? Math.round((p.memoryMB * 2 ** 20) / p.statesStored) : null,
      statesPerSecond: p.statesStored && (p.panSeconds ?? r.wall) > 0 ? Math.round(p.statesStored / (p.panSeconds ?? r.wall)) : null,
      errors: p.errors,
      depth: p.depth,
      verdict,
      hashFactor: num(r.out, /hash factor: ([\d.e+]+)/),
      command: `spin ${spinArgs.join(' ')} -a seed.pml && gcc ${gccArgs.join(' ')} -o pan pan.c && ./pan ${panArgs.join(' ')}`,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Section entry point for bench/run.js. */
export async function spin() {
  const version = spinVersion();
  if (version === null) return [skipRow('spin not installed (apt-get install spin)')];
  if (has('gcc', ['--version']) === null) return [skipRow('gcc not installed (needed to compile pan.c)')];
  const started = Date.now();
  const remaining = () => BUDGET - (Date.now() - started) / 1000;
  const rows = [];
  const plan = [
    { N: MUTANT_N, reduction: 'por', mutant: true },
    { N: MIRROR_N, reduction: 'none', mirror: true },
  ];
  for (const N of NS) for (const reduction of REDUCTIONS) for (const storage of STORAGES) plan.push({ N, reduction, storage });
  if (STORAGES.includes('bitstate')) for (const N of BITSTATE_NS) for (const reduction of REDUCTIONS) plan.push({ N, reduction, storage: 'bitstate' });
  for (const job of plan) {
    const skip = (note) => rows.push({ ...skipRow(note), N: job.N, reduction: job.reduction, storage: job.storage ?? 'exact', model: modelName(job) });
    const left = remaining() - 3; // leave time to compile
    if (left < 5) {
      skip(`skipped (section budget of ${BUDGET} s used up; raise MMREPLAY_SPIN_BUDGET)`);
      continue;
    }
    const timeout = Math.min(job.reduction === 'por' ? POR_TIMEOUT : TIMEOUT, left);
    const row = await verify({ ...job, timeout });
    if (row.status === 'timeout') row.note = `pan interrupted after ${Math.round(timeout)} s: states stored so far`;
    if (row.status === 'out-of-memory') row.note = `pan reached -DMEMLIM=${MEMLIM} MB: states stored so far`;
    if (job.mirror) row.note = "equals the interpreter's reachable states without symmetry reduction";
    rows.push(row);
  }
  const mutant = rows.find((r) => r.model === modelName({ mutant: true }));
  if (mutant && mutant.status === 'ok' && !(mutant.errors > 0)) mutant.note = 'MODEL CHECK FAILED: the mutant must violate the assertion';
  const v = version.match(/Spin Version ([\d.]+)/)?.[1] ?? version.split('\n')[0];
  return rows.map((r) => ({ spin: v, ...r }));
}
