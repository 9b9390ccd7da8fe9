import { describe, expect, it } from 'vitest';
import { resolveModel, type World } from '@mmreplay/model';
import { Partition, emptyReport, partitionTables, type PartitionOptions } from './partition.js';

// Partition.expandGiven read directly: the heads another partition gave, expanded in slices as
// the workers do. explorePartitioned gives only a quarter of a small level and expands it at once,
// so its polling, its depth bound and where it stops were not pinned by any spec (issue 20, batch
// `partition`, session 20).

const seed = (n: number, variant?: string): World => resolveModel({ scenario: 'seed', params: { ptes: n, faults: n }, variant }).world;

function partition(w: World, opts: PartitionOptions): Partition {
  return new Partition(w, 0, 1, opts, partitionTables(w));
}

/** One partition (it owns every state) taken to the start of level `depth`, each level expanded whole. */
function atLevel(p: Partition, depth: number): Partition {
  p.seed();
  for (let d = 0; d < depth; d++) {
    p.expand(d, 0, p.frontier, emptyReport());
    p.nextLevel();
  }
  return p;
}

/** The depth of the first level of `w` unreduced with more than 1,100 heads (seed 3x3: level 37, 1,239 heads). */
function wideLevel(w: World): number {
  const p = atLevel(partition(w, { symmetry: false, deadRegisters: false, maxDepth: 1000 }), 0);
  for (let depth = 0; p.frontier > 0; depth++) {
    if (p.frontier > 1100) return depth;
    p.expand(depth, 0, p.frontier, emptyReport());
    p.nextLevel();
  }
  throw new Error('no level of more than 1,100 heads');
}

describe('Partition.expandGiven', () => {
  it('stores what expand does with the same heads, level by level, on vectors and on tuples, whole or in slices', () => {
    for (const opts of [{ symmetry: false }, {}] as PartitionOptions[]) {
      const w = seed(2);
      const own = atLevel(partition(w, { ...opts, maxDepth: 1000 }), 0);
      const given = atLevel(partition(w, { ...opts, maxDepth: 1000 }), 0);
      for (let depth = 0; own.frontier > 0; depth++) {
        const r1 = emptyReport();
        own.expand(depth, 0, own.frontier, r1);
        const g = given.give(0, given.own);
        expect(given.own).toBe(0);
        const records = g.length / given.givenWords;
        const r2 = emptyReport();
        for (let done = 0; done < records;) {
          const next = given.expandGiven(depth, g, done, 3, r2);
          expect(next).toBe(Math.min(done + 3, records));
          done = next;
        }
        // asked for more than are there: it ends at the last record
        expect(given.expandGiven(depth, g, records, 10, emptyReport())).toBe(records);
        expect(r2).toEqual(r1);
        expect(given.nextLevel()).toBe(own.nextLevel());
        expect(given.count).toBe(own.count);
      }
    }
  });

  it('cancellation and the deadline are polled at every 1,024th record, from the first; a stop returns the record it stopped at', () => {
    const w = seed(3);
    const depth = wideLevel(w);
    const opts = { symmetry: false, deadRegisters: false, maxDepth: 1000 };
    let polls = 0;
    const p = atLevel(partition(w, { ...opts, cancelled: () => (polls++, false) }), depth);
    const g = p.give(0, p.own);
    const records = g.length / p.givenWords;
    polls = 0;
    // records 1,000 to 1,099 hold one multiple of 1,024
    expect(p.expandGiven(depth, g, 1000, 100, emptyReport())).toBe(1100);
    expect(polls).toBe(1);
    polls = 0;
    expect(p.expandGiven(depth, g, 0, records, emptyReport())).toBe(records);
    expect(polls).toBe(Math.ceil(records / 1024));

    // the bounds are set once the partition is at the level (they would stop the levels before it)
    const stopped = (more: { cancelled?: () => boolean; deadline?: number }, from: number, limit: number) => {
      const bounds: { cancelled?: () => boolean; deadline?: number } = {};
      const q = atLevel(partition(w, Object.assign(bounds, opts)), depth);
      Object.assign(bounds, more);
      const report = emptyReport();
      return { at: q.expandGiven(depth, q.give(0, q.own), from, limit, report), report };
    };
    expect(stopped({ cancelled: () => true }, 0, 10)).toMatchObject({ at: 0, report: { boundHit: 'cancelled', transitions: 0 } });
    expect(stopped({ deadline: performance.now() - 1 }, 0, 10)).toMatchObject({ at: 0, report: { boundHit: 'time', transitions: 0 } });
    // not polled between multiples of 1,024: a cancelled search goes on to the next one
    const between = stopped({ cancelled: () => true }, 5, records);
    expect(between).toMatchObject({ at: 1024, report: { boundHit: 'cancelled' } });
    expect(between.report.transitions).toBeGreaterThan(0);
    expect(stopped({ deadline: performance.now() + 60_000, cancelled: () => false }, 0, 10)).toMatchObject({ at: 10, report: { boundHit: null } });
  });

  it('the depth bound: heads given at the bound are not expanded and report bound depth; those below it are', () => {
    const w = seed(2);
    const at = (maxDepth: number) => {
      const p = atLevel(partition(w, { maxDepth }), 3);
      const g = p.give(0, p.own);
      const report = emptyReport();
      const done = p.expandGiven(3, g, 0, 100, report);
      return { done, records: g.length / p.givenWords, count: p.count, report };
    };
    const bound = at(3);
    expect(bound.records).toBeGreaterThan(1);
    expect(bound).toMatchObject({ done: bound.records, report: { boundHit: 'depth', transitions: 0, endStates: 0 } });
    const below = at(4);
    expect(below.done).toBe(below.records);
    expect(below.report.boundHit).toBeNull();
    expect(below.report.transitions).toBeGreaterThan(0);
    expect(below.count).toBeGreaterThan(bound.count);
  });

  it('a violation: it stops just past the record that found it, whose global id the report gives', () => {
    for (const opts of [{ symmetry: false, deadRegisters: false }, {}] as PartitionOptions[]) {
      const w = seed(2, 'install-before-lock');
      const p = atLevel(partition(w, { ...opts, maxDepth: 100 }), 0);
      for (let depth = 0; ; depth++) {
        // the violation is found before the search ends
        expect(p.frontier).toBeGreaterThan(0);
        const g = p.give(0, p.own);
        const records = g.length / p.givenWords;
        const report = emptyReport();
        const done = p.expandGiven(depth, g, 0, records, report);
        if (report.violationAt >= 0) {
          const i = Array.from({ length: records }, (_, k) => g[k * p.givenWords]).indexOf(report.violationAt);
          expect(i).toBeGreaterThanOrEqual(0);
          expect(done).toBe(i + 1);
          expect(report.invariant).not.toBe('');
          break;
        }
        expect(done).toBe(records);
        p.nextLevel();
      }
    }
  });
});
