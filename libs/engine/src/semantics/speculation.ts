import { OP, SpecCond, ptePfn } from '@mmreplay/model';

// lkmm: a branch on a register an outstanding load writes, as a condition that load must then
// meet (docs/memory-model.md, "Speculated branches"). A branch against a constant tests the load's
// value; a branch between two registers (bsame, bpfn) does too when the other register's value
// is known (it is not waiting for a load): its value at the branch is the constant. A bsame of
// two registers that both wait for loads puts a condition on each load naming the other's
// register (SpecCond.same*); the first satisfied turns the other's into a test of its value.

/** What a speculated branch asks of the load: test (the SpecCond of its `false`; `test + 1` is its `true`), constant, and whether the branch is taken when the test is true. */
export interface BranchTest {
  /** the register of the load tested */
  reg: number;
  /** bsame of two registers waiting for loads: the second (the test is SpecCond.sameFalse, its constant the other register); else -1 */
  reg2: number;
  test: number;
  c: number;
  takenWhen: boolean;
}

/**
 * The branch at `at` of `code` as a test of one register waiting for a load (`pending`, a bit per
 * register), written to `out`; false when it tests no such register or two of them.
 */
export function branchTest(code: Int32Array, at: number, s: Int32Array, regs: number, pending: number, out: BranchTest): boolean {
  const a = code[at + 1];
  const b = code[at + 2];
  const waits = (r: number) => (pending & (1 << r)) !== 0;
  const set = (reg: number, test: number, c: number, takenWhen: boolean, reg2 = -1) => {
    out.reg = reg;
    out.reg2 = reg2;
    out.test = test;
    out.c = c;
    out.takenWhen = takenWhen;
    return true;
  };
  switch (code[at]) {
    case OP.beq:
      return waits(a) && set(a, SpecCond.eqFalse, b, true);
    case OP.bne:
      return waits(a) && set(a, SpecCond.eqFalse, b, false);
    case OP.blt:
      return waits(a) && set(a, SpecCond.ltFalse, b, true);
    case OP.bkind:
      return waits(a) && set(a, SpecCond.kindFalse, b, true);
    case OP.bsame:
      // taken if a == b
      if (waits(a) && waits(b)) return a !== b && set(a, SpecCond.sameFalse, b, true, b);
      if (!waits(a) && !waits(b)) return false;
      return waits(a) ? set(a, SpecCond.eqFalse, s[regs + b], true) : set(b, SpecCond.eqFalse, s[regs + a], true);
    case OP.bpfn:
      // taken if the PTE value a does not map page b
      if (waits(a) === waits(b)) return false;
      return waits(a) ? set(a, SpecCond.pfnFalse, s[regs + b], false) : set(b, SpecCond.eqFalse, ptePfn(s[regs + a]), false);
    default:
      return false;
  }
}
