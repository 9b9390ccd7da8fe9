import { describe, expect, it } from 'vitest';
import { ptePfn, resolveModel, type ResolveRequest, type World } from '@mmreplay/model';
import { Machine, Rng } from '@mmreplay/engine';
import { Symmetry } from './symmetry.js';
import { randomWalk } from '../test/random-walk.js';

// Symmetry with per-CPU TLBs (issue 20: the mutation run over symmetry.ts found every line that
// reads or renames a TLB entry without coverage; no scenario of the catalogue gives its symmetric
// threads a TLB). Every thread of a symmetric world is given a TLB caching every PTE. A TLB entry
// is a PTE value cached by one thread for one PTE: renaming the tuples moves it to the renamed
// thread and PTE, with its page renamed; the canonical form must see it, or two tuples told apart
// only by what the threads cache would be sorted by their index, which a permutation changes.

const withTlb = (req: ResolveRequest): World => {
  const w = resolveModel(req).world;
  return { ...w, threads: w.threads.map((t) => ({ ...t, tlb: w.ptes.map((e) => e.name) })) };
};

// seed 3x2: threads mig (outside the group), flt0, flt1; the group's PTEs e0, e1, and e2 outside it.
// c10: threads f0, f1 and pages R0, R1 in the group, so that a cached PTE value's page is renamed.
const worlds: [string, ResolveRequest][] = [
  ['seed 3x2', { scenario: 'seed', params: { ptes: 3, faults: 2 } }],
  ['seed 2x2', { scenario: 'seed', params: { ptes: 2, faults: 2 } }],
  ['c10', { scenario: 'c10-device-private' }],
];

/**
 * A reachable state (a walk of a few steps, so that the tuples are often alike) with every TLB
 * entry redrawn: empty, the PTE's value, or the value of another PTE of the state. What a thread
 * caches is then independent of the rest of the state, as it is after evictions and flushes.
 */
function stateWithTlb(m: Machine, rng: Rng): Int32Array {
  const L = m.layout;
  const s = randomWalk(m, rng, rng.below(12)).state;
  for (let t = 0; t < L.nThreads; t++)
    for (let e = 0; e < L.nPtes; e++) {
      const r = rng.below(3);
      s[L.tlbEntry(t, e)] = r === 0 ? 0 : r === 1 ? s[L.ptes + e] : s[L.ptes + rng.below(L.nPtes)];
    }
  return s;
}

function shuffled(size: number, rng: Rng): number[] {
  const order = Array.from({ length: size }, (_, i) => i);
  for (let i = size - 1; i > 0; i--) {
    const j = rng.below(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  return order;
}

describe('symmetry with TLBs', () => {
  for (const [name, req] of worlds) {
    const m = new Machine(withTlb(req));
    const L = m.layout;
    const g = m.world.symmetry[0];
    const size = g.threads.length;
    const idx = (map: ReadonlyMap<string, number>, names: readonly string[]) => names.map((n) => map.get(n)!);
    const [threads, ptes, pages] = [idx(L.threadIndex, g.threads), idx(L.pteIndex, g.ptes), idx(L.pageIndex, g.pages ?? [])];

    it(`${name}: is on, and the state has TLBs`, () => {
      expect(L.hasTlb).toBe(true);
      expect(new Symmetry(m).active).toBe(true);
    });

    it(`${name}: a permutation moves each cached entry to the renamed thread and PTE, its page renamed`, () => {
      const sym = new Symmetry(m);
      const rng = new Rng(7);
      for (let run = 0; run < 40; run++) {
        const s = stateWithTlb(m, rng);
        const order = shuffled(size, rng);
        // tuple order[to] lands on position to
        const [thread, pte, page] = [threads, ptes, pages].map((objects, k) => {
          const to = Array.from({ length: [L.nThreads, L.nPtes, L.nPages][k] }, (_, x) => x);
          if (objects.length) order.forEach((from, j) => (to[objects[from]] = objects[j]));
          return to;
        });
        const p = sym.permuted(s, 0, order);
        for (let t = 0; t < L.nThreads; t++)
          for (let e = 0; e < L.nPtes; e++) {
            const v = s[L.tlbEntry(t, e)];
            const renamed = v === 0 ? 0 : (v & 0xff) | (page[ptePfn(v)] << 8);
            expect(p[L.tlbEntry(thread[t], pte[e])], `order ${order}: thread ${t}'s entry for PTE ${e}`).toBe(renamed);
          }
      }
    });

    it(`${name}: the representative is one for the whole orbit, and a member of it`, () => {
      const sym = new Symmetry(m);
      const rng = new Rng(11);
      const orders =
        size === 2
          ? [
              [0, 1],
              [1, 0],
            ]
          : [];
      expect(orders.length, 'groups of two tuples').toBe(2);
      for (let run = 0; run < 400; run++) {
        const s = stateWithTlb(m, rng);
        const canonical = Array.from(sym.canonical(s));
        const orbit = orders.map((o) => Array.from(sym.permuted(s, 0, o)).join(','));
        expect(orbit, `run ${run}: the representative is a permutation of the state`).toContain(canonical.join(','));
        expect(Array.from(sym.canonical(sym.permuted(s, 0, [1, 0]))), `run ${run}: the tuples swapped`).toEqual(canonical);
      }
    });
  }
});
