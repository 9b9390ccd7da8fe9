import { describe, expect, it } from 'vitest';
import { lkmmOutcomes } from './engine-programs.js';
import { checkerAndHerd, scenario, searchDocument, twin } from './scenario-twins.js';

// docs/memory-model.md, "The kernel's locks: acquires and releases": a PTL's spin_lock() (a lock
// read, lock.cat LKR, an acquire) goes before an issued scenario release that is no unlock
// (folio_ref_unfreeze(), folio_unlock(), up_read()/up_write()): the LKMM orders a release before
// a later lock only through po-unlock-lock-po, which needs an unlock (UL: a spin_unlock()).
// examples/scenarios/lkmm-release-lb-ptl-lock.yaml is LB with a refcount freeze section before a
// PTL section: its weak outcome needs the PTL's lock to run before the unfreeze, which waits for
// the load before it. These cases failed on the engine before issue 16's PTL-lock-after-release
// session, which held the PTL's lock back until the release had performed: it missed exactly the
// weak outcome and reported `release`. The guard (lkmm-release-mp-ptl-lock.yaml: MP through the
// PTL, the store before the release read in the next holder's section: Never) stays unreached; it
// failed on a mutant whose PTL unlock passed the issued release as the lock does, publishing
// nothing. release-lock-twins.spec.ts's guard (a spin_lock() after a PTL's spin_unlock(): Never)
// failed on a mutant whose PTL lock passed that unlock too (po-unlock-lock-po).

/** The release before the PTL's lock (folio_ref_unfreeze() in the documents) with the section it ends. */
const RELEASES: [string, (yaml: string) => string][] = [
  ['folio_ref_unfreeze', (y) => y],
  ['folio_unlock', (y) => y.replace('op: ref_freeze, args: [lk, 0, ok]', 'op: lock_page, args: [lk]').replace('op: ref_unfreeze, args: [lk, 0]', 'op: unlock_page, args: [lk]')],
  ['up_read', (y) => y.replace('op: ref_freeze, args: [lk, 0, ok]', 'op: rmap_lock, args: [lk, 0]').replace('op: ref_unfreeze, args: [lk, 0]', 'op: rmap_unlock, args: [lk, 0]')],
  ['up_write', (y) => y.replace('op: ref_freeze, args: [lk, 0, ok]', 'op: rmap_lock, args: [lk, 1]').replace('op: ref_unfreeze, args: [lk, 0]', 'op: rmap_unlock, args: [lk, 1]')],
];

/** Whether a final state has every value of the twin's `exists` clause. */
const weak = (values: string[]) => (o: string) => values.every((v) => o.split(' ').includes(v));

describe("a PTL's spin_lock() after an issued scenario release that is no unlock, as in the LKMM", () => {
  it.each(['lkmm-release-lb-ptl-lock', 'lkmm-release-mp-ptl-lock'])("%s: the LKMM checker's answer is herd7 7.56's", (name) => {
    const { checker, herd } = checkerAndHerd(name);
    expect(checker).toBe(herd);
  });

  it.each(RELEASES)('%s, then spin_lock(ptl) (LB): the engine reaches exactly the final states of the twin, the weak one included, and reports no `release`', (_r, swap) => {
    const all = [...lkmmOutcomes(twin('lkmm-release-lb-ptl-lock'))].sort();
    expect(all.filter(weak(['0:r0=1', '1:r1=1'])).length).toBeGreaterThan(0);
    const r = searchDocument(swap(scenario('lkmm-release-lb-ptl-lock')), 'lkmm');
    expect([...r.outcomes].sort()).toEqual(all);
    expect(r.boundsMet.map((b) => b.bound)).not.toContain('release');
  });

  it.each(RELEASES)('the guard, %s, then a PTL section whose store the next holder reads (MP): exactly the twin\'s final states, the weak one not among them', (_r, swap) => {
    const all = [...lkmmOutcomes(twin('lkmm-release-mp-ptl-lock'))].sort();
    expect(all.filter(weak(['1:r1=1', '1:r3=0']))).toEqual([]);
    const r = searchDocument(swap(scenario('lkmm-release-mp-ptl-lock')), 'lkmm');
    expect([...r.outcomes].sort()).toEqual(all);
  });
});
