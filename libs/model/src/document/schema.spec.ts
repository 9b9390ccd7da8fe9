import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { scenarioJsonSchema } from './schema.js';

// The JSON Schema editors use is kept in the repository; it must be the one the loader checks.
// `MMREPLAY_WRITE_SCHEMA=1 npx vitest run src/document/schema.spec.ts` rewrites it.
const file = fileURLToPath(new URL('../../schema/scenario.schema.json', import.meta.url));

describe('the scenario JSON Schema', () => {
  it('libs/model/schema/scenario.schema.json is the schema the loader checks documents against', () => {
    const text = `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
    if (process.env.MMREPLAY_WRITE_SCHEMA === '1') writeFileSync(file, text);
    expect(readFileSync(file, 'utf8')).toBe(text);
  });
});
