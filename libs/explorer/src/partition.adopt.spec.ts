import { describe, expect, it } from 'vitest';
import { resolveModel, type World } from '@mmreplay/model';
import { Partition, emptyReport, partitionTables, type PartitionOptions, type PartitionStates } from './partition.js';
import type { ComponentTable } from './state-store.js';

// A search's first levels handed on (Partition.export, adopt): the parallel search runs them on the
// calling thread while its workers load, and each worker goes on from its partition's states. A
// partition that adopted them must go on exactly as the one that exported them would have: the
// same states under the same ids, the same parents, the same levels.

const OFF = { symmetry: false, deadRegisters: false };
const WORLDS: [string, World, PartitionOptions][] = [
  ['seed 3x3, tuples (symmetry, dead registers)', resolveModel({ scenario: 'seed', params: { ptes: 3, faults: 3 } }).world, { maxDepth: 1000 }],
  ['c8-shmem-refcount, vectors', resolveModel({ scenario: 'c8-shmem-refcount' }).world, { ...OFF, maxDepth: 1000 }],
];

function partitions(w: World, n: number, opts: PartitionOptions, tables: ComponentTable[]): Partition[] {
  return Array.from({ length: n }, (_, i) => new Partition(w, i, n, opts, tables));
}

/** Expands levels from `depth` on, `levels` of them (all: to the end), batches handed over as drained; returns the next depth and the transitions. */
function runLevels(parts: Partition[], depth: number, levels = Infinity): { depth: number; transitions: number } {
  let transitions = 0;
  for (let k = 0; k < levels && parts.some((p) => p.frontier > 0); k++, depth++) {
    for (const p of parts) {
      const report = emptyReport();
      p.expand(depth, 0, p.frontier, report);
      transitions += report.transitions;
      p.drain(true).forEach((b) => parts[b.to].receive(b.data, b.words));
    }
    parts.forEach((p) => p.nextLevel());
  }
  return { depth, transitions };
}

const copy = (s: PartitionStates): PartitionStates => ({ tuples: s.tuples.slice(), parents: s.parents.slice(), levelStart: s.levelStart });

describe('a partition that adopts another one’s states goes on as that one would', () => {
  for (const [name, w, opts] of WORLDS) {
    it(`${name}: handed on after 1, 4 and 9 levels, on 2 and 3 partitions, every state, id, parent and level is the same`, () => {
      for (const n of [2, 3]) {
        const tables = partitionTables(w);
        const whole = partitions(w, n, opts, tables);
        whole.forEach((p) => p.seed());
        const all = runLevels(whole, 0);
        for (const at of [1, 4, 9]) {
          const first = partitions(w, n, opts, tables);
          first.forEach((p) => p.seed());
          const before = runLevels(first, 0, at);
          const handed = first.map((p) => copy(p.export()));
          // each level's heads are the exported ones from levelStart on, as the exporter has them
          handed.forEach((s, i) => expect(s.parents.length - s.levelStart, `${n} partitions, after ${at}`).toBe(first[i].frontier));
          const next = partitions(w, n, opts, tables);
          next.forEach((p, i) => p.adopt(handed[i]));
          expect(next.map((p) => [p.count, p.frontier])).toEqual(first.map((p) => [p.count, p.frontier]));
          const after = runLevels(next, before.depth);
          expect(after.depth, `${n} partitions, after ${at}`).toBe(all.depth);
          expect(before.transitions + after.transitions).toBe(all.transitions);
          next.forEach((p, i) => expect(p.export(), `partition ${i} of ${n}, handed on after ${at} levels`).toEqual(whole[i].export()));
        }
      }
    });
  }

  it('refuses to adopt into a partition that already stores states, and states stored twice', () => {
    const [, w, opts] = WORLDS[0];
    const tables = partitionTables(w);
    const [p] = partitions(w, 1, opts, tables);
    p.seed();
    runLevels([p], 0, 3);
    const states = p.export();
    const [seeded] = partitions(w, 1, opts, tables);
    seeded.seed();
    expect(() => seeded.adopt(states)).toThrow(/only before it stores any/);
    const twice = {
      tuples: new Uint32Array([...states.tuples, ...states.tuples.subarray(0, states.tuples.length / states.parents.length)]),
      parents: new Int32Array([...states.parents, 0]),
      levelStart: 0,
    };
    const [fresh] = partitions(w, 1, opts, tables);
    expect(() => fresh.adopt(twice)).toThrow(`adopted state ${states.parents.length} is stored twice`);
  });
});
