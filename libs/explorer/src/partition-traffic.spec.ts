import { describe, expect, it } from 'vitest';
import { Machine } from '@mmreplay/engine';
import { resolveModel } from '@mmreplay/model';
import { catalogueRows } from './catalogue.js';
import { explore, stateComponents } from './explorer.js';
import { Partition, emptyReport, explorePartitioned, type Batch } from './partition.js';
import { parallelApplies } from './parallel.js';

// The partitions exchange successors as tuples of component ids, a component's words going along
// only the first time a partition sends it to another (Partition.queue / receive).
const seed = (n: number, variant?: string) => resolveModel({ scenario: 'seed', params: { ptes: n, faults: n }, variant }).world;

describe('successors cross partitions as tuples of component ids (issue 15)', () => {
  it('seed 3x3, 2 partitions: a successor costs about one word per component, not its state vector', () => {
    const world = seed(3);
    const m = new Machine(world);
    const arity = stateComponents(m).length;
    const parts = [0, 1].map((i) => new Partition(world, i, 2, { maxDepth: 100_000 }));
    parts.forEach((p) => p.seed());
    const deliver = (bs: Batch[]) => bs.forEach((b) => parts[b.to].receive(b.from, b.data, b.words));
    for (let depth = 0; parts.some((p) => p.frontier > 0); depth++) {
      for (const p of parts) {
        p.expand(depth, 0, p.frontier, emptyReport());
        deliver(p.drain(true));
      }
      parts.forEach((p) => p.nextLevel());
    }
    const one = explore(world, { partialOrder: false });
    expect(parts[0].count + parts[1].count).toBe(one.statesStored);
    const { records, words } = parts.reduce((a, p) => ({ records: a.records + p.traffic.records, words: a.words + p.traffic.words }), { records: 0, words: 0 });
    expect(records).toBeGreaterThan(one.statesStored / 4);
    // the old batches: parent + the whole vector per successor
    expect(words).toBeLessThan(records * (m.layout.size + 1) * 0.1);
    expect(words).toBeGreaterThanOrEqual(records * (arity + 1));
  });

  it('a batch received out of order cannot be read as another state: a component id comes with its words first', () => {
    const world = seed(3);
    const a = new Partition(world, 0, 2, { maxDepth: 100_000 });
    const b = new Partition(world, 1, 2, { maxDepth: 100_000 });
    a.seed();
    b.seed();
    const fromA: Batch[] = [];
    for (let depth = 0; depth < 3; depth++) {
      a.expand(depth, 0, a.frontier, emptyReport());
      fromA.push(...a.drain(true));
      b.expand(depth, 0, b.frontier, emptyReport());
      b.drain(true).forEach((x) => a.receive(x.from, x.data, x.words));
      a.nextLevel();
      b.nextLevel();
    }
    // every id a record names without its words was sent with them in an earlier record
    expect(fromA.length).toBeGreaterThan(0);
    const arity = stateComponents(a.m).length;
    const widths = stateComponents(a.m).map((c) => c.width);
    const seen = Array.from({ length: arity }, () => new Set<number>());
    for (const batch of fromA) {
      for (let at = 0; at < batch.words;) {
        at++;
        for (let k = 0; k < arity; k++) {
          const x = batch.data[at++];
          if (x < 0) {
            const id = x & 0x7fffffff;
            expect(seen[k].has(id)).toBe(false);
            seen[k].add(id);
            at += widths[k];
          } else expect(seen[k].has(x)).toBe(true);
        }
      }
    }
  });

  it('every catalogue world (partial order off, as the parallel search runs them): 2 and 3 partitions store what explore does, with as short a counterexample', () => {
    let checked = 0;
    for (const row of catalogueRows()) {
      const variant = row.variant === 'kernel' ? undefined : row.variant;
      const world = resolveModel({ scenario: row.scenario, params: row.params, variant }).world;
      expect(parallelApplies(world, { partialOrder: false })).toBe(true);
      const one = explore(world, { partialOrder: false, bounds: { maxStates: 300_000 } });
      if (one.boundHit) continue;
      checked++;
      for (const partitions of [2, 3]) {
        const many = explorePartitioned(world, partitions, { maxDepth: 100_000 });
        const what = `${row.scenario} ${row.variant} on ${partitions}`;
        expect(many.verdict, what).toBe(one.verdict);
        if (one.verdict === 'holds')
          expect([many.statesStored, many.transitions, many.maxDepth], what).toEqual([one.statesStored, one.transitions, one.maxDepth]);
        expect(many.counterexample?.length ?? null, what).toBe(one.counterexample?.length ?? null);
        expect(many.counterexample?.invariant ?? null, what).toBe(one.counterexample?.invariant ?? null);
      }
    }
    expect(checked).toBeGreaterThan(5);
  });
});
