// Derived symmetry at its edges: groups of PTEs no thread names (each alone in its VMA, alike in
// every field the renaming must preserve), the VMA a PTE lies in, arguments of each object type,
// and the worlds where nothing is derived (fixed walk order, litmus, memory models other than sc).
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument } from './load.js';
import { resolveScenarioModel } from '../scenarios/registry.js';

const src = { file: 'mm/filemap.c', fn: 'folio_lock', version: 'v6.6' };
type Obj = Record<string, unknown>;
const doc = (threads: Obj[], extra: { vmas?: Obj[]; ptes?: Obj[]; pages?: Obj[]; regs?: Obj; [k: string]: unknown } = {}) => {
  const { vmas, ptes, pages, regs, ...rest } = extra;
  return {
    name: 'derive',
    title: 'lockers',
    pages: pages ?? [
      { name: 'P', ref: 1, map: 1, mapping: 'anon' },
      { name: 'R', ref: 1, map: 1, mapping: 'anon' },
    ],
    ptls: ['ptl', 'ptl2'],
    vmas: vmas ?? [
      { name: 'v0', start: 16, pgoff: 0 },
      { name: 'v1', start: 32, pgoff: 0 },
    ],
    ptes: ptes ?? [
      { name: 'e0', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P' } },
      { name: 'e1', addr: 32, ptl: 'ptl', init: { kind: 'present', page: 'R' } },
    ],
    threads,
    paths: {
      locker: {
        regs: regs ?? { page: 'page', pte: 'pte', vma: 'vma', n: 'int' },
        steps: [
          { label: 'L1', op: 'lock_page', args: ['page'], src },
          { label: 'L2', op: 'unlock_page', args: ['page'] },
        ],
      },
    },
    ...rest,
  };
};
const symmetryOf = (d: unknown, switches: Record<string, string> = {}, memoryModel?: 'tso') => {
  const r = parseScenarioDocument(d);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return resolveScenarioModel(r.scenario, { variant: { switches }, ...(memoryModel ? { memoryModel } : {}) }).world.symmetry;
};

const own = [
  { name: 'a', path: 'locker', args: { page: 'P', pte: 'e0' } },
  { name: 'b', path: 'locker', args: { page: 'R', pte: 'e1' } },
];
const OWN_GROUP = { threads: ['a', 'b'], ptes: ['e0', 'e1'], vmas: ['v0', 'v1'], pages: ['P', 'R'] };

// two more PTEs no thread names, in VMAs of their own, alike
const freeVmas = [
  { name: 'v2', start: 48, pgoff: 0 },
  { name: 'v3', start: 64, pgoff: 0 },
];
const freePtes = [
  { name: 'e2', addr: 48, ptl: 'ptl', init: { kind: 'none' } },
  { name: 'e3', addr: 64, ptl: 'ptl', init: { kind: 'none' } },
];
const withFree = (over: { vmas?: Obj[]; ptes?: Obj[] } = {}) =>
  doc(own, {
    vmas: [...doc([]).vmas, ...(over.vmas ?? freeVmas)],
    ptes: [...doc([]).ptes, ...(over.ptes ?? freePtes)],
  });

describe('derived symmetry: PTEs no thread names', () => {
  it('two alike, each alone in its VMA: a group of PTEs and VMAs after the thread group', () => {
    expect(symmetryOf(withFree())).toEqual([OWN_GROUP, { threads: [], ptes: ['e2', 'e3'], vmas: ['v2', 'v3'], pages: [] }]);
  });

  it('none when they differ in a field the renaming keeps: PTL, offset in the VMA, pgoff, stack, nonlinear, unlinked', () => {
    const differ = (pte: Obj, vma: Obj) => withFree({ ptes: [freePtes[0], { ...freePtes[1], ...pte }], vmas: [freeVmas[0], { ...freeVmas[1], ...vma }] });
    const cases: [Obj, Obj][] = [
      [{ ptl: 'ptl2' }, {}],
      [{ addr: 65 }, {}],
      [{}, { pgoff: 1 }],
      [{}, { tempStack: true }],
      [{}, { nonlinear: true }],
      [{}, { unlinked: true }],
    ];
    for (const [pte, vma] of cases) expect(symmetryOf(differ(pte, vma)), JSON.stringify([pte, vma])).toEqual([OWN_GROUP]);
    // the same offset in VMAs that start elsewhere is alike
    expect(symmetryOf(differ({ addr: 80 }, { start: 80 }))).toEqual([OWN_GROUP, { threads: [], ptes: ['e2', 'e3'], vmas: ['v2', 'v3'], pages: [] }]);
  });

  it('of three, the two alike form the group; flags absent and false are alike', () => {
    const third = { name: 'e4', addr: 80, ptl: 'ptl2', init: { kind: 'none' } };
    const three = withFree({ ptes: [...freePtes, third], vmas: [...freeVmas, { name: 'v4', start: 80, pgoff: 0 }] });
    expect(symmetryOf(three)).toEqual([OWN_GROUP, { threads: [], ptes: ['e2', 'e3'], vmas: ['v2', 'v3'], pages: [] }]);
    for (const flag of ['tempStack', 'nonlinear', 'unlinked']) {
      const d = withFree({ vmas: [{ ...freeVmas[0], [flag]: false }, freeVmas[1]] });
      expect(symmetryOf(d), flag).toEqual([OWN_GROUP, { threads: [], ptes: ['e2', 'e3'], vmas: ['v2', 'v3'], pages: [] }]);
    }
  });

  it('one alone is no group; a PTE sharing its VMA, or in no VMA, or in a VMA a thread names, is left out', () => {
    expect(symmetryOf(withFree({ ptes: [freePtes[0]] }))).toEqual([OWN_GROUP]);
    // e3 shares v2 with e2 (no v3): neither is alone
    expect(symmetryOf(withFree({ vmas: [freeVmas[0]] }))).toEqual([OWN_GROUP]);
    // a PTE below every VMA lies in none
    expect(symmetryOf(withFree({ ptes: [...freePtes, { name: 'e4', addr: 4, ptl: 'ptl', init: { kind: 'none' } }], vmas: [...freeVmas] }))).toEqual([
      OWN_GROUP,
      { threads: [], ptes: ['e2', 'e3'], vmas: ['v2', 'v3'], pages: [] },
    ]);
    // a thread that names e3 (by its TLB, or an argument) takes it out of the free ones
    const tlb = withFree();
    tlb.threads = [own[0], { ...own[1], tlb: ['e3'] }];
    expect(symmetryOf(tlb)).toEqual([]);
    const named = withFree();
    named.threads = [...own, { name: 'c', path: 'other', args: { vma: 'v3' } }];
    named.paths = { ...named.paths, other: { regs: { vma: 'vma' }, steps: [{ label: 'O1', op: 'nop', args: [], src }] } } as typeof named.paths;
    expect(symmetryOf(named)).toEqual([OWN_GROUP]);
  });
});

describe('derived symmetry: threads', () => {
  it('a varying PTE argument brings its VMA and the page it maps; a varying page alone is no group', () => {
    const byPte = own.map((t) => ({ ...t, args: { pte: t.args.pte } }));
    expect(symmetryOf(doc(byPte))).toEqual([OWN_GROUP]);
    // a page alone cannot be renamed: the PTEs that map it stay
    const byPage = own.map((t) => ({ ...t, args: { page: t.args.page } }));
    expect(symmetryOf(doc(byPage))).toEqual([]);
  });

  it('none when an argument varies but is no object, repeats an object, or two arguments of one type vary', () => {
    const regs = { page: 'page', pte: 'pte', vma: 'vma', n: 'int', other: 'pte', flag: 'int' };
    expect(
      symmetryOf(
        doc(
          own.map((t, i) => ({ ...t, args: { ...t.args, flag: i } })),
          { regs },
        ),
      ),
    ).toEqual([]);
    expect(
      symmetryOf(
        doc(
          own.map((t) => ({ ...t, args: { ...t.args, page: 'P' } })),
          { regs },
        ),
      ),
    ).toEqual([]);
    expect(
      symmetryOf(
        doc(
          own.map((t, i) => ({ ...t, args: { ...t.args, other: `e${1 - i}` } })),
          { regs },
        ),
      ),
    ).toEqual([]);
  });

  it('three threads: every tuple is checked against the first, not only the second', () => {
    const pages = [
      { name: 'P', ref: 1, map: 1, mapping: 'anon' },
      { name: 'R', ref: 1, map: 1, mapping: 'anon' },
      { name: 'S', ref: 2, map: 1, mapping: 'anon' },
    ];
    const vmas = [...doc([]).vmas, { name: 'v2', start: 48, pgoff: 0 }];
    const ptes = [...doc([]).ptes, { name: 'e2', addr: 48, ptl: 'ptl', init: { kind: 'present', page: 'S' } }];
    const three = [...own, { name: 'c', path: 'locker', args: { page: 'S', pte: 'e2' } }];
    expect(symmetryOf(doc(three, { pages, vmas, ptes }))).toEqual([]);
    const alike = pages.map((p) => ({ ...p, ref: 1 }));
    expect(symmetryOf(doc(three, { pages: alike, vmas, ptes }))).toEqual([
      { threads: ['a', 'b', 'c'], ptes: ['e0', 'e1', 'e2'], vmas: ['v0', 'v1', 'v2'], pages: ['P', 'R', 'S'] },
    ]);
  });

  it('nothing under a fixed rmap walk, in a litmus world, or under another memory model', () => {
    expect(symmetryOf(doc(own, { rmapOrder: 'fixed' }))).toEqual([]);
    expect(symmetryOf(doc(own), {}, 'tso')).toEqual([]);
  });
});
