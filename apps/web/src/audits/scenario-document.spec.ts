import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { documentPath, readScenarioDocument } from './scenario-document';

const YAML = `name: tiny
title: two threads
params:
  - { name: rounds, default: 2, min: 1, max: 4, description: how often }
switches:
  - name: UNLOCK
    values: [after-remove, before-remove]
threads:
  - { name: mig, path: migrate }
  - { name: flt, path: falt }
variants:
  - { name: unlock-early, description: the bug, switches: { UNLOCK: before-remove } }
`;

describe('a scenario document typed into the start form', () => {
  it('gives the form its parameters, switches and named variants, from YAML and from the same document as JSON', () => {
    const yaml = readScenarioDocument(YAML);
    expect(yaml.issues).toEqual([]);
    expect(yaml.outline).toEqual({
      name: 'tiny',
      title: 'two threads',
      params: [{ name: 'rounds', default: 2, min: 1, max: 4, description: 'how often' }],
      switches: [{ name: 'UNLOCK', values: ['after-remove', 'before-remove'] }],
      variants: [{ name: 'unlock-early', description: 'the bug' }],
    });
    const json = readScenarioDocument(JSON.stringify(JSON.parse(JSON.stringify({ name: 'tiny', params: [], threads: [] })), null, 2));
    expect(json.outline?.name).toBe('tiny');
  });

  it('finds the line an API field path points at, or the nearest enclosing line when the field is missing', () => {
    const d = readScenarioDocument(YAML);
    expect(d.lineOf('document.threads[1].path')).toBe(10);
    expect(d.lineOf('document.switches[0].values[1]')).toBe(7);
    expect(d.lineOf('document.variants[0].patches')).toBe(12);
    expect(d.lineOf('document.nothing.here')).toBe(1);
    expect(d.lineOf('variant.switches.X')).toBeUndefined();
  });

  it('says where the text does not parse, and refuses what is not a mapping', () => {
    expect(readScenarioDocument('name: x\n  threads: [').issues[0]).toMatchObject({ field: 'document', message: expect.stringMatching(/^line \d+: /) });
    expect(readScenarioDocument('- a\n- b').issues).toEqual([{ field: 'document', message: expect.stringContaining('mapping') }]);
    expect(readScenarioDocument('  ').issues).toEqual([{ field: 'document', message: expect.stringContaining('empty') }]);
  });

  it('reads field paths as the API writes them', () => {
    expect(documentPath('document.threads[1].path')).toEqual(['threads', 1, 'path']);
    expect(documentPath('document')).toEqual([]);
    expect(documentPath('documents.x')).toBeUndefined();
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.nat(99), fc.stringMatching(/^[A-Za-z_][\w-]{0,8}$/)), { maxLength: 6 }), (keys) => {
        const field = 'document' + keys.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('');
        expect(documentPath(field)).toEqual(keys);
      }),
    );
  });
});
