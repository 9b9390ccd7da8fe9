import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { resolveModel, type ResolveRequest } from '@mmreplay/model';
import { Machine, Rng } from '@mmreplay/engine';
import { Symmetry } from './symmetry.js';
import { catalogueRequests, describeRequest } from '../test/worlds.js';
import { randomWalk } from '../test/random-walk.js';

// Symmetry's premise, tested against the machine (issue 20, from the mutation run over
// symmetry.ts): permuting the tuples of a group maps the model onto itself. From random reachable
// states, the successors of the permuted state by the renamed thread are the permuted successors,
// the permuted state's end verdict is the same, and the canonical representative is a member of
// the orbit (one of the permutations of the state), so that the search never stores a state
// that cannot be reached.

const worlds = (): ResolveRequest[] => [
  ...catalogueRequests().filter((r) => new Symmetry(new Machine(resolveModel(r).world)).active),
  { scenario: 'seed', params: { ptes: 3, faults: 3 } },
  { scenario: 'seed', params: { ptes: 3, faults: 2 } },
];

function permutations(n: number): number[][] {
  if (n === 0) return [[]];
  return permutations(n - 1).flatMap((p) => Array.from({ length: n }, (_, i) => [...p.slice(0, i), n - 1, ...p.slice(i)]));
}

describe('symmetry is an automorphism of the machine', () => {
  const reqs = worlds();
  it('finds the symmetric worlds of the catalogue', () => {
    expect(reqs.length).toBeGreaterThan(3);
  });
  for (const req of reqs) {
    it(`${describeRequest(req)} ${JSON.stringify(req.params ?? {})}: steps commute with renaming, and the representative is in the orbit`, () => {
      const m = new Machine(resolveModel(req).world);
      const sym = new Symmetry(m);
      expect(sym.groupCount).toBe(m.world.symmetry.length);
      const L = m.layout;
      fc.assert(
        fc.property(fc.integer({ min: 0, max: 2 ** 31 }), fc.integer({ min: 0, max: 150 }), (seed, steps) => {
          const { state: s, refused } = randomWalk(m, new Rng(seed), steps);
          if (refused) return;
          const orbit = new Set<string>();
          for (let g = 0; g < sym.groupCount; g++) {
            const decl = m.world.symmetry[g];
            const size = Math.max(decl.threads.length, decl.ptes.length, decl.vmas.length, decl.pages?.length ?? 0);
            for (const order of permutations(size)) {
              const p = sym.permuted(s, g, order);
              orbit.add(p.join(','));
              // thread order[j] of the group lands on position j
              const rename = Array.from({ length: m.threadCount }, (_, t) => t);
              order.forEach((from, to) => {
                if (from < decl.threads.length && to < decl.threads.length)
                  rename[L.threadIndex.get(decl.threads[from])!] = L.threadIndex.get(decl.threads[to])!;
              });
              const what = `order ${order} of group ${g}`;
              for (let t = 0; t < m.threadCount; t++) {
                const u = rename[t];
                expect(m.isRunnable(p, u), `${what}: thread ${t} runnable`).toBe(m.isRunnable(s, t));
                if (!m.isRunnable(s, t)) continue;
                expect(m.choiceCount(p, u), what).toBe(m.choiceCount(s, t));
                const mine: string[] = [];
                const theirs: string[] = [];
                for (let c = 0; c < m.choiceCount(s, t); c++) {
                  const a = s.slice();
                  const okA = m.step(a, t, c);
                  mine.push(okA ? sym.permuted(a, g, order).join(',') : `violation ${m.violation?.invariant}`);
                  const b = p.slice();
                  const okB = m.step(b, u, c);
                  theirs.push(okB ? b.join(',') : `violation ${m.violation?.invariant}`);
                }
                expect(theirs.sort(), `${what}: thread ${t} stepped, then renamed`).toEqual(mine.sort());
              }
              if (m.threadCount > 0 && Array.from({ length: m.threadCount }, (_, t) => t).every((t) => !m.isRunnable(s, t))) {
                expect(m.endState(p).violation?.invariant, what).toBe(m.endState(s).violation?.invariant);
              }
            }
          }
          if (sym.groupCount === 1) expect(orbit.has(sym.canonical(s).join(',')), 'the representative is a permutation of the state').toBe(true);
        }),
        { numRuns: 40, seed: 23 },
      );
    });
  }
});
