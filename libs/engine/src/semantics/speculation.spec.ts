import { INSN_WIDTH, SpecCond, linkPath, makePresent, type Step } from '@mmreplay/model';
import { describe, expect, it } from 'vitest';
import { branchTest, type BranchTest } from './speculation.js';

// branchTest on hand-made branches: which register waiting for a load (a bit of `pending`) a
// branch tests, with what condition, constant and direction. The machine reaches it only for lkmm
// threads with a speculable branch on an outstanding load, and no golden run decodes every
// branch kind; here each kind, each operand waiting or not, on registers other than 0 and with the
// registers at an offset in the state, so that an index taken the wrong way reads another slot.

const src = { file: 'mm/test.c', fn: 'test', version: 'v6.15' };
const REGS = ['r0', 'r1', 'r2', 'r3'];
/** the registers' slots start here in the state */
const BASE = 5;

function decode(op: Step['op'], args: Step['args'], pending: number, values: readonly number[] = [0, 0, 0, 0]) {
  const p = linkPath({
    name: 'p',
    title: 'p',
    regs: REGS.map((name) => ({ name, type: 'int' })),
    steps: [
      { label: 'L0', op: 'nop', args: [], src },
      { label: 'L1', op, args, src },
    ],
  });
  const s = new Int32Array(BASE + REGS.length + 3).fill(-7);
  values.forEach((v, i) => (s[BASE + i] = v));
  const out: BranchTest = { reg: -9, reg2: -9, test: -9, c: -9, takenWhen: false };
  const ok = branchTest(p.code, INSN_WIDTH, s, BASE, pending, out);
  return { ok, out };
}

const bit = (r: number) => 1 << r;

describe('branchTest', () => {
  it('beq, bne, blt and bkind test their register against the constant when it waits for a load', () => {
    expect(decode('beq', ['r2', 7, 'L0'], bit(2))).toEqual({ ok: true, out: { reg: 2, reg2: -1, test: SpecCond.eqFalse, c: 7, takenWhen: true } });
    expect(decode('bne', ['r2', 7, 'L0'], bit(2))).toEqual({ ok: true, out: { reg: 2, reg2: -1, test: SpecCond.eqFalse, c: 7, takenWhen: false } });
    expect(decode('blt', ['r3', 4, 'L0'], bit(3))).toEqual({ ok: true, out: { reg: 3, reg2: -1, test: SpecCond.ltFalse, c: 4, takenWhen: true } });
    expect(decode('bkind', ['r1', 2, 'L0'], bit(1))).toEqual({ ok: true, out: { reg: 1, reg2: -1, test: SpecCond.kindFalse, c: 2, takenWhen: true } });
  });

  it('a branch on a register no load is outstanding for is no speculation', () => {
    for (const op of ['beq', 'bne', 'blt', 'bkind'] as const) {
      // another register waits, not the tested one
      const { ok, out } = decode(op, ['r2', 7, 'L0'], bit(1) | bit(3));
      expect(ok, op).toBe(false);
      expect(out.reg, op).toBe(-9);
    }
  });

  it('bsame with one register waiting compares it with the value the other holds now', () => {
    expect(decode('bsame', ['r1', 'r3', 'L0'], bit(1), [10, 11, 12, 13])).toEqual({
      ok: true,
      out: { reg: 1, reg2: -1, test: SpecCond.eqFalse, c: 13, takenWhen: true },
    });
    expect(decode('bsame', ['r1', 'r3', 'L0'], bit(3), [10, 11, 12, 13])).toEqual({
      ok: true,
      out: { reg: 3, reg2: -1, test: SpecCond.eqFalse, c: 11, takenWhen: true },
    });
  });

  it('bsame of two waiting registers names the other; of one register with itself, or none waiting, is no speculation', () => {
    expect(decode('bsame', ['r2', 'r1', 'L0'], bit(1) | bit(2))).toEqual({
      ok: true,
      out: { reg: 2, reg2: 1, test: SpecCond.sameFalse, c: 1, takenWhen: true },
    });
    expect(decode('bsame', ['r2', 'r2', 'L0'], bit(2)).ok).toBe(false);
    expect(decode('bsame', ['r2', 'r1', 'L0'], bit(0) | bit(3)).ok).toBe(false);
  });

  it("bpfn with the PTE waiting tests its pfn against the page held; with the page waiting, the page against the PTE's pfn", () => {
    const pte = makePresent(6, true);
    expect(decode('bpfn', ['r1', 'r2', 'L0'], bit(1), [0, pte, 4, 0])).toEqual({
      ok: true,
      out: { reg: 1, reg2: -1, test: SpecCond.pfnFalse, c: 4, takenWhen: false },
    });
    expect(decode('bpfn', ['r1', 'r2', 'L0'], bit(2), [0, pte, 4, 0])).toEqual({
      ok: true,
      out: { reg: 2, reg2: -1, test: SpecCond.eqFalse, c: 6, takenWhen: false },
    });
    expect(decode('bpfn', ['r1', 'r2', 'L0'], bit(1) | bit(2), [0, pte, 4, 0]).ok).toBe(false);
    expect(decode('bpfn', ['r1', 'r2', 'L0'], bit(0) | bit(3), [0, pte, 4, 0]).ok).toBe(false);
  });

  it('any other instruction is no branch to speculate on', () => {
    expect(decode('mov', ['r1', 3], bit(1)).ok).toBe(false);
    expect(decode('jmp', ['L0'], 0b1111).ok).toBe(false);
    expect(decode('rmap_next', ['r0', 'r1', 'r2', 'r3', 'L0', 0], 0b1111).ok).toBe(false);
  });
});
