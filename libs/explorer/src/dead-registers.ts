import { INSN_WIDTH, OP, OPS, opNames, ThreadField, type LinkedPath } from '@mmreplay/model';
import type { Machine } from '@mmreplay/engine';

// Dead-variable reduction (what SPIN does for local variables): a register whose value no path
// from here reads before overwriting it cannot influence the future, so the explorer clears it.
// Two states that differ only in dead registers then count once.

/** Argument positions an op writes (the rest of its register arguments are read). */
const WRITES: Partial<Record<string, readonly number[]>> = {
  mov: [0],
  copy: [0],
  pfn: [0],
  trylock_page: [1],
  pte_read: [1],
  pte_read_lockless: [1],
  hw_access: [1],
  pte_clear: [1],
  try_get_page: [1],
  ref_check: [2],
  ref_freeze: [2],
  page_mapped: [1],
  rmap_next: [2, 3],
  load: [0],
  compound_head: [0],
};
/** Argument positions an op both reads and writes. */
const READ_WRITES: Partial<Record<string, readonly number[]>> = { swap: [0, 1], add: [0], rmap_next: [1], alloc_page: [0] };

function liveness(path: LinkedPath): Int32Array {
  const n = path.length;
  const code = path.code;
  const uses = new Int32Array(n);
  const defs = new Int32Array(n);
  const succ: number[][] = [];
  for (let pc = 0; pc < n; pc++) {
    const at = pc * INSN_WIDTH;
    const op = code[at];
    const name = opNames[op];
    const spec = OPS[name].args;
    const writes = WRITES[name] ?? [];
    const rw = READ_WRITES[name] ?? [];
    spec.forEach((kind, j) => {
      if (kind !== 'reg') return;
      const bit = 1 << code[at + 1 + j];
      if (rw.includes(j)) uses[pc] |= bit;
      else if (writes.includes(j)) defs[pc] |= bit;
      else uses[pc] |= bit;
    });
    const next = pc + 1 < n ? [pc + 1] : [];
    if (op === OP.done) succ.push([]);
    else if (op === OP.jmp) succ.push([code[at + 1]]);
    else if (op === OP.beq || op === OP.bne || op === OP.blt || op === OP.bkind || op === OP.bsame || op === OP.bpfn) succ.push([...next, code[at + 3]]);
    else if (op === OP.rmap_next) succ.push([...next, code[at + 5]]);
    else if (op === OP.call || op === OP.ret) succ.push([]); // handled below: everything stays live
    else succ.push(next);
  }
  const hasCalls = Array.from({ length: n }, (_, pc) => code[pc * INSN_WIDTH]).some((op) => op === OP.call || op === OP.ret);
  const live = new Int32Array(n);
  if (hasCalls) return live.fill(-1);
  for (let changed = true; changed; ) {
    changed = false;
    for (let pc = n - 1; pc >= 0; pc--) {
      let out = 0;
      for (const s of succ[pc]) out |= live[s];
      // An op that may stay at its pc (lock_page sleeping) reads its own registers again: uses
      // already covers that.
      const inn = uses[pc] | (out & ~defs[pc]);
      if (inn !== live[pc]) {
        live[pc] = inn;
        changed = true;
      }
    }
  }
  return live;
}

export class DeadRegisters {
  private readonly live: Int32Array[];
  private readonly regCount: number[];
  /** the value a dead register gets: -1 (no object) for object registers, so renaming leaves it alone */
  private readonly cleared: Int32Array[];

  constructor(private readonly m: Machine) {
    this.live = m.paths.map(liveness);
    this.regCount = m.paths.map((p) => p.def.regs.length);
    this.cleared = m.paths.map((p) => Int32Array.from(p.def.regs, (r) => (r.type === 'page' || r.type === 'pte' || r.type === 'vma' ? -1 : 0)));
  }

  /** Clears, in place, every register that is dead at its thread's pc. */
  clear(s: Int32Array): Int32Array {
    const L = this.m.layout;
    for (let t = 0; t < this.live.length; t++) {
      const base = L.thread(t, 0);
      const live = this.live[t][s[base + ThreadField.pc]];
      const cleared = this.cleared[t];
      for (let r = 0; r < this.regCount[t]; r++) if ((live & (1 << r)) === 0) s[base + ThreadField.regs + r] = cleared[r];
    }
    return s;
  }
}
