// StrykerJS over one core library at a time: `MUTATE_LIB=projections npx stryker run`, or
// `npm run test:mutation -- projections event-store` (mutation/run.mjs) for several in turn.
// The sandbox is a copy of the repository (node_modules linked), so each library's tests run
// with its own vitest config exactly as `nx test <lib>` runs them.
const lib = process.env.MUTATE_LIB;
if (!lib) throw new Error('set MUTATE_LIB to a library under libs/ (model, engine, explorer, projections, event-store, teams)');

export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  // MUTATE_RELATED=0: run the chosen specs even when none imports a mutated file directly (model's
  // paths/* are reached only through the scenario registry, which vitest's `related` does not follow).
  vitest: { configFile: `libs/${lib}/vitest.config.ts`, dir: `libs/${lib}`, related: process.env.MUTATE_RELATED !== '0' },
  // Not mutated: tests and shared test suites (contract/), barrels, benchmarks, and the EventStoreDB
  // adapter (esdb/), which needs a server this machine cannot run (its tests are skipped here).
  // MUTATE_FILES (comma-separated globs under libs/<lib>/src, e.g. `partial-order.ts,footprint.ts`)
  // narrows a run to a batch of files so that one run fits in 10-30 minutes on a loaded machine.
  mutate: [
    ...(process.env.MUTATE_FILES ? process.env.MUTATE_FILES.split(',').map((f) => `libs/${lib}/src/${f.trim()}`) : [`libs/${lib}/src/**/*.ts`]),
    '!**/*.spec.ts',
    '!**/contract/**',
    '!**/esdb/**',
    '!**/index.ts',
    '!**/bench.ts',
  ],
  // `--incremental` reuses the results of mutants whose code and covering tests did not change;
  // one file per library (per batch with MUTATE_BATCH, since a run's file holds only the files it
  // mutated), kept in the repository so that the next run starts from it.
  incrementalFile: `mutation/incremental/${lib}${process.env.MUTATE_BATCH ? `-${process.env.MUTATE_BATCH}` : ''}.json`,
  ignorePatterns: ['.stryker-tmp*', 'dist', 'data', 'coverage', 'reports', '.nx', 'apps/*/dist', 'libs/*/dist', 'bench/results.json'],
  // vitest transpiles with swc, which never type-checks: no `// @ts-nocheck` needed, and model's
  // catalogue-files spec compares the generated file's text, which that header would change.
  disableTypeChecks: false,
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants) need every test rerun each; they are 8 % of the
  // mutants and two thirds of the time. Left out of the score (BENCHMARKS.md says so).
  ignoreStatic: true,
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 2),
  timeoutMS: 20_000,
  // the initial run of a whole suite under a load average of 15-20 takes longer than the default 5 minutes
  dryRunTimeoutMinutes: 30,
  // event-recorder writes every tested mutant as it ends (reports/mutation/events/<lib>[-<batch>]/),
  // so a run stopped at a deadline leaves what it tested; `mutation/events.mjs` sums those files.
  reporters: ['clear-text', 'progress-append-only', 'json', 'html', 'event-recorder'],
  eventReporter: { baseDir: `reports/mutation/events/${lib}${process.env.MUTATE_BATCH ? `-${process.env.MUTATE_BATCH}` : ''}` },
  jsonReporter: { fileName: `reports/mutation/${lib}${process.env.MUTATE_BATCH ? `-${process.env.MUTATE_BATCH}` : ''}.json` },
  htmlReporter: { fileName: `reports/mutation/${lib}${process.env.MUTATE_BATCH ? `-${process.env.MUTATE_BATCH}` : ''}.html` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 80, low: 60, break: null },
};
