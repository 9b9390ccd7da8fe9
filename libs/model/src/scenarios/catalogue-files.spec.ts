import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CATALOGUE_DOCUMENTS } from './catalogue-files.js';
import { parseDocumentText } from '../document/load.js';
import { documentToYaml, exportParametric } from '../document/export.js';
import { scenarios } from './registry.js';

// The built-in catalogue is libs/model/catalogue/*.yaml, scenario documents loaded by the same
// parser as a user's. The model lib does no I/O, so catalogue-files.ts carries them parsed from
// YAML (YAML's syntax is slow to parse at every start: seed.yaml takes most of a second); this
// test keeps the two equal (MMREPLAY_WRITE_CATALOGUE=1 rewrites catalogue-files.ts from the files).

const dir = fileURLToPath(new URL('../../catalogue/', import.meta.url));
const moduleFile = fileURLToPath(new URL('./catalogue-files.ts', import.meta.url));
/** written by hand from an export: `repeat` and expressions over the parameters (which change the world's shape: an export cannot say that) */
const HAND_WRITTEN = new Set(['seed']);
/** The catalogue order (the order `scenarios()` lists, the API and CLI show): a new file goes where it belongs here. */
const ORDER = [
  'seed',
  'c1-exec-stack',
  'c3-remap-file-pages',
  'c6-ttu-sync',
  'c8-shmem-refcount',
  'c10-device-private',
  'c11-split-order',
  'c5-pmd-wait',
  'c12-fork',
  'c13-mremap',
  'c14-pte-retract',
  'litmus-mp',
  'litmus-sb',
  'litmus-lb',
  'litmus-2+2w',
];

function moduleText(): string {
  const order = ORDER.map((name) => `${name}.yaml`);
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
  it('catalogue-files.ts carries exactly the text of libs/model/catalogue/*.yaml, in catalogue order', () => {
    const text = moduleText();
    if (process.env.MMREPLAY_WRITE_CATALOGUE === '1') writeFileSync(moduleFile, text);
    expect(readFileSync(moduleFile, 'utf8')).toBe(text);
    expect(CATALOGUE_DOCUMENTS.map(([f]) => f)).toEqual(ORDER.map((name) => `${name}.yaml`));
  });

  it('each file is named after its scenario', () => {
    for (const [file, value] of CATALOGUE_DOCUMENTS) expect((value as { name: string }).name).toBe(file.replace(/\.yaml$/, ''));
  });

  it('each file but the hand-written ones is what exportParametric writes for the scenario it loads to', () => {
    // The files were written by this export (from the TypeScript builders the catalogue had
    // before issue 13): loaded, exported and read back, each is the same document again, up to
    // YAML anchors and the order of keys. The export's templates find every parameter again.
    const names = scenarios().map((s) => s.name);
    expect(names).toEqual(ORDER);
    for (const s of scenarios()) {
      if (HAND_WRITTEN.has(s.name)) continue;
      const { document, fixed } = exportParametric(s);
      expect(fixed, s.name).toEqual([]);
      const file = CATALOGUE_DOCUMENTS.find(([f]) => f === `${s.name}.yaml`)![1];
      expect(parseDocumentText(documentToYaml(document)).value, s.name).toEqual(file);
    }
  });

  it('the catalogue files without YAML anchors are, byte for byte, the text documentToYaml writes for their export', () => {
    // Where the TypeScript builders shared one object between steps, their export wrote a YAML
    // anchor for it (`&a1`), which a loaded document no longer shares, and some keys in the
    // builders' order; the other files are the export's text, the title and a note above it.
    const byteForByte: string[] = [];
    for (const s of scenarios()) {
      if (HAND_WRITTEN.has(s.name)) continue;
      const text = readFileSync(`${dir}${s.name}.yaml`, 'utf8');
      if (text.includes('&a1')) continue;
      expect(text, s.name).toBe(`# ${s.title}\n${text.split('\n')[1]}\n${documentToYaml(exportParametric(s).document)}`);
      byteForByte.push(s.name);
    }
    expect(byteForByte).toEqual(['c1-exec-stack', 'c3-remap-file-pages', 'c8-shmem-refcount', 'c10-device-private']);
  });
});
