import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schemaTypes } from '../../../web/scripts/schema-types.mjs';
import { TestApi } from '../harness.js';

// The web app's client is typed by types generated from this API's OpenAPI document
// (libs/contracts/src/api-schema.ts). When the API changes, the page's type check must see it: this
// fails until `npm run openapi:web` regenerates them.
describe("the web app's typed client", () => {
  let api: TestApi;
  beforeAll(async () => {
    api = await TestApi.start();
  });
  afterAll(() => api?.close());

  it('is generated from the OpenAPI document the API serves now', async () => {
    const document = (await api.get('/docs/openapi.json')).body;
    const committed = readFileSync(join(import.meta.dirname, '../../../../libs/contracts/src/api-schema.ts'), 'utf8');
    expect(committed === (await schemaTypes(document)), 'libs/contracts/src/api-schema.ts is stale: run `npm run openapi:web`').toBe(true);
  });
});
