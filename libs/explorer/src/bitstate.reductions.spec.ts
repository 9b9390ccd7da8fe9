import { describe, expect, it, vi } from 'vitest';
import { resolveModel, type ResolveRequest } from '@mmreplay/model';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import { SMALL_REDUCED_WORLDS, SYMMETRY_DEAD_REDUCTIONS, describeRequest } from '../test/worlds.js';
import { explore, type Progress } from './explorer.js';
import type { SpillPort } from './frontier.js';
import { APPROXIMATE_METHODS, SignatureTable, defaultLog2Bits, exploreBitstate } from './bitstate.js';
import { selfDeadlockWorld } from '../test/self-deadlock.js';

// The approximate searches (bitstate, hash compaction) with their reductions on and a roomy table,
// held to the exact sequential search with the same reductions (partial order off: the approximate
// search has none), and what each reports about its table, on small worlds: a fast spec for
// mutation runs of bitstate.ts (issue 20), where bitstate.spec's seed 3x3 audits take seconds per
// mutant. searches.differential.spec holds them to the reference BFS with the reductions off.
// The exact search here is the one on state vectors (`tuples: false`), which remembers no step:
// the approximate search's step and enabledness memos (tuple-steps.ts, shared with explore) are
// then held to a search without them.

const WORLDS = SMALL_REDUCED_WORLDS;
const name = describeRequest;
const REDUCTIONS = SYMMETRY_DEAD_REDUCTIONS;
const world = (r: ResolveRequest) => resolveModel(r).world;
const c8 = () => world({ scenario: 'c8-shmem-refcount' });

describe('the approximate searches with a roomy table and their reductions are the exact search with the same ones', () => {
  for (const req of WORLDS) {
    it(`${name(req)}: bitstate and hash compaction, symmetry and dead registers on and off`, () => {
      const w = world(req);
      for (const red of REDUCTIONS) {
        const one = explore(w, { ...red, partialOrder: false, tuples: false });
        for (const method of APPROXIMATE_METHODS) {
          const what = `${JSON.stringify(red)} ${method}`;
          const r = exploreBitstate(w, { ...red, bitstate: { method, log2Bits: 22 } });
          expect(r.verdict, what).toBe(one.verdict);
          expect(r.boundHit, what).toBeNull();
          expect(r.reductions, what).toEqual([...one.reductions.slice(0, 2), method, ...one.reductions.slice(2)]);
          expect([r.statesStored, r.transitions, r.schedules], what).toEqual([one.statesStored, one.transitions, one.schedules]);
          if (one.verdict === 'holds') {
            expect(r.maxDepth, what).toBe(one.maxDepth);
            expect(r.counterexample, what).toBeNull();
            continue;
          }
          // the same first counterexample: the same states in the same order, replayed from the decisions
          expect(r.counterexample, what).toEqual(one.counterexample);
          const cx = r.counterexample!;
          const run = new Runtime(w).run({ scheduler: new ReplayScheduler(cx.schedule), maxSteps: cx.length + 1 });
          expect(run.violation?.invariant, what).toBe(cx.invariant);
          expect(run.steps, what).toBe(cx.length);
        }
      }
    });
  }
});

describe('the memos leave the approximate search as it was', () => {
  it('a table small enough to take states for one another: the same states kept and missed, with and without the memos', () => {
    for (const req of [{ scenario: 'seed', params: { ptes: 3, faults: 3 } }, { scenario: 'c10-device-private' }, ...WORLDS.slice(0, 3)]) {
      const w = world(req);
      for (const red of [{}, { symmetry: false }]) {
        for (const bitstate of [{ log2Bits: 12, hashes: 1 }, { log2Bits: 14, hashes: 2 }, { method: 'hashcompact' as const }]) {
          const what = `${name(req)} ${JSON.stringify(red)} ${JSON.stringify(bitstate)}`;
          const figures = (r: ReturnType<typeof exploreBitstate>) => ({
            verdict: r.verdict,
            boundHit: r.boundHit,
            states: r.statesStored,
            transitions: r.transitions,
            ends: r.schedules,
            depth: r.maxDepth,
            approximate: r.approximate,
            counterexample: r.counterexample,
          });
          expect(figures(exploreBitstate(w, { ...red, bitstate })), what).toEqual(figures(exploreBitstate(w, { ...red, bitstate, tuples: false })));
        }
      }
    }
    // the small table did miss states of seed 3x3 (so the comparison above is one of lossy searches)
    const seed3 = world({ scenario: 'seed', params: { ptes: 3, faults: 3 } });
    expect(exploreBitstate(seed3, { bitstate: { log2Bits: 12, hashes: 1 } }).statesStored).toBeLessThan(explore(seed3).statesStored);
  });
});

describe('what an approximate search reports about its table', () => {
  it('bitstate: the table size asked for (whole bits, 2^10 to 2^32), the bits a state (1 to 8), the hash factor, fill and chance of a miss', () => {
    const w = c8();
    const exact = explore(w, { partialOrder: false });
    const n = exact.statesStored;
    for (const [asked, log2Bits] of [
      [20, 20],
      [20.9, 20],
      [3, 10],
    ] as const) {
      for (const [hashes, k] of [
        [undefined, 3],
        [1, 1],
        [2.7, 2],
        [0, 1],
        [20, 8],
      ] as const) {
        const r = exploreBitstate(w, { bitstate: { log2Bits: asked, hashes } });
        const a = r.approximate;
        const what = `${asked} bits, ${hashes} hashes`;
        expect({ log2Bits: a.log2Bits, hashes: a.hashes, signatureBits: a.signatureBits, method: a.method }, what).toEqual({
          log2Bits,
          hashes: k,
          signatureBits: null,
          method: 'bitstate',
        });
        expect(a.hashFactor, what).toBe(2 ** log2Bits / r.statesStored);
        // each state stored set between 1 and k bits of the table
        const set = a.fill * 2 ** log2Bits;
        expect(Number.isInteger(Math.round(set * 1e6) / 1e6), what).toBe(true);
        expect(set, what).toBeGreaterThanOrEqual(r.statesStored);
        expect(set, what).toBeLessThanOrEqual(k * r.statesStored);
        // each stored state's chance of a miss was at most the final fill^k
        expect(a.omissionProbability, what).toBeGreaterThan(0);
        expect(a.omissionProbability, what).toBeLessThanOrEqual(1 - (1 - a.fill ** k) ** r.statesStored + 1e-12);
        if (log2Bits === 20) {
          expect(r.statesStored, what).toBe(n);
          // at most n small chances: about n fill^k, not more
          expect(a.omissionProbability, what).toBeLessThan(n * a.fill ** k + 1e-12);
        }
      }
    }
    // a table of 2^10 bits cannot hold c8's states apart
    const tiny = exploreBitstate(w, { bitstate: { log2Bits: 10, hashes: 1 } });
    expect(tiny.statesStored).toBeLessThan(n);
  });

  it('hash compaction: 64-bit signatures, one a state, the chance of a miss n(n+1)/2^65, a table at most half full', () => {
    const w = c8();
    const n = explore(w, { partialOrder: false }).statesStored;
    const r = exploreBitstate(w, { bitstate: { method: 'hashcompact', log2Bits: 12, hashes: 5 } });
    expect(r.statesStored).toBe(n);
    const a = r.approximate;
    expect({ method: a.method, hashes: a.hashes, signatureBits: a.signatureBits }).toEqual({ method: 'hashcompact', hashes: 1, signatureBits: 64 });
    // the table: 2^16 slots of 64 bits (its first size), whatever log2Bits asked
    expect(a.log2Bits).toBe(22);
    expect(a.fill).toBe(n / 2 ** 16);
    expect(a.hashFactor).toBe(2 ** 22 / n);
    expect(a.omissionProbability / ((n * (n + 1)) / 2 ** 65)).toBeCloseTo(1, 9);
  });

  it('the default table from the memory bound, and a search with it', () => {
    expect([1, 4, 8, 16, 63, 64, 255, 256, 511, 512, 10_000].map(defaultLog2Bits)).toEqual([21, 23, 24, 25, 26, 27, 28, 29, 29, 30, 30]);
    // a quarter of the bound, in bits: 2^21 bits a megabyte; never below 2^10
    expect(defaultLog2Bits(2 ** -20)).toBe(10);
    expect(defaultLog2Bits(2 ** -9)).toBe(12);
    const r = exploreBitstate(c8(), { bounds: { maxMemoryMB: 200 } });
    expect(r.approximate.log2Bits).toBe(28);
    expect(r.verdict).toBe('holds');
  });

  it('stats: the bytes of the table, the two levels, the parent links and the interned components', () => {
    const stats = { bytes: 0 };
    const r = exploreBitstate(c8(), { bitstate: { log2Bits: 20 }, stats });
    expect(r.verdict).toBe('holds');
    // the bit table (128 KB) and the parent links with their decisions (2^16 of 6 bytes), and more
    expect(stats.bytes).toBeGreaterThan(2 ** 17 + 6 * 2 ** 16);
    expect(stats.bytes).toBeLessThan(2 ** 17 + 6 * 2 ** 16 + 2 ** 20);
    const hc = { bytes: 0 };
    exploreBitstate(c8(), { bitstate: { method: 'hashcompact' }, stats: hc });
    // its table of 2^16 slots of 8 bytes instead of the bits
    expect(hc.bytes).toBeGreaterThan(2 ** 19 + 6 * 2 ** 16);
    expect(hc.bytes).toBeLessThan(2 ** 19 + 6 * 2 ** 16 + 2 ** 20);
  });

  it('the bounds: states (a state already visited is not counted), depth, time, cancellation and memory', () => {
    const w = c8();
    const exact = explore(w, { partialOrder: false });
    const n = exact.statesStored;
    for (const method of APPROXIMATE_METHODS) {
      const at = (o: object) => exploreBitstate(w, { bitstate: { method, log2Bits: 20 }, ...o });
      expect(at({ bounds: { maxStates: n } }), method).toMatchObject({ verdict: 'holds', boundHit: null, statesStored: n });
      expect(at({ bounds: { maxStates: n - 1 } }), method).toMatchObject({ verdict: 'inconclusive', boundHit: 'states', statesStored: n - 1 });
      expect(at({ bounds: { maxStates: 1 } }), method).toMatchObject({ verdict: 'inconclusive', boundHit: 'states', statesStored: 1 });
      const deep = at({ bounds: { maxDepth: exact.maxDepth } });
      expect(deep, method).toMatchObject({ verdict: 'inconclusive', boundHit: 'depth', statesStored: n, maxDepth: exact.maxDepth });
      const shallow = at({ bounds: { maxDepth: 3 } });
      expect(shallow, method).toMatchObject({ verdict: 'inconclusive', boundHit: 'depth', maxDepth: 3 });
      expect(shallow.statesStored, method).toBe(explore(w, { partialOrder: false, bounds: { maxDepth: 3 } }).statesStored);
      expect(at({ bounds: { maxSeconds: -1 } }), method).toMatchObject({ verdict: 'inconclusive', boundHit: 'time', statesStored: 1 });
      expect(at({ bounds: { maxSeconds: 60 } }), method).toMatchObject({ verdict: 'holds', boundHit: null });
      expect(at({ cancel: { cancelled: true } }), method).toMatchObject({ verdict: 'inconclusive', boundHit: 'cancelled', statesStored: 1 });
      expect(at({ cancel: { cancelled: false } }), method).toMatchObject({ verdict: 'holds' });
    }
    // the bit table alone is over the bound
    expect(exploreBitstate(w, { bitstate: { log2Bits: 26 }, bounds: { maxMemoryMB: 4 } })).toMatchObject({ verdict: 'inconclusive', boundHit: 'memory' });
  });

  it('a signature table without room to double says it is full, at more than half of its slots', () => {
    let asked = 0;
    const t = new SignatureTable(2, (extra) => ((asked = extra), false));
    let fresh = 0;
    for (let i = 0; i < 40_000 && !t.full; i++) fresh += t.visit(Int32Array.of(i, 7 * i)) ? 1 : 0;
    expect(t.full).toBe(true);
    expect(fresh).toBe(2 ** 15 + 1);
    expect(asked).toBe(2 ** 20);
    expect(t.bytes).toBe(2 ** 19);
  });

  it('a signature table keeps what it held when it grows, and has() leaves it as it is', () => {
    const t = new SignatureTable(3);
    const s = (i: number) => Int32Array.of(i, i ^ 0x5a5a, 3 * i);
    let wrong = 0;
    for (let i = 0; i < 50_000; i++) {
      if (t.has(s(i))) wrong++;
      if (!t.visit(s(i))) wrong++;
      if (!t.has(s(i))) wrong++;
    }
    expect(wrong).toBe(0);
    // grown once past half of its 2^16 slots: 2^17 slots of 8 bytes
    expect(t.bytes).toBe(2 ** 20);
    expect(t.log2Bits).toBe(23);
    expect(t.fill).toBe(50_000 / 2 ** 17);
    expect(t.missChance()).toBe(50_000 / 2 ** 64);
    for (let i = 0; i < 50_000; i++) if (t.visit(s(i))) wrong++;
    expect(wrong).toBe(0);
    expect(t.fill).toBe(50_000 / 2 ** 17);
  });
  it('a spilled frontier: the same search, and the port closed at the end, however it ends', () => {
    const blocks = new Map<number, Uint32Array[]>();
    let appended = 0;
    let closed = 0;
    const port: SpillPort = {
      append: (level, block) => {
        appended++;
        blocks.set(level, [...(blocks.get(level) ?? []), block.slice()]);
      },
      read: (level, into) => {
        const b = blocks.get(level)?.shift();
        if (!b) return 0;
        into.set(b);
        return b.length;
      },
      drop: (level) => void blocks.delete(level),
      close: () => void (closed++, blocks.clear()),
    };
    const w = c8();
    const plain = exploreBitstate(w, { bitstate: { log2Bits: 20 } });
    const spilled = exploreBitstate(w, { bitstate: { log2Bits: 20 }, spill: { port, maxInMemory: 2 } });
    expect({ ...spilled, elapsedMs: 0 }).toEqual({ ...plain, elapsedMs: 0 });
    expect(appended).toBeGreaterThan(0);
    expect(closed).toBe(1);
    expect(exploreBitstate(w, { bitstate: { log2Bits: 20 }, spill: { port, maxInMemory: 2 }, bounds: { maxStates: 5 } })).toMatchObject({ boundHit: 'states' });
    expect(closed).toBe(2);
  });

  it("progress: at a level's first state when more than 100 ms passed since the last report, with the states stored and their rate", () => {
    // each reading of the clock 150 ms later than the one before
    let now = 0;
    const spy = vi.spyOn(performance, 'now').mockImplementation(() => (now += 150));
    try {
      const progress: Progress[] = [];
      const r = exploreBitstate(c8(), { bitstate: { log2Bits: 20 }, bounds: { maxSeconds: 1e6 }, onProgress: (p) => progress.push({ ...p }) });
      expect(r.verdict).toBe('holds');
      // one report a level (c8's levels have fewer than 1,024 states), depths 0 to the deepest
      expect(progress.map((p) => p.depth)).toEqual(Array.from({ length: r.maxDepth + 1 }, (_, i) => i));
      for (const p of progress) expect(p.statesPerSecond).toBeCloseTo((p.states * 1000) / p.elapsedMs, 9);
      expect(progress[0]).toMatchObject({ states: 1, transitions: 0 });
      expect(progress.at(-1)!.states).toBe(r.statesStored);
      for (let i = 1; i < progress.length; i++) {
        expect(progress[i].elapsedMs).toBeGreaterThan(progress[i - 1].elapsedMs);
        expect(progress[i].states).toBeGreaterThan(progress[i - 1].states);
      }
      // a clock that moves 50 ms a reading reports every other level at most
      now = 0;
      spy.mockImplementation(() => (now += 50));
      const fewer: Progress[] = [];
      exploreBitstate(c8(), { bitstate: { log2Bits: 20 }, bounds: { maxSeconds: 1e6 }, onProgress: (p) => fewer.push({ ...p }) });
      expect(fewer.length).toBeGreaterThan(0);
      expect(fewer.length).toBeLessThan(progress.length);
      // and a search that takes longer than its time bound stops
      now = 0;
      spy.mockImplementation(() => (now += 1000));
      expect(exploreBitstate(c8(), { bitstate: { log2Bits: 20 }, bounds: { maxSeconds: 5 } })).toMatchObject({ verdict: 'inconclusive', boundHit: 'time' });
    } finally {
      spy.mockRestore();
    }
  });

  it('an end state that breaks an invariant the world audits is a violation at the end of the schedule, as in the exact search; one it does not audit is not', () => {
    const audited = selfDeadlockWorld(['deadlock']);
    const unaudited = selfDeadlockWorld([]);
    const exact = explore(audited, { partialOrder: false });
    expect(exact.verdict).toBe('violated');
    for (const method of APPROXIMATE_METHODS) {
      const r = exploreBitstate(audited, { bitstate: { method, log2Bits: 16 } });
      expect(r.verdict, method).toBe('violated');
      expect(r.counterexample, method).toEqual(exact.counterexample);
      expect(r.counterexample!.message).toMatch(/^deadlock: no thread can run/);
      const h = exploreBitstate(unaudited, { bitstate: { method, log2Bits: 16 } });
      expect(h, method).toMatchObject({ verdict: 'holds', counterexample: null, boundHit: null });
      expect(h.schedules, method).toBe(explore(unaudited, { partialOrder: false }).schedules);
      expect(h.schedules, method).toBeGreaterThan(0);
    }
  });

  it('the elapsed time is measured from the start of the search', () => {
    // a clock far from zero, 7 ms a reading: the result's time is the readings' difference, not their sum
    let t = 1e9;
    const now = vi.spyOn(performance, 'now').mockImplementation(() => (t += 7));
    try {
      const r = exploreBitstate(c8(), { bitstate: { log2Bits: 16 }, bounds: { maxSeconds: 1e9 } });
      expect(r.verdict).toBe('holds');
      expect(r.elapsedMs).toBeGreaterThan(0);
      expect(r.elapsedMs).toBeLessThanOrEqual(t - 1e9);
      expect(now).toHaveBeenCalled();
    } finally {
      now.mockRestore();
    }
  });

  it('the parent links grow past 2^16 states, and a counterexample deeper than them still replays', () => {
    // c10-device-ref-first unreduced: violated after about 149,000 states
    const w = world({ scenario: 'c10-device-private', variant: 'c10-device-ref-first' });
    const exact = explore(w, { partialOrder: false, symmetry: false, deadRegisters: false });
    const r = exploreBitstate(w, { symmetry: false, deadRegisters: false, bitstate: { log2Bits: 26 } });
    expect(r.statesStored).toBe(exact.statesStored);
    expect(r.statesStored).toBeGreaterThan(2 ** 16);
    expect(r.counterexample).toEqual(exact.counterexample);
    // hash compaction's table grows past its first 2^16 slots, the memory bound leaving room
    const hc = exploreBitstate(w, { symmetry: false, deadRegisters: false, bitstate: { method: 'hashcompact' } });
    expect(hc).toMatchObject({ verdict: 'violated', boundHit: null, statesStored: exact.statesStored });
    expect(hc.approximate.log2Bits).toBeGreaterThan(22);
    expect(hc.counterexample).toEqual(exact.counterexample);
  });
});
