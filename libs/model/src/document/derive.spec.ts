import { describe, expect, it } from 'vitest';
import { parseScenarioDocument } from './load.js';
import { resolveScenarioModel } from '../scenarios/registry.js';

// Derived symmetry proposes only groups that pass the declared groups' check, and none where the
// tuples are not interchangeable (explorer/src/derived-symmetry.spec.ts compares state counts).

const src = { file: 'mm/filemap.c', fn: 'folio_lock', version: 'v6.6' };
const doc = (threads: unknown[], extra: Record<string, unknown> = {}) => ({
  name: 'derive',
  title: 'lockers',
  pages: [
    { name: 'P', ref: 1, map: 1, mapping: 'anon' },
    { name: 'R', ref: 1, map: 1, mapping: 'anon' },
  ],
  ptls: ['ptl'],
  vmas: [
    { name: 'v0', start: 16, pgoff: 0 },
    { name: 'v1', start: 32, pgoff: 0 },
  ],
  ptes: [
    { name: 'e0', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P' } },
    { name: 'e1', addr: 32, ptl: 'ptl', init: { kind: 'present', page: 'R' } },
  ],
  threads,
  paths: {
    locker: {
      regs: { page: 'page', pte: 'pte', n: 'int' },
      steps: [
        { label: 'L1', op: 'lock_page', args: ['page'], src },
        { label: 'L2', op: 'unlock_page', args: ['page'] },
      ],
    },
  },
  ...extra,
});
const symmetryOf = (d: unknown, switches: Record<string, string> = {}) => {
  const r = parseScenarioDocument(d);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return resolveScenarioModel(r.scenario, { variant: { switches } }).world.symmetry;
};

describe('derived symmetry', () => {
  const own = [
    { name: 'a', path: 'locker', args: { page: 'P', pte: 'e0' } },
    { name: 'b', path: 'locker', args: { page: 'R', pte: 'e1' } },
  ];
  it('threads on objects of their own: one group with their PTEs, VMAs and pages', () => {
    expect(symmetryOf(doc(own))).toEqual([{ threads: ['a', 'b'], ptes: ['e0', 'e1'], vmas: ['v0', 'v1'], pages: ['P', 'R'] }]);
  });
  it('none when the threads differ (an integer argument), when declared empty, or under WALK=fixed', () => {
    expect(symmetryOf(doc(own.map((t, i) => ({ ...t, args: { ...t.args, n: i } }))))).toEqual([]);
    expect(symmetryOf(doc(own, { symmetry: [] }))).toEqual([]);
    expect(symmetryOf(doc(own), { WALK: 'fixed' })).toEqual([]);
  });
  it('none when renaming does not map the world onto itself (the PTEs map one page and its refcounts differ)', () => {
    const d = doc(own);
    const pages = [
      { name: 'P', ref: 1, map: 1, mapping: 'anon' },
      { name: 'R', ref: 2, map: 1, mapping: 'anon' },
    ];
    expect(symmetryOf({ ...d, pages })).toEqual([]);
  });
  it('threads sharing every object: a group of threads alone', () => {
    const shared = own.map((t) => ({ ...t, args: { page: 'P', pte: 'e0' } }));
    expect(symmetryOf(doc(shared))).toEqual([{ threads: ['a', 'b'], ptes: [], vmas: [], pages: [] }]);
  });
  it('none for a thread another starts after, at its end or at a label: it is named by number', () => {
    const third = { name: 'c', path: 'locker', args: { page: 'P', pte: 'e0' } };
    expect(symmetryOf(doc([...own, { ...third, start: { after: 'a' } }]))).toEqual([]);
    expect(symmetryOf(doc([...own, { ...third, start: { after: 'a', label: 'L2' } }]))).toEqual([]);
  });
});
