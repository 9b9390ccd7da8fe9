import { describe, expect, it } from 'vitest';
import { Machine } from '@mmreplay/engine';
import { opNames, parseScenarioDocument, resolveScenarioModel, type World } from '@mmreplay/model';
import { conflicts, nextFootprint, opFootprints } from './footprint.js';
import { PartialOrder } from './partial-order.js';
import { strayUnlockWorld, twoPtlsWorld } from '../test/pending-release.js';
import { reachable } from '../test/reachable.js';

// Issue 20, from the mutation run over partial-order.ts (session 17): under lkmm a kernel release
// may be issued and performed later (Machine.performRelease), and no catalogue world has a thread
// without relaxed accesses (whose step is not widened to all relaxed state) hold a PTL while
// another thread's issued unlock is outstanding. These two worlds do. Condition C1 is checked
// over every reachable state, not sampled: when the partial order picks thread t, no step the
// other threads can reach while t stands still conflicts with t's step, and t stays enabled.

/** C1 at every reachable state; returns how many states had an ample thread and how many an outstanding release. */
function checkC1(name: string, world: World): { ample: number; pending: number } {
  const m = new Machine(world);
  const ops = opFootprints(m);
  const por = new PartialOrder(m);
  let ample = 0;
  let pending = 0;
  for (const s of reachable(m)) {
    for (let u = 0; u < m.threadCount; u++) if (m.pendingReleaseOp(s, u) >= 0) pending++;
    const t = por.ample(s);
    if (t < 0) continue;
    ample++;
    const fp = nextFootprint(m, ops, s, t);
    const what = `${name}: ${opNames[m.opAt(s, t)]} (thread ${t}) chosen as ample`;
    const seen = new Set([s.join(',')]);
    const todo = [s];
    while (todo.length > 0) {
      const x = todo.pop()!;
      expect(m.isRunnable(x, t), `${what}: disabled by the others`).toBe(true);
      for (let u = 0; u < m.threadCount; u++) {
        if (u === t || !m.isRunnable(x, u)) continue;
        if (conflicts(fp, nextFootprint(m, ops, x, u))) expect.fail(`${what}, but ${opNames[m.opAt(x, u)]} (thread ${u}) conflicts with it`);
        for (let c = 0; c < m.choiceCount(x, u); c++) {
          const y = x.slice();
          if (!m.step(y, u, c) || seen.has(y.join(','))) continue;
          seen.add(y.join(','));
          todo.push(y);
        }
      }
    }
  }
  return { ample, pending };
}

describe('ample sets beside a release issued and not performed (lkmm)', () => {
  it('a PTL unlock outstanding on one PTL keeps an unlock of the other out of an ample set (PartialOrder.futureOf)', () => {
    const { ample, pending } = checkC1('two PTLs', twoPtlsWorld());
    expect(pending).toBeGreaterThan(0);
    expect(ample).toBeGreaterThan(0);
  });

  it("a stray PTL unlock outstanding means the holder's section may be entered by others: their futures are not cut at their next spin_lock", () => {
    const { ample, pending } = checkC1('stray unlock', strayUnlockWorld());
    expect(pending).toBeGreaterThan(0);
    expect(ample).toBeGreaterThan(0);
  });
});

/**
 * Two PTLs, sc: `k` takes ptl a and reads the PTE under ptl b; `w` takes ptl b and clears that
 * PTE. While k holds ptl a, w is not held back by it: w's whole future, not its future up to its
 * next spin_lock, may come before k's read. The catalogue's worlds with two PTLs never have a thread
 * take only the second PTL and then conflict with the holder of the first (issue 20:
 * partial-order.ts's `singlePtl` made always true survived).
 */
function holderAndSecondPtlWorld(): World {
  const pte = (name: string, ptl: string, addr: number) => ({ name, addr, ptl, init: { kind: 'present', page: 'P', writable: true } });
  const r = parseScenarioDocument({
    name: 'second-ptl',
    title: 'a thread under the second PTL writes what the holder of the first reads',
    pages: [{ name: 'P', ref: 1, map: 2, mapping: 'anon', index: 0 }],
    vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
    ptls: ['a', 'b'],
    ptes: [pte('ea', 'a', 16), pte('eb', 'b', 17)],
    threads: [
      { name: 'k', path: 'reader', args: { own: 'ea', other: 'eb' } },
      { name: 'w', path: 'writer', args: { e: 'eb' } },
    ],
    paths: {
      reader: {
        regs: { own: 'pte', other: 'pte', v: 'pteval' },
        steps: [
          { label: 'K.lock', op: 'ptl_lock', args: ['own'] },
          { label: 'K.read', op: 'pte_read', args: ['other', 'v'] },
          { label: 'K.unlock', op: 'ptl_unlock', args: ['own'] },
        ],
      },
      writer: {
        regs: { e: 'pte', v: 'pteval' },
        steps: [
          { label: 'W.lock', op: 'ptl_lock', args: ['e'] },
          { label: 'W.clear', op: 'pte_clear', args: ['e', 'v'] },
          { label: 'W.unlock', op: 'ptl_unlock', args: ['e'] },
        ],
      },
    },
    invariants: ['deadlock'],
  });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return resolveScenarioModel(r.scenario, {}).world;
}

describe('ample sets with two PTLs', () => {
  it("the holder of the first PTL is not ample while another thread may take the second and write what the holder's step reads", () => {
    const { ample } = checkC1('second PTL', holderAndSecondPtlWorld());
    expect(ample).toBeGreaterThan(0);
  });
});

/**
 * One PTL, lkmm. `k` takes it and reads the PTE; `w` locks the page, loads y, unlocks the page
 * (issued: the store after it may go first), stores x, then takes the PTL and clears the PTE.
 * While k holds the PTL, w cannot clear the PTE before k's read, and nothing w may do first
 * releases the PTL: neither its ops before the lock nor its outstanding page unlock.
 */
function pageUnlockOutstandingWorld(): World {
  const r = parseScenarioDocument({
    name: 'pending-page-unlock',
    title: 'a page unlock outstanding while another thread holds the PTL',
    pages: [{ name: 'P', ref: 1, map: 1, mapping: 'anon', index: 0 }],
    vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
    ptls: ['a'],
    ptes: [{ name: 'ea', addr: 16, ptl: 'a', init: { kind: 'present', page: 'P', writable: true } }],
    threads: [
      { name: 'k', path: 'kernel', args: { e: 'ea' } },
      { name: 'w', path: 'weak', args: { e: 'ea', page: 'P' } },
    ],
    paths: {
      weak: {
        regs: { e: 'pte', page: 'page', one: 'int', r0: 'int', v: 'pteval' },
        steps: [
          { label: 'W.page_lock', op: 'lock_page', args: ['page'] },
          { label: 'W.init', op: 'mov', args: ['one', 1] },
          { label: 'W.read_y', op: 'load_var', args: ['r0', 1, 0] },
          { label: 'W.page_unlock', op: 'unlock_page', args: ['page'] },
          { label: 'W.write_x', op: 'store_var', args: [0, 'one', 0] },
          { label: 'W.lock', op: 'ptl_lock', args: ['e'] },
          { label: 'W.clear', op: 'pte_clear', args: ['e', 'v'] },
          { label: 'W.unlock', op: 'ptl_unlock', args: ['e'] },
        ],
      },
      kernel: {
        regs: { e: 'pte', v: 'pteval' },
        steps: [
          { label: 'K.lock', op: 'ptl_lock', args: ['e'] },
          { label: 'K.read', op: 'pte_read', args: ['e', 'v'] },
          { label: 'K.unlock', op: 'ptl_unlock', args: ['e'] },
        ],
      },
    },
    invariants: ['deadlock'],
    litmus: { vars: ['x', 'y'], results: ['1:r0'], exists: [{ name: '1:r0', value: 1 }] },
  });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return resolveScenarioModel(r.scenario, { memoryModel: 'lkmm' }).world;
}

describe('the PTL horizon (how strong the reduction is)', () => {
  it("the holder of the only PTL is ample while no other thread may release the PTL first: not for another's page unlock outstanding, nor for its ops that release nothing", () => {
    // issue 20: counting every op as a PTL release (footprint.ts ptlReleases), or every release
    // outstanding (partial-order.ts anotherMayRelease), is sound but gives up the horizon here
    const world = pageUnlockOutstandingWorld();
    const m = new Machine(world);
    const por = new PartialOrder(m);
    checkC1('page unlock outstanding', world);
    let holding = 0;
    let pending = 0;
    for (const s of reachable(m)) {
      if (s[m.layout.ptl(0)] !== 1 || opNames[m.opAt(s, 0)] !== 'pte_read' || m.isFinished(s, 1)) continue;
      holding++;
      if (m.pendingReleaseOp(s, 1) >= 0) pending++;
      expect(por.ample(s), `w at ${opNames[m.opAt(s, 1)]}, release outstanding ${m.pendingReleaseOp(s, 1) >= 0}`).toBe(0);
    }
    expect(holding).toBeGreaterThan(pending);
    expect(pending).toBeGreaterThan(0);
  });
});
