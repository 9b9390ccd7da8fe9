import { INSN_WIDTH, ThreadField, opDecl, successors, type LinkedPath } from '@mmreplay/model';
import type { Machine } from '@mmreplay/engine';

// Dead-variable reduction (what SPIN does for local variables): a register whose value no path
// from here reads before overwriting it cannot influence the future, so the explorer clears it.
// Two states that differ only in dead registers then count once. What each instruction reads and
// writes is its declaration's (libs/model/src/isa.ts): only a write on every outcome (`write`)
// kills a register; `writeOnNext` kills it on the fall-through edge alone (rmap_next leaves its
// VMA and PTE registers as they were when the walk is done and it jumps).

function liveness(path: LinkedPath): Int32Array {
  const n = path.length;
  const code = path.code;
  const uses = new Int32Array(n);
  const defs = new Int32Array(n);
  const defsNext = new Int32Array(n);
  let hasCalls = false;
  for (let pc = 0; pc < n; pc++) {
    const at = pc * INSN_WIDTH;
    const d = opDecl(code[at]);
    if (d.flow === 'call' || d.flow === 'ret') hasCalls = true;
    d.operands.forEach((o, j) => {
      if (o.kind === 'imm' || o.kind === 'label') return;
      const bit = 1 << code[at + 1 + j];
      const access = o.access ?? 'read';
      if (access === 'write') defs[pc] |= bit;
      else if (access === 'writeOnNext') defsNext[pc] |= bit;
      else uses[pc] |= bit;
    });
  }
  const live = new Int32Array(n);
  // A subroutine returns to any of its callers: keep everything live rather than track that.
  if (hasCalls) return live.fill(-1);
  const succ = successors(path);
  for (let changed = true; changed;) {
    changed = false;
    for (let pc = n - 1; pc >= 0; pc--) {
      let out = 0;
      // The fall-through edge (listed first) kills `writeOnNext` registers; a jump edge does not,
      // even when it targets pc + 1 too.
      succ[pc].forEach((s, i) => (out |= i === 0 && s === pc + 1 ? live[s] & ~defsNext[pc] : live[s]));
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
    for (let t = 0; t < this.live.length; t++) this.clearThread(s, t);
    return s;
  }

  /**
   * Clears thread t's dead registers in place. After a step of t from a cleared state this is
   * enough: a step writes only its own thread's registers and pc (a wakeup sets another thread's
   * wait flags, which are not registers), so every other thread is as cleared as it was.
   */
  clearThread(s: Int32Array, t: number): Int32Array {
    // A user invariant that reads registers sees them whether or not the thread will read them again.
    if (this.m.user.reads.regs) return s;
    const base = this.m.layout.thread(t, 0);
    // lkmm: a store left outstanding reads its register when it runs, after the pc moved on.
    const live = this.live[t][s[base + ThreadField.pc]] | this.m.outstandingStoreRegs(s, t);
    if (live === -1) return s;
    const cleared = this.cleared[t];
    for (let r = 0, n = this.regCount[t]; r < n; r++) if ((live & (1 << r)) === 0) s[base + ThreadField.regs + r] = cleared[r];
    return s;
  }
}
