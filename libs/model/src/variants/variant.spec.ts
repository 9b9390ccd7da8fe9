import { describe, expect, it } from 'vitest';
import { InvalidVariantError, parseVariant, type Variant } from './variant.js';
import { InvalidModelRequestError, resolveModel, VariantNotApplicableError } from '../scenarios/registry.js';

describe('variants as JSON', () => {
  it('names the bad field', () => {
    const bad = [
      [{ switches: { WAIT: 3 } }, 'switches.WAIT'],
      [{ patches: [{ op: 'swap', path: 'x' }] }, 'patches[0].op'],
      [{ patches: [{ op: 'insert', path: 'migrate_pages', before: 'U2', steps: [{ label: 'x', op: 'lock_page', args: [] }] }] }, 'patches[0].steps[0].args'],
      [{ patches: [{ op: 'move', path: 'migrate_pages', step: 'U2' }] }, 'patches[0].before'],
      [{ colour: 'red' }, 'colour'],
    ] as const;
    for (const [input, field] of bad) {
      try {
        parseVariant(input);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidVariantError);
        expect((e as InvalidVariantError).issues.map((i) => i.field)).toContain(field);
      }
    }
  });

  it('rejects an unknown switch or switch value as an invalid request (a 400, with the valid names)', () => {
    for (const variant of [{ switches: { STACK: 'walk' } }, { switches: { WAIT: 'sometimes' } }] as Variant[]) {
      expect(() => resolveModel({ scenario: 'seed', variant })).toThrow(InvalidModelRequestError);
    }
  });

  it('rejects a variant that does not fit the scenario (unknown step or path) as not applicable', () => {
    const cases: Variant[] = [
      { patches: [{ op: 'delete', path: 'migrate_pages', step: 'NOPE' }] },
      { patches: [{ op: 'delete', path: 'no_such_path', step: 'U2' }] },
      { patches: [{ op: 'insert', path: 'migrate_pages', after: 'U2.locked', steps: [{ label: 'j', op: 'jmp', args: ['nowhere'] }] }] },
    ];
    for (const variant of cases) expect(() => resolveModel({ scenario: 'seed', variant })).toThrow(VariantNotApplicableError);
  });

  it('a patch equal to a named variant gives the same model hash; any change gives another', () => {
    const named = resolveModel({ scenario: 'seed', variant: 'unlock-before-remove' });
    const asPatch = resolveModel({
      scenario: 'seed',
      variant: { patches: [{ op: 'move', path: 'migrate_pages', step: 'U12.unlock_page', before: 'U10.remove_migration_ptes' }] },
    });
    const kernel = resolveModel({ scenario: 'seed' });
    expect(asPatch.modelHash).toBe(named.modelHash);
    expect(kernel.modelHash).not.toBe(named.modelHash);
    expect(resolveModel({ scenario: 'seed' }).modelHash).toBe(kernel.modelHash);
    expect(resolveModel({ scenario: 'seed', params: { ptes: 2 } }).modelHash).not.toBe(kernel.modelHash);
    const deleted = resolveModel({ scenario: 'seed', variant: { patches: [{ op: 'delete', path: 'handle_mm_fault', step: 'F4.pfn_swap_entry_to_page' }] } });
    expect(deleted.world.paths.handle_mm_fault.steps.some((s) => s.label === 'F4.pfn_swap_entry_to_page')).toBe(false);
    expect(deleted.modelHash).not.toBe(kernel.modelHash);
  });

  it('every step of every built-in path cites its kernel source', () => {
    const w = resolveModel({ scenario: 'seed' }).world;
    for (const def of Object.values(w.paths)) {
      for (const s of def.steps) {
        expect(s.src.file).toMatch(/\.(c|h)$/);
        expect(s.src.version).toMatch(/^v\d/);
      }
    }
  });
});
