import { defineConfig } from 'vitest/config';
import swc from 'unplugin-swc';

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
      include: ['src/**/*.spec.ts', 'test/**/*.spec.ts'],
      testTimeout: 60_000,
      hookTimeout: 60_000,
    },
  });
}
