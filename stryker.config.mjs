// StrykerJS over one core library at a time: `MUTATE_LIB=projections npx stryker run`, or
// `npm run test:mutation -- projections event-store` (mutation/run.mjs) for several in turn.
// The sandbox is a copy of the repository (node_modules linked), so each library's tests run
// with its own vitest config exactly as `nx test <lib>` runs them.
const lib = process.env.MUTATE_LIB;
if (!lib) throw new Error('set MUTATE_LIB to a library under libs/ (model, engine, explorer, projections, event-store, teams)');

export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: `libs/${lib}/vitest.config.ts`, dir: `libs/${lib}` },
  // Not mutated: tests and shared test suites (contract/), barrels, benchmarks, and the EventStoreDB
  // adapter (esdb/), which needs a server this machine cannot run (its tests are skipped here).
  mutate: [`libs/${lib}/src/**/*.ts`, '!**/*.spec.ts', '!**/contract/**', '!**/esdb/**', '!**/index.ts', '!**/bench.ts'],
  ignorePatterns: ['dist', 'data', 'coverage', 'reports', '.nx', 'apps/*/dist', 'libs/*/dist', 'bench/results.json'],
  coverageAnalysis: 'perTest',
  // Static mutants (module-level constants) need every test rerun each; they are 8 % of the
  // mutants and two thirds of the time. Left out of the score (BENCHMARKS.md says so).
  ignoreStatic: true,
  concurrency: Number(process.env.MUTATE_CONCURRENCY ?? 2),
  timeoutMS: 20_000,
  reporters: ['clear-text', 'progress-append-only', 'json', 'html'],
  jsonReporter: { fileName: `reports/mutation/${lib}.json` },
  htmlReporter: { fileName: `reports/mutation/${lib}.html` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
  thresholds: { high: 80, low: 60, break: null },
};
