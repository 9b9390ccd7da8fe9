import { describe, expect, it } from 'vitest';
import { KernelPath, ThreadField, type MemoryModelName, type PathDef, type World } from '@mmreplay/model';
import { Machine } from './machine.js';
import { litmusWorld } from './test-helpers.js';
import { walkStates } from '../test/walk-states.js';

// Machine.execute's litmus lock ops (issue 20, batch `exec`): spin_lock, spin_trylock,
// smp_mb__after_spinlock and smp_mb__after_unlock_lock on litmus variables, under every model.
// No spec of the engine stepped them (libs/litmus does, through its own tests), so every mutant of
// their cases was without coverage. Each world below is walked in full; its end states are
// told apart by how the run ended and what the threads observed.

const MODELS: readonly MemoryModelName[] = ['sc', 'tso', 'lkmm'];
// variables: x 0, y 1, and two spinlocks s 2, t 3
const X = 0;
const Y = 1;
const S = 2;
const T = 3;

const path = (name: string, body: (k: KernelPath) => void): PathDef => {
  const k = new KernelPath(name, name, { one: 'int', zero: 'int', r0: 'int', r1: 'int' }).at('test', name, '-');
  k.mov('one', 1, `${name}.one`);
  k.mov('zero', 0, `${name}.zero`);
  body(k);
  return k.build();
};

function world(memoryModel: MemoryModelName, paths: PathDef[], results: string[]): World {
  const w = litmusWorld(memoryModel, paths, results);
  return { ...w, litmus: { ...w.litmus!, vars: ['x', 'y', 's', 't'] } };
}

/** Every end of every execution: how it ended, then each result, e.g. `completed 0:r0=1 1:r0=0`. */
function ends(w: World): Set<string> {
  const m = new Machine(w);
  const L = m.layout;
  const out = new Set<string>();
  walkStates(m, {
    end: (s) => {
      const { outcome } = m.endState(s);
      if (outcome === 'infeasible') return;
      const names = w.litmus!.results;
      out.add([outcome, ...names.map((n, i) => `${n}=${s[L.results + i]}`)].join(' '));
    },
  });
  return out;
}

const sorted = (set: Set<string>) => [...set].sort();

describe('spin_trylock: exactly one of two CPUs takes a free lock', () => {
  it.each(MODELS)('%s', (memoryModel) => {
    const p = (name: string) => path(name, (k) => (k.spin_trylock(`${name}.try`, 'r0', S), k.observe(`${name}.o`, name === 'P0' ? 0 : 1, 'r0')));
    expect(sorted(ends(world(memoryModel, [p('P0'), p('P1')], ['0:r0', '1:r0'])))).toEqual(['completed 0:r0=0 1:r0=1', 'completed 0:r0=1 1:r0=0']);
  });
});

describe('spin_lock holds the lock until spin_unlock', () => {
  it.each(MODELS)('%s: a trylock fails while it is held, and takes it once released', (memoryModel) => {
    const p0 = path('P0', (k) => (k.spin_lock('P0.lock', S), k.spin_unlock('P0.unlock', S, 'zero')));
    const p1 = path('P1', (k) => (k.spin_trylock('P1.try', 'r0', S), k.observe('P1.o', 0, 'r0')));
    const got = sorted(ends(world(memoryModel, [p0, p1], ['1:r0'])));
    // (P1 first: it holds the lock for good and P0 spins, a deadlock)
    expect(got).toContain('completed 1:r0=0');
    expect(got).toContain('completed 1:r0=1');
    expect(got).toContain('deadlock 1:r0=1');
    expect(got.filter((e) => e.startsWith('deadlock'))).toEqual(['deadlock 1:r0=1']);
  });
});

/**
 * SB with something between each CPU's store and its load (each CPU its own lock: they never
 * contend): which models still allow both loads to miss the other CPU's store.
 */
function sb(memoryModel: MemoryModelName, between: (k: KernelPath, cpu: string, lock: number) => void): boolean {
  const p = (name: string, mine: number, other: number, lock: number) =>
    path(
      name,
      (k) => (k.WRITE_ONCE(`${name}.w`, mine, 'one'), between(k, name, lock), k.READ_ONCE(`${name}.r`, 'r0', other), k.observe(`${name}.o`, mine, 'r0')),
    );
  return ends(world(memoryModel, [p('P0', X, Y, S), p('P1', Y, X, T)], ['0:r0', '1:r0'])).has('completed 0:r0=0 1:r0=0');
}

const allowed = (between: (k: KernelPath, cpu: string, lock: number) => void) => MODELS.map((mm) => [mm, sb(mm, between)]);

describe('what each lock op orders (SB, both loads missing the other store: allowed?)', () => {
  it('nothing between: tso and lkmm allow it (the control)', () => {
    expect(allowed(() => {})).toEqual([
      ['sc', false],
      ['tso', true],
      ['lkmm', true],
    ]);
  });

  it('smp_mb(): a full barrier under every model (the fences below are measured against it)', () => {
    expect(allowed((k, cpu) => k.smp_mb(`${cpu}.mb`))).toEqual([
      ['sc', false],
      ['tso', false],
      ['lkmm', false],
    ]);
  });

  it("spin_lock: a locked RMW drains tso's store buffer; lkmm's acquire orders only what follows it", () => {
    expect(allowed((k, cpu, lock) => k.spin_lock(`${cpu}.lock`, lock))).toEqual([
      ['sc', false],
      ['tso', false],
      ['lkmm', true],
    ]);
  });

  it('spin_trylock: the same (it takes the free lock)', () => {
    expect(allowed((k, cpu, lock) => k.spin_trylock(`${cpu}.try`, 'r1', lock))).toEqual([
      ['sc', false],
      ['tso', false],
      ['lkmm', true],
    ]);
  });

  it('smp_mb__after_spinlock: a full barrier under every model', () => {
    expect(allowed((k, cpu, lock) => (k.spin_lock(`${cpu}.lock`, lock), k.smp_mb__after_spinlock(`${cpu}.mb`)))).toEqual([
      ['sc', false],
      ['tso', false],
      ['lkmm', false],
    ]);
    // (tso: the barrier alone drains the buffer too)
    expect(sb('tso', (k, cpu) => k.smp_mb__after_spinlock(`${cpu}.mb`))).toBe(false);
  });

  it('smp_mb__after_unlock_lock: under lkmm it orders nothing without an unlock before a lock; sc and tso run it as smp_mb()', () => {
    expect(allowed((k, cpu) => k.smp_mb__after_unlock_lock(`${cpu}.mb`))).toEqual([
      ['sc', false],
      ['tso', false],
      ['lkmm', true],
    ]);
  });
});

describe('lkmm smp_mb__after_unlock_lock after an unlock and a lock of this CPU', () => {
  // P0: lock; x = 1; unlock; lock; [barrier]; r0 = y. P1: y = 1; smp_mb(); r0 = x.
  const both = (memoryModel: MemoryModelName, barrier: boolean) => {
    const p0 = path('P0', (k) => {
      k.spin_lock('P0.lock', S);
      k.WRITE_ONCE('P0.w', X, 'one');
      k.spin_unlock('P0.unlock', S, 'zero');
      k.spin_lock('P0.relock', S);
      if (barrier) k.smp_mb__after_unlock_lock('P0.mb');
      k.READ_ONCE('P0.r', 'r0', Y);
      k.observe('P0.o', 0, 'r0');
    });
    const p1 = path('P1', (k) => (k.WRITE_ONCE('P1.w', Y, 'one'), k.smp_mb('P1.mb'), k.READ_ONCE('P1.r', 'r0', X), k.observe('P1.o', 1, 'r0')));
    return ends(world(memoryModel, [p0, p1], ['0:r0', '1:r0'])).has('completed 0:r0=0 1:r0=0');
  };

  it('orders the store before the unlock before the load after it (linux-kernel.cat: po-unlock-lock-po; After-unlock-lock)', () => {
    expect(both('lkmm', false)).toBe(true);
    expect(both('lkmm', true)).toBe(false);
  });
});

describe('a CPU without relaxed accesses', () => {
  it.each(MODELS)('%s: runs each barrier as a step that changes nothing but its pc (and, last, its status)', (memoryModel) => {
    const p0 = path('P0', (k) => (k.smp_mb('P0.mb'), k.smp_mb__after_spinlock('P0.mbs'), k.smp_mb__after_unlock_lock('P0.mbu')));
    // (x := 7: a value no position in a view has)
    const p1 = path(
      'P1',
      (k) => (
        k.mov('r1', 7, 'P1.seven'),
        k.WRITE_ONCE('P1.w', X, 'r1'),
        k.smp_mb('P1.mb'),
        k.WRITE_ONCE('P1.wy', Y, 'one'),
        k.READ_ONCE('P1.r', 'r0', Y),
        k.observe('P1.o', 0, 'r0')
      ),
    );
    const m = new Machine(world(memoryModel, [p0, p1], ['1:r0']));
    const s = m.initialState();
    // P1's store and barrier first: the barriers of P0, whose CPU has no view of its own (it has no
    // relaxed access), change no other CPU's
    m.step(s, 1);
    m.step(s, 1);
    expect(s[m.layout.locSlot(m.layout.varLoc(X))]).toBe(7);
    const pc = m.layout.thread(0, ThreadField.pc);
    const status = m.layout.thread(0, ThreadField.status);
    for (const at of [2, 3, 4]) {
      expect(s[pc]).toBe(at);
      const before = s.slice();
      expect(m.step(s, 0)).toBe(true);
      expect([...s.keys()].filter((i) => s[i] !== before[i]).sort((a, b) => a - b)).toEqual(at === 4 ? [pc, status].sort((a, b) => a - b) : [pc]);
    }
  });
});

describe('lkmm spin_trylock: its choices, in order', () => {
  it('take the free lock; read the older lock-held store now (a failure); leave that read outstanding', () => {
    // P0 takes s, writes x, releases s; P1 reads x (1), then tries s
    const w = world(
      'lkmm',
      [
        path('P0', (k) => (k.spin_lock('P0.lock', S), k.WRITE_ONCE('P0.w', X, 'one'), k.spin_unlock('P0.unlock', S, 'zero'))),
        path('P1', (k) => (k.READ_ONCE('P1.r', 'r1', X), k.spin_trylock('P1.try', 'r0', S), k.observe('P1.o', 0, 'r0'))),
      ],
      ['1:r0'],
    );
    const m = new Machine(w);
    const s = m.initialState();
    while (m.isRunnable(s, 0)) expect(m.step(s, 0, 0)).toBe(true);
    m.step(s, 1, 0);
    const R0 = m.layout.reg(1, 2);
    const lock = m.layout.locSlot(m.layout.varLoc(S));
    expect([s[m.layout.reg(1, 3)], s[lock], m.choiceCount(s, 1)]).toEqual([1, 0, 3]);
    const after = [0, 1, 2].map((c) => {
      const n = s.slice();
      expect(m.step(n, 1, c)).toBe(true);
      return { pc: n[m.layout.thread(1, ThreadField.pc)], r0: n[R0], lock: n[lock], outstanding: m.lqCount(n, 1) };
    });
    expect(after).toEqual([
      { pc: 4, r0: 1, lock: 1, outstanding: 0 },
      { pc: 4, r0: 0, lock: 0, outstanding: 0 },
      { pc: 4, r0: 0, lock: 0, outstanding: 1 },
    ]);
  });
});

describe('a step at a local instruction', () => {
  it('is refused: no thread rests there', () => {
    const m = new Machine(world('sc', [path('P0', (k) => k.spin_lock('P0.lock', S))], []));
    const s = m.initialState();
    s[m.layout.thread(0, ThreadField.pc)] = 0;
    expect(() => m.step(s, 0)).toThrow('thread P0: pc 0 is not an atomic step');
  });
});

describe('what a step tells the explorer', () => {
  it.each(MODELS)('%s: a step of a weak model may read and write other threads (readOthers, wroteOthers); one of sc does not', (memoryModel) => {
    const m = new Machine(world(memoryModel, [path('P0', (k) => k.spin_lock('P0.lock', S))], []));
    const s = m.initialState();
    m.readOthers = memoryModel === 'sc';
    m.wroteOthers = memoryModel === 'sc';
    expect(m.step(s, 0)).toBe(true);
    expect([m.readOthers, m.wroteOthers]).toEqual(memoryModel === 'sc' ? [false, false] : [true, true]);
  });
});

describe('what kind of step ran (lastStepKind, read by memory-trace.ts)', () => {
  it('tso: an instruction after a flush is an instruction again', () => {
    const m = new Machine(
      world('tso', [path('P0', (k) => (k.WRITE_ONCE('P0.w', X, 'one'), k.READ_ONCE('P0.r', 'r0', Y), k.observe('P0.o', 0, 'r0')))], ['0:r0']),
    );
    const s = m.initialState();
    expect(m.step(s, 0, 0)).toBe(true);
    expect(m.lastStepKind).toBe('instruction');
    // its own load (one outcome), then the store buffer's oldest entry
    expect(m.choiceCount(s, 0)).toBe(2);
    expect(m.step(s, 0, 1)).toBe(true);
    expect(m.lastStepKind).toBe('flush');
    expect(m.step(s, 0, 0)).toBe(true);
    expect(m.lastStepKind).toBe('instruction');
  });
});
