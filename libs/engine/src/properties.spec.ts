import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveModel, scenarios, PteKind, pteKind } from '@mmreplay/model';
import { Runtime } from './runtime.js';
import { makeScheduler } from './simulate.js';
import type { StepEvent } from './step-event.js';

const worlds = scenarios().flatMap((s) => [undefined, ...s.variants.map((v) => v.name)].map((variant) => ({ scenario: s.name, variant })));

const arbRun = fc.record({
  target: fc.constantFrom(...worlds),
  strategy: fc.constantFrom('random' as const, 'pct' as const),
  seed: fc.integer({ min: 0, max: 2 ** 31 }),
});

function runEvents(target: { scenario: string; variant?: string }, strategy: 'random' | 'pct', seed: number) {
  // Only use-after-free (which the machine always checks) is enabled, so runs go past the other
  // violations; set on the world, as it does not apply to the litmus tests (no pages).
  const world = { ...resolveModel(target).world, invariants: ['use-after-free'] };
  const events: StepEvent[] = [];
  const result = new Runtime(world).run({ scheduler: makeScheduler({ strategy, seed }, world, 20_000), maxSteps: 20_000, onEvent: (e) => events.push(e) });
  return { world, events, result };
}

describe('engine properties over every scenario and variant', () => {
  it("I2: every PTE change is made by a thread holding that PTE's PTL", () => {
    fc.assert(
      fc.property(arbRun, ({ target, strategy, seed }) => {
        const { world, events } = runEvents(target, strategy, seed);
        const holder = new Map<string, string>();
        for (const e of events) {
          for (const d of e.deltas) if (d.object.startsWith('ptl:')) holder.set(d.object.slice(4), d.after === 0 ? '' : world.threads[d.after - 1].name);
          for (const d of e.deltas) {
            if (!d.object.startsWith('pte:')) continue;
            const pte = world.ptes.find((p) => p.name === d.object.slice(4))!;
            expect(holder.get(pte.ptl), `${e.thread} ${e.label} changed ${pte.name}`).toBe(e.thread);
            // and a PTE is never left pointing at nothing it could decode
            expect([PteKind.none, PteKind.present, PteKind.migration, PteKind.devicePrivate]).toContain(pteKind(d.after));
          }
        }
      }),
      { numRuns: 300 },
    );
  });
});
