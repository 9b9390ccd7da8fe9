import { KernelPath, type PathDef } from '@mmreplay/model';
import { describe, expect, it } from 'vitest';
import { Machine } from '../machine.js';
import { litmusWorld } from '../test-helpers.js';
import { lqCount, lqHasLoc, pendingRegs } from './memory-model.js';

// The readers of lkmm's queue of outstanding loads in semantics/memory-model.ts (lqCount,
// pendingRegs, lqHasLoc), on queues filled by hand (an entry is the register + 1 and the location,
// as propagation.ts's deferred load writes it). The machine's runs hardly ever fill a queue to
// its capacity, and there the entry one past thread 0's queue is thread 1's first entry, so a
// reader that runs one entry too far, or backwards, reads another thread's loads (issue 20).

const X = 0;
const Y = 1;

const reader = (name: string, loads: number): PathDef => {
  const k = new KernelPath(name, name, { r0: 'int', r1: 'int', r2: 'int' }).at('test', name, '-');
  for (let i = 0; i < loads; i++) k.READ_ONCE(`l${i}`, `r${i}`, i % 2 === 0 ? X : Y);
  return k.build();
};

// P0 loads twice (a queue of two), P1 once; neither stores, so P1's queue follows P0's directly.
const world = litmusWorld('lkmm', [reader('P0', 2), reader('P1', 1)], []);

function setUp() {
  const m = new Machine(world);
  const L = m.layout;
  const s = m.initialState();
  const x = L.varLoc(X);
  const y = L.varLoc(Y);
  const defer = (t: number, i: number, reg: number, loc: number) => {
    s[L.lqEntry(t, i)] = reg + 1;
    s[L.lqEntry(t, i) + 1] = loc;
  };
  return { m, L, s, x, y, defer };
}

describe('the load queue readers', () => {
  it('the layout the tests rely on: P0 has two entries, P1 one, and P1 comes right after P0', () => {
    const { L } = setUp();
    expect([L.lqCapacity[0], L.lqCapacity[1], L.sbCapacity[0], L.sbCapacity[1]]).toEqual([2, 1, 0, 0]);
    expect(L.lqEntry(0, 2)).toBe(L.lqEntry(1, 0));
  });

  it("a full queue: its own registers and locations, not the next thread's", () => {
    const { m, s, x, y, defer } = setUp();
    defer(0, 0, 0, x);
    defer(0, 1, 1, x);
    defer(1, 0, 2, y);
    expect(lqCount(m, s, 0)).toBe(2);
    expect(pendingRegs(m, s, 0)).toBe(0b011);
    expect(lqHasLoc(m, s, 0, x)).toBe(true);
    expect(lqHasLoc(m, s, 0, y)).toBe(false);
    expect(pendingRegs(m, s, 1)).toBe(0b100);
    expect(lqHasLoc(m, s, 1, y)).toBe(true);
    expect(lqHasLoc(m, s, 1, x)).toBe(false);
  });

  it('the location is found in the second entry too', () => {
    const { m, s, x, y, defer } = setUp();
    defer(0, 0, 1, x);
    defer(0, 1, 0, y);
    expect(lqHasLoc(m, s, 0, y)).toBe(true);
    expect(lqHasLoc(m, s, 0, x)).toBe(true);
  });

  it('a queue with one entry: the mask stops at the first empty slot', () => {
    const { m, s, x, y, defer } = setUp();
    defer(0, 0, 1, y);
    expect(lqCount(m, s, 0)).toBe(1);
    expect(pendingRegs(m, s, 0)).toBe(0b010);
    expect(lqHasLoc(m, s, 0, x)).toBe(false);
    expect(pendingRegs(m, s, 1)).toBe(0);
    expect(lqHasLoc(m, s, 1, y)).toBe(false);
  });
});
