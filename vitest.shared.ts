import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';
import swc from 'unplugin-swc';

// Under mutation testing (MMREPLAY_MUTATION=1, set by mutation/run.mjs) the tests that run the
// libraries in another process or thread are left out: those transpile the sources afresh, which
// in Stryker's sandbox are instrumented and cannot run outside the test process.
const OUT_OF_PROCESS = [
  'src/sqlite/sqlite-crash.int.spec.ts',
  'src/sqlite/sqlite-multiprocess.int.spec.ts',
  'src/determinism.spec.ts',
  'src/audit-worker.spec.ts',
  'src/audit-worker-memory.spec.ts',
];

const repository = fileURLToPath(new URL('.', import.meta.url));

/**
 * The spec files of a project that replace a module with `vi.mock` or say `vitest-isolate` (they
 * change process-wide state), relative to the project. A worker that keeps its module graph from
 * one file to the next (below) would hand the mocked module or the changed state to the files after
 * them, or the real module, already loaded, to them.
 */
function specsToIsolate(projectDir: string): string[] {
  return (readdirSync(projectDir, { recursive: true, encoding: 'utf8' }) as string[])
    .filter((f) => f.endsWith('.spec.ts') && !f.includes('node_modules') && !f.startsWith('dist'))
    .filter((f) => /vi\.mock\(|vitest-isolate/.test(readFileSync(join(projectDir, f), 'utf8')))
    .sort();
}

/**
 * A project's vitest configuration. Tests run against the TypeScript sources of sibling libraries
 * (the `@mmreplay/source` export condition), so no build is needed first. swc keeps decorator
 * metadata for Nest DI.
 *
 * A worker keeps its module graph from one test file to the next (`isolate: false`): importing the
 * libraries afresh for every file was half the CPU time of `npm test` in the core libraries (the
 * engine's suite: 64 CPU s isolated, 28 not). The files that mock a module or change process-wide state
 * run in a project of their own with a fresh graph per file. `isolated: true` keeps every file on its own graph, for a
 * project whose specs set process-wide state (the CLI's set `MMREPLAY_*` variables).
 */
export function projectTestConfig(name: string, options: { dir?: string; isolated?: boolean } = {}) {
  const dir = options.dir ?? join(repository, name === 'api' || name === 'cli' || name === 'web' ? 'apps' : 'libs', name);
  // MUTATE_SPECS (comma-separated, under the library) narrows a mutation run to the specs that
  // test the mutated files directly: a surviving mutant reruns every spec that covers it.
  const chosen = process.env.MUTATE_SPECS?.split(',').map((f) => f.trim());
  const include = chosen ?? ['src/**/*.spec.ts', 'test/**/*.spec.ts'];
  const exclude = ['**/node_modules/**', ...(process.env.MMREPLAY_MUTATION === '1' ? OUT_OF_PROCESS : [])];
  const separate = options.isolated ? [] : specsToIsolate(dir).filter((f) => !chosen || chosen.includes(f));
  const common = { environment: 'node' as const, testTimeout: 60_000, hookTimeout: 60_000 };
  // A mutation run (MUTATE_SPECS) gets one project: Stryker's vitest runner finds no tests in a
  // configuration of `projects`, so chosen specs that include one to isolate all run isolated.
  const test =
    options.isolated || separate.length === 0
      ? { name, include, exclude, ...common, isolate: options.isolated === true }
      : chosen
        ? { name, include, exclude, ...common, isolate: true }
        : {
            ...common,
            projects: [
              { extends: true as const, test: { name, include, exclude: [...exclude, ...separate], isolate: false } },
              { extends: true as const, test: { name: `${name} (isolated)`, include: separate, exclude, isolate: true } },
            ],
          };
  return defineConfig({
    plugins: [swc.vite({ module: { type: 'es6' } })],
    resolve: { conditions: ['@mmreplay/source', 'node', 'import', 'default'] },
    ssr: { resolve: { conditions: ['@mmreplay/source', 'node', 'import', 'default'] } },
    test,
  });
}
