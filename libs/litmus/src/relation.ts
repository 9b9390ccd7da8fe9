/**
 * Binary relations over the events of one candidate execution (0..n-1), as bit matrices: the
 * operators of herd's cat language that the LKMM uses (`|`, `&`, `\`, `;`, `^-1`, `+`, `*`, `?`,
 * `[S]`, `S * T`) and its checks (`acyclic`, `irreflexive`, `empty`).
 */
export type EventSet = Uint8Array;

export class Rel {
  readonly w: number;
  readonly bits: Uint32Array;

  constructor(
    readonly n: number,
    bits?: Uint32Array,
  ) {
    this.w = (n + 31) >>> 5;
    this.bits = bits ?? new Uint32Array(n * this.w);
  }

  static empty(n: number): Rel {
    return new Rel(n);
  }

  /** `[S]`: the identity on the events of S. */
  static id(n: number, s?: EventSet): Rel {
    const r = new Rel(n);
    for (let i = 0; i < n; i++) if (!s || s[i]) r.add(i, i);
    return r;
  }

  /** `S * T`: every pair (a, b) with a in S and b in T. */
  static product(n: number, s: EventSet, t: EventSet): Rel {
    const r = new Rel(n);
    for (let a = 0; a < n; a++) if (s[a]) for (let b = 0; b < n; b++) if (t[b]) r.add(a, b);
    return r;
  }

  static from(n: number, pairs: Iterable<readonly [number, number]>): Rel {
    const r = new Rel(n);
    for (const [a, b] of pairs) r.add(a, b);
    return r;
  }

  static fromPredicate(n: number, p: (a: number, b: number) => boolean): Rel {
    const r = new Rel(n);
    for (let a = 0; a < n; a++) for (let b = 0; b < n; b++) if (p(a, b)) r.add(a, b);
    return r;
  }

  has(a: number, b: number): boolean {
    return (this.bits[a * this.w + (b >>> 5)] & (1 << (b & 31))) !== 0;
  }

  add(a: number, b: number): void {
    this.bits[a * this.w + (b >>> 5)] |= 1 << (b & 31);
  }

  private map2(o: Rel, f: (x: number, y: number) => number): Rel {
    const out = new Uint32Array(this.bits.length);
    for (let i = 0; i < out.length; i++) out[i] = f(this.bits[i], o.bits[i]);
    return new Rel(this.n, out);
  }

  union(...os: Rel[]): Rel {
    const out = this.bits.slice();
    for (const o of os) for (let i = 0; i < out.length; i++) out[i] |= o.bits[i];
    return new Rel(this.n, out);
  }

  inter(o: Rel): Rel {
    return this.map2(o, (x, y) => x & y);
  }

  minus(o: Rel): Rel {
    return this.map2(o, (x, y) => x & ~y);
  }

  inverse(): Rel {
    const r = new Rel(this.n);
    for (let a = 0; a < this.n; a++) for (let b = 0; b < this.n; b++) if (this.has(a, b)) r.add(b, a);
    return r;
  }

  /** `this ; o`: relational composition. */
  seq(o: Rel): Rel {
    const { n, w } = this;
    const out = new Uint32Array(n * w);
    for (let a = 0; a < n; a++) {
      for (let b = 0; b < n; b++) {
        if (!this.has(a, b)) continue;
        for (let k = 0; k < w; k++) out[a * w + k] |= o.bits[b * w + k];
      }
    }
    return new Rel(n, out);
  }

  /** Composition of several relations, left to right. */
  static seqs(first: Rel, ...rest: Rel[]): Rel {
    return rest.reduce((acc, r) => acc.seq(r), first);
  }

  /** `r+`: transitive closure (Warshall). */
  plus(): Rel {
    const { n, w } = this;
    const out = this.bits.slice();
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        if ((out[i * w + (k >>> 5)] & (1 << (k & 31))) === 0) continue;
        for (let j = 0; j < w; j++) out[i * w + j] |= out[k * w + j];
      }
    }
    return new Rel(n, out);
  }

  /** `r*`: reflexive-transitive closure over all events. */
  star(): Rel {
    return this.plus().union(Rel.id(this.n));
  }

  /** `r?`: reflexive closure over all events. */
  opt(): Rel {
    return this.union(Rel.id(this.n));
  }

  /** `[S] ; r ; [T]` in one pass (undefined = no restriction). */
  restrict(s: EventSet | undefined, t: EventSet | undefined): Rel {
    const r = new Rel(this.n);
    for (let a = 0; a < this.n; a++) {
      if (s && !s[a]) continue;
      for (let b = 0; b < this.n; b++) if ((!t || t[b]) && this.has(a, b)) r.add(a, b);
    }
    return r;
  }

  isEmpty(): boolean {
    return this.bits.every((x) => x === 0);
  }

  isIrreflexive(): boolean {
    for (let a = 0; a < this.n; a++) if (this.has(a, a)) return false;
    return true;
  }

  isAcyclic(): boolean {
    return this.plus().isIrreflexive();
  }

  equals(o: Rel): boolean {
    return this.bits.every((x, i) => x === o.bits[i]);
  }

  domain(): EventSet {
    const s = new Uint8Array(this.n);
    for (let a = 0; a < this.n; a++) for (let b = 0; b < this.n; b++) if (this.has(a, b)) s[a] = 1;
    return s;
  }

  range(): EventSet {
    const s = new Uint8Array(this.n);
    for (let a = 0; a < this.n; a++) for (let b = 0; b < this.n; b++) if (this.has(a, b)) s[b] = 1;
    return s;
  }

  pairs(): [number, number][] {
    const out: [number, number][] = [];
    for (let a = 0; a < this.n; a++) for (let b = 0; b < this.n; b++) if (this.has(a, b)) out.push([a, b]);
    return out;
  }
}

export function setOf(n: number, p: (i: number) => boolean): EventSet {
  const s = new Uint8Array(n);
  for (let i = 0; i < n; i++) if (p(i)) s[i] = 1;
  return s;
}

export function setUnion(...ss: EventSet[]): EventSet {
  const out = new Uint8Array(ss[0].length);
  for (const s of ss) for (let i = 0; i < s.length; i++) out[i] |= s[i];
  return out;
}

export function setMinus(a: EventSet, b: EventSet): EventSet {
  return a.map((x, i) => (x && !b[i] ? 1 : 0));
}

export function setComplement(a: EventSet): EventSet {
  return a.map((x) => (x ? 0 : 1));
}
