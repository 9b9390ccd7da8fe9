// The predicate compiler (compile.ts, context.ts) in the model's own suite: each test of each
// kind on states written slot by slot into a small hand-made world (a tail page, entries of every
// kind, two PTLs, flagged VMAs, threads sleeping, spinning, done and crashed), quantifiers,
// references, event tests, what a predicate reads, and every refusal with its field. Its tests in
// libs/projections run predicates over a recorded run; a per-library mutation run of the model
// executes only the model's suite (BENCHMARKS.md, mutation batch `predicate`).
import { describe, expect, it } from 'vitest';
import { PageField, PageFlag, ThreadField, ThreadStatus, WaitFlag } from '../layout.js';
import { StateClass } from '../op-decl.js';
import { makeDevicePrivate, makeMigrationFrom, makePresent, PTE_NONE, PteKind } from '../pte.js';
import { resolveModel } from '../scenarios/registry.js';
import type { PathDef, Step } from '../program.js';
import type { World } from '../world.js';
import { compilePredicate, compilePredicateReads } from './compile.js';
import { domainSize, threadState, worldPredicateModel, type PredicateEvent } from './context.js';
import { InvalidPredicateError } from './predicate.js';
import { checkedInvariants, compileUserInvariants, noReads, userInvariantIssues } from './user-invariants.js';

const step = (label: string, op: string, fn: string, ...args: (string | number)[]): Step => ({
  label,
  op: op as Step['op'],
  args,
  src: { file: 'f.c', fn, version: '-' },
});
const path = (name: string, regs: [string, string][], steps: Step[]): PathDef => ({
  name,
  title: name,
  regs: regs.map(([n, type]) => ({ name: n, type: type as 'int' })),
  steps,
});

const WORLD: World = {
  scenario: 'hand',
  params: {},
  memoryModel: 'sc',
  rmapOrder: 'any',
  pages: [
    { name: 'P', ref: 3, map: 2, mapping: 'anon' },
    { name: 'T', ref: 0, map: 0, mapping: 'anon', head: 'P' },
    { name: 'Q', ref: 1, map: 0, mapping: 'file' },
    { name: 'F', ref: 0, map: 0, mapping: 'none', free: true },
  ],
  vmas: [
    { name: 'v0', start: 16, pgoff: 0 },
    { name: 'v1', start: 32, pgoff: 3, tempStack: true },
    { name: 'v2', start: 48, pgoff: 0, nonlinear: true },
    { name: 'v3', start: 64, pgoff: 0, unlinked: true },
  ],
  ptes: [
    { name: 'e0', addr: 16, ptl: 'ptlA', init: { kind: 'present', page: 'P', writable: true } },
    { name: 'e1', addr: 32, ptl: 'ptlB', init: { kind: 'none' } },
    { name: 'e2', addr: 48, ptl: 'ptlA', init: { kind: 'none' } },
  ],
  ptls: ['ptlA', 'ptlB'],
  threads: [
    { name: 'a', path: 'pa', args: { page: 'P', pte: 'e0', n: 5 } },
    { name: 'b', path: 'pb', args: { pte: 'e1', x: -2 } },
    { name: 'c', path: 'pa', args: { page: 'Q', pte: 'e2', n: 0 } },
  ],
  paths: {
    pa: path(
      'pa',
      [
        ['page', 'page'],
        ['pte', 'pte'],
        ['n', 'int'],
      ],
      [
        step('A1', 'lock_page', 'folio_lock', 'page'),
        step('A2', 'ptl_lock', 'do_swap_page', 'pte'),
        step('A3', 'sleep', 'io_schedule'),
        step('A4', 'rmap_lock', 'anon_vma_lock', 'page', 1),
      ],
    ),
    pb: path(
      'pb',
      [
        ['pte', 'pte'],
        ['x', 'int'],
      ],
      [step('B1', 'rmap_lock', 'i_mmap_lock_read', 'pte', 0), step('B2', 'nop', 'remove_migration_ptes')],
    ),
  },
  invariants: [],
  symmetry: [],
};
const model = worldPredicateModel(WORLD);
const L = model.layout;
const [A, B, C] = [0, 1, 2];
const PAGE = { P: 0, T: 1, Q: 2, F: 3 };

/** The initial state with some slots changed. */
function state(change: (s: Int32Array) => void = () => {}): Int32Array {
  const s = L.initialState();
  change(s);
  return s;
}
const lock = (s: Int32Array, page: number, holder: number) => {
  s[L.page(page, PageField.flags)] |= PageFlag.locked;
  s[L.page(page, PageField.owner)] = holder + 1;
};
const holds = (p: unknown, s: Int32Array, e: PredicateEvent | null = null) => compilePredicate(model, p)(s, e);
const issues = (p: unknown, options?: { events?: boolean }, m = model) => {
  try {
    compilePredicate(m, p, options);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidPredicateError);
    return (e as InvalidPredicateError).issues.map((i) => `${i.field}: ${i.message}`);
  }
  return expect.unreachable('compiled');
};

describe('the world and its context', () => {
  it('domain sizes, thread states from the instruction a thread is at', () => {
    expect((['page', 'pte', 'ptl', 'thread', 'vma', 'var'] as const).map((k) => domainSize(model, k))).toEqual([4, 3, 2, 3, 4, 0]);
    const s = state();
    expect([A, B, C].map((t) => threadState(model, s, t))).toEqual(['runnable', 'runnable', 'runnable']);
    // a at lock_page, waiting and not woken: sleeping; woken: runnable
    s[L.thread(A, ThreadField.waitPage)] = PAGE.P;
    expect(threadState(model, s, A)).toBe('sleeping');
    s[L.thread(A, ThreadField.waitFlags)] = WaitFlag.woken;
    expect(threadState(model, s, A)).toBe('runnable');
    // a at ptl_lock of e0 (ptlA): spinning while ptlA is held
    s[L.thread(A, ThreadField.pc)] = 1;
    expect(threadState(model, s, A)).toBe('runnable');
    s[L.ptl(0)] = C + 1;
    expect(threadState(model, s, A)).toBe('spinning');
    s[L.reg(A, 1)] = -1;
    // a PTE register holding no PTE names no PTL: not the second one, nor the slot before the first
    s[L.ptl(1)] = B + 1;
    s[L.pte(2)] = makePresent(PAGE.Q, true);
    expect(threadState(model, s, A)).toBe('runnable');
    s[L.ptl(1)] = 0;
    s[L.pte(2)] = PTE_NONE;
    expect(threadState(model, s, A)).toBe('runnable');
    // sleep: like lock_page
    s[L.thread(A, ThreadField.pc)] = 2;
    s[L.thread(A, ThreadField.waitFlags)] = 0;
    expect(threadState(model, s, A)).toBe('sleeping');
    s[L.thread(A, ThreadField.waitPage)] = -1;
    expect(threadState(model, s, A)).toBe('runnable');
    // rmap_lock for write (a) waits for any holder; for read (b) only for a writer (-1)
    s[L.thread(A, ThreadField.pc)] = 3;
    s[L.rmap] = 1;
    expect([threadState(model, s, A), threadState(model, s, B)]).toEqual(['spinning', 'runnable']);
    s[L.rmap] = -1;
    expect([threadState(model, s, A), threadState(model, s, B)]).toEqual(['spinning', 'spinning']);
    s[L.rmap] = 0;
    expect([threadState(model, s, A), threadState(model, s, B)]).toEqual(['runnable', 'runnable']);
    // past the end, done, crashed
    s[L.thread(A, ThreadField.pc)] = 4;
    expect(threadState(model, s, A)).toBe('runnable');
    s[L.thread(A, ThreadField.status)] = ThreadStatus.done;
    s[L.thread(B, ThreadField.status)] = ThreadStatus.crashed;
    expect([threadState(model, s, A), threadState(model, s, B)]).toEqual(['done', 'crashed']);
    expect(model.stepAt(A, 9)).toBeNull();
    // any other instruction: runnable (b at its nop)
    s[L.thread(B, ThreadField.status)] = 0;
    s[L.thread(B, ThreadField.pc)] = 1;
    expect(threadState(model, s, B)).toBe('runnable');
    expect(model.stepAt(B, 1)?.label).toBe('B2');
    expect([model.regSlot(A, 'n'), model.regSlot(B, 'x'), model.regSlot(B, 'n')]).toEqual([L.reg(A, 2), L.reg(B, 1), undefined]);
    expect(worldPredicateModel(WORLD, L).layout).toBe(L);
  });
});

describe('page tests', () => {
  it('locked (a tail page reads its head), waiters, freed, frozen', () => {
    const s = state((x) => lock(x, PAGE.P, A));
    expect([holds({ page: 'P', locked: true }, s), holds({ page: 'T', locked: true }, s), holds({ page: 'Q', locked: true }, s)]).toEqual([true, true, false]);
    expect(holds({ page: 'Q', locked: false }, s)).toBe(true);
    expect(holds({ page: 'P', waiters: false }, s)).toBe(true);
    s[L.page(PAGE.Q, PageField.flags)] = PageFlag.waiters | PageFlag.frozen;
    expect([holds({ page: 'Q', waiters: true }, s), holds({ page: 'Q', frozen: true }, s), holds({ page: 'P', frozen: true }, s)]).toEqual([true, true, false]);
    // waiters, freed and frozen are the page's own: the tail does not read its head's
    s[L.page(PAGE.P, PageField.flags)] |= PageFlag.waiters;
    expect(holds({ page: 'T', waiters: true }, s)).toBe(false);
    expect([holds({ page: 'F', freed: true }, s), holds({ page: 'P', freed: true }, s), holds({ page: 'F', freed: false }, s)]).toEqual([true, false, false]);
  });

  it('lockedBy a thread, any thread (*), none (null); the head page decides', () => {
    const free = state();
    const locked = state((x) => lock(x, PAGE.P, B));
    expect([
      holds({ page: 'P', lockedBy: 'b' }, locked),
      holds({ page: 'P', lockedBy: 'a' }, locked),
      holds({ page: 'T', lockedBy: 'thread:b' }, locked),
    ]).toEqual([true, false, true]);
    expect([holds({ page: 'P', lockedBy: '*' }, locked), holds({ page: 'P', lockedBy: '*' }, free)]).toEqual([true, false]);
    expect([holds({ page: 'P', lockedBy: null }, locked), holds({ page: 'P', lockedBy: null }, free)]).toEqual([false, true]);
    // an owner left in the slot of an unlocked page is no holder
    const stale = state((x) => (x[L.page(PAGE.P, PageField.owner)] = B + 1));
    expect([holds({ page: 'P', lockedBy: 'b' }, stale), holds({ page: 'P', lockedBy: null }, stale)]).toEqual([false, true]);
  });

  it('counts with every comparison; the mapping', () => {
    const s = state();
    const cases: [unknown, boolean][] = [
      [3, true],
      [2, false],
      [{ eq: 3 }, true],
      [{ ne: 3 }, false],
      [{ lt: 3 }, false],
      [{ lt: 4 }, true],
      [{ le: 3 }, true],
      [{ le: 2 }, false],
      [{ gt: 3 }, false],
      [{ gt: 2 }, true],
      [{ ge: 3 }, true],
      [{ ge: 4 }, false],
      [{ gt: 1, lt: 4 }, true],
      [{ gt: 1, lt: 3 }, false],
      // each comparison alone, where the others would say otherwise
      [{ eq: 2 }, false],
      [{ ne: 2 }, true],
      [{ lt: 2 }, false],
      [{ le: 4 }, true],
      [{ gt: 4 }, false],
      [{ ge: 2 }, true],
    ];
    for (const [ref, want] of cases) expect(holds({ page: 'P', ref }, s), JSON.stringify(ref)).toBe(want);
    expect([holds({ page: 'P', map: 2 }, s), holds({ page: 'P', map: { ne: 2 } }, s)]).toEqual([true, false]);
    expect([holds({ page: 'Q', mapping: 'file' }, s), holds({ page: 'Q', mapping: 'anon' }, s), holds({ page: 'F', mapping: 'none' }, s)]).toEqual([
      true,
      false,
      true,
    ]);
  });

  it('{of: PTE}: the page an entry maps, none for an entry without a page (the test is then false)', () => {
    const s = state((x) => lock(x, PAGE.P, A));
    expect(holds({ page: { of: 'e0' }, locked: true }, s)).toBe(true);
    expect(holds({ page: { of: 'e1' }, locked: false }, s)).toBe(false);
    s[L.pte(1)] = makeMigrationFrom(makePresent(PAGE.Q, false), PAGE.Q);
    expect(holds({ page: { of: 'e1' }, locked: false }, s)).toBe(true);
    s[L.pte(1)] = PteKind.marker | (PAGE.Q << 8);
    expect(holds({ page: { of: 'e1' }, locked: false }, s)).toBe(false);
    s[L.pte(1)] = PteKind.swap | (PAGE.Q << 8);
    expect(holds({ page: { of: 'pte:e1' }, locked: false }, s)).toBe(true);
    // an entry without a page names none: not page 1 (T, anon like P)
    s[L.pte(1)] = PTE_NONE;
    expect(holds({ page: { of: 'e1' }, mapping: 'anon' }, s)).toBe(false);
    expect(holds({ page: { of: 'e0' }, mapping: 'anon' }, s)).toBe(true);
    s[L.pte(1)] = makeDevicePrivate(PAGE.Q, true);
    expect(holds({ page: { of: 'e1' }, mapping: 'file' }, s)).toBe(true);
  });
});

describe('PTE and PTL tests', () => {
  it('kind (one or a list), the page mapped, writable (a migration entry by its type), the migration type', () => {
    const s = state((x) => (x[L.pte(1)] = makeMigrationFrom(makePresent(PAGE.Q, true), PAGE.Q)));
    expect([holds({ pte: 'e0', kind: 'present' }, s), holds({ pte: 'e1', kind: 'present' }, s), holds({ pte: 'e1', kind: ['none', 'migration'] }, s)]).toEqual([
      true,
      false,
      true,
    ]);
    expect([
      holds({ pte: 'e0', page: 'P' }, s),
      holds({ pte: 'e0', page: 'Q' }, s),
      holds({ pte: 'e1', page: 'Q' }, s),
      holds({ pte: 'e2', page: 'P' }, s),
    ]).toEqual([true, false, true, false]);
    expect([holds({ pte: 'e0', writable: false }, s), holds({ pte: 'e1', writable: false }, s), holds({ pte: 'e2', writable: true }, s)]).toEqual([
      false,
      false,
      false,
    ]);
    expect([holds({ pte: 'e0', writable: true }, s), holds({ pte: 'e1', writable: true }, s), holds({ pte: 'e2', writable: false }, s)]).toEqual([
      true,
      true,
      true,
    ]);
    s[L.pte(1)] = makeMigrationFrom(makePresent(PAGE.Q, false), PAGE.Q);
    expect([
      holds({ pte: 'e1', writable: false }, s),
      holds({ pte: 'e1', type: 'read' }, s),
      holds({ pte: 'e1', type: ['write', 'readExclusive'] }, s),
    ]).toEqual([true, true, false]);
    expect(holds({ pte: 'e0', type: 'write' }, s)).toBe(false);
  });

  it('held, heldBy; {of: PTE} names the PTL of its page table', () => {
    const s = state((x) => (x[L.ptl(1)] = C + 1));
    expect([holds({ ptl: 'ptlB', held: true }, s), holds({ ptl: 'ptlA', held: true }, s), holds({ ptl: 'ptlA', held: false }, s)]).toEqual([true, false, true]);
    expect([
      holds({ ptl: 'ptlB', heldBy: 'c' }, s),
      holds({ ptl: 'ptlB', heldBy: 'a' }, s),
      holds({ ptl: { of: 'e1' }, heldBy: '*' }, s),
      holds({ ptl: { of: 'e2' }, heldBy: null }, s),
    ]).toEqual([true, false, true, true]);
  });
});

describe('thread tests', () => {
  it('status, at a label or a prefix (end past the path), in a function, on a path', () => {
    const s = state();
    expect([holds({ thread: 'a', status: 'runnable' }, s), holds({ thread: 'a', status: ['done', 'crashed'] }, s)]).toEqual([true, false]);
    s[L.thread(C, ThreadField.status)] = ThreadStatus.crashed;
    expect(holds({ thread: 'c', status: 'crashed' }, s)).toBe(true);
    expect([
      holds({ thread: 'a', at: 'A1' }, s),
      holds({ thread: 'a', at: 'A*' }, s),
      holds({ thread: 'a', at: 'B*' }, s),
      holds({ thread: 'a', at: 'A' }, s),
    ]).toEqual([true, true, false, false]);
    // the whole prefix counts, and a text of 200 characters is allowed
    expect([holds({ thread: 'a', at: 'A9*' }, s), holds({ thread: 'a', at: 'x'.repeat(200) }, s)]).toEqual([false, false]);
    s[L.thread(A, ThreadField.pc)] = 4;
    expect([holds({ thread: 'a', at: 'end' }, s), holds({ thread: 'a', in: 'folio_lock' }, s)]).toEqual([true, false]);
    // past the end a thread is in no function
    expect([holds({ thread: 'a', in: 'S*' }, s), holds({ thread: 'a', in: '*' }, s)]).toEqual([false, true]);
    s[L.thread(A, ThreadField.pc)] = 1;
    expect([holds({ thread: 'a', in: 'do_swap_page' }, s), holds({ thread: 'a', in: 'do_*' }, s), holds({ thread: 'b', in: 'i_mmap*' }, s)]).toEqual([
      true,
      true,
      true,
    ]);
    expect([holds({ thread: 'a', path: 'pa' }, s), holds({ thread: 'b', path: 'pa' }, s)]).toEqual([true, false]);
  });

  it('holds a page lock or a PTL, registers, waiting on a page or on nothing', () => {
    const s = state((x) => {
      lock(x, PAGE.Q, C);
      x[L.ptl(0)] = A + 1;
    });
    expect([
      holds({ thread: 'c', holdsPageLock: 'Q' }, s),
      holds({ thread: 'a', holdsPageLock: 'Q' }, s),
      holds({ thread: 'c', holdsPageLock: 'P' }, s),
    ]).toEqual([true, false, false]);
    expect(holds({ thread: 'c', holdsPageLock: { of: 'e1' } }, s)).toBe(false);
    // page 0 held; an owner left in the slot of an unlocked page holds nothing
    const p0 = state((x) => lock(x, PAGE.P, A));
    expect([holds({ thread: 'a', holdsPageLock: 'P' }, p0), holds({ thread: 'a', holdsPageLock: { of: 'e0' } }, p0)]).toEqual([true, true]);
    p0[L.page(PAGE.P, PageField.flags)] = 0;
    expect(holds({ thread: 'a', holdsPageLock: 'P' }, p0)).toBe(false);
    expect([
      holds({ thread: 'a', holdsPtl: 'ptlA' }, s),
      holds({ thread: 'c', holdsPtl: 'ptlA' }, s),
      holds({ thread: 'a', holdsPtl: { of: 'e0' } }, s),
    ]).toEqual([true, false, true]);
    expect([holds({ thread: 'a', regs: { n: 5 } }, s), holds({ thread: 'a', regs: { n: { gt: 5 } } }, s), holds({ thread: 'b', regs: { x: -2 } }, s)]).toEqual([
      true,
      false,
      true,
    ]);
    // a register the thread's path does not have: false
    expect(holds({ thread: 'b', regs: { n: 5 } }, s)).toBe(false);
    expect(holds({ thread: 'b', regs: { n: { ne: 5 } } }, s)).toBe(false);
    expect(holds({ exists: 'thread', as: '$t', where: { thread: '$t', regs: { n: 0 } } }, s)).toBe(true);
    expect([holds({ thread: 'a', waitingOn: null }, s), holds({ thread: 'a', waitingOn: 'P' }, s)]).toEqual([true, false]);
    // the page of an entry without one: waiting on nothing is not waiting on it
    expect(holds({ thread: 'a', waitingOn: { of: 'e1' } }, s)).toBe(false);
    s[L.thread(A, ThreadField.waitPage)] = PAGE.P;
    expect([holds({ thread: 'a', waitingOn: null }, s), holds({ thread: 'a', waitingOn: 'P' }, s), holds({ thread: 'a', waitingOn: 'Q' }, s)]).toEqual([
      false,
      true,
      false,
    ]);
    s[L.thread(A, ThreadField.waitFlags)] = WaitFlag.woken;
    expect(holds({ thread: 'a', waitingOn: 'P' }, s)).toBe(false);
  });

  it('pending loads and stores of a weak-memory thread', () => {
    const w = resolveModel({ scenario: 'litmus-mp', variant: { switches: { BARRIER: 'none' } }, memoryModel: 'lkmm' }).world;
    const m = worldPredicateModel(w);
    const l = m.layout;
    const s = l.initialState();
    const p = (x: unknown) => compilePredicate(m, x)(s, null);
    expect([p({ thread: 'P0', pendingStores: 0 }), p({ thread: 'P1', pendingLoads: 0 })]).toEqual([true, true]);
    s[l.sbEntry(0, 0)] = 1;
    expect([p({ thread: 'P0', pendingStores: 1 }), p({ thread: 'P0', pendingStores: { gt: 1 } })]).toEqual([true, false]);
    s[l.sbEntry(0, 1)] = 1;
    // a full buffer counts its capacity, whatever the slot after it holds
    const full = Int32Array.from(s);
    for (let i = 0; i < l.sbCapacity[0]; i++) full[l.sbEntry(0, i)] = 1;
    full[l.sbEntry(0, l.sbCapacity[0])] = 1;
    expect(compilePredicate(m, { thread: 'P0', pendingStores: l.sbCapacity[0] })(full, null)).toBe(true);
    expect(p({ thread: 'P0', pendingStores: 2 })).toBe(true);
    s[l.lqEntry(1, 0)] = 1;
    expect(p({ thread: 'P1', pendingLoads: 1 })).toBe(true);
    // the first empty slot ends the queue
    s[l.lqEntry(1, 0)] = 0;
    s[l.lqEntry(1, 1)] = 1;
    expect(p({ thread: 'P1', pendingLoads: 0 })).toBe(true);
  });
});

describe('VMA and variable tests', () => {
  it('start, pgoff, in the interval tree, temporary stack, nonlinear', () => {
    const s = state();
    expect([holds({ vma: 'v1', start: 32 }, s), holds({ vma: 'v1', pgoff: 3 }, s), holds({ vma: 'v1', pgoff: { lt: 3 } }, s)]).toEqual([true, true, false]);
    expect([holds({ vma: 'v0', inInterval: true }, s), holds({ vma: 'v3', inInterval: false }, s), holds({ vma: 'v2', inInterval: true }, s)]).toEqual([
      true,
      true,
      false,
    ]);
    expect([
      holds({ vma: 'v1', tempStack: true }, s),
      holds({ vma: 'v0', tempStack: true }, s),
      holds({ vma: 'v2', nonlinear: true }, s),
      holds({ vma: 'v0', nonlinear: false }, s),
    ]).toEqual([true, false, true, true]);
  });

  it('a litmus variable: its value, and (lkmm) which CPUs have not seen its newest store', () => {
    const w = resolveModel({ scenario: 'litmus-mp', variant: { switches: { BARRIER: 'none' } }, memoryModel: 'lkmm' }).world;
    const m = worldPredicateModel(w);
    const l = m.layout;
    const s = l.initialState();
    const p = (x: unknown) => compilePredicate(m, x)(s, null);
    s[l.vars + 1] = 1;
    expect([p({ var: 'y', value: 1 }), p({ var: 'x', value: 1 }), p({ var: 'var:x', value: 0 })]).toEqual([true, false, true]);
    const k = l.mlocOf[l.varLoc(1)];
    expect(k).toBeGreaterThanOrEqual(0);
    // the newest store of y at position 1; P1 has seen up to 0, P0 up to 1
    s[l.msgBase[k]] = 1;
    s[l.view(0, k)] = 1;
    expect([p({ var: 'y', notSeenBy: 'P1' }), p({ var: 'y', notSeenBy: 'P0' }), p({ var: 'y', notSeenBy: '*' }), p({ var: 'y', notSeenBy: null })]).toEqual([
      true,
      false,
      true,
      false,
    ]);
    // a finished CPU holds nothing back
    s[l.finished(1)] = 1;
    expect(p({ var: 'y', notSeenBy: '*' })).toBe(false);
    s[l.finished(1)] = 0;
    s[l.view(1, k)] = 1;
    expect(p({ var: 'y', notSeenBy: 'P1' })).toBe(false);
    // x, the first location relaxed stores write
    const kx = l.mlocOf[l.varLoc(0)];
    expect(kx).toBe(0);
    s[l.msgBase[kx]] = 1;
    expect([p({ var: 'x', notSeenBy: 'P1' }), p({ var: 'x', notSeenBy: 'P0' })]).toEqual([true, true]);
    expect(() => compilePredicate(m, { var: 'x', notSeenBy: 'zz' })).toThrow("notSeenBy: the world has no thread 'zz' (it has P0, P1)");
    // a CPU's view is its own state (a guessed way's loads advance it: Machine.checkUser)
    const threads = (x: unknown) => compilePredicateReads(m, x).reads.threads;
    expect([
      threads({ var: 'y', notSeenBy: 'P1' }),
      threads({ var: 'y', notSeenBy: '*' }),
      threads({ var: 'y', notSeenBy: null }),
      threads({ var: 'y' }),
    ]).toEqual([
      [false, true],
      [true, true],
      [false, false],
      [false, false],
    ]);
    // under sc there is no propagation state: never behind
    const sc = worldPredicateModel(resolveModel({ scenario: 'litmus-mp' }).world);
    expect(compilePredicate(sc, { var: 'y', notSeenBy: '*' })(sc.layout.initialState(), null)).toBe(false);
  });
});

describe('combinators and quantifiers', () => {
  it('all, any, not; exists and every over each kind, with variables bound inside', () => {
    const s = state((x) => lock(x, PAGE.Q, C));
    const locked = (p: string) => ({ page: p, locked: true });
    expect([
      holds({ all: [locked('Q'), locked('P')] }, s),
      holds({ all: [locked('Q')] }, s),
      holds({ any: [locked('P'), locked('Q')] }, s),
      holds({ any: [locked('P')] }, s),
    ]).toEqual([false, true, true, false]);
    expect([holds({ not: locked('P') }, s), holds({ not: { not: locked('P') } }, s)]).toEqual([true, false]);
    expect(holds({ exists: 'page', as: '$p', where: { page: '$p', locked: true } }, s)).toBe(true);
    expect(holds({ every: 'page', as: '$p', where: { page: '$p', locked: true } }, s)).toBe(false);
    expect(holds({ every: 'page', as: '$p', where: { page: '$p', ref: { ge: 0 } } }, s)).toBe(true);
    expect(holds({ exists: 'page', as: '$p', where: { page: '$p', ref: 99 } }, s)).toBe(false);
    // past the last page lie the VMAs: page 4's map slot is v1's start (32); no page has it
    expect(L.page(4, PageField.map)).toBe(L.vma(1, 0));
    expect(holds({ exists: 'page', as: '$p', where: { page: '$p', map: 32 } }, s)).toBe(false);
    expect(holds({ every: 'page', as: '$p', where: { page: '$p', map: { ne: 32 } } }, s)).toBe(true);
    expect(holds({ exists: 'thread', as: '$t', where: { thread: '$t', holdsPageLock: 'Q' } }, s)).toBe(true);
    expect(
      holds(
        {
          exists: 'pte',
          as: '$e',
          where: {
            all: [
              { pte: '$e', kind: 'present' },
              { page: { of: '$e' }, mapping: 'anon' },
            ],
          },
        },
        s,
      ),
    ).toBe(true);
    expect(holds({ every: 'ptl', as: '$l', where: { ptl: '$l', held: false } }, s)).toBe(true);
    expect(holds({ exists: 'vma', as: '$v', where: { vma: '$v', pgoff: 3 } }, s)).toBe(true);
    // no variables: exists is false, every is true
    expect([
      holds({ exists: 'var', as: '$x', where: { var: '$x', value: 0 } }, s),
      holds({ every: 'var', as: '$x', where: { var: '$x', value: 0 } }, s),
    ]).toEqual([false, true]);
    // nested quantifiers bind their own slots
    expect(
      holds(
        {
          exists: 'thread',
          as: '$t',
          where: {
            exists: 'page',
            as: '$p',
            where: {
              all: [
                { thread: '$t', holdsPageLock: '$p' },
                { page: '$p', mapping: 'file' },
              ],
            },
          },
        },
        s,
      ),
    ).toBe(true);
    // the same name again after its quantifier ends
    expect(
      holds(
        {
          all: [
            { exists: 'page', as: '$p', where: locked('Q') },
            { exists: 'pte', as: '$p', where: { pte: '$p', kind: 'none' } },
          ],
        },
        s,
      ),
    ).toBe(true);
  });
});

describe('event tests', () => {
  const ev = (over: Partial<PredicateEvent> = {}): PredicateEvent => ({
    threadIndex: A,
    kind: 'PageLocked',
    op: 'lock_page',
    label: 'A1',
    src: { fn: 'folio_lock' },
    args: { page: 'P', n: 5 },
    ...over,
  });
  const s = state();

  it('thread, kind, op, label, function and operands; false before the first step', () => {
    expect(holds({ event: { thread: 'a' } }, s, ev())).toBe(true);
    expect(holds({ event: { thread: 'b' } }, s, ev())).toBe(false);
    expect(holds({ event: { thread: 'a' } }, s, null)).toBe(false);
    expect(holds({ event: { kind: ['X', 'PageLocked'] } }, s, ev())).toBe(true);
    expect(holds({ event: { kind: 'Page*', op: 'lock_*' } }, s, ev())).toBe(true);
    expect(holds({ event: { op: ['unlock_page'] } }, s, ev())).toBe(false);
    expect([
      holds({ event: { label: 'A1' } }, s, ev()),
      holds({ event: { label: 'A2' } }, s, ev()),
      holds({ event: { fn: 'folio*' } }, s, ev()),
      holds({ event: { fn: 'lock' } }, s, ev()),
    ]).toEqual([true, false, true, false]);
    expect([
      holds({ event: { args: { page: 'P' } } }, s, ev()),
      holds({ event: { args: { n: '5' } } }, s, ev()),
      holds({ event: { args: { page: 'Q' } } }, s, ev()),
    ]).toEqual([true, true, false]);
    expect(holds({ event: { args: { pte: 'P' } } }, s, ev())).toBe(false);
    expect(holds({ exists: 'page', as: '$p', where: { all: [{ event: { args: { page: '$p' } } }, { page: '$p', mapping: 'anon' }] } }, s, ev())).toBe(true);
    expect(holds({ exists: 'page', as: '$p', where: { all: [{ event: { args: { page: '$p' } } }, { page: '$p', mapping: 'file' }] } }, s, ev())).toBe(false);
    expect(holds({ event: { thread: '*' } }, s, ev())).toBe(true);
    // every criterion must hold
    expect(holds({ event: { thread: 'a', op: 'unlock_page' } }, s, ev())).toBe(false);
  });

  it('refused where a predicate is checked on states only', () => {
    expect(issues({ event: { op: 'lock_page' } }, { events: false })).toEqual([
      "event: an invariant is checked on states, not on steps: test where a thread is instead ({thread: T, at: 'LABEL'})",
    ]);
    expect(compilePredicate(model, { event: { op: 'lock_page' } }, { events: true })(s, ev())).toBe(true);
  });
});

describe('what a predicate reads', () => {
  const reads = (p: unknown) => compilePredicateReads(model, p).reads;

  it('classes of shared state per kind, the threads whose own state it reads, registers, names, events', () => {
    expect(reads({ page: 'P', locked: true })).toEqual({
      classes: StateClass.lock | StateClass.count | StateClass.free,
      threads: [false, false, false],
      regs: false,
      asymmetric: true,
      events: false,
    });
    expect(reads({ exists: 'pte', as: '$e', where: { pte: '$e', kind: 'none' } })).toEqual({
      classes: StateClass.pte,
      threads: [false, false, false],
      regs: false,
      asymmetric: false,
      events: false,
    });
    expect(reads({ exists: 'ptl', as: '$l', where: { ptl: '$l', held: true } }).classes).toBe(StateClass.ptl);
    expect(reads({ exists: 'vma', as: '$v', where: { vma: '$v', inInterval: true } })).toMatchObject({ classes: StateClass.vma, asymmetric: false });
    expect(reads({ exists: 'vma', as: '$v', where: { vma: '$v', start: 16 } }).asymmetric).toBe(true);
    expect(reads({ exists: 'vma', as: '$v', where: { vma: '$v', pgoff: 0 } }).asymmetric).toBe(true);
    expect(reads({ exists: 'var', as: '$x', where: { var: '$x', value: 1 } }).classes).toBe(StateClass.mem);
    const thread = StateClass.lock | StateClass.ptl | StateClass.rmapLock | StateClass.wait | StateClass.mem;
    expect(reads({ thread: 'b', status: 'runnable' })).toEqual({
      classes: thread,
      threads: [false, true, false],
      regs: false,
      asymmetric: true,
      events: false,
    });
    expect(reads({ thread: 'thread:c', at: 'A1' }).threads).toEqual([false, false, true]);
    expect(reads({ thread: 'b', path: 'pb' }).threads).toEqual([false, false, false]);
    expect(reads({ exists: 'thread', as: '$t', where: { thread: '$t', regs: { n: 1 } } })).toEqual({
      classes: thread,
      threads: [true, true, true],
      regs: true,
      asymmetric: true,
      events: false,
    });
    for (const f of ['in', 'pendingLoads', 'pendingStores', 'waitingOn'])
      expect(reads({ thread: 'a', [f]: f === 'in' ? 'x' : f === 'waitingOn' ? null : 0 }).threads, f).toEqual([true, false, false]);
    expect(reads({ page: { of: 'e0' }, locked: true }).classes & StateClass.pte).toBe(StateClass.pte);
    expect(reads({ ptl: { of: 'e0' }, held: true }).classes & StateClass.pte).toBe(0);
    expect(reads({ event: { op: 'x' } })).toMatchObject({ events: true, classes: 0 });
  });
});

describe('refusals, each with its field', () => {
  it('the shape of a predicate object', () => {
    // the root's field is ''
    expect(issues(3)).toEqual([': must be an object such as {"all": [...]} or {"pte": "e0", "kind": "migration"}']);
    expect(issues({})).toEqual([': needs one of all, any, not, exists, every, page, pte, ptl, thread, vma, var, event']);
    expect(issues(null)).toEqual([': must be an object such as {"all": [...]} or {"pte": "e0", "kind": "migration"}']);
    expect(issues({ page: 'P', ref: null })).toEqual(['ref: must be an integer or {eq, ne, lt, le, gt, ge}']);
    expect(issues({ page: 'P', ptl: 'ptlA' })).toEqual([': has page and ptl: use exactly one of them per object (combine with all)']);
    expect(issues({ all: [{ not: 1 }] })).toEqual(['all[0].not: must be an object such as {"all": [...]} or {"pte": "e0", "kind": "migration"}']);
    for (const list of [[], 'x', Array.from({ length: 65 }, () => ({ page: 'P' }))])
      expect(issues({ any: list })).toEqual(['any: must be a list of 1 to 64 predicates']);
    expect(compilePredicate(model, { any: Array.from({ length: 64 }, () => ({ page: 'P' })) })(state(), null)).toBe(true);
    expect(issues({ all: [{ page: 'P' }], x: 1 })).toEqual(['x: unknown field (allowed: all)']);
    expect(issues({ not: { page: 'P' }, y: 1 })).toEqual(['y: unknown field (allowed: not)']);
    expect(issues({ page: 'P', lokced: true })).toEqual(['lokced: unknown field (allowed: page, locked, lockedBy, waiters, ref, map, freed, frozen, mapping)']);
  });

  it('at most 500 tests and 32 levels', () => {
    const wide = (n: number) => ({ all: Array.from({ length: 10 }, () => ({ any: Array.from({ length: n }, () => ({ page: 'P' })) })) });
    // 1 + 10 * (1 + 48) = 491 tests
    expect(() => compilePredicate(model, wide(48))).not.toThrow();
    expect(issues(wide(50))).toContain('all[9].any[39]: a predicate has at most 500 tests');
    const deep = (n: number): unknown => (n === 0 ? { page: 'P' } : { not: deep(n - 1) });
    expect(() => compilePredicate(model, deep(32))).not.toThrow();
    expect(issues(deep(33))).toEqual([`${Array.from({ length: 33 }, () => 'not').join('.')}: a predicate nests at most 32 deep`]);
    // `all` and `any` nest too
    const nested = (n: number): unknown => (n === 0 ? { page: 'P' } : { all: [nested(n - 1)] });
    expect(() => compilePredicate(model, nested(32))).not.toThrow();
    expect(issues(nested(33))).toEqual([`${Array.from({ length: 33 }, () => 'all[0]').join('.')}: a predicate nests at most 32 deep`]);
    // exactly 500 tests: ten groups of 49 and nine more in the outer list
    const five = {
      all: [
        ...Array.from({ length: 10 }, () => ({ any: Array.from({ length: 48 }, () => ({ page: 'P' })) })),
        ...Array.from({ length: 9 }, () => ({ page: 'P' })),
      ],
    };
    expect(() => compilePredicate(model, five)).not.toThrow();
    expect(issues({ not: five })).toEqual(['not.all[18]: a predicate has at most 500 tests']);
  });

  it('quantifiers and references', () => {
    expect(issues({ exists: 'frame', as: '$f', where: { page: 'P' } })).toEqual(['exists: must be one of page, pte, ptl, thread, vma, var']);
    expect(issues({ every: 'page', as: 'p', where: { page: 'P' } })).toEqual(["as: must be a variable name such as '$e'"]);
    expect(issues({ every: 'page', as: `$${'a'.repeat(32)}`, where: { page: 'P' } })).toEqual(["as: must be a variable name such as '$e'"]);
    expect(() => compilePredicate(model, { every: 'page', as: `$${'a'.repeat(31)}`, where: { page: 'P' } })).not.toThrow();
    expect(issues({ exists: 'page', as: '$p', where: { exists: 'pte', as: '$p', where: { pte: '$p' } } })).toEqual([
      'where.as: $p is already bound by an enclosing quantifier',
    ]);
    expect(issues({ exists: 'page', as: '$p', where: { page: '$p' }, when: 1 })).toEqual(['when: unknown field (allowed: exists, as, where)']);
    expect(issues({ page: '$q' })).toEqual(['page: $q is not bound by an enclosing exists/every']);
    expect(issues({ exists: 'pte', as: '$e', where: { page: '$e' } })).toEqual(['where.page: $e is a pte, not a page']);
    expect(issues({ page: 'R' })).toEqual(["page: the world has no page 'R' (it has P, T, Q, F)"]);
    expect(issues({ var: 'x' })).toEqual(["var: the world has no var 'x' (it has none)"]);
    expect(issues({ pte: 'page:P' })).toEqual(["pte: the world has no pte 'page:P' (it has e0, e1, e2)"]);
    for (const bad of ['', 'x'.repeat(201), 3]) expect(issues({ page: bad })).toEqual(["page: must name a page (a name, 'page:name' or a bound variable)"]);
    expect(issues({ pte: { of: 'e0' } })).toEqual(['pte: a pte is named by a string ({of: ...} names only pages and PTLs)']);
    expect(issues({ page: { of: 'e9' } })).toEqual(["page.of: the world has no pte 'e9' (it has e0, e1, e2)"]);
    expect(issues({ page: { of: 'e0', to: 1 } })).toEqual(['page.to: unknown field (allowed: of)']);
    // a bad reference does not hide the other fields' problems
    expect(issues({ page: 'R', locked: 1 })).toEqual(["page: the world has no page 'R' (it has P, T, Q, F)", 'locked: must be true or false']);
  });

  it('field values', () => {
    expect(issues({ page: 'P', ref: 1.5 })).toEqual(['ref: must be an integer']);
    expect(issues({ page: 'P', ref: {} })).toEqual(['ref: must be an integer or {eq, ne, lt, le, gt, ge}']);
    expect(issues({ page: 'P', ref: 'x' })).toEqual(['ref: must be an integer or {eq, ne, lt, le, gt, ge}']);
    expect(issues({ page: 'P', ref: { eq: 'x', lt: 2 ** 53, over: 1 } })).toEqual([
      'ref.over: unknown field (allowed: eq, ne, lt, le, gt, ge)',
      'ref.eq: must be an integer',
      'ref.lt: must be an integer',
    ]);
    expect(issues({ page: 'P', mapping: 'shm' })).toEqual(['mapping: must be one of none, anon, file, shmem, swapcache, device']);
    expect(issues({ page: 'P', lockedBy: 'zz' })).toEqual(["lockedBy: the world has no thread 'zz' (it has a, b, c)"]);
    expect(issues({ pte: 'e0', kind: 'migrated' })).toEqual(['kind: must be one of none, present, migration, swap, devicePrivate, marker (or a list of them)']);
    expect(issues({ pte: 'e0', kind: ['present', 'x'] })).toEqual(['kind: must be one of none, present, migration, swap, devicePrivate, marker']);
    expect(issues({ pte: 'e0', kind: [] })).toEqual(['kind: must be one of none, present, migration, swap, devicePrivate, marker']);
    expect(issues({ pte: 'e0', type: 'rw' })).toEqual(['type: must be one of read, write, readExclusive (or a list of them)']);
    expect(issues({ pte: 'e0', page: 'Z' })).toEqual(["page: the world has no page 'Z' (it has P, T, Q, F)"]);
    expect(issues({ thread: 'a', status: 'asleep' })).toEqual(['status: must be one of runnable, sleeping, spinning, done, crashed (or a list of them)']);
    expect(issues({ thread: 'a', at: '' })).toEqual(["at: must be a text of 1 to 200 characters ('exact' or 'prefix*')"]);
    expect(issues({ thread: 'a', at: ['A1'], in: ['x'] })).toEqual([
      "at: must be a text of 1 to 200 characters ('exact' or 'prefix*')",
      "in: must be a text of 1 to 200 characters ('exact' or 'prefix*')",
    ]);
    expect(issues({ thread: 'a', in: 'x'.repeat(201) })).toEqual(["in: must be a text of 1 to 200 characters ('exact' or 'prefix*')"]);
    expect(issues({ thread: 'a', path: 'pc' })).toEqual(['path: must be a path of the model (pa, pb)']);
    expect(issues({ thread: 'a', path: 3 })).toEqual(['path: must be a path of the model (pa, pb)']);
    expect(issues({ thread: 'a', regs: {} })).toEqual(['regs: must be an object of register names to integers or {eq, ne, lt, le, gt, ge}']);
    expect(issues({ thread: 'a', regs: [1] })).toEqual(['regs: must be an object of register names to integers or {eq, ne, lt, le, gt, ge}']);
    expect(issues({ thread: 'a', regs: { zz: 1, n: 'x' } })).toEqual([
      "regs.zz: no thread of the run has a register 'zz'",
      'regs.n: must be an integer or {eq, ne, lt, le, gt, ge}',
    ]);
    expect(issues({ thread: 'a', holdsPtl: 'ptlC', holdsPageLock: 'Z', waitingOn: 'Y' })).toEqual([
      "holdsPageLock: the world has no page 'Z' (it has P, T, Q, F)",
      "holdsPtl: the world has no ptl 'ptlC' (it has ptlA, ptlB)",
      "waitingOn: the world has no page 'Y' (it has P, T, Q, F)",
    ]);
    expect(issues({ thread: 'a', pendingLoads: -0.5 })).toEqual(['pendingLoads: must be an integer']);
    expect(issues({ vma: 'v0', start: 'x', tempStack: 1 })).toEqual([
      'start: must be an integer or {eq, ne, lt, le, gt, ge}',
      'tempStack: must be true or false',
    ]);
    expect(issues({ ptl: 'ptlA', held: 'yes', heldBy: 'zz' })).toEqual([
      'held: must be true or false',
      "heldBy: the world has no thread 'zz' (it has a, b, c)",
    ]);
  });

  it('event queries', () => {
    expect(issues({ event: 'x' })).toEqual(['event: must be an object {thread?, kind?, op?, label?, fn?, args?}']);
    expect(issues({ event: { op: 'x' }, z: 1 })).toEqual(['z: unknown field (allowed: event)']);
    expect(issues({ event: { opp: 'x' } })).toEqual(['event.opp: unknown field (allowed: thread, kind, op, label, fn, args)']);
    expect(issues({ event: { thread: 'zz' } })).toEqual(["event.thread: the world has no thread 'zz' (it has a, b, c)"]);
    expect(issues({ event: { kind: [] } })).toEqual(['event.kind: must list 1 to 64 values']);
    expect(() => compilePredicate(model, { event: { kind: Array.from({ length: 64 }, (_, i) => `K${i}`) } })).not.toThrow();
    expect(issues({ event: { op: Array.from({ length: 65 }, () => 'x') } })).toEqual(['event.op: must list 1 to 64 values']);
    expect(issues({ event: { op: ['x', ''] } })).toEqual(["event.op[1]: must be a text of 1 to 200 characters ('exact' or 'prefix*')"]);
    expect(issues({ event: { label: ['A1'] } })).toEqual(["event.label: must be a text of 1 to 200 characters ('exact' or 'prefix*')"]);
    expect(issues({ event: { args: {} } })).toEqual(['event.args: must be an object of operand names to values']);
    expect(issues({ event: { args: 'x' } })).toEqual(['event.args: must be an object of operand names to values']);
    expect(issues({ event: { args: { page: ['P'] } } })).toEqual(["event.args.page: must be a text of 1 to 200 characters ('exact' or 'prefix*')"]);
    expect(issues({ event: { args: { page: '$p', n: 3 } } })).toEqual([
      'event.args.page: $p is not bound by an enclosing exists/every',
      "event.args.n: must be a text of 1 to 200 characters ('exact' or 'prefix*')",
    ]);
  });
});

describe('user invariants of a world', () => {
  const withInvariants = (userInvariants: World['userInvariants']): World => ({ ...WORLD, invariants: ['deadlock'], userInvariants });

  it('compiled in order: a never breaks when its predicate holds, an always when it does not; their reads merged', () => {
    const w = withInvariants([
      { name: 'no-lock', kind: 'never', predicate: { page: 'P', locked: true }, message: 'P locked' },
      { name: 'b-runs', kind: 'always', predicate: { thread: 'b', status: 'runnable' }, message: 'b stuck' },
      { name: 'regs', kind: 'always', predicate: { exists: 'thread', as: '$t', where: { thread: '$t', regs: { n: { ge: 0 } } } }, message: 'r' },
    ]);
    const { checks, reads } = compileUserInvariants(w);
    expect(checks.map((c) => [c.name, c.breaksWhen, c.message])).toEqual([
      ['no-lock', true, 'P locked'],
      ['b-runs', false, 'b stuck'],
      ['regs', false, 'r'],
    ]);
    const s = state((x) => lock(x, PAGE.P, A));
    expect(checks.map((c) => c.test(s, null))).toEqual([true, true, true]);
    const thread = StateClass.lock | StateClass.ptl | StateClass.rmapLock | StateClass.wait | StateClass.mem;
    expect(reads).toEqual({
      classes: StateClass.lock | StateClass.count | StateClass.free | thread,
      threads: [true, true, true],
      regs: true,
      asymmetric: true,
      events: false,
    });
    expect(compileUserInvariants(withInvariants([{ name: 'one', kind: 'never', predicate: { thread: 'c', at: 'A1' }, message: 'm' }])).reads.threads).toEqual([
      false,
      false,
      true,
    ]);
    expect(checkedInvariants(w)).toEqual(['deadlock', 'no-lock', 'b-runs', 'regs']);
    expect(checkedInvariants({ invariants: ['bug-on'] })).toEqual(['bug-on']);
  });

  it('none: no checks, nothing read', () => {
    expect(compileUserInvariants(WORLD)).toEqual({ checks: [], reads: noReads(3) });
    expect(noReads(2)).toEqual({ classes: 0, threads: [false, false], regs: false, asymmetric: false, events: false });
    expect(userInvariantIssues(WORLD, (i) => `invariants[${i}]`)).toEqual([]);
  });

  it('problems of every invariant at once, each under its own field; event tests refused', () => {
    const w = withInvariants([
      { name: 'ok', kind: 'never', predicate: { page: 'P' }, message: 'm' },
      { name: 'bad', kind: 'never', predicate: { all: [{ page: 'Z' }, { event: { op: 'x' } }] }, message: 'm' },
      { name: 'worse', kind: 'always', predicate: 3, message: 'm' },
    ]);
    const error = (() => {
      try {
        compileUserInvariants(w);
      } catch (e) {
        return e as InvalidPredicateError;
      }
      return expect.unreachable('compiled');
    })();
    expect(error).toBeInstanceOf(InvalidPredicateError);
    expect(error.issues).toEqual([
      { field: '1.never.all[0].page', message: "the world has no page 'Z' (it has P, T, Q, F)" },
      { field: '1.never.all[1].event', message: "an invariant is checked on states, not on steps: test where a thread is instead ({thread: T, at: 'LABEL'})" },
      { field: '2.always', message: 'must be an object such as {"all": [...]} or {"pte": "e0", "kind": "migration"}' },
    ]);
    expect(userInvariantIssues(w, (i) => `invariants[${i + 10}]`).map((i) => i.field)).toEqual([
      'invariants[11].never.all[0].page',
      'invariants[11].never.all[1].event',
      'invariants[12].always',
    ]);
    expect(error.message).toMatch(/^invalid predicate: 1\.never\.all\[0\]\.page: the world has no page 'Z'/);
    expect([error.code, error.kind, error.at]).toEqual(['INVALID_PREDICATE', 'invalid', 'where']);
  });
});
