import {
  KernelPath,
  PageFlag,
  litmusPointer,
  makeMigrationFrom,
  makePresent,
  resolveModel,
  type InvariantName,
  type MemoryModelName,
  type PathDef,
  type World,
} from '@mmreplay/model';
import { describe, expect, it } from 'vitest';
import { walkStates } from '../test/walk-states.js';
import { Machine } from './machine.js';
import { checkLockedLoaded } from './semantics/memory-model.js';

// semantics/memory-model.ts as the machine runs it for sc and tso (lkmm's weak threads take
// semantics/propagation.ts instead): a tso thread's store buffer word by word, store forwarding
// from the newest entry of the location, the fences, a flush as a step of its own, each step's
// memory log (what the memory trace and the step events are made from), a litmus test's `exists`
// clause at the end of a run, and the BUG_ON of softleaf_to_folio on loaded words.

const path = (name: string, body: (k: KernelPath) => void): PathDef => {
  const k = new KernelPath(name, name, { one: 'int', two: 'int', r0: 'int', r1: 'int', p: 'int' }).at('test', name, '-');
  k.mov('one', 1, `${name}.one`);
  k.mov('two', 2, `${name}.two`);
  body(k);
  return k.build();
};

function litmus(
  memoryModel: MemoryModelName,
  paths: PathDef[],
  results: string[],
  exists: { name: string; value: number }[],
  invariants: InvariantName[],
): World {
  return {
    scenario: 'test',
    params: {},
    memoryModel,
    rmapOrder: 'any',
    pages: [],
    vmas: [],
    ptes: [],
    ptls: [],
    threads: paths.map((p) => ({ name: p.name, path: p.name, args: {} })),
    paths: Object.fromEntries(paths.map((p) => [p.name, p])),
    invariants,
    symmetry: [],
    litmus: { vars: ['x', 'y'], results, exists },
  };
}

const X = 0;
const Y = 1;
const entry = (kind: string, loc: number, value: number, reg = -1, index = -1, forwarded = false, order = 0) => ({
  kind,
  loc,
  value,
  reg,
  index,
  forwarded,
  order,
  pos: -1,
});

describe('tso store buffer', () => {
  const w = litmus(
    'tso',
    [
      path('P0', (k) => {
        k.WRITE_ONCE('a', X, 'one');
        k.WRITE_ONCE('b', X, 'two');
        k.smp_store_release('c', Y, 'one');
        k.READ_ONCE('d', 'r0', X);
        k.smp_wmb('e');
        k.smp_rmb('f');
        k.smp_mb('g');
        k.READ_ONCE('h', 'r1', Y);
        k.observe('o', 0, 'r0');
      }),
    ],
    ['0:r0'],
    [],
    ['deadlock'],
  );

  it('stores are buffered (location + 1, value, no epoch or release bit under tso), loads forward the newest entry of their location, fences as tso has them', () => {
    const m = new Machine(w);
    const L = m.layout;
    const s = m.initialState();
    const sb = () => [...s.slice(L.sbEntry(0, 0), L.sbEntry(0, 3))];
    const mem = () => [s[L.locSlot(L.varLoc(X))], s[L.locSlot(L.varLoc(Y))]];
    const step = () => {
      expect(m.step(s, 0, 0)).toBe(true);
      return m.memLog.map((a) => ({ ...a }));
    };
    expect(step()).toEqual([entry('buffer', X, 1, -1, 0)]);
    expect(step()).toEqual([entry('buffer', X, 2, -1, 1)]);
    expect(step()).toEqual([entry('buffer', Y, 1, -1, 2, false, 1)]);
    expect(sb()).toEqual([X + 1, 1, 0, X + 1, 2, 0, Y + 1, 1, 0]);
    expect(mem()).toEqual([0, 0]);
    // the newest of x's two entries, not the newest entry
    expect(step()).toEqual([entry('read', X, 2, 2, 1, true)]);
    // smp_wmb and smp_rmb: nothing to order under tso
    expect(step()).toEqual([entry('fence', -1, 0, -1, -1, false, 2)]);
    expect(step()).toEqual([entry('fence', -1, 0, -1, -1, false, 1)]);
    expect(sb()).toEqual([X + 1, 1, 0, X + 1, 2, 0, Y + 1, 1, 0]);
    // smp_mb drains the buffer, oldest first
    expect(step()).toEqual([entry('fence', -1, 0, -1, -1, false, 3), entry('flush', X, 1, -1, 0), entry('flush', X, 2, -1, 0), entry('flush', Y, 1, -1, 0)]);
    expect(sb()).toEqual([0, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(mem()).toEqual([2, 1]);
    // from memory now
    expect(step()).toEqual([entry('read', Y, 1, 3, -1, false)]);
  });

  it('a flush is a step of its own: the oldest entry reaches memory and the others move down', () => {
    const m = new Machine(w);
    const L = m.layout;
    const s = m.initialState();
    m.step(s, 0, 0);
    m.step(s, 0, 0);
    // choice 0 is the thread's next instruction, choice 1 the flush of its oldest entry
    expect(m.choiceCount(s, 0)).toBe(2);
    expect(m.step(s, 0, 1)).toBe(true);
    expect(m.memLog.map((a) => ({ ...a }))).toEqual([entry('flush', X, 1, -1, 0)]);
    expect([...s.slice(L.sbEntry(0, 0), L.sbEntry(0, 3))]).toEqual([X + 1, 2, 0, 0, 0, 0, 0, 0, 0]);
    expect(s[L.locSlot(L.varLoc(X))]).toBe(1);
  });
});

describe('sc, and a tso thread without stores', () => {
  it('sc: loads and stores read and write memory at once, logged as such', () => {
    const m = new Machine(litmus('sc', [path('P0', (k) => (k.WRITE_ONCE('a', Y, 'two'), k.smp_mb('b'), k.READ_ONCE('c', 'r0', Y)))], [], [], ['deadlock']));
    const s = m.initialState();
    m.step(s, 0, 0);
    expect(m.memLog.map((a) => ({ ...a }))).toEqual([entry('write', Y, 2)]);
    expect(s[m.layout.locSlot(m.layout.varLoc(Y))]).toBe(2);
    m.step(s, 0, 0);
    expect(m.memLog.map((a) => ({ ...a }))).toEqual([entry('fence', -1, 0, -1, -1, false, 3)]);
    m.step(s, 0, 0);
    expect(m.memLog.map((a) => ({ ...a }))).toEqual([entry('read', Y, 2, 2)]);
  });

  it('tso: a thread that only loads has no store buffer and reads memory', () => {
    const w = litmus(
      'tso',
      [path('P0', (k) => k.WRITE_ONCE('a', Y, 'two')), path('P1', (k) => (k.READ_ONCE('a', 'r0', Y), k.observe('o', 0, 'r0')))],
      ['1:r0'],
      [],
      ['deadlock'],
    );
    const m = new Machine(w);
    expect(m.layout.sbCapacity[1]).toBe(0);
    const s = m.initialState();
    m.step(s, 0, 0);
    // flush P0's store, then P1 reads it from memory
    m.step(s, 0, m.choiceCount(s, 0) - 1);
    expect(s[m.layout.locSlot(m.layout.varLoc(Y))]).toBe(2);
    m.step(s, 1, 0);
    expect(m.memLog.map((a) => ({ ...a }))).toEqual([entry('read', Y, 2, 2)]);
  });
});

describe('the exists clause of a litmus test', () => {
  // store buffering: under tso both loads may read 0
  const sb = (memoryModel: MemoryModelName, exists: { name: string; value: number }[], invariants: InvariantName[] = ['deadlock', 'weak-outcome']) =>
    litmus(
      memoryModel,
      [
        path('P0', (k) => (k.WRITE_ONCE('a', X, 'one'), k.READ_ONCE('b', 'r0', Y), k.observe('o', 0, 'r0'))),
        path('P1', (k) => (k.mov('p', litmusPointer(X), 'P1.p'), k.WRITE_ONCE('a', Y, 'p'), k.READ_ONCE('b', 'r1', X), k.observe('o', 1, 'r1'))),
      ],
      ['0:r0', '1:r1'],
      exists,
      invariants,
    );

  function ends(w: World): Map<string, string> {
    const m = new Machine(w);
    const out = new Map<string, string>();
    walkStates(m, {
      end: (s) => {
        const e = m.endState(s);
        out.set(e.violation ? `${e.violation.invariant}: ${e.violation.message}` : e.outcome, e.outcome);
      },
    });
    return out;
  }

  it('is a violation where every condition holds at the end, named with the final state (a pointer as the variable it points to)', () => {
    const out = ends(
      sb('tso', [
        { name: '0:r0', value: 0 },
        { name: '1:r1', value: 0 },
      ]),
    );
    expect([...out.keys()].sort()).toEqual([
      'completed',
      'weak-outcome: the weak outcome exists (0:r0=0 /\\ 1:r1=0) is reachable under tso: final state x=1 y=x 0:r0=0 1:r1=0',
    ]);
    expect(out.get([...out.keys()].find((k) => k !== 'completed')!)).toBe('violation');
  });

  it('conditions on variables and pointers too; every condition must hold, not one', () => {
    const out = ends(
      sb('tso', [
        { name: 'y', value: litmusPointer(X) },
        { name: '0:r0', value: litmusPointer(X) },
      ]),
    );
    expect([...out.keys()].sort()).toEqual([
      'completed',
      'weak-outcome: the weak outcome exists (y=x /\\ 0:r0=x) is reachable under tso: final state x=1 y=x 0:r0=x 1:r1=0',
      'weak-outcome: the weak outcome exists (y=x /\\ 0:r0=x) is reachable under tso: final state x=1 y=x 0:r0=x 1:r1=1',
    ]);
    // x=5 never holds: no run breaks it although 1:r1=0 does in some
    expect([
      ...ends(
        sb('tso', [
          { name: '1:r1', value: 0 },
          { name: 'x', value: 5 },
        ]),
      ).keys(),
    ]).toEqual(['completed']);
  });

  it('is no violation under sc for this one, nor where the invariant is not enabled, nor with an empty clause', () => {
    expect([
      ...ends(
        sb('sc', [
          { name: '0:r0', value: 0 },
          { name: '1:r1', value: 0 },
        ]),
      ).keys(),
    ]).toEqual(['completed']);
    expect([
      ...ends(
        sb(
          'tso',
          [
            { name: '0:r0', value: 0 },
            { name: '1:r1', value: 0 },
          ],
          ['deadlock'],
        ),
      ).keys(),
    ]).toEqual(['completed']);
    expect([...ends(sb('tso', [])).keys()]).toEqual(['completed']);
  });
});

describe('checkLockedLoaded', () => {
  it("is the BUG_ON of a migration entry whose loaded flags say unlocked, in the registers given, under the thread's name", () => {
    const m = new Machine(resolveModel({ scenario: 'c11-split-order', memoryModel: 'sc' }).world);
    const R = 3;
    const s = new Int32Array(12);
    const mig = makeMigrationFrom(makePresent(0, true), 1);
    // registers 2 (entry) and 4 (flags), at an offset: the others hold what would pass
    s[R + 0] = makePresent(0, true);
    s[R + 1] = PageFlag.locked;
    s[R + 2] = mig;
    s[R + 4] = PageFlag.waiters;
    expect(checkLockedLoaded(m, s, 1, R, 2, 4)).toBe(false);
    expect(m.violation).toEqual({
      invariant: 'bug-on',
      thread: 1,
      message: `${m.world.threads[1].name}: BUG_ON(!folio_test_locked) in softleaf_to_folio: migration(${m.pageName(1)},write) and the flags it loaded say unlocked`,
    });
    m.violation = null;
    s[R + 4] = PageFlag.locked | PageFlag.waiters;
    expect(checkLockedLoaded(m, s, 1, R, 2, 4)).toBe(true);
    // a present PTE: nothing to check, whatever the flags
    expect(checkLockedLoaded(m, s, 1, R, 0, 4)).toBe(true);
    s[R + 4] = 0;
    expect(checkLockedLoaded(m, s, 1, R, 0, 4)).toBe(true);
    expect(m.violation).toBeNull();
  });
});
