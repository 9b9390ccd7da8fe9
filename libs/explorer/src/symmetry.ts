import {
  PAGE_WIDTH,
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
// visited before VMA j and the tuples are not interchangeable. The explorer checks that.

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
  readonly active: boolean;

  constructor(private readonly m: Machine) {
    const L = m.layout;
    const w = m.world;
    const idx = (map: ReadonlyMap<string, number>, names: readonly string[]) => names.map((n) => map.get(n) ?? -1);
    this.groups = w.symmetry
      .map((g) => ({
        threads: idx(L.threadIndex, g.threads),
        ptes: idx(L.pteIndex, g.ptes),
        vmas: idx(L.vmaIndex, g.vmas),
        pages: idx(L.pageIndex, g.pages ?? []),
      }))
      .filter((g) => Math.max(g.threads.length, g.ptes.length, g.vmas.length, g.pages.length) > 1);
    this.regTypes = m.paths.map((p) => p.def.regs.map((r) => r.type));
    this.regCodes = this.regTypes.map((types) => Int8Array.from(types, (t) => REG_CODE[t]));
    const memberOf = (n: number, list: number[]) => {
      const a = new Int32Array(n).fill(-1);
      list.forEach((x, i) => (a[x] = i));
      return a;
    };
    for (const g of this.groups) {
      this.member.set(g, {
        thread: memberOf(m.layout.nThreads, g.threads),
        pte: memberOf(m.layout.nPtes, g.ptes),
        vma: memberOf(w.vmas.length, g.vmas),
        page: memberOf(m.layout.nPages, g.pages),
      });
    }
    this.active = this.groups.length > 0 && (w.rmapOrder === 'any' || this.groups.every((g) => g.vmas.length === 0));
  }

  /** One representative of the state's orbit (a new array, or `s` itself when nothing moves). */
  canonical(s: Int32Array): Int32Array {
    if (!this.active) return s;
    let cur = s;
    for (const g of this.groups) {
      const size = Math.max(g.threads.length, g.ptes.length, g.vmas.length, g.pages.length);
      const keys = new Float64Array(size);
      for (let i = 0; i < size; i++) keys[i] = this.elementKey(cur, g, i);
      const order = Array.from({ length: size }, (_, i) => i).sort((a, b) => keys[a] - keys[b] || a - b);
      if (order.every((o, i) => o === i)) continue;
      cur = this.apply(cur, this.perm(g, order));
    }
    return cur;
  }

  /**
   * A hash of everything about tuple i, with references to the tuple's own objects made
   * position-free. Sorting by a hash is still a function of the state, so equal states get equal
   * representatives; a collision only leaves two orbit members apart (less reduction, never less
   * exploration).
   */
  private elementKey(s: Int32Array, g: Group, i: number): number {
    const L = this.m.layout;
    let h = 0x811c9dc5;
    const mix = (x: number) => {
      h = Math.imul(h ^ x, 0x01000193);
      h ^= h >>> 15;
    };
    // References into the group are written relative to this tuple (own: -2, another tuple: -3),
    // so the key of tuple i in s equals the key of its image in any permutation of s.
    const m = this.member.get(g)!;
    const rel = (members: Int32Array, x: number) => (x < 0 || x >= members.length || members[x] < 0 ? x : members[x] === i ? -2 : -3);
    const relPte = (v: number) => (v === 0 ? 0 : (v & 0xff) | ((rel(m.page, ptePfn(v)) & 0xffff) << 8));
    const relReg = (type: number, x: number) =>
      type === PTE ? rel(m.pte, x) : type === VMA ? rel(m.vma, x) : type === PAGE ? rel(m.page, x) : type === PTEVAL ? relPte(x) : type === VMASET ? this.relSet(m.vma, x, i) : x;
    const own = { thread: g.threads.length ? g.threads[i] : -1, pte: g.ptes.length ? g.ptes[i] : -1, vma: g.vmas.length ? g.vmas[i] : -1, page: g.pages.length ? g.pages[i] : -1 };
    if (own.thread >= 0) {
      const base = L.thread(own.thread, 0);
      for (let f = 0; f < ThreadField.regs; f++) mix(f === ThreadField.waitPage ? rel(m.page, s[base + f]) : s[base + f]);
      const types = this.regCodes[own.thread];
      for (let r = 0; r < types.length; r++) mix(relReg(types[r], s[base + ThreadField.regs + r]));
    }
    if (own.pte >= 0) mix(relPte(s[L.pte(own.pte)]));
    if (own.vma >= 0) mix(s[L.vma(own.vma, VMA_FLAGS)]);
    if (own.page >= 0) {
      const b = L.page(own.page, 0);
      for (let f = 0; f < PAGE_WIDTH; f++) {
        const x = s[b + f];
        mix(f === PageField.head ? rel(m.page, x) : f === PageField.owner ? (x > 0 ? rel(m.thread, x - 1) : x) : x);
      }
    }
    // Who points at this tuple from outside it. Threads outside the group keep their order;
    // pointers from other tuples are counted, since their order is what a permutation changes.
    let fromOthers = 0;
    for (let t = 0; t < L.nThreads; t++) {
      if (t === own.thread) continue;
      const inGroup = m.thread[t] >= 0;
      const types = this.regCodes[t];
      for (let r = 0; r < types.length; r++) {
        const x = s[L.reg(t, r)];
        const ty = types[r];
        let hit = 0;
        if (ty === PTE) hit = x === own.pte && x >= 0 ? 1 : 0;
        else if (ty === VMA) hit = x === own.vma && x >= 0 ? 1 : 0;
        else if (ty === PAGE) hit = x === own.page && x >= 0 ? 1 : 0;
        else if (ty === VMASET) hit = own.vma >= 0 && (x & (1 << own.vma)) !== 0 ? 1 : 0;
        else if (ty === PTEVAL) hit = own.page >= 0 && x !== 0 && ptePfn(x) === own.page ? 1 : 0;
        if (inGroup) fromOthers += hit;
        else mix(hit);
      }
      if (!inGroup && own.page >= 0) mix(s[L.thread(t, ThreadField.waitPage)] === own.page ? 1 : 0);
      if (L.hasTlb && own.pte >= 0) {
        const v = relPte(s[L.tlbEntry(t, own.pte)]);
        if (inGroup) fromOthers += v === 0 ? 0 : 1;
        else mix(v);
      }
    }
    if (own.thread >= 0 && L.hasTlb) for (let e = 0; e < L.nPtes; e++) if (m.pte[e] < 0) mix(relPte(s[L.tlbEntry(own.thread, e)]));
    if (own.thread >= 0 && L.hasTlb && own.pte >= 0) mix(relPte(s[L.tlbEntry(own.thread, own.pte)]));
    if (own.page >= 0) {
      for (let e = 0; e < L.nPtes; e++) {
        if (e === own.pte) continue;
        const hit = ptePfn(s[L.pte(e)]) === own.page && s[L.pte(e)] !== 0 ? 1 : 0;
        if (m.pte[e] >= 0) fromOthers += hit;
        else mix(hit);
      }
    }
    if (own.thread >= 0) {
      for (let l = 0; l < this.m.world.ptls.length; l++) mix(s[L.ptl(l)] === own.thread + 1 ? 1 : 0);
      for (let p = 0; p < L.nPages; p++) {
        if (m.page[p] >= 0) continue;
        mix(s[L.page(p, PageField.owner)] === own.thread + 1 ? 1 : 0);
      }
    }
    mix(fromOthers);
    return h >>> 0;
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

  /** The state with group `group`'s tuples rearranged so that tuple order[j] lands on position j. */
  permuted(s: Int32Array, group: number, order: number[]): Int32Array {
    return this.apply(s, this.perm(this.groups[group], order));
  }

  private perm(g: Group, order: number[]): Perm {
    const L = this.m.layout;
    const id = (n: number) => Int32Array.from({ length: n }, (_, i) => i);
    const p: Perm = { thread: id(L.nThreads), pte: id(L.nPtes), vma: id(this.m.world.vmas.length), page: id(L.nPages) };
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
    const out = new Int32Array(s.length);
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


