import { describe, expect, it } from 'vitest';
import { resolveModel, type ResolveRequest } from '@mmreplay/model';
import { Machine, ReplayScheduler, Runtime } from '@mmreplay/engine';
import { explore } from './explorer.js';
import { referenceEnumerate } from './reference-enumerator.js';
import { Symmetry } from './symmetry.js';

// Symmetry needs the rmap walk order `any`: under WALK=fixed VMA i is visited before VMA j and the
// fault tuples of c10-device-private are not interchangeable (issue 20: turning symmetry on there
// went unnoticed by every explorer spec). Verdicts and counterexamples under WALK=fixed, with every
// reduction, against the reference enumerator.

const requests: ResolveRequest[] = ['trylock', 'ref-first'].flatMap((DEVLOCK) =>
  [1, 2].map((passes) => ({ scenario: 'c10-device-private', params: { passes }, variant: { switches: { WALK: 'fixed', DEVLOCK } } })),
);

describe('symmetry under WALK=fixed', () => {
  it('is off for groups with VMAs, and on for the same world with WALK=any', () => {
    const fixed = resolveModel(requests[0]).world;
    expect(new Symmetry(new Machine(fixed)).active).toBe(false);
    const any = resolveModel({ scenario: 'c10-device-private' }).world;
    expect(new Symmetry(new Machine(any)).active).toBe(true);
  });
  it('is on under WALK=fixed where no group names a VMA (the walk order renames none), off where any group does', () => {
    const w = resolveModel({ scenario: 'c10-device-private' }).world;
    const [g] = w.symmetry;
    // the fault threads and their PTEs interchangeable, their VMAs and pages not named
    const noVmas = { ...w, rmapOrder: 'fixed' as const, symmetry: [{ ...g, vmas: [], pages: [] }] };
    expect(new Symmetry(new Machine(noVmas)).active).toBe(true);
    // the same beside a second group that names the VMAs: off
    const oneWithVmas = { ...noVmas, symmetry: [...noVmas.symmetry, { threads: [], ptes: [], vmas: g.vmas, pages: g.pages }] };
    expect(new Symmetry(new Machine(oneWithVmas)).active).toBe(false);
    expect(new Symmetry(new Machine({ ...oneWithVmas, rmapOrder: 'any' })).active).toBe(true);
  });
  for (const req of requests) {
    it(`${JSON.stringify(req.variant)} passes=${JSON.stringify(req.params)}: the reference verdict, a counterexample that replays`, () => {
      const world = resolveModel(req).world;
      const ref = referenceEnumerate(req);
      const r = explore(world);
      expect(r.reductions).not.toContain('symmetry');
      expect(r.verdict).toBe(ref.violated ? 'violated' : 'holds');
      if (r.counterexample) {
        const replay = new ReplayScheduler(r.counterexample.schedule);
        const run = new Runtime(world).run({ scheduler: replay, maxSteps: replay.length });
        expect(run.violation?.invariant).toBe(r.counterexample.invariant);
      }
    });
  }
});
