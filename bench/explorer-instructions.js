// Instructions, not seconds (issue 15): what the parallel search costs over `explore`, counted in a
// way this machine's moving speed cannot blur. `node bench/explorer-instructions.js [--n 6]
// [--variants one,alone,workers-2] [--top 25]`.
// Each variant runs once under valgrind's callgrind (seed at N, kernel protocol, default
// reductions, in a child of this script), which counts every instruction of every thread of the
// process; valgrind runs the threads one at a time, so two threads cannot slow each other and the
// machine's speed does not enter. What still moves a count is V8: when its optimised code replaces
// the baseline's depends on its compiler threads' timing, and a run whose hot functions stay on the
// baseline tier longer counts more (the same variant has counted 88.9 and 102.9 G at N = 6;
// 'JavaScript, not yet optimised' and the builtins' `*_Baseline` and IC handlers show it), so run a
// variant twice before trusting a difference of a few per cent. Node runs with --perf-basic-prof
// (its JIT code's addresses and names, /tmp/perf-PID.map) and --no-compact-code-space (the code
// stays where the map says), so the JIT code is attributed to its JavaScript functions (by address:
// code freed and its space reused can be misnamed, so a function's count is approximate where the
// kind's total is not; a worker isolate's code is mostly missing from the map and counted apart).
// Prints per variant the instructions by kind (optimised JavaScript, JavaScript not yet optimised,
// the optimising compiler, the garbage collector, V8's builtins and the rest), then the functions
// whose counts differ most from the first variant's. A variant takes about 25x its time without
// valgrind (N = 6: 3-5 min).
// Variants: one (`explore`), alone (`exploreSharedAlone`, the parallel search's code on the calling
// thread alone), workers-W (`exploreParallel` on W workers sharing one visited set, the defaults
// but the first levels, which start on the workers at once).

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { UNBOUNDED, option, seedRequest } from './args.js';

const SELF = fileURLToPath(import.meta.url);

/** Runs one variant's search in this process, and nothing else beside it. */
async function child(variant, n) {
  const { explore, exploreParallel, exploreSharedAlone } = await import('@mmreplay/explorer');
  const { resolveModel } = await import('@mmreplay/model');
  const { world } = resolveModel(seedRequest(n));
  const bounds = UNBOUNDED;
  const m = /^workers-(\d+)$/.exec(variant);
  let r;
  if (variant === 'one') r = explore(world, { bounds });
  else if (variant === 'alone') r = exploreSharedAlone(world, { bounds });
  else if (!m) throw new Error(`unknown variant ${variant}: one, alone or workers-W`);
  else r = await exploreParallel(world, { bounds, workers: Number(m[1]), sequentialFirst: 0 });
  process.stdout.write(JSON.stringify({ states: r.statesStored }));
}

/** The JIT code map V8 wrote: sorted [start, end, name] ranges (a later entry for the same start wins). */
function perfMap(pid) {
  const byStart = new Map();
  for (const line of readFileSync(`/tmp/perf-${pid}.map`, 'utf8').split('\n')) {
    const [start, size, ...name] = line.split(' ');
    if (!name.length) continue;
    const s = parseInt(start, 16);
    byStart.set(s, [s, s + parseInt(size, 16), name.join(' ')]);
  }
  return [...byStart.values()].sort((a, b) => a[0] - b[0]);
}

function nameAt(map, address) {
  let lo = 0;
  let hi = map.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (map[mid][0] <= address) lo = mid;
    else hi = mid - 1;
  }
  // a code object's range can hold a smaller one created later: look back a few entries
  for (let i = lo; i >= Math.max(0, lo - 64); i--) if (map[i][0] <= address && address < map[i][1]) return map[i][2];
  return `0x${address.toString(16)} (not in the map)`;
}

/** What kind of work a function is, by its name. */
function kind(name) {
  if (name.endsWith('(not in the map)')) return "JIT code V8 left out of its map (a worker isolate's, mostly)";
  if (/^\*/.test(name)) return 'JavaScript, optimised';
  if (/^[~^+]/.test(name) || /Interpreter|Baseline|BytecodeHandler/.test(name)) return 'JavaScript, not yet optimised';
  if (/compiler::|maglev|Maglev|Turbofan|TurboFan|Scanner|Parser|Bytecode/.test(name)) return 'compilers and parser';
  if (/Marking|Sweep|Scaveng|Evacuat|heap::|Heap::|GC|MemoryChunk|MarkCompact|Mark[A-Z]/.test(name)) return 'garbage collector';
  if (/^Builtins_/.test(name)) return 'builtins';
  return 'the rest (C++, libc, the kernel)';
}

function measure(variant, n) {
  // V8 writes a log per isolate into the working directory with --perf-basic-prof: a scratch one
  const cwd = mkdtempSync(resolve(tmpdir(), 'mmreplay-callgrind-'));
  const out = resolve(cwd, 'callgrind.out');
  const p = spawnSync(
    'valgrind',
    [
      '--tool=callgrind',
      '--smc-check=all-non-file',
      `--callgrind-out-file=${out}`,
      process.execPath,
      '--perf-basic-prof',
      '--no-compact-code-space',
      '--max-old-space-size=8192',
      SELF,
      'child',
      variant,
      String(n),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 26, cwd },
  );
  if (p.status !== 0) throw new Error(`${variant} failed under valgrind: ${p.stderr.slice(-2000)}`);
  const result = JSON.parse(p.stdout);
  const pid = Number(/^pid: (\d+)/m.exec(readFileSync(out, 'utf8').slice(0, 4096))[1]);
  const map = perfMap(pid);
  const annotated = spawnSync('callgrind_annotate', ['--threshold=100', out], { encoding: 'utf8', maxBuffer: 1 << 28 }).stdout;
  const functions = new Map();
  let total = 0;
  for (const line of annotated.split('\n')) {
    const m = /^\s*([\d,]+) \(\s*[\d.]+%\)\s+(.*)$/.exec(line);
    if (!m) continue;
    const count = Number(m[1].replaceAll(',', ''));
    if (m[2].includes('PROGRAM TOTALS')) {
      total = count;
      continue;
    }
    const jit = /\?\?\?:0x([0-9a-f]+)(?:'\d+)? \[\?\?\?\]/.exec(m[2]);
    // callgrind marks a function's recursion depth with 'N; the depths are one function here
    const name = (jit ? nameAt(map, parseInt(jit[1], 16)) : m[2].replace(/ \[.*\]$/, '').replace('???:', ''))
      .replace(/^(JS|LazyCompile|Function):/, '')
      .replace(/'\d+$/, '');
    functions.set(name, (functions.get(name) ?? 0) + count);
  }
  rmSync(cwd, { recursive: true, force: true });
  rmSync(`/tmp/perf-${pid}.map`, { force: true });
  return { variant, states: result.states, total, functions };
}

if (process.argv[2] === 'child') await child(process.argv[3], Number(process.argv[4]));
else await main();

async function main() {
  const n = Number(option('n', 6));
  const variants = option('variants', 'one,alone,workers-2').split(',');
  const top = Number(option('top', 25));
  const G = (x) => (x / 1e9).toFixed(2);
  const runs = [];
  for (const v of variants) {
    const r = measure(v, n);
    if (runs.length > 0 && r.states !== runs[0].states) throw new Error(`${v} stored ${r.states} states, ${runs[0].variant} ${runs[0].states}`);
    runs.push(r);
    const kinds = new Map();
    for (const [name, c] of r.functions) kinds.set(kind(name), (kinds.get(kind(name)) ?? 0) + c);
    const against = runs.length > 1 ? `, ${(r.total / runs[0].total).toFixed(3)}x ${runs[0].variant}` : '';
    console.log(`seed N = ${n}, ${v}: ${r.states} states, ${G(r.total)} G instructions${against}`);
    for (const [k, c] of [...kinds].sort((a, b) => b[1] - a[1])) console.log(`  ${k}: ${G(c)} G`);
  }
  for (const r of runs.slice(1)) {
    console.log(`\n${r.variant} against ${runs[0].variant}, the functions that differ most (G instructions):`);
    const names = new Set([...r.functions.keys(), ...runs[0].functions.keys()]);
    const diff = [...names].map((name) => [name, (r.functions.get(name) ?? 0) - (runs[0].functions.get(name) ?? 0)]);
    diff.sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]));
    for (const [name, d] of diff.slice(0, top))
      console.log(
        `  ${d >= 0 ? '+' : '-'}${G(Math.abs(d))}  ${G(runs[0].functions.get(name) ?? 0)} -> ${G(r.functions.get(name) ?? 0)}  ${name.slice(0, 120)}`,
      );
  }
}
