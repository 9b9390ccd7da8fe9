import {
  INSN_WIDTH,
  PAGE_WIDTH,
  opDecl,
  PageField,
  THREAD_WIDTH,
  ThreadField,
  VmaField,
  ptePfn,
  type RegType,
} from '@mmreplay/model';
import type { Machine } from '@mmreplay/engine';

// Symmetry reduction. A scenario declares groups of interchangeable tuples (fault thread i, its
// PTE i, its VMA i, its page i). Permuting whole tuples maps the model onto itself, so a state and
// its permuted image have the same future up to renaming, and the same verdict for invariants that
// do not name a particular tuple. We store one representative per orbit: the tuples sorted by
// their content. Any representative inside the orbit is sound; sorting makes most equal-orbit
// states land on the same one.
//
// This needs the rmap walk to have no fixed VMA order (WALK=any): with a fixed order, VMA i is
// visited before VMA j and the tuples are not interchangeable. The explorer checks that. Nor may a
// path name one of a group's objects by number: what an immediate operand names is in the
// instruction declarations (pinnedObjects), and a group with a pinned object is not used.

const VMA_FLAGS = VmaField.flags;

const [INT, PAGE, PTE, VMA, VMASET, PTEVAL] = [0, 1, 2, 3, 4, 5];
const REG_CODE: Record<RegType, number> = { int: INT, page: PAGE, pte: PTE, vma: VMA, vmaset: VMASET, pteval: PTEVAL };

interface Group {
  threads: number[];
  ptes: number[];
  vmas: number[];
  pages: number[];
}

interface Perm {
  thread: Int32Array;
  pte: Int32Array;
  vma: Int32Array;
  page: Int32Array;
}

export class Symmetry {
  private readonly groups: Group[];
  private readonly regCodes: Int8Array[];
  /** for each group, object index -> tuple index (or -1), per kind */
  private readonly member = new Map<Group, { thread: Int32Array; pte: Int32Array; vma: Int32Array; page: Int32Array }>();
  private readonly regTypes: RegType[][];
  private readonly sizes = new Map<Group, number>();
  private readonly keys = new Map<Group, Float64Array>();
  private readonly counts = new Map<Group, Int32Array>();
  private readonly orders = new Map<Group, number[]>();
  readonly active: boolean;
  private readonly scratchPerm: Perm;
  private readonly bufA: Int32Array;
  private readonly bufB: Int32Array;
  private flip = false;

  constructor(private readonly m: Machine) {
    const L = m.layout;
    const w = m.world;
    const idx = (map: ReadonlyMap<string, number>, names: readonly string[]) => names.map((n) => map.get(n) ?? -1);
    const pinned = pinnedObjects(m);
    this.groups = w.symmetry
      .map((g) => ({
        threads: idx(L.threadIndex, g.threads),
        ptes: idx(L.pteIndex, g.ptes),
        vmas: idx(L.vmaIndex, g.vmas),
        pages: idx(L.pageIndex, g.pages ?? []),
      }))
      .filter((g) => Math.max(g.threads.length, g.ptes.length, g.vmas.length, g.pages.length) > 1)
      .filter(
        (g) =>
          !pinned.all &&
          !g.vmas.some((v) => pinned.vma.has(v)) &&
          !g.ptes.some((e) => pinned.pte.has(e)) &&
          !g.pages.some((pg) => pinned.page.has(pg)) &&
          !g.threads.some((th) => pinned.thread.has(th)),
      );
    this.regTypes = m.paths.map((p) => p.def.regs.map((r) => r.type));
    this.scratchPerm = { thread: new Int32Array(L.nThreads), pte: new Int32Array(L.nPtes), vma: new Int32Array(w.vmas.length), page: new Int32Array(L.nPages) };
    this.bufA = new Int32Array(L.size);
    this.bufB = new Int32Array(L.size);
    this.regCodes = this.regTypes.map((types) => Int8Array.from(types, (t) => REG_CODE[t]));
    const memberOf = (n: number, list: number[]) => {
      const a = new Int32Array(n).fill(-1);
      list.forEach((x, i) => (a[x] = i));
      return a;
    };
    for (const g of this.groups) {
      const size = Math.max(g.threads.length, g.ptes.length, g.vmas.length, g.pages.length);
      this.sizes.set(g, size);
      this.keys.set(g, new Float64Array(size));
      this.counts.set(g, new Int32Array(size));
      this.orders.set(g, Array.from({ length: size }, (_, i) => i));
      this.member.set(g, {
        thread: memberOf(m.layout.nThreads, g.threads),
        pte: memberOf(m.layout.nPtes, g.ptes),
        vma: memberOf(w.vmas.length, g.vmas),
        page: memberOf(m.layout.nPages, g.pages),
      });
    }
    // Under tso/lkmm the state's memory section holds store buffers and outstanding loads that name
    // threads and pages, which apply() does not rename: no symmetry reduction there.
    this.active = this.groups.length > 0 && (w.rmapOrder === 'any' || this.groups.every((g) => g.vmas.length === 0)) && !m.layout.weak;
  }

  /**
   * One representative of the state's orbit: `s` itself when nothing moves, else a buffer of this
   * object that the next call overwrites (copy it to keep it).
   */
  canonical(s: Int32Array): Int32Array {
    if (!this.active) return s;
    let cur = s;
    for (const g of this.groups) {
      const size = this.sizes.get(g)!;
      const keys = this.elementKeys(cur, g);
      const order = this.orders.get(g)!;
      for (let i = 0; i < size; i++) order[i] = i;
      order.sort((a, b) => keys[a] - keys[b] || a - b);
      let identity = true;
      for (let i = 0; i < size && identity; i++) identity = order[i] === i;
      if (!identity) cur = this.apply(cur, this.perm(g, order));
    }
    return cur;
  }

  /**
   * For each tuple, a hash of everything about it, with references into the group written
   * relative to the tuple (own: -2, another tuple: -3), so the key of tuple i in s equals the key
   * of its image in any permutation of s. Sorting by a hash is still a function of the state; a
   * collision only leaves two orbit members apart (less reduction, never less exploration).
   * One pass over the state: references from outside the group are mixed in the (fixed) order of
   * their holders, references from other tuples are counted, since a permutation reorders those.
   */
  private elementKeys(s: Int32Array, g: Group): Float64Array {
    const L = this.m.layout;
    const m = this.member.get(g)!;
    const size = this.sizes.get(g)!;
    const key = this.keys.get(g)!;
    const fromOthers = this.counts.get(g)!;
    fromOthers.fill(0);
    for (let i = 0; i < size; i++) key[i] = 0x811c9dc5;
    const rel = (members: Int32Array, x: number, i: number) => (x < 0 || x >= members.length || members[x] < 0 ? x : members[x] === i ? -2 : -3);
    const relPte = (v: number, i: number) => (v === 0 ? 0 : (v & 0xff) | ((rel(m.page, ptePfn(v), i) & 0xffff) << 8));

    // 1. each tuple's own objects
    for (let i = 0; i < size; i++) {
      let h = key[i];
      if (g.threads.length) {
        const t = g.threads[i];
        const base = L.thread(t, 0);
        for (let f = 0; f < ThreadField.regs; f++) h = mix(h, f === ThreadField.waitPage ? rel(m.page, s[base + f], i) : s[base + f]);
        const types = this.regCodes[t];
        for (let r = 0; r < types.length; r++) {
          const x = s[base + ThreadField.regs + r];
          const ty = types[r];
          h = mix(h, ty === PTE ? rel(m.pte, x, i) : ty === VMA ? rel(m.vma, x, i) : ty === PAGE ? rel(m.page, x, i) : ty === PTEVAL ? relPte(x, i) : ty === VMASET ? this.relSet(m.vma, x, i) : x);
        }
        if (L.hasTlb) {
          for (let e = 0; e < L.nPtes; e++) if (m.pte[e] < 0) h = mix(h, relPte(s[L.tlbEntry(t, e)], i));
          if (g.ptes.length) h = mix(h, relPte(s[L.tlbEntry(t, g.ptes[i])], i));
        }
      }
      if (g.ptes.length) h = mix(h, relPte(s[L.pte(g.ptes[i])], i));
      if (g.vmas.length) h = mix(h, s[L.vma(g.vmas[i], VMA_FLAGS)]);
      if (g.pages.length) {
        const b = L.page(g.pages[i], 0);
        for (let f = 0; f < PAGE_WIDTH; f++) {
          const x = s[b + f];
          h = mix(h, f === PageField.head ? rel(m.page, x, i) : f === PageField.owner ? (x > 0 ? rel(m.thread, x - 1, i) : x) : x);
        }
      }
      key[i] = h;
    }

    // 2. references held by threads: registers, wait-queue entries, TLB entries
    for (let t = 0; t < L.nThreads; t++) {
      const holder = m.thread[t];
      const types = this.regCodes[t];
      for (let r = 0; r < types.length; r++) {
        const ty = types[r];
        if (ty === INT) continue;
        const x = s[L.reg(t, r)];
        if (ty === VMASET) {
          for (let v = 0; v < m.vma.length; v++) if (m.vma[v] >= 0 && (x & (1 << v)) !== 0) this.refer(key, fromOthers, holder, m.vma[v], t * 64 + r);
          continue;
        }
        const j = ty === PTE ? (x >= 0 && x < m.pte.length ? m.pte[x] : -1) : ty === VMA ? (x >= 0 && x < m.vma.length ? m.vma[x] : -1) : ty === PAGE ? (x >= 0 && x < m.page.length ? m.page[x] : -1) : x !== 0 ? m.page[ptePfn(x)] ?? -1 : -1;
        if (j >= 0) this.refer(key, fromOthers, holder, j, t * 64 + r);
      }
      const wp = s[L.thread(t, ThreadField.waitPage)];
      if (wp >= 0 && m.page[wp] >= 0) this.refer(key, fromOthers, holder, m.page[wp], t * 64 + 63);
      if (L.hasTlb) {
        for (let e = 0; e < L.nPtes; e++) {
          const j = m.pte[e];
          if (j < 0 || j === holder) continue;
          if (s[L.tlbEntry(t, e)] !== 0) this.refer(key, fromOthers, holder, j, -1 - t);
        }
      }
    }
    // 3. references held by shared objects outside the tuples: PTE values, PTL holders, page owners
    if (g.pages.length) {
      for (let e = 0; e < L.nPtes; e++) {
        const v = s[L.pte(e)];
        if (v === 0) continue;
        const j = m.page[ptePfn(v)] ?? -1;
        if (j >= 0 && m.pte[e] !== j) this.refer(key, fromOthers, m.pte[e], j, 1000 + e);
      }
    }
    if (g.threads.length) {
      for (let l = 0; l < this.m.world.ptls.length; l++) {
        const x = s[L.ptl(l)];
        if (x > 0 && m.thread[x - 1] >= 0) key[m.thread[x - 1]] = mix(key[m.thread[x - 1]], 2000 + l);
      }
      for (let p = 0; p < L.nPages; p++) {
        if (m.page[p] >= 0) continue;
        const x = s[L.page(p, PageField.owner)];
        if (x > 0 && m.thread[x - 1] >= 0) key[m.thread[x - 1]] = mix(key[m.thread[x - 1]], 3000 + p);
      }
    }
    for (let i = 0; i < size; i++) key[i] = mix(key[i], fromOthers[i]) >>> 0;
    return key;
  }

  /** Tuple j is referenced from `where` by a holder: a fixed place (mixed in), or another tuple (counted). */
  private refer(key: Float64Array, fromOthers: Int32Array, holderTuple: number, j: number, where: number): void {
    if (holderTuple === j) return;
    if (holderTuple >= 0) fromOthers[j]++;
    else key[j] = mix(key[j], where);
  }

  /** A VMA set with the group's VMAs replaced by: is own in it, how many others are. */
  private relSet(vmaMember: Int32Array, x: number, i: number): number {
    let out = 0;
    let others = 0;
    for (let v = 0; v < vmaMember.length; v++) {
      if ((x & (1 << v)) === 0) continue;
      if (vmaMember[v] < 0) out |= 1 << v;
      else if (vmaMember[v] === i) out |= 1 << 30;
      else others++;
    }
    return out ^ (others << 20);
  }

  get groupCount(): number {
    return this.groups.length;
  }

  /** The state with group `group`'s tuples rearranged so that tuple order[j] lands on position j (a copy). */
  permuted(s: Int32Array, group: number, order: number[]): Int32Array {
    return this.apply(s, this.perm(this.groups[group], order)).slice();
  }

  private perm(g: Group, order: number[]): Perm {
    const p = this.scratchPerm;
    for (const a of [p.thread, p.pte, p.vma, p.page]) for (let i = 0; i < a.length; i++) a[i] = i;
    // element order[j] moves to position j
    order.forEach((from, to) => {
      if (g.threads.length) p.thread[g.threads[from]] = g.threads[to];
      if (g.ptes.length) p.pte[g.ptes[from]] = g.ptes[to];
      if (g.vmas.length) p.vma[g.vmas[from]] = g.vmas[to];
      if (g.pages.length) p.page[g.pages[from]] = g.pages[to];
    });
    return p;
  }

  /** The state with every object renamed by the permutation, references included. */
  private apply(s: Int32Array, p: Perm): Int32Array {
    const L = this.m.layout;
    // Two buffers, used in turn: canonical() may apply once per group, reading the last result.
    const out = (this.flip = !this.flip) ? this.bufA : this.bufB;
    out.set(s);
    const tid1 = (x: number) => (x > 0 ? p.thread[x - 1] + 1 : x);
    const pteVal = (v: number) => (v === 0 ? 0 : (v & 0xff) | (p.page[ptePfn(v)] << 8));
    for (let i = 0; i < L.nPages; i++) {
      const src = L.page(i, 0);
      const dst = L.page(p.page[i], 0);
      for (let f = 0; f < PAGE_WIDTH; f++) out[dst + f] = s[src + f];
      out[dst + PageField.owner] = tid1(s[src + PageField.owner]);
      out[dst + PageField.head] = p.page[s[src + PageField.head]];
    }
    // A VMA's start and pgoff tie it to the (static) addresses of its PTEs, so they stay with the
    // slot; only the flags move. Symmetric VMAs are ones no thread re-addresses.
    for (let v = 0; v < this.m.world.vmas.length; v++) out[L.vma(p.vma[v], VMA_FLAGS)] = s[L.vma(v, VMA_FLAGS)];
    for (let e = 0; e < L.nPtes; e++) out[L.pte(p.pte[e])] = pteVal(s[L.pte(e)]);
    for (let l = 0; l < this.m.world.ptls.length; l++) out[L.ptl(l)] = tid1(s[L.ptl(l)]);
    if (L.hasTlb) {
      for (let t = 0; t < L.nThreads; t++) for (let e = 0; e < L.nPtes; e++) out[L.tlbEntry(p.thread[t], p.pte[e])] = pteVal(s[L.tlbEntry(t, e)]);
    }
    for (let t = 0; t < L.nThreads; t++) {
      const src = L.thread(t, 0);
      const dst = L.thread(p.thread[t], 0);
      for (let f = 0; f < THREAD_WIDTH; f++) out[dst + f] = s[src + f];
      const wp = s[src + ThreadField.waitPage];
      out[dst + ThreadField.waitPage] = wp >= 0 ? p.page[wp] : wp;
      this.regTypes[t].forEach((type, r) => {
        const x = s[src + ThreadField.regs + r];
        let y = x;
        if (type === 'page') y = x >= 0 ? p.page[x] : x;
        else if (type === 'pte') y = x >= 0 ? p.pte[x] : x;
        else if (type === 'vma') y = x >= 0 ? p.vma[x] : x;
        else if (type === 'pteval') y = pteVal(x);
        else if (type === 'vmaset') {
          y = 0;
          for (let v = 0; v < p.vma.length; v++) if (x & (1 << v)) y |= 1 << p.vma[v];
        }
        out[dst + ThreadField.regs + r] = y;
      });
    }
    return out;
  }
}



/**
 * Objects that some instruction of the world names by number, from the operand declarations: an
 * immediate that names a VMA or a thread (wait_thread), or that is stored in or compared with a register holding an object
 * (`mov fpte, 1` names PTE 1; -1 and the empty set or PTE value name none). An order comparison
 * or an offset on an object register, or a move between registers of different object types,
 * cannot be renamed at all: then every group is pinned.
 */
function pinnedObjects(m: Machine): { all: boolean; page: Set<number>; pte: Set<number>; vma: Set<number>; thread: Set<number> } {
  const out = { all: false, page: new Set<number>(), pte: new Set<number>(), vma: new Set<number>(), thread: new Set<number>() };
  for (const p of m.paths) {
    const types = p.def.regs.map((r) => r.type);
    for (let pc = 0; pc < p.length; pc++) {
      const at = pc * INSN_WIDTH;
      const d = opDecl(p.code[at]);
      const arg = (j: number) => p.code[at + 1 + j];
      d.operands.forEach((o, j) => {
        if (o.kind === 'imm' && o.names === 'vma') out.vma.add(arg(j));
        if (o.kind === 'imm' && o.names === 'thread') out.thread.add(arg(j));
        if (o.valueFor) {
          const type = types[arg(o.valueFor.of)];
          const v = arg(j);
          if (type === undefined || type === 'int') return;
          if (o.valueFor.as === 'offset') out.all ||= v !== 0;
          else if (o.valueFor.as === 'order') out.all ||= v > 0;
          else if (type === 'page' || type === 'pte' || type === 'vma') {
            if (v >= 0) out[type].add(v);
          } else if (type === 'vmaset') {
            if (v < 0) out.all = true;
            else for (let b = 0; b < 31; b++) if ((v & (1 << b)) !== 0) out.vma.add(b);
          } else out.all ||= v !== 0; // a PTE value: only none is no object
        }
        if (o.sameTypeAs !== undefined) {
          const a = types[arg(j)];
          const b = types[arg(o.sameTypeAs)];
          if (a !== b && (a !== 'int' || b !== 'int')) out.all = true;
        }
      });
    }
  }
  return out;
}

function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x01000193);
  return h ^ (h >>> 15);
}
