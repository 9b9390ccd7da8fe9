import { describe, expect, it } from 'vitest';
import { resolveModel, scenarios, VariantNotApplicableError } from './scenarios/registry.js';
import type { Variant } from './variants/variant.js';
import { assertPathsCanRun } from './termination.js';

// The static check a variant's paths pass before anything runs them (a run: 422; an audit: 422;
// the reductions fuzz: a variant drawn again). The runs' side, prepareRun refusing with the step
// named and a conditional loop left to the engine's bound, is in libs/runs (termination.spec.ts).

const insert = (...steps: { label: string; op: string; args: (string | number)[] }[]): Variant => ({
  name: 'hostile',
  patches: [{ op: 'insert', path: 'migrate_pages', after: 'U2.locked', steps: steps as never }],
});

describe('assertPathsCanRun', () => {
  it('no built-in scenario, variant or memory model is refused (no false alarm)', () => {
    let checked = 0;
    for (const s of scenarios()) {
      for (const variant of [undefined, ...s.variants.map((v) => v.name)]) {
        for (const memoryModel of ['sc', 'tso', 'lkmm'] as const) {
          let world;
          try {
            world = resolveModel({ scenario: s.name, variant, memoryModel }).world;
          } catch {
            continue; // a combination the scenario does not offer
          }
          expect(() => assertPathsCanRun(world), `${s.name} ${variant ?? 'kernel'} ${memoryModel}`).not.toThrow();
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(20);
  });

  it.each([
    ['jmp to itself', insert({ label: 'X1', op: 'jmp', args: ['X1'] }), /X1.*jmp to itself/],
    ['a loop of local jumps', insert({ label: 'X1', op: 'nop', args: [] }, { label: 'X2', op: 'jmp', args: ['X1'] }), /X1.*never reaches an atomic step/],
    ['ret without call', insert({ label: 'X1', op: 'ret', args: [] }), /X1.*'ret' is reached without a 'call'/],
    [
      'a recursive call',
      insert(
        { label: 'X0', op: 'jmp', args: ['X3'] },
        { label: 'X1', op: 'lock_page', args: ['src'] },
        { label: 'X2', op: 'call', args: ['X1'] },
        { label: 'X3', op: 'call', args: ['X1'] },
      ),
      /X2.*recurses/,
    ],
  ])('%s: VariantNotApplicableError naming the step', (_name, variant, message) => {
    const world = resolveModel({ scenario: 'seed', variant }).world;
    expect(() => assertPathsCanRun(world)).toThrow(VariantNotApplicableError);
    expect(() => assertPathsCanRun(world)).toThrow(message);
  });

  it('a conditional local loop that never exits passes (the engine bounds it at run time)', () => {
    const world = resolveModel({
      scenario: 'seed',
      variant: insert({ label: 'X1', op: 'mov', args: ['ok', 0] }, { label: 'X2', op: 'beq', args: ['ok', 0, 'X2'] }),
    }).world;
    expect(() => assertPathsCanRun(world)).not.toThrow();
  });
});
