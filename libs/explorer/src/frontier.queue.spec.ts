import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LevelQueue, type SpillPort } from './frontier.js';
import { internTables, type Component } from './state-store.js';

// A level queue on its own (issue 20): states pushed come back in the order they were pushed,
// whatever the spill limit; every full tail goes to the port as one block, the rest stays in
// memory; the memory held grows with the level, up to the limit, not beyond. frontier.spec checks
// the same through whole searches; this one reaches each count and edge in milliseconds.

/** Components of a 5-word state: words 0-1 and 3-4 share a table of width 2, word 2 has its own. */
const COMPONENTS: Component[] = [
  { offset: 0, width: 2, table: 0 },
  { offset: 2, width: 1, table: 1 },
  { offset: 3, width: 2, table: 0 },
];

class Port implements SpillPort {
  readonly levels = new Map<number, Uint32Array[]>();
  readonly log: string[] = [];
  append(level: number, block: Uint32Array): void {
    this.log.push(`append ${level} ${block.length}`);
    this.levels.set(level, [...(this.levels.get(level) ?? []), block.slice()]);
  }
  read(level: number, into: Uint32Array): number {
    const b = this.levels.get(level)?.shift();
    this.log.push(`read ${level} ${b?.length ?? 0}`);
    if (!b) return 0;
    into.set(b);
    return b.length;
  }
  drop(level: number): void {
    this.log.push(`drop ${level}`);
    this.levels.delete(level);
  }
  close(): void {
    this.log.push('close');
  }
}

const state = (i: number) => Int32Array.from([i % 7, i % 3, i % 5, (i * 7) % 11, -i]);

describe('a level queue', () => {
  it('gives the states back in the order pushed, spilled or not, level after level', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), fc.integer({ min: 1, max: 9 }), (n1, n2, limit) => {
        const port = new Port();
        const q = new LevelQueue(4, internTables(COMPONENTS), COMPONENTS, { port, maxInMemory: limit });
        for (const [level, n] of [
          [4, n1],
          [5, n2],
        ]) {
          if (level === 5) q.reuse(5);
          expect(q.level).toBe(level);
          for (let i = 0; i < n; i++) q.push(state(i + level));
          expect(q.count).toBe(n);
          const out = new Int32Array(5);
          for (let i = 0; i < n; i++) expect(Array.from(q.next(out))).toEqual(Array.from(state(i + level)));
          // a block for each full tail, of `limit` states, read back once each
          const blocks = Math.floor(n / limit);
          expect(port.log.filter((l) => l === `append ${level} ${limit * 3}`).length).toBe(blocks);
          expect(port.log.filter((l) => l.startsWith('append')).length).toBe(blocks + (level === 5 ? Math.floor(n1 / limit) : 0));
          expect(port.log.filter((l) => l === `read ${level} ${limit * 3}`).length).toBe(blocks);
        }
        expect(q.spills).toBe(Math.floor(n1 / limit) + Math.floor(n2 / limit));
        // a level is dropped from the port once read, only when something was spilled
        expect(port.log.includes('drop 4')).toBe(Math.floor(n1 / limit) > 0);
      }),
      { numRuns: 60 },
    );
  });

  it('a state pushed as its tuple of ids is the state pushed as its vector, read back either way, spilled or not', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 40 }), fc.integer({ min: 1, max: 9 }), (asTuple, limit) => {
        const tables = internTables(COMPONENTS);
        const q = new LevelQueue(0, tables, COMPONENTS, { port: new Port(), maxInMemory: limit });
        const tupleOf = (s: Int32Array) => Uint32Array.from(COMPONENTS, (c) => tables[c.table].intern(s, c.offset));
        asTuple.forEach((t, i) => (t ? q.pushTuple(tupleOf(state(i))) : q.push(state(i))));
        expect(q.count).toBe(asTuple.length);
        // read back alternately as vectors and as tuples, in the order pushed
        for (let i = 0; i < asTuple.length; i++) {
          if (i % 2 === 0) expect(Array.from(q.next(new Int32Array(5))), `${i}`).toEqual(Array.from(state(i)));
          else expect(Array.from(q.nextTuple(new Uint32Array(3))), `${i}`).toEqual(Array.from(tupleOf(state(i))));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('without a port nothing is spilled, and the level grows in memory', () => {
    const q = new LevelQueue(0, internTables(COMPONENTS), COMPONENTS, null);
    expect(q.bytes).toBe(4_096 * 3 * 4);
    for (let i = 0; i < 5_000; i++) q.push(state(i));
    expect(q.bytes).toBe(8_192 * 3 * 4);
    expect([q.count, q.spills]).toEqual([5_000, 0]);
    const out = new Int32Array(5);
    for (let i = 0; i < 5_000; i++) expect(Array.from(q.next(out))).toEqual(Array.from(state(i)));
    // it grows only when a state does not fit: 4,096 states fill the first tail exactly
    const exact = new LevelQueue(0, internTables(COMPONENTS), COMPONENTS, null);
    for (let i = 0; i < 4_096; i++) exact.push(state(i));
    expect(exact.bytes).toBe(4_096 * 3 * 4);
    exact.push(state(0));
    expect(exact.bytes).toBe(8_192 * 3 * 4);
    q.reuse(1);
    expect([q.level, q.count]).toEqual([1, 0]);
    q.push(state(9));
    expect(Array.from(q.next(out))).toEqual(Array.from(state(9)));
  });

  it('memory: the tail never outgrows the limit, and the read-back block is one limit long', () => {
    const port = new Port();
    const q = new LevelQueue(0, internTables(COMPONENTS), COMPONENTS, { port, maxInMemory: 5 });
    expect(q.bytes).toBe(5 * 3 * 4);
    for (let i = 0; i < 12; i++) q.push(state(i));
    expect(q.bytes).toBe(5 * 3 * 4);
    expect(port.log).toEqual(['append 0 15', 'append 0 15']);
    q.next(new Int32Array(5));
    expect(q.bytes).toBe(2 * 5 * 3 * 4);
    // a fractional or zero limit: at least one state, whole
    expect(new LevelQueue(0, internTables(COMPONENTS), COMPONENTS, { port, maxInMemory: 0.5 }).bytes).toBe(3 * 4);
    expect(new LevelQueue(0, internTables(COMPONENTS), COMPONENTS, { port, maxInMemory: 2.7 }).bytes).toBe(2 * 3 * 4);
    // the default limit is 1,000,000 states: a small level starts at 4,096
    expect(new LevelQueue(0, internTables(COMPONENTS), COMPONENTS, { port }).bytes).toBe(4_096 * 3 * 4);
    const big = new LevelQueue(0, internTables(COMPONENTS), COMPONENTS, { port });
    for (let i = 0; i < 1_000_000; i++) big.push(state(i % 50));
    expect(big.spills).toBe(1);
    // grown by doubling, capped at the limit
    expect(big.bytes).toBe(1_000_000 * 3 * 4);
  });
});
