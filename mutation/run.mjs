#!/usr/bin/env node
// Mutation testing of the core libraries, one Stryker run per library (see stryker.config.mjs).
// Usage: npm run test:mutation [-- lib ...]; with no argument every core library, explorer last
// (its run is the longest). Scores land in reports/mutation/<lib>.json and are printed at the end.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const CORE = ['model', 'engine', 'projections', 'event-store', 'teams', 'explorer'];
const libs = process.argv.slice(2).length > 0 ? process.argv.slice(2) : CORE;
const unknown = libs.filter((lib) => !CORE.includes(lib));
if (unknown.length > 0) {
  console.error(`not a core library: ${unknown.join(', ')} (one of ${CORE.join(', ')})`);
  process.exit(2);
}

let failed = false;
for (const lib of libs) {
  console.log(`\n=== mutation testing ${lib} ===`);
  const run = spawnSync('npx', ['stryker', 'run'], { stdio: 'inherit', env: { ...process.env, MUTATE_LIB: lib, MMREPLAY_MUTATION: '1' } });
  if (run.status !== 0) failed = true;
}

console.log('\nlibrary       killed  timeout  survived  no-cov  errors  score');
for (const lib of libs) {
  const file = `reports/mutation/${lib}.json`;
  if (!existsSync(file)) continue;
  const counts = {};
  for (const f of Object.values(JSON.parse(readFileSync(file, 'utf8')).files)) {
    for (const m of f.mutants) counts[m.status] = (counts[m.status] ?? 0) + 1;
  }
  const c = (s) => counts[s] ?? 0;
  const detected = c('Killed') + c('Timeout');
  const valid = detected + c('Survived') + c('NoCoverage');
  const score = valid === 0 ? 'n/a' : `${((100 * detected) / valid).toFixed(1)} %`;
  console.log(
    `${lib.padEnd(13)} ${String(c('Killed')).padStart(6)} ${String(c('Timeout')).padStart(8)} ${String(c('Survived')).padStart(9)} ${String(c('NoCoverage')).padStart(7)} ${String(c('RuntimeError') + c('CompileError')).padStart(7)}  ${score}`,
  );
}
process.exit(failed ? 1 : 0);
