// lkmm: the layout of a world where a CPU with relaxed accesses tries a page lock (issue 16: a
// failed folio_trylock() is a READ_ONCE() of the flags word, `pageTrylockReads`), which no world of
// layout.golden.spec or layout.sections.spec has: the trylock's load in the load queue, its register
// a trylock register and a branch on it speculable, the flags words as mlocs with one message per
// folio_unlock() site of a CPU with relaxed accesses, `unlockedBy`; and a release outstanding
// (`relPend`) for each kind of scenario release. Each expectation was written against a mutant that
// outlived the other layout specs (mutation batch `layout`, BENCHMARKS.md, session 22) and checked
// to fail on it. Small worlds, built by hand; nothing here runs them.
import { describe, expect, it } from 'vitest';
import { Layout, pageTrylockReads } from './layout.js';
import type { PathDef, Step } from './program.js';
import type { MemoryModelName, World } from './world.js';

const R = ['lk', 'one', 'zero', 'r0', 'r1'];
const step = (label: string, op: string, ...args: (string | number)[]): Step => ({
  label,
  op: op as Step['op'],
  args,
  src: { file: 'test', fn: label, version: '-' },
});
const path = (name: string, steps: Step[]): PathDef => ({
  name,
  title: name,
  regs: R.map((r) => ({ name: r, type: r === 'lk' ? 'page' : 'int' })) as PathDef['regs'],
  steps,
});

// P0 (as in examples/scenarios/lkmm-trylock-stale.yaml): folio_lock(), folio_unlock(), WRITE_ONCE(y).
const locker = path('P0', [
  step('init', 'mov', 'one', 1),
  step('lock', 'lock_page', 'lk'),
  step('unlock', 'unlock_page', 'lk'),
  step('wy', 'store_var', 0, 'one', 0),
]);
// P1: READ_ONCE(y), smp_rmb(), folio_trylock(), folio_unlock() if it took the lock; a bsame on two
// registers nobody loads (`zero` is a step's second argument, as the trylock's `r0` is).
const tryer = path('P1', [
  step('ry', 'load_var', 'r1', 0, 0),
  step('rmb', 'fence', 1),
  step('try', 'trylock_page', 'lk', 'r0'),
  step('taken', 'beq', 'r0', 0, 'end'),
  step('same', 'bsame', 'one', 'zero', 'end'),
  step('unlock', 'unlock_page', 'lk'),
  step('end', 'observe', 0, 'r0'),
  step('end2', 'observe', 1, 'r1'),
]);
// P2: no relaxed access: it tries and releases the page lock as an SC step.
const plain = path('P2', [
  step('try', 'trylock_page', 'lk', 'r0'),
  step('taken', 'beq', 'r0', 0, 'end'),
  step('unlock', 'unlock_page', 'lk'),
  step('end', 'nop'),
]);

function world(name: string, memoryModel: MemoryModelName, paths: PathDef[]): World {
  return {
    scenario: name,
    params: {},
    memoryModel,
    rmapOrder: 'any',
    pages: ['A', 'B'].map((p) => ({ name: p, ref: 1, map: 0, mapping: 'anon' as const })),
    vmas: [],
    ptes: [],
    ptls: [],
    threads: paths.map((p) => ({ name: p.name, path: p.name, args: { lk: 'B' } })),
    paths: Object.fromEntries(paths.map((p) => [p.name, p])),
    invariants: ['weak-outcome'],
    symmetry: [],
    litmus: { vars: ['y'], results: ['1:r0', '1:r1'], exists: [] },
  };
}

describe('lkmm: a CPU with relaxed accesses tries a page lock', () => {
  it('pageTrylockReads: lkmm, relaxed accesses and a trylock_page, all three', () => {
    const w = (m: MemoryModelName) => world('w', m, [tryer]);
    expect(pageTrylockReads(w('lkmm'), tryer.steps, 1)).toBe(true);
    expect(pageTrylockReads(w('lkmm'), tryer.steps, 0)).toBe(false);
    expect(pageTrylockReads(w('tso'), tryer.steps, 1)).toBe(false);
    expect(pageTrylockReads(w('sc'), tryer.steps, 1)).toBe(false);
    expect(pageTrylockReads(w('lkmm'), locker.steps, 1)).toBe(false);
    expect(pageTrylockReads(w('lkmm'), [], 1)).toBe(false);
  });

  it("the trylock's read in the load queue, its register a trylock register, a branch on it speculable", () => {
    const L = new Layout(world('try-lkmm', 'lkmm', [locker, tryer, plain]));
    expect(L.propagation).toBe(true);
    // P1: READ_ONCE(y) and the trylock's read; P0 and P2 load nothing
    expect([...L.lqCapacity]).toEqual([0, 2, 0]);
    expect([...L.sbCapacity]).toEqual([1, 0, 0]);
    expect([...L.trylockRegs]).toEqual([0, 1 << R.indexOf('r0'), 0]);
    // P1's beq on r0 (the trylock's register), not its bsame on two registers nobody loads
    expect([L.specBase[1] > 0, L.specBranches[1], L.specDepth[1]]).toEqual([true, 1, 1]);
  });

  it('each flags word an mloc, one message per folio_unlock() of a CPU with relaxed accesses', () => {
    const L = new Layout(world('try-lkmm', 'lkmm', [locker, tryer, plain]));
    // both pages' flags words (an unlock names its page by register), then y
    expect([...L.mlocs].map((l) => L.locShort(l))).toEqual(['A.flags', 'B.flags', 'y']);
    // P0's and P1's unlocks; not P2's (no relaxed access: its unlock is an SC write)
    expect([...L.msgCap]).toEqual([2, 2, 1]);
  });

  it('unlockedBy: one slot per page, named after it; the releases outstanding after them', () => {
    const L = new Layout(world('try-lkmm', 'lkmm', [locker, tryer, plain]));
    expect(L.unlockedBy).toBeGreaterThan(0);
    expect([0, 1].map((p) => L.describe(L.unlockedBy + p))).toEqual([
      { object: 'page:A', field: 'unlockedBy' },
      { object: 'page:B', field: 'unlockedBy' },
    ]);
    expect(L.describe(L.unlockedBy - 1).field).not.toBe('unlockedBy');
    expect(L.describe(L.unlockedBy + 2).field).not.toBe('unlockedBy');
    // P0 and P1 unlock the page with a view: their releases' sections follow unlockedBy's two slots
    expect([L.relPend[0], L.relPend[1], L.relPend[2]]).toEqual([L.unlockedBy + 2, L.unlockedBy + 2 + 3 + 3, -1]);
  });

  it('no unlockedBy, no flags-word messages where only a CPU without relaxed accesses tries the lock', () => {
    const L = new Layout(world('plain-lkmm', 'lkmm', [locker, plain]));
    expect(L.propagation).toBe(true);
    expect([...L.lqCapacity]).toEqual([0, 0]);
    expect([...L.trylockRegs]).toEqual([0, 0]);
    expect(L.unlockedBy).toBe(-1);
    expect([...L.mlocs].map((l) => L.locShort(l))).toEqual(['y']);
  });

  it('a release outstanding (relPend) for a CPU with a view and any of the four scenario releases', () => {
    // each thread stores y (so it has a view) and releases in one way; the last releases nothing
    const releasing = (name: string, ...release: Step[]) => path(name, [step('wy', 'store_var', 0, 'one', 0), ...release]);
    const L = new Layout(
      world('releases-lkmm', 'lkmm', [
        releasing('Q0', step('u', 'unlock_page', 'lk')),
        releasing('Q1', step('u', 'rmap_unlock', 'lk', 1)),
        releasing('Q2', step('u', 'ref_unfreeze', 'lk', 1)),
        releasing('Q3'),
        releasing('Q4', step('u', 'ptl_unlock', 0)),
      ]),
    );
    const K = L.nMlocs;
    const first = L.relPend[0];
    expect(first).toBeGreaterThan(0);
    expect([...L.relPend]).toEqual([first, first + 3 + K, first + 2 * (3 + K), -1, first + 3 * (3 + K)]);
  });

  it('a world with more stored variables than slots before its memory: no slot of it named as a release outstanding', () => {
    // no page, one thread storing 30 variables and releasing nothing: 30 mlocs, the memory section
    // starts at slot 20; a thread without relPend must not claim slots [mem, 2 + K)
    const names = Array.from({ length: 30 }, (_, v) => `x${v}`);
    const w: World = {
      ...world('many-vars-lkmm', 'lkmm', [
        path(
          'P0',
          names.map((_, v) => step(`w${v}`, 'store_var', v, 'one', 0)),
        ),
      ]),
      pages: [],
      litmus: { vars: names, results: [], exists: [] },
    };
    const L = new Layout(w);
    expect([L.nMlocs, L.relPend[0]]).toEqual([30, -1]);
    expect(L.mem).toBeLessThan(2 + L.nMlocs);
    expect(names.map((_, v) => L.describe(L.vars + v))).toEqual(names.map((x) => ({ object: `var:${x}`, field: 'value' })));
  });

  it('under tso a trylock_page is no load and there is no unlockedBy', () => {
    const L = new Layout(world('try-tso', 'tso', [locker, tryer, plain]));
    expect([...L.lqCapacity]).toEqual([0, 0, 0]);
    expect([...L.trylockRegs]).toEqual([0, 0, 0]);
    expect(L.unlockedBy).toBe(-1);
  });
});
