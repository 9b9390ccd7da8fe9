import { describe, expect, it } from 'vitest';
import { PAGE_WIDTH, THREAD_WIDTH, ThreadField, VmaField, resolveModel, type World } from '@mmreplay/model';
import { Machine, Rng } from '@mmreplay/engine';
import { Symmetry } from './symmetry.js';
import { DeadRegisters } from './dead-registers.js';
import { StateStore } from './state-store.js';
import { stateComponents } from './explorer.js';
import { randomWalk } from '../test/random-walk.js';

// canonical() and the tuple keys it sorts by (issue 20: the mutation run over symmetry.ts lines
// 226-372, batch symM, found these behaviours unchecked with every symmetry spec passing).

describe('canonical() with symmetry off', () => {
  it('c10 under WALK=fixed: its group is kept but off, and every state is its own representative', () => {
    // The explorer never calls canonical() when symmetry is off; canonical() itself must still
    // leave the state alone, since under WALK=fixed two swapped states are not the same state.
    const w = resolveModel({ scenario: 'c10-device-private', variant: { switches: { WALK: 'fixed' } } }).world;
    const m = new Machine(w);
    const sym = new Symmetry(m);
    expect(sym.groupCount).toBe(1);
    expect(sym.active).toBe(false);
    const rng = new Rng(5);
    for (let run = 0; run < 20; run++) {
      const s = randomWalk(m, rng, rng.below(12)).state;
      for (const p of [s, sym.permuted(s, 0, [1, 0])]) expect(sym.canonical(p), `run ${run}`).toBe(p);
    }
  });
});

describe('canonicalTuple and canonicalIds on groups without threads', () => {
  // symmetry-tuples.spec holds them to canonical() on the catalogue's worlds, whose groups all have
  // threads; a group without threads starts each tuple's key from a constant instead of its
  // thread's part, and every thread refers to the group from outside it.
  const c10 = resolveModel({ scenario: 'c10-device-private' }).world;
  const worlds: [string, World][] = [
    ['c10, a group without threads', { ...c10, symmetry: c10.symmetry.map((g) => ({ ...g, threads: [] })) }],
    ['c10, a group of the pages alone', { ...c10, symmetry: c10.symmetry.map((g) => ({ ...g, threads: [], ptes: [], vmas: [] })) }],
  ];
  for (const [name, w] of worlds) {
    it(`${name}: the tuple of canonical()`, () => {
      const m = new Machine(w);
      const sym = new Symmetry(m);
      expect(sym.tuples).toBe(true);
      const symIds = new Symmetry(m);
      const dead = new DeadRegisters(m);
      const store = new StateStore(m.layout.size, stateComponents(m));
      const raw = new Uint32Array(stateComponents(m).length);
      const fast = new Uint32Array(raw.length);
      const slow = new Uint32Array(raw.length);
      const intern = (v: Int32Array, k: number) => store.intern(v, k);
      const rng = new Rng(7);
      let moved = 0;
      for (let run = 0; run < 40; run++) {
        randomWalk(m, rng, rng.below(40), (s, t) => {
          dead.clearThread(s, t);
          const c = sym.canonical(s);
          if (c !== s) moved++;
          store.tupleOf(c, -1, slow);
          sym.canonicalTuple(s, store.tupleOf(s, -1, raw), fast, intern);
          expect(Array.from(fast), `run ${run}`).toEqual(Array.from(slow));
          symIds.canonicalIds(store, raw, fast, intern);
          expect(Array.from(fast), `run ${run}`).toEqual(Array.from(slow));
        });
      }
      expect(moved).toBeGreaterThan(10);
    });
  }
});

describe('canonicalTuple: threads of the group that refer to other tuples', () => {
  it('seed 3x3: the tuple of canonical() when fault threads hold registers naming other tuples', () => {
    // In reachable states of the seed a fault thread refers to its own tuple only, so its image
    // under a permutation depends on where its own tuple goes alone (what canonicalTuple keeps in
    // the thread's record). Once it names another tuple's object, its image depends on where that
    // tuple goes too: with three tuples, two permutations that move its tuple to the same place
    // move the other tuples differently, and its image must not be taken from the record.
    const m = new Machine(resolveModel({ scenario: 'seed', params: { ptes: 3, faults: 3 } }).world);
    const L = m.layout;
    const sym = new Symmetry(m);
    expect(sym.tuples).toBe(true);
    const [g] = m.world.symmetry;
    const faults = g.threads.map((name) => L.threadIndex.get(name)!);
    const store = new StateStore(L.size, stateComponents(m));
    const raw = new Uint32Array(stateComponents(m).length);
    const fast = new Uint32Array(raw.length);
    const slow = new Uint32Array(raw.length);
    const intern = (v: Int32Array, k: number) => store.intern(v, k);
    const rng = new Rng(19);
    const count = { page: L.nPages, pte: L.nPtes, vma: m.world.vmas.length } as Record<string, number>;
    let moved = 0;
    for (let run = 0; run < 600; run++) {
      const s = randomWalk(m, rng, rng.below(20)).state;
      const t = faults[rng.below(faults.length)];
      const regs = m.paths[t].def.regs;
      const objects = regs.map((r, k) => [r.type, k] as const).filter(([type]) => type in count);
      if (objects.length) {
        const [type, k] = objects[rng.below(objects.length)];
        s[L.thread(t, ThreadField.regs + k)] = rng.below(count[type]);
      }
      const c = sym.canonical(s);
      if (c !== s) moved++;
      store.tupleOf(c, -1, slow);
      sym.canonicalTuple(s, store.tupleOf(s, -1, raw), fast, intern);
      expect(Array.from(fast), `run ${run}`).toEqual(Array.from(slow));
    }
    expect(moved).toBeGreaterThan(50);
  });
});

describe("the tuple keys: a tuple's VMA flags and page", () => {
  // c10's initial state with tuple 1 made a copy of tuple 0 (its thread, PTE, VMA flags and page
  // taken from the swapped state), then one word of tuple 0's VMA flags or page changed: only that
  // word tells the tuples apart, so it must go into their keys, or they tie, keep their order, and
  // each member of the orbit is a representative of its own.
  it('c10: one representative for the orbit of states whose tuples differ in one such word', () => {
    const w = resolveModel({ scenario: 'c10-device-private' }).world;
    const m = new Machine(w);
    const L = m.layout;
    const sym = new Symmetry(m);
    const [g] = w.symmetry;
    const [t0, t1] = g.threads.map((x) => L.threadIndex.get(x)!);
    const e1 = L.pteIndex.get(g.ptes[1])!;
    const [v0, v1] = g.vmas.map((x) => L.vmaIndex.get(x)!);
    const [p0, p1] = g.pages!.map((x) => L.pageIndex.get(x)!);
    const alike = (): Int32Array => {
      const s = m.initialState();
      const swapped = sym.permuted(s, 0, [1, 0]);
      const words = [
        ...Array.from({ length: THREAD_WIDTH }, (_, f) => L.thread(t1, f)),
        L.ptes + e1,
        L.vma(v1, VmaField.flags),
        ...Array.from({ length: PAGE_WIDTH }, (_, f) => L.page(p1, f)),
      ];
      for (const x of words) s[x] = swapped[x];
      return s;
    };
    const s = alike();
    expect(Array.from(sym.canonical(sym.permuted(s, 0, [1, 0]))), 'the tuples are alike').toEqual(Array.from(s));
    expect(t0).not.toBe(t1);
    const changes: [string, number][] = [
      ['VMA flags', L.vma(v0, VmaField.flags)],
      ...Array.from({ length: PAGE_WIDTH }, (_, f): [string, number] => [`page field ${f}`, L.page(p0, f)]),
    ];
    for (const [what, at] of changes) {
      const c = alike();
      c[at] ^= 1;
      const canonical = Array.from(sym.canonical(c)).join(',');
      expect(Array.from(sym.canonical(sym.permuted(c, 0, [1, 0]))).join(','), what).toBe(canonical);
    }
  });
});
