import type { Skeleton } from './execution.js';
import { Rel, setComplement, setMinus, setUnion, type EventSet } from './relation.js';

/** The checks of the LKMM, by the names `linux-kernel.cat` gives them. */
export type Axiom = 'coherence' | 'atomic' | 'happens-before' | 'propagation' | 'rcu' | 'plain-coherence';

export interface Verdict {
  /** The execution satisfies every check of the model. */
  readonly allowed: boolean;
  /** The first check it fails, in the order the model states them. */
  readonly failed?: Axiom;
  /** The `data-race` flag: two conflicting accesses, at least one plain, not ordered. */
  readonly dataRace: boolean;
}

/**
 * Decides one candidate execution under the Linux-kernel memory model: the relations and checks
 * of tools/memory-model's `linux-kernel.bell` and `linux-kernel.cat` (with `lock.cat`), computed
 * over the execution's events. Each `let` below carries the name of the model's relation it
 * computes; docs/memory-model.md lists them with their meaning.
 *
 * `rf` and `co` already include the lock events (lock.cat: a lock read reads from the unlock
 * that precedes its lock write in `co`; unlocks follow their lock writes in `co`).
 */
export function checkLkmm(sk: Skeleton, rf: Rel, co: Rel): Verdict {
  const { n, sets: S, po, int } = sk;
  const id = Rel.id(n);
  const br = (s: EventSet) => Rel.id(n, s);
  const fencerel = (s: EventSet) => po.restrict(undefined, s).seq(po);
  const ext = Rel.fromPredicate(n, (a, b) => !int.has(a, b));

  // --- Sets: lock events join R/W, UL is a release, LKR an acquire (lock.cat) ---
  const LKR = S.lock('LKR');
  const LKW = S.lock('LKW');
  const UL = S.lock('UL');
  const LF = setUnion(S.lock('LF'), S.lock('RL'));
  const RU = S.lock('RU');
  const { M, R, W, IW } = S;
  const Release = setUnion(S.release, UL);
  const Acquire = setUnion(S.acquire, LKR);
  const rmwBell = sk.rmw;
  const RMW = setUnion(rmwBell.domain(), rmwBell.range());
  const rmw = rmwBell.union(sk.lkRmw);
  // Marked: non-memory events, initial writes, once/acquire/release, atomic RMWs, lock events.
  const Marked = setUnion(setComplement(M), IW, S.once, Release, Acquire, RMW, LKR, LKW, UL, LF, RU);
  const Plain = setMinus(M, Marked);
  const Noreturn = S.noreturn;
  const R4rmb = setMinus(R, Noreturn);

  // --- Coherence: SC per variable (cat: `coherence`) and RMW atomicity (cat: `atomic`) ---
  const fr = rf.inverse().seq(co);
  const com = rf.union(co, fr);
  const poLoc = po.inter(sk.loc);
  if (!poLoc.union(com).isAcyclic()) return { allowed: false, failed: 'coherence', dataRace: false };
  const rfe = rf.inter(ext);
  const rfi = rf.inter(int);
  const coe = co.inter(ext);
  const fre = fr.inter(ext);
  if (!rmw.inter(fre.seq(coe)).isEmpty()) return { allowed: false, failed: 'atomic', dataRace: false };

  // --- Dependencies carried through plain accesses (bell: carry-dep = (data ; rfi)*) ---
  const carryDep = sk.data.seq(rfi).star();
  const addr = carryDep.seq(sk.addr);
  const ctrl = carryDep.seq(sk.ctrl);
  const data = carryDep.seq(sk.data);

  // --- Release/acquire, lock hand-over, fences ---
  const acqPo = br(Acquire).seq(po).restrict(undefined, M);
  const poRel = po.restrict(M, Release);
  const poUnlockLockPo = Rel.seqs(po, br(UL), po.union(rf), br(LKR), po);
  const rmb = fencerel(S.fence('rmb')).restrict(R4rmb, R4rmb);
  const wmb = fencerel(S.fence('wmb')).restrict(W, W);
  const mb = fencerel(S.fence('mb'))
    .restrict(M, M)
    .union(
      Rel.seqs(fencerel(S.fence('before-atomic')), br(RMW), po.opt()).restrict(M, M),
      Rel.seqs(po.opt(), br(RMW), fencerel(S.fence('after-atomic'))).restrict(M, M),
      Rel.seqs(po.opt(), br(LKW), fencerel(S.fence('after-spinlock'))).restrict(M, M),
      Rel.seqs(poUnlockLockPo, br(S.fence('after-unlock-lock')), po).restrict(M, M),
    );
  const gp = Rel.seqs(po, br(S.fence('sync-rcu')), po.opt());
  const strongFence = mb.union(gp);
  const nonrwFence = strongFence.union(poRel, acqPo);
  const fence = nonrwFence.union(wmb, rmb);

  // --- Preserved program order (cat: ppo = to-r | to-w | fence | po-unlock-lock-po & int) ---
  const dep = addr.union(data);
  const rwdep = dep.union(ctrl).restrict(undefined, W);
  const overwrite = co.union(fr);
  const toW = rwdep.union(overwrite.inter(int), Rel.seqs(addr, br(Plain), wmb));
  const toR = addr.union(Rel.seqs(dep, br(Marked), rfi));
  const ppo = toR.union(toW, fence, poUnlockLockPo.inter(int));

  // --- Propagation: cumulativity of strong fences, releases and wmb (cat: cumul-fence, prop) ---
  const aCumul = (r: Rel) => rfe.restrict(undefined, Marked).opt().seq(r);
  const rmwSequence = rf.seq(rmw).star();
  const cumulFence = aCumul(strongFence.union(poRel)).union(wmb, poUnlockLockPo).restrict(Marked, Marked).seq(rmwSequence);
  const prop = Rel.seqs(br(Marked), overwrite.inter(ext).opt(), cumulFence.star(), br(Marked), rfe.opt()).restrict(undefined, Marked);

  // --- Happens-before (cat: hb, acyclic) ---
  const hb = ppo.union(rfe, prop.minus(id).inter(int)).restrict(Marked, Marked);
  const hbStar = hb.star();
  if (!hb.isAcyclic()) return { allowed: false, failed: 'happens-before', dataRace: false };

  // --- Propagation before (cat: pb, acyclic): each non-rf link needs a strong fence ---
  const pb = Rel.seqs(prop, strongFence, hbStar).restrict(undefined, Marked);
  const pbStar = pb.star();
  if (!pb.isAcyclic()) return { allowed: false, failed: 'propagation', dataRace: false };

  // --- RCU (cat: rcu-link, rcu-order, rcu-fence, rb irreflexive) ---
  const rcuGp = br(S.fence('sync-rcu'));
  const rcuRscsi = sk.rcuRscs.inverse();
  const rcuLink = Rel.seqs(po.opt(), hbStar, pbStar, prop, po);
  let rcuOrder = new Rel(n);
  if (!rcuGp.isEmpty()) {
    const gpLink = rcuGp.seq(rcuLink);
    const rscsiLink = rcuRscsi.seq(rcuLink);
    const base = rcuGp.union(gpLink.seq(rcuRscsi), rscsiLink.seq(rcuGp));
    rcuOrder = base;
    // Least fixpoint of the recursive definition.
    for (;;) {
      const next = base.union(
        Rel.seqs(gpLink, rcuOrder, rcuLink, rcuRscsi),
        Rel.seqs(rscsiLink, rcuOrder, rcuLink, rcuGp),
        Rel.seqs(rcuOrder, rcuLink, rcuOrder),
      );
      if (next.equals(rcuOrder)) break;
      rcuOrder = next;
    }
  }
  const rcuFence = Rel.seqs(po, rcuOrder, po.opt());
  const fence2 = fence.union(rcuFence);
  const strongFence2 = strongFence.union(rcuFence);
  const rb = Rel.seqs(prop, rcuFence, hbStar, pbStar).restrict(undefined, Marked);
  if (!rb.isIrreflexive()) return { allowed: false, failed: 'rcu', dataRace: false };

  // --- Plain accesses: plain-coherence (a check) and data-race (a flag) ---
  if (Plain.every((x) => x === 0)) return { allowed: true, dataRace: false };
  const xbstar = hb.union(pb, rb).star();
  const vis = Rel.seqs(cumulFence.star(), rfe.opt(), br(Marked), Rel.seqs(strongFence2, br(Marked), xbstar).union(xbstar.inter(int)));
  const notNoreturn = setComplement(Noreturn);
  const rmbRel = fencerel(S.fence('rmb'));
  const wPreBounded = br(Marked).seq(addr.union(fence2).opt());
  const rPreBounded = br(Marked).seq(addr.union(nonrwFence, rmbRel.restrict(R4rmb, notNoreturn)).opt());
  const wPostBounded = Rel.seqs(fence2.opt(), br(Marked), rmwSequence);
  const rPostBounded = nonrwFence.union(rmbRel.restrict(notNoreturn, R4rmb)).opt().seq(br(Marked));
  const wwVis = fence2.union(Rel.seqs(strongFence2, xbstar, wPreBounded), Rel.seqs(wPostBounded, vis, wPreBounded));
  const wrVis = fence2.union(Rel.seqs(strongFence2, xbstar, rPreBounded), Rel.seqs(wPostBounded, vis, rPreBounded));
  const rwXbstar = fence2.union(Rel.seqs(rPostBounded, xbstar, wPreBounded));
  const preRace = ext.inter(Rel.product(n, Plain, M).union(Rel.product(n, setMinus(M, IW), Plain)));
  const wrIncoh = preRace.inter(rf).inter(rwXbstar.inverse());
  const rwIncoh = preRace.inter(fr).inter(wrVis.inverse());
  const wwIncoh = preRace.inter(co).inter(wwVis.inverse());
  if (!wrIncoh.union(rwIncoh, wwIncoh).isEmpty()) return { allowed: false, failed: 'plain-coherence', dataRace: false };
  const wwNonrace = wwVis.inter(Rel.product(n, Marked, W).union(rwXbstar)).inter(Rel.product(n, W, Marked).union(wrVis));
  const wwRace = preRace.inter(co).minus(wwNonrace);
  const wrRace = preRace.inter(co.opt().seq(rf)).minus(wrVis).minus(rwXbstar.inverse());
  const rwRace = preRace.inter(fr).minus(rwXbstar);
  const dataRace = !wwRace.union(wrRace, rwRace).isEmpty();
  return { allowed: true, dataRace };
}
