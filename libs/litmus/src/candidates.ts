import type { Skeleton } from './execution.js';
import { LitmusBoundError, UnsupportedConstructError } from './errors.js';
import { Rel } from './relation.js';
import { valueEquals } from './ast.js';

/** One candidate execution's reads-from and coherence order (lock events included). */
export interface Candidate {
  readonly rf: Rel;
  readonly co: Rel;
  /** Per location, its writes in coherence order (the initial write first). */
  readonly coOrder: ReadonlyMap<string, readonly number[]>;
}

/** One independent choice: a read's source, a location's write order, a lock's hand-over order. */
interface Option {
  readonly rf: readonly (readonly [number, number])[];
  readonly chain?: { readonly loc: string; readonly order: readonly number[] };
}

const MAX_CANDIDATES_PER_SKELETON = 2_000_000;

/**
 * Every candidate execution of a skeleton (herd's `rf` × `co`, with lock.cat's construction of
 * the lock events' `co` and `rf`). A read may read any write of its location with the value it
 * was guessed to read, except a write later in its own process (coherence would forbid it); a
 * location's writes are ordered consistently with each process's program order (the same).
 * Returns no candidate when some read has no write to read from, or when lock.cat's
 * `unmatched-locks` / `lock-nest` checks fail on the skeleton alone.
 */
export function* candidates(sk: Skeleton, lockLocations: ReadonlySet<string>): Generator<Candidate> {
  const dims: Option[][] = [];
  const byLoc = new Map<string, number[]>();
  for (const e of sk.events) if (e.loc !== undefined) (byLoc.get(e.loc) ?? byLoc.set(e.loc, []).get(e.loc)!).push(e.id);
  for (const [loc, ids] of byLoc) {
    const evs = ids.map((i) => sk.events[i]);
    const init = evs.find((e) => e.init)!.id;
    if (lockLocations.has(loc)) {
      const lockDims = lockOptions(sk, loc, init, ids);
      if (!lockDims) return;
      dims.push(...lockDims);
      continue;
    }
    const writes = evs.filter((e) => e.kind === 'W' && !e.init);
    dims.push(
      interleavings(groupByThread(writes.map((e) => ({ id: e.id, thread: e.thread })))).map((order) => ({ rf: [], chain: { loc, order: [init, ...order] } })),
    );
    for (const r of evs.filter((e) => e.kind === 'R')) {
      const sources = evs.filter((w) => w.kind === 'W' && valueEquals(w.value!, r.value!) && !(w.thread === r.thread && w.id > r.id));
      if (sources.length === 0) return;
      dims.push(sources.map((w) => ({ rf: [[w.id, r.id] as const] })));
    }
  }
  let total = 1;
  for (const d of dims) total *= d.length;
  if (total > MAX_CANDIDATES_PER_SKELETON) throw new LitmusBoundError(`more than ${MAX_CANDIDATES_PER_SKELETON} candidate executions for one choice of paths`);
  const pick = dims.map(() => 0);
  for (;;) {
    const rf = new Rel(sk.n);
    const co = new Rel(sk.n);
    const coOrder = new Map<string, number[]>();
    dims.forEach((d, k) => {
      const o = d[pick[k]];
      for (const [w, r] of o.rf) rf.add(w, r);
      if (o.chain) {
        coOrder.set(o.chain.loc, [...o.chain.order]);
        const c = o.chain.order;
        for (let i = 0; i < c.length; i++) for (let j = i + 1; j < c.length; j++) co.add(c[i], c[j]);
      }
    });
    yield { rf, co, coOrder };
    let k = dims.length - 1;
    while (k >= 0 && pick[k] + 1 >= dims[k].length) pick[k--] = 0;
    if (k < 0) return;
    pick[k]++;
  }
}

/**
 * lock.cat for one spinlock: critical sections (a lock write and the next unlock of its process)
 * follow one another in `co`, at most one lock write is never unlocked (and is last), a lock read
 * reads from the write just before its lock write (the initial value or an unlock), a failed
 * trylock or a true spin_is_locked reads from a lock write (its own, inside its critical
 * section, or another process's), and a false spin_is_locked from an unlock or the initial value.
 */
function lockOptions(sk: Skeleton, loc: string, init: number, ids: number[]): Option[][] | undefined {
  const evs = ids.map((i) => sk.events[i]).filter((e) => !e.init);
  const lkws = evs.filter((e) => e.lock === 'LKW');
  const unlockOf = new Map<number, number>();
  const lkrOf = new Map<number, number>();
  for (const e of evs) {
    if (e.lock === 'LKR') {
      const w = evs.find((x) => x.lock === 'LKW' && x.id > e.id && x.thread === e.thread)!;
      lkrOf.set(w.id, e.id);
    }
  }
  // critical: each LKW to the next UL of its process with no LKW/UL of that lock in between.
  for (const e of evs) {
    if (e.lock !== 'UL') continue;
    const before = evs.filter((x) => x.thread === e.thread && x.id < e.id && (x.lock === 'LKW' || x.lock === 'UL'));
    const last = before[before.length - 1];
    if (!last || last.lock !== 'LKW') throw new UnsupportedConstructError(`spin_unlock(${loc}) without a matching spin_lock`, e.line);
    unlockOf.set(last.id, e.id);
  }
  // lock-nest: a process that takes the lock again without releasing it deadlocks (no execution).
  for (const w of lkws) {
    const u = unlockOf.get(w.id);
    if (evs.some((x) => x.lock === 'LKR' && x.thread === w.thread && x.id > w.id && (u === undefined || x.id < u))) return undefined;
  }
  const unmatched = lkws.filter((w) => !unlockOf.has(w.id));
  if (unmatched.length > 1) return undefined;
  const dims: Option[][] = [];
  const orders = interleavings(groupByThread(lkws.map((e) => ({ id: e.id, thread: e.thread })))).filter(
    (o) => unmatched.length === 0 || o[o.length - 1] === unmatched[0].id,
  );
  dims.push(
    orders.map((order) => {
      const chain = [init];
      const rf: [number, number][] = [];
      for (const w of order) {
        rf.push([chain[chain.length - 1], lkrOf.get(w)!]);
        chain.push(w);
        const u = unlockOf.get(w);
        if (u !== undefined) chain.push(u);
      }
      return { rf, chain: { loc, order: chain } };
    }),
  );
  for (const e of evs) {
    if (e.lock === 'LF' || e.lock === 'RL') {
      const own = ownCriticalSection(evs, e, unlockOf);
      if (own !== undefined) continue; // rfi-lf below
      const sources = lkws.filter((w) => w.thread !== e.thread);
      if (sources.length === 0) return undefined;
      dims.push(sources.map((w) => ({ rf: [[w.id, e.id] as const] })));
    }
    if (e.lock === 'RU') {
      const sources = [init, ...evs.filter((u) => u.lock === 'UL' && u.thread !== e.thread).map((u) => u.id)];
      dims.push(sources.map((s) => ({ rf: [[s, e.id] as const] })));
    }
  }
  // Forced edges: rfi-lf (a failed trylock inside one's own critical section) and rfi-ru.
  const forced: [number, number][] = [];
  for (const e of evs) {
    if (e.lock === 'LF' || e.lock === 'RL') {
      const own = ownCriticalSection(evs, e, unlockOf);
      if (own !== undefined) forced.push([own, e.id]);
    }
    if (e.lock === 'RU') {
      const before = evs.filter((x) => x.thread === e.thread && x.id < e.id && (x.lock === 'UL' || x.lock === 'LKW'));
      const last = before[before.length - 1];
      if (last && last.lock === 'UL') forced.push([last.id, e.id]);
    }
  }
  if (forced.length > 0) dims.push([{ rf: forced }]);
  return dims;
}

function ownCriticalSection(
  evs: readonly { id: number; thread: number; lock?: string }[],
  e: { id: number; thread: number },
  unlockOf: ReadonlyMap<number, number>,
): number | undefined {
  const before = evs.filter((x) => x.thread === e.thread && x.id < e.id && (x.lock === 'LKW' || x.lock === 'UL'));
  const last = before[before.length - 1];
  if (!last || last.lock !== 'LKW') return undefined;
  const u = unlockOf.get(last.id);
  return u === undefined || u > e.id ? last.id : undefined;
}

function groupByThread(xs: readonly { id: number; thread: number }[]): number[][] {
  const m = new Map<number, number[]>();
  for (const x of xs) (m.get(x.thread) ?? m.set(x.thread, []).get(x.thread)!).push(x.id);
  return [...m.values()];
}

/** Every merge of the sequences that keeps each one's order (refused beyond the bound, before building them). */
function interleavings(seqs: number[][]): number[][] {
  let count = 1;
  let n = 0;
  for (const s of seqs) {
    for (let k = 1; k <= s.length; k++) count = (count * ++n) / k;
    if (count > MAX_CANDIDATES_PER_SKELETON) throw new LitmusBoundError(`more than ${MAX_CANDIDATES_PER_SKELETON} coherence orders for one location`);
  }
  return merges(seqs);
}

function merges(seqs: number[][]): number[][] {
  const live = seqs.filter((s) => s.length > 0);
  if (live.length === 0) return [[]];
  const out: number[][] = [];
  live.forEach((s, i) => {
    const rest = live.map((t, j) => (j === i ? t.slice(1) : t));
    for (const tail of merges(rest)) out.push([s[0], ...tail]);
  });
  return out;
}
