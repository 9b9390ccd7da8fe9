import { describe, expect, it } from 'vitest';
import { resolveModel, ThreadField, PageField, type World } from '@mmreplay/model';
import { Machine, Rng } from '@mmreplay/engine';
import { Symmetry } from './symmetry.js';
import { randomWalk } from '../test/random-walk.js';

// Groups and states the catalogue's symmetric worlds do not reach (issue 20: the mutation run over
// symmetry.ts left these lines without coverage): a group declared without `pages`, a VMA set
// naming VMAs outside the group, a page of the group locked by a thread. The canonical form must
// be one representative for the whole orbit, and a member of it, whatever the state holds: the
// tests draw reachable states (a few steps, so that the tuples are often alike), or start from the
// initial one, and redraw the words in question.

const c10 = resolveModel({ scenario: 'c10-device-private' }).world;

function walk(m: Machine, rng: Rng): Int32Array {
  return randomWalk(m, rng, rng.below(12)).state;
}

/** canonical(s) is canonical(s with the two tuples swapped), and is s or its swap. */
function expectOneRepresentative(sym: Symmetry, s: Int32Array, what: string): void {
  const canonical = Array.from(sym.canonical(s));
  const swapped = sym.permuted(s, 0, [1, 0]);
  expect([Array.from(s).join(','), Array.from(swapped).join(',')], `${what}: a member of the orbit`).toContain(canonical.join(','));
  expect(Array.from(sym.canonical(swapped)), `${what}: the same for the swapped state`).toEqual(canonical);
}

describe('symmetry on groups and states the catalogue does not reach', () => {
  it('a group declared without `pages` is a group with no pages', () => {
    const w = resolveModel({ scenario: 'seed', params: { ptes: 2, faults: 2 } }).world;
    const [g] = w.symmetry;
    expect(g.pages).toEqual([]);
    const { pages: _none, ...noPages } = g;
    const a = new Symmetry(new Machine(w));
    const m = new Machine({ ...w, symmetry: [noPages] } as unknown as World); // a hand-written world may leave `pages` out: the type says it may not
    const b = new Symmetry(m);
    expect(b.active).toBe(true);
    const rng = new Rng(3);
    for (let run = 0; run < 200; run++) {
      const s = walk(m, rng);
      expect(Array.from(b.canonical(s)), `run ${run}`).toEqual(Array.from(a.canonical(s)));
    }
  });

  it('VMA sets that name VMAs outside the group (c10, a group of fault threads, PTEs and pages, its VMAs left out)', () => {
    const [g] = c10.symmetry;
    const m = new Machine({ ...c10, symmetry: [{ ...g, vmas: [] }] });
    const sym = new Symmetry(m);
    expect(sym.active).toBe(true);
    const L = m.layout;
    const regs = m.paths[0].def.regs;
    const seen = regs.findIndex((r) => r.name === 'seen');
    const pte = regs.findIndex((r) => r.name === 'pte');
    expect([regs[seen].type, regs[pte].type]).toEqual(['vmaset', 'pte']);
    // The initial state, each walk's PTE register set to none (its initial 0 names PTE e0, one
    // tuple's own and the other's), so that the tuples are alike but for the VMAs each walk has
    // seen: once a walk has named a VMA, outside the group and not renamed, they never are.
    const rng = new Rng(5);
    for (let run = 0; run < 100; run++) {
      const s = m.initialState();
      for (let t = 0; t < L.nThreads; t++) {
        s[L.thread(t, ThreadField.regs + pte)] = -1;
        s[L.thread(t, ThreadField.regs + seen)] = rng.below(4);
      }
      expectOneRepresentative(sym, s, `run ${run}`);
    }
  });

  it("pages of the group locked by a thread of the group (c10's R0, R1)", () => {
    const m = new Machine(c10);
    const sym = new Symmetry(m);
    const L = m.layout;
    const pages = c10.symmetry[0].pages!.map((p) => L.pageIndex.get(p)!);
    const rng = new Rng(9);
    for (let run = 0; run < 300; run++) {
      const s = walk(m, rng);
      // no owner, or thread 0 or 1 (f0, f1) + 1
      for (const p of pages) s[L.page(p, PageField.owner)] = rng.below(L.nThreads + 1);
      expectOneRepresentative(sym, s, `run ${run}`);
    }
  });
});
