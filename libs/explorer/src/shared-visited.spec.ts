import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { BLOCK, SharedVisited, VisitedFull, type VisitedWriter } from './shared-visited.js';
import { tupleHash } from './state-store.js';

// The shared visited set on one thread against a Set of the tuples, then on several threads at
// once (the built module, as the search's workers load it): every distinct tuple stored once,
// under one id, with its parent, and listed once among the heads.

const ARITY = 3;
const key = (t: ArrayLike<number>) => Array.from(t).join(',');

const writers = new WeakMap<SharedVisited, VisitedWriter[]>();

/** Inserts `tuples` (ARITY ids each) in batches as writer `writer` (one per thread, kept) does; returns how many were new. */
function insertAll(v: SharedVisited, writer: number, tuples: number[][], parity = 1): number {
  if (!writers.has(v)) writers.set(v, []);
  const w = (writers.get(v)![writer] ??= v.writer(writer));
  w.beginLevel(parity);
  let added = 0;
  for (let at = 0; at < tuples.length; at += 50) {
    const part = tuples.slice(at, at + 50);
    const flat = new Uint32Array(part.flat());
    const hashes = new Int32Array(part.map((_, i) => tupleHash(flat, i * ARITY, ARITY)));
    const parents = new Int32Array(part.map((_, i) => at + i));
    added += w.insertBatch(flat, hashes, parents, part.length);
  }
  w.endLevel();
  return added;
}

/** The ids listed as heads of the level of parity `parity`, in order. */
function listed(v: SharedVisited, parity: number, writers: number[]): number[] {
  const h = v.heads(parity, writers);
  const ids: number[] = [];
  for (let r = 0; r < h.starts.length; r++) for (let id = h.starts[r]; id < h.ends[r]; id++) ids.push(id);
  expect(h.total).toBe(ids.length);
  return ids;
}

describe('the shared visited set on one thread', () => {
  it('stores each distinct tuple once, with the parent of its first insertion, and lists it once as a head', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: ARITY, maxLength: ARITY }), { maxLength: 400 }), (tuples) => {
        const v = new SharedVisited(SharedVisited.buffers(ARITY, 4096, 1));
        const added = insertAll(v, 0, tuples);
        const distinct = new Map<string, number>();
        tuples.forEach((t, i) => distinct.has(key(t)) || distinct.set(key(t), i));
        expect(added).toBe(distinct.size);
        const ids = listed(v, 1, [0]);
        expect(ids.length).toBe(distinct.size);
        const seen = new Set<string>();
        for (const id of ids) {
          const t = key(v.tupleAt(id, new Uint32Array(ARITY)));
          expect(seen.has(t)).toBe(false);
          seen.add(t);
          expect(v.parentOf(id)).toBe(distinct.get(t));
        }
        // every one is found again: nothing new
        expect(insertAll(v, 0, tuples, 0)).toBe(0);
        expect(listed(v, 0, [0])).toEqual([]);
      }),
    );
  });

  it('grows its table past its first size and still finds every tuple stored before', () => {
    const v = new SharedVisited(SharedVisited.buffers(ARITY, 1 << 18, 1));
    const tuples = Array.from({ length: 100_000 }, (_, i) => [i, i >>> 8, 7]);
    const slotsBefore = v.bytes - 4 * v.handed * (ARITY + 1);
    expect(insertAll(v, 0, tuples)).toBe(100_000);
    expect(v.bytes - 4 * v.handed * (ARITY + 1)).toBeGreaterThan(slotsBefore * 2);
    expect(insertAll(v, 0, tuples)).toBe(0);
    expect(insertAll(v, 0, [[100_000, 0, 7]])).toBe(1);
  });

  it('a level split over several blocks lists every range, and a block goes on into the next level', () => {
    const v = new SharedVisited(SharedVisited.buffers(ARITY, 8 * BLOCK, 2));
    insertAll(
      v,
      0,
      Array.from({ length: BLOCK + 10 }, (_, i) => [i, 0, 0]),
      1,
    );
    insertAll(v, 1, [[0, 1, 0]], 1);
    expect(listed(v, 1, [0, 1]).length).toBe(BLOCK + 11);
    insertAll(v, 0, [[5, 5, 5]], 0);
    // the writer's second block goes on: its next state follows the last one
    expect(listed(v, 0, [0])).toEqual([BLOCK + 10]);
  });

  it('says when the arena is full, rather than writing past it', () => {
    const v = new SharedVisited(SharedVisited.buffers(ARITY, BLOCK, 1));
    expect(() =>
      insertAll(
        v,
        0,
        Array.from({ length: BLOCK + 1 }, (_, i) => [i, 1, 2]),
      ),
    ).toThrow(VisitedFull);
  });
});

describe('the shared visited set on several threads at once', () => {
  it('four threads inserting overlapping tuples store each one once', async () => {
    const v = new SharedVisited(SharedVisited.buffers(ARITY, 1 << 20, 4));
    const entry = new URL('../dist/shared-visited.js', import.meta.url).href;
    const hashEntry = new URL('../dist/state-store.js', import.meta.url).href;
    // each thread inserts tuples [i mod 150000, 1, 2] from its own start: a half of them meet another thread's
    const source = `
      const { parentPort, workerData } = require('node:worker_threads');
      Promise.all([import(workerData.entry), import(workerData.hashEntry)]).then(([{ SharedVisited }, { tupleHash }]) => {
        const v = new SharedVisited(workerData.buffers);
        const w = v.writer(workerData.writer);
        w.beginLevel(1);
        let added = 0;
        for (let n = 0; n < 100000; n += 64) {
          const t = new Uint32Array(64 * 3), h = new Int32Array(64), p = new Int32Array(64);
          for (let i = 0; i < 64; i++) {
            t.set([(workerData.from + n + i) % 150000, 1, 2], 3 * i);
            h[i] = tupleHash(t, 3 * i, 3);
            p[i] = workerData.writer;
          }
          added += w.insertBatch(t, h, p, 64);
        }
        w.endLevel();
        parentPort.postMessage(added);
      });`;
    const added = await Promise.all(
      [0, 1, 2, 3].map(
        (writer) =>
          new Promise<number>((resolve, reject) => {
            const w = new Worker(source, { eval: true, workerData: { entry, hashEntry, buffers: v.buffers, writer, from: writer * 37_500 } });
            w.once('message', (n: number) => void w.terminate().then(() => resolve(n)));
            w.once('error', reject);
          }),
      ),
    );
    expect(added.reduce((a, b) => a + b, 0)).toBe(150_000);
    const ids = listed(v, 1, [0, 1, 2, 3]);
    expect(ids.length).toBe(150_000);
    const firsts = new Set(ids.map((id) => v.tupleAt(id, new Uint32Array(ARITY))[0]));
    expect(firsts.size).toBe(150_000);
  });
});
