#!/usr/bin/env node
// A stopped Stryker run writes no incremental file, but its event-recorder reporter has written
// every mutant it tested (reports/mutation/events/<lib>-<batch>/). This writes an incremental
// file from them, keeping the lines at the start of the run's range that it finished: Stryker
// tests a file's mutants in order, so the first line with a planned mutant not tested ends it.
//
//   node mutation/incremental-from-events.mjs <events dir> <out.json>
//
// It prints the lines kept. The file holds each mutant's status, what covered and killed it,
// and today's source (so that summary.mjs compares it with the file as it is); its testFiles
// name the tests without their source, so a later `--incremental` run re-runs these mutants
// rather than reusing them.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';

const [dir, out] = process.argv.slice(2);
if (!dir || !out) throw new Error('usage: node mutation/incremental-from-events.mjs <events dir> <out.json>');
const read = (suffix) =>
  readdirSync(dir)
    .filter((f) => f.endsWith(suffix))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')));
const [plan] = read('-onMutationTestingPlanReady.json');
const [dryRun] = read('-onDryRunCompleted.json');
const tested = new Map(read('-onMutantTested.json').map((m) => [m.id, m]));

const planned = plan.mutantPlans.map((p) => p.mutant);
const files = new Set(planned.map((m) => m.fileName));
if (files.size !== 1) throw new Error(`one mutated file per run, not ${files.size}`);
const [fileName] = files;
// the plan numbers lines from 0 (Stryker's own positions), the tested mutants from 1 (the report's)
const lineOf = (m) => m.location.start.line + 1;
const first = Math.min(...planned.map(lineOf));
const untested = planned.filter((m) => !tested.has(m.id)).map(lineOf);
const last = untested.length ? Math.min(...untested) - 1 : Math.max(...planned.map(lineOf));

// the tests by file, numbered as Stryker numbers them in its own incremental files
const testFiles = {};
const testId = new Map();
for (const t of dryRun.result.tests) {
  const file = relative(process.cwd(), t.fileName);
  testFiles[file] ??= { tests: [] };
  const id = String(testId.size);
  testId.set(t.id, id);
  testFiles[file].tests.push({ id, name: t.name });
}
const ids = (list) => (list ?? []).map((t) => testId.get(t) ?? t);

const mutants = [...tested.values()]
  .filter((m) => m.location.start.line <= last)
  .map(({ fileName: _, coveredBy, killedBy, ...m }) => ({ ...m, coveredBy: ids(coveredBy), killedBy: ids(killedBy) }));
const path = relative(process.cwd(), fileName);
writeFileSync(
  out,
  JSON.stringify({
    schemaVersion: '1.0',
    thresholds: { high: 80, low: 60, break: null },
    projectRoot: process.cwd(),
    files: { [path]: { language: 'typescript', source: readFileSync(fileName, 'utf8'), mutants } },
    testFiles,
  }),
);
console.log(`${path}: lines ${first}-${last}, ${mutants.length} of ${planned.length} planned mutants (${tested.size} tested)`);
