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

// Tests run against the TypeScript sources of sibling libraries (the `@mmreplay/source`
// export condition), so no build is needed first. swc keeps decorator metadata for Nest DI.
export function projectTestConfig(name: string) {
  return defineConfig({
    plugins: [swc.vite({ module: { type: 'es6' } })],
    resolve: { conditions: ['@mmreplay/source', 'node', 'import', 'default'] },
    ssr: { resolve: { conditions: ['@mmreplay/source', 'node', 'import', 'default'] } },
    test: {
      name,
      environment: 'node',
      // MUTATE_SPECS (comma-separated, under the library) narrows a mutation run to the specs that
      // test the mutated files directly: a surviving mutant reruns every spec that covers it.
      include: process.env.MUTATE_SPECS ? process.env.MUTATE_SPECS.split(',').map((f) => f.trim()) : ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
      exclude: ['**/node_modules/**', ...(process.env.MMREPLAY_MUTATION === '1' ? OUT_OF_PROCESS : [])],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  });
}
