import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { OP, parseScenarioDocument, resolveModel, resolveScenarioModel, scenarios, THREAD_WIDTH, VmaField, VmaFlag, type World } from '@mmreplay/model';
import { Machine } from './machine.js';
import { Rng } from './rng.js';

// Machine.readOthers is a promise the explorer builds on (it remembers a step's outcome by the
// ids of the stepping thread's vector and the shared objects, step-memo.ts): a step that leaves it
// and wroteOthers false has the same outcome whatever the other threads' local vectors hold.
// Checked on every such step of random runs of every scenario and variant, by running the step
// again with the other threads' vectors taken from another state of the run.

const worlds = scenarios().flatMap((s) => [undefined, ...s.variants.map((v) => v.name)].map((variant) => ({ scenario: s.name, variant })));

// Start conditions (no scenario of the catalogue has one): b starts once a has finished, or has
// taken its first PTL (wait_thread, wait_label: enabledness that reads a's vector).
const src = { file: 'mm/memory.c', fn: 'do_fault', version: 'v6.6' };
const startWorld = (start: unknown): World => {
  const r = parseScenarioDocument({
    name: 'start',
    title: 'b starts after a',
    pages: [{ name: 'P', ref: 1, map: 1, mapping: 'anon', index: 0 }],
    vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
    ptls: ['ptl'],
    ptes: [{ name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true } }],
    threads: [
      { name: 'a', path: 'a', args: { pte: 'e' } },
      { name: 'b', path: 'a', args: { pte: 'e' }, start },
    ],
    paths: {
      a: {
        regs: { pte: 'pte' },
        steps: [
          { label: 'A1', op: 'ptl_lock', args: ['pte'], src },
          { label: 'A2', op: 'ptl_unlock', args: ['pte'] },
          { label: 'A3', op: 'ptl_lock', args: ['pte'] },
          { label: 'A4', op: 'ptl_unlock', args: ['pte'] },
        ],
      },
    },
    invariants: ['deadlock'],
  });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return resolveScenarioModel(r.scenario, {}).world;
};
const allWorlds: { name: string; world: () => World }[] = [
  ...worlds.map((w) => ({ name: `${w.scenario} ${w.variant ?? ''}`, world: () => resolveModel(w).world })),
  { name: 'start after a label', world: () => startWorld({ after: 'a', label: 'A2' }) },
  { name: 'start after a thread', world: () => startWorld({ after: 'a' }) },
];

describe('Machine.readOthers', () => {
  it('is set by every step whose outcome depends on another thread, on every scenario and variant', () => {
    let checked = 0;
    let differed = 0;
    fc.assert(
      fc.property(fc.constantFrom(...worlds), fc.integer({ min: 0, max: 2 ** 31 }), (target, seed) => {
        const m = new Machine(resolveModel(target).world);
        const L = m.layout;
        const rng = new Rng(seed);
        const s = m.initialState();
        const seen: Int32Array[] = [s.slice()];
        for (let k = 0; k < 400; k++) {
          const runnable = Array.from({ length: m.threadCount }, (_, t) => t).filter((t) => m.isRunnable(s, t));
          if (!runnable.length) break;
          const t = runnable[rng.below(runnable.length)];
          const c = rng.below(m.choiceCount(s, t));
          const before = s.slice();
          const ok = m.step(s, t, c);
          const violation = m.violation?.invariant ?? null;
          if (!m.readOthers && !m.wroteOthers) {
            // the same step with every other thread's vector from an earlier state of the run
            const other = before.slice();
            const donor = seen[rng.below(seen.length)];
            for (let u = 0; u < m.threadCount; u++) {
              if (u === t) continue;
              const at = L.thread(u, 0);
              other.set(donor.subarray(at, at + THREAD_WIDTH), at);
            }
            if (!other.every((x, i) => x === before[i])) differed++;
            const again = other.slice();
            const okAgain = m.step(again, t, c);
            const where = `${target.scenario} ${target.variant ?? ''}: a step of thread ${t} at pc ${m.pcOf(before, t)}`;
            expect(okAgain, where).toBe(ok);
            expect(m.violation?.invariant ?? null, where).toBe(violation);
            // everything but the other threads' vectors: the shared objects, the thread's own, the memory section
            const outcome = (x: Int32Array) =>
              Array.from(x).filter((_, i) => i < L.threads || i >= L.thread(m.threadCount, 0) || (L.thread(t, 0) <= i && i < L.thread(t + 1, 0)));
            expect(outcome(again), where).toEqual(outcome(s));
            checked++;
          }
          if (!ok) break;
          seen.push(s.slice());
        }
      }),
      { numRuns: 300 },
    );
    // steps were checked with other threads' vectors that differ, so the check was not vacuous
    expect(checked).toBeGreaterThan(1000);
    expect(differed).toBeGreaterThan(100);
  });

  /**
   * Random runs of every world; at each state, every thread that `skip` does not leave out has its
   * enabledness compared with that in `replaced(m, s, donor, t)`, the state with some of it taken
   * from an earlier state of the run. Returns the counts, so that a property can show it was not vacuous.
   */
  const enablednessKept = (
    skip: (m: Machine, s: Int32Array, t: number) => boolean,
    replaced: (m: Machine, s: Int32Array, donor: Int32Array, t: number) => Int32Array,
  ) => {
    const counts = { checked: 0, skipped: 0, running: 0, differed: 0 };
    fc.assert(
      fc.property(fc.constantFrom(...allWorlds), fc.integer({ min: 0, max: 2 ** 31 }), (target, seed) => {
        const m = new Machine(target.world());
        const rng = new Rng(seed);
        const s = m.initialState();
        const seen: Int32Array[] = [s.slice()];
        const enabledness = (x: Int32Array, t: number) => (m.isRunnable(x, t) ? m.choiceCount(x, t) : -1);
        for (let k = 0; k < 400; k++) {
          const donor = seen[rng.below(seen.length)];
          for (let t = 0; t < m.threadCount; t++) {
            if (skip(m, s, t)) {
              counts.skipped++;
              continue;
            }
            const other = replaced(m, s, donor, t);
            expect(enabledness(other, t), `${target.name}: thread ${t} at pc ${m.pcOf(s, t)}`).toBe(enabledness(s, t));
            counts.checked++;
            if (!m.isFinished(s, t)) counts.running++;
            if (other.some((x, i) => x !== s[i])) counts.differed++;
          }
          const runnable = Array.from({ length: m.threadCount }, (_, t) => t).filter((t) => m.isRunnable(s, t));
          if (!runnable.length) break;
          const t = runnable[rng.below(runnable.length)];
          if (!m.step(s, t, rng.below(m.choiceCount(s, t)))) break;
          seen.push(s.slice());
        }
      }),
      { numRuns: 300 },
    );
    return counts;
  };
  const vectorOf = (m: Machine, x: Int32Array, u: number) => x.subarray(m.layout.thread(u, 0), m.layout.thread(u, 0) + THREAD_WIDTH);

  it('enablednessReadsOthers: is set wherever whether a thread runs and its choices depend on another thread', () => {
    // every thread, in this state and with the other threads' vectors from an earlier state
    const counts = enablednessKept(
      (m, s, t) => m.enablednessReadsOthers(s, t),
      (m, s, donor, t) => {
        const other = s.slice();
        for (let u = 0; u < m.threadCount; u++) if (u !== t) other.set(vectorOf(m, donor, u), m.layout.thread(u, 0));
        return other;
      },
    );
    expect(counts.checked).toBeGreaterThan(1000);
    // start conditions were met (and left out)
    expect(counts.skipped).toBeGreaterThan(0);
  });

  // The explorer remembers enabledness by the thread's vector id alone where this is false
  // (tuple-steps.ts): checked by giving the thread everything else (the shared objects, the other
  // threads' vectors, the memory section) from another state of the run.
  it('enablednessReadsShared: is set wherever whether a thread runs and its choices depend on anything but its own vector', () => {
    const counts = enablednessKept(
      (m, s, t) => m.enablednessReadsShared(s, t),
      (m, s, donor, t) => {
        const other = donor.slice();
        other.set(vectorOf(m, s, t), m.layout.thread(t, 0));
        return other;
      },
    );
    // not vacuous: threads that still run were checked against states that differ, and lock waits were left out
    expect(counts.checked).toBeGreaterThan(1000);
    expect(counts.running).toBeGreaterThan(500);
    expect(counts.differed).toBeGreaterThan(500);
    expect(counts.skipped).toBeGreaterThan(100);
  });

  // No catalogue run changes a VMA's flags under a walk of any order, so the random runs above
  // never see the rmap walk's choices move with the shared objects; here they do.
  it('enablednessReadsShared: an rmap walk of any order reads which VMAs are in the interval tree', () => {
    const m = new Machine(resolveModel({ scenario: 'seed', params: { ptes: 2, faults: 2 } }).world);
    expect(m.world.rmapOrder).toBe('any');
    const s = m.initialState();
    const mig = m.world.threads.findIndex((th) => th.name.startsWith('mig'));
    for (let k = 0; k < 200 && m.opAt(s, mig) !== OP.rmap_next; k++) expect(m.step(s, mig, 0)).toBe(true);
    expect(m.opAt(s, mig)).toBe(OP.rmap_next);
    expect(m.choiceCount(s, mig)).toBe(2);
    expect(m.enablednessReadsShared(s, mig)).toBe(true);
    const other = s.slice();
    other[m.layout.vma(1, VmaField.flags)] &= ~VmaFlag.inInterval;
    expect(m.choiceCount(other, mig)).toBe(1);
  });
});
