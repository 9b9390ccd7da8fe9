import { describe, expect, it } from 'vitest';
import { Ring } from './parallel-ring.js';

// The ring between two workers of the parallel search (issue 15): its room counted to the word,
// an entry that ends exactly at the ring's end kept there, entries that do not fit before it
// wrapped whole, over many laps of the positions, and the two ways to wait for the other side.

const words = (d: Int32Array, n: number) => [...d.subarray(0, n)];

describe('Ring', () => {
  it('has a capacity that is a power of two, and holds 4 bytes a word', () => {
    expect(() => Ring.buffers(12)).toThrow(new RangeError("a ring's capacity is a power of two, not 12"));
    expect(() => Ring.buffers(24)).toThrow(RangeError);
    expect(new Ring(Ring.buffers(16)).bytes).toBe(64);
    expect(new Ring(Ring.buffers(1 << 10)).bytes).toBe(4096);
  });

  it('takes an entry that fills it to its last word, and then nothing, not even an end, until it is read', () => {
    const ring = new Ring(Ring.buffers(16));
    // 15 words and their header: exactly the ring, ending at its end (no wrap needed)
    expect(
      ring.tryWrite(
        Int32Array.from({ length: 15 }, (_, i) => i + 1),
        15,
      ),
    ).toBe(true);
    expect(ring.tryEnd()).toBe(false);
    expect(ring.tryWrite(Int32Array.of(99), 1)).toBe(false);
    expect(ring.tryGive(Int32Array.of(99), 1)).toBe(false);
    const got: number[][] = [];
    expect(ring.read((d, n) => got.push(words(d, n)))).toBe(false);
    expect(got).toEqual([Array.from({ length: 15 }, (_, i) => i + 1)]);
    // read: room again, from the ring's start
    expect(ring.tryEnd()).toBe(true);
    expect(ring.read(() => undefined)).toBe(true);
  });

  it('refuses a write one word larger than its room, and takes one that fits exactly, around the ring’s end', () => {
    const ring = new Ring(Ring.buffers(16));
    const got: number[][] = [];
    const take = (d: Int32Array, n: number) => got.push(words(d, n));
    // 6 words used and read: the writer is at 6, 10 words to the ring's end
    expect(ring.tryWrite(Int32Array.of(1, 2, 3, 4, 5), 5)).toBe(true);
    ring.read(take);
    // an entry of 9 words and its header ends exactly at the ring's end
    expect(ring.tryWrite(new Int32Array(9).fill(7), 9)).toBe(true);
    // 6 words free, at the start: 5 and a header fit, 6 do not
    expect(ring.tryWrite(new Int32Array(6).fill(8), 6)).toBe(false);
    expect(ring.tryWrite(new Int32Array(5).fill(8), 5)).toBe(true);
    expect(ring.tryEnd()).toBe(false);
    ring.read(take);
    expect(got).toEqual([[1, 2, 3, 4, 5], new Array(9).fill(7), new Array(5).fill(8)]);
  });

  it('hands an empty gift to takeGift, and goes on with what follows it', () => {
    const ring = new Ring(Ring.buffers(16));
    const seen: string[] = [];
    expect(ring.tryGive(new Int32Array(0), 0)).toBe(true);
    expect(ring.tryWrite(Int32Array.of(3, 4), 2)).toBe(true);
    expect(ring.tryEnd()).toBe(true);
    expect(
      ring.read(
        (d, n) => seen.push(`batch ${words(d, n).join(',')}`),
        (d, n) => seen.push(`gift of ${n}`),
      ),
    ).toBe(true);
    expect(seen).toEqual(['gift of 0', 'batch 3,4']);
    expect(ring.readAt).toBe(5);
  });

  it('hands back every batch, gift and end in order over many laps of its positions, however they wrap', () => {
    const ring = new Ring(Ring.buffers(32));
    const sent: string[] = [];
    const seen: string[] = [];
    let x = 7;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0) % 1000;
    for (let round = 0; round < 400; round++) {
      // write until the ring refuses (32 words hold at most 16 entries), then read all of it
      let k = 0;
      for (; k < 64; k++) {
        const kind = next() % 5;
        const n = 1 + (next() % 12);
        const batch = Int32Array.from({ length: n }, () => next());
        const ok = kind === 0 ? ring.tryEnd() : kind === 1 ? ring.tryGive(batch, n) : ring.tryWrite(batch, n);
        if (!ok) break;
        sent.push(kind === 0 ? 'end' : `${kind === 1 ? 'gift' : 'batch'} ${words(batch, n).join(',')}`);
      }
      expect(k).toBeLessThanOrEqual(16);
      while (
        ring.read(
          (d, n) => seen.push(`batch ${words(d, n).join(',')}`),
          (d, n) => seen.push(`gift ${words(d, n).join(',')}`),
        )
      )
        seen.push('end');
    }
    expect(sent.length).toBeGreaterThan(1000);
    expect(seen).toEqual(sent);
  });

  it('readSome: null when the reader has moved since, else settled when it reads or after its time', async () => {
    const ring = new Ring(Ring.buffers(16));
    expect(ring.tryWrite(new Int32Array(15), 15)).toBe(true);
    const since = ring.readAt;
    expect(since).toBe(0);
    // nothing read: a wait for room times out
    expect(await ring.readSome(20, since)).toBe('timed-out');
    const wait = ring.readSome(10_000, since)!;
    expect(wait).not.toBeNull();
    const t = performance.now();
    ring.read(() => undefined);
    expect(await wait).toBe('ok');
    expect(performance.now() - t).toBeLessThan(5_000);
    expect(ring.readAt).toBe(16);
    // the reader moved since `since`: no wait
    expect(ring.readSome(10_000, since)).toBeNull();
  });

  it('written: null when there is something to read, else settled when the writer writes or after its time', async () => {
    const ring = new Ring(Ring.buffers(16));
    expect(await ring.written(20)).toBe('timed-out');
    const wait = ring.written(10_000)!;
    expect(wait).not.toBeNull();
    const t = performance.now();
    expect(ring.tryWrite(Int32Array.of(1), 1)).toBe(true);
    expect(await wait).toBe('ok');
    expect(performance.now() - t).toBeLessThan(5_000);
    expect(ring.written(10_000)).toBeNull();
    ring.read(() => undefined);
    expect(await ring.written(20)).toBe('timed-out');
  });
});
