import { INSN_WIDTH, OPS, opNames, SPECULABLE_BRANCHES, successors, type LinkedPath } from '@mmreplay/model';

// lkmm: which instructions are control dependent on a branch (docs/memory-model.md). The LKMM's
// `ctrl` reaches the events of the branch taken, not those after the `if` (linux-kernel.bell;
// explanation.txt, "control dependencies"): here, the instructions reachable from the branch
// before its immediate post-dominator (where both ways meet again). A `ret` ends a region (the
// function's `if` is over); a call inside a region keeps the callee and what follows the call in
// it (conservative: more stores wait, never fewer).

/** A speculable branch's region, and the registers its instructions write. */
export interface ControlRegion {
  /** per pc: 1 = control dependent on the branch */
  readonly pcs: Uint8Array;
  /**
   * Registers the region's instructions write (a bit each): a store after the `if` whose value or
   * page comes from one may differ between the two ways, so it waits for the load too (a wrong
   * guess must not be seen by another CPU: a scenario's invariants are checked at every step).
   */
  readonly regs: number;
}

/** Per pc of `p`: for a branch the engine may speculate past (SPECULABLE_BRANCHES), its region; null elsewhere. */
export function controlRegions(p: LinkedPath, writes: Int32Array): (ControlRegion | null)[] {
  const n = p.length;
  const exit = n;
  const succ = successors(p).map((ss, pc) => (OPS[opNames[p.code[pc * INSN_WIDTH]]].flow === 'ret' ? [] : ss));
  const branches: number[] = [];
  for (let pc = 0; pc < n; pc++) if (SPECULABLE_BRANCHES.includes(opNames[p.code[pc * INSN_WIDTH]])) branches.push(pc);
  if (branches.length === 0) return new Array<ControlRegion | null>(n).fill(null);
  // Post-dominators (exit included), the classic fixpoint over bit rows.
  const pdom: Uint8Array[] = [];
  for (let v = 0; v <= n; v++) pdom.push(new Uint8Array(n + 1).fill(v === exit ? 0 : 1));
  pdom[exit][exit] = 1;
  for (let changed = true; changed;) {
    changed = false;
    for (let v = n - 1; v >= 0; v--) {
      const out = succ[v].length === 0 ? [exit] : succ[v];
      const row = new Uint8Array(n + 1).fill(1);
      for (const w of out) for (let i = 0; i <= n; i++) row[i] &= pdom[w][i];
      row[v] = 1;
      for (let i = 0; i <= n; i++) {
        if (row[i] !== pdom[v][i]) {
          pdom[v] = row;
          changed = true;
          break;
        }
      }
    }
  }
  const count = (r: Uint8Array) => r.reduce((a, b) => a + b, 0);
  const out = new Array<ControlRegion | null>(n).fill(null);
  for (const b of branches) {
    // The immediate post-dominator: the strict post-dominator nearest b (the largest set).
    let ipd = exit;
    for (let v = 0; v < n; v++) if (v !== b && pdom[b][v] === 1 && count(pdom[v]) > count(pdom[ipd])) ipd = v;
    const pcs = new Uint8Array(n);
    let regs = 0;
    const stack = [...succ[b]];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (v === ipd || v >= n || pcs[v] === 1) continue;
      pcs[v] = 1;
      regs |= writes[v];
      stack.push(...succ[v]);
    }
    out[b] = { pcs, regs };
  }
  return out;
}
