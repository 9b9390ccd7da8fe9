import { describe, expect, it } from 'vitest';
import { Machine } from '@mmreplay/engine';
import { resolveModel, type World } from '@mmreplay/model';
import { catalogueRows } from './catalogue.js';
import { explore, stateComponents } from './explorer.js';
import { Partition, emptyReport, partitionTables, type Batch } from './partition.js';
import { explorePartitioned } from './partitioned-levels.js';
import { parallelApplies } from './parallel.js';

// The partitions share their component tables and exchange successors as [hash, parent, tuple of
// component ids] (Partition.queue / receive): a few words a successor, not its state vector.
const seed = (n: number, variant?: string) => resolveModel({ scenario: 'seed', params: { ptes: n, faults: n }, variant }).world;

/** Partitions of one search on this thread, with their shared tables. */
const partitions = (world: World, n: number) => {
  const tables = partitionTables(world);
  return Array.from({ length: n }, (_, i) => new Partition(world, i, n, { maxDepth: 100_000 }, tables));
};

describe('successors cross partitions as tuples of component ids (issue 15)', () => {
  it('seed 3x3, 2 partitions: a successor costs its hash, its parent and one word per component, not its state vector', () => {
    const world = seed(3);
    const m = new Machine(world);
    const arity = stateComponents(m).length;
    const parts = partitions(world, 2);
    parts.forEach((p) => p.seed());
    const deliver = (bs: Batch[]) => bs.forEach((b) => parts[b.to].receive(b.data, b.words));
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
    expect(words).toBe(records * (arity + 2));
    // the old batches: parent + the whole vector per successor
    expect(words).toBeLessThan(records * (m.layout.size + 1) * 0.1);
  });

  it('a record names the state its sender found, for the partition that owns it; batches are received in any order', () => {
    const world = seed(3);
    const tables = partitionTables(world);
    // a and b search; c and d, two more partition 1s of the same search, receive a's batches in order and last first
    const [a, b, c, d] = [0, 1, 1, 1].map((i) => new Partition(world, i, 2, { maxDepth: 100_000 }, tables));
    a.seed();
    b.seed();
    const fromA: Batch[] = [];
    for (let depth = 0; depth < 6; depth++) {
      a.expand(depth, 0, a.frontier, emptyReport());
      const out = a.drain(true);
      fromA.push(...out);
      out.forEach((x) => b.receive(x.data, x.words));
      b.expand(depth, 0, b.frontier, emptyReport());
      b.drain(true).forEach((x) => a.receive(x.data, x.words));
      a.nextLevel();
      b.nextLevel();
    }
    expect(fromA.length).toBeGreaterThan(1);
    const arity = stateComponents(a.m).length;
    const state = new Int32Array(a.m.layout.size);
    for (const batch of fromA) {
      const tuples = new Uint32Array(batch.data.buffer, batch.data.byteOffset, batch.words);
      for (let at = 0; at < batch.words; at += arity + 2) {
        expect(batch.data[at]).toBe(a.store.hashAt(tuples, at + 2));
        // the tuple decodes (in the shared tables) to a canonical state that b owns
        const s = a.store.decode(tuples.subarray(at + 2, at + 2 + arity), state);
        expect(a.canon(s.slice())).toEqual(s);
        expect(b.owner(s)).toBe(1);
        expect(a.owner(s)).toBe(1);
      }
    }
    for (const x of fromA) c.receive(x.data, x.words);
    for (const x of [...fromA].reverse()) d.receive(x.data, x.words);
    const states = (p: Partition) => new Set(Array.from({ length: p.count }, (_, id) => p.state(id).state.join()));
    expect(c.count).toBeGreaterThan(0);
    expect(d.count).toBe(c.count);
    expect(states(d)).toEqual(states(c));
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
