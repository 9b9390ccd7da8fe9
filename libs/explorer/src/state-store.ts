// The visited set and the BFS queue in one, with SPIN's collapse compression: a state vector is
// cut into components (the shared objects, each thread's local vector, the weak-memory section),
// each component is interned in a table of its kind, and the state is stored as the tuple of its
// components' indices, in the order states were found. Few distinct components exist (a fault
// thread's registers take a handful of values), so a state of 150 words costs one small tuple, and
// the tables stay small enough to live in the cache. No per-state object, no string key.

/** Where a component lives in the state vector, and which table interns it. */
export interface Component {
  readonly offset: number;
  readonly width: number;
  readonly table: number;
}

const CHUNK_BITS = 16;
const CHUNK_STATES = 1 << CHUNK_BITS;

/**
 * What a store needs of a component table: an InternTable, or one that the parallel search's
 * workers share (shared-intern.ts), so that a component has the same id on every thread.
 */
export interface ComponentTable {
  readonly width: number;
  readonly count: number;
  readonly bytes: number;
  intern(s: Int32Array, off: number): number;
  equalsAt(id: number, s: Int32Array, off: number): boolean;
  hashOf(id: number): number;
  copyOut(id: number, out: Int32Array, off: number): void;
  /** vector `id` is `width` words from id * width (read in place by Symmetry.canonicalIds) */
  readonly vectors: Int32Array;
}

/** Distinct vectors of one width, each stored once and named by its index. */
export class InternTable implements ComponentTable {
  private data: Int32Array;
  private hashes: Int32Array;
  private table = new Int32Array(1 << 10);
  private mask = (1 << 10) - 1;
  count = 0;

  constructor(readonly width: number) {
    this.data = new Int32Array(Math.max(1, width) * 256);
    this.hashes = new Int32Array(256);
  }

  get bytes(): number {
    return this.data.byteLength + this.hashes.byteLength + this.table.byteLength;
  }

  /** The index of s[off, off + width), added if new. */
  intern(s: Int32Array, off: number): number {
    const w = this.width;
    const h = hashRange(s, off, w);
    const data = this.data;
    let i = h & this.mask;
    for (;;) {
      const slot = this.table[i];
      if (slot === 0) break;
      const id = slot - 1;
      if (this.hashes[id] === h) {
        let k = 0;
        const at = id * w;
        while (k < w && data[at + k] === s[off + k]) k++;
        if (k === w) return id;
      }
      i = (i + 1) & this.mask;
    }
    const id = this.count++;
    if ((id + 1) * w > this.data.length) {
      const grown = new Int32Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
      const hs = new Int32Array(this.hashes.length * 2);
      hs.set(this.hashes);
      this.hashes = hs;
    }
    this.data.set(s.subarray(off, off + w), id * w);
    this.hashes[id] = h;
    this.table[i] = id + 1;
    if (this.count * 2 > this.table.length) this.grow();
    return id;
  }

  /** Whether vector `id` equals s[off, off + width). */
  equalsAt(id: number, s: Int32Array, off: number): boolean {
    const w = this.width;
    const data = this.data;
    const at = id * w;
    for (let k = 0; k < w; k++) if (data[at + k] !== s[off + k]) return false;
    return true;
  }

  /** The vectors: vector `id` is `width` words from id * width (the array is replaced when the table grows). */
  get vectors(): Int32Array {
    return this.data;
  }

  /** The hash of vector `id` (hashRange of its words: the same in every table that holds it). */
  hashOf(id: number): number {
    return this.hashes[id];
  }

  /** Copies vector `id` to out[off, off + width). */
  copyOut(id: number, out: Int32Array, off: number): void {
    const w = this.width;
    const data = this.data;
    // a loop, not set(subarray): a component is a few words, and subarray allocates a view
    for (let k = 0, at = id * w; k < w; k++) out[off + k] = data[at + k];
  }

  private grow(): void {
    const size = this.table.length * 2;
    const table = new Int32Array(size);
    const mask = size - 1;
    for (let id = 0; id < this.count; id++) {
      let i = this.hashes[id] & mask;
      while (table[i] !== 0) i = (i + 1) & mask;
      table[i] = id + 1;
    }
    this.table = table;
    this.mask = mask;
  }
}

/**
 * The components of a state vector and the tables they are interned in: a state as a tuple of
 * component ids and back. The visited set (StateStore) is one; the approximate search's frontier
 * tables are another (bitstate.ts), so that the step memos work on both alike (tuple-steps.ts).
 */
export class TupleCodec {
  constructor(
    protected readonly components: readonly Component[],
    protected readonly tables: ComponentTable[],
  ) {}

  /**
   * The id of s's component k, where `before` is a state vector whose component k has id `was`:
   * `was` when the two agree there (compared in place, not in the table), else interned.
   */
  componentSince(k: number, s: Int32Array, before: Int32Array, was: number): number {
    const c = this.components[k];
    let i = c.offset;
    const end = i + c.width;
    while (i < end && s[i] === before[i]) i++;
    return i === end ? was : this.tables[c.table].intern(s, c.offset);
  }

  /** The state vector of a tuple collapsed by this store. */
  decode(tuple: Uint32Array, out: Int32Array): Int32Array {
    for (let k = 0; k < this.components.length; k++) {
      const c = this.components[k];
      this.tables[c.table].copyOut(tuple[k], out, c.offset);
    }
    return out;
  }

  /**
   * decode() into an `out` that holds the vector of the tuple `held`: only the components whose
   * ids differ are copied, and `held` becomes `tuple` (a `held` of ids no table has, 0xffffffff,
   * copies every component).
   */
  decodeSince(tuple: Uint32Array, out: Int32Array, held: Uint32Array): Int32Array {
    for (let k = 0; k < this.components.length; k++) {
      const x = tuple[k];
      if (held[k] === x) continue;
      held[k] = x;
      const c = this.components[k];
      this.tables[c.table].copyOut(x, out, c.offset);
    }
    return out;
  }

  /** Where component k's vectors are (InternTable.vectors). */
  componentData(k: number): Int32Array {
    return this.tables[this.components[k].table].vectors;
  }

  /** Copies component k's vector `id` to out[off, off + its width). */
  componentOut(k: number, id: number, out: Int32Array, off: number): void {
    this.tables[this.components[k].table].copyOut(id, out, off);
  }

  /** The id of component k's vector found at src[off, off + its width), interned if new. */
  internComponent(k: number, src: Int32Array, off: number): number {
    return this.tables[this.components[k].table].intern(src, off);
  }

  /** The id of s's component k, interned if new. */
  intern(s: Int32Array, k: number): number {
    const c = this.components[k];
    return this.tables[c.table].intern(s, c.offset);
  }
}

export class StateStore extends TupleCodec {
  /** the tuple of each stored state, `arity` indices a state, in chunks of CHUNK_STATES states */
  private readonly chunks: Uint32Array[] = [];
  /**
   * The visited table: open addressing, two words a slot, [id + 1 (0: empty), the tuple's hash].
   * A probe compares the hash in the slot first and reads the stored tuple only when it matches,
   * so a probe costs one cache line, not two (the table and the tuples are far apart in memory).
   */
  private table = new Int32Array(2 << 16);
  private mask = (1 << 16) - 1;
  private readonly arity: number;
  private readonly tuple: Uint32Array;
  count = 0;

  constructor(
    readonly width: number,
    components: readonly Component[] = [{ offset: 0, width, table: 0 }],
  ) {
    super(components, internTables(components));
    this.arity = components.length;
    this.tuple = new Uint32Array(this.arity);
  }

  /** Bytes held by stored states, the visited table and the component tables. */
  get bytes(): number {
    let b = this.chunks.length * CHUNK_STATES * this.arity * 4 + this.table.byteLength;
    for (const t of this.tables) b += t.bytes;
    return b;
  }

  /** Distinct components interned, per table. */
  get componentCounts(): number[] {
    return this.tables.map((t) => t.count);
  }

  /**
   * Adds s unless an equal state is stored; returns its new id, or -1 if it was already there.
   * `like`: a stored state's id (the parent) whose components s probably shares: an equal
   * component is then taken from it without hashing.
   */
  add(s: Int32Array, like = -1): number {
    return this.insert(this.collapse(s, like, this.tuple), this.tuple);
  }

  has(s: Int32Array, like = -1): boolean {
    return this.find(this.collapse(s, like, this.tuple), this.tuple);
  }

  /** add() for a state already collapsed (tupleOf), e.g. a tuple canonicalised by Symmetry.canonicalTuple. */
  addTuple(tuple: Uint32Array): number {
    return this.insert(tupleHash(tuple, 0, this.arity), tuple);
  }

  hasTuple(tuple: Uint32Array): boolean {
    return this.find(tupleHash(tuple, 0, this.arity), tuple);
  }

  /** The visited table's hash of the tuple at tuples[at, at + arity). */
  hashAt(tuples: Uint32Array, at: number): number {
    return tupleHash(tuples, at, this.arity);
  }

  /**
   * Reads what inserting a tuple of hash h will read first (its slot, and the stored tuple that
   * slot names when the hashes agree), so that a search can look at a batch of successors' slots
   * before inserting them: the loads of different successors do not depend on each other and the
   * processor overlaps their cache misses, where insert() meets them one after the other. The
   * value is meaningless; the caller folds it into something it keeps, so the reads stay.
   */
  touch(h: number): number {
    const i = 2 * (h & this.mask);
    const slot = this.table[i];
    if (slot === 0 || this.table[i + 1] !== h) return slot;
    const id = slot - 1;
    return this.chunks[id >>> CHUNK_BITS][(id & (CHUNK_STATES - 1)) * this.arity];
  }

  /** addTuple() for the tuple at tuples[at, at + arity), whose hash (hashAt) is h. */
  addTupleAt(tuples: Uint32Array, at: number, h: number): number {
    return this.insert(h, tuples, at);
  }

  /** hasTuple() for the tuple at tuples[at, at + arity), whose hash (hashAt) is h. */
  hasTupleAt(tuples: Uint32Array, at: number, h: number): boolean {
    return this.find(h, tuples, at);
  }

  /** Interns s's components into `out` (hint `like` as for add) and returns it. */
  tupleOf(s: Int32Array, like: number, out: Uint32Array): Uint32Array {
    this.collapse(s, like, out);
    return out;
  }

  /** The stored tuple of state `id`, copied into `out`. */
  tupleAt(id: number, out: Uint32Array): Uint32Array {
    const chunk = this.chunks[id >>> CHUNK_BITS];
    for (let k = 0, at = (id & (CHUNK_STATES - 1)) * this.arity; k < this.arity; k++) out[k] = chunk[at + k];
    return out;
  }

  private insert(h: number, tuple: Uint32Array, from = 0): number {
    const table = this.table;
    let i = h & this.mask;
    for (;;) {
      const slot = table[2 * i];
      if (slot === 0) break;
      if (table[2 * i + 1] === h && this.equals(slot - 1, tuple, from)) return -1;
      i = (i + 1) & this.mask;
    }
    const id = this.count++;
    const c = id >>> CHUNK_BITS;
    if (c === this.chunks.length) this.chunks.push(new Uint32Array(CHUNK_STATES * this.arity));
    const chunk = this.chunks[c];
    for (let k = 0, at = (id & (CHUNK_STATES - 1)) * this.arity; k < this.arity; k++) chunk[at + k] = tuple[from + k];
    table[2 * i] = id + 1;
    table[2 * i + 1] = h;
    if (this.count * 2 > this.mask + 1) this.grow();
    return id;
  }

  private find(h: number, tuple: Uint32Array, from = 0): boolean {
    const table = this.table;
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const slot = table[2 * i];
      if (slot === 0) return false;
      if (table[2 * i + 1] === h && this.equals(slot - 1, tuple, from)) return true;
    }
  }

  /**
   * Makes `out` state `id` where it holds the state whose tuple is `tuple`, copying only the
   * components whose ids differ, and leaves `id`'s tuple in `tuple`. A breadth-first search reads
   * its states in order, and neighbours in the queue (siblings) share most components. A `tuple`
   * of ids no table has (0xffffffff) copies every component.
   */
  readSince(id: number, out: Int32Array, tuple: Uint32Array): Int32Array {
    const chunk = this.chunks[id >>> CHUNK_BITS];
    const at = (id & (CHUNK_STATES - 1)) * this.arity;
    for (let k = 0; k < this.arity; k++) {
      const x = chunk[at + k];
      if (tuple[k] === x) continue;
      tuple[k] = x;
      const c = this.components[k];
      this.tables[c.table].copyOut(x, out, c.offset);
    }
    return out;
  }

  /** Copies state `id` into `out`. */
  read(id: number, out: Int32Array): Int32Array {
    const chunk = this.chunks[id >>> CHUNK_BITS];
    const at = (id & (CHUNK_STATES - 1)) * this.arity;
    for (let k = 0; k < this.arity; k++) {
      const c = this.components[k];
      this.tables[c.table].copyOut(chunk[at + k], out, c.offset);
    }
    return out;
  }

  /** Interns s's components into `tuple`; returns the tuple's hash. */
  private collapse(s: Int32Array, like: number, tuple: Uint32Array): number {
    const hint = like >= 0 ? this.chunks[like >>> CHUNK_BITS] : null;
    const at = (like & (CHUNK_STATES - 1)) * this.arity;
    for (let k = 0; k < this.arity; k++) {
      const c = this.components[k];
      const table = this.tables[c.table];
      tuple[k] = hint !== null && table.equalsAt(hint[at + k], s, c.offset) ? hint[at + k] : table.intern(s, c.offset);
    }
    return tupleHash(tuple, 0, this.arity);
  }

  private equals(id: number, tuple: Uint32Array, from: number): boolean {
    const chunk = this.chunks[id >>> CHUNK_BITS];
    const at = (id & (CHUNK_STATES - 1)) * this.arity;
    for (let k = 0; k < this.arity; k++) if (chunk[at + k] !== tuple[from + k]) return false;
    return true;
  }

  /** Doubles the visited table, from the hashes it holds (no stored tuple is read). */
  private grow(): void {
    const old = this.table;
    const size = (this.mask + 1) * 2;
    const table = new Int32Array(2 * size);
    const mask = size - 1;
    for (let j = 0; j < old.length; j += 2) {
      if (old[j] === 0) continue;
      const h = old[j + 1];
      let i = h & mask;
      while (table[2 * i] !== 0) i = (i + 1) & mask;
      table[2 * i] = old[j];
      table[2 * i + 1] = h;
    }
    this.table = table;
    this.mask = mask;
  }
}

/** The hash of a tuple of component ids a[at, at + n) (the visited table's). */
export function tupleHash(a: Uint32Array, at: number, n: number): number {
  let h = 0x9747b28c;
  for (let k = 0; k < n; k++) {
    h = Math.imul(h ^ a[at + k], 0x5bd1e995);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 15), 0x27d4eb2d);
  return (h ^ (h >>> 16)) | 0;
}

/** Murmur-style hash of s[off, off + n). */
export function hashRange(s: Int32Array, off: number, n: number): number {
  let h = 0x9747b28c;
  for (let k = off, end = off + n; k < end; k++) {
    h = Math.imul(h ^ s[k], 0x5bd1e995);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 15), 0x27d4eb2d);
  return (h ^ (h >>> 16)) | 0;
}

/**
 * States in the order they were queued, collapse-compressed like the store's, without a visited
 * table: a breadth-first level of the approximate search, which keeps only its frontier.
 */
export class TupleQueue {
  private readonly arity: number;
  private chunks: Uint32Array[] = [];
  count = 0;

  constructor(
    private readonly tables: InternTable[],
    private readonly components: readonly Component[],
  ) {
    this.arity = components.length;
  }

  get bytes(): number {
    return this.chunks.length * CHUNK_STATES * this.arity * 4;
  }

  push(s: Int32Array): void {
    const id = this.count++;
    const c = id >>> CHUNK_BITS;
    if (c === this.chunks.length) this.chunks.push(new Uint32Array(CHUNK_STATES * this.arity));
    const chunk = this.chunks[c];
    const at = (id & (CHUNK_STATES - 1)) * this.arity;
    for (let k = 0; k < this.arity; k++) {
      const comp = this.components[k];
      chunk[at + k] = this.tables[comp.table].intern(s, comp.offset);
    }
  }

  read(id: number, out: Int32Array): Int32Array {
    const chunk = this.chunks[id >>> CHUNK_BITS];
    const at = (id & (CHUNK_STATES - 1)) * this.arity;
    for (let k = 0; k < this.arity; k++) {
      const c = this.components[k];
      this.tables[c.table].copyOut(chunk[at + k], out, c.offset);
    }
    return out;
  }

  /** Empties the queue, keeping its memory for the next level. */
  clear(): void {
    this.count = 0;
  }
}

/** Interning tables for a set of components (shared by the queues of one search). */
export function internTables(components: readonly Component[]): InternTable[] {
  const widths: number[] = [];
  for (const c of components) widths[c.table] = c.width;
  return widths.map((w) => new InternTable(w));
}
