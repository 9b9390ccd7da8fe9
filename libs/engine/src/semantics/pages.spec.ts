import { describe, expect, it } from 'vitest';
import {
  PAGE_WIDTH,
  PageField,
  PageFlag,
  PteKind,
  RmapWalk,
  ThreadField,
  VmaFlag,
  WaitFlag,
  makeDevicePrivate,
  makeMigrationFrom,
  makePresent,
  mappingKinds,
  parseScenarioDocument,
  resolveScenarioModel,
  type InvariantName,
} from '@mmreplay/model';
import { Machine } from '../machine.js';
import * as pte from './pte.js';
import * as rc from './refcount-rmap.js';
import * as lock from './page-lock.js';

// The page-table, refcount/rmap and page-lock steps (semantics/pte.ts, refcount-rmap.ts,
// page-lock.ts) on the state vector, slot by slot (issue 20): the seeded runs of runs.golden.spec
// reach these steps, but with one thread's TLB, one PTE per PTL, a page that is its own head, so a
// wrong slot, a dropped TLB eviction or a check on the wrong thread kept the runs' digests. Each
// step is compared with the exact set of slots it should change.

const INVARIANTS: InvariantName[] = ['I2', 'I6', 'I7', 'bug-on', 'use-after-free', 'waiter-ref'];
const REGS = ['p', 'q', 'e', 'f', 'v', 'ok', 'seen', 'vma', 'n'] as const;
type Reg = (typeof REGS)[number];

/**
 * Pages P (anon, index 1), Q (free), F (file, index 2); VMAs v0 (16, pgoff 0), v1 (48, pgoff 1,
 * a temporary stack), v2 (80, nonlinear), v3 (112, unlinked); PTEs e0 at 17 and e2 at 81 under
 * ptlA, e1 at 48 under ptlB. Threads A (its TLB caches e0 and e1), B and C, all on the same path.
 */
function setUp(opts: { invariants?: InvariantName[]; rmapOrder?: 'any' | 'fixed'; tlb?: boolean; lkmm?: boolean } = {}) {
  const r = parseScenarioDocument({
    name: 'pages',
    title: 'pages',
    ...(opts.rmapOrder === 'fixed' ? { rmapOrder: 'fixed' } : {}),
    pages: [
      { name: 'P', ref: 2, map: 1, mapping: 'anon', index: 1 },
      { name: 'Q', ref: 0, map: 0, mapping: 'none', index: 0, free: true },
      { name: 'F', ref: 3, map: 1, mapping: 'file', index: 2 },
    ],
    vmas: [
      { name: 'v0', start: 16, pgoff: 0 },
      { name: 'v1', start: 48, pgoff: 1, tempStack: true },
      { name: 'v2', start: 80, pgoff: 0, nonlinear: true },
      { name: 'v3', start: 112, pgoff: 0, unlinked: true },
    ],
    ptes: [
      { name: 'e0', addr: 17, ptl: 'ptlA', init: { kind: 'present', page: 'P', writable: true } },
      { name: 'e1', addr: 48, ptl: 'ptlB', init: { kind: 'none' } },
      { name: 'e2', addr: 81, ptl: 'ptlA', init: { kind: 'present', page: 'F', writable: false } },
    ],
    ptls: ['ptlA', 'ptlB'],
    threads: ['A', 'B', 'C'].map((name, i) => ({
      name,
      path: 'x',
      args: { p: 'P', q: 'Q', e: 'e0', f: 'e1' },
      ...(opts.tlb !== false && i === 0 ? { tlb: ['e0', 'e1'] } : {}),
    })),
    paths: {
      x: {
        regs: { p: 'page', q: 'page', e: 'pte', f: 'pte', v: 'pteval', ok: 'int', seen: 'vmaset', vma: 'vma', n: 'int' },
        // (lkmm: a relaxed load and a folio_trylock(), so that the layout keeps who unlocked each page: Layout.unlockedBy)
        steps: [
          ...(opts.lkmm
            ? [
                { label: 'X.load', op: 'load', args: ['q', 0, 'p', 0] },
                { label: 'X.trylock', op: 'trylock_page', args: ['p', 'ok'] },
              ]
            : []),
          { label: 'X.end', op: 'done', args: [] },
        ],
      },
    },
  });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  // the invariants set on the world, not in the document (which refuses those no step of its path checks)
  const m = new Machine({ ...resolveScenarioModel(r.scenario, { memoryModel: opts.lkmm ? 'lkmm' : 'sc' }).world, invariants: opts.invariants ?? INVARIANTS });
  const s = m.initialState();
  const L = m.layout;
  const R = (t: number) => L.reg(t, 0);
  const reg = (name: Reg) => REGS.indexOf(name);
  const page = (name: string) => ['P', 'Q', 'F'].indexOf(name);
  const pf = (pi: number, f: number) => L.pages + pi * PAGE_WIDTH + f;
  const ptl = (name: 'ptlA' | 'ptlB') => L.ptl(name === 'ptlA' ? 0 : 1);
  return {
    m,
    s,
    L,
    R,
    reg,
    page,
    pf,
    ptl,
    set: (t: number, name: Reg, v: number) => (s[R(t) + reg(name)] = v),
    get: (t: number, name: Reg) => s[R(t) + reg(name)],
  };
}

/** The slots that differ, with their values after. */
function changes(before: Int32Array, after: Int32Array): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0; i < after.length; i++) if (before[i] !== after[i]) out.push([i, after[i]]);
  return out;
}

/** Runs `f` on `s` and returns what it returned with the slots it changed (sorted). */
function step<T>(s: Int32Array, f: () => T): { result: T; changed: [number, number][] } {
  const before = Int32Array.from(s);
  const result = f();
  return { result, changed: changes(before, s) };
}

const sorted = (c: [number, number][]) => [...c].sort((a, b) => a[0] - b[0]);
const violation = (m: Machine) => m.violation;

describe('page-table locks and PTEs (pte.ts)', () => {
  it('ptlLock sets the PTL of the PTE in the register to the thread + 1; ptlUnlock clears it, refusing a PTL held by another', () => {
    const { m, s, R, reg, set, ptl } = setUp();
    set(2, 'f', 1);
    expect(step(s, () => pte.ptlLock(m, s, 2, R(2), reg('f')))).toEqual({ result: true, changed: [[ptl('ptlB'), 3]] });
    // another thread's unlock: I2, and the slot is cleared all the same
    set(1, 'f', 1);
    expect(step(s, () => pte.ptlUnlock(m, s, 1, R(1), reg('f')))).toEqual({ result: false, changed: [[ptl('ptlB'), 0]] });
    expect(violation(m)).toEqual({ invariant: 'I2', thread: 1, message: 'B: spin_unlock of a PTL it does not hold' });
    m.violation = null;
    pte.ptlLock(m, s, 1, R(1), reg('f'));
    expect(step(s, () => pte.ptlUnlock(m, s, 1, R(1), reg('f')))).toEqual({ result: true, changed: [[ptl('ptlB'), 0]] });
    expect(violation(m)).toBeNull();
  });

  it('pteRead copies the PTE the register names into the output register, nothing else', () => {
    const { m, s, L, R, reg, set } = setUp();
    set(1, 'e', 2);
    expect(step(s, () => pte.pteRead(m, s, R(1), reg('e'), reg('v')))).toEqual({ result: true, changed: [[R(1) + reg('v'), s[L.ptes + 2]]] });
    expect(s[R(1) + reg('v')]).toBe(makePresent(2, false));
  });

  it('hwAccess without TLBs reads the PTE', () => {
    const { m, s, R, reg, set } = setUp({ tlb: false });
    set(0, 'e', 2);
    expect(step(s, () => pte.hwAccess(m, s, 0, R(0), reg('e'), reg('v'), 0))).toEqual({ result: true, changed: [[R(0) + reg('v'), makePresent(2, false)]] });
  });

  it('hwAccess: choice 0 uses the cached translation; choice 1 evicts it and caches the PTE again if present; a thread without an entry reads the PTE', () => {
    const { m, s, L, R, reg } = setUp();
    const cached = L.tlbEntry(0, 0);
    expect(s[cached]).toBe(makePresent(0, true));
    // the PTE changed behind the TLB: choice 0 still sees the old translation
    const moved = makeMigrationFrom(makePresent(0, true), 0);
    s[L.ptes + 0] = moved;
    expect(step(s, () => pte.hwAccess(m, s, 0, R(0), reg('e'), reg('v'), 0))).toEqual({ result: true, changed: [[R(0) + reg('v'), makePresent(0, true)]] });
    // choice 1: evicted, the PTE read, not cached (not present)
    expect(sorted(step(s, () => pte.hwAccess(m, s, 0, R(0), reg('e'), reg('v'), 1)).changed)).toEqual(
      sorted([
        [cached, 0],
        [R(0) + reg('v'), moved],
      ]),
    );
    // a present PTE is cached again
    s[L.ptes + 0] = makePresent(1, false);
    expect(sorted(step(s, () => pte.hwAccess(m, s, 0, R(0), reg('e'), reg('v'), 0)).changed)).toEqual(
      sorted([
        [cached, makePresent(1, false)],
        [R(0) + reg('v'), makePresent(1, false)],
      ]),
    );
    // thread B's own (empty) entry: the PTE, cached in B's entry only
    expect(sorted(step(s, () => pte.hwAccess(m, s, 1, R(1), reg('e'), reg('v'), 0)).changed)).toEqual(
      sorted([
        [L.tlbEntry(1, 0), makePresent(1, false)],
        [R(1) + reg('v'), makePresent(1, false)],
      ]),
    );
  });

  it('pteClear returns the old value and clears the PTE; without its PTL it is I2, naming the PTE and the PTL', () => {
    const { m, s, L, R, reg, set, ptl } = setUp();
    set(1, 'e', 2);
    s[ptl('ptlA')] = 2;
    expect(sorted(step(s, () => pte.pteClear(m, s, 1, R(1), reg('e'), reg('v'))).changed)).toEqual(
      sorted([
        [R(1) + reg('v'), makePresent(2, false)],
        [L.ptes + 2, 0],
      ]),
    );
    expect(violation(m)).toBeNull();
    // ptlA held by A, not B
    s[L.ptes + 2] = makePresent(2, false);
    s[ptl('ptlA')] = 1;
    expect(pte.pteClear(m, s, 1, R(1), reg('e'), reg('v'))).toBe(false);
    expect(violation(m)).toEqual({ invariant: 'I2', thread: 1, message: 'B: writes PTE e2 without holding ptlA' });
    expect(s[L.ptes + 2]).toBe(0);
  });

  it('tlbFlush drops every thread’s cached translation of that PTE only; tlbFlushBatched drops all', () => {
    const { m, s, L, R, reg, set } = setUp();
    // fill every TLB entry
    for (let t = 0; t < 3; t++) for (let e = 0; e < 3; e++) s[L.tlbEntry(t, e)] = 100 + 10 * t + e;
    set(0, 'f', 1);
    expect(sorted(step(s, () => pte.tlbFlush(m, s, R(0), reg('f'))).changed)).toEqual(sorted([0, 1, 2].map((t) => [L.tlbEntry(t, 1), 0])));
    const all = step(s, () => pte.tlbFlushBatched(m, s));
    expect(all.result).toBe(true);
    expect(sorted(all.changed)).toEqual(sorted([0, 1, 2].flatMap((t) => [0, 2].map((e): [number, number] => [L.tlbEntry(t, e), 0]))));
    // no TLBs: nothing to do
    const bare = setUp({ tlb: false });
    expect(step(bare.s, () => pte.tlbFlush(bare.m, bare.s, bare.R(0), bare.reg('e')))).toEqual({ result: true, changed: [] });
    expect(step(bare.s, () => pte.tlbFlushBatched(bare.m, bare.s))).toEqual({ result: true, changed: [] });
  });

  it('setMigrationPte installs the entry made from the old value; I7 unless the thread holds the page lock; I2 first without the PTL', () => {
    const { m, s, L, R, reg, set, pf, ptl } = setUp();
    const old = makePresent(0, true, true, true);
    set(1, 'v', old);
    s[ptl('ptlA')] = 2;
    // P locked by B: fine
    s[pf(0, PageField.flags)] |= PageFlag.locked;
    s[pf(0, PageField.owner)] = 2;
    expect(step(s, () => pte.setMigrationPte(m, s, 1, R(1), reg('e'), reg('p'), reg('v')))).toEqual({
      result: true,
      changed: [[L.ptes + 0, makeMigrationFrom(old, 0)]],
    });
    // locked by C
    s[pf(0, PageField.owner)] = 3;
    expect(pte.setMigrationPte(m, s, 1, R(1), reg('e'), reg('p'), reg('v'))).toBe(false);
    expect(violation(m)).toEqual({ invariant: 'I7', thread: 1, message: 'B: installs a migration entry for P without holding its page lock' });
    // B the owner, but PG_locked clear
    m.violation = null;
    s[pf(0, PageField.owner)] = 2;
    s[pf(0, PageField.flags)] &= ~PageFlag.locked;
    expect(pte.setMigrationPte(m, s, 1, R(1), reg('e'), reg('p'), reg('v'))).toBe(false);
    expect(violation(m)?.invariant).toBe('I7');
    // without the PTL: I2, not I7, and the entry is installed all the same
    m.violation = null;
    s[ptl('ptlA')] = 0;
    s[L.ptes + 0] = 0;
    expect(pte.setMigrationPte(m, s, 1, R(1), reg('e'), reg('p'), reg('v'))).toBe(false);
    expect(violation(m)?.invariant).toBe('I2');
    expect(s[L.ptes + 0]).toBe(makeMigrationFrom(old, 0));
    // I7 not enabled: no check
    const off = setUp({ invariants: ['I2'] });
    off.s[off.ptl('ptlA')] = 2;
    off.set(1, 'v', old);
    expect(pte.setMigrationPte(off.m, off.s, 1, off.R(1), off.reg('e'), off.reg('p'), off.reg('v'))).toBe(true);
  });

  it('setPresentPte restores a present PTE from the entry, writable as the entry says; for a device page a device-private entry', () => {
    const { m, s, L, R, reg, set, pf, ptl } = setUp();
    s[ptl('ptlB')] = 1;
    set(0, 'q', 1);
    set(0, 'v', makeMigrationFrom(makePresent(0, true, true), 0));
    expect(step(s, () => pte.setPresentPte(m, s, 0, R(0), reg('f'), reg('q'), reg('v')))).toEqual({
      result: true,
      changed: [[L.ptes + 1, makePresent(1, true, true)]],
    });
    s[pf(1, PageField.mapping)] = mappingKinds.indexOf('device');
    pte.setPresentPte(m, s, 0, R(0), reg('f'), reg('q'), reg('v'));
    expect(s[L.ptes + 1]).toBe(makeDevicePrivate(1, true));
    set(0, 'v', makeMigrationFrom(makePresent(0, false), 0));
    pte.setPresentPte(m, s, 0, R(0), reg('f'), reg('q'), reg('v'));
    expect(s[L.ptes + 1]).toBe(makeDevicePrivate(1, false));
    // without ptlB
    s[ptl('ptlB')] = 2;
    expect(pte.setPresentPte(m, s, 0, R(0), reg('f'), reg('q'), reg('v'))).toBe(false);
    expect(violation(m)).toEqual({ invariant: 'I2', thread: 0, message: 'A: writes PTE e1 without holding ptlB' });
  });

  it('pteMove moves the value and drops every TLB entry of the old PTE; both PTLs are required', () => {
    const { m, s, L, R, reg, ptl } = setUp();
    for (let t = 0; t < 3; t++) for (let e = 0; e < 3; e++) s[L.tlbEntry(t, e)] = 100 + 10 * t + e;
    s[ptl('ptlA')] = 2;
    s[ptl('ptlB')] = 2;
    expect(sorted(step(s, () => pte.pteMove(m, s, 1, R(1), reg('e'), reg('f'))).changed)).toEqual(
      sorted([[L.ptes + 1, makePresent(0, true)], [L.ptes + 0, 0], ...[0, 1, 2].map((t): [number, number] => [L.tlbEntry(t, 0), 0])]),
    );
    expect(violation(m)).toBeNull();
    // either PTL missing: I2
    s[ptl('ptlB')] = 0;
    expect(pte.pteMove(m, s, 1, R(1), reg('f'), reg('e'))).toBe(false);
    expect(violation(m)?.message).toBe('B: writes PTE e1 without holding ptlB');
    m.violation = null;
    s[ptl('ptlB')] = 2;
    s[ptl('ptlA')] = 0;
    expect(pte.pteMove(m, s, 1, R(1), reg('f'), reg('e'))).toBe(false);
    expect(violation(m)?.message).toBe('B: writes PTE e0 without holding ptlA');
    // without TLBs only the PTEs move
    const bare = setUp({ tlb: false });
    bare.s[bare.ptl('ptlA')] = 1;
    bare.s[bare.ptl('ptlB')] = 1;
    expect(step(bare.s, () => pte.pteMove(bare.m, bare.s, 0, bare.R(0), bare.reg('e'), bare.reg('f'))).changed.length).toBe(2);
  });

  it('pteCopy copies the value; a present PTE also takes a reference and a mapcount of its page; both PTLs are required', () => {
    const { m, s, L, R, reg, set, pf, ptl } = setUp();
    s[ptl('ptlA')] = 3;
    s[ptl('ptlB')] = 3;
    set(2, 'e', 2);
    expect(sorted(step(s, () => pte.pteCopy(m, s, 2, R(2), reg('e'), reg('f'))).changed)).toEqual(
      sorted([
        [L.ptes + 1, makePresent(2, false)],
        [pf(2, PageField.ref), 4],
        [pf(2, PageField.map), 2],
      ]),
    );
    // a migration entry: the value only
    s[L.ptes + 2] = makeMigrationFrom(makePresent(2, false), 2);
    expect(step(s, () => pte.pteCopy(m, s, 2, R(2), reg('e'), reg('f'))).changed).toEqual([[L.ptes + 1, s[L.ptes + 2]]]);
    s[ptl('ptlA')] = 0;
    expect(pte.pteCopy(m, s, 2, R(2), reg('e'), reg('f'))).toBe(false);
    expect(violation(m)?.message).toBe('C: writes PTE e2 without holding ptlA');
    m.violation = null;
    s[ptl('ptlA')] = 3;
    s[ptl('ptlB')] = 1;
    expect(pte.pteCopy(m, s, 2, R(2), reg('e'), reg('f'))).toBe(false);
    expect(violation(m)?.message).toBe('C: writes PTE e1 without holding ptlB');
  });
});

describe('references, mapcount and the rmap (refcount-rmap.ts)', () => {
  it('getPage takes a reference; on a freed or frozen page it is use-after-free, naming which', () => {
    const { m, s, R, reg, pf, set } = setUp();
    expect(step(s, () => rc.getPage(m, s, 1, R(1), reg('p')))).toEqual({ result: true, changed: [[pf(0, PageField.ref), 3]] });
    set(1, 'p', 2);
    s[pf(2, PageField.flags)] = PageFlag.frozen;
    expect(step(s, () => rc.getPage(m, s, 1, R(1), reg('p')))).toEqual({ result: false, changed: [[pf(2, PageField.ref), 4]] });
    expect(violation(m)).toEqual({ invariant: 'use-after-free', thread: 1, message: 'B: folio_get on frozen page F' });
    s[pf(2, PageField.flags)] = PageFlag.freed;
    rc.getPage(m, s, 1, R(1), reg('p'));
    expect(violation(m)?.message).toBe('B: folio_get on freed page F');
  });

  it('putPage drops a reference; the last one frees the page (bad_page if locked); none left is use-after-free', () => {
    const { m, s, pf } = setUp();
    expect(step(s, () => rc.putPage(m, s, 0, 0))).toEqual({ result: true, changed: [[pf(0, PageField.ref), 1]] });
    expect(sorted(step(s, () => rc.putPage(m, s, 0, 0)).changed)).toEqual(
      sorted([
        [pf(0, PageField.ref), 0],
        [pf(0, PageField.flags), PageFlag.freed],
      ]),
    );
    expect(violation(m)).toBeNull();
    expect(step(s, () => rc.putPage(m, s, 0, 0))).toEqual({ result: false, changed: [] });
    expect(violation(m)).toEqual({ invariant: 'use-after-free', thread: 0, message: 'A: folio_put on P with refcount 0' });
    m.violation = null;
    s[pf(2, PageField.ref)] = 1;
    s[pf(2, PageField.flags)] = PageFlag.locked;
    expect(rc.putPage(m, s, 1, 2)).toBe(false);
    expect(s[pf(2, PageField.flags)]).toBe(PageFlag.locked | PageFlag.freed);
    expect(violation(m)?.message).toBe('B: frees F while it is locked (bad_page)');
  });

  it('tryGetPage: a reference and ok = 1, unless the refcount is 0 or frozen', () => {
    const { m, s, R, reg, pf, set } = setUp();
    set(0, 'ok', 7);
    expect(sorted(step(s, () => rc.tryGetPage(m, s, R(0), reg('p'), reg('ok'))).changed)).toEqual(
      sorted([
        [pf(0, PageField.ref), 3],
        [R(0) + reg('ok'), 1],
      ]),
    );
    s[pf(0, PageField.flags)] = PageFlag.frozen;
    expect(step(s, () => rc.tryGetPage(m, s, R(0), reg('p'), reg('ok'))).changed).toEqual([[R(0) + reg('ok'), 0]]);
    set(0, 'p', 1);
    set(0, 'ok', 7);
    expect(step(s, () => rc.tryGetPage(m, s, R(0), reg('p'), reg('ok'))).changed).toEqual([[R(0) + reg('ok'), 0]]);
  });

  it('refCheck and refFreeze against folio_expected_refs (1, +1 for a page-cache mapping) + extra; refUnfreeze', () => {
    const { m, s, R, reg, pf, set } = setUp();
    // P anon, ref 2: expected 1 + extra 1
    set(0, 'n', 1);
    expect(step(s, () => rc.refCheck(m, s, R(0), reg('p'), 1, reg('ok'))).changed).toEqual([[R(0) + reg('ok'), 1]]);
    rc.refCheck(m, s, R(0), reg('p'), 0, reg('ok'));
    expect(s[R(0) + reg('ok')]).toBe(0);
    rc.refCheck(m, s, R(0), reg('p'), 2, reg('ok'));
    expect(s[R(0) + reg('ok')]).toBe(0);
    // F file, ref 3: expected 2 + 1
    set(0, 'q', 2);
    rc.refCheck(m, s, R(0), reg('q'), 1, reg('ok'));
    expect(s[R(0) + reg('ok')]).toBe(1);
    expect(rc.expectedRefs(m, s, 2)).toBe(2);
    for (const [kind, refs] of [
      ['file', 2],
      ['shmem', 2],
      ['swapcache', 2],
      ['anon', 1],
      ['device', 1],
      ['none', 1],
    ] as const) {
      s[pf(1, PageField.mapping)] = mappingKinds.indexOf(kind);
      expect(rc.expectedRefs(m, s, 1)).toBe(refs);
      expect(rc.hasPageCache(mappingKinds.indexOf(kind))).toBe(refs === 2);
    }
    // freeze F with extra 1: frozen, the count kept aside, ref 0
    set(0, 'ok', 7);
    const frozen = step(s, () => rc.refFreeze(m, s, R(0), reg('q'), 1, reg('ok')));
    expect(sorted(frozen.changed)).toEqual(
      sorted([
        [pf(2, PageField.flags), PageFlag.frozen],
        [pf(2, PageField.frozen), 3],
        [pf(2, PageField.ref), 0],
        [R(0) + reg('ok'), 1],
      ]),
    );
    // a second freeze fails (ref 0 is not the count, and it is frozen); a count that matches but frozen also fails
    expect(step(s, () => rc.refFreeze(m, s, R(0), reg('q'), 1, reg('ok'))).changed).toEqual([[R(0) + reg('ok'), 0]]);
    s[pf(2, PageField.ref)] = 3;
    expect(step(s, () => rc.refFreeze(m, s, R(0), reg('q'), 1, reg('ok'))).changed).toEqual([]);
    s[pf(2, PageField.ref)] = 0;
    // unfreeze taking 1 off: ref 2, frozen field and flag cleared (other flags kept)
    s[pf(2, PageField.flags)] |= PageFlag.locked;
    expect(sorted(step(s, () => rc.refUnfreeze(m, s, R(0), reg('q'), 1)).changed)).toEqual(
      sorted([
        [pf(2, PageField.ref), 2],
        [pf(2, PageField.frozen), 0],
        [pf(2, PageField.flags), PageFlag.locked],
      ]),
    );
  });

  it('rmapAdd and rmapRemove count mappings (underflow is use-after-free); pageMapped', () => {
    const { m, s, R, reg, pf, set } = setUp();
    expect(step(s, () => rc.rmapAdd(m, s, R(1), reg('p')))).toEqual({ result: true, changed: [[pf(0, PageField.map), 2]] });
    set(1, 'q', 1);
    expect(step(s, () => rc.pageMapped(m, s, R(1), reg('q'), reg('ok')))).toEqual({ result: true, changed: [] });
    s[pf(1, PageField.map)] = 1;
    expect(step(s, () => rc.pageMapped(m, s, R(1), reg('q'), reg('ok'))).changed).toEqual([[R(1) + reg('ok'), 1]]);
    expect(step(s, () => rc.rmapRemove(m, s, 1, R(1), reg('q')))).toEqual({ result: true, changed: [[pf(1, PageField.map), 0]] });
    expect(step(s, () => rc.pageMapped(m, s, R(1), reg('q'), reg('ok'))).changed).toEqual([[R(1) + reg('ok'), 0]]);
    expect(step(s, () => rc.rmapRemove(m, s, 1, R(1), reg('q')))).toEqual({ result: false, changed: [[pf(1, PageField.map), -1]] });
    expect(violation(m)).toEqual({ invariant: 'use-after-free', thread: 1, message: 'B: mapcount underflow on Q' });
    rc.pageMapped(m, s, R(1), reg('q'), reg('ok'));
    expect(s[R(1) + reg('ok')]).toBe(0);
  });

  it('rmapLock / rmapUnlock: write is -1, readers count up and down', () => {
    const { m, s, L } = setUp();
    expect(step(s, () => rc.rmapLock(m, s, 0))).toEqual({ result: true, changed: [[L.rmap, 1]] });
    rc.rmapLock(m, s, 0);
    expect(s[L.rmap]).toBe(2);
    expect(step(s, () => rc.rmapUnlock(m, s, 0))).toEqual({ result: true, changed: [[L.rmap, 1]] });
    rc.rmapUnlock(m, s, 0);
    expect(s[L.rmap]).toBe(0);
    expect(step(s, () => rc.rmapLock(m, s, 1))).toEqual({ result: true, changed: [[L.rmap, -1]] });
    expect(step(s, () => rc.rmapUnlock(m, s, 1))).toEqual({ result: true, changed: [[L.rmap, 0]] });
  });

  it('vmaSet writes one field of one VMA', () => {
    const { m, s, L } = setUp();
    expect(step(s, () => rc.vmaSet(m, s, 2, 1, 9))).toEqual({ result: true, changed: [[L.vma(2, 1), 9]] });
  });

  it('vmaVisible and walkCandidates: the interval tree, the temporary stack skipped on request, the nonlinear list on request, unlinked never', () => {
    const { m, s, L } = setUp();
    const visible = (flags: number) => [0, 1, 2, 3].filter((v) => rc.vmaVisible(m, s, v, flags));
    expect(visible(0)).toEqual([0, 1]);
    expect(visible(RmapWalk.skipTempStack)).toEqual([0]);
    expect(visible(RmapWalk.nonlinear)).toEqual([0, 1, 2]);
    expect(visible(RmapWalk.nonlinear | RmapWalk.skipTempStack)).toEqual([0, 2]);
    // a temporary stack on the nonlinear list: skipped too
    s[L.vma(2, 2)] |= VmaFlag.tempStack;
    expect(visible(RmapWalk.nonlinear | RmapWalk.skipTempStack)).toEqual([0]);
    expect(visible(RmapWalk.nonlinear)).toEqual([0, 1, 2]);
    expect(rc.walkCandidates(m, s, 0, RmapWalk.nonlinear)).toBe(3);
    expect(rc.walkCandidates(m, s, 0b101, RmapWalk.nonlinear)).toBe(1);
    expect(rc.walkCandidates(m, s, 0b1000, 0)).toBe(2);
    expect(rc.walkCandidates(m, s, 0b11, 0)).toBe(0);
  });

  it('rmapNext (rmapOrder any): the choice-th unvisited visible VMA, the PTE at vma_address() or -1; false when none is left', () => {
    const { m, s, L, R, reg, set } = setUp();
    const next = (choice: number, flags: number = RmapWalk.nonlinear) => rc.rmapNext(m, s, R(1), reg('p'), reg('seen'), reg('vma'), reg('e'), flags, choice);
    // P (index 1): v0 maps it at 16 + 1 - 0 = 17 (e0), v1 at 48 + 1 - 1 = 48 (e1), v2 at 81 (e2)
    set(1, 'seen', 0);
    expect(step(s, () => next(1)).changed.sort((a, b) => a[0] - b[0])).toEqual(
      sorted([
        [R(1) + reg('seen'), 0b10],
        [R(1) + reg('vma'), 1],
        [R(1) + reg('e'), 1],
      ]),
    );
    expect(next(1)).toBe(true);
    expect([s[R(1) + reg('seen')], s[R(1) + reg('vma')], s[R(1) + reg('e')]]).toEqual([0b110, 2, 2]);
    expect(next(0)).toBe(true);
    expect([s[R(1) + reg('seen')], s[R(1) + reg('vma')], s[R(1) + reg('e')]]).toEqual([0b111, 0, 0]);
    // done: false, nothing written
    expect(step(s, () => next(0))).toEqual({ result: false, changed: [] });
    // a choice past the candidates: done too
    set(1, 'seen', 0);
    expect(step(s, () => next(3))).toEqual({ result: false, changed: [] });
    // F (index 2) in v0 is at 18: no PTE there
    set(1, 'p', 2);
    set(1, 'e', 5);
    expect(next(0, 0)).toBe(true);
    expect([s[R(1) + reg('vma')], s[R(1) + reg('e')]]).toEqual([0, -1]);
    // a VMA whose pgoff moves the address onto e0: v3 linked, start 112, pgoff 97 maps index 2 at 17
    s[L.vma(3, 2)] = VmaFlag.inInterval;
    s[L.vma(3, 1)] = 97;
    set(1, 'seen', 0b11);
    expect(next(0, 0)).toBe(true);
    expect([s[R(1) + reg('vma')], s[R(1) + reg('e')]]).toEqual([3, 0]);
  });

  it('rmapNext (rmapOrder fixed) takes the first candidate whatever the choice', () => {
    const { m, s, R, reg, set } = setUp({ rmapOrder: 'fixed' });
    set(0, 'seen', 0b1);
    expect(rc.rmapNext(m, s, R(0), reg('p'), reg('seen'), reg('vma'), reg('e'), RmapWalk.nonlinear, 1)).toBe(true);
    expect(s[R(0) + reg('vma')]).toBe(1);
  });
});

describe('the page lock and its wait queue (page-lock.ts)', () => {
  const wait = (h: ReturnType<typeof setUp>, t: number) => [h.s[h.L.thread(t, ThreadField.waitPage)], h.s[h.L.thread(t, ThreadField.waitFlags)]];

  it('trylockPage: takes a free lock (owner, ok = 1), fails on a held one; a freed page is use-after-free', () => {
    const h = setUp();
    const { m, s, R, reg, pf } = h;
    expect(sorted(step(s, () => lock.trylockPage(m, s, 1, R(1), reg('p'), reg('ok'))).changed)).toEqual(
      sorted([
        [pf(0, PageField.flags), PageFlag.locked],
        [pf(0, PageField.owner), 2],
        [R(1) + reg('ok'), 1],
      ]),
    );
    expect(step(s, () => lock.trylockPage(m, s, 2, R(2), reg('p'), reg('ok')))).toEqual({ result: true, changed: [] });
    s[R(2) + reg('ok')] = 5;
    lock.trylockPage(m, s, 2, R(2), reg('p'), reg('ok'));
    expect(s[R(2) + reg('ok')]).toBe(0);
    s[pf(0, PageField.flags)] = PageFlag.freed;
    expect(lock.trylockPage(m, s, 2, R(2), reg('p'), reg('ok'))).toBe(false);
    expect(violation(m)).toEqual({ invariant: 'use-after-free', thread: 2, message: 'C: trylock of freed page P' });
    expect(s[pf(0, PageField.owner)]).toBe(3);
  });

  it('lockPage: takes a free lock; else sleeps as an exclusive waiter at the tail; takes a lock handed to it', () => {
    const h = setUp();
    const { m, s, R, reg, pf, L } = h;
    const out = { slept: true };
    expect(sorted(step(s, () => lock.lockPage(m, s, 0, R(0), reg('p'), out)).changed)).toEqual(
      sorted([
        [pf(0, PageField.flags), PageFlag.locked],
        [pf(0, PageField.owner), 1],
      ]),
    );
    expect(out.slept).toBe(false);
    // B and C sleep, at positions 0 and 1
    expect(sorted(step(s, () => lock.lockPage(m, s, 1, R(1), reg('p'), out)).changed)).toEqual(
      sorted([
        [pf(0, PageField.flags), PageFlag.locked | PageFlag.waiters],
        [L.thread(1, ThreadField.waitPage), 0],
        [L.thread(1, ThreadField.waitFlags), WaitFlag.exclusive],
      ]),
    );
    expect(out.slept).toBe(true);
    expect(lockPageTakesAll(h)).toEqual([false, false, false]);
    lock.lockPage(m, s, 2, R(2), reg('p'), out);
    expect(wait(h, 2)).toEqual([0, WaitFlag.exclusive | (1 << 4)]);
    // A unlocks: B is handed the lock (woken, exclusive), C moves to position 0
    expect(lock.unlockPage(m, s, 0, R(0), reg('p'))).toBe(true);
    expect(s[pf(0, PageField.owner)]).toBe(2);
    expect(s[pf(0, PageField.flags)]).toBe(PageFlag.locked | PageFlag.waiters);
    expect(wait(h, 1)).toEqual([0, WaitFlag.exclusive | WaitFlag.woken]);
    expect(wait(h, 2)).toEqual([0, WaitFlag.exclusive]);
    expect(lockPageTakesAll(h)).toEqual([false, true, false]);
    // B retries its folio_lock: it has the lock, its wait entry is cleared
    out.slept = true;
    expect(sorted(step(s, () => lock.lockPage(m, s, 1, R(1), reg('p'), out)).changed)).toEqual(
      sorted([
        [L.thread(1, ThreadField.waitPage), -1],
        [L.thread(1, ThreadField.waitFlags), 0],
      ]),
    );
    expect(out.slept).toBe(false);
    // a freed page: use-after-free
    s[pf(2, PageField.flags)] = PageFlag.freed;
    h.set(0, 'q', 2);
    expect(lock.lockPage(m, s, 0, R(0), reg('q'), out)).toBe(false);
    expect(violation(m)).toEqual({ invariant: 'use-after-free', thread: 0, message: 'A: folio_lock of freed page F' });
  });

  /** lockPageTakes of page P (register p) for each thread */
  function lockPageTakesAll(h: ReturnType<typeof setUp>) {
    return [0, 1, 2].map((t) => lock.lockPageTakes(h.m, h.s, t, h.R(t), h.reg('p')));
  }

  it('lockPageTakes: a waiter whose page is another, or whose page is locked by someone else, does not take it', () => {
    const h = setUp();
    const { s, pf, L } = h;
    s[pf(0, PageField.flags)] = PageFlag.locked;
    s[pf(0, PageField.owner)] = 2;
    // B owns it but waits on F: not a hand-over
    s[L.thread(1, ThreadField.waitPage)] = 2;
    expect(lockPageTakesAll(h)).toEqual([false, false, false]);
    s[L.thread(1, ThreadField.waitPage)] = 0;
    expect(lockPageTakesAll(h)).toEqual([false, true, false]);
    // waiting on P, P locked by A: no
    s[pf(0, PageField.owner)] = 1;
    expect(lockPageTakesAll(h)).toEqual([false, false, false]);
    s[pf(0, PageField.flags)] = PageFlag.waiters;
    expect(lockPageTakesAll(h)).toEqual([true, true, true]);
  });

  it('unlockPage: BUG_ON if not locked or locked by another; I6 while migration entries for the page (or for a tail of it) exist', () => {
    const h = setUp();
    const { m, s, R, reg, pf, L } = h;
    expect(step(s, () => lock.unlockPage(m, s, 1, R(1), reg('p')))).toEqual({ result: false, changed: [] });
    expect(violation(m)).toEqual({ invariant: 'bug-on', thread: 1, message: 'B: VM_BUG_ON_FOLIO(!folio_test_locked) in folio_unlock of P' });
    m.violation = null;
    s[pf(0, PageField.flags)] = PageFlag.locked;
    s[pf(0, PageField.owner)] = 1;
    expect(lock.unlockPage(m, s, 1, R(1), reg('p'))).toBe(false);
    expect(violation(m)?.invariant).toBe('bug-on');
    expect([s[pf(0, PageField.flags)], s[pf(0, PageField.owner)]]).toEqual([0, 0]);
    // a migration entry naming F, whose head is P: I6 on P's unlock
    m.violation = null;
    s[pf(2, PageField.head)] = 0;
    s[L.ptes + 2] = makeMigrationFrom(makePresent(2, true), 2);
    s[pf(0, PageField.flags)] = PageFlag.locked;
    s[pf(0, PageField.owner)] = 2;
    expect(lock.unlockPage(m, s, 1, R(1), reg('p'))).toBe(false);
    expect(violation(m)).toEqual({ invariant: 'I6', thread: 1, message: 'B: unlocks P while migration entries for it exist' });
    // a present PTE of F, or F its own head again: fine
    m.violation = null;
    s[pf(0, PageField.flags)] = PageFlag.locked;
    s[pf(0, PageField.owner)] = 2;
    s[pf(2, PageField.head)] = 2;
    expect(lock.unlockPage(m, s, 1, R(1), reg('p'))).toBe(true);
    s[pf(2, PageField.head)] = 0;
    s[L.ptes + 2] = makePresent(2, true);
    s[pf(0, PageField.flags)] = PageFlag.locked;
    s[pf(0, PageField.owner)] = 2;
    expect(lock.unlockPage(m, s, 1, R(1), reg('p'))).toBe(true);
    // I6 off: not checked
    const off = setUp({ invariants: ['bug-on'] });
    off.s[off.L.ptes + 0] = makeMigrationFrom(makePresent(0, true), 0);
    off.s[off.pf(0, PageField.flags)] = PageFlag.locked;
    off.s[off.pf(0, PageField.owner)] = 1;
    expect(lock.unlockPage(off.m, off.s, 0, off.R(0), off.reg('p'))).toBe(true);
  });

  it('unlockPage wakes the shared waiters up to the first exclusive one, hands it the lock, keeps the rest in order; PG_waiters cleared only when the queue is empty', () => {
    const h = setUp();
    const { m, s, R, reg, pf, L } = h;
    s[pf(0, PageField.flags)] = PageFlag.locked | PageFlag.waiters;
    s[pf(0, PageField.owner)] = 1;
    // queue: C shared (position 0), B exclusive (1), A shared (2: A is the unlocker here only as a queued thread of the test)
    s[L.thread(2, ThreadField.waitPage)] = 0;
    s[L.thread(2, ThreadField.waitFlags)] = 0 << 4;
    s[L.thread(1, ThreadField.waitPage)] = 0;
    s[L.thread(1, ThreadField.waitFlags)] = WaitFlag.exclusive | (1 << 4);
    s[L.thread(0, ThreadField.waitPage)] = 0;
    s[L.thread(0, ThreadField.waitFlags)] = 2 << 4;
    m.readOthers = false;
    m.wroteOthers = false;
    expect(lock.unlockPage(m, s, 0, R(0), reg('p'))).toBe(true);
    expect(wait(h, 2)).toEqual([0, WaitFlag.woken]);
    expect(wait(h, 1)).toEqual([0, WaitFlag.exclusive | WaitFlag.woken]);
    expect(wait(h, 0)).toEqual([0, 0]);
    expect([s[pf(0, PageField.flags)], s[pf(0, PageField.owner)]]).toEqual([PageFlag.locked | PageFlag.waiters, 2]);
    expect([m.readOthers, m.wroteOthers]).toEqual([true, true]);
    // B unlocks: A (shared) woken, the queue empty, PG_waiters cleared
    expect(lock.unlockPage(m, s, 1, R(1), reg('p'))).toBe(true);
    expect(wait(h, 0)).toEqual([0, WaitFlag.woken]);
    expect([s[pf(0, PageField.flags)], s[pf(0, PageField.owner)]]).toEqual([0, 0]);
  });

  it('queueWaiter: at the tail of a locked page’s queue, WOKEN at once on an unlocked one; put_and_wait drops its reference', () => {
    const h = setUp({ invariants: ['use-after-free'] });
    const { m, s, R, reg, pf, L } = h;
    s[pf(0, PageField.flags)] = PageFlag.locked;
    expect(sorted(step(s, () => lock.queueWaiter(m, s, 1, R(1), reg('p'), false)).changed)).toEqual(
      sorted([
        [pf(0, PageField.flags), PageFlag.locked | PageFlag.waiters],
        [L.thread(1, ThreadField.waitPage), 0],
      ]),
    );
    expect(wait(h, 1)).toEqual([0, 0]);
    expect(sorted(step(s, () => lock.queueWaiter(m, s, 2, R(2), reg('p'), true)).changed)).toEqual(
      sorted([
        [L.thread(2, ThreadField.waitPage), 0],
        [L.thread(2, ThreadField.waitFlags), 1 << 4],
        [pf(0, PageField.ref), 1],
      ]),
    );
    // F unlocked: woken at once
    h.set(0, 'p', 2);
    expect(sorted(step(s, () => lock.queueWaiter(m, s, 0, R(0), reg('p'), false)).changed)).toEqual(
      sorted([
        [pf(2, PageField.flags), PageFlag.waiters],
        [L.thread(0, ThreadField.waitPage), 2],
        [L.thread(0, ThreadField.waitFlags), WaitFlag.woken],
      ]),
    );
    // a freed page
    s[pf(2, PageField.flags)] = PageFlag.freed;
    expect(lock.queueWaiter(m, s, 0, R(0), reg('p'), true)).toBe(false);
    expect(violation(m)).toEqual({ invariant: 'use-after-free', thread: 0, message: 'A: queues on the wait queue of freed page F' });
    // the reference is not dropped after a failure
    expect(s[pf(2, PageField.ref)]).toBe(3);
  });

  it('queueWaiter (waiter-ref): put_and_wait needs its reference; waitq_add needs the PTL of a migration or device-private entry naming the page or its tail', () => {
    const h = setUp({ invariants: ['waiter-ref', 'use-after-free'] });
    const { m, s, R, reg, pf, L, ptl } = h;
    s[pf(2, PageField.ref)] = 0;
    h.set(0, 'q', 2);
    expect(lock.queueWaiter(m, s, 0, R(0), reg('q'), true)).toBe(false);
    expect(violation(m)).toEqual({ invariant: 'waiter-ref', thread: 0, message: 'A: put_and_wait on F without the reference it drops (refcount 0)' });
    m.violation = null;
    // waitq_add on P: no PTL held
    expect(lock.queueWaiter(m, s, 0, R(0), reg('p'), false)).toBe(false);
    expect(violation(m)).toEqual({
      invariant: 'waiter-ref',
      thread: 0,
      message: 'A: queues on P without a reference and without holding the PTL of an entry that pins it',
    });
    const ok = () => {
      m.violation = null;
      return lock.queueWaiter(m, s, 0, R(0), reg('p'), false);
    };
    // ptlA held by A, but e0 is present and e2 is F's present entry
    s[ptl('ptlA')] = 1;
    expect(ok()).toBe(false);
    // e2 a migration entry of F, F a tail of P
    s[L.ptes + 2] = makeMigrationFrom(makePresent(2, true), 2);
    expect(ok()).toBe(false);
    s[pf(2, PageField.head)] = 0;
    expect(ok()).toBe(true);
    // e1 (ptlB, not held) a device-private entry of P: no; held by B: no; held by A: yes
    s[pf(2, PageField.head)] = 2;
    s[L.ptes + 1] = makeDevicePrivate(0, true);
    expect(ok()).toBe(false);
    s[ptl('ptlB')] = 2;
    expect(ok()).toBe(false);
    s[ptl('ptlB')] = 1;
    expect(ok()).toBe(true);
    // a swap-like entry kind naming P does not pin it
    s[L.ptes + 1] = PteKind.swap | (0 << 8);
    expect(ok()).toBe(false);
    // a migration entry of P itself under the held ptlA
    s[L.ptes + 0] = makeMigrationFrom(makePresent(0, true), 0);
    expect(ok()).toBe(true);
    // put_and_wait with its reference: no check of PTLs
    s[ptl('ptlA')] = 0;
    s[L.ptes + 0] = makePresent(0, true);
    m.violation = null;
    expect(lock.queueWaiter(m, s, 0, R(0), reg('p'), true)).toBe(true);
  });

  it('wake clears the thread’s wait entry', () => {
    const h = setUp();
    const { m, s, L } = h;
    s[L.thread(2, ThreadField.waitPage)] = 1;
    s[L.thread(2, ThreadField.waitFlags)] = WaitFlag.woken;
    expect(sorted(step(s, () => lock.wake(m, s, 2)).changed)).toEqual(
      sorted([
        [L.thread(2, ThreadField.waitPage), -1],
        [L.thread(2, ThreadField.waitFlags), 0],
      ]),
    );
  });

  it('lkmm: folio_unlock records who released the page while it stays unlocked; a trylock, a lock or a hand-over clears it', () => {
    expect(setUp().L.unlockedBy).toBe(-1);
    const h = setUp({ lkmm: true });
    const { m, s, R, reg, L } = h;
    expect(L.unlockedBy).toBeGreaterThan(0);
    const by = (pi: number) => s[L.unlockedBy + pi];
    const out = { slept: false };
    lock.lockPage(m, s, 1, R(1), reg('p'), out);
    expect(step(s, () => lock.unlockPage(m, s, 1, R(1), reg('p'))).changed).toContainEqual([L.unlockedBy + 0, 2]);
    expect([by(0), by(1), by(2)]).toEqual([2, 0, 0]);
    lock.trylockPage(m, s, 2, R(2), reg('p'), reg('ok'));
    expect(by(0)).toBe(0);
    // a failed trylock leaves it
    s[L.unlockedBy + 0] = 2;
    lock.trylockPage(m, s, 0, R(0), reg('p'), reg('ok'));
    expect(by(0)).toBe(2);
    lock.unlockPage(m, s, 2, R(2), reg('p'));
    expect(by(0)).toBe(3);
    lock.lockPage(m, s, 0, R(0), reg('p'), out);
    expect(by(0)).toBe(0);
    // C sleeps on P; A's unlock hands it over: P is locked again, no unlocker recorded
    lock.lockPage(m, s, 2, R(2), reg('p'), out);
    expect(out.slept).toBe(true);
    lock.unlockPage(m, s, 0, R(0), reg('p'));
    expect([s[h.pf(0, PageField.owner)], by(0)]).toEqual([3, 0]);
  });
});

// The tests above mostly name page P (page 0) in register p (register 0) and PTE e0, where an
// offset taken the wrong way (`R - page`, `pages - pi * PAGE_WIDTH`, `pi / PAGE_WIDTH`,
// `ptes - e`) lands on the same slot. The same steps on page F (page 2) in register q (register 1)
// and PTE e2 (register e, 2), each with what it returns.
describe('the same steps away from index 0 (page F in register q, PTE e2)', () => {
  const F = 2;

  it('pte.ts', () => {
    const { m, s, L, R, reg, set, pf, ptl } = setUp();
    set(0, 'e', 2);
    set(0, 'q', F);
    // hwAccess, choice 1 for A (whose TLB has an entry for e2): the PTE, cached
    s[L.tlbEntry(0, 2)] = 77;
    expect(step(s, () => pte.hwAccess(m, s, 0, R(0), reg('e'), reg('v'), 1))).toEqual({
      result: true,
      changed: [
        [L.tlbEntry(0, 2), makePresent(F, false)],
        [R(0) + reg('v'), makePresent(F, false)],
      ].sort((a, b) => a[0] - b[0]),
    });
    // setMigrationPte of e2 for F, F locked by A
    s[ptl('ptlA')] = 1;
    s[pf(F, PageField.flags)] = PageFlag.locked;
    s[pf(F, PageField.owner)] = 1;
    set(0, 'v', makePresent(F, true));
    expect(step(s, () => pte.setMigrationPte(m, s, 0, R(0), reg('e'), reg('q'), reg('v')))).toEqual({
      result: true,
      changed: [[L.ptes + 2, makeMigrationFrom(makePresent(F, true), F)]],
    });
    // F unlocked: I7 names F
    s[pf(F, PageField.flags)] = 0;
    expect(pte.setMigrationPte(m, s, 0, R(0), reg('e'), reg('q'), reg('v'))).toBe(false);
    expect(violation(m)?.message).toBe('A: installs a migration entry for F without holding its page lock');
    // pteMove e2 -> e1: A's TLB entry of e2 dropped for every thread
    m.violation = null;
    s[ptl('ptlB')] = 1;
    for (let t = 0; t < 3; t++) s[L.tlbEntry(t, 2)] = 50 + t;
    const v2 = s[L.ptes + 2];
    expect(sorted(step(s, () => pte.pteMove(m, s, 0, R(0), reg('e'), reg('f'))).changed)).toEqual(
      sorted([[L.ptes + 1, v2], [L.ptes + 2, 0], ...[0, 1, 2].map((t): [number, number] => [L.tlbEntry(t, 2), 0])]),
    );
    // tlbFlushBatched: every entry of every thread, nothing past the last
    for (let t = 0; t < 3; t++) for (let e = 0; e < 3; e++) s[L.tlbEntry(t, e)] = 1;
    const around = [L.tlbEntry(0, 0) - 1, L.tlbEntry(2, 2) + 1].map((i) => s[i]);
    pte.tlbFlushBatched(m, s);
    expect([L.tlbEntry(0, 0) - 1, L.tlbEntry(2, 2) + 1].map((i) => s[i])).toEqual(around);
  });

  it('pte.ts without TLBs: a flush or a move writes no TLB slot (there are none)', () => {
    const { m, s, R, reg, set, ptl, L } = setUp({ tlb: false });
    set(0, 'e', 2);
    expect(step(s, () => pte.tlbFlush(m, s, R(0), reg('e')))).toEqual({ result: true, changed: [] });
    s[ptl('ptlA')] = 1;
    s[ptl('ptlB')] = 1;
    expect(sorted(step(s, () => pte.pteMove(m, s, 0, R(0), reg('e'), reg('f'))).changed)).toEqual(
      sorted([
        [L.ptes + 1, makePresent(F, false)],
        [L.ptes + 2, 0],
      ]),
    );
  });

  it('refcount-rmap.ts', () => {
    const { m, s, R, reg, set, pf } = setUp();
    set(1, 'q', F);
    s[pf(F, PageField.flags)] = PageFlag.frozen;
    rc.getPage(m, s, 1, R(1), reg('q'));
    expect(violation(m)?.message).toBe('B: folio_get on frozen page F');
    s[pf(F, PageField.flags)] = 0;
    // tryGetPage on F (ref 4 now)
    expect(step(s, () => rc.tryGetPage(m, s, R(1), reg('q'), reg('ok')))).toEqual({
      result: true,
      changed: [
        [pf(F, PageField.ref), 5],
        [R(1) + reg('ok'), 1],
      ].sort((a, b) => a[0] - b[0]),
    });
    s[pf(F, PageField.flags)] = PageFlag.frozen;
    expect(step(s, () => rc.tryGetPage(m, s, R(1), reg('q'), reg('ok')))).toEqual({ result: true, changed: [[R(1) + reg('ok'), 0]] });
    s[pf(F, PageField.flags)] = 0;
    s[pf(F, PageField.ref)] = 0;
    set(1, 'ok', 1);
    expect(step(s, () => rc.tryGetPage(m, s, R(1), reg('q'), reg('ok')))).toEqual({ result: true, changed: [[R(1) + reg('ok'), 0]] });
    // refCheck, refFreeze (a count that does not match, not frozen: ok = 0, nothing else), refUnfreeze
    s[pf(F, PageField.ref)] = 3;
    expect(step(s, () => rc.refCheck(m, s, R(1), reg('q'), 1, reg('ok')))).toEqual({ result: true, changed: [[R(1) + reg('ok'), 1]] });
    expect(step(s, () => rc.refFreeze(m, s, R(1), reg('q'), 0, reg('ok')))).toEqual({ result: true, changed: [[R(1) + reg('ok'), 0]] });
    expect(rc.refFreeze(m, s, R(1), reg('q'), 1, reg('ok'))).toBe(true);
    expect([s[pf(F, PageField.flags)], s[pf(F, PageField.frozen)], s[pf(F, PageField.ref)], s[R(1) + reg('ok')]]).toEqual([PageFlag.frozen, 3, 0, 1]);
    expect(step(s, () => rc.refUnfreeze(m, s, R(1), reg('q'), 0)).result).toBe(true);
    expect([s[pf(F, PageField.flags)], s[pf(F, PageField.frozen)], s[pf(F, PageField.ref)]]).toEqual([0, 0, 3]);
    // putPage of F to zero frees it
    s[pf(F, PageField.ref)] = 1;
    s[pf(F, PageField.flags)] = PageFlag.waiters;
    expect(rc.putPage(m, s, 1, F)).toBe(true);
    expect(s[pf(F, PageField.flags)]).toBe(PageFlag.waiters | PageFlag.freed);
    // rmapNext with the page in register q: F (index 2) in v0 at 18 (no PTE), in v1 at 49 (none), in v2 at 82 (none)
    set(1, 'seen', 0);
    set(1, 'p', 0);
    expect(rc.rmapNext(m, s, R(1), reg('q'), reg('seen'), reg('vma'), reg('e'), 0, 0)).toBe(true);
    expect([s[R(1) + reg('vma')], s[R(1) + reg('e')]]).toEqual([0, -1]);
  });

  it('page-lock.ts', () => {
    const { m, s, R, reg, set, pf, L } = setUp();
    for (const t of [0, 1, 2]) set(t, 'q', F);
    // P locked by C: a wrong page offset would read or write P's slots
    s[pf(0, PageField.flags)] = PageFlag.locked;
    s[pf(0, PageField.owner)] = 3;
    const pFields = () => [s[pf(0, PageField.flags)], s[pf(0, PageField.owner)]];
    expect(sorted(step(s, () => lock.trylockPage(m, s, 0, R(0), reg('q'), reg('ok'))).changed)).toEqual(
      sorted([
        [pf(F, PageField.flags), PageFlag.locked],
        [pf(F, PageField.owner), 1],
        [R(0) + reg('ok'), 1],
      ]),
    );
    expect(pFields()).toEqual([PageFlag.locked, 3]);
    // B's folio_lock of F sleeps; A's unlock hands it over
    const out = { slept: false };
    expect(lock.lockPage(m, s, 1, R(1), reg('q'), out)).toBe(true);
    expect([out.slept, s[L.thread(1, ThreadField.waitPage)], s[L.thread(1, ThreadField.waitFlags)], s[pf(F, PageField.flags)]]).toEqual([
      true,
      F,
      WaitFlag.exclusive,
      PageFlag.locked | PageFlag.waiters,
    ]);
    expect(lock.lockPageTakes(m, s, 1, R(1), reg('q'))).toBe(false);
    expect(lock.unlockPage(m, s, 0, R(0), reg('q'))).toBe(true);
    expect(lock.lockPageTakes(m, s, 1, R(1), reg('q'))).toBe(true);
    expect(lock.lockPage(m, s, 1, R(1), reg('q'), out)).toBe(true);
    expect([out.slept, s[pf(F, PageField.owner)], s[L.thread(1, ThreadField.waitPage)]]).toEqual([false, 2, -1]);
    // A queues on F (locked by B): position 0; B unlocks: A woken, PG_waiters cleared
    s[pf(F, PageField.ref)] = 3;
    expect(lock.queueWaiter(m, s, 0, R(0), reg('q'), true)).toBe(true);
    expect([s[L.thread(0, ThreadField.waitPage)], s[L.thread(0, ThreadField.waitFlags)], s[pf(F, PageField.ref)]]).toEqual([F, 0, 2]);
    expect(lock.unlockPage(m, s, 1, R(1), reg('q'))).toBe(true);
    expect([s[L.thread(0, ThreadField.waitFlags)], s[pf(F, PageField.flags)], s[pf(F, PageField.owner)]]).toEqual([WaitFlag.woken, 0, 0]);
    expect(pFields()).toEqual([PageFlag.locked, 3]);
    // C's unlock of P, whose waiter list is empty
    expect(lock.unlockPage(m, s, 2, R(2), reg('p'))).toBe(true);
    expect(pFields()).toEqual([0, 0]);
    // freed F: use-after-free naming it, for each step
    s[pf(F, PageField.flags)] = PageFlag.freed;
    lock.trylockPage(m, s, 2, R(2), reg('q'), reg('ok'));
    expect(violation(m)?.message).toBe('C: trylock of freed page F');
    lock.lockPage(m, s, 2, R(2), reg('q'), out);
    expect(violation(m)?.message).toBe('C: folio_lock of freed page F');
  });

  it('page-lock.ts: the first broken check is the one reported (bug-on before I6, use-after-free before waiter-ref)', () => {
    const { m, s, R, reg, set, pf, L } = setUp();
    set(1, 'q', F);
    // B unlocks F, locked by A, while a migration entry for F exists
    s[L.ptes + 2] = makeMigrationFrom(makePresent(F, true), F);
    s[pf(F, PageField.flags)] = PageFlag.locked;
    s[pf(F, PageField.owner)] = 1;
    expect(lock.unlockPage(m, s, 1, R(1), reg('q'))).toBe(false);
    expect(violation(m)?.invariant).toBe('bug-on');
    // B queues on freed F without a reference or a PTL
    s[pf(F, PageField.flags)] = PageFlag.freed;
    s[pf(F, PageField.ref)] = 0;
    expect(lock.queueWaiter(m, s, 1, R(1), reg('q'), false)).toBe(false);
    expect(violation(m)?.invariant).toBe('use-after-free');
    expect(lock.queueWaiter(m, s, 1, R(1), reg('q'), true)).toBe(false);
    expect(violation(m)?.invariant).toBe('use-after-free');
  });

  it('page-lock.ts in an sc world: a lock of F leaves every other slot alone (no unlocker record to clear)', () => {
    const { m, s, R, reg, set, pf } = setUp();
    expect(m.layout.unlockedBy).toBe(-1);
    set(0, 'q', F);
    s[pf(0, PageField.owner)] = 3;
    s[pf(0, PageField.flags)] = PageFlag.locked;
    const out = { slept: true };
    expect(sorted(step(s, () => lock.lockPage(m, s, 0, R(0), reg('q'), out)).changed)).toEqual(
      sorted([
        [pf(F, PageField.flags), PageFlag.locked],
        [pf(F, PageField.owner), 1],
      ]),
    );
    expect(sorted(step(s, () => lock.unlockPage(m, s, 0, R(0), reg('q'))).changed)).toEqual(
      sorted([
        [pf(F, PageField.flags), 0],
        [pf(F, PageField.owner), 0],
      ]),
    );
  });

  it('lkmm: the unlocker of F is recorded in F’s slot', () => {
    const { m, s, R, reg, set, L } = setUp({ lkmm: true });
    set(0, 'q', F);
    set(1, 'q', F);
    const out = { slept: false };
    lock.lockPage(m, s, 1, R(1), reg('q'), out);
    lock.unlockPage(m, s, 1, R(1), reg('q'));
    expect([0, 1, 2].map((pi) => s[L.unlockedBy + pi])).toEqual([0, 0, 2]);
    lock.trylockPage(m, s, 0, R(0), reg('q'), reg('ok'));
    expect([0, 1, 2].map((pi) => s[L.unlockedBy + pi])).toEqual([0, 0, 0]);
    // folio_lock of F after B's unlock clears F's record too
    lock.unlockPage(m, s, 0, R(0), reg('q'));
    expect(s[L.unlockedBy + F]).toBe(1);
    lock.lockPage(m, s, 1, R(1), reg('q'), out);
    expect([out.slept, s[L.unlockedBy + F]]).toEqual([false, 0]);
  });

  it("folio_lock queues behind F's waiters, not P's", () => {
    const { m, s, R, reg, set, pf, L } = setUp();
    for (const t of [0, 1, 2]) set(t, 'q', F);
    s[pf(F, PageField.flags)] = PageFlag.locked;
    s[pf(F, PageField.owner)] = 1;
    const out = { slept: false };
    lock.lockPage(m, s, 1, R(1), reg('q'), out);
    // counting F's queue reads the other threads' wait entries: the explorer's reduction must know
    m.readOthers = false;
    lock.lockPage(m, s, 2, R(2), reg('q'), out);
    expect(m.readOthers).toBe(true);
    expect([s[L.thread(1, ThreadField.waitFlags)], s[L.thread(2, ThreadField.waitFlags)]]).toEqual([WaitFlag.exclusive, WaitFlag.exclusive | (1 << 4)]);
  });
});
