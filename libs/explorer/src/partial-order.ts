import { invariantBit } from '@mmreplay/model';
import type { Machine } from '@mmreplay/engine';
import { conflicts, futureFootprints, nextFootprint, opFootprints, ptlReleases, R, type Footprint } from './footprint.js';

/**
 * Ample sets (Peled; Godefroid's persistent sets), chosen as one thread at a time. Thread t's next
 * step forms an ample set when
 *  - it conflicts with nothing any other unfinished thread may still do (C1: no dependent step
 *    can happen first on any path, judged by each thread's reachable future, not only its next
 *    step, so threads that are asleep or spinning now are accounted for);
 *  - it cannot change an invariant checked on states (C2: it writes no PTE, lock bit or freed
 *    state while I1 or I3 is audited, nothing a user invariant's predicate reads, and is not a step
 *    of a thread whose own state such a predicate reads); checks made inside a step are assertions
 *    of that step and are kept by the dependency relation like any read;
 *  - and, applied by the explorer, none of its successors is already visited (C3: every cycle of
 *    the reduced graph has a fully expanded state, so no thread is postponed forever).
 * Why ample sets rather than DPOR: the search is stateful breadth-first (shortest counterexample,
 * symmetry canonicalisation), and stateless DPOR does not combine simply with either.
 */
export class PartialOrder {
  private readonly ops: Footprint[];
  private readonly future: Footprint[][];
  private readonly futureUnlocked: Footprint[][];
  /** per thread and pc: whether the thread may release a PTL before it next spins on one (ptlReleases) */
  private readonly releases: boolean[][];
  private readonly singlePtl: boolean;
  private readonly visibleWrites: number;
  private readonly visibleThreads: readonly boolean[];

  constructor(private readonly m: Machine) {
    this.ops = opFootprints(m);
    this.future = m.paths.map((p) => futureFootprints(p, this.ops));
    this.futureUnlocked = m.paths.map((p) => futureFootprints(p, this.ops, true));
    const releaseOps = ptlReleases(m);
    this.releases = m.paths.map((p) => futureFootprints(p, releaseOps, true).map((f) => f.write !== 0));
    this.singlePtl = m.world.ptls.length === 1;
    const stateInvariants = invariantBit('I1') | invariantBit('I3');
    // C2 for user invariants: what their predicates read is visible, a thread's own state (pc,
    // registers, status) included, which every step of that thread changes.
    this.visibleWrites = ((m.enabled & stateInvariants) !== 0 ? R.pte | R.lock | R.free : 0) | m.user.reads.classes;
    this.visibleThreads = m.user.reads.threads;
  }

  /** A thread whose next step alone may be explored from s, or -1 to explore every thread. */
  ample(s: Int32Array): number {
    const m = this.m;
    const n = m.threadCount;
    for (let t = 0; t < n; t++) {
      if (!m.isRunnable(s, t) || this.visibleThreads[t]) continue;
      const fp = nextFootprint(m, this.ops, s, t);
      if ((fp.write & this.visibleWrites) !== 0) continue;
      // While t holds the only PTL, no other thread gets past its next spin_lock before t's
      // step: only what the others may do until then can come first. That premise needs that no
      // other thread may release the lock t holds first (a variant's stray spin_unlock): reductions
      // fuzzing, seeds 898 and 13740, where partial order with symmetry lost a BUG_ON this way.
      const future = this.singlePtl && s[m.layout.ptl(0)] === t + 1 && !this.anotherMayRelease(s, t) ? this.futureUnlocked : this.future;
      let independent = true;
      for (let u = 0; u < n && independent; u++) {
        if (u === t || m.isFinished(s, u)) continue;
        if (conflicts(fp, this.futureOf(future, s, u))) independent = false;
      }
      if (independent) return t;
    }
    return -1;
  }

  /** What thread u may still do: its future from its pc, and the release it has issued but not performed (lkmm). */
  private futureOf(future: Footprint[][], s: Int32Array, u: number): Footprint {
    const f = future[u][this.m.pcOf(s, u)];
    const r = this.m.pendingReleaseOp(s, u);
    if (r < 0) return f;
    const p = this.ops[r];
    return { read: f.read | p.read, write: f.write | p.write };
  }

  private anotherMayRelease(s: Int32Array, t: number): boolean {
    const m = this.m;
    for (let u = 0; u < m.threadCount; u++) {
      if (u === t || m.isFinished(s, u)) continue;
      if (this.releases[u][m.pcOf(s, u)]) return true;
      // (a PTL unlock it has issued and not performed yet: lkmm, Machine.performRelease)
      const r = m.pendingReleaseOp(s, u);
      if (r >= 0 && (this.ops[r].write & R.ptl) !== 0) return true;
    }
    return false;
  }
}
