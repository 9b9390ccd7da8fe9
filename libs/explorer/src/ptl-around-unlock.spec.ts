import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseVariant, resolveModel, type ResolveRequest } from '@mmreplay/model';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import { explore } from './explorer.js';
import { referenceEnumerate } from './reference-enumerator.js';

// Issue 11's hypothesis as a user writes it: take the PTL of the last PTE the rmap walk visited
// around migrate_pages' unlock_page. The walk leaves `pte` unchanged when it is done, so the
// register is live there; a reduction that cleared it explored another program and lost the
// counterexample's path. Kernel order + PTL holds; the early unlock + PTL is still a BUG_ON.

const variant = (file: string) => parseVariant(JSON.parse(readFileSync(new URL(`../test/variants/${file}.json`, import.meta.url), 'utf8')));

const cases = [
  { file: 'ptl-around-unlock', verdict: 'holds' },
  { file: 'early-unlock-ptl', verdict: 'violated', invariant: 'bug-on' },
] as const;

const combos = [false, true].flatMap((symmetry) =>
  [false, true].flatMap((partialOrder) => [false, true].map((deadRegisters) => ({ symmetry, partialOrder, deadRegisters }))),
);

describe('PTL around unlock_page after the rmap walk (issue 11)', () => {
  for (const c of cases) {
    for (const params of [
      { ptes: 1, faults: 1 },
      { ptes: 2, faults: 2 },
    ]) {
      const req: ResolveRequest = { scenario: 'seed', params, variant: variant(c.file) };
      it(`${c.file} ${JSON.stringify(params)}: ${c.verdict} with every combination of reductions, as the reference enumerator says`, () => {
        const world = resolveModel(req).world;
        expect(referenceEnumerate(req).violated).toBe(c.verdict === 'violated');
        const lengths = new Set<number | undefined>();
        for (const reductions of combos) {
          const r = explore(world, reductions);
          expect({ reductions, verdict: r.verdict }).toEqual({ reductions, verdict: c.verdict });
          lengths.add(r.counterexample?.length);
          if (c.verdict === 'violated') {
            expect(r.counterexample?.invariant).toBe(c.invariant);
            const schedule = r.counterexample!.schedule;
            const run = new Runtime(world).run({ scheduler: new ReplayScheduler(schedule), maxSteps: new ReplayScheduler(schedule).length });
            expect(run.outcome).toBe('violation');
            expect(run.violation?.invariant).toBe(c.invariant);
          }
        }
        // breadth-first: a shortest counterexample whatever the reductions
        expect(lengths.size).toBe(1);
      });
    }
  }
});
