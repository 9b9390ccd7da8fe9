#!/usr/bin/env node
// Regenerates libs/contracts/src/api-schema.ts (the wire types of the web app and the CLI) from the API's OpenAPI document:
// the built API (`npm run build` first) is started on an in-memory store, its document read, and
// openapi-typescript writes the types. apps/api/test/web/openapi-client.e2e.spec.ts fails when the
// committed file no longer matches the API.
//   node apps/web/scripts/openapi.mjs
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaTypes } from './schema-types.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const { startServer } = await import(join(HERE, '../../api/dist/server.js'));
const { DEFAULT_CONFIG } = await import(join(HERE, '../../api/dist/core/config.js'));
const server = await startServer({ ...DEFAULT_CONFIG, host: '127.0.0.1', port: 0, store: 'memory:' }, { logLevels: ['error'] });
try {
  const document = await (await fetch(`${server.url}/docs/openapi.json`)).json();
  const out = join(HERE, '../../../libs/contracts/src/api-schema.ts');
  writeFileSync(out, await schemaTypes(document));
  console.log(`wrote ${out}`);
} finally {
  await server.close();
}
