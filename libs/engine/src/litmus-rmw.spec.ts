import { describe, expect, it } from 'vitest';
import { KernelPath, RmwKind, RmwOrdering, type MemoryModelName, type PathDef, type World } from '@mmreplay/model';
import { Machine } from './machine.js';
import { ProgramFaultError } from './errors.js';
import { litmusWorld } from './test-helpers.js';
import { walkStates } from '../test/walk-states.js';

// Machine.execute's read-modify-write on litmus variables (rmw_var: xchg(), cmpxchg(), the
// atomic_*() families) under every model. libs/litmus holds the lkmm lowering to the LKMM on
// generated programs (engine-differential.spec.ts, the `rmw` mix); these pin what each kind does
// and that two RMWs of one location never read the same store, whatever the model.

const MODELS: readonly MemoryModelName[] = ['sc', 'tso', 'lkmm'];
const X = 0;
const Y = 1;

const path = (name: string, body: (k: KernelPath) => void): PathDef => {
  const k = new KernelPath(name, name, { zero: 'int', one: 'int', two: 'int', five: 'int', r0: 'int', r1: 'int' }).at('test', name, '-');
  k.mov('zero', 0, `${name}.zero`);
  k.mov('one', 1, `${name}.one`);
  k.mov('two', 2, `${name}.two`);
  k.mov('five', 5, `${name}.five`);
  body(k);
  return k.build();
};

/** Every end of every execution: each result, then x and y, e.g. `0:r0=1 1:r0=0 x=2 y=0`. */
function ends(w: World): Set<string> {
  const m = new Machine(w);
  const L = m.layout;
  const out = new Set<string>();
  walkStates(m, {
    end: (s) => {
      const { outcome } = m.endState(s);
      if (outcome === 'infeasible') return;
      expect(outcome).toBe('completed');
      out.add([...w.litmus!.results.map((n, i) => `${n}=${s[L.results + i]}`), `x=${s[L.locSlot(L.varLoc(X))]}`, `y=${s[L.locSlot(L.varLoc(Y))]}`].join(' '));
    },
  });
  return out;
}

const sorted = (set: Set<string>) => [...set].sort();

/** P0 and P1 each run one RMW of x with operand `one`/`two` into r0 (and observe it). */
function pair(memoryModel: MemoryModelName, kind: number, ordering: number, expected = 'five'): World {
  const p = (name: string, operand: string) =>
    path(name, (k) => (k.rmw(`${name}.rmw`, 'r0', X, operand, expected, kind, ordering), k.observe(`${name}.o`, name === 'P0' ? 0 : 1, 'r0')));
  return litmusWorld(memoryModel, [p('P0', 'one'), p('P1', 'two')], ['0:r0', '1:r0']);
}

describe('two read-modify-writes of one location: one reads the other (atomicity), under every model and ordering', () => {
  for (const memoryModel of MODELS)
    for (const ordering of [RmwOrdering.relaxed, RmwOrdering.acquire, RmwOrdering.release, RmwOrdering.mb]) {
      it(`${memoryModel}, ordering ${ordering}: xchg()`, () => {
        // the second reads the first's value; the last one's stays
        expect(sorted(ends(pair(memoryModel, RmwKind.xchg, ordering)))).toEqual(['0:r0=0 1:r0=1 x=2 y=0', '0:r0=2 1:r0=0 x=1 y=0']);
      });
      it(`${memoryModel}, ordering ${ordering}: atomic_fetch_add() and atomic_add_return()`, () => {
        expect(sorted(ends(pair(memoryModel, RmwKind.add, ordering)))).toEqual(['0:r0=0 1:r0=1 x=3 y=0', '0:r0=2 1:r0=0 x=3 y=0']);
        expect(sorted(ends(pair(memoryModel, RmwKind.add | RmwKind.new, ordering)))).toEqual(['0:r0=1 1:r0=3 x=3 y=0', '0:r0=3 1:r0=2 x=3 y=0']);
      });
    }
});

describe('cmpxchg(): it writes only where it reads the expected value, and otherwise only reads', () => {
  it.each(MODELS)('%s: two cmpxchg(x, 0, v): exactly one succeeds', (memoryModel) => {
    expect(sorted(ends(pair(memoryModel, RmwKind.cmpxchg, RmwOrdering.mb, 'zero')))).toEqual(['0:r0=0 1:r0=1 x=1 y=0', '0:r0=2 1:r0=0 x=2 y=0']);
  });
  it.each(MODELS)("%s: cmpxchg(x, 5, v) never writes: it reads 0 or the other one's 2", (memoryModel) => {
    const p0 = path('P0', (k) => (k.rmw('P0.rmw', 'r0', X, 'one', 'five', RmwKind.cmpxchg, RmwOrdering.relaxed), k.observe('P0.o', 0, 'r0')));
    const p1 = path('P1', (k) => k.WRITE_ONCE('P1.w', X, 'two'));
    expect(sorted(ends(litmusWorld(memoryModel, [p0, p1], ['0:r0'])))).toEqual(['0:r0=0 x=2 y=0', '0:r0=2 x=2 y=0']);
  });
});

describe('the result register: the old value, the new one, or a test of the new one (x starts at 1)', () => {
  const one = (kind: number, operand = 'one') => {
    const p0 = path('P0', (k) => (k.rmw('P0.rmw', 'r0', X, operand, operand, kind, RmwOrdering.mb), k.observe('P0.o', 0, 'r0')));
    return sorted(ends(litmusWorld('lkmm', [p0], ['0:r0'], { init: [{ name: 'x', value: 1 }] })));
  };
  it('atomic_dec_and_test() answers 1 (x is 0 after it), atomic_inc_and_test() 0', () => {
    expect(one(RmwKind.add | RmwKind.sub | RmwKind.zero)).toEqual(['0:r0=1 x=0 y=0']);
    expect(one(RmwKind.add | RmwKind.zero)).toEqual(['0:r0=0 x=2 y=0']);
  });
  it('atomic_add_negative() of -2 answers 1, of 1 answers 0; atomic_fetch_sub() the old value, atomic_sub_return() the new', () => {
    expect(one(RmwKind.add | RmwKind.sub | RmwKind.negative, 'two')).toEqual(['0:r0=1 x=-1 y=0']);
    expect(one(RmwKind.add | RmwKind.negative)).toEqual(['0:r0=0 x=2 y=0']);
    expect(one(RmwKind.add | RmwKind.sub, 'two')).toEqual(['0:r0=1 x=-1 y=0']);
    expect(one(RmwKind.add | RmwKind.sub | RmwKind.new, 'two')).toEqual(['0:r0=-1 x=-1 y=0']);
  });
});

describe('lkmm: a store of another CPU never lands between an RMW and the store it read', () => {
  it('xchg_relaxed(x, 1) read 0 only where 2 was written after its write (x ends 2), or before its read', () => {
    const p0 = path('P0', (k) => (k.rmw('P0.rmw', 'r0', X, 'one', 'one', RmwKind.xchg, RmwOrdering.relaxed), k.observe('P0.o', 0, 'r0')));
    const p1 = path('P1', (k) => k.WRITE_ONCE('P1.w', X, 'two'));
    // not `0:r0=0 x=1`: 2 between the initial 0 and the xchg's 1
    expect(sorted(ends(litmusWorld('lkmm', [p0, p1], ['0:r0'])))).toEqual(['0:r0=0 x=2 y=0', '0:r0=2 x=1 y=0']);
  });
});

describe('lkmm: the orderings it adds to the LKMM are reported (`rmw`)', () => {
  const bounds = (ordering: number, kind: number = RmwKind.xchg) => {
    const p0 = path('P0', (k) => (k.rmw('P0.rmw', 'r0', X, 'one', 'five', kind, ordering), k.WRITE_ONCE('P0.w', Y, 'one')));
    const p1 = path('P1', (k) => (k.READ_ONCE('P1.r', 'r1', Y), k.smp_mb('P1.mb'), k.WRITE_ONCE('P1.w', X, 'two'), k.observe('P1.o', 0, 'r1')));
    const m = new Machine(litmusWorld('lkmm', [p0, p1], ['1:r1']));
    walkStates(m, {});
    return m.boundsMet.map((b) => `${b.bound} ${b.label}`);
  };
  it('a relaxed or _release one that a store follows, and a failed cmpxchg()', () => {
    expect(bounds(RmwOrdering.relaxed)).toEqual(['rmw P0.rmw']);
    expect(bounds(RmwOrdering.release)).toEqual(['rmw P0.rmw']);
    expect(bounds(RmwOrdering.mb, RmwKind.cmpxchg)).toEqual(['rmw P0.rmw']);
  });
  it('not a fully ordered one, nor an _acquire one', () => {
    expect(bounds(RmwOrdering.mb)).toEqual([]);
    expect(bounds(RmwOrdering.acquire)).toEqual([]);
  });
});

describe('a document names any kind and ordering: the machine refuses one rmw_var does not have', () => {
  it.each([
    [3, 0],
    [RmwKind.xchg | RmwKind.sub, 0],
    [32, 0],
    [RmwKind.add, 4],
    [RmwKind.add, -1],
  ])('kind %i, ordering %i', (kind, ordering) => {
    const p0 = path('P0', (k) => k.rmw('P0.rmw', 'r0', X, 'one', 'one', kind, ordering));
    expect(() => new Machine(litmusWorld('lkmm', [p0], []))).toThrow(ProgramFaultError);
  });
});
