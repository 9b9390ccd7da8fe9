import { linkPath, type Step } from '@mmreplay/model';
import { describe, expect, it } from 'vitest';
import { controlRegions } from './control-dependency.js';

// controlRegions on hand-made paths, pc by pc: the branch's region (`pcs`, up to its immediate
// post-dominator), the accesses that wait for its load while it is a guess (`holds`) and those of
// them that are the engine's ordering only (`ways`). The catalogue's lkmm worlds reach only a few
// shapes (a branch whose ways meet again after one or two steps); these paths add a loop back
// over the branch, a branch in a called function that returns, a join where only one way wrote a
// register, a later branch on a register the guess decided, and the operand kinds that pass a
// dependence on (update, copy) or end it (a plain write).

const src = { file: 'mm/test.c', fn: 'test', version: 'v6.15' };

type Insn = [label: string, op: Step['op'], ...args: (string | number)[]];

function path(regs: string[], steps: Insn[]) {
  return linkPath({
    name: 'p',
    title: 'p',
    regs: regs.map((name) => ({ name, type: 'int' })),
    steps: steps.map(([label, op, ...args]) => ({ label, op, args, src })),
  });
}

/** The regions as strings of 0/1 per pc (the path's final `done` included), null for a pc that is no speculable branch. */
function regions(steps: Insn[], regs = ['a', 'b', 'c', 'd']) {
  return controlRegions(path(regs, steps)).map((r) => (r === null ? null : { pcs: r.pcs.join(''), holds: r.holds.join(''), ways: r.ways.join('') }));
}

describe('controlRegions', () => {
  it('a path without branches has no region at any pc', () => {
    const out = regions([
      ['L0', 'mov', 'a', 1],
      ['L1', 'store_var', 0, 'a', 0],
    ]);
    expect(out).toHaveLength(3);
    for (const r of out) expect(r).toBeNull();
  });

  it('an if/else: the region is both ways up to the join; after it, a store of a register a way wrote waits, one of another does not', () => {
    const out = regions([
      ['L0', 'load_var', 'a', 0, 0],
      ['L1', 'beq', 'a', 1, 'L4'],
      ['L2', 'mov', 'b', 5],
      ['L3', 'jmp', 'L5'],
      ['L4', 'add', 'b', 1],
      ['L5', 'store_var', 1, 'b', 0],
      // to variable 1, the index of register b: an immediate is no register
      ['L6', 'store_var', 1, 'c', 0],
      ['L7', 'mov', 'b', 0],
      ['L8', 'store_var', 1, 'b', 0],
    ]);
    expect(out).toEqual([null, { pcs: '0011100000', holds: '0011110000', ways: '0000010000' }, null, null, null, null, null, null, null, null]);
  });

  it('a join where only one way wrote the register: the dependence of that way reaches past the join', () => {
    // the way taken (L4) is walked first and reaches L5 without b; the fall-through's b must still get there
    const out = regions([
      ['L0', 'load_var', 'a', 0, 0],
      ['L1', 'beq', 'a', 1, 'L4'],
      ['L2', 'mov', 'b', 5],
      ['L3', 'store_var', 3, 'c', 0],
      ['L4', 'nop'],
      ['L5', 'store_var', 1, 'b', 0],
      // c was only read in the region (a store of it): not decided by the guess
      ['L6', 'store_var', 2, 'c', 0],
      // swap updates both: c now holds what b held
      ['L7', 'swap', 'b', 'c'],
      ['L8', 'store_var', 4, 'c', 0],
    ]);
    expect(out[1]).toEqual({ pcs: '0011000000', holds: '0011010110', ways: '0000010110' });
  });

  it('a later branch on a register the guess decided holds its own region, and what that region writes', () => {
    const out = regions([
      ['L0', 'load_var', 'a', 0, 0],
      ['L1', 'beq', 'a', 1, 'L3'],
      ['L2', 'mov', 'b', 1],
      ['L3', 'bne', 'b', 0, 'L6'],
      ['L4', 'mov', 'c', 2],
      // in the second branch's region: held though d is no way's value
      ['L5', 'store_var', 2, 'd', 0],
      ['L6', 'store_var', 3, 'd', 0],
      ['L7', 'store_var', 4, 'c', 0],
      // copy passes c's dependence to d
      ['L8', 'copy', 'd', 'c'],
      ['L9', 'store_var', 5, 'd', 0],
    ]);
    expect(out[1]).toEqual({ pcs: '00100000000', holds: '00111101110', ways: '00011101110' });
    // the first region's pcs are its own: the second branch's region is not added to them
    expect(out[3]).toEqual({ pcs: '00001100000', holds: '00001101110', ways: '00000001110' });
    expect(out.filter((r) => r !== null)).toHaveLength(2);
  });

  it('a branch in a loop: its region goes round the loop back to itself; the store after the loop waits for what the loop updated', () => {
    const out = regions([
      ['L0', 'load_var', 'a', 0, 0],
      ['L1', 'blt', 'a', 3, 'L4'],
      ['L2', 'add', 'b', 1],
      ['L3', 'jmp', 'L0'],
      ['L4', 'store_var', 1, 'b', 0],
    ]);
    expect(out).toEqual([null, { pcs: '111100', holds: '111110', ways: '000010' }, null, null, null, null]);
  });

  it('a branch in a called function: its region ends at the ret; what the caller does after the call with a register it wrote waits', () => {
    const out = regions([
      ['L0', 'load_var', 'a', 0, 0],
      ['L1', 'call', 'F0'],
      ['L2', 'store_var', 1, 'b', 0],
      ['L3', 'done'],
      ['F0', 'bne', 'a', 0, 'F2'],
      ['F1', 'mov', 'b', 1],
      ['F2', 'ret'],
    ]);
    expect(out).toEqual([null, null, null, null, { pcs: '00000100', holds: '00100100', ways: '00100000' }, null, null, null]);
  });

  it("a ret ends a region: a branch whose one way returns has both ways up to the function's end as its region, and nothing of the caller", () => {
    const out = regions([
      ['L0', 'load_var', 'a', 0, 0],
      ['L1', 'call', 'F0'],
      ['L2', 'store_var', 1, 'c', 0],
      ['L3', 'done'],
      ['F0', 'bne', 'a', 0, 'F2'],
      ['F1', 'ret'],
      ['F2', 'mov', 'b', 1],
      ['F3', 'ret'],
    ]);
    expect(out[4]).toEqual({ pcs: '000001110', holds: '000001110', ways: '000000000' });
  });

  it('a branch at pc 0', () => {
    const out = regions([
      ['L0', 'beq', 'a', 1, 'L2'],
      ['L1', 'mov', 'b', 1],
      ['L2', 'store_var', 0, 'b', 0],
    ]);
    expect(out).toEqual([{ pcs: '0100', holds: '0110', ways: '0010' }, null, null, null]);
  });

  it('a branch inside a loop whose only way out is an earlier branch: its ways meet before the jump back', () => {
    // the post-dominators of the inner branch are known only after a second round over the jump back
    const out = regions([
      ['L0', 'load_var', 'a', 0, 0],
      ['L1', 'blt', 'a', 3, 'L6'],
      ['L2', 'beq', 'a', 1, 'L4'],
      ['L3', 'mov', 'b', 1],
      ['L4', 'nop'],
      ['L5', 'jmp', 'L0'],
      ['L6', 'store_var', 1, 'c', 0],
    ]);
    expect(out[1]).toEqual({ pcs: '11111100', holds: '11111100', ways: '00000000' });
    expect(out[2]).toEqual({ pcs: '00010000', holds: '00010000', ways: '00000000' });
  });

  it('a ret goes back only after a call: not to the instruction before it, nor past a ret to dead code', () => {
    const out = regions([
      ['L0', 'load_var', 'a', 0, 0],
      // b is written before the call: a return to here would end its dependence
      ['L1', 'mov', 'b', 0],
      ['L2', 'call', 'F0'],
      ['L3', 'store_var', 1, 'b', 0],
      ['L4', 'done'],
      ['F0', 'bne', 'a', 0, 'F2'],
      ['F1', 'mov', 'b', 1],
      ['F2', 'ret'],
      // no call returns here
      ['F3', 'store_var', 2, 'b', 0],
    ]);
    expect(out[5]).toEqual({ pcs: '0000001000', holds: '0001001000', ways: '0001000000' });
  });

  it('a region that begins with a store: what the region writes after it is still followed', () => {
    const out = regions([
      ['L0', 'load_var', 'a', 0, 0],
      ['L1', 'beq', 'a', 1, 'L4'],
      ['L2', 'store_var', 3, 'c', 0],
      ['L3', 'mov', 'b', 5],
      ['L4', 'nop'],
      ['L5', 'store_var', 1, 'b', 0],
    ]);
    expect(out[1]).toEqual({ pcs: '0011000', holds: '0011010', ways: '0000010' });
  });

  it('rmap_next is a branch but no speculable one: no region of its own', () => {
    const out = regions([
      ['L0', 'rmap_next', 'a', 'b', 'c', 'd', 'L2', 0],
      ['L1', 'store_var', 0, 'c', 0],
      ['L2', 'done'],
    ]);
    expect(out).toEqual([null, null, null, null]);
  });
});
