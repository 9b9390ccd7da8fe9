// The sections of the state layout (layout.ts) that neither the catalogue's worlds nor the
// hand-made worlds of layout.golden.spec reach: page-field stores (a release one among them) and
// an smp_wmb written by name, a bpfn on a loaded register, variables no store names, threads that
// only load, only trylock or only go through a pointer, a world with pointers and no litmus
// declaration, a TLB on some CPUs only, many store sites to one variable. Each expectation was
// written against a mutant that outlived layout.golden.spec (mutation batch `layout`,
// BENCHMARKS.md, session 13) and checked to fail on it. Small worlds, built by hand; nothing here runs them.
import { describe, expect, it } from 'vitest';
import { Layout, MESSAGE_CAPACITY, PageField } from './layout.js';
import type { PathDef, Step } from './program.js';
import type { MemoryModelName, World } from './world.js';

const step = (label: string, op: string, ...args: (string | number)[]): Step => ({
  label,
  op: op as Step['op'],
  args,
  src: { file: 'test', fn: label, version: '-' },
});
const path = (name: string, steps: Step[], regs: Record<string, string> = {}): PathDef => ({
  name,
  title: name,
  regs: [...Object.entries(regs), ...['one', 'zero', 'ok', 'r0', 'r1', 'p'].map((r) => [r, 'int'])].map(([r, type]) => ({ name: r, type: type as 'int' })),
  steps,
});

function world(name: string, memoryModel: MemoryModelName, paths: PathDef[], extra: Partial<World> = {}, args: Record<string, string> = {}): World {
  return {
    scenario: name,
    params: {},
    memoryModel,
    rmapOrder: 'any',
    pages: [],
    vmas: [],
    ptes: [],
    ptls: [],
    threads: paths.map((p) => ({ name: p.name, path: p.name, args })),
    paths: Object.fromEntries(paths.map((p) => [p.name, p])),
    invariants: ['weak-outcome'],
    symmetry: [],
    ...extra,
  };
}

const page = (name: string) => ({ name, ref: 1, map: 0, mapping: 'anon' as const });

describe('lkmm sections the catalogue does not reach', () => {
  // Two pages and two variables: P0 stores the flags word of its page with release, then an
  // smp_wmb written by name, then x; P1 loads x and branches with bpfn on it (the loaded register
  // second) and loads the flags word with acquire. Nobody stores y or a compound head.
  const pages = world(
    'pages-lkmm',
    'lkmm',
    [
      path('P0', [step('wf', 'store', 1, 'pg', 'one', 1), step('wmb', 'fence', 'wmb'), step('wx', 'store_var', 0, 'one', 0)], { pg: 'page' }),
      path('P1', [step('rx', 'load_var', 'r0', 0, 0), step('pfn', 'bpfn', 'zero', 'r0', 'end'), step('rf', 'load', 'r1', 1, 'pg', 1), step('end', 'nop')], {
        pg: 'page',
      }),
    ],
    { pages: [page('A'), page('B')], litmus: { vars: ['x', 'y'], results: [], exists: [] } },
    { pg: 'B' },
  );

  it('page-field stores, a release one, a named smp_wmb, a bpfn on a loaded register', () => {
    const L = new Layout(pages);
    expect(L.propagation).toBe(true);
    // the flags word of each page (a store names its page by register), then x; not y, not the heads
    expect([...L.mlocs]).toEqual([L.pageLoc(0, 1), L.pageLoc(1, 1), L.varLoc(0)]);
    expect([...L.mlocs].map((l) => L.locShort(l))).toEqual(['A.flags', 'B.flags', 'x']);
    expect([...L.msgCap]).toEqual([1, 1, 1]);
    // P0: the smp_wmb carries, the release store to the page field is a release site
    expect([L.wprevBase[0] > 0, L.wmbDepth[0]]).toEqual([true, 1]);
    expect([L.relBase[0] > 0, L.relDepth[0]]).toEqual([true, 1]);
    // P1: its bpfn compares a loaded register (its second)
    expect([L.specBase[1] > 0, L.specBranches[1], L.specDepth[1]]).toEqual([true, 1, 1]);
    expect([L.wprevBase[1], L.relBase[1]]).toEqual([-1, -1]);
    // the variables' locations come after both words of every page; their memory is the litmus section
    expect([L.varLoc(0), L.varLoc(1)]).toEqual([4, 5]);
    expect([L.locSlot(L.varLoc(0)), L.locSlot(L.varLoc(1))]).toEqual([L.vars, L.vars + 1]);
  });

  it('a thread that only loads, one that does nothing relaxed, one that only trylocks and branches on it', () => {
    const L = new Layout(
      world('quiet-lkmm', 'lkmm', [path('P0', [step('rx', 'load_var', 'r0', 0, 0)]), path('P1', [step('m', 'mov', 'r0', 1)])], {
        litmus: { vars: ['x'], results: [], exists: [] },
      }),
    );
    // no store anywhere: weak for the loads alone; no location has a message
    expect([[...L.sbCapacity], [...L.lqCapacity], L.weak, L.propagation, L.nMlocs]).toEqual([[0, 0], [1, 0], true, true, 0]);
    // P1 has neither a store buffer nor a load queue: no view
    expect(L.viewBase[0]).toBeGreaterThan(0);
    expect(L.viewBase[1]).toBe(-1);

    const T = new Layout(
      world(
        'trylock-only-lkmm',
        'lkmm',
        [
          path('P0', [step('try', 'spin_trylock_var', 'ok', 0), step('b', 'beq', 'ok', 0, 'end'), step('end', 'nop')]),
          path('P1', [step('lock', 'spin_lock_var', 0)]),
        ],
        { litmus: { vars: ['l'], results: [], exists: [] } },
      ),
    );
    // a failed trylock's read may stay outstanding: a load queue, and a branch on its register speculates
    expect(T.lqCapacity[0]).toBe(1);
    expect([T.specBase[0] > 0, T.specBranches[0]]).toEqual([true, 1]);
  });

  it('one variable stored from more sites than a location holds messages, another that a load names', () => {
    const stores = Array.from({ length: MESSAGE_CAPACITY + 1 }, (_, i) => step(`w${i}`, 'store_var', 1, 'one', 0));
    const L = new Layout(
      world('many-sites-lkmm', 'lkmm', [path('P0', stores), path('P1', [step('rx', 'load_var', 'r0', 1, 0), step('try', 'spin_trylock_var', 'ok', 0)])], {
        litmus: { vars: ['l', 'x'], results: [], exists: [] },
      }),
    );
    // x (var 1) is read by a load, not by a trylock: it keeps MESSAGE_CAPACITY messages; l (var 0) one
    expect([...L.mlocs].map((l) => L.locShort(l))).toEqual(['l', 'x']);
    expect([...L.msgCap]).toEqual([1, MESSAGE_CAPACITY]);
  });

  it('a spinlock in a world with a page: its loaders, a trylock into the first register, two release stores', () => {
    const L = new Layout(
      world(
        'locks-page-lkmm',
        'lkmm',
        [
          path('P0', [
            step('lock', 'spin_lock_var', 0),
            step('wx', 'store_var', 1, 'one', 1),
            step('wx2', 'store_var', 1, 'one', 1),
            step('unlock', 'store_var', 0, 'zero', 1),
          ]),
          path('P1', [step('try', 'spin_trylock_var', 'one', 0)]),
          path('P2', [step('rl', 'load_var', 'r0', 0, 0), step('rx', 'load_var', 'r1', 1, 0)]),
          path('P3', [step('m', 'mov', 'r0', 0), step('rx', 'load_var', 'r0', 1, 0)]),
        ],
        { pages: [page('A')], litmus: { vars: ['l', 'x'], results: [], exists: [] } },
      ),
    );
    expect([...L.mlocs].map((l) => L.locShort(l))).toEqual(['l', 'x']);
    expect([...L.lockMloc]).toEqual([1, 0]);
    // the lock is read by P1's trylock and P2's load, not by P3, which loads x only (its mov's 0 is no variable)
    expect([...L.lockLoaders]).toEqual([(1 << 1) | (1 << 2), 0]);
    expect([...L.trylockRegs]).toEqual([0, 1, 0, 0]);
    // the unlock is no release site of its own; the two release stores of x are
    expect(L.relDepth[0]).toBe(2);
    expect([L.rel(0, 0, 0), L.rel(0, 1, 0), L.rel(0, 1, 1)]).toEqual([L.relBase[0], L.relBase[0] + 2, L.relBase[0] + 3]);
  });

  it('pointers without a litmus declaration; a thread that only stores through one, one that only loads through one, one that loads and stores through one', () => {
    const L = new Layout(
      world('pointers-bare-lkmm', 'lkmm', [
        path('P0', [step('wp', 'store_ptr', 'p', 'one', 0)]),
        path('P1', [step('rp', 'load_ptr', 'r0', 'p', 0), step('wmb', 'fence', 2)]),
        path('P2', [step('rx', 'load_var', 'r1', 0, 0), step('wp', 'store_ptr', 'p', 'one', 0)]),
      ]),
    );
    expect(L.propagation).toBe(true);
    // P0 loads nothing: no speculation section although its store goes through a pointer
    expect([L.sbCapacity[0], L.lqCapacity[0], L.specBase[0]]).toEqual([1, 0, -1]);
    // P1's load through a pointer may be asked for another address (one condition); its smp_wmb has no store before it
    expect([L.lqCapacity[1], L.specBase[1] > 0, L.specDepth[1], L.wprevBase[1]]).toEqual([1, true, 1, -1]);
    // P2's store through a pointer, after a load: that load may be asked for another address
    expect([L.lqCapacity[2], L.specBase[2] > 0, L.specBranches[2], L.specDepth[2]]).toEqual([1, true, 0, 1]);
    // a relaxed store through a pointer is no release site
    expect([L.relBase[0], L.relBase[2]]).toEqual([-1, -1]);
  });
});

describe('the names of lkmm slots', () => {
  it('a message section after a thread without a view; the slot after the smp_wmb section is not one of it', () => {
    const L = new Layout(
      world(
        'describe-lkmm',
        'lkmm',
        [
          path('P0', [step('wx', 'store_var', 0, 'one', 0), step('wmb', 'fence', 'wmb'), step('lock', 'spin_lock_var', 1)]),
          path('P1', [step('m', 'mov', 'r0', 1)]),
        ],
        {
          litmus: { vars: ['x', 'l'], results: [], exists: [] },
        },
      ),
    );
    expect([L.viewBase[1], L.wmbDepth[0]]).toEqual([-1, 1]);
    expect(L.describe(L.msgBase[0])).toEqual({ object: 'msgs:x', field: 'older' });
    expect(L.describe(L.wprevBase[0] + L.nMlocs - 1)).toEqual({ object: 'view:P0', field: 'wmbprev.l' });
    // the spinlock's slots follow the smp_wmb section directly
    expect(L.unlockedSlot[0]).toBe(L.wprevBase[0] + L.nMlocs);
    expect(L.describe(L.unlockedSlot[0]).field).not.toMatch(/^wmbprev/);
  });
});

describe('sections of every model', () => {
  it('a TLB for the CPUs that cache one, a row per thread and PTE', () => {
    const pte = (name: string, addr: number) => ({ name, addr, ptl: 'ptl', init: { kind: 'present' as const, page: 'A', writable: true } });
    const w = world('tlb', 'sc', [path('P0', [step('m', 'mov', 'r0', 1)]), path('P1', [step('m', 'mov', 'r0', 1)])], {
      pages: [page('A')],
      ptls: ['ptl'],
      ptes: [pte('e0', 16), pte('e1', 17), pte('e2', 18)],
    });
    const L = new Layout({ ...w, threads: [{ ...w.threads[0], tlb: ['e1'] }, w.threads[1]] });
    expect(L.hasTlb).toBe(true);
    expect(L.threads - L.tlb).toBe(6);
    expect(L.tlbEntry(1, 2)).toBe(L.tlb + 5);
    expect(L.initialState()[L.tlbEntry(0, 1)]).toBe(L.initialState()[L.pte(1)]);
    expect(L.describe(L.tlbEntry(1, 1))).toEqual({ object: 'tlb:P1', field: 'e1' });
  });

  it("the initial state: a tail page's head, a page locked by the second thread, integer, VMA and PTE registers", () => {
    const paths = [path('P0', [step('m', 'mov', 'r0', 1)], { v: 'vma', e: 'pte' }), path('P1', [step('m', 'mov', 'r0', 1)], { v: 'vma', e: 'pte' })];
    const w = world('initial', 'sc', paths, {
      pages: [page('A'), page('H'), { ...page('T'), head: 'H', locked: true, owner: 'P1' }],
      vmas: [
        { name: 'v0', start: 16, pgoff: 0 },
        { name: 'v1', start: 32, pgoff: 0 },
      ],
      ptls: ['ptl'],
      ptes: [{ name: 'e0', addr: 16, ptl: 'ptl', init: { kind: 'present' as const, page: 'A', writable: true } }],
    });
    const L = new Layout({ ...w, threads: [{ name: 'P0', path: 'P0', args: { r0: 7, v: 'v1', e: 'e0' } }, w.threads[1]] });
    const s = L.initialState();
    expect([0, 1, 2].map((p) => s[L.page(p, PageField.head)])).toEqual([0, 1, 1]);
    // the owner slot holds the thread's index + 1
    expect([s[L.page(0, PageField.owner)], s[L.page(2, PageField.owner)]]).toEqual([0, 2]);
    // registers in declaration order: v, e, then one, zero, ok, r0
    expect([s[L.reg(0, 0)], s[L.reg(0, 1)], s[L.reg(0, 5)]]).toEqual([1, 0, 7]);
  });

  it('names past the end of what the world declares', () => {
    const L = new Layout(
      world('names', 'sc', [path('P0', [step('m', 'mov', 'r0', 1)])], { pages: [page('A')], litmus: { vars: ['x'], results: ['0:r0'], exists: [] } }),
    );
    expect(L.pageName(3)).toBe('#3');
    expect(L.locName(L.varLoc(2))).toBe('var:#2');
    expect(L.describe(L.size)).toEqual({ object: 'litmus', field: '?.observed' });
    expect([L.locName(L.varLoc(0)), L.locName(L.pageLoc(0, 1))]).toEqual(['var:x', 'page:A.flags']);
    // a location past the pages of a world without litmus variables
    const bare = new Layout(world('bare', 'sc', [path('P0', [step('m', 'mov', 'r0', 1)])]));
    expect(bare.locName(0)).toBe('var:#0');
    expect(bare.describe(bare.size)).toEqual({ object: 'litmus', field: '?.observed' });
  });
});
