// The batches one worker of the parallel search sends another (parallel.ts), in a ring buffer in a
// SharedArrayBuffer: one writer, one reader, no message and no allocation per batch. Each entry is
// a header word, then its words: a batch (header: its length), heads the sender gives the reader
// to expand (a gift, parallel-gifts.ts; header: GIFT less its length), the end of the sender's
// level (END), or a jump back to the ring's start (WRAP) where a batch would not fit before its end.
// The positions run modulo twice the capacity (a power of two), so that a full ring and an empty
// one differ; the writer publishes a batch by storing its position after the words, the reader
// frees room by storing its own.

/** Atomics.waitAsync (Node 16 and later; not in this project's TypeScript lib) */
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, ms: number): { async: boolean; value: Promise<string> | string } })
  .waitAsync;

const WRITE = 0;
const READ = 1;
const WRAP = 0;
const END = -1;
/** a gift of k words has the header GIFT - k */
const GIFT = -2;

/** The buffers of one ring, as sent to both workers. */
export interface RingBuffers {
  readonly positions: SharedArrayBuffer;
  readonly data: SharedArrayBuffer;
}

export class Ring {
  private readonly positions: Int32Array;
  private readonly data: Int32Array;
  private readonly capacity: number;
  /** positions are taken modulo 2 × capacity */
  private readonly lap: number;

  /** New buffers for a ring of `capacity` words, a power of two (a batch must fit with its header). */
  static buffers(capacity: number): RingBuffers {
    if (capacity & (capacity - 1)) throw new RangeError(`a ring's capacity is a power of two, not ${capacity}`);
    return { positions: new SharedArrayBuffer(8), data: new SharedArrayBuffer(4 * capacity) };
  }

  constructor(buffers: RingBuffers) {
    this.positions = new Int32Array(buffers.positions);
    this.data = new Int32Array(buffers.data);
    this.capacity = this.data.length;
    this.lap = 2 * this.capacity - 1;
  }

  get bytes(): number {
    return this.data.byteLength;
  }

  /**
   * Writes a batch if there is room for it now; false if not (the reader has yet to read what is
   * there: the writer reads its own rings meanwhile, so that two full rings cannot wait on each other).
   */
  tryWrite(batch: Int32Array, words: number): boolean {
    return this.put(words, batch);
  }

  /** Writes a gift (heads for the reader to expand), if there is room for it now. */
  tryGive(gift: Int32Array, words: number): boolean {
    return this.put(GIFT - words, gift);
  }

  /** Writes the end of the sender's level, if there is room now. */
  tryEnd(): boolean {
    return this.put(END, null);
  }

  private put(header: number, batch: Int32Array | null): boolean {
    const cap = this.capacity;
    let w = this.positions[WRITE];
    const free = cap - ((w - Atomics.load(this.positions, READ)) & this.lap);
    const words = header > 0 ? header : header <= GIFT ? GIFT - header : 0;
    const at = w & (cap - 1);
    const skip = at + 1 + words > cap ? cap - at : 0;
    if (skip + 1 + words > free) return false;
    if (skip > 0) {
      this.data[at] = WRAP;
      w = (w + skip) & this.lap;
    }
    const to = w & (cap - 1);
    if (batch !== null) this.data.set(batch.subarray(0, words), to + 1);
    this.data[to] = header;
    Atomics.store(this.positions, WRITE, (w + 1 + words) & this.lap);
    Atomics.notify(this.positions, WRITE);
    return true;
  }

  /**
   * Hands each batch written since the last call to `take` and each gift to `takeGift`, in order,
   * up to the end of a level; returns whether that end was read. What they are handed is the
   * ring's own memory, to be copied before they return if it is kept.
   */
  read(take: (data: Int32Array, words: number) => void, takeGift: (data: Int32Array, words: number) => void = () => undefined): boolean {
    const cap = this.capacity;
    let r = this.positions[READ];
    const w = Atomics.load(this.positions, WRITE);
    let ended = false;
    while (r !== w && !ended) {
      const at = r & (cap - 1);
      const header = this.data[at];
      if (header === WRAP) r = (r + cap - at) & this.lap;
      else if (header === END) {
        r = (r + 1) & this.lap;
        ended = true;
      } else if (header <= GIFT) {
        const words = GIFT - header;
        takeGift(this.data.subarray(at + 1, at + 1 + words), words);
        r = (r + 1 + words) & this.lap;
      } else {
        take(this.data.subarray(at + 1, at + 1 + header), header);
        r = (r + 1 + header) & this.lap;
      }
      Atomics.store(this.positions, READ, r);
    }
    Atomics.notify(this.positions, READ);
    return ended;
  }

  /** A promise settled when the reader frees room, or after `ms` (null if it has since the last write failed). */
  readSome(ms: number, since: number): Promise<unknown> | null {
    const wait = waitAsync(this.positions, READ, since, ms);
    return wait.async ? (wait.value as Promise<string>) : null;
  }

  /** The reader's position (for readSome). */
  get readAt(): number {
    return Atomics.load(this.positions, READ);
  }

  /**
   * A promise settled when the writer writes past what was read, or after `ms`; null if it has
   * already. Waiting this way, the thread's event loop runs meanwhile (and whoever writes may be on it).
   */
  written(ms: number): Promise<unknown> | null {
    const w = Atomics.load(this.positions, WRITE);
    if (w !== this.positions[READ]) return null;
    const wait = waitAsync(this.positions, WRITE, w, ms);
    return wait.async ? (wait.value as Promise<string>) : null;
  }
}
