import { projectTestConfig } from '../../vitest.shared.js';
import api from '../api/vitest.config.js';

// test/remote.e2e.spec.ts starts the API in process (apps/api's test harness): resolve packages the
// way apps/api's tests do (one copy of graphql, no `import` condition for CommonJS packages).
// Its specs set process-wide `MMREPLAY_*` variables for the CLI they call: each file keeps its own worker.
const shared = projectTestConfig('cli', { isolated: true });

export default { ...shared, resolve: api.resolve, ssr: api.ssr, test: { ...shared.test, testTimeout: 60_000 } };
