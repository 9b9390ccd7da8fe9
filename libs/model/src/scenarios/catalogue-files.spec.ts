import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { referenceScenarios } from './reference.js';
import { CATALOGUE_DOCUMENTS } from './catalogue-files.js';
import { parseDocumentText } from '../document/load.js';
import { documentToYaml, exportParametric } from '../document/export.js';

// The built-in catalogue is libs/model/catalogue/*.yaml, scenario documents loaded by the same
// parser as a user's. The model lib does no I/O, so catalogue-files.ts carries them parsed from
// YAML (YAML's syntax is slow to parse at every start: seed.yaml takes most of a second); this
// test keeps the two equal (MMREPLAY_WRITE_CATALOGUE=1 rewrites catalogue-files.ts from the files).
// MMREPLAY_EXPORT_CATALOGUE=1 re-exports the files from the TypeScript reference builders, except
// the ones written by hand (their parameters change the world's shape, which an export cannot say).

const dir = fileURLToPath(new URL('../../catalogue/', import.meta.url));
const moduleFile = fileURLToPath(new URL('./catalogue-files.ts', import.meta.url));
/** written by hand from an export: `repeat` and expressions over the parameters */
const HAND_WRITTEN = new Set(['seed']);

function moduleText(): string {
  const order = referenceScenarios.map((s) => `${s.name}.yaml`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml'));
  files.sort((a, b) => (order.indexOf(a) < 0 ? 1e9 : order.indexOf(a)) - (order.indexOf(b) < 0 ? 1e9 : order.indexOf(b)) || a.localeCompare(b));
  const entries = files.map((f) => {
    const parsed = parseDocumentText(readFileSync(`${dir}${f}`, 'utf8'));
    if (parsed.problems.length) throw new Error(`${f}: ${JSON.stringify(parsed.problems)}`);
    return `  [${JSON.stringify(f)}, ${JSON.stringify(parsed.value)}],`;
  });
  return [
    '// Generated from libs/model/catalogue/*.yaml by catalogue-files.spec.ts (MMREPLAY_WRITE_CATALOGUE=1): edit the YAML files.',
    '// The built-in scenarios, in catalogue order: file name and the file parsed (YAML syntax only; parseScenarioDocument checks and compiles it).',
    'export const CATALOGUE_DOCUMENTS: readonly (readonly [string, unknown])[] = [',
    ...entries,
    '];',
    '',
  ].join('\n');
}

describe('the catalogue files', () => {
  it('catalogue-files.ts carries exactly the text of libs/model/catalogue/*.yaml', () => {
    if (process.env.MMREPLAY_EXPORT_CATALOGUE === '1') {
      for (const s of referenceScenarios) {
        if (HAND_WRITTEN.has(s.name)) continue;
        const { document, fixed } = exportParametric(s);
        expect(fixed, s.name).toEqual([]);
        writeFileSync(
          `${dir}${s.name}.yaml`,
          `# ${s.title}\n# Exported from the TypeScript reference builder (libs/model/src/scenarios/reference.ts).\n${documentToYaml(document)}`,
        );
      }
    }
    const text = moduleText();
    if (process.env.MMREPLAY_WRITE_CATALOGUE === '1' || process.env.MMREPLAY_EXPORT_CATALOGUE === '1') writeFileSync(moduleFile, text);
    expect(readFileSync(moduleFile, 'utf8')).toBe(text);
    expect(CATALOGUE_DOCUMENTS.map(([f]) => f)).toEqual(referenceScenarios.map((s) => `${s.name}.yaml`));
  });

  it('each file but the hand-written ones is, byte for byte, what its TypeScript reference builder exports', () => {
    // what MMREPLAY_EXPORT_CATALOGUE=1 would write: no parameter fixed, the title and a note, then the YAML
    for (const s of referenceScenarios) {
      if (HAND_WRITTEN.has(s.name)) continue;
      const { document, fixed } = exportParametric(s);
      expect(fixed, s.name).toEqual([]);
      const want = `# ${s.title}\n# Exported from the TypeScript reference builder (libs/model/src/scenarios/reference.ts).\n${documentToYaml(document)}`;
      expect(readFileSync(`${dir}${s.name}.yaml`, 'utf8'), s.name).toBe(want);
    }
  });
});
