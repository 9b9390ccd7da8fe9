// The visited set of the parallel search, one for every thread (SharedArrayBuffers): a lockless
// open-addressing table of tuples of component ids (the component tables are shared too,
// shared-intern.ts, so a state has one tuple in every thread). Whoever finds a state inserts it:
// nothing crosses from one thread to another but the level's end, and any thread can expand any
// state, so the levels are split by handing out runs of heads (shared-search.ts).
//
// A state is stored once, in the arena: its tuple, then its parent's id. Ids are handed out to
// each writer (a thread) in blocks, so writers do not contend for one counter; a writer's states
// of one level are runs of ids within its blocks (its ranges), which are that level's heads.
// Inserting: the tuple is written at the writer's next free id; then the slot's hash word is
// claimed with a compare-and-exchange, and the id published after it. A thread that meets a
// claimed slot of the same hash waits for its id (a few instructions), then compares tuples: a
// tuple is written before its slot is claimed, so it is always there to compare. When the claim
// fails, the id was never published and the writer uses it for its next state.
// The table grows by doubling into a region of its own: a thread that would take it over half full
// raises GROW, waits until no thread is inserting (every writer enters and leaves around a batch),
// and rehashes from the hashes alone. The buffers are reserved at their full capacity; the
// operating system commits a page only when it is written.

export interface SharedVisitedBuffers {
  /** component ids a state */
  readonly arity: number;
  /** states the arena holds */
  readonly capacity: number;
  /** threads that write states, each with its own list of ranges */
  readonly writers: number;
  /** ranges a writer may list in one level */
  readonly maxRanges: number;
  /** the largest table, in slots */
  readonly maxSlots: number;
  /** [ids handed out, table slots, GROW], then each writer's inserting flag */
  readonly meta: SharedArrayBuffer;
  /** capacity × (arity + 1) words: tuple, then the parent's id (-1 for the initial state) */
  readonly arena: SharedArrayBuffer;
  /** the table regions: the one of S slots (two words each: hash, id + 1) at words [2S, 4S) */
  readonly table: SharedArrayBuffer;
  /** per writer and level parity: the count of its ranges, then [start, end) of each */
  readonly ranges: SharedArrayBuffer;
}

const HANDED = 0;
const SLOTS = 1;
const GROW = 2;
/** writer w is inserting when meta[INSERTING + 16 w] is 1: a cache line of its own per writer, so that entering and leaving costs a thread no line another thread writes */
const INSERTING = 16;
/** ids handed to a writer at a time */
export const BLOCK = 1024;
const FIRST_SLOTS = 1 << 16;

/** Thrown when the arena is full: the search ends at its memory bound (or its state bound, when past it). */
export class VisitedFull extends Error {
  constructor(capacity: number) {
    super(`the visited set is full (${capacity} states)`);
    this.name = 'VisitedFull';
  }
}

/** The heads of one level: every writer's ranges, end to end, as [starts[i], ends[i]) with prefix sums. */
export interface LevelHeads {
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** prefix[i]: heads before range i; prefix[ranges] the total */
  readonly prefix: Float64Array;
  readonly total: number;
}

export class SharedVisited {
  readonly arity: number;
  readonly capacity: number;
  private readonly rec: number;
  private readonly meta: Int32Array;
  private readonly arena: Uint32Array;
  private readonly table: Int32Array;
  private readonly ranges: Int32Array;
  private readonly listWords: number;

  /** Buffers for up to `capacity` states of `arity` ids, written by `writers` threads. */
  static buffers(arity: number, capacity: number, writers: number): SharedVisitedBuffers {
    const cap = Math.max(BLOCK * writers, Math.ceil(capacity / BLOCK) * BLOCK);
    let maxSlots = FIRST_SLOTS;
    while (maxSlots < 2 * cap) maxSlots *= 2;
    const maxRanges = cap / BLOCK + 2;
    const meta = new Int32Array(new SharedArrayBuffer(4 * (INSERTING + 16 * writers)));
    meta[SLOTS] = FIRST_SLOTS;
    return {
      arity,
      capacity: cap,
      writers,
      maxRanges,
      maxSlots,
      meta: meta.buffer as SharedArrayBuffer,
      arena: new SharedArrayBuffer(4 * cap * (arity + 1)),
      table: new SharedArrayBuffer(4 * 4 * maxSlots),
      ranges: new SharedArrayBuffer(4 * writers * 2 * (1 + 2 * maxRanges)),
    };
  }

  constructor(readonly buffers: SharedVisitedBuffers) {
    this.arity = buffers.arity;
    this.capacity = buffers.capacity;
    this.rec = buffers.arity + 1;
    this.meta = new Int32Array(buffers.meta);
    this.arena = new Uint32Array(buffers.arena);
    this.table = new Int32Array(buffers.table);
    this.ranges = new Int32Array(buffers.ranges);
    this.listWords = 1 + 2 * buffers.maxRanges;
  }

  /** ids handed out to writers (at most BLOCK a writer more than the states stored) */
  get handed(): number {
    return Atomics.load(this.meta, HANDED);
  }

  /** Bytes written: the states' ids handed out, and every table region used so far. */
  get bytes(): number {
    return 4 * this.handed * this.rec + 4 * 4 * Atomics.load(this.meta, SLOTS);
  }

  /** A writer's view: `writer` below buffers.writers, one thread's. */
  writer(writer: number): VisitedWriter {
    return new VisitedWriter(this, writer);
  }

  /** The tuple of state `id` into out[at, at + arity). */
  tupleAt(id: number, out: Uint32Array, at = 0): Uint32Array {
    const arena = this.arena;
    for (let k = 0, b = id * this.rec; k < this.arity; k++) out[at + k] = arena[b + k];
    return out;
  }

  /** The parent's id of state `id` (-1 for the initial state). */
  parentOf(id: number): number {
    return this.arena[id * this.rec + this.arity] | 0;
  }

  /** The heads of a level: the ranges of parity `parity` of the writers given. */
  heads(parity: number, writers: readonly number[]): LevelHeads {
    let n = 0;
    for (const w of writers) n += this.ranges[this.listAt(w, parity)];
    const starts = new Int32Array(n);
    const ends = new Int32Array(n);
    const prefix = new Float64Array(n + 1);
    let i = 0;
    for (const w of writers) {
      const at = this.listAt(w, parity);
      for (let j = 0; j < this.ranges[at]; j++, i++) {
        starts[i] = this.ranges[at + 1 + 2 * j];
        ends[i] = this.ranges[at + 2 + 2 * j];
        prefix[i + 1] = prefix[i] + ends[i] - starts[i];
      }
    }
    return { starts, ends, prefix, total: prefix[n] };
  }

  /** where writer w's list of parity p begins */
  listAt(w: number, p: number): number {
    return (2 * w + p) * this.listWords;
  }

  /** the lists (VisitedWriter's) */
  get lists(): Int32Array {
    return this.ranges;
  }

  /** A block of BLOCK fresh ids, or VisitedFull. */
  block(): number {
    const start = Atomics.add(this.meta, HANDED, BLOCK);
    if (start + BLOCK > this.capacity) throw new VisitedFull(this.capacity);
    return start;
  }

  /**
   * Writer `writer` enters the table to insert up to `batch` states: first grows it if they could
   * take it over half full (or waits while another thread grows it). Every enter is followed by a leave.
   */
  enter(writer: number, batch: number): void {
    const meta = this.meta;
    const flag = INSERTING + 16 * writer;
    for (;;) {
      const slots = Atomics.load(meta, SLOTS);
      if (2 * (Atomics.load(meta, HANDED) + 8 * batch) > slots && slots < this.buffers.maxSlots && Atomics.compareExchange(meta, GROW, 0, 1) === 0) {
        this.grow();
        continue;
      }
      Atomics.store(meta, flag, 1);
      if (Atomics.load(meta, GROW) === 0) return;
      // another thread is growing the table: out of its way until it is done
      this.leave(writer);
      while (Atomics.load(meta, GROW) !== 0) Atomics.wait(meta, GROW, 1);
    }
  }

  leave(writer: number): void {
    const flag = INSERTING + 16 * writer;
    Atomics.store(this.meta, flag, 0);
    // a thread that raised GROW after this one entered waits for the flag (seen here, as both are sequentially consistent)
    if (Atomics.load(this.meta, GROW) !== 0) Atomics.notify(this.meta, flag);
  }

  /** The current table's slots (read once per batch, between enter and leave). */
  get slots(): number {
    return this.meta[SLOTS];
  }

  /**
   * Inserts the tuple at tuples[at, at + arity), of hash h, written (if it is new) at id `id` with
   * parent `parent`: true when it was new. Between enter and leave; `slots` as read after enter.
   */
  insert(tuples: Uint32Array, at: number, h: number, id: number, parent: number, slots: number): boolean {
    const table = this.table;
    const arena = this.arena;
    const arity = this.arity;
    const rec = this.rec;
    const hv = h === 0 ? 1 : h;
    const mask = slots - 1;
    const base = 2 * slots;
    let written = false;
    for (let i = hv & mask; ; i = (i + 1) & mask) {
      const slot = base + 2 * i;
      // a plain read: a slot only ever goes from 0 to a hash, so a stale read is a 0, which the
      // compare-and-exchange below corrects; the id is read atomically, which makes the tuple
      // written before it visible (Atomics.load costs several plain reads here)
      let seen = table[slot];
      if (seen === 0) {
        if (!written) {
          const b = id * rec;
          for (let k = 0; k < arity; k++) arena[b + k] = tuples[at + k];
          arena[b + arity] = parent;
          written = true;
        }
        seen = Atomics.compareExchange(table, slot, 0, hv);
        if (seen === 0) {
          Atomics.store(table, slot + 1, id + 1);
          return true;
        }
      }
      if (seen !== hv) continue;
      let other: number;
      while ((other = Atomics.load(table, slot + 1)) === 0);
      const b = (other - 1) * rec;
      let k = 0;
      while (k < arity && arena[b + k] === tuples[at + k]) k++;
      if (k === arity) return false;
    }
  }

  /** What inserting a tuple of hash h reads first (StateStore.touch): folded by the caller into something it keeps. */
  touch(h: number, slots: number): number {
    return this.table[2 * slots + 2 * ((h === 0 ? 1 : h) & (slots - 1))];
  }

  /** Doubles the table into the next region, once no thread is inserting; GROW is ours. */
  private grow(): void {
    const meta = this.meta;
    const table = this.table;
    for (let w = 0; w < this.buffers.writers; w++) while (Atomics.load(meta, INSERTING + 16 * w) !== 0) Atomics.wait(meta, INSERTING + 16 * w, 1);
    const from = meta[SLOTS];
    const to = 2 * from;
    const mask = to - 1;
    for (let j = 2 * from; j < 4 * from; j += 2) {
      const h = table[j];
      if (h === 0) continue;
      let i = h & mask;
      while (table[2 * to + 2 * i] !== 0) i = (i + 1) & mask;
      table[2 * to + 2 * i] = h;
      table[2 * to + 2 * i + 1] = table[j + 1];
    }
    Atomics.store(meta, SLOTS, to);
    Atomics.store(meta, GROW, 0);
    Atomics.notify(meta, GROW);
  }
}

/**
 * One thread's writing into the shared visited set: its block of ids, and the ranges of ids it
 * stored in the current level, which it lists (endLevel) for every thread to read as the next
 * level's heads.
 */
export class VisitedWriter {
  private fill = 0;
  private blockEnd = 0;
  private rangeStart = 0;
  private parity = 0;
  private count = 0;
  /** states this writer stored, over the whole search */
  stored = 0;

  constructor(
    private readonly v: SharedVisited,
    readonly index: number,
  ) {}

  /** The states stored from now on are heads of the level of parity `parity`. */
  beginLevel(parity: number): void {
    this.parity = parity;
    this.count = 0;
    this.rangeStart = this.fill;
  }

  /** Lists this level's ranges. */
  endLevel(): void {
    this.close();
    this.v.lists[this.v.listAt(this.index, this.parity)] = this.count;
  }

  /** Lists nothing for a level of parity `parity` (a writer that will not write it). */
  clear(parity: number): void {
    this.v.lists[this.v.listAt(this.index, parity)] = 0;
  }

  /** Inserts a batch of successors in order (hashes given): how many were new. */
  insertBatch(tuples: Uint32Array, hashes: Int32Array, parents: Int32Array, count: number): number {
    const v = this.v;
    const arity = v.arity;
    v.enter(this.index, count);
    let added = 0;
    try {
      const slots = v.slots;
      let seen = 0;
      for (let i = 0; i < count; i++) seen ^= v.touch(hashes[i], slots);
      this.sink ^= seen;
      for (let i = 0; i < count; i++) {
        if (this.fill === this.blockEnd) {
          this.close();
          this.fill = this.rangeStart = v.block();
          this.blockEnd = this.fill + BLOCK;
        }
        if (v.insert(tuples, i * arity, hashes[i], this.fill, parents[i], slots)) {
          this.fill++;
          added++;
        }
      }
    } finally {
      v.leave(this.index);
    }
    this.stored += added;
    return added;
  }

  /** what touch() read */
  sink = 0;

  private close(): void {
    if (this.fill > this.rangeStart) {
      const lists = this.v.lists;
      const at = this.v.listAt(this.index, this.parity) + 1 + 2 * this.count++;
      lists[at] = this.rangeStart;
      lists[at + 1] = this.fill;
    }
    this.rangeStart = this.fill;
  }
}
