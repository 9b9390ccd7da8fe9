import { createRequire } from 'node:module';
import { projectTestConfig } from '../../vitest.shared.js';

const require = createRequire(import.meta.url);
const shared = projectTestConfig('api');

// Vitest hands the resolve conditions to Node (`--conditions`) for the packages it does not
// transform. With `import` among them, CommonJS packages that `require('ws')` get ws's ESM wrapper
// (@fastify/websocket then fails); `import` is not needed: Node adds it to every `import` itself.
const conditions = ['@mmreplay/source', 'node', 'default'];

export default {
  ...shared,
  resolve: {
    ...shared.resolve,
    conditions,
    // graphql ships CommonJS (`main`) and ESM (`module`) builds. Node, and so @nestjs/graphql and
    // mercurius, load the CommonJS one; Vite would give our sources the ESM one, and two copies of
    // graphql break `instanceof` checks (custom scalars, errors). Resolve it the way Node does.
    alias: [{ find: /^graphql$/, replacement: require.resolve('graphql') }],
  },
  ssr: { ...shared.ssr, resolve: { ...shared.ssr?.resolve, conditions } },
  // A worker keeps its module graph from one test file to the next: each file importing NestJS,
  // GraphQL and the libraries afresh cost a third of this project's CPU time (274 CPU s against 183-188,
  // session 14). The files start their own servers and set no environment variable, so nothing
  // that one file does reaches the next.
  test: { ...shared.test, testTimeout: 90_000, hookTimeout: 60_000, isolate: false },
};
