import { defineConfig } from 'vitest/config';

// Unit tests of the page's pure parts (colours, windows, deltas); the page itself is tested in a
// real browser against the real API: apps/api/test/web/browser.e2e.spec.ts.
export default defineConfig({
  test: { name: 'web', environment: 'node', include: ['src/**/*.spec.ts'] },
});
