import { INSN_WIDTH, OPS, opNames, SPECULABLE_BRANCHES, successors, type LinkedPath } from '@mmreplay/model';

// lkmm: which instructions are control dependent on a branch (docs/memory-model.md). The LKMM's
// `ctrl` reaches the events of the branch taken, not those after the `if` (linux-kernel.bell;
// explanation.txt, "control dependencies"): here, the instructions reachable from the branch
// before its immediate post-dominator (where both ways meet again). A `ret` ends a region (the
// function's `if` is over); a call inside a region keeps the callee and what follows the call in
// it (conservative: more stores wait, never fewer).
//
// A speculated branch goes one way on a guess. What the guess decides must not reach another CPU
// before the guess is confirmed (a scenario's invariants are checked after every step, so a store
// made visible on a wrong guess would break one in a state no execution reaches): the stores of
// the region, and after the `if` every store or lock whose value, page or pointer register holds
// what the region wrote (or was computed from it), or that sits in a later branch on such a
// register. `ways` computes those, forward from the branch: a register is way-dependent where
// some path from the branch reaches it with a value the guess decided.

/** A speculable branch's region, and the accesses that wait for its load while it is a guess. */
export interface ControlRegion {
  /** per pc: 1 = control dependent on the branch (the LKMM's `ctrl`) */
  readonly pcs: Uint8Array;
  /**
   * per pc: 1 = a store or lock write here waits for the branch's load while the branch is a
   * guess: it is in the region, or in a later branch on a way-dependent register, or reads one
   * (the LKMM orders only the first; the others are the engine's: see ControlRegion.ways)
   */
  readonly holds: Uint8Array;
  /** per pc: 1 = held (`holds`) but not control dependent (`pcs`): the engine's ordering, not the LKMM's */
  readonly ways: Uint8Array;
}

/** Per pc of `p`: for a branch the engine may speculate past (SPECULABLE_BRANCHES), its region; null elsewhere. */
export function controlRegions(p: LinkedPath): (ControlRegion | null)[] {
  const n = p.length;
  const exit = n;
  const code = p.code;
  const op = (pc: number) => OPS[opNames[code[pc * INSN_WIDTH]]];
  const succ = successors(p).map((ss, pc) => (op(pc).flow === 'ret' ? [] : ss));
  const branches: number[] = [];
  for (let pc = 0; pc < n; pc++) if (SPECULABLE_BRANCHES.includes(opNames[code[pc * INSN_WIDTH]])) branches.push(pc);
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
  // The region of every branch (local or atomic: a branch on a way-dependent register extends what waits).
  const regionOf = new Array<Uint8Array | null>(n).fill(null);
  for (let b = 0; b < n; b++) {
    if (op(b).flow !== 'branch') continue;
    // The immediate post-dominator: the strict post-dominator nearest b (the largest set).
    let ipd = exit;
    for (let v = 0; v < n; v++) if (v !== b && pdom[b][v] === 1 && count(pdom[v]) > count(pdom[ipd])) ipd = v;
    const pcs = new Uint8Array(n);
    const stack = [...succ[b]];
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (v === ipd || v >= n || pcs[v] === 1) continue;
      pcs[v] = 1;
      stack.push(...succ[v]);
    }
    regionOf[b] = pcs;
  }
  const reads = registersBy(p, (a) => a === 'read' || a === 'update' || a === 'readMayWrite');
  const writes = registersBy(p, (a) => a !== 'read');
  // (a plain `write` makes the register independent of what it held: mov, copy, a load)
  const kills = registersBy(p, (a) => a === 'write');
  // Where execution goes on: a `ret` returns after any call of the path (over-approximated).
  const returns: number[] = [];
  for (let pc = 0; pc < n; pc++) if (op(pc).flow === 'call' && pc + 1 < n) returns.push(pc + 1);
  const flow = successors(p).map((ss, pc) => (op(pc).flow === 'ret' ? returns : ss));
  const out = new Array<ControlRegion | null>(n).fill(null);
  for (const b of branches) {
    const pcs = regionOf[b]!;
    const { held, dep } = ways(n, b, pcs, flow, regionOf, reads, writes, kills);
    const holds = new Uint8Array(n);
    const extra = new Uint8Array(n);
    for (let pc = 0; pc < n; pc++) {
      if (pcs[pc] === 1) holds[pc] = 1;
      else if (held[pc] === 1 || (reads[pc] & dep[pc]) !== 0) holds[pc] = extra[pc] = 1;
    }
    out[b] = { pcs, holds, ways: extra };
  }
  return out;
}

/**
 * Forward from branch b: per pc, the registers that may hold a value the way taken decided on
 * entry to it (`dep`), and the pcs in the region of a branch on such a register (`held`, b's own
 * region included). An instruction in such a region writes way-dependent values; elsewhere one
 * that reads one writes one; a plain write of other values (mov, a load) ends a register's
 * dependence. A monotone fixpoint: `dep` and `held` only grow.
 */
function ways(
  n: number,
  b: number,
  region: Uint8Array,
  flow: number[][],
  regionOf: (Uint8Array | null)[],
  reads: Int32Array,
  writes: Int32Array,
  kills: Int32Array,
): { held: Uint8Array; dep: Int32Array } {
  const held = region.slice();
  const dep = new Int32Array(n);
  const reached = new Uint8Array(n);
  const work: number[] = [];
  for (const w of flow[b]) {
    if (w >= n || reached[w] === 1) continue;
    reached[w] = 1;
    work.push(w);
  }
  while (work.length > 0) {
    const pc = work.pop()!;
    const tainted = held[pc] === 1 || (reads[pc] & dep[pc]) !== 0;
    if (tainted && regionOf[pc] !== null) {
      // A branch on a way-dependent register (or one the guess reaches): its region waits too.
      const r = regionOf[pc]!;
      for (let v = 0; v < n; v++) {
        if (r[v] === 1 && held[v] === 0) {
          held[v] = 1;
          if (reached[v] === 1) work.push(v);
        }
      }
    }
    const next = tainted ? dep[pc] | writes[pc] : dep[pc] & ~kills[pc];
    for (const w of flow[pc]) {
      if (w >= n) continue;
      if (reached[w] === 1 && (dep[w] | next) === dep[w]) continue;
      reached[w] = 1;
      dep[w] |= next;
      work.push(w);
    }
  }
  return { held, dep };
}

/** Per pc, the registers whose operand access passes `test` (`read` when the operand says none). */
function registersBy(p: LinkedPath, test: (access: string) => boolean): Int32Array {
  const out = new Int32Array(p.length);
  for (let pc = 0; pc < p.length; pc++) {
    const at = pc * INSN_WIDTH;
    OPS[opNames[p.code[at]]].operands.forEach((o, j) => {
      if (o.kind !== 'imm' && o.kind !== 'label' && test(o.access ?? 'read')) out[pc] |= 1 << p.code[at + 1 + j];
    });
  }
  return out;
}
