import { describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { checkCase, fuzzReductions } from './fuzz/differential.js';
import { readFileSync } from 'node:fs';
import type { GeneratedCase } from './fuzz/variant-generator.js';
import { explore, exploreOnce } from './explorer.js';

// Issue 11 item 3 in CI: 500 generated variants (seeds 1..500), each explored with every
// reduction, with none and with one more combination, against the reference enumerator; every
// counterexample replays. `npm run fuzz:reductions -- --count N` runs more seeds.

const CHUNK = 100;
// Under mutation testing (mutation/run.mjs) every surviving mutant reruns this file: the first
// chunk only, so that one Stryker run over the search's files fits in half an hour.
const SEEDS = process.env.MMREPLAY_MUTATION === '1' ? CHUNK : 500;

/**
 * A finding, as the generator made it when it was found (test/fuzz-findings/seed-N.json): kept as
 * the variant itself, since the same seed generates another variant once the catalogue grows.
 */
const finding = (seed: number): GeneratedCase =>
  JSON.parse(readFileSync(new URL(`../test/fuzz-findings/seed-${seed}.json`, import.meta.url), 'utf8')) as GeneratedCase;

describe('reductions never change a verdict (differential fuzzing)', () => {
  for (let first = 1; first <= SEEDS; first += CHUNK) {
    it(`seeds ${first}..${first + CHUNK - 1}`, () => {
      const r = fuzzReductions(first, CHUNK);
      // the failing seed and its variant, as JSON, in the failure message
      expect(r.failures.map((f) => JSON.stringify(f))).toEqual([]);
      // most variants are really checked, not skipped
      expect(r.agreed.holds + r.agreed.violated).toBeGreaterThan(CHUNK / 2);
    }, 120_000);
  }

  it("seeds 1..40 with the parallel search's code on this thread alone too: its verdict, replaying counterexamples, and the sequential states", () => {
    const r = fuzzReductions(1, 40, undefined, true);
    expect(r.failures.map((f) => JSON.stringify(f))).toEqual([]);
    expect(r.agreed.holds + r.agreed.violated).toBeGreaterThan(20);
  }, 120_000);

  it('first finding: a constant stored in an object register pins that object for symmetry (seed 140)', () => {
    // `mov fpte, 1` in c10's fault path names PTE e1; symmetry renamed it anyway and the
    // counterexample could not be rebuilt from the concrete states.
    const c = finding(140);
    expect(JSON.stringify(c.request.variant.patches)).toContain('"mov","args":["fpte",1]');
    const world = resolveModel(c.request).world;
    const reduced = explore(world);
    expect(reduced.reductions).not.toContain('symmetry');
    expect(reduced.verdict).toBe(explore(world, { symmetry: false, partialOrder: false, deadRegisters: false }).verdict);
    expect(checkCase(c).kind).toBe('agree');
  });

  for (const seed of [898, 13740]) {
    it(`second finding: partial order with symmetry and dead registers lost a BUG_ON (seed ${seed})`, () => {
      // c10-device-private with a step moved or a PTL released early: every reduction together
      // said holds, each pair of them and the reference enumerator said violated.
      const c = finding(seed);
      expect(c.request.scenario).toBe('c10-device-private');
      expect(checkCase(c)).toMatchObject({ kind: 'agree', verdict: 'violated' });
      // The cause: the ample sets' PTL horizon assumed that no other thread releases the PTL a
      // thread holds, which the variant's stray spin_unlock does. With that premise checked, the
      // three together (partial order used under symmetry too) find the BUG_ON, as shortly.
      const world = resolveModel(c.request).world;
      const all = exploreOnce(world, { partialOrderWithSymmetry: true });
      expect(all.reductions).toEqual(expect.arrayContaining(['symmetry', 'partial-order', 'dead-registers']));
      expect(all.verdict).toBe('violated');
      expect(all.counterexample!.length).toBe(explore(world, { symmetry: false, partialOrder: false, deadRegisters: false }).counterexample!.length);
    });
  }
});
