import type { Component, InternTable } from './state-store.js';

// A breadth-first level of the approximate search, with a bounded part in memory. The states are
// collapse-compressed tuples of component ids (state-store.ts); once `maxInMemory` of them are
// queued, they are handed to a spill port as one block and the memory is reused. A level is read
// back in the order it was written (its spilled blocks first, then what stayed in memory), so
// state ids, and with them the first counterexample (a shortest one), are those of a search
// without spill. The explorer does no I/O: the port is given by the caller (a file port is in
// @mmreplay/audits, file-spill.ts).

/** Where the blocks of a level go when the level does not fit in memory. */
export interface SpillPort {
  /** appends a block of `level`; blocks come back in the order they were appended */
  append(level: number, block: Uint32Array): void;
  /** reads the level's next block into `into` (sized for the largest block); returns its length in words, 0 after the last */
  read(level: number, into: Uint32Array): number;
  /** forgets the level (it has been read) */
  drop(level: number): void;
  /** removes everything still held; called when the search ends, however it ends */
  close(): void;
}

export interface SpillOptions {
  readonly port: SpillPort;
  /** states of a level kept in memory before they are spilled (default 1,000,000) */
  readonly maxInMemory?: number;
}

export class LevelQueue {
  private readonly arity: number;
  private readonly limit: number;
  /** the in-memory tail of the level: `held` tuples */
  private tail: Uint32Array;
  private held = 0;
  /** the block being read back, `blockWords` long, and the position in it */
  private block: Uint32Array;
  private blockWords = 0;
  private blockAt = 0;
  /** where advance() found the state read last: in `src`, from the index it returned */
  private src: Uint32Array = new Uint32Array(0);
  private spilled = 0;
  private readFromMemory = 0;
  /** states queued in the level, spilled or not */
  count = 0;
  /** blocks written to the port (for tests and figures) */
  spills = 0;

  constructor(
    public level: number,
    private readonly tables: InternTable[],
    private readonly components: readonly Component[],
    private readonly spill: SpillOptions | null,
  ) {
    this.arity = components.length;
    this.limit = spill ? Math.max(1, Math.floor(spill.maxInMemory ?? 1_000_000)) : Infinity;
    // both grow on demand: a level that never reaches the limit never holds a limit's worth of memory
    this.tail = new Uint32Array(Math.min(this.limit, 1 << 12) * this.arity);
    this.block = new Uint32Array(0);
  }

  /** Bytes held in memory (the tail and the block being read). */
  get bytes(): number {
    return this.tail.byteLength + this.block.byteLength;
  }

  push(s: Int32Array): void {
    const tail = this.room();
    const at = this.held * this.arity;
    for (let k = 0; k < this.arity; k++) {
      const c = this.components[k];
      tail[at + k] = this.tables[c.table].intern(s, c.offset);
    }
    this.pushed();
  }

  /** push() for a state already collapsed into the queue's tables: its tuple of component ids. */
  pushTuple(tuple: Uint32Array): void {
    const tail = this.room();
    const at = this.held * this.arity;
    for (let k = 0; k < this.arity; k++) tail[at + k] = tuple[k];
    this.pushed();
  }

  /** The tail, with room for one more state. */
  private room(): Uint32Array {
    const tail = this.tail;
    if ((this.held + 1) * this.arity <= tail.length) return tail;
    // the level grows in memory, up to the spill limit (the tail is written out when it is reached)
    const g = new Uint32Array(Math.min(tail.length * 2, this.limit * this.arity));
    g.set(tail);
    return (this.tail = g);
  }

  private pushed(): void {
    this.held++;
    this.count++;
    if (this.held === this.limit) {
      this.spill!.port.append(this.level, this.tail.subarray(0, this.held * this.arity));
      this.spills++;
      this.spilled += this.held;
      this.held = 0;
    }
  }

  /** Reads the next state of the level, in the order they were pushed. */
  next(out: Int32Array): Int32Array {
    const at = this.advance();
    const src = this.src;
    for (let k = 0; k < this.arity; k++) {
      const c = this.components[k];
      this.tables[c.table].copyOut(src[at + k], out, c.offset);
    }
    return out;
  }

  /** next() as the state's tuple of component ids (in the queue's tables), into `out`. */
  nextTuple(out: Uint32Array): Uint32Array {
    const at = this.advance();
    const src = this.src;
    for (let k = 0; k < this.arity; k++) out[k] = src[at + k];
    return out;
  }

  /** Moves to the next state of the level: its tuple is at src[at, at + arity), `at` returned. */
  private advance(): number {
    let src: Uint32Array;
    let at: number;
    if (this.spilled > 0) {
      if (this.blockAt === this.blockWords) {
        if (this.block.length === 0) this.block = new Uint32Array(this.limit * this.arity);
        this.blockWords = this.spill!.port.read(this.level, this.block);
        this.blockAt = 0;
      }
      src = this.block;
      at = this.blockAt;
      this.blockAt += this.arity;
      if (this.blockAt === this.blockWords) this.spilled -= this.blockWords / this.arity;
    } else {
      src = this.tail;
      at = this.readFromMemory * this.arity;
      this.readFromMemory++;
    }
    this.src = src;
    return at;
  }

  /** The level has been read: its spill goes, and the queue is empty again, for `level`. */
  reuse(level: number): void {
    if (this.spill && this.spills > 0) this.spill.port.drop(this.level);
    this.level = level;
    this.held = this.count = this.spilled = this.readFromMemory = this.blockWords = this.blockAt = 0;
  }
}
