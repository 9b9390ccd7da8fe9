// How the workers of the parallel search balance a level (issue 15). The states are split by a
// hash, and a level's split is uneven by a few per cent (more with the 'shared' owner rule), so
// without help the worker with fewer heads waits at every level's end for the other: about 7 % of
// the wall time at N = 7. Instead a worker that has expanded its own heads asks for more, and one
// that still has many gives it the last of them (Partition.give), through the ring between the two
// (Ring.tryGive); the asker expands them (Partition.expandGiven) and sends their successors to
// their owners, as it does its own. Only heads move: every state is still stored by its owner.
//
// This board, in shared memory, holds per worker whether it may still give this level and what
// became of its ask. A worker ends its level (writes its ends, parallel-ring.ts) only once it can
// be given nothing more: no one may still give, or it stopped (a violation or a bound). The order
// of the steps makes that safe without a lock:
// - a giver claims an ask (ASKING -> CLAIMED + giver, one compare-and-exchange, so one giver per
//   ask) before it writes the gift, and only while it has not said it gives no more (stopGiving);
// - an asker that sees no one giving withdraws its ask by the same compare-and-exchange (ASKING ->
//   NONE): if a giver claimed it first, that fails and the asker waits for the gift, which its
//   giver's ring delivers before that giver's end of the level.

/** Atomics.waitAsync (Node 16 and later; not in this project's TypeScript lib) */
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number, ms: number): { async: boolean; value: Promise<string> | string } })
  .waitAsync;

const NONE = 0;
const ASKING = 1;
/** an ask claimed by giver g holds CLAIMED + g */
const CLAIMED = 2;

export class GiftBoard {
  private readonly a: Int32Array;

  /** Shared memory for a board of `workers` workers. */
  static buffer(workers: number): SharedArrayBuffer {
    return new SharedArrayBuffer(8 * workers);
  }

  /** Words [0, workers): each worker's ask; [workers, 2 × workers): whether it may still give (1) or not (0). */
  constructor(
    buffer: SharedArrayBuffer,
    private readonly workers: number,
  ) {
    this.a = new Int32Array(buffer);
  }

  /** Before a level (the coordinator): every worker may give until it says otherwise, so that none that starts early takes the others for done. */
  openLevel(): void {
    for (let i = 0; i < this.workers; i++) Atomics.store(this.a, this.workers + i, 1);
  }

  /** Worker i gives nothing more this level: its own heads are done, or it stopped. */
  stopGiving(i: number): void {
    Atomics.store(this.a, this.workers + i, 0);
    // an asker waiting for givers to say so wakes
    for (let j = 0; j < this.workers; j++) Atomics.notify(this.a, j);
  }

  /** Whether any worker but i may still give this level. */
  othersGiving(i: number): boolean {
    for (let j = 0; j < this.workers; j++) if (j !== i && Atomics.load(this.a, this.workers + j) === 1) return true;
    return false;
  }

  /** Worker i asks for heads (it has none left, or few); it has no ask open. */
  ask(i: number): void {
    Atomics.store(this.a, i, ASKING);
  }

  /** Whether worker i has an ask open, claimed or not. */
  hasAsked(i: number): boolean {
    return Atomics.load(this.a, i) !== NONE;
  }

  /** Whether worker i's ask is open and no giver has claimed it. */
  isAsking(i: number): boolean {
    return Atomics.load(this.a, i) === ASKING;
  }

  /** The giver that claimed worker i's ask, or -1. */
  giverOf(i: number): number {
    const v = Atomics.load(this.a, i);
    return v >= CLAIMED ? v - CLAIMED : -1;
  }

  /** Giver g takes worker j's open ask: true if it is now g's to answer with a gift. */
  claim(j: number, g: number): boolean {
    const won = Atomics.compareExchange(this.a, j, ASKING, CLAIMED + g) === ASKING;
    if (won) Atomics.notify(this.a, j);
    return won;
  }

  /** Worker i withdraws its ask: true if no giver had claimed it (and none will now); false if a gift is on its way. */
  withdraw(i: number): boolean {
    return Atomics.compareExchange(this.a, i, ASKING, NONE) === ASKING;
  }

  /** Worker i has the gift its ask was claimed for: it may ask again. */
  received(i: number): void {
    Atomics.store(this.a, i, NONE);
  }

  /** A promise settled when worker i's ask changes (claimed), a giver stops giving, or after `ms`; null if its ask is not open. */
  changed(i: number, ms: number): Promise<unknown> | null {
    const wait = waitAsync(this.a, i, ASKING, ms);
    return wait.async ? (wait.value as Promise<string>) : null;
  }
}
