import { describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { exploreBitstate } from './bitstate.js';
import type { SpillPort } from './frontier.js';

// The frontier spill (issue 15): a search that spills all but a few states of each level to the
// port stores the same states, in the same order, as one that keeps its levels in memory, so its
// verdict, counts and first counterexample are the same; the port is emptied however it ends.

const seed = (n: number, variant?: string) => resolveModel({ scenario: 'seed', params: { ptes: n, faults: n }, variant }).world;

/** A port that keeps the blocks in memory, copied, and counts what happens to them. */
class MemoryPort implements SpillPort {
  readonly levels = new Map<number, Uint32Array[]>();
  appended = 0;
  largestLevel = 0;
  closed = false;
  append(level: number, block: Uint32Array): void {
    const list = this.levels.get(level) ?? [];
    list.push(block.slice());
    this.levels.set(level, list);
    this.appended++;
    this.largestLevel = Math.max(this.largestLevel, list.length);
  }
  read(level: number, into: Uint32Array): number {
    const b = this.levels.get(level)?.shift();
    if (!b) return 0;
    into.set(b);
    return b.length;
  }
  drop(level: number): void {
    this.levels.delete(level);
  }
  close(): void {
    this.levels.clear();
    this.closed = true;
  }
}

describe('frontier spill (approximate search)', () => {
  it('with 3 states of a level in memory: the same states, transitions, end states and verdict as without', () => {
    const world = seed(3);
    const plain = exploreBitstate(world, { bitstate: { log2Bits: 24 } });
    const port = new MemoryPort();
    const spilled = exploreBitstate(world, { bitstate: { log2Bits: 24 }, spill: { port, maxInMemory: 3 } });
    expect(spilled.verdict).toBe('holds');
    expect({ ...spilled, elapsedMs: 0 }).toEqual({ ...plain, elapsedMs: 0 });
    // most of every level went through the port, and nothing is left there
    expect(port.appended).toBeGreaterThan(spilled.statesStored / 3 - spilled.maxDepth - 1);
    expect(port.largestLevel).toBeGreaterThan(10);
    expect(port.closed).toBe(true);
    expect(port.levels.size).toBe(0);
  });

  it('a level holds in memory what it holds, not its spill limit: a small search under the default limit of 1,000,000 states takes little memory', () => {
    const world = seed(3);
    const port = new MemoryPort();
    const stats = { bytes: 0 };
    const spilled = exploreBitstate(world, { bitstate: { log2Bits: 20 }, spill: { port }, stats });
    expect({ ...spilled, elapsedMs: 0 }).toEqual({ ...exploreBitstate(world, { bitstate: { log2Bits: 20 } }), elapsedMs: 0 });
    expect(port.appended).toBe(0);
    // the bit table is 128 KB; two levels preallocated at the limit would be over 100 MB
    expect(stats.bytes).toBeLessThan(2 * 2 ** 20);
  });

  it('the first counterexample is the same, as short, with the frontier spilled', () => {
    const world = seed(3, 'unlock-before-remove');
    const plain = exploreBitstate(world, { bitstate: { log2Bits: 22 } });
    const port = new MemoryPort();
    const spilled = exploreBitstate(world, { bitstate: { log2Bits: 22 }, spill: { port, maxInMemory: 2 } });
    expect(plain.verdict).toBe('violated');
    expect(spilled.counterexample).toEqual(plain.counterexample);
    expect(spilled.statesStored).toBe(plain.statesStored);
    expect(port.appended).toBeGreaterThan(0);
    expect(port.closed).toBe(true);
  });

  it('a search stopped early (cancelled, or at its state bound) empties the port', () => {
    const port = new MemoryPort();
    const cancel = { cancelled: false };
    let seen = 0;
    const r = exploreBitstate(seed(4), {
      bitstate: { log2Bits: 24 },
      spill: { port, maxInMemory: 5 },
      cancel,
      onProgress: () => {
        if (++seen === 1) cancel.cancelled = true;
      },
    });
    expect(r).toMatchObject({ verdict: 'inconclusive' });
    expect(port.appended).toBeGreaterThan(0);
    expect(port.closed).toBe(true);
    expect(port.levels.size).toBe(0);
    const bounded = new MemoryPort();
    expect(exploreBitstate(seed(3), { bitstate: { log2Bits: 24 }, spill: { port: bounded, maxInMemory: 4 }, bounds: { maxStates: 500 } })).toMatchObject({
      verdict: 'inconclusive',
      boundHit: 'states',
    });
    expect(bounded.appended).toBeGreaterThan(0);
    expect(bounded.closed).toBe(true);
  });
});
