import { Machine } from '@mmreplay/engine';
import type { World } from '@mmreplay/model';
import {
  DEFAULT_BOUNDS,
  counterexampleAlong,
  stateComponents,
  type BoundName,
  type Counterexample,
  type ExplorationResult,
  type ExploreOptions,
} from './explorer.js';
import { Symmetry } from './symmetry.js';
import { DeadRegisters } from './dead-registers.js';
import { hashRange, internTables } from './state-store.js';
import { LevelQueue, type SpillOptions } from './frontier.js';

// Bitstate hashing (Holzmann's supertrace, SPIN's -DBITSTATE) for configurations whose visited set
// does not fit: a visited state is `hashes` bits in a table of 2^log2Bits bits, not the state. Two
// states whose bits coincide are taken for one, so a state may be missed: a `holds` is then
// approximate, and says with what probability a state was missed. Memory holds the bit table, the
// breadth-first frontier (two levels of collapse-compressed states; with a spill port, at most
// `maxInMemory` states of each, the rest on disk: frontier.ts) and, per visited state, its parent
// and the decision that reached it (6 bytes), from which a counterexample is replayed.

export interface BitstateOptions {
  /** the table has 2^log2Bits bits (SPIN's -w); default 30 (128 MB) */
  readonly log2Bits?: number;
  /** bits set per state (SPIN's -k); default 3 */
  readonly hashes?: number;
}

export interface Approximation {
  readonly method: 'bitstate';
  readonly log2Bits: number;
  readonly hashes: number;
  /** table bits per stored state (SPIN's "hash factor", best if > 100) */
  readonly hashFactor: number;
  /** fraction of the table's bits set at the end */
  readonly fill: number;
  /**
   * The probability that some reached state was taken for a visited one and not explored: for
   * each stored state, the chance that its bits were all set already (fill^k when it was stored,
   * Holzmann's estimate), combined over the states.
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

function search(world: World, opts: BitstateExploreOptions): ApproximateResult {
  const bounds = { ...DEFAULT_BOUNDS, ...opts.bounds };
  const log2Bits = Math.min(32, Math.max(10, Math.floor(opts.bitstate?.log2Bits ?? 30)));
  const k = Math.min(8, Math.max(1, Math.floor(opts.bitstate?.hashes ?? 3)));
  const m = new Machine(world);
  const sym = new Symmetry(m);
  const useSymmetry = opts.symmetry !== false && sym.active;
  const dead = opts.deadRegisters !== false ? new DeadRegisters(m) : null;
  const canon = (s: Int32Array, t = -1) => {
    const live = dead ? (t < 0 ? dead.clear(s) : dead.clearThread(s, t)) : s;
    return useSymmetry ? sym.canonical(live) : live;
  };
  const reductions = ['state-deduplication', 'local-steps-merged', 'bitstate', ...(useSymmetry ? ['symmetry'] : []), ...(dead ? ['dead-registers'] : [])];
  const started = performance.now();
  const n = m.threadCount;
  const width = m.layout.size;

  const bits = new Int32Array(2 ** (log2Bits - 5));
  const mask = 2 ** Math.min(31, log2Bits) - 1;
  let bitsSet = 0;
  let logNoMiss = 0;
  /** Sets the state's bits; returns whether some was clear (a new state). */
  const visit = (s: Int32Array): boolean => {
    const h1 = hashRange(s, 0, width);
    const h2 = hashRange(s, 1, width - 1) | 1;
    let fresh = false;
    for (let i = 0; i < k; i++) {
      const b = log2Bits === 32 ? (h1 + Math.imul(i, h2)) >>> 0 : (h1 + Math.imul(i, h2)) & mask;
      const w = b >>> 5;
      const bit = 1 << (b & 31);
      if ((bits[w] & bit) === 0) {
        bits[w] |= bit;
        bitsSet++;
        fresh = true;
      }
    }
    return fresh;
  };

  const components = stateComponents(m);
  const tables = internTables(components);
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
  const store = (s: Int32Array, parent: number, t: number, c: number): boolean => {
    if (!visit(s)) return false;
    const fill = bitsSet / 2 ** log2Bits;
    logNoMiss += Math.log1p(-(fill ** k));
    following.push(s);
    record(parent, t, c);
    return true;
  };

  let transitions = 0;
  let endStates = 0;
  let maxDepth = 0;
  let boundHit: BoundName | null = null;
  let lastProgress = started;
  const bytes = () => bits.byteLength + current.bytes + following.bytes + parents.byteLength + decisions.byteLength + tables.reduce((a, t) => a + t.bytes, 0);
  const finish = (verdict: ExplorationResult['verdict'], counterexample: Counterexample | null): ApproximateResult => {
    if (opts.stats) opts.stats.bytes = bytes();
    const fill = bitsSet / 2 ** log2Bits;
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
      approximate: {
        method: 'bitstate',
        log2Bits,
        hashes: k,
        hashFactor: 2 ** log2Bits / Math.max(1, stored),
        fill,
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

  store(canon(m.initialState()), -1, 0, 0);
  current.reuse(1);
  [current, following] = [following, current];
  const s = new Int32Array(width);
  const next = new Int32Array(width);
  let firstId = 0;
  for (let depth = 0; current.count > 0; depth++) {
    const levelStored = stored;
    for (let i = 0; i < current.count; i++) {
      const head = firstId + i;
      if ((i & 1023) === 0) {
        const now = performance.now();
        if (opts.cancel?.cancelled) boundHit = 'cancelled';
        else if (now - started > bounds.maxSeconds * 1000) boundHit = 'time';
        else if ((i & 16383) === 0 && process.memoryUsage().heapUsed + bytes() > bounds.maxMemoryMB * 2 ** 20) boundHit = 'memory';
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
      current.next(s);
      let anyRunnable = false;
      for (let t = 0; t < n; t++) {
        if (!m.isRunnable(s, t)) continue;
        anyRunnable = true;
        for (let c = 0, kc = m.choiceCount(s, t); c < kc; c++) {
          next.set(s);
          transitions++;
          if (!m.step(next, t, c)) {
            const invariant = m.violation!.invariant;
            return finish('violated', counterexampleAlong(m, canon, pathTo(head), { thread: t, choice: c }, invariant));
          }
          if (stored >= bounds.maxStates) return ((boundHit = 'states'), finish('inconclusive', null));
          store(canon(next, t), head, t, c);
        }
      }
      if (!anyRunnable) {
        endStates++;
        const end = m.endState(s);
        const enabled = world.invariants.includes(end.violation?.invariant ?? '');
        if (end.violation && (end.outcome === 'violation' || enabled)) {
          return finish('violated', counterexampleAlong(m, canon, pathTo(head), null, end.violation.invariant, end.violation.message));
        }
      }
    }
    if (stored > levelStored) maxDepth = depth + 1;
    firstId += current.count;
    current.reuse(depth + 2);
    [current, following] = [following, current];
  }
  return finish(boundHit ? 'inconclusive' : 'holds', null);
}
