import type { World } from '@mmreplay/model';
import { Machine } from '@mmreplay/engine';
import { hashRange, type ComponentTable } from './state-store.js';
import { stateComponents } from './explorer.js';

// A component table that the parallel search's worker threads share (SharedArrayBuffers), so that a
// component has one id on every thread: a state is then stored once in the shared visited set as
// its tuple of ids, whichever thread found it, and any thread can read and expand it.
// Looking a component up takes no lock (an id is published in the index only once its words and
// hash are written); adding one takes a lock. Components are few (thousands, against millions of
// states), so the lock is rarely taken. The buffers are reserved at their full capacity; the
// operating system commits a page only when it is written, so what a search uses is what it holds.
// The index grows by doubling into a region of its own: a thread still probing the one before
// may miss a component added since, and then looks again under the lock.

/** The buffers of a shared table, as sent to a worker. */
export interface SharedTableBuffers {
  readonly width: number;
  readonly capacity: number;
  /** capacity × width words */
  readonly data: SharedArrayBuffer;
  /** capacity hashes */
  readonly hashes: SharedArrayBuffer;
  /** the index regions: the one of size S at [S, 2S), S a power of two up to 2 × capacity */
  readonly index: SharedArrayBuffer;
  /** [count, lock, index size] */
  readonly meta: SharedArrayBuffer;
}

const COUNT = 0;
const LOCK = 1;
const SIZE = 2;
const FIRST_SIZE = 1 << 10;

/** Thrown when a shared table is full: the search ends at its memory bound. */
export class ComponentTableFull extends Error {
  constructor(width: number, capacity: number) {
    super(`the shared table of components of ${width} words is full (${capacity} components)`);
    this.name = 'ComponentTableFull';
  }
}

export class SharedInternTable implements ComponentTable {
  readonly width: number;
  private readonly capacity: number;
  private readonly data: Int32Array;
  private readonly hashes: Int32Array;
  private readonly index: Int32Array;
  private readonly meta: Int32Array;

  /** New buffers for up to `capacity` components of `width` words. */
  static buffers(width: number, capacity: number): SharedTableBuffers {
    let size = FIRST_SIZE;
    while (size < 2 * capacity) size *= 2;
    const meta = new Int32Array(new SharedArrayBuffer(12));
    meta[SIZE] = FIRST_SIZE;
    return {
      width,
      capacity,
      data: new SharedArrayBuffer(4 * Math.max(1, width) * capacity),
      hashes: new SharedArrayBuffer(4 * capacity),
      index: new SharedArrayBuffer(4 * 2 * size),
      meta: meta.buffer as SharedArrayBuffer,
    };
  }

  constructor(readonly buffers: SharedTableBuffers) {
    this.width = buffers.width;
    this.capacity = buffers.capacity;
    this.data = new Int32Array(buffers.data);
    this.hashes = new Int32Array(buffers.hashes);
    this.index = new Int32Array(buffers.index);
    this.meta = new Int32Array(buffers.meta);
  }

  get count(): number {
    return Atomics.load(this.meta, COUNT);
  }

  /** The bytes written: the components, their hashes and the index regions used so far. */
  get bytes(): number {
    return this.count * 4 * (this.width + 1) + 4 * 2 * Atomics.load(this.meta, SIZE);
  }

  intern(s: Int32Array, off: number): number {
    const h = hashRange(s, off, this.width);
    const size = Atomics.load(this.meta, SIZE);
    const mask = size - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const slot = Atomics.load(this.index, size + i);
      if (slot === 0) return this.add(s, off, h);
      const id = slot - 1;
      if (this.hashes[id] === h && this.equalsAt(id, s, off)) return id;
    }
  }

  equalsAt(id: number, s: Int32Array, off: number): boolean {
    const w = this.width;
    const data = this.data;
    const at = id * w;
    for (let k = 0; k < w; k++) if (data[at + k] !== s[off + k]) return false;
    return true;
  }

  hashOf(id: number): number {
    return this.hashes[id];
  }

  /** Vector `id` is `width` words from id * width. */
  get vectors(): Int32Array {
    return this.data;
  }

  copyOut(id: number, out: Int32Array, off: number): void {
    const w = this.width;
    const data = this.data;
    for (let k = 0, at = id * w; k < w; k++) out[off + k] = data[at + k];
  }

  /** Adds s[off, off + width) under the lock, unless another thread added it meanwhile. */
  private add(s: Int32Array, off: number, h: number): number {
    const meta = this.meta;
    while (Atomics.compareExchange(meta, LOCK, 0, 1) !== 0) Atomics.wait(meta, LOCK, 1, 1);
    try {
      let size = meta[SIZE];
      let mask = size - 1;
      let i = h & mask;
      for (; ; i = (i + 1) & mask) {
        const slot = this.index[size + i];
        if (slot === 0) break;
        const id = slot - 1;
        if (this.hashes[id] === h && this.equalsAt(id, s, off)) return id;
      }
      const id = meta[COUNT];
      if (id >= this.capacity) throw new ComponentTableFull(this.width, this.capacity);
      const w = this.width;
      for (let k = 0; k < w; k++) this.data[id * w + k] = s[off + k];
      this.hashes[id] = h;
      if (2 * (id + 1) > size) {
        // a larger index in the next region, then published; the old one is left as it is
        size *= 2;
        mask = size - 1;
        for (let j = 0; j < id; j++) {
          let at = this.hashes[j] & mask;
          while (this.index[size + at] !== 0) at = (at + 1) & mask;
          this.index[size + at] = j + 1;
        }
        i = h & mask;
        while (this.index[size + i] !== 0) i = (i + 1) & mask;
        this.index[size + i] = id + 1;
        Atomics.store(meta, COUNT, id + 1);
        Atomics.store(meta, SIZE, size);
      } else {
        Atomics.store(meta, COUNT, id + 1);
        // publishes the words and the hash written above
        Atomics.store(this.index, size + i, id + 1);
      }
      return id;
    } finally {
      Atomics.store(meta, LOCK, 0);
      Atomics.notify(meta, LOCK, 1);
    }
  }
}

/**
 * The shared component tables of a search on `world`, one per table of its components. Each may
 * take up to an eighth of the memory bound (the buffers are reserved, and committed only where
 * written); one that fills up ends the search at its memory bound.
 */
export function sharedTables(world: World, memoryBytes: number): SharedTableBuffers[] {
  const components = stateComponents(new Machine(world));
  const widths: number[] = [];
  for (const c of components) widths[c.table] = c.width;
  return widths.map((w) => SharedInternTable.buffers(w, Math.max(1 << 10, Math.min(1 << 22, Math.floor(memoryBytes / 8 / (4 * (w + 5)))))));
}
