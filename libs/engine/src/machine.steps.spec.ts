import { describe, expect, it } from 'vitest';
import {
  PAGE_WIDTH,
  PageField,
  PageFlag,
  ThreadField,
  ThreadStatus,
  makeMigrationFrom,
  makePresent,
  parseScenarioDocument,
  resolveScenarioModel,
  type InvariantName,
} from '@mmreplay/model';
import { Machine } from './machine.js';

// Machine.step's own work after a step (issue 20, batch `exec`): I1 and I3 over every migration
// entry (checkEntries), and the ops the seeded catalogue runs of runs.golden.spec never step
// (compound_head, tlb_flush_batched, exit, wait_label): their mutants lived, the first because no
// golden run breaks I1 or I3 after a step (their violations are caught by other checks first).

/**
 * Pages P (anon) and F (file); PTEs e0 and e1. Thread A reads e0, takes the head of F, flushes the
 * batched TLB entries and exits; B starts once A has reached its flush.
 */
function setUp(invariants: InvariantName[] = ['I1', 'I3']) {
  const r = parseScenarioDocument({
    name: 'steps',
    title: 'steps',
    pages: [
      { name: 'P', ref: 2, map: 1, mapping: 'anon', index: 0 },
      { name: 'F', ref: 2, map: 1, mapping: 'file', index: 1 },
    ],
    vmas: [{ name: 'v', start: 16, pgoff: 0 }],
    ptes: [
      { name: 'e0', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true } },
      { name: 'e1', addr: 17, ptl: 'ptl', init: { kind: 'present', page: 'F', writable: true } },
    ],
    ptls: ['ptl'],
    threads: [
      { name: 'A', path: 'a', args: { e: 'e0', f: 'F' }, tlb: ['e0', 'e1'] },
      { name: 'B', path: 'b', args: { e: 'e1', p: 'P' }, start: { after: 'A', label: 'A.flush' } },
    ],
    paths: {
      a: {
        regs: { e: 'pte', v: 'pteval', f: 'page', h: 'page' },
        steps: [
          { label: 'A.read', op: 'pte_read', args: ['e', 'v'] },
          { label: 'A.head', op: 'compound_head', args: ['h', 'f'] },
          { label: 'A.flush', op: 'tlb_flush_batched', args: [] },
          { label: 'A.exit', op: 'exit', args: [] },
        ],
      },
      b: {
        regs: { e: 'pte', v: 'pteval', p: 'page', seen: 'vmaset', vma: 'vma' },
        steps: [
          { label: 'B.read', op: 'pte_read', args: ['e', 'v'] },
          { label: 'B.walk', op: 'rmap_next', args: ['p', 'seen', 'vma', 'e', 'B.done', 0] },
          { label: 'B.done', op: 'done', args: [] },
        ],
      },
    },
  });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  // the invariants on the world (the document refuses those that no step of its paths checks)
  const m = new Machine({ ...resolveScenarioModel(r.scenario, { memoryModel: 'sc' }).world, invariants });
  const s = m.initialState();
  const pf = (pi: number, f: number) => m.layout.pages + pi * PAGE_WIDTH + f;
  return { m, s, pf, L: m.layout };
}

const P = 0;
const F = 1;
const violation = (m: Machine) => m.violation;

describe('I1 and I3 after every step (checkEntries)', () => {
  it('a migration entry whose page (its head) is unlocked is I1; freed is I3, before I1', () => {
    const { m, s, pf, L } = setUp();
    s[L.ptes + 0] = makeMigrationFrom(makePresent(P, true), P);
    expect(m.step(Int32Array.from(s), 0)).toBe(false);
    expect(violation(m)).toEqual({ invariant: 'I1', thread: 0, message: 'A: migration entry e0 points to unlocked page P' });
    s[pf(P, PageField.flags)] = PageFlag.locked;
    expect(m.step(Int32Array.from(s), 0)).toBe(true);
    expect(violation(m)).toBeNull();
    s[pf(P, PageField.flags)] = PageFlag.locked | PageFlag.freed;
    expect(m.step(Int32Array.from(s), 0)).toBe(false);
    expect(violation(m)).toEqual({ invariant: 'I3', thread: 0, message: 'A: migration entry e0 points to freed page P' });
    s[pf(P, PageField.flags)] = PageFlag.freed;
    m.step(Int32Array.from(s), 0);
    expect(violation(m)?.invariant).toBe('I3');
  });

  it('checks the head of a tail page, every PTE, and only the invariants enabled', () => {
    const { m, s, pf, L } = setUp();
    // e1: an entry for F, a tail of P; F's own flags unlocked, P locked: fine
    s[pf(F, PageField.head)] = P;
    s[L.ptes + 1] = makeMigrationFrom(makePresent(F, true), F);
    s[pf(P, PageField.flags)] = PageFlag.locked;
    expect(m.step(Int32Array.from(s), 0)).toBe(true);
    // P unlocked, F locked: I1 names the head
    s[pf(P, PageField.flags)] = 0;
    s[pf(F, PageField.flags)] = PageFlag.locked;
    expect(m.step(Int32Array.from(s), 0)).toBe(false);
    expect(violation(m)).toEqual({ invariant: 'I1', thread: 0, message: 'A: migration entry e1 points to unlocked page P' });
    // the second PTE is checked after a first one that passes (e0 present)
    expect(s[L.ptes + 0]).toBe(makePresent(P, true));
    // F its own head again (page 1: its flags are read at its own place, not at page 0's)
    s[pf(F, PageField.head)] = F;
    expect(m.step(Int32Array.from(s), 0)).toBe(true);
    s[pf(F, PageField.flags)] = PageFlag.locked | PageFlag.freed;
    expect(m.step(Int32Array.from(s), 0)).toBe(false);
    expect(violation(m)).toEqual({ invariant: 'I3', thread: 0, message: 'A: migration entry e1 points to freed page F' });
    // I3 alone: unlocked is no violation; I1 alone: freed (but locked) is none
    const i3 = setUp(['I3']);
    i3.s[i3.L.ptes + 0] = makeMigrationFrom(makePresent(P, true), P);
    expect(i3.m.step(Int32Array.from(i3.s), 0)).toBe(true);
    i3.s[i3.pf(P, PageField.flags)] = PageFlag.freed;
    expect(i3.m.step(Int32Array.from(i3.s), 0)).toBe(false);
    const i1 = setUp(['I1']);
    i1.s[i1.L.ptes + 0] = makeMigrationFrom(makePresent(P, true), P);
    i1.s[i1.pf(P, PageField.flags)] = PageFlag.locked | PageFlag.freed;
    expect(i1.m.step(Int32Array.from(i1.s), 0)).toBe(true);
    // neither enabled: not checked
    const none = setUp([]);
    none.s[none.L.ptes + 0] = makeMigrationFrom(makePresent(P, true), P);
    expect(none.m.step(Int32Array.from(none.s), 0)).toBe(true);
  });
});

describe('what a step reports', () => {
  it('fail: a broken invariant that is not enabled is no violation, and the step goes on', () => {
    const { m } = setUp(['I1']);
    expect(m.fail(0, 'I3', 'x')).toBe(true);
    expect(violation(m)).toBeNull();
    expect(m.fail(1, 'I1', 'y')).toBe(false);
    expect(violation(m)).toEqual({ invariant: 'I1', thread: 1, message: 'B: y' });
  });

  it('an sc step of a world without user invariants reads and writes no other thread (readOthers, wroteOthers false)', () => {
    const { m, s } = setUp();
    m.readOthers = true;
    m.wroteOthers = true;
    expect(m.step(s, 0)).toBe(true);
    expect([m.readOthers, m.wroteOthers]).toEqual([false, false]);
  });
});

describe('ops the catalogue runs do not step', () => {
  it('compound_head, tlb_flush_batched, wait_label and exit, stepped by the machine', () => {
    const { m, s, pf, L } = setUp();
    const reg = (t: number, i: number) => L.reg(t, i);
    const pc = (t: number) => s[L.thread(t, ThreadField.pc)];
    // B waits for A's label
    expect(m.isRunnable(s, 1)).toBe(false);
    expect(m.step(s, 0)).toBe(true);
    expect(s[reg(0, 1)]).toBe(makePresent(P, true));
    // compound_head of F, a tail of P
    s[pf(F, PageField.head)] = P;
    expect(m.step(s, 0)).toBe(true);
    expect(s[reg(0, 3)]).toBe(P);
    expect(pc(0)).toBe(2);
    // A at its flush: B may start
    expect(m.isRunnable(s, 1)).toBe(true);
    const before = Int32Array.from(s);
    expect(m.step(s, 1)).toBe(true);
    expect(pc(1)).toBe(1);
    expect([...s.keys()].filter((i) => s[i] !== before[i])).toEqual([L.thread(1, ThreadField.pc)]);
    // rmap_next: a step that breaks nothing returns true, found a VMA or not (Runtime and the
    // explorer read false as a broken invariant)
    expect(m.step(s, 1)).toBe(true);
    expect(m.step(s, 1)).toBe(true);
    // B's e, seen, vma: the one VMA (v, 16) maps P at e0
    expect([pc(1), s[reg(1, 0)], s[reg(1, 3)], s[reg(1, 4)]]).toEqual([3, 0, 1, 0]);
    // the batched flush empties A's TLB
    expect(s[L.tlbEntry(0, 0)]).not.toBe(0);
    expect(m.step(s, 0)).toBe(true);
    expect([s[L.tlbEntry(0, 0)], s[L.tlbEntry(0, 1)]]).toEqual([0, 0]);
    // exit ends the thread where it stands
    expect(m.step(s, 0)).toBe(true);
    expect(s[L.thread(0, ThreadField.status)]).toBe(ThreadStatus.done);
    expect(pc(0)).toBe(3);
  });
});
