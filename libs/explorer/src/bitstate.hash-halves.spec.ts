import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { SignatureTable, exploreBitstate } from './bitstate.js';

// The approximate search's hashes steered: `hashRange` as bitstate.ts imports it is replaced by one
// that a test may override (state-store.ts's own calls keep the real one), so that the cases a real
// hash reaches about once in 2^31 states are reached on purpose: a signature with a zero half (hash
// compaction), and the top bit of a 2^32-bit table's index (bitstate). Mutation testing of
// bitstate.ts (issue 20, session 19) found them untested.

const steer = vi.hoisted(() => ({
  hash: null as ((s: Int32Array, off: number, n: number, real: (s: Int32Array, off: number, n: number) => number) => number) | null,
}));

vi.mock('./state-store.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('./state-store.js')>();
  return {
    ...real,
    hashRange: (s: Int32Array, off: number, n: number) => (steer.hash ? steer.hash(s, off, n, real.hashRange) : real.hashRange(s, off, n)),
  };
});

afterEach(() => {
  steer.hash = null;
});

// States of two words whose second hash (otherHash, the signature's low half) is 0 and 1, and one
// whose second hash is 0x56390000 (its low 16 bits 0: it probes from the same first slot as Z under
// the same high half), found by inverting FNV-1a and the murmur finaliser.
const Z = Int32Array.of(1, 1324744499);
const ONE = Int32Array.of(1, 1675270862);
const SAME_SLOT = Int32Array.of(22887, 68662);
const many = (count: number) => Array.from({ length: count }, (_, i) => Int32Array.of(i + 2, 11 * i + 3));

describe('hash compaction: a signature with a zero half is a signature like any other', () => {
  it('every signature high half 0: each state kept, found, found again after the table grows; none taken for another', () => {
    steer.hash = () => 0;
    const t = new SignatureTable(2);
    const states = many(40_000);
    let wrong = 0;
    for (const s of states) if (!t.visit(s)) wrong++;
    // past half of its first 2^16 slots: grown once
    expect(t.bytes).toBe(2 ** 20);
    for (const s of states) if (!t.has(s)) wrong++;
    for (const s of states) if (t.visit(s)) wrong++;
    expect(wrong).toBe(0);
    expect(t.fill).toBe(40_000 / 2 ** 17);
  });

  it('the signature (0, 0) is stored as (0, 1): taken for the state whose low half is 1, and for no other', () => {
    steer.hash = () => 0;
    const t = new SignatureTable(2);
    expect(t.visit(Z)).toBe(true);
    expect(t.has(Z)).toBe(true);
    expect(t.has(ONE)).toBe(true);
    expect(t.visit(ONE)).toBe(false);
    expect(t.visit(SAME_SLOT)).toBe(true);
    expect(t.visit(Z)).toBe(false);
  });

  it('a signature whose low half is 0: kept, told apart from one probing from the same slot, kept when the table grows', () => {
    steer.hash = () => 5;
    const t = new SignatureTable(2);
    expect(t.visit(Z)).toBe(true);
    expect(t.has(Z)).toBe(true);
    // (5, 0) is not (5, 1): the rule above is for the high half 0 only
    expect(t.has(ONE)).toBe(false);
    expect(t.has(SAME_SLOT)).toBe(false);
    expect(t.visit(SAME_SLOT)).toBe(true);
    expect(t.has(SAME_SLOT)).toBe(true);
    expect(t.visit(Z)).toBe(false);
    // the high half back to the real hash for the rest, so that the table grows as it would
    steer.hash = (s, off, n, real) => (s === Z || s === SAME_SLOT ? 5 : real(s, off, n));
    for (const s of many(40_000)) t.visit(s);
    expect(t.bytes).toBe(2 ** 20);
    expect([t.has(Z), t.has(SAME_SLOT), t.visit(Z), t.visit(SAME_SLOT)]).toEqual([true, true, false, false]);
  });
});

describe('hash compaction: a signature is both its halves', () => {
  it('(h, lo) and (h + 2^16, lo), which start probing at the same slot of 2^16, are two signatures', () => {
    const t = new SignatureTable(2);
    const s = Int32Array.of(3, 4);
    steer.hash = () => 5;
    expect(t.visit(s)).toBe(true);
    // the same low half (the same state), a high half equal to the first modulo the slot count
    steer.hash = () => 5 + 2 ** 16;
    expect(t.has(s)).toBe(false);
    expect(t.visit(s)).toBe(true);
    expect(t.visit(s)).toBe(false);
    expect(t.fill).toBe(2 / 2 ** 16);
  });
});

describe('bitstate: a table of 2^32 bits indexes by the whole 32 bits of h1 + i h2', () => {
  const c8 = () => resolveModel({ scenario: 'c8-shmem-refcount' }).world;
  // the table's 512 MB are allocated but only the pages of the bits set are touched
  const search = (hashes: number) => exploreBitstate(c8(), { symmetry: false, bitstate: { log2Bits: 32, hashes }, bounds: { maxMemoryMB: 4_096 } });
  // a state's class: the top bit of its real first hash (both classes are reached in c8)
  const top = (s: Int32Array, n: number, real: (s: Int32Array, off: number, n: number) => number) => real(s, 0, n) < 0;

  it('one bit a state at h1, h1 only its top bit: two states kept, one of each class', () => {
    steer.hash = (s, off, n, real) => (off === 0 ? real(s, 0, n) & 0x80000000 : real(s, off, n));
    const r = search(1);
    expect(r.statesStored).toBe(2);
    expect(r.approximate.fill).toBe(2 / 2 ** 32);
  });

  it('two bits a state, modulo 2^32: (h1, h2) = (0, 1) and (1, -1) set the same bits 0 and 1, so one state is kept', () => {
    steer.hash = (s, off, n, real) => {
      const second = top(s, off === 0 ? n : n + 1, real);
      if (off === 0) return second ? 1 : 0;
      return second ? -1 : 1;
    };
    const r = search(2);
    expect(r.statesStored).toBe(1);
    expect(r.approximate.fill).toBe(2 / 2 ** 32);
  });

  it('a table under 2^32 bits the same, modulo its size: (0, 1) and (1, -1) set its bits 0 and 1, so one state is kept', () => {
    // the masked index (h1 + i h2) mod 2^20; stepping by -h2 instead would set bits 0 and 2^20 - 1, then 1 and 2
    steer.hash = (s, off, n, real) => {
      const second = top(s, off === 0 ? n : n + 1, real);
      if (off === 0) return second ? 1 : 0;
      return second ? -1 : 1;
    };
    const r = exploreBitstate(c8(), { symmetry: false, bitstate: { log2Bits: 20, hashes: 2 } });
    expect(r.statesStored).toBe(1);
    expect(r.approximate.fill).toBe(2 / 2 ** 20);
  });
});
