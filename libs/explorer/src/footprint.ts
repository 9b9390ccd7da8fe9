import {
  INSN_WIDTH,
  OPS,
  PageField,
  StateClass,
  classMask,
  invariantBit,
  opDecl,
  opNames,
  successors,
  type InvariantName,
  type LinkedPath,
} from '@mmreplay/model';
import type { Machine } from '@mmreplay/engine';

// What an atomic step reads and writes, by class of shared state (StateClass in libs/model): the
// declarations of the instruction set, specialised to one world. Two steps are dependent when one
// writes a class the other reads or writes; they commute otherwise.

export const R = StateClass;

export interface Footprint {
  readonly read: number;
  readonly write: number;
}

export const conflicts = (a: Footprint, b: Footprint): boolean => (a.write & (b.read | b.write)) !== 0 || (b.write & a.read) !== 0;

const NONE: Footprint = { read: 0, write: 0 };

/** Everything a relaxed access may read or write: what a flush or a late load touches. */
const RELAXED_STATE = opNames.reduce((acc, n) => (OPS[n].relaxed ? acc | classMask(OPS[n].reads) | classMask(OPS[n].writes) : acc), R.mem);

/** Footprints of each opcode in one world (they depend on which invariant checks read what). */
export function opFootprints(m: Machine): Footprint[] {
  const enabled = (name: string) => (m.enabled & invariantBit(name as InvariantName)) !== 0;
  // Without TLBs there is no TLB state to conflict on.
  const present = m.layout.hasTlb ? -1 : ~R.tlb;
  // Under tso/lkmm a thread's store buffer may flush, and its outstanding loads be satisfied, at
  // any of its steps (they are choices of its own), and its relaxed accesses read and write that
  // state (the page words they address, litmus variables, buffers): all of it, read and written
  // by every relaxed access (`exit`, which every thread with such state reaches, included), and
  // by a spin on a PTL, where futures computed up to the next PTL acquisition stop (a thread
  // spinning there can still flush). The current step of a thread with stores or loads in flight
  // gets it too (nextFootprint).
  const relaxed = m.weak ? RELAXED_STATE : 0;
  return opNames.map((name) => {
    const d = OPS[name];
    let read = classMask(d.reads);
    for (const [inv, classes] of Object.entries(d.readsIf ?? {})) if (enabled(inv)) read |= classMask(classes);
    let write = classMask(d.writes);
    if (d.relaxed !== undefined || d.spinsOnPtl) {
      read |= relaxed;
      write |= relaxed;
    }
    return { read: read & present, write: write & present };
  });
}

/**
 * For every pc of a path, the union of the footprints of every atomic step reachable from it
 * (itself included): all a thread standing there may still do. With `untilPtlLock`, reachability
 * stops at a spin on a PTL: what the thread may do before it next takes a page-table lock.
 */
export function futureFootprints(path: LinkedPath, ops: Footprint[], untilPtlLock = false): Footprint[] {
  const n = path.length;
  const code = path.code;
  const succ = successors(path);
  const read = new Int32Array(n);
  const write = new Int32Array(n);
  for (let pc = 0; pc < n; pc++) {
    if (!path.visible[pc]) continue;
    const f = ops[code[pc * INSN_WIDTH]] ?? NONE;
    read[pc] = f.read;
    write[pc] = f.write;
  }
  // Backward fixpoint: a pc's future is itself plus its successors' futures.
  for (let changed = true; changed;) {
    changed = false;
    for (let pc = n - 1; pc >= 0; pc--) {
      let r = read[pc];
      let w = write[pc];
      if (untilPtlLock && opDecl(code[pc * INSN_WIDTH]).spinsOnPtl) continue;
      for (const s of succ[pc]) {
        r |= read[s];
        w |= write[s];
      }
      if (r !== read[pc] || w !== write[pc]) {
        read[pc] = r;
        write[pc] = w;
        changed = true;
      }
    }
  }
  return Array.from({ length: n }, (_, pc) => ({ read: read[pc], write: write[pc] }));
}

/**
 * Per opcode, a footprint that writes the PTL class when the op writes a PTL without spinning on
 * it (spin_unlock, and any other release): with futureFootprints(..., true), whether a thread may
 * release a PTL before it next takes one.
 */
export function ptlReleases(m: Machine): Footprint[] {
  return opFootprints(m).map((f, op) => (op < opNames.length && (f.write & R.ptl) !== 0 && !OPS[opNames[op]].spinsOnPtl ? { read: 0, write: R.ptl } : NONE));
}

/** Per opcode, the narrower footprint of a put that leaves its page referenced, and where the page is. */
const notLastRef = opNames.map((name) => {
  const d = OPS[name];
  if (!d.notLastRef) return null;
  return { footprint: { read: classMask(d.notLastRef.reads), write: classMask(d.notLastRef.writes) }, arg: 1 + d.operands.findIndex((o) => o.kind === 'page') };
});

/** The footprint of thread t's next step in state s: the static one, narrowed where the state decides. */
export function nextFootprint(m: Machine, ops: Footprint[], s: Int32Array, t: number): Footprint {
  const code = m.paths[t].code;
  const at = m.pcOf(s, t) * INSN_WIDTH;
  const op = code[at];
  if (m.hasPendingMemory(s, t)) {
    // Its step may be a flush or a late load instead, and an SC step first drains and satisfies;
    // or the release it has issued performs (Machine.performRelease).
    const f = ops[op] ?? NONE;
    const r = m.pendingReleaseOp(s, t);
    const p = r < 0 ? NONE : (ops[r] ?? NONE);
    return { read: f.read | p.read | RELAXED_STATE, write: f.write | p.write | RELAXED_STATE };
  }
  const narrow = notLastRef[op];
  if (narrow !== null && narrow !== undefined) {
    // A put that does not drop the last reference frees nothing.
    const page = s[m.layout.reg(t, code[at + narrow.arg])];
    if (s[m.layout.page(page, PageField.ref)] > 1) return narrow.footprint;
  }
  return ops[op] ?? NONE;
}
