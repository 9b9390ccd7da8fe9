import { describe, expect, it } from 'vitest';
import { findScenario, parseScenarioDocument, resolveModel, resolveScenarioModel, type ResolveRequest, type SymmetryGroup } from '@mmreplay/model';
import { explore } from './explorer.js';

// Issue 13: symmetry "declared and verified at load, or derived automatically". The catalogue's
// two scenarios with declared groups (seed, c10-device-private), loaded again without their
// `symmetry`: the derived groups are the declared ones, and the exhaustive searches count the same
// states and give the same verdicts. WALK=fixed derives none.

const withoutSymmetry = (name: string) => {
  const { symmetry: _declared, ...doc } = findScenario(name)!.document!;
  const r = parseScenarioDocument(doc);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return r.scenario;
};

const normal = (gs: readonly SymmetryGroup[]) => gs.map((g) => JSON.stringify([g.threads, g.ptes, g.vmas, g.pages ?? []])).sort();

const requests: ResolveRequest[] = [
  { scenario: 'seed', params: { ptes: 2, faults: 2 } },
  { scenario: 'seed', params: { ptes: 3, faults: 1 } },
  { scenario: 'seed', params: { ptes: 2, faults: 0 } },
  { scenario: 'seed', params: { ptes: 2, faults: 2 }, variant: 'unlock-before-remove' },
  { scenario: 'c10-device-private', params: { passes: 2 } },
  { scenario: 'c10-device-private', params: { passes: 2 }, variant: 'c10-device-ref-first' },
];

describe('derived symmetry', () => {
  for (const req of requests) {
    it(`${req.scenario} ${JSON.stringify(req.params)} ${String(req.variant ?? 'kernel')}: the declared groups, the same states and verdict`, () => {
      const declared = resolveModel(req);
      const derived = resolveScenarioModel(withoutSymmetry(req.scenario), req);
      expect(declared.world.symmetry.length).toBeGreaterThan(0);
      expect(normal(derived.world.symmetry)).toEqual(normal(declared.world.symmetry));
      const a = explore(declared.world);
      const b = explore(derived.world);
      expect(b.reductions).toContain('symmetry');
      expect([b.verdict, b.statesStored, b.transitions]).toEqual([a.verdict, a.statesStored, a.transitions]);
      expect(explore(derived.world, { symmetry: false }).statesStored).toBeGreaterThan(b.statesStored);
    });
  }

  it('WALK=fixed derives none (VMA i is visited before VMA j)', () => {
    const req: ResolveRequest = { scenario: 'c10-device-private', variant: { switches: { WALK: 'fixed' } } };
    expect(resolveScenarioModel(withoutSymmetry(req.scenario), req).world.symmetry).toEqual([]);
  });
});
