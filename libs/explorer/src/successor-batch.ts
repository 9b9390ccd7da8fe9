// Successors canonicalised and not inserted yet: a search expands a run of heads, then reads the
// visited-table slots of all their successors before inserting them (StateStore.touch), so that the
// processor overlaps those cache misses instead of meeting them one after the other. The
// successors are inserted in the order found, so the ids, parents and counts are those of
// inserting each at once (explorer.batch.spec.ts).

/** Successors found and not inserted yet, with their parents and the search's counters when each was found. */
export class SuccessorBatch {
  tuples: Uint32Array;
  hashes = new Int32Array(256);
  parents = new Int32Array(256);
  transitions = new Float64Array(256);
  endStates = new Float64Array(256);
  count = 0;
  /** what touch() read, kept so that the reads are not dropped */
  sink = 0;
  private readonly views: Uint32Array[] = [];

  constructor(private readonly arity: number) {
    this.tuples = new Uint32Array(256 * arity);
  }

  /** Room for one more successor, found from `parent`: where canonicalTuple writes its tuple. */
  next(parent: number, transitions: number, endStates: number): Uint32Array {
    const i = this.count++;
    if (i === this.parents.length) this.grow();
    this.parents[i] = parent;
    this.transitions[i] = transitions;
    this.endStates[i] = endStates;
    return this.view(i);
  }

  /** Successor i's tuple (a view, kept for reuse). */
  view(i: number): Uint32Array {
    return this.views[i] ?? (this.views[i] = this.tuples.subarray(i * this.arity, (i + 1) * this.arity));
  }

  private grow(): void {
    const size = this.parents.length * 2;
    const tuples = new Uint32Array(size * this.arity);
    tuples.set(this.tuples);
    this.tuples = tuples;
    this.views.length = 0;
    const widen = <T extends Int32Array | Float64Array>(a: T, make: (n: number) => T): T => {
      const b = make(size);
      b.set(a);
      return b;
    };
    this.hashes = widen(this.hashes, (n) => new Int32Array(n));
    this.parents = widen(this.parents, (n) => new Int32Array(n));
    this.transitions = widen(this.transitions, (n) => new Float64Array(n));
    this.endStates = widen(this.endStates, (n) => new Float64Array(n));
  }
}
