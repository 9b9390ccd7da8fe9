import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveModel, scenarios, THREAD_WIDTH } from '@mmreplay/model';
import { Machine } from './machine.js';
import { Rng } from './rng.js';

// Machine.readOthers is a promise the explorer builds on (it remembers a step's outcome by the
// ids of the stepping thread's vector and the shared objects, step-memo.ts): a step that leaves it
// and wroteOthers false has the same outcome whatever the other threads' local vectors hold.
// Checked on every such step of random runs of every scenario and variant, by running the step
// again with the other threads' vectors taken from another state of the run.

const worlds = scenarios().flatMap((s) => [undefined, ...s.variants.map((v) => v.name)].map((variant) => ({ scenario: s.name, variant })));

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
});
