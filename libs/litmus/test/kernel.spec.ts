import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLitmus, parseLitmus } from '../src/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'kernel');
const files = readdirSync(dir).filter((f) => f.endsWith('.litmus')).sort();

// The kernel's own litmus tests (tools/memory-model/litmus-tests/, see kernel/README.md): each
// documents its LKMM result in a `Result:` line; ours must be that result (docs/memory-model.md).
describe('the kernel tree\'s litmus tests', () => {
  it('are all here', () => {
    expect(files.length).toBe(35);
  });

  it.each(files)('%s: Observation equals its documented Result', (file) => {
    const test = parseLitmus(readFileSync(join(dir, file), 'utf8'));
    expect(test.documentedResult).toMatch(/^(Never|Sometimes|Always)$/);
    expect(checkLitmus(test).observation).toBe(test.documentedResult);
  });
});
