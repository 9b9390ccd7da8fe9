import { describe, expect, it } from 'vitest';
import { parseScenarioDocument, resolveScenarioModel } from '@mmreplay/model';
import { Machine } from './machine.js';
import * as prop from './semantics/propagation.js';
import { walkStates } from '../test/walk-states.js';

// lkmm runs a folio_trylock() (trylock_page) of a CPU with relaxed accesses as the kernel's: a
// failure is test_and_set_bit_lock()'s READ_ONCE() of the flags word (include/asm-generic/bitops/
// lock.h, v6.6), a read with no ordering, which may be read now or left outstanding and satisfied
// later by a store with PG_locked set only; a success is the acquire, as before.
// docs/memory-model.md, "The kernel's acquires". Every state of each world is walked. The first
// case failed on the engine before issue 16's session 13 (it ran a failure as the acquire: no
// trylock read was ever outstanding); the second is a guard (it fails when a failed trylock's read
// may be satisfied by an unlocked flags word, checked by hand); the `lock-word` cases failed on that
// engine too (it recorded nothing), and so did the failure on the lock state before another CPU's
// unlock (its lock word kept only the newest store).

const page = (name: string) => ({ name, ref: 1, map: 0, mapping: 'anon', index: 0 });

function machine(a: unknown[], b: unknown[], memoryModel: 'lkmm' | 'sc' = 'lkmm'): Machine {
  const r = parseScenarioDocument({
    name: 'trylock',
    title: 'trylock',
    pages: [page('P'), page('Q')],
    vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
    threads: [
      { name: 'A', path: 'a', args: { p: 'P', q: 'Q' } },
      { name: 'B', path: 'b', args: { p: 'P', q: 'Q' } },
    ],
    paths: {
      a: { regs: { p: 'page', q: 'page', h: 'page', one: 'int', ok: 'int' }, steps: [...a, { label: 'A9.end', op: 'done', args: [] }] },
      b: { regs: { p: 'page', q: 'page', one: 'int' }, steps: b },
    },
    invariants: ['deadlock'],
  });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return new Machine(resolveScenarioModel(r.scenario, { memoryModel }).world);
}

const OK = 4; // A's register ok
const trylockQ = { label: 'A1.trylock', op: 'trylock_page', args: ['q', 'ok'] };
const loadHead = { label: 'A2.head', op: 'load', args: ['h', 0, 'p', 0] };
// B stores P's head (Q), smp_mb(), takes Q's lock (and never releases it)
const publishThenLock = [
  { label: 'B1.head', op: 'store', args: [0, 'p', 'q', 0] },
  { label: 'B2.mb', op: 'fence', args: [3] },
  { label: 'B3.lock', op: 'lock_page', args: ['q'] },
];

describe('lkmm: a failed folio_trylock() is a read with no ordering', () => {
  it('is left outstanding while a later load of its CPU is satisfied first (a failure is not an acquire)', () => {
    const m = machine([trylockQ, loadHead], publishThenLock);
    let found = false;
    walkStates(m, {
      step: (s) => {
        // A past its load, the load satisfied (nothing else outstanding) but the trylock's read
        const n = m.lqCount(s, 0);
        found ||= m.pcOf(s, 0) > 1 && n === 1 && prop.isTrylockRead(m, s, 0, 0);
        return found;
      },
    });
    expect(found).toBe(true);
  });

  it('fails only on a flags word with PG_locked set: with the lock never taken, every execution takes it', () => {
    const m = machine([loadHead, trylockQ], [{ label: 'B1.head', op: 'store', args: [0, 'p', 'q', 0] }]);
    const ends = new Set<number>();
    let infeasible = 0;
    walkStates(m, {
      end: (s) => {
        if (m.infeasible(s)) infeasible++;
        else ends.add(s[m.layout.reg(0, OK)]);
      },
    });
    expect([...ends]).toEqual([1]);
    // (the paths that left the read outstanding and found no lock to read are no executions)
    expect(infeasible).toBeGreaterThan(0);
  });

  it('reaches a failure that read the lock before a load that missed the store smp_mb() put before it (MP)', () => {
    // A: trylock Q (fails on B's lock), then load P's head; the LKMM allows ok = 0 with h = P (0).
    // (A then stores what it loaded, so it finishes only once the load is satisfied: a load dropped
    // at the end leaves its register at the placeholder 0)
    const a = [trylockQ, loadHead, { label: 'A3.use', op: 'store', args: [0, 'q', 'h', 0] }];
    const m = machine(a, publishThenLock);
    const ends = new Set<string>();
    walkStates(m, { end: (s) => void (m.infeasible(s) || ends.add(`ok=${s[m.layout.reg(0, OK)]} h=${s[m.layout.reg(0, 2)]}`)) });
    expect(ends).toContain('ok=0 h=0');
    // sc: the failure comes after B's lock, and so after its store of P's head
    const sc = machine(a, publishThenLock, 'sc');
    const scEnds = new Set<string>();
    walkStates(sc, { end: (s) => void scEnds.add(`ok=${s[sc.layout.reg(0, OK)]} h=${s[sc.layout.reg(0, 2)]}`) });
    expect(scEnds).not.toContain('ok=0 h=0');
  });

  it('a thread without relaxed accesses tries the lock as an SC step (nothing of it is outstanding)', () => {
    const m = machine([trylockQ], publishThenLock);
    expect(m.layout.lqCapacity[0]).toBe(0);
    expect(m.layout.trylockRegs[0]).toBe(0);
  });
});

describe("lkmm: a folio_trylock() that finds the lock free after another CPU's folio_unlock() is reported (lock-word)", () => {
  const met = (m: Machine) => {
    walkStates(m, {});
    return m.boundsMet.map((b) => ({ bound: b.bound, thread: b.thread, label: b.label }));
  };
  const lockUnlock = [
    { label: 'B1.lock', op: 'lock_page', args: ['q'] },
    { label: 'B2.unlock', op: 'unlock_page', args: ['q'] },
  ];

  it('after another CPU unlocked it: the trylock could have read the older, locked store', () => {
    expect(met(machine([loadHead, trylockQ], lockUnlock))).toEqual([{ bound: 'lock-word', thread: 'A', label: 'A1.trylock' }]);
  });

  it('not when the lock was never released (no older store with PG_locked set is newer than the view)', () => {
    expect(met(machine([loadHead, trylockQ], [{ label: 'B1.lock', op: 'lock_page', args: ['q'] }]))).toEqual([]);
  });

  it('not after its own CPU released it last (coherence: it reads its own unlock or a later store)', () => {
    const a = [{ label: 'A0.lock', op: 'lock_page', args: ['q'] }, { label: 'A0.unlock', op: 'unlock_page', args: ['q'] }, loadHead, trylockQ];
    // (A's unlock holds back its load after it: the engine's `release` ordering, release-ordering.spec.ts)
    expect(met(machine(a, [{ label: 'B1.head', op: 'store', args: [0, 'p', 'q', 0] }]))).toEqual([{ bound: 'release', thread: 'A', label: 'A0.unlock' }]);
  });

  it('not where the unlocker has relaxed accesses: its unlock keeps the locked store before it, and the failure on it is searched', () => {
    // B: lock Q, unlock Q, then store P's head; A: load P's head, smp_rmb(), trylock Q, and store
    // what it loaded (so that it finishes only once the load is satisfied). The LKMM allows ok = 0
    // with h = Q (1): the unlock need not have reached A when its trylock reads.
    const b = [...lockUnlock, { label: 'B3.head', op: 'store', args: [0, 'p', 'q', 0] }];
    const a = [
      loadHead,
      { label: 'A2.rmb', op: 'fence', args: [1] },
      { ...trylockQ, label: 'A3.trylock' },
      { label: 'A4.use', op: 'store', args: [0, 'q', 'h', 0] },
    ];
    const m = machine(a, b);
    const ends = new Set<string>();
    walkStates(m, { end: (s) => void (m.infeasible(s) || ends.add(`ok=${s[m.layout.reg(0, OK)]} h=${s[m.layout.reg(0, 2)]}`)) });
    expect(ends).toContain('ok=0 h=1');
    // (B's unlock holds back its store after it: the engine's `release` ordering, release-ordering.spec.ts)
    expect(m.boundsMet.map((b) => [b.bound, b.label])).toEqual([['release', 'B2.unlock']]);
    // (with smp_wmb() between B's unlock and its store the LKMM forbids it, and the engine does not reach it)
    const wmb = machine(a, [...lockUnlock, { label: 'B2.wmb', op: 'fence', args: [2] }, b[2]]);
    const wmbEnds = new Set<string>();
    walkStates(wmb, { end: (s) => void (wmb.infeasible(s) || wmbEnds.add(`ok=${s[wmb.layout.reg(0, OK)]} h=${s[wmb.layout.reg(0, 2)]}`)) });
    expect(wmbEnds).not.toContain('ok=0 h=1');
  });

  it("where an SC step of the trylocker's CPU makes it see the word's newest store first: the engine's ordering", () => {
    const b = [...lockUnlock, { label: 'B3.head', op: 'store', args: [0, 'p', 'q', 0] }];
    const a = [
      loadHead,
      { label: 'A2.rmb', op: 'fence', args: [1] },
      { label: 'A3.get', op: 'get_page', args: ['p'] },
      { ...trylockQ, label: 'A4.trylock' },
      { label: 'A5.use', op: 'store', args: [0, 'q', 'h', 0] },
    ];
    expect(met(machine(a, b))).toContainEqual({ bound: 'lock-word', thread: 'A', label: 'A3.get' });
  });

  it('not under sc, nor for a thread without relaxed accesses', () => {
    expect(met(machine([loadHead, trylockQ], lockUnlock, 'sc'))).toEqual([]);
    expect(met(machine([trylockQ], lockUnlock))).toEqual([]);
  });
});
