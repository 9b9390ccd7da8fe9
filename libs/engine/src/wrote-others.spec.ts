import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveModel, scenarios, THREAD_WIDTH } from '@mmreplay/model';
import { Machine } from './machine.js';
import { Rng } from './rng.js';

// Machine.wroteOthers is a promise the explorer builds on (it collapses a successor without
// looking at the other threads' local vectors): a step that leaves it false changed no thread's
// vector but the stepping thread's. Checked on every step of random runs of every scenario and
// variant.

const worlds = scenarios().flatMap((s) => [undefined, ...s.variants.map((v) => v.name)].map((variant) => ({ scenario: s.name, variant })));

describe('Machine.wroteOthers', () => {
  it('is set by every step that writes another thread, on every scenario and variant', () => {
    let others = 0;
    fc.assert(
      fc.property(fc.constantFrom(...worlds), fc.integer({ min: 0, max: 2 ** 31 }), (target, seed) => {
        const m = new Machine(resolveModel(target).world);
        const rng = new Rng(seed);
        const s = m.initialState();
        for (let k = 0; k < 400; k++) {
          const runnable = Array.from({ length: m.threadCount }, (_, t) => t).filter((t) => m.isRunnable(s, t));
          if (!runnable.length) break;
          const t = runnable[rng.below(runnable.length)];
          const before = s.slice();
          if (!m.step(s, t, rng.below(m.choiceCount(before, t)))) break;
          for (let u = 0; u < m.threadCount; u++) {
            const at = m.layout.thread(u, 0);
            if (u === t || s.subarray(at, at + THREAD_WIDTH).every((x, i) => x === before[at + i])) continue;
            others++;
            expect(m.wroteOthers, `${target.scenario} ${target.variant ?? ''}: thread ${u} written by a step of ${t}`).toBe(true);
          }
        }
      }),
      { numRuns: 300 },
    );
    // the runs did wake other threads, so the check was not vacuous
    expect(others).toBeGreaterThan(0);
  });
});
