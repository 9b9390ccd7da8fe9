import { describe, expect, it } from 'vitest';
import { findScenario, resolveModel, scenarios, VariantNotApplicableError } from '../scenarios/registry.js';
import { parseScenarioDocument } from '../document/load.js';
import type { Variant } from './variant.js';

// Issue 13: a variant patched into a path went through the linker only, so a PTE register where the
// instruction declares a page was accepted and ran. Patched paths now pass the document's checks.

const fieldsOf = (f: () => unknown): string[] => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(VariantNotApplicableError);
    return (e as VariantNotApplicableError).issues.map((i) => i.field);
  }
  return expect.unreachable('the variant was accepted') as never;
};

describe('variant register kinds', () => {
  it("refuses a PTE register where a page is expected (c1-exec-stack's shift_arg_pages), naming the patch's operand", () => {
    const variant: Variant = {
      patches: [
        { op: 'delete', path: 'shift_arg_pages', step: 'X1.vma_adjust' },
        { op: 'insert', path: 'shift_arg_pages', before: 'X2.move_pte', steps: [{ label: 'X2.lock', op: 'lock_page', args: ['from'] }] },
      ],
    };
    const fields = fieldsOf(() => resolveModel({ scenario: 'c1-exec-stack', variant }));
    expect(fields).toEqual(['patches[1].steps[0].args[0]']);
  });

  it('refuses a page register where a PTE is expected, and a label no step has', () => {
    const wrongKind: Variant = {
      patches: [{ op: 'insert', path: 'migrate_pages', before: 'U2', steps: [{ label: 'p', op: 'ptl_lock', args: ['src'] }] }],
    };
    expect(fieldsOf(() => resolveModel({ scenario: 'seed', variant: wrongKind }))[0]).toBe('patches[0].steps[0].args[0]');
    expect(() => resolveModel({ scenario: 'seed', variant: wrongKind })).toThrow(/ptl_lock's operand 'pte' is a pte register; 'src' is a page register/);
    const nowhere: Variant = {
      patches: [{ op: 'insert', path: 'migrate_pages', before: 'U2', steps: [{ label: 'j', op: 'jmp', args: ['nowhere'] }] }],
    };
    expect(fieldsOf(() => resolveModel({ scenario: 'seed', variant: nowhere }))[0]).toBe('patches[0].steps[0].args[0]');
  });

  it("a document's named variant and switch patch sets get the same checks at load, with their fields", () => {
    const doc = JSON.parse(JSON.stringify(findScenario('c1-exec-stack')!.document)) as { variants?: unknown[]; switches?: unknown[] };
    const bad = { op: 'insert', path: 'shift_arg_pages', before: 'X2.move_pte', steps: [{ label: 'X2.lock', op: 'lock_page', args: ['to'] }] };
    const withVariant = { ...doc, variants: [...(doc.variants ?? []), { name: 'lock-the-pte', patches: [bad] }] };
    const r = parseScenarioDocument(withVariant);
    expect(r.ok).toBe(false);
    expect(r.problems.map((p) => p.path)).toContain(`variants[${(doc.variants ?? []).length}].patches[0].steps[0].args[0]`);
    const withSwitch = { ...doc, switches: [...(doc.switches ?? []), { name: 'LOCK', values: ['no', 'yes'], default: 'no', patches: { yes: [bad] } }] };
    const s = parseScenarioDocument(withSwitch);
    expect(s.ok).toBe(false);
    expect(s.problems.map((p) => p.path)).toContain(`switches[${(doc.switches ?? []).length}].patches.yes[0].steps[0].args[0]`);
  });

  it('every built-in named variant still resolves (the checks refuse nothing the catalogue has)', () => {
    for (const s of scenarios()) {
      for (const v of s.variants) expect(() => resolveModel({ scenario: s.name, variant: v.name })).not.toThrow();
      for (const w of s.switches)
        for (const value of w.values) expect(() => resolveModel({ scenario: s.name, variant: { switches: { [w.name]: value } } })).not.toThrow();
    }
  });
});
