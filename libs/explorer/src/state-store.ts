// The visited set and the BFS queue in one: states are appended to fixed-size chunks of one big
// Int32Array arena, in the order they were found, and an open-addressing table of state ids finds
// them by content. No per-state object, no string key: this is where exploration spends its time.

const CHUNK_STATES = 1 << 14;

export class StateStore {
  private readonly chunks: Int32Array[] = [];
  private table = new Int32Array(1 << 16);
  private mask = (1 << 16) - 1;
  private hashes: Int32Array = new Int32Array(CHUNK_STATES);
  count = 0;

  constructor(readonly width: number) {}

  /** Bytes held by stored states and the table. */
  get bytes(): number {
    return this.chunks.length * CHUNK_STATES * this.width * 4 + this.table.byteLength + this.hashes.byteLength;
  }

  /** Adds s unless an equal state is stored; returns its new id, or -1 if it was already there. */
  add(s: Int32Array): number {
    const h = hash(s);
    let i = h & this.mask;
    for (;;) {
      const slot = this.table[i];
      if (slot === 0) break;
      const id = slot - 1;
      if (this.hashes[id] === h && this.equals(id, s)) return -1;
      i = (i + 1) & this.mask;
    }
    const id = this.count++;
    const c = id >>> 14;
    if (c === this.chunks.length) this.chunks.push(new Int32Array(CHUNK_STATES * this.width));
    this.chunks[c].set(s, (id & (CHUNK_STATES - 1)) * this.width);
    if (id >= this.hashes.length) {
      const grown = new Int32Array(this.hashes.length * 2);
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[id] = h;
    this.table[i] = id + 1;
    if (this.count * 2 > this.table.length) this.grow();
    return id;
  }

  has(s: Int32Array): boolean {
    const h = hash(s);
    for (let i = h & this.mask; ; i = (i + 1) & this.mask) {
      const slot = this.table[i];
      if (slot === 0) return false;
      if (this.hashes[slot - 1] === h && this.equals(slot - 1, s)) return true;
    }
  }

  /** Copies state `id` into `out`. */
  read(id: number, out: Int32Array): Int32Array {
    const off = (id & (CHUNK_STATES - 1)) * this.width;
    out.set(this.chunks[id >>> 14].subarray(off, off + this.width));
    return out;
  }

  private equals(id: number, s: Int32Array): boolean {
    const chunk = this.chunks[id >>> 14];
    const off = (id & (CHUNK_STATES - 1)) * this.width;
    for (let k = 0; k < this.width; k++) if (chunk[off + k] !== s[k]) return false;
    return true;
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

function hash(s: Int32Array): number {
  let h = 0x9747b28c;
  for (let k = 0; k < s.length; k++) {
    h = Math.imul(h ^ s[k], 0x5bd1e995);
    h ^= h >>> 13;
  }
  h = Math.imul(h ^ (h >>> 15), 0x27d4eb2d);
  return (h ^ (h >>> 16)) | 0;
}
