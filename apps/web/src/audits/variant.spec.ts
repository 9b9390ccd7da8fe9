import { describe, expect, it } from 'vitest';
import { checkVariant } from './variant';

const switches = [
  { name: 'WAIT', values: ['post', 'pre'] },
  { name: 'MIG', values: ['v5', 'v6batch', 'reorder'] },
];

describe('variant JSON checked as typed', () => {
  it('accepts switches and patches', () => {
    const r = checkVariant(
      '{"switches": {"WAIT": "pre"}, "patches": [{"op": "move", "path": "migrate_pages", "step": "U12.unlock_page", "before": "U10.remove_migration_ptes"}]}',
      switches,
    );
    expect(r.issues).toEqual([]);
    expect(r.value).toMatchObject({ switches: { WAIT: 'pre' } });
  });
  it('names each bad field', () => {
    const r = checkVariant('{"switches": {"WAIT": "later", "NOPE": "x"}, "patches": [{"op": "zap"}], "extra": 1}', switches);
    expect(r.value).toBeUndefined();
    expect(r.issues.map((i) => i.field)).toEqual([
      'variant.extra',
      'variant.switches.WAIT',
      'variant.switches.NOPE',
      'variant.patches[0].op',
      'variant.patches[0].path',
      'variant.patches[0].step',
    ]);
  });
  it('reports JSON syntax', () => {
    expect(checkVariant('{"switches": ', switches).issues[0].message).toMatch(/^not JSON/);
    expect(checkVariant('[]', switches).issues[0].field).toBe('variant');
  });
});
