import { Machine } from '@mmreplay/engine';
import type { World } from '@mmreplay/model';
import {
  DEFAULT_BOUNDS,
  counterexampleAlong,
  modelBoundsOf,
  stateComponents,
  type BoundName,
  type Counterexample,
  type ExplorationResult,
  type ExploreOptions,
} from './explorer.js';
import { endStateViolation, firstBrokenEndState } from './end-state.js';
import { Symmetry } from './symmetry.js';
import { DeadRegisters } from './dead-registers.js';
import { TupleCodec, hashRange, internTables } from './state-store.js';
import { TupleSteps } from './tuple-steps.js';
import { LevelQueue, type SpillOptions } from './frontier.js';

// Bitstate hashing (Holzmann's supertrace, SPIN's -DBITSTATE) and hash compaction (SPIN's -DHC)
// for configurations whose visited set does not fit. Bitstate: a visited state is `hashes` bits in
// a table of 2^log2Bits bits, not the state. Hash compaction: a visited state is a 64-bit signature
// in an open-addressing table that grows (8 bytes a slot, at most half full). Two states whose bits
// (signatures) coincide are taken for one, so a state may be missed: a `holds` is then approximate,
// and says with what probability a state was missed. Memory holds the visited bits or signatures,
// the breadth-first frontier (two levels of collapse-compressed states; with a spill port, at most
// `maxInMemory` states of each, the rest on disk: frontier.ts) and, per visited state, its parent
// and the decision that reached it (6 bytes), from which a counterexample is replayed.

/** The approximate methods, by the names requests and results use. */
export const APPROXIMATE_METHODS = ['bitstate', 'hashcompact'] as const;
export type ApproximateMethod = (typeof APPROXIMATE_METHODS)[number];

export interface BitstateOptions {
  /** default `bitstate` */
  readonly method?: ApproximateMethod;
  /** bitstate: the table has 2^log2Bits bits (SPIN's -w); default 30 (128 MB), less under a memory bound below 512 MB (`defaultLog2Bits`) */
  readonly log2Bits?: number;
  /** bitstate: bits set per state (SPIN's -k); default 3 */
  readonly hashes?: number;
}

/** Bits of a state's signature under hash compaction. */
export const SIGNATURE_BITS = 64;

export interface Approximation {
  readonly method: ApproximateMethod;
  /** the visited table's size: 2^log2Bits bits (hash compaction: its slots times 64, at the end) */
  readonly log2Bits: number;
  /** bitstate: bits set per state (SPIN's -k); hash compaction: 1 (one signature) */
  readonly hashes: number;
  /** hash compaction: bits of a state's signature (64); bitstate: null */
  readonly signatureBits: number | null;
  /** table bits per stored state (SPIN's "hash factor", best if > 100) */
  readonly hashFactor: number;
  /** fraction of the table's bits (hash compaction: slots) in use at the end */
  readonly fill: number;
  /**
   * The probability that some reached state was taken for a visited one and not explored,
   * combined over the stored states from the chance each had of coinciding when it was stored:
   * bitstate, fill^k (Holzmann's estimate from the fill of the bit table); hash compaction, the
   * fill of the signature space (states stored / 2^64).
   */
  readonly omissionProbability: number;
}

export type ApproximateResult = ExplorationResult & { readonly approximate: Approximation };

export type BitstateExploreOptions = ExploreOptions & {
  readonly bitstate?: BitstateOptions;
  /** spill the frontier to this port beyond `maxInMemory` states a level (frontier.ts) */
  readonly spill?: SpillOptions;
};

/** The approximate search; a spill port given is closed when the search ends, however it ends. */
export function exploreBitstate(world: World, opts: BitstateExploreOptions = {}): ApproximateResult {
  try {
    return search(world, opts);
  } finally {
    opts.spill?.port.close();
  }
}

/**
 * The bit table's default size: 2^30 bits (128 MB), or the largest power of two that takes at most
 * a quarter of the memory bound, so that the rest is left for the heap, the frontier and the
 * parent links. A fixed 128 MB table under a bound of 150 MB would leave the search a margin
 * smaller than the heap of some Node versions, and stop it at its first state. The size depends on
 * the bound alone, so the same request searches the same table everywhere.
 */
export function defaultLog2Bits(maxMemoryMB: number): number {
  return Math.min(30, Math.max(10, Math.floor(Math.log2(maxMemoryMB * 2 ** 20 * 2))));
}

function search(world: World, opts: BitstateExploreOptions): ApproximateResult {
  const bounds = { ...DEFAULT_BOUNDS, ...opts.bounds };
  const method: ApproximateMethod = opts.bitstate?.method ?? 'bitstate';
  const log2Bits = Math.min(32, Math.max(10, Math.floor(opts.bitstate?.log2Bits ?? defaultLog2Bits(bounds.maxMemoryMB))));
  const k = Math.min(8, Math.max(1, Math.floor(opts.bitstate?.hashes ?? 3)));
  const m = new Machine(world);
  const sym = new Symmetry(m);
  const useSymmetry = opts.symmetry !== false && sym.active;
  const dead = opts.deadRegisters !== false ? new DeadRegisters(m) : null;
  const canon = (s: Int32Array, t = -1) => {
    const live = dead ? (t < 0 ? dead.clear(s) : dead.clearThread(s, t)) : s;
    return useSymmetry ? sym.canonical(live) : live;
  };
  const reductions = ['state-deduplication', 'local-steps-merged', method, ...(useSymmetry ? ['symmetry'] : []), ...(dead ? ['dead-registers'] : [])];
  const started = performance.now();
  const n = m.threadCount;
  const width = m.layout.size;

  const limit = bounds.maxMemoryMB * 2 ** 20;
  // the signature table doubles at once: it grows only if the bound leaves room for the new table
  const visited: LossyVisited =
    method === 'hashcompact'
      ? new SignatureTable(width, (extra) => process.memoryUsage().heapUsed + bytes() + extra <= limit)
      : new BitTable(width, log2Bits, k);
  let logNoMiss = 0;

  const components = stateComponents(m);
  const tables = internTables(components);
  // The frontier holds tuples of component ids, so the step and enabledness memos apply as in
  // explore (tuple-steps.ts): a head's tuple is read, and its vector decoded only when a step or
  // enabledness is not remembered; a successor is canonicalised on its ids where symmetry works on
  // tuples (as stored without symmetry). `tuples: false` runs every step on vectors instead, with
  // no memo (the reference the specs hold this to). The visited bits and signatures are still those of the
  // canonical state vector (decoded from its tuple), so the table, and with it every state missed
  // or kept, is the one the search without memos fills.
  const codec = new TupleCodec(components, tables);
  const steps = opts.tuples !== false && (!useSymmetry || sym.tuples) ? new TupleSteps(m, useSymmetry ? sym : null, dead, codec, components.length) : null;
  const spill = opts.spill ?? null;
  let current = new LevelQueue(-1, tables, components, spill);
  let following = new LevelQueue(0, tables, components, spill);
  // per stored state: the parent's id and the decision (thread << 8 | choice) that reached it
  let parents = new Int32Array(1 << 16);
  let decisions = new Uint16Array(1 << 16);
  let stored = 0;
  const record = (parent: number, t: number, c: number) => {
    if (stored === parents.length) {
      const p = new Int32Array(parents.length * 2);
      p.set(parents);
      parents = p;
      const d = new Uint16Array(decisions.length * 2);
      d.set(decisions);
      decisions = d;
    }
    parents[stored] = parent;
    decisions[stored] = (t << 8) | c;
    stored++;
  };
  /** `tuple`: the state's tuple of component ids when known (it is not collapsed again) */
  const store = (s: Int32Array, tuple: Uint32Array | null, parent: number, t: number, c: number): boolean => {
    if (!visited.visit(s)) return false;
    logNoMiss += Math.log1p(-visited.missChance());
    if (tuple !== null) following.pushTuple(tuple);
    else following.push(s);
    record(parent, t, c);
    return true;
  };

  let transitions = 0;
  let endStates = 0;
  let maxDepth = 0;
  let boundHit: BoundName | null = null;
  let lastProgress = started;
  const bytes = (): number =>
    visited.bytes + current.bytes + following.bytes + parents.byteLength + decisions.byteLength + tables.reduce((a, t) => a + t.bytes, 0) + (steps?.bytes ?? 0);
  const finish = (verdict: ExplorationResult['verdict'], counterexample: Counterexample | null): ApproximateResult => {
    if (opts.stats) opts.stats.bytes = bytes();
    return {
      verdict,
      boundHit,
      statesStored: stored,
      transitions,
      schedules: endStates,
      maxDepth,
      elapsedMs: Math.round(performance.now() - started),
      reductions,
      counterexample,
      ...modelBoundsOf([m]),
      approximate: {
        method,
        log2Bits: visited.log2Bits,
        hashes: visited.hashes,
        signatureBits: method === 'hashcompact' ? SIGNATURE_BITS : null,
        hashFactor: 2 ** visited.log2Bits / Math.max(1, stored),
        fill: visited.fill,
        omissionProbability: -Math.expm1(logNoMiss),
      },
    };
  };
  /** The stored states from the initial state's successor to `id`, replayed from the decisions. */
  const pathTo = (id: number): Int32Array[] => {
    const ids: number[] = [];
    for (let x = id; x > 0; x = parents[x]) ids.push(x);
    ids.reverse();
    let s = canon(m.initialState()).slice();
    return ids.map((x) => {
      const next = s.slice();
      m.step(next, decisions[x] >> 8, decisions[x] & 0xff);
      s = canon(next, decisions[x] >> 8).slice();
      return s;
    });
  };

  /**
   * A step of the level's i-th head broke an invariant: the first of the level's heads after it
   * (read on from the frontier) that is an end state breaking one, one step shorter (end-state.ts).
   */
  const endStateAfter = (i: number, firstId: number): { head: number; invariant: string; message: string } | null => {
    const tuple = new Uint32Array(components.length);
    const held = new Uint32Array(components.length).fill(0xffffffff);
    // the frontier is read in order: the ids only count the heads
    const end = firstBrokenEndState(
      m,
      (_, v) => (steps !== null ? codec.decodeSince(current.nextTuple(tuple), v, held) : current.next(v)),
      i + 1,
      current.count,
    );
    return end && { head: firstId + end.id, invariant: end.invariant, message: end.message };
  };

  store(canon(m.initialState()), null, -1, 0, 0);
  current.reuse(1);
  [current, following] = [following, current];
  const s = new Int32Array(width);
  const next = new Int32Array(width);
  // on tuples: a successor's canonical tuple, and its vector (decoded from it: visited by its words)
  const canonTuple = new Uint32Array(components.length);
  const succ = new Int32Array(width);
  const succHeld = new Uint32Array(components.length).fill(0xffffffff);
  let firstId = 0;
  for (let depth = 0; current.count > 0; depth++) {
    const levelStored = stored;
    for (let i = 0; i < current.count; i++) {
      const head = firstId + i;
      if ((i & 1023) === 0) {
        steps?.fit(stored);
        const now = performance.now();
        if (opts.cancel?.cancelled) boundHit = 'cancelled';
        else if (now - started > bounds.maxSeconds * 1000) boundHit = 'time';
        else if (visited.full || ((i & 16383) === 0 && process.memoryUsage().heapUsed + bytes() > limit)) boundHit = 'memory';
        if (boundHit) return finish('inconclusive', null);
        if (opts.onProgress && now - lastProgress > 100) {
          lastProgress = now;
          opts.onProgress({ states: stored, transitions, depth, elapsedMs: now - started, statesPerSecond: (stored * 1000) / Math.max(1, now - started) });
        }
      }
      if (depth + 1 > bounds.maxDepth) {
        boundHit = 'depth';
        continue;
      }
      if (steps !== null) {
        current.nextTuple(steps.parentTuple);
        steps.begin();
      } else current.next(s);
      let anyRunnable = false;
      for (let t = 0; t < n; t++) {
        const kc = steps !== null ? steps.choices(t) : m.isRunnable(s, t) ? m.choiceCount(s, t) : -1;
        if (kc < 0) continue;
        anyRunnable = true;
        for (let c = 0; c < kc; c++) {
          transitions++;
          let fine: boolean;
          if (steps !== null) fine = steps.step(t, c);
          else {
            next.set(s);
            fine = m.step(next, t, c);
          }
          if (!fine) {
            const invariant = m.violation!.invariant;
            const end = endStateAfter(i, firstId);
            if (end) return finish('violated', counterexampleAlong(m, canon, pathTo(end.head), null, end.invariant, end.message));
            return finish('violated', counterexampleAlong(m, canon, pathTo(head), { thread: t, choice: c }, invariant));
          }
          let cn: Int32Array;
          if (steps !== null) {
            steps.canonical(canonTuple);
            cn = codec.decodeSince(canonTuple, succ, succHeld);
          } else cn = canon(next, t);
          // the bound stops only a state that would be new, as the exact search's does: a bound equal to
          // the reachable states ends `holds` in both
          if (stored >= bounds.maxStates && !visited.has(cn)) return ((boundHit = 'states'), finish('inconclusive', null));
          store(cn, steps !== null ? canonTuple : null, head, t, c);
        }
      }
      if (!anyRunnable) {
        endStates++;
        const end = endStateViolation(m, steps !== null ? steps.vector() : s);
        if (end) return finish('violated', counterexampleAlong(m, canon, pathTo(head), null, end.invariant, end.message));
      }
    }
    if (stored > levelStored) maxDepth = depth + 1;
    firstId += current.count;
    current.reuse(depth + 2);
    [current, following] = [following, current];
  }
  return finish(boundHit ? 'inconclusive' : 'holds', null);
}

/** A visited set that may take two states for one. */
interface LossyVisited {
  /** marks the state visited; whether it was new */
  visit(s: Int32Array): boolean;
  /** whether the state is taken for a visited one (leaves the table as it is) */
  has(s: Int32Array): boolean;
  /** the chance that a state stored next is taken for a visited one (the table's fill as it is now) */
  missChance(): number;
  readonly bytes: number;
  readonly log2Bits: number;
  readonly hashes: number;
  readonly fill: number;
  /** the table needed to grow and the memory bound did not leave room */
  readonly full: boolean;
}

/** Holzmann's bit table: k bits a state, by double hashing. */
class BitTable implements LossyVisited {
  private readonly bits: Int32Array;
  private readonly mask: number;
  private set = 0;
  readonly full = false;

  constructor(
    private readonly width: number,
    readonly log2Bits: number,
    readonly hashes: number,
  ) {
    this.bits = new Int32Array(2 ** (log2Bits - 5));
    this.mask = 2 ** Math.min(31, log2Bits) - 1;
  }

  get bytes(): number {
    return this.bits.byteLength;
  }

  get fill(): number {
    return this.set / 2 ** this.log2Bits;
  }

  missChance(): number {
    return this.fill ** this.hashes;
  }

  has(s: Int32Array): boolean {
    const h1 = hashRange(s, 0, this.width);
    const h2 = hashRange(s, 1, this.width - 1) | 1;
    for (let i = 0; i < this.hashes; i++) {
      const b = this.bitOf(h1, h2, i);
      if ((this.bits[b >>> 5] & (1 << (b & 31))) === 0) return false;
    }
    return true;
  }

  /** the i-th bit of a state, by double hashing */
  private bitOf(h1: number, h2: number, i: number): number {
    return this.log2Bits === 32 ? (h1 + Math.imul(i, h2)) >>> 0 : (h1 + Math.imul(i, h2)) & this.mask;
  }

  visit(s: Int32Array): boolean {
    const h1 = hashRange(s, 0, this.width);
    const h2 = hashRange(s, 1, this.width - 1) | 1;
    let fresh = false;
    for (let i = 0; i < this.hashes; i++) {
      const b = this.bitOf(h1, h2, i);
      const w = b >>> 5;
      const bit = 1 << (b & 31);
      if ((this.bits[w] & bit) === 0) {
        this.bits[w] |= bit;
        this.set++;
        fresh = true;
      }
    }
    return fresh;
  }
}

/**
 * Hash compaction: each visited state is a 64-bit signature (two independent 32-bit hashes) in an
 * open-addressing table, grown when half full. Distinct signatures never collide; two states are
 * taken for one only when their whole signatures are equal.
 */
/** (exported for its spec) */
export class SignatureTable implements LossyVisited {
  /** pairs (hi, lo); (0, 0) is a free slot, so a signature of (0, 0) is stored as (0, 1) */
  private slots = new Uint32Array(2 << 16);
  private used = 0;
  readonly hashes = 1;
  full = false;

  constructor(
    private readonly width: number,
    /** whether `extra` more bytes fit the memory bound */
    private readonly room: (extra: number) => boolean = () => true,
  ) {}

  get bytes(): number {
    return this.slots.byteLength;
  }

  get log2Bits(): number {
    return Math.log2(this.slots.length * 32);
  }

  get fill(): number {
    return this.used / (this.slots.length / 2);
  }

  missChance(): number {
    return this.used / 2 ** SIGNATURE_BITS;
  }

  has(s: Int32Array): boolean {
    const [hi, lo] = this.signature(s);
    const i = slotOf(this.slots, hi, lo);
    return this.slots[2 * i] !== 0 || this.slots[2 * i + 1] !== 0;
  }

  private signature(s: Int32Array): [number, number] {
    const hi = hashRange(s, 0, this.width) >>> 0;
    const lo = otherHash(s, this.width) >>> 0;
    return [hi, hi === 0 && lo === 0 ? 1 : lo];
  }

  visit(s: Int32Array): boolean {
    const [hi, lo] = this.signature(s);
    if (!this.insert(this.slots, hi, lo)) return false;
    this.used++;
    if (this.used * 2 > this.slots.length / 2 && !this.full) {
      // past half full: grow, or, with no room for the doubled table, say so (the search stops at its memory bound)
      if (this.room(this.slots.byteLength * 2)) this.grow();
      else this.full = true;
    }
    return true;
  }

  private insert(slots: Uint32Array, hi: number, lo: number): boolean {
    const i = slotOf(slots, hi, lo);
    if (slots[2 * i] !== 0 || slots[2 * i + 1] !== 0) return false;
    slots[2 * i] = hi;
    slots[2 * i + 1] = lo;
    return true;
  }

  private grow(): void {
    const old = this.slots;
    const slots = new Uint32Array(old.length * 2);
    for (let i = 0; i < old.length; i += 2) if (old[i] !== 0 || old[i + 1] !== 0) this.insert(slots, old[i], old[i + 1]);
    this.slots = slots;
  }
}

/** The slot holding the signature (hi, lo), or the free slot where it would go (linear probing). */
function slotOf(slots: Uint32Array, hi: number, lo: number): number {
  const mask = slots.length / 2 - 1;
  for (let i = (lo ^ Math.imul(hi, 0x9e3779b1)) & mask; ; i = (i + 1) & mask) {
    const a = slots[2 * i];
    const b = slots[2 * i + 1];
    if ((a === 0 && b === 0) || (a === hi && b === lo)) return i;
  }
}

/** A second 32-bit hash of a state, independent of hashRange's (FNV-1a over the words, then a murmur finaliser). */
function otherHash(s: Int32Array, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < n; i++) {
    const w = s[i];
    h = Math.imul(h ^ (w & 0xffff), 0x01000193);
    h = Math.imul(h ^ (w >>> 16), 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return h ^ (h >>> 16);
}
