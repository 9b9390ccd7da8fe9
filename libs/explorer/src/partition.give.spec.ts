import { describe, expect, it } from 'vitest';
import { resolveModel, type World } from '@mmreplay/model';
import { stateComponents } from './explorer.js';
import { Partition, emptyReport, partitionTables, type PartitionOptions } from './partition.js';

// A partition's heads given away (Partition.give) and what is left for itself (own), read directly
// rather than through explorePartitioned, whose levels come out the same whichever partition
// expands a head: a wrong count of the heads kept or given changes no state stored there (issue 20,
// batch `partition`).

const seed = (n: number): World => resolveModel({ scenario: 'seed', params: { ptes: n, faults: n } }).world;

function partitions(w: World, n: number, opts: PartitionOptions): Partition[] {
  const tables = partitionTables(w);
  return Array.from({ length: n }, (_, i) => new Partition(w, i, n, opts, tables));
}

/** One partition (it owns every state) taken to the start of level `depth`, each level expanded whole. */
function atLevel(w: World, depth: number, opts: PartitionOptions): Partition {
  const [p] = partitions(w, 1, opts);
  p.seed();
  for (let d = 0; d < depth; d++) {
    p.expand(d, 0, p.frontier, emptyReport());
    p.nextLevel();
  }
  return p;
}

describe('Partition.give and own', () => {
  it('own is the whole frontier at each level start, past the first level too, and shrinks by the heads given', () => {
    const w = seed(2);
    const p = atLevel(w, 0, { maxDepth: 100 });
    for (let depth = 0; p.frontier > 0; depth++) {
      expect(p.own, `depth ${depth}`).toBe(p.frontier);
      p.expand(depth, 0, p.frontier, emptyReport());
      p.nextLevel();
    }
    const q = atLevel(w, 16, { maxDepth: 100 });
    const frontier = q.frontier;
    // the level starts past the states of the levels before it
    expect(q.count - frontier).toBeGreaterThan(0);
    expect(frontier).toBeGreaterThan(4);
    const given = q.give(0, 3);
    expect(given.length).toBe(3 * q.givenWords);
    expect(q.own).toBe(frontier - 3);
    expect(q.frontier).toBe(frontier);
  });

  it('give: the last heads of the level, each as its global id and its tuple; never more than are left from `from` on', () => {
    const w = seed(2);
    const q = atLevel(w, 16, { maxDepth: 100 });
    const frontier = q.frontier;
    const start = q.count - frontier;
    const g = q.give(0, 2);
    const rec = q.givenWords;
    const arity = stateComponents(q.m).length;
    expect(rec).toBe(1 + arity);
    for (let i = 0; i < 2; i++) {
      const id = start + frontier - 2 + i;
      // one partition: the global id is the local one
      expect(g[i * rec]).toBe(id);
      const tuple = new Uint32Array(arity);
      q.store.tupleAt(id, tuple);
      expect(Array.from(new Uint32Array(g.buffer, g.byteOffset + 4 * (i * rec + 1), arity))).toEqual(Array.from(tuple));
    }
    // from the last of the heads left on, one is there to give, however many are asked for
    const left = q.own;
    expect(q.give(left - 1, 10).length).toBe(rec);
    expect(q.own).toBe(left - 1);
    expect(q.give(q.own, 10).length).toBe(0);
    expect(q.give(q.own + 5, 10).length).toBe(0);
    expect(q.own).toBe(left - 1);
    // the global id of a partition's head: its local id times the partitions, plus the partition
    const two = partitions(w, 2, { maxDepth: 100 });
    two.forEach((p) => p.seed());
    for (let depth = 0; depth < 16; depth++) {
      for (const p of two) p.expand(depth, 0, p.frontier, emptyReport());
      for (const p of two) p.drain(true).forEach((x) => two[x.to].receive(x.data, x.words));
      two.forEach((p) => p.nextLevel());
    }
    for (const p of two) {
      expect(p.frontier, `partition ${p.self}`).toBeGreaterThan(0);
      // the last head of the level is the last state stored
      expect(p.give(0, 1)[0]).toBe((p.count - 1) * 2 + p.self);
    }
  });
});
