import { INSN_WIDTH, PAGE_WIDTH, opDecl, PageField, THREAD_WIDTH, ThreadField, VmaField, ptePfn, type RegType } from '@mmreplay/model';
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
  /** tuples in the group */
  size: number;
  /** scratch per canonicalisation: each tuple's key, references from other tuples, the sorted order */
  keys: Float64Array;
  counts: Int32Array;
  order: number[];
  /** object index -> tuple index (or -1), per kind */
  member: { thread: Int32Array; pte: Int32Array; vma: Int32Array; page: Int32Array };
}

/** The component tables of a store of tuples (StateStore), as canonicalIds reads them. */
export interface ComponentTables {
  /** where component k's vectors are: vector `id` is its `width` words from id * width */
  componentData(k: number): Int32Array;
  /** the state vector of a tuple of component ids, into `out` */
  decode(tuple: Uint32Array, out: Int32Array): Int32Array;
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
  private readonly regTypes: RegType[][];
  readonly active: boolean;
  private readonly scratchPerm: Perm;
  private readonly bufA: Int32Array;
  private readonly bufB: Int32Array;
  /** canonicalIds' state vector, decoded when it needs one */
  private readonly decoded: Int32Array;
  private flip = false;
  /** canonicalTuple's scratch: each thread's place under the permutation */
  private readonly threadDest: Int32Array;
  private readonly refList: number[] = [];
  /** tupleKeys' scratch: where each thread's record is in the memo's pool (canonicalTuple reads it after) */
  private readonly threadRecord: Int32Array;
  /** canonicalTuple's scratch: the place each tuple moves to */
  private readonly tupleTo: Int32Array;
  /** elementKeys' scratch: the shared objects' record (sharedRecord) */
  private readonly sharedScratch: Int32Array;
  /** what canonicalTuple remembers about component ids (see there) */
  private readonly memo: KeyMemo;
  /** canonicalTuple applies: one group, no TLB, the store's components are the shared objects and one per thread */
  readonly tuples: boolean;

  constructor(private readonly m: Machine) {
    const L = m.layout;
    const w = m.world;
    const idx = (map: ReadonlyMap<string, number>, names: readonly string[]) => names.map((n) => map.get(n) ?? -1);
    const pinned = pinnedObjects(m);
    const memberOf = (n: number, list: number[]) => {
      const a = new Int32Array(n).fill(-1);
      list.forEach((x, i) => (a[x] = i));
      return a;
    };
    this.groups = w.symmetry
      .map((g) => {
        const threads = idx(L.threadIndex, g.threads);
        const ptes = idx(L.pteIndex, g.ptes);
        const vmas = idx(L.vmaIndex, g.vmas);
        const pages = idx(L.pageIndex, g.pages ?? []);
        const size = Math.max(threads.length, ptes.length, vmas.length, pages.length);
        return {
          threads,
          ptes,
          vmas,
          pages,
          size,
          keys: new Float64Array(size),
          counts: new Int32Array(size),
          order: Array.from({ length: size }, (_, i) => i),
          member: { thread: memberOf(L.nThreads, threads), pte: memberOf(L.nPtes, ptes), vma: memberOf(w.vmas.length, vmas), page: memberOf(L.nPages, pages) },
        };
      })
      .filter((g) => g.size > 1)
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
    this.decoded = new Int32Array(L.size);
    this.threadDest = new Int32Array(L.nThreads);
    this.threadRecord = new Int32Array(L.nThreads);
    this.tupleTo = new Int32Array(Math.max(0, ...this.groups.map((g) => g.size)));
    this.sharedScratch = new Int32Array(3 * this.tupleTo.length);
    this.regCodes = this.regTypes.map((types) => Int8Array.from(types, (t) => REG_CODE[t]));
    // Under tso/lkmm the state's memory section holds store buffers and outstanding loads that name
    // threads and pages, which apply() does not rename: no symmetry reduction there.
    // A user invariant that names an object, or reads a value interchangeable objects need not
    // share, is not invariant under renaming: a representative could hide its violation.
    this.active =
      this.groups.length > 0 && (w.rmapOrder === 'any' || this.groups.every((g) => g.vmas.length === 0)) && !m.layout.weak && !m.user.reads.asymmetric;
    this.tuples = this.active && this.groups.length === 1 && !L.hasTlb && L.mem === L.size;
    this.memo = new KeyMemo(L.nThreads);
  }

  /**
   * canonical() on collapsed states (state-store.ts), for a search that stores tuples of component
   * ids. `raw` is s's tuple (the shared objects, then each thread's local vector); `out` gets the
   * tuple of canonical(s). The result is exactly canonical()'s; what makes it cheaper is that the
   * distinct components are few (about a thousand of each kind for the seed at N = 5, against
   * millions of states), so what depends on one component alone is computed once per component
   * and remembered by its id: a thread's part of the tuple keys, the references it holds, and a
   * component's image under a permutation. The state vector itself is renamed only when an image
   * is not known yet. `intern` gives the id of a state's component k (as the store interns it).
   */
  canonicalTuple(s: Int32Array, raw: Uint32Array, out: Uint32Array, intern: (s: Int32Array, k: number) => number): void {
    this.canonicalOn(s, null, raw, out, intern);
  }

  /**
   * canonicalTuple without the state vector: what it reads of the state is read from the
   * components' tables by the ids in `raw`, and the vector is decoded from them only when an
   * image is not known yet. A search that knows a successor's ids without having run its step
   * (step-memo.ts) never builds its vector.
   */
  canonicalIds(tables: ComponentTables, raw: Uint32Array, out: Uint32Array, intern: (s: Int32Array, k: number) => number): void {
    this.canonicalOn(null, tables, raw, out, intern);
  }

  /** canonicalTuple on the vector `s`, or without it (null) on the components in `tables`. */
  private canonicalOn(
    s: Int32Array | null,
    tables: ComponentTables | null,
    raw: Uint32Array,
    out: Uint32Array,
    intern: (s: Int32Array, k: number) => number,
  ): void {
    const g = this.groups[0];
    const order = g.order;
    const arity = raw.length;
    if (sortByKey(this.tupleKeys(s, tables, g, raw), g)) {
      for (let k = 0; k < arity; k++) out[k] = raw[k];
      return;
    }
    // The permutation as a number: order[j] in base size, digit j (remembered only while it fits 31 bits).
    let code = 0;
    for (let j = order.length - 1; j >= 0; j--) code = code * g.size + order[j];
    const known = code <= 0x7fffffff;
    // where each thread goes: tuple order[to]'s thread to tuple to's place
    const dest = this.threadDest;
    for (let t = 0; t < dest.length; t++) dest[t] = t;
    if (g.threads.length) for (let to = 0; to < order.length; to++) dest[g.threads[order[to]]] = g.threads[to];
    // Each thread's image: its own local vector when it refers to no tuple's object, else a
    // function of where the tuples it refers to go. A thread that refers only to its own tuple (a
    // fault thread with its PTE and VMA) keeps its images in its memo record, one per place its
    // tuple may move to, whatever the rest of the permutation; any other thread's are looked up
    // by the whole permutation's code, as the shared objects' are.
    const tupleTo = this.tupleTo;
    for (let to = 0; to < order.length; to++) tupleTo[order[to]] = to;
    const images = this.memo.images;
    const pool = this.memo.pool;
    const rec = this.threadRecord;
    const thread = g.member.thread;
    const n = arity - 1;
    let missing = !known;
    if (known) {
      const shared = images.get(raw[0], 0, code);
      if (shared < 0) missing = true;
      else out[0] = shared;
    }
    for (let t = 0; t < n && !missing; t++) {
      const at = rec[t];
      const kind = pool[at + 1];
      let x: number;
      if (kind === REFS_NONE) x = raw[1 + t];
      else if (kind === REFS_OWN) x = pool[at + 3 + 2 * pool[at + 2] + tupleTo[thread[t]]] - 1;
      else x = known ? images.get(raw[1 + t], 1 + t, code) : -1;
      if (x < 0) missing = true;
      else out[1 + dest[t]] = x;
    }
    if (!missing) return;
    // Not known yet: rename the vector, intern its components, remember their images.
    const c = this.apply(s ?? tables!.decode(raw, this.decoded), this.perm(g, order));
    out[0] = intern(c, 0);
    if (known) images.set(raw[0], 0, code, out[0]);
    for (let t = 0; t < n; t++) {
      const to = dest[t];
      const image = intern(c, 1 + to);
      out[1 + to] = image;
      const at = rec[t];
      const kind = pool[at + 1];
      if (kind === REFS_OWN) pool[at + 3 + 2 * pool[at + 2] + tupleTo[thread[t]]] = image + 1;
      else if (kind === REFS_OTHERS && known) images.set(raw[1 + t], 1 + t, code, image);
    }
  }

  /**
   * One representative of the state's orbit: `s` itself when nothing moves, else a buffer of this
   * object that the next call overwrites (copy it to keep it).
   */
  canonical(s: Int32Array): Int32Array {
    if (!this.active) return s;
    let cur = s;
    for (let gi = 0; gi < this.groups.length; gi++) {
      const g = this.groups[gi];
      if (!sortByKey(this.elementKeys(cur, g), g)) cur = this.apply(cur, this.perm(g, g.order));
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
    const m = g.member;
    const size = g.size;
    const key = g.keys;
    const fromOthers = g.counts;
    for (let i = 0; i < size; i++) fromOthers[i] = 0;
    // 1. each tuple's own objects
    const rec = this.sharedScratch;
    this.sharedRecord(s, 0, g, rec, 0);
    for (let i = 0; i < size; i++) key[i] = mix(g.threads.length ? this.ownKey(s, L.thread(g.threads[i], 0), g, g.threads[i], i) : 0x811c9dc5, rec[3 * i]);
    // 2. references held by threads: registers, wait-queue entries, TLB entries
    const pteM = m.pte;
    const list = this.refList;
    for (let t = 0; t < L.nThreads; t++) {
      const holder = m.thread[t];
      this.threadRefs(s, L.thread(t, 0), g, t, list);
      for (let k = 0; k < list.length; k += 2) refer(key, fromOthers, holder, list[k], list[k + 1]);
      if (L.hasTlb) {
        for (let e = 0; e < L.nPtes; e++) {
          const j = pteM[e];
          if (j < 0 || j === holder) continue;
          if (s[L.tlbEntry(t, e)] !== 0) refer(key, fromOthers, holder, j, -1 - t);
        }
      }
    }
    return this.finishKeys(rec, 0, g);
  }

  /**
   * elementKeys for canonicalTuple (one group, no TLB), with what depends on one thread's local
   * vector alone remembered by its component id `ids[1 + t]`: the thread's own part of its tuple's
   * key and the references it holds, in one record of the memo's pool, so that a thread costs one
   * look-up. The keys are elementKeys' (symmetry-tuples.spec.ts holds canonicalTuple to canonical).
   */
  private tupleKeys(s: Int32Array | null, tables: ComponentTables | null, g: Group, ids: Uint32Array): Float64Array {
    const L = this.m.layout;
    const n = L.nThreads;
    const memo = this.memo;
    const rec = this.threadRecord;
    const m = g.member;
    for (let t = 0; t < n; t++) {
      const at = memo.recordAt(t, ids[1 + t]);
      if (at >= 0) rec[t] = at;
      else if (s !== null) rec[t] = this.keepThread(s, L.thread(t, 0), g, t, ids[1 + t]);
      else rec[t] = this.keepThread(tables!.componentData(1 + t), ids[1 + t] * THREAD_WIDTH, g, t, ids[1 + t]);
    }
    // the shared objects' record, by their id: computed from s, or at their id in their table
    // (sh[so + x] is the state's word x), the first time that id is met
    const sharedAt = memo.sharedAt(ids[0], g.size);
    const shared = memo.shared;
    if (shared[sharedAt] === 0) {
      const sh = s ?? tables!.componentData(0);
      this.sharedRecord(sh, s !== null ? 0 : ids[0] * L.threads, g, shared, sharedAt + 1);
      shared[sharedAt] = 1;
    }
    const pool = memo.pool;
    const size = g.size;
    const key = g.keys;
    const fromOthers = g.counts;
    for (let i = 0; i < size; i++) fromOthers[i] = 0;
    for (let i = 0; i < size; i++) key[i] = mix(g.threads.length ? pool[rec[g.threads[i]]] : 0x811c9dc5, shared[sharedAt + 1 + 3 * i]);
    for (let t = 0; t < n; t++) {
      const holder = m.thread[t];
      const at = rec[t];
      for (let k = at + 3, end = at + 3 + 2 * pool[at + 2]; k < end; k += 2) refer(key, fromOthers, holder, pool[k], pool[k + 1]);
    }
    return this.finishKeys(shared, sharedAt + 1, g);
  }

  /**
   * Computes and remembers thread t's record (tupleKeys) for its local vector, component `id`,
   * whose fields start at s[base] (in a state vector or in the threads' table); returns where it is.
   */
  private keepThread(s: Int32Array, base: number, g: Group, t: number, id: number): number {
    const i = g.member.thread[t];
    const own = i >= 0 ? this.ownKey(s, base, g, t, i) : 0;
    const list = this.refList;
    this.threadRefs(s, base, g, t, list);
    let kind = REFS_NONE;
    for (let k = 0; k < list.length; k += 2) if (list[k] !== i || i < 0) kind = REFS_OTHERS;
    if (kind === REFS_NONE && list.length > 0) kind = REFS_OWN;
    return this.memo.keep(t, id, own, kind, list, kind === REFS_OWN ? g.size : 0);
  }

  /**
   * The part of tuple i's key that thread t (the tuple's thread) holds: its fields and registers,
   * relative to i; they start at s[base]. A TLB's entries are read from s as a state vector (the
   * tuples, where s may be a table, exclude a TLB).
   */
  private ownKey(s: Int32Array, base: number, g: Group, t: number, i: number): number {
    const L = this.m.layout;
    const m = g.member;
    let h = 0x811c9dc5;
    for (let f = 0; f < ThreadField.regs; f++) h = mix(h, f === ThreadField.waitPage ? rel(m.page, s[base + f], i) : s[base + f]);
    const types = this.regCodes[t];
    const regs = base + ThreadField.regs;
    for (let r = 0; r < types.length; r++) {
      const x = s[regs + r];
      const ty = types[r];
      h = mix(
        h,
        ty === INT
          ? x
          : ty === PTE
            ? rel(m.pte, x, i)
            : ty === VMA
              ? rel(m.vma, x, i)
              : ty === PAGE
                ? rel(m.page, x, i)
                : ty === PTEVAL
                  ? relPte(m.page, x, i)
                  : relSet(m.vma, x, i),
      );
    }
    if (L.hasTlb) {
      for (let e = 0; e < L.nPtes; e++) if (m.pte[e] < 0) h = mix(h, relPte(m.page, s[L.tlbEntry(t, e)], i));
      if (g.ptes.length) h = mix(h, relPte(m.page, s[L.tlbEntry(t, g.ptes[i])], i));
    }
    return h;
  }

  /** What tuple i's PTE, VMA and page add to its key (the state's word x is s[so + x]). */
  private sharedKey(s: Int32Array, so: number, g: Group, i: number): number {
    const L = this.m.layout;
    const m = g.member;
    let h = 0x811c9dc5;
    if (g.ptes.length) h = mix(h, relPte(m.page, s[so + L.ptes + g.ptes[i]], i));
    if (g.vmas.length) h = mix(h, s[so + L.vma(g.vmas[i], VMA_FLAGS)]);
    if (g.pages.length) {
      const b = so + L.page(g.pages[i], 0);
      for (let f = 0; f < PAGE_WIDTH; f++) {
        const x = s[b + f];
        h = mix(h, f === PageField.head ? rel(m.page, x, i) : f === PageField.owner ? (x > 0 ? rel(m.thread, x - 1, i) : x) : x);
      }
    }
    return h;
  }

  /** The group objects thread t's registers and wait entry refer to, as [tuple, where] pairs into `list` (emptied first). */
  private threadRefs(s: Int32Array, base: number, g: Group, t: number, list: number[]): void {
    const m = g.member;
    const pteM = m.pte;
    const vmaM = m.vma;
    const pageM = m.page;
    list.length = 0;
    const types = this.regCodes[t];
    const regs = base + ThreadField.regs;
    for (let r = 0; r < types.length; r++) {
      const ty = types[r];
      if (ty === INT) continue;
      const x = s[regs + r];
      if (ty === VMASET) {
        for (let v = 0; v < vmaM.length; v++) if (vmaM[v] >= 0 && (x & (1 << v)) !== 0) list.push(vmaM[v], t * 64 + r);
        continue;
      }
      let j = -1;
      if (ty === PTE) j = x >= 0 && x < pteM.length ? pteM[x] : -1;
      else if (ty === VMA) j = x >= 0 && x < vmaM.length ? vmaM[x] : -1;
      else if (ty === PAGE) j = x >= 0 && x < pageM.length ? pageM[x] : -1;
      else if (x !== 0) j = pageM[ptePfn(x)] ?? -1;
      if (j >= 0) list.push(j, t * 64 + r);
    }
    const wp = s[base + ThreadField.waitPage];
    if (wp >= 0 && pageM[wp] >= 0) list.push(pageM[wp], t * 64 + 63);
  }

  /**
   * What the shared objects add to each tuple's key, as 3 * size words from out[at]: per tuple,
   * its own PTE, VMA and page (sharedKey); the references to it held by shared objects outside the
   * tuples (PTE values, PTL holders, page owners), mixed in their fixed order; and how many
   * references to it the other tuples' PTEs hold (counted, since a permutation reorders those).
   * A function of the shared objects alone, so the search on tuples keeps it by their id.
   */
  private sharedRecord(s: Int32Array, so: number, g: Group, out: Int32Array, at: number): void {
    const L = this.m.layout;
    const m = g.member;
    const pteM = m.pte;
    const pageM = m.page;
    for (let i = 0; i < g.size; i++) {
      out[at + 3 * i] = this.sharedKey(s, so, g, i);
      out[at + 3 * i + 1] = 0x811c9dc5;
      out[at + 3 * i + 2] = 0;
    }
    if (g.pages.length) {
      for (let e = 0; e < L.nPtes; e++) {
        const v = s[so + L.ptes + e];
        if (v === 0) continue;
        const j = pageM[ptePfn(v)] ?? -1;
        if (j >= 0) heldBy(out, at, j, pteM[e], 1000 + e);
      }
    }
    if (g.threads.length) {
      const threadM = m.thread;
      for (let l = 0; l < this.m.world.ptls.length; l++) {
        const x = s[so + L.ptls + l];
        if (x > 0 && threadM[x - 1] >= 0) heldBy(out, at, threadM[x - 1], -1, 2000 + l);
      }
      for (let p = 0; p < L.nPages; p++) {
        if (pageM[p] >= 0) continue;
        const x = s[so + L.pages + p * PAGE_WIDTH + PageField.owner];
        if (x > 0 && threadM[x - 1] >= 0) heldBy(out, at, threadM[x - 1], -1, 3000 + p);
      }
    }
  }

  /** 3. the shared objects' references (sharedRecord at rec[at]) and the counts, into the keys. */
  private finishKeys(rec: Int32Array, at: number, g: Group): Float64Array {
    const key = g.keys;
    const fromOthers = g.counts;
    for (let i = 0; i < g.size; i++) key[i] = mix(mix(key[i], rec[at + 3 * i + 1]), fromOthers[i] + rec[at + 3 * i + 2]) >>> 0;
    return key;
  }

  /** Bytes of what canonicalTuple remembers (typed arrays, outside the JavaScript heap). */
  get memoBytes(): number {
    return this.memo.bytes;
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
    for (let i = 0; i < p.thread.length; i++) p.thread[i] = i;
    for (let i = 0; i < p.pte.length; i++) p.pte[i] = i;
    for (let i = 0; i < p.vma.length; i++) p.vma[i] = i;
    for (let i = 0; i < p.page.length; i++) p.page[i] = i;
    // element order[j] moves to position j
    for (let to = 0; to < order.length; to++) {
      const from = order[to];
      if (g.threads.length) p.thread[g.threads[from]] = g.threads[to];
      if (g.ptes.length) p.pte[g.ptes[from]] = g.ptes[to];
      if (g.vmas.length) p.vma[g.vmas[from]] = g.vmas[to];
      if (g.pages.length) p.page[g.pages[from]] = g.pages[to];
    }
    return p;
  }

  /** The state with every object renamed by the permutation, references included. */
  private apply(s: Int32Array, p: Perm): Int32Array {
    const L = this.m.layout;
    // Two buffers, used in turn: canonical() may apply once per group, reading the last result.
    const out = (this.flip = !this.flip) ? this.bufA : this.bufB;
    out.set(s);
    const page = p.page;
    for (let i = 0; i < L.nPages; i++) {
      const src = L.pages + i * PAGE_WIDTH;
      const dst = L.pages + page[i] * PAGE_WIDTH;
      for (let f = 0; f < PAGE_WIDTH; f++) out[dst + f] = s[src + f];
      out[dst + PageField.owner] = tid1(p.thread, s[src + PageField.owner]);
      out[dst + PageField.head] = page[s[src + PageField.head]];
    }
    // A VMA's start and pgoff tie it to the (static) addresses of its PTEs, so they stay with the
    // slot; only the flags move. Symmetric VMAs are ones no thread re-addresses.
    for (let v = 0; v < p.vma.length; v++) out[L.vma(p.vma[v], VMA_FLAGS)] = s[L.vma(v, VMA_FLAGS)];
    for (let e = 0; e < L.nPtes; e++) out[L.ptes + p.pte[e]] = pteVal(page, s[L.ptes + e]);
    for (let l = 0; l < this.m.world.ptls.length; l++) out[L.ptls + l] = tid1(p.thread, s[L.ptls + l]);
    if (L.hasTlb) {
      for (let t = 0; t < L.nThreads; t++) for (let e = 0; e < L.nPtes; e++) out[L.tlbEntry(p.thread[t], p.pte[e])] = pteVal(page, s[L.tlbEntry(t, e)]);
    }
    for (let t = 0; t < L.nThreads; t++) {
      const src = L.threads + t * THREAD_WIDTH;
      const dst = L.threads + p.thread[t] * THREAD_WIDTH;
      // out.set(s) above already put a thread that stays in place
      if (dst !== src) for (let f = 0; f < THREAD_WIDTH; f++) out[dst + f] = s[src + f];
      const wp = s[src + ThreadField.waitPage];
      out[dst + ThreadField.waitPage] = wp >= 0 ? page[wp] : wp;
      const types = this.regCodes[t];
      for (let r = 0; r < types.length; r++) {
        const type = types[r];
        if (type === INT) continue;
        const x = s[src + ThreadField.regs + r];
        let y = x;
        if (type === PAGE) y = x >= 0 ? page[x] : x;
        else if (type === PTE) y = x >= 0 ? p.pte[x] : x;
        else if (type === VMA) y = x >= 0 ? p.vma[x] : x;
        else if (type === PTEVAL) y = pteVal(page, x);
        else {
          // bits past the VMAs name none (pinnedObjects lets a program set them): they stay
          y = x;
          for (let v = 0; v < p.vma.length; v++) y &= ~(1 << v);
          for (let v = 0; v < p.vma.length; v++) if (x & (1 << v)) y |= 1 << p.vma[v];
        }
        out[dst + ThreadField.regs + r] = y;
      }
    }
    return out;
  }
}

/**
 * Sorts the group's tuples by key, ties by index, into g.order (insertion sort: the groups are
 * small, and this allocates nothing); returns whether the order is the identity.
 */
function sortByKey(keys: Float64Array, g: Group): boolean {
  const order = g.order;
  const size = g.size;
  let identity = true;
  for (let i = 0; i < size; i++) order[i] = i;
  for (let i = 1; i < size; i++) {
    const x = order[i];
    const kx = keys[x];
    let j = i - 1;
    while (j >= 0 && (keys[order[j]] > kx || (keys[order[j]] === kx && order[j] > x))) {
      order[j + 1] = order[j];
      j--;
    }
    if (j + 1 !== i) identity = false;
    order[j + 1] = x;
  }
  return identity;
}

/**
 * What depends on one component alone, by component id (canonicalTuple): per thread, a record of
 * what its local vector adds to the tuple keys (tupleKeys), and the image of a component under a
 * permutation.
 */
class KeyMemo {
  /** per thread: [component id] -> 1 + where its record starts in `pool` (0: not known) */
  private readonly index: Int32Array[];
  /**
   * per record: the thread's own part of its tuple's key, what it refers to (REFS_*), the count of
   * references, the [tuple, where] pairs, then for REFS_OWN the image + 1 (0: not known) for each
   * place its tuple may move to
   */
  pool = new Int32Array(1 << 12);
  private used = 0;
  readonly images = new ImageMap();
  /** per shared-objects id: 1 once known, then its sharedRecord (3 words a tuple) */
  shared = new Int32Array(0);

  get bytes(): number {
    return this.pool.byteLength + this.index.reduce((a, x) => a + x.byteLength, 0) + this.images.bytes + this.shared.byteLength;
  }

  /** Where the shared objects' record of id `id` is in `shared` (room made for it), for a group of `size` tuples. */
  sharedAt(id: number, size: number): number {
    const at = id * (1 + 3 * size);
    if (at + 1 + 3 * size > this.shared.length) {
      const grown = new Int32Array(Math.max(at + 1 + 3 * size, 2 * this.shared.length, 1 << 10));
      grown.set(this.shared);
      this.shared = grown;
    }
    return at;
  }

  constructor(threads: number) {
    this.index = Array.from({ length: threads }, () => new Int32Array(0));
  }

  /** Where thread t's record is in `pool` when its local vector is component id, or -1. */
  recordAt(t: number, id: number): number {
    const index = this.index[t];
    return id < index.length ? index[id] - 1 : -1;
  }

  /**
   * Remembers thread t's record for component id: its own key part, what it refers to (REFS_*),
   * the [tuple, where] pairs of `list`, and `places` image slots (all unknown); returns where it is.
   */
  keep(t: number, id: number, own: number, kind: number, list: readonly number[], places: number): number {
    let index = this.index[t];
    if (id >= index.length) {
      const grown = new Int32Array(Math.max(id + 1, index.length * 2, 64));
      grown.set(index);
      index = this.index[t] = grown;
    }
    const size = 3 + list.length + places;
    if (this.used + size > this.pool.length) {
      const grown = new Int32Array(Math.max(this.pool.length * 2, this.used + size));
      grown.set(this.pool);
      this.pool = grown;
    }
    const at = this.used;
    this.pool[at] = own;
    this.pool[at + 1] = kind;
    this.pool[at + 2] = list.length / 2;
    for (let k = 0; k < list.length; k++) this.pool[at + 3 + k] = list[k];
    // the image slots are zero (unknown): the pool is only ever appended to
    this.used += size;
    index[id] = at + 1;
    return at;
  }
}

/**
 * Images of components under permutations: (component id, its place in the tuple, permutation
 * code) -> the image's id. Open addressing with the four words of a slot side by side, so that a
 * probe reads one cache line (this table is read for every permuted successor).
 */
export class ImageMap {
  /** per slot: id, place, code, image + 1 (0: empty) */
  private slots = new Int32Array(4 << 10);
  private mask = (1 << 10) - 1;
  private count = 0;

  get bytes(): number {
    return this.slots.byteLength;
  }

  /** The image of component `id` at `place` under permutation `code`, or -1. */
  get(id: number, place: number, code: number): number {
    return this.slots[4 * this.slotOf(id, place, code) + 3] - 1;
  }

  set(id: number, place: number, code: number, image: number): void {
    const at = 4 * this.slotOf(id, place, code);
    const slots = this.slots;
    if (slots[at + 3] === 0) this.count++;
    slots[at] = id;
    slots[at + 1] = place;
    slots[at + 2] = code;
    slots[at + 3] = image + 1;
    if (this.count * 2 > this.mask + 1) this.grow();
  }

  /** The slot of (id, place, code), or the empty slot where it would go. */
  private slotOf(id: number, place: number, code: number): number {
    const slots = this.slots;
    for (let i = tripleHash(id, place, code) & this.mask; ; i = (i + 1) & this.mask) {
      const at = 4 * i;
      if (slots[at + 3] === 0 || (slots[at] === (id | 0) && slots[at + 1] === place && slots[at + 2] === code)) return i;
    }
  }

  private grow(): void {
    const old = this.slots;
    const size = (this.mask + 1) * 2;
    this.slots = new Int32Array(4 * size);
    this.mask = size - 1;
    this.count = 0;
    for (let at = 0; at < old.length; at += 4) if (old[at + 3] !== 0) this.set(old[at], old[at + 1], old[at + 2], old[at + 3] - 1);
  }
}

function tripleHash(id: number, place: number, code: number): number {
  let h = Math.imul(id ^ (place << 24), 0x9e3779b1);
  h = Math.imul(h ^ code ^ (h >>> 16), 0x85ebca6b);
  return h ^ (h >>> 13);
}

/** An object reference as tuple i sees it: own (-2), another tuple's (-3), or outside the group (itself). */
function rel(members: Int32Array, x: number, i: number): number {
  return x < 0 || x >= members.length || members[x] < 0 ? x : members[x] === i ? -2 : -3;
}

/** A PTE value with its page written relative to tuple i. */
function relPte(pageMember: Int32Array, v: number, i: number): number {
  return v === 0 ? 0 : (v & 0xff) | ((rel(pageMember, ptePfn(v), i) & 0xffff) << 8);
}

/** A VMA set with the group's VMAs replaced by: is own in it, how many others are. */
function relSet(vmaMember: Int32Array, x: number, i: number): number {
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

/** Tuple j is referenced from `where` by a holder: a fixed place (mixed in), or another tuple (counted). */
function refer(key: Float64Array, fromOthers: Int32Array, holderTuple: number, j: number, where: number): void {
  if (holderTuple === j) return;
  if (holderTuple >= 0) fromOthers[j]++;
  else key[j] = mix(key[j], where);
}

/** sharedRecord's refer(): tuple j is referenced from `where` by a shared object of tuple `holder` (-1: outside the tuples). */
function heldBy(rec: Int32Array, at: number, j: number, holder: number, where: number): void {
  if (holder === j) return;
  if (holder >= 0) rec[at + 3 * j + 2]++;
  else rec[at + 3 * j + 1] = mix(rec[at + 3 * j + 1], where);
}

/** A thread id + 1 (0: none) renamed. */
function tid1(thread: Int32Array, x: number): number {
  return x > 0 ? thread[x - 1] + 1 : x;
}

/** A PTE value with its page renamed. */
function pteVal(page: Int32Array, v: number): number {
  return v === 0 ? 0 : (v & 0xff) | (page[ptePfn(v)] << 8);
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

/** What a thread's local vector refers to among the group's objects (KeyMemo records): nothing, its own tuple's only, others'. */
const REFS_NONE = 0;
const REFS_OWN = 1;
const REFS_OTHERS = 2;

function mix(h: number, x: number): number {
  h = Math.imul(h ^ x, 0x01000193);
  return h ^ (h >>> 15);
}
