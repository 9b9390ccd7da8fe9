#!/usr/bin/env node
// Counts of mutation results per source file, and their sum: what BENCHMARKS.md's "whole
// library" rows add up.
//
//   node mutation/summary.mjs <lib>              every file's last result, from mutation/incremental/<lib>[-*].json
//   node mutation/summary.mjs --events <dir>     what a run (finished or stopped) has tested so far, from the
//                                                event-recorder reporter's files (reports/mutation/events/<lib>[-<batch>])
//
// A mutant measured by several batches counts once, from the incremental file committed last (the
// one being written, uncommitted, is newer than any); a batch over another version of the file
// replaces the older results of that file entirely. Files whose source changed since are marked STALE. Static mutants left out of a run are
// `Ignored` and not counted; score = (killed + timeout) / (killed + timeout + survived + no coverage).
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const STATUSES = ['Killed', 'Timeout', 'Survived', 'NoCoverage', 'RuntimeError', 'CompileError', 'Ignored'];

function count(mutants) {
  const c = Object.fromEntries(STATUSES.map((s) => [s, 0]));
  for (const m of mutants) c[m.status] = (c[m.status] ?? 0) + 1;
  return c;
}

function row(name, c) {
  const detected = c.Killed + c.Timeout;
  const valid = detected + c.Survived + c.NoCoverage;
  const covered = detected + c.Survived;
  const pct = (a, b) => (b === 0 ? 'n/a' : `${((100 * a) / b).toFixed(1)} %`);
  return `${name.padEnd(44)} ${String(valid).padStart(6)} ${String(c.Killed).padStart(6)} ${String(c.Timeout).padStart(7)} ${String(c.Survived).padStart(8)} ${String(c.NoCoverage).padStart(6)} ${pct(detected, valid).padStart(8)} ${pct(detected, covered).padStart(8)}`;
}

function print(byFile) {
  console.log(
    `${'file'.padEnd(44)} ${'valid'.padStart(6)} ${'killed'.padStart(6)} ${'timeout'.padStart(7)} ${'survived'.padStart(8)} ${'no-cov'.padStart(6)} ${'score'.padStart(8)} ${'covered'.padStart(8)}`,
  );
  const total = Object.fromEntries(STATUSES.map((s) => [s, 0]));
  for (const [file, { counts, from }] of [...byFile].sort(([a], [b]) => a.localeCompare(b))) {
    console.log(`${row(file, counts)}${from ? `  (${from})` : ''}`);
    for (const s of STATUSES) total[s] += counts[s];
  }
  console.log(row('total', total));
}

// The last result of every mutant of a library, by source file: `Map<file, { mutants: Map<place, mutant>,
// from: Set<incremental file name>, source }>`, from mutation/incremental/<lib>[-*].json as the header
// says. Exported for mutation/unsettled.mjs, which lists the survivors from the same results.
export function lastResults(lib) {
  const dir = 'mutation/incremental';
  const committedAt = (f) => {
    const t = execFileSync('git', ['log', '-1', '--format=%ct', '--', f], { encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', f], { encoding: 'utf8' }).trim();
    return dirty || !t ? statSync(f).mtimeMs / 1000 + 1e10 : Number(t);
  };
  const files = readdirSync(dir)
    .filter((f) => f === `${lib}.json` || (f.startsWith(`${lib}-`) && f.endsWith('.json')))
    .map((f) => join(dir, f))
    .sort((a, b) => committedAt(a) - committedAt(b));
  // mutants by file and place: a batch over some lines of a file (`symmetry.ts:105-139`) keeps the
  // results of another batch over other lines of it
  // results of an older version of a file (its source differs from a newer batch's) are dropped:
  // their places name other code
  const byFile = new Map();
  for (const f of files) {
    for (const [file, v] of Object.entries(JSON.parse(readFileSync(f, 'utf8')).files)) {
      if (byFile.get(file)?.source !== v.source) byFile.set(file, { mutants: new Map(), from: new Set(), source: v.source });
      const entry = byFile.get(file);
      entry.from.add(f.replace(/^.*\//, ''));
      for (const m of v.mutants) {
        const { start, end } = m.location;
        entry.mutants.set(`${start.line}:${start.column}-${end.line}:${end.column} ${m.mutatorName} ${m.replacement ?? ''}`, m);
      }
    }
  }
  return byFile;
}

// stale: the file changed since it was measured (or is gone), so its counts are of other code
export const current = (file, source) => existsSync(file) && readFileSync(file, 'utf8') === source;

function main(args) {
  if (args[0] === '--events') {
    const dir = args[1];
    if (!dir || !existsSync(dir)) throw new Error(`no event directory ${dir}`);
    const mutants = new Map();
    for (const f of readdirSync(dir).filter((f) => f.endsWith('-onMutantTested.json'))) {
      const m = JSON.parse(readFileSync(join(dir, f), 'utf8'));
      const file = m.fileName.replace(/^.*?(libs\/)/, '$1');
      if (!mutants.has(file)) mutants.set(file, []);
      mutants.get(file).push(m);
    }
    print(new Map([...mutants].map(([file, ms]) => [file, { counts: count(ms) }])));
    return;
  }
  const lib = args[0];
  if (!lib) throw new Error('usage: node mutation/summary.mjs <lib> | --events <dir>');
  const byFile = lastResults(lib);
  print(
    new Map(
      [...byFile].map(([file, e]) => [
        file,
        { counts: count([...e.mutants.values()]), from: `${[...e.from].join(', ')}${current(file, e.source) ? '' : ', STALE: source changed since'}` },
      ]),
    ),
  );
  const stale = [...byFile].filter(([file, e]) => !current(file, e.source)).map(([file]) => file);
  console.log(stale.length ? `stale (source changed since measured): ${stale.join(', ')}` : 'every file current');
}

// run as a command, not when imported
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main(process.argv.slice(2));
