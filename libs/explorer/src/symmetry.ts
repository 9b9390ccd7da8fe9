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

interface Perm {
  thread: Int32Array;
  pte: Int32Array;
  vma: Int32Array;
  page: Int32Array;
}

export class Symmetry {
  private readonly groups: { threads: number[]; ptes: number[]; vmas: number[]; pages: number[] }[];
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
    this.active = this.groups.length > 0 && (w.rmapOrder === 'any' || this.groups.every((g) => g.vmas.length === 0));
  }

  /** One representative of the state's orbit (a new array, or `s` itself when nothing moves). */
  canonical(s: Int32Array): Int32Array {
    if (!this.active) return s;
    let cur = s;
    for (const g of this.groups) {
      const size = Math.max(g.threads.length, g.ptes.length, g.vmas.length, g.pages.length);
      const keys: number[][] = [];
      for (let i = 0; i < size; i++) keys.push(this.elementKey(cur, g, i));
      const order = keys.map((_, i) => i).sort((a, b) => compare(keys[a], keys[b]) || a - b);
      if (order.every((o, i) => o === i)) continue;
      cur = this.apply(cur, this.perm(g, order));
    }
    return cur;
  }

  /** Everything about tuple i, with references to the tuple's own objects made position-free. */
  private elementKey(s: Int32Array, g: (typeof this.groups)[number], i: number): number[] {
    const L = this.m.layout;
    const key: number[] = [];
    const own = { thread: g.threads[i] ?? -9, pte: g.ptes[i] ?? -9, vma: g.vmas[i] ?? -9, page: g.pages[i] ?? -9 };
    if (g.threads.length) {
      const t = g.threads[i];
      const base = L.thread(t, 0);
      for (let f = 0; f < ThreadField.regs; f++) key.push(s[base + f]);
      this.regTypes[t].forEach((type, r) => key.push(normalise(s[base + ThreadField.regs + r], type, own)));
    }
    if (g.ptes.length) {
      const e = g.ptes[i];
      const v = s[L.pte(e)];
      key.push(own.page >= 0 && ptePfn(v) === own.page ? (v & 0xff) | 0x10000 : v);
      // who points at this PTE from outside the tuple: registers of other threads
      for (let t = 0; t < L.nThreads; t++) {
        if (t === own.thread) continue;
        this.regTypes[t].forEach((type, r) => {
          const x = s[L.reg(t, r)];
          if (type === 'pte') key.push(x === e ? 1 : 0);
          else if (type === 'vma') key.push(x === own.vma ? 1 : 0);
          else if (type === 'vmaset') key.push(own.vma >= 0 && (x & (1 << own.vma)) !== 0 ? 1 : 0);
        });
      }
      if (L.hasTlb) for (let t = 0; t < L.nThreads; t++) key.push(s[L.tlbEntry(t, e)]);
    }
    if (g.vmas.length) {
      key.push(s[L.vma(g.vmas[i], VMA_FLAGS)]);
    }
    if (g.pages.length) {
      const b = L.page(g.pages[i], 0);
      for (let f = 0; f < PAGE_WIDTH; f++) key.push(f === PageField.head ? (s[b + f] === g.pages[i] ? -1 : s[b + f]) : s[b + f]);
    }
    return key;
  }

  private perm(g: (typeof this.groups)[number], order: number[]): Perm {
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

function normalise(x: number, type: RegType, own: { pte: number; vma: number; page: number }): number {
  if (type === 'pte') return x === own.pte ? -2 : x;
  if (type === 'vma') return x === own.vma ? -2 : x;
  if (type === 'page') return x === own.page ? -2 : x;
  if (type === 'pteval' && own.page >= 0 && x !== 0 && ptePfn(x) === own.page) return (x & 0xff) | 0x10000;
  return x;
}

function compare(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return a[i] - b[i];
  return a.length - b.length;
}
