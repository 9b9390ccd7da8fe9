import { describe, expect, it } from 'vitest';
import { parseScenarioDocument, resolveScenarioModel } from '@mmreplay/model';
import { Machine } from './machine.js';
import { walkStates } from '../test/walk-states.js';

// lkmm runs the kernel's acquires (spin_lock() of a PTL, folio_lock() that takes the lock,
// folio_trylock(), down_read()/down_write() of the rmap lock: ACQUIRE_SC_OPS in machine.ts) as
// the LKMM does with respect to the CPU's relaxed accesses: they wait for none of them, except
// where the LKMM orders them (loads before an smp_rmb(), loads their operands depend on) or where
// the state they write being SC needs it (a guess outstanding, an access to the page lock's own
// flags word). docs/memory-model.md, "The kernel's locks: acquires and releases". Every state of
// each world is walked. The first case failed on the engine that ran every SC step as a full
// barrier (no state had an access outstanding past an acquire); each guard fails with its
// condition removed from Machine.acquireReady (checked by hand).

const page = (name: string) => ({ name, ref: 1, map: 0, mapping: 'anon', index: 0 });

function machine(a: unknown[], b: unknown[]): Machine {
  const r = parseScenarioDocument({
    name: 'acquires',
    title: 'acquires',
    pages: [page('P'), page('Q')],
    vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
    ptls: ['ptl'],
    ptes: [{ name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'none' } }],
    threads: [
      { name: 'A', path: 'a', args: { p: 'P', q: 'Q', e: 'e' } },
      { name: 'B', path: 'b', args: { p: 'P', q: 'Q' } },
    ],
    paths: {
      a: { regs: { p: 'page', q: 'page', e: 'pte', h: 'page', f: 'int', ok: 'int' }, steps: [...a, { label: 'A9.end', op: 'done', args: [] }] },
      b: { regs: { p: 'page', q: 'page', v: 'int' }, steps: b },
    },
    invariants: ['deadlock'],
  });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return new Machine(resolveScenarioModel(r.scenario, { memoryModel: 'lkmm' }).world);
}

/** Whether some reachable state has thread A (0) past pc `after` with `what` of its accesses outstanding. */
function outstandingPast(m: Machine, after: number, what: (m: Machine, s: Int32Array) => boolean): boolean {
  let found = false;
  walkStates(m, {
    step: (s) => {
      if (m.pcOf(s, 0) > after && !m.isFinished(s, 0) && what(m, s)) found = true;
      return found;
    },
  });
  return found;
}

// B publishes a head for P (Q): A's load of it may be left outstanding, and A's store of what it
// loaded waits for it (a data dependency), so both are outstanding when A reaches its acquire.
const publisher = [{ label: 'B1', op: 'store', args: [0, 'p', 'q', 0] }];
const loadThenDependentStore = [
  { label: 'A1.head', op: 'load', args: ['h', 0, 'p', 0] },
  { label: 'A2.store_head', op: 'store', args: [0, 'q', 'h', 0] },
];

describe('lkmm: the kernel acquires, as the LKMM has them', () => {
  it.each([
    ['spin_lock(ptl)', { label: 'A3.acquire', op: 'ptl_lock', args: ['e'] }],
    ['folio_lock', { label: 'A3.acquire', op: 'lock_page', args: ['q'] }],
    ['folio_trylock', { label: 'A3.acquire', op: 'trylock_page', args: ['q', 'ok'] }],
    ['down_read', { label: 'A3.acquire', op: 'rmap_lock', args: ['q', 0] }],
    ['down_write', { label: 'A3.acquire', op: 'rmap_lock', args: ['q', 1] }],
  ])('%s runs with a load and a store of its CPU outstanding (po ; [Acquire] is not in ppo)', (_name, acquire) => {
    const m = machine([...loadThenDependentStore, acquire], publisher);
    expect(outstandingPast(m, 2, (mm, s) => mm.lqCount(s, 0) > 0 && mm.sbCount(s, 0) > 0)).toBe(true);
  });

  it('spin_lock(ptl) after smp_rmb() waits for the loads before the barrier (rmb: the lock read is a read)', () => {
    // (a load after the lock keeps A running there: a finished thread drops a load nobody reads)
    const a = [
      { label: 'A1.head', op: 'load', args: ['h', 0, 'p', 0] },
      { label: 'A2.rmb', op: 'fence', args: [1] },
      { label: 'A3.lock', op: 'ptl_lock', args: ['e'] },
      { label: 'A4.flags', op: 'load', args: ['f', 1, 'q', 0] },
    ];
    const m = machine(a, publisher);
    expect(outstandingPast(m, 2, (mm, s) => mm.lqCount(s, 0) > 0)).toBe(false);
  });

  it('spin_lock(ptl) is not taken on a guess: a branch speculated on an outstanding load holds it', () => {
    const a = [
      { label: 'A1.flags', op: 'load', args: ['f', 1, 'p', 0] },
      { label: 'A2.if', op: 'bne', args: ['f', 1, 'A4.lock'] },
      { label: 'A3.then', op: 'nop', args: [] },
      { label: 'A4.lock', op: 'ptl_lock', args: ['e'] },
    ];
    const b = [
      { label: 'B0.one', op: 'mov', args: ['v', 1] },
      { label: 'B1.flags', op: 'store', args: [1, 'p', 'v', 0] },
    ];
    const m = machine(a, b);
    expect(outstandingPast(m, 3, (mm, s) => mm.speculating(s, 0))).toBe(false);
  });

  it("folio_trylock after its CPU's own store to the page's flags reads that store (coherence: the flags word is the lock)", () => {
    // A loads P's flags (1 once B stored it) and stores them to Q's flags, PG_locked when 1, with
    // the store waiting for the load; its trylock of Q comes after that store and must fail then.
    const a = [
      { label: 'A1.flags', op: 'load', args: ['f', 1, 'p', 0] },
      { label: 'A2.copy', op: 'store', args: [1, 'q', 'f', 0] },
      { label: 'A3.trylock', op: 'trylock_page', args: ['q', 'ok'] },
    ];
    const b = [
      { label: 'B0.one', op: 'mov', args: ['v', 1] },
      { label: 'B1.flags', op: 'store', args: [1, 'p', 'v', 0] },
    ];
    const m = machine(a, b);
    const ends: string[] = [];
    // (a failed trylock's read left outstanding that no locked store satisfies is no execution)
    walkStates(m, { end: (s) => void (m.infeasible(s) || ends.push(`f=${s[m.layout.reg(0, 4)]} ok=${s[m.layout.reg(0, 5)]}`)) });
    expect(new Set(ends)).toEqual(new Set(['f=0 ok=1', 'f=1 ok=0']));
  });
});
