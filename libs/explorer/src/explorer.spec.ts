import { describe, expect, it } from 'vitest';
import { resolveModel, type ResolveRequest } from '@mmreplay/model';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import { explore } from './explorer.js';
import { referenceEnumerate } from './reference-enumerator.js';

const world = (req: ResolveRequest) => resolveModel(req).world;
const NO_REDUCTIONS = { symmetry: false, partialOrder: false, deadRegisters: false };

function replays(req: ResolveRequest, schedule: string, invariant: string): void {
  const r = new Runtime(world(req)).run({ scheduler: new ReplayScheduler(schedule), maxSteps: new ReplayScheduler(schedule).length });
  expect(r.outcome).toBe('violation');
  expect(r.violation?.invariant).toBe(invariant);
}

// Reference §5: the buggy variant of each row is violated, the fixed protocol holds, exhaustively.
const rows: { scenario: string; params?: Record<string, number>; buggy: string; invariant: string }[] = [
  { scenario: 'seed', params: { ptes: 2, faults: 2 }, buggy: 'unlock-before-remove', invariant: 'bug-on' },
  { scenario: 'seed', params: { ptes: 2, faults: 2 }, buggy: 'install-before-lock', invariant: 'bug-on' },
  { scenario: 'c1-exec-stack', buggy: 'c1-exec-stack', invariant: 'I3' },
  { scenario: 'c3-remap-file-pages', buggy: 'c3-remap-file-pages', invariant: 'I3' },
  { scenario: 'c6-ttu-sync', buggy: 'c6-no-ttu-sync', invariant: 'split-unmapped' },
  { scenario: 'c8-shmem-refcount', buggy: 'c8-shmem-refcount', invariant: 'migration-progress' },
  { scenario: 'c8-shmem-refcount', buggy: 'c9-reorder-tlb', invariant: 'migration-progress' },
  { scenario: 'c10-device-private', buggy: 'c10-device-ref-first', invariant: 'migration-progress' },
];

describe('exhaustive verdicts of the catalogue', () => {
  for (const row of rows) {
    it(`${row.buggy}: violated (${row.invariant}) with a shortest counterexample that replays`, () => {
      const req = { scenario: row.scenario, params: row.params, variant: row.buggy };
      const r = explore(world(req));
      expect(r.verdict).toBe('violated');
      expect(r.counterexample?.invariant).toBe(row.invariant);
      replays(req, r.counterexample!.schedule, row.invariant);
    });
  }
  for (const scenario of [...new Set(rows.map((r) => r.scenario))]) {
    it(`${scenario}, kernel protocol: holds`, () => {
      const params = scenario === 'seed' ? { ptes: 2, faults: 2 } : undefined;
      expect(explore(world({ scenario, params })).verdict).toBe('holds');
    });
  }
  it('seed with WAIT=pre holds for ptes=2 faults=2 (no BUG, no lost wakeup, no use-after-free)', () => {
    expect(explore(world({ scenario: 'seed', params: { ptes: 2, faults: 2 }, variant: 'wait-pre' })).verdict).toBe('holds');
  });
  it('the seed BUG_ON through unlock-before-remove: the counterexample is minimal (BFS) and names the faulting thread', () => {
    const r = explore(world({ scenario: 'seed', params: { ptes: 3, faults: 3 }, variant: 'unlock-before-remove' }));
    expect(r.counterexample?.thread).toMatch(/^flt/);
    expect(r.counterexample?.length).toBe(r.counterexample!.step + 1);
  });
});

describe('reductions lose nothing', () => {
  const configs: ResolveRequest[] = [
    { scenario: 'seed', params: { ptes: 2, faults: 2 } },
    { scenario: 'seed', params: { ptes: 2, faults: 1 }, variant: 'wait-pre' },
    { scenario: 'c1-exec-stack' },
    { scenario: 'c3-remap-file-pages' },
    { scenario: 'c6-ttu-sync' },
    { scenario: 'c8-shmem-refcount' },
    { scenario: 'c10-device-private' },
    { scenario: 'seed', params: { ptes: 2, faults: 2 }, variant: 'unlock-before-remove' },
    { scenario: 'seed', params: { ptes: 2, faults: 2 }, variant: 'install-before-lock' },
    { scenario: 'c6-ttu-sync', variant: 'c6-no-ttu-sync' },
    { scenario: 'c8-shmem-refcount', variant: 'c9-reorder-tlb' },
    { scenario: 'c10-device-private', variant: 'c10-device-ref-first' },
  ];
  for (const req of configs) {
    it(`${req.scenario} ${JSON.stringify(req.params ?? {})} ${req.variant ?? ''}: same states and verdict as a reference enumerator`, () => {
      const ref = referenceEnumerate(req);
      const plain = explore(world(req), NO_REDUCTIONS);
      expect(plain.verdict === 'violated').toBe(ref.violated);
      // a violated search stops at its first violation; a complete one stores every state
      if (!ref.violated) expect(plain.statesStored).toBe(ref.states);
      const reduced = explore(world(req));
      expect(reduced.verdict).toBe(plain.verdict);
      // BFS without reductions finds a shortest counterexample; partial-order reduction may prune
      // the shortest interleaving and find a longer one (it preserves the verdict, not the length)
      if (plain.counterexample) expect(reduced.counterexample!.length).toBeGreaterThanOrEqual(plain.counterexample.length);
      expect(reduced.statesStored).toBeLessThanOrEqual(plain.statesStored);
    });
  }
  it('symmetry: ptes=3 faults=3 stores fewer states than without it, with the same verdict', () => {
    const w = world({ scenario: 'seed', params: { ptes: 3, faults: 3 } });
    const a = explore(w, NO_REDUCTIONS);
    const b = explore(w);
    expect(b.reductions).toContain('symmetry');
    expect(a.verdict).toBe('holds');
    expect(b.verdict).toBe('holds');
    expect(b.statesStored * 4).toBeLessThan(a.statesStored);
  });
});

describe('bounds', () => {
  it('hitting the state bound is inconclusive, never holds', () => {
    const r = explore(world({ scenario: 'seed', params: { ptes: 3, faults: 3 } }), { bounds: { maxStates: 1000 } });
    expect(r.verdict).toBe('inconclusive');
    expect(r.boundHit).toBe('states');
  });
  it('cancellation stops the search as inconclusive', () => {
    const r = explore(world({ scenario: 'seed', params: { ptes: 3, faults: 3 } }), { cancel: { cancelled: true } });
    expect(r).toMatchObject({ verdict: 'inconclusive', boundHit: 'cancelled' });
  });
});
