import { describe, expect, it } from 'vitest';
import { resolveModel, ThreadField, VmaField, VmaFlag, type World } from '@mmreplay/model';
import { Machine, Rng } from '@mmreplay/engine';
import { Symmetry } from './symmetry.js';
import { randomWalk } from '../test/random-walk.js';

// Symmetry over states and worlds the catalogue does not reach (issue 20: the mutation run over
// symmetry.ts lines 418-745, finishKeys, perm, apply and the memo tables, left these parts alive
// with every spec passing). Each test builds states whose tuples are alike but for one word, so
// that only that word can sort them: the representative must still be one for the whole orbit.

const c10 = resolveModel({ scenario: 'c10-device-private' }).world;

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

/** The initial state with every thread's object registers set to none: its tuples are alike (checked). */
function alike(m: Machine, sym: Symmetry, orders: number[][]): Int32Array {
  const L = m.layout;
  const s = m.initialState();
  for (let t = 0; t < L.nThreads; t++)
    m.paths[t].def.regs.forEach((r, k) => {
      if (r.type !== 'int') s[L.thread(t, ThreadField.regs + k)] = r.type === 'vmaset' || r.type === 'pteval' ? 0 : -1;
    });
  for (const o of orders) expect(Array.from(sym.permuted(s, 0, o)), `order ${o}: the state is its own image`).toEqual(Array.from(s));
  return s;
}

function expectOneRepresentative(sym: Symmetry, s: Int32Array, orders: number[][], what: string): void {
  const canonical = Array.from(sym.canonical(s)).join(',');
  const orbit = orders.map((o) => Array.from(sym.permuted(s, 0, o)).join(','));
  expect(orbit, `${what}: the representative is a permutation of the state`).toContain(canonical);
  expect(new Set(orbit).size, `${what}: the state is not its own image`).toBeGreaterThan(1);
  for (const o of orders) expect(Array.from(sym.canonical(sym.permuted(s, 0, o))).join(','), `${what}: order ${o}`).toBe(canonical);
}

describe('symmetry: tuples told apart only by a word held outside the group', () => {
  it('c10 with a second PTL: by which tuple holds it', () => {
    // every catalogue world has one PTL; a second one is read at its own place (finishKeys)
    const m = new Machine({ ...c10, ptls: [...c10.ptls, 'spare'] } satisfies World);
    const sym = new Symmetry(m);
    const L = m.layout;
    const orders = permutations(2);
    for (const l of [0, 1])
      for (const t of [0, 1]) {
        const s = alike(m, sym, orders);
        s[L.ptls + l] = t + 1;
        expectOneRepresentative(sym, s, orders, `PTL ${l} held by thread ${t}`);
      }
  });
});

describe('symmetry: tuples told apart only by their own words', () => {
  it("c10: by a VMA's flags", () => {
    // the catalogue's symmetric VMAs all start with the same flags, and no path changes them
    const m = new Machine(c10);
    const sym = new Symmetry(m);
    const L = m.layout;
    const orders = permutations(2);
    for (const [v, flag] of [
      [0, VmaFlag.tempStack],
      [1, VmaFlag.nonlinear],
    ]) {
      const s = alike(m, sym, orders);
      s[L.vma(v, VmaField.flags)] ^= flag;
      expectOneRepresentative(sym, s, orders, `vma${v} with flag ${flag} flipped`);
    }
  });
});

describe('symmetry: words that name no object stay as they are', () => {
  it("c10: the rmap lock's count, after the PTL holders, is not renamed as a thread", () => {
    const m = new Machine(c10);
    const sym = new Symmetry(m);
    const L = m.layout;
    expect(L.rmap).toBe(L.ptls + m.world.ptls.length);
    for (const count of [-1, 0, 1, 2]) {
      const s = m.initialState();
      s[L.rmap] = count;
      for (const o of permutations(2)) expect(sym.permuted(s, 0, o)[L.rmap], `count ${count}, order ${o}`).toBe(count);
    }
  });
});

describe('symmetry: two groups', () => {
  it('seed 4x4 with its tuples in two groups of two: the representative is in the orbit of both groups together', () => {
    // canonical() applies one permutation per group, the second to the first's result: no world
    // of the catalogue declares two groups
    const w = resolveModel({ scenario: 'seed', params: { ptes: 4, faults: 4 } }).world;
    const [g] = w.symmetry;
    const half = (k: 0 | 1) => ({
      threads: g.threads.slice(2 * k, 2 * k + 2),
      ptes: g.ptes.slice(2 * k, 2 * k + 2),
      vmas: g.vmas.slice(2 * k, 2 * k + 2),
      pages: [],
    });
    const m = new Machine({ ...w, symmetry: [half(0), half(1)] } satisfies World);
    const sym = new Symmetry(m);
    expect(sym.groupCount).toBe(2);
    const rng = new Rng(31);
    let moved = 0;
    for (let run = 0; run < 200; run++) {
      const s = randomWalk(m, rng, rng.below(30)).state;
      const orbit = permutations(2).flatMap((a) => permutations(2).map((b) => Array.from(sym.permuted(sym.permuted(s, 0, a), 1, b)).join(',')));
      const c = sym.canonical(s);
      if (c !== s) moved++;
      expect(orbit, `run ${run}`).toContain(Array.from(c).join(','));
    }
    expect(moved).toBeGreaterThan(20);
  });
});
