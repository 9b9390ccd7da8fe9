import { parseScenarioDocument, resolveScenarioModel, type World } from '@mmreplay/model';

// Two small lkmm worlds in which one thread's kernel release is left outstanding
// (Machine.performRelease: issued, then performed as a step of its own once the relaxed load
// before it is satisfied) while another thread, without relaxed accesses, holds a PTL. The issued
// release is behind the issuing thread's pc, so its future from there leaves it out: only the
// partial order's look at the pending release (PartialOrder.futureOf, anotherMayRelease) keeps
// the holder's next step out of an ample set.

const pte = (name: string, ptl: string, addr: number) => ({ name, addr, ptl, init: { kind: 'present', page: 'P', writable: true } });

function world(doc: Record<string, unknown>): World {
  const r = parseScenarioDocument({ pages: [{ name: 'P', ref: 1, map: 2, mapping: 'anon', index: 0 }], vmas: [{ name: 'vma', start: 16, pgoff: 0 }], ...doc });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return resolveScenarioModel(r.scenario, { memoryModel: 'lkmm' }).world;
}

/**
 * Two PTLs. `w` takes ptl b, loads y, unlocks b (issued: the store after it may go first) and
 * stores x; `k` takes ptl a and unlocks it. While w's unlock of b is outstanding, k's unlock of a
 * writes the class w's release writes: dependent (footprints are by class, not by lock).
 */
export const twoPtlsWorld = (): World =>
  world({
    name: 'pending-release-two-ptls',
    title: "a PTL unlock outstanding beside another thread's PTL section",
    ptls: ['a', 'b'],
    ptes: [pte('ea', 'a', 16), pte('eb', 'b', 17)],
    threads: [
      { name: 'w', path: 'weak', args: { e: 'eb' } },
      { name: 'k', path: 'kernel', args: { e: 'ea' } },
    ],
    paths: {
      weak: {
        regs: { e: 'pte', one: 'int', r0: 'int' },
        steps: [
          { label: 'W.init', op: 'mov', args: ['one', 1] },
          { label: 'W.lock', op: 'ptl_lock', args: ['e'] },
          { label: 'W.read_y', op: 'load_var', args: ['r0', 1, 0] },
          { label: 'W.unlock', op: 'ptl_unlock', args: ['e'] },
          { label: 'W.write_x', op: 'store_var', args: [0, 'one', 0] },
        ],
      },
      kernel: {
        regs: { e: 'pte' },
        steps: [
          { label: 'K.lock', op: 'ptl_lock', args: ['e'] },
          { label: 'K.unlock', op: 'ptl_unlock', args: ['e'] },
        ],
      },
    },
    invariants: ['deadlock'],
    litmus: { vars: ['x', 'y'], results: ['0:r0'], exists: [{ name: '0:r0', value: 1 }] },
  });

/**
 * One PTL. `k` takes it and reads the PTE; `w` loads y, unlocks the PTL it does not hold (a stray
 * spin_unlock, issued: the store after it may go first), stores x, then takes the PTL and clears
 * the PTE. Once the stray unlock performs, w may clear the PTE before k reads it: with k holding
 * the only PTL, the others' futures may be cut at their next spin_lock only if none of them may
 * release it first, and w's issued unlock may.
 */
export const strayUnlockWorld = (): World =>
  world({
    name: 'pending-release-stray-unlock',
    title: 'a stray PTL unlock outstanding while another thread holds the PTL',
    ptls: ['a'],
    ptes: [pte('ea', 'a', 16)],
    threads: [
      { name: 'k', path: 'kernel', args: { e: 'ea' } },
      { name: 'w', path: 'weak', args: { e: 'ea' } },
    ],
    paths: {
      weak: {
        regs: { e: 'pte', one: 'int', r0: 'int', v: 'pteval' },
        steps: [
          { label: 'W.init', op: 'mov', args: ['one', 1] },
          { label: 'W.read_y', op: 'load_var', args: ['r0', 1, 0] },
          { label: 'W.stray_unlock', op: 'ptl_unlock', args: ['e'] },
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
