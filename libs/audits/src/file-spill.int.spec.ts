import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveModel } from '@mmreplay/model';
import { exploreBitstate } from '@mmreplay/explorer';
import { FileSpill } from './file-spill.js';

// The approximate search with its frontier in files: the same result as in memory, and no file
// left behind, whether the search finishes or is stopped.

const seed = (n: number, variant?: string) => resolveModel({ scenario: 'seed', params: { ptes: n, faults: n }, variant }).world;

describe('FileSpill: the approximate search frontier on disk', () => {
  const root = mkdtempSync(join(tmpdir(), 'mmreplay-spill-test-'));

  it('seed 3x3 with 4 states of a level in memory: the same result as without, files written, then removed', () => {
    const plain = exploreBitstate(seed(3), { bitstate: { log2Bits: 24 } });
    const port = new FileSpill(root);
    const r = exploreBitstate(seed(3), { bitstate: { log2Bits: 24 }, spill: { port, maxInMemory: 4 } });
    expect({ ...r, elapsedMs: 0 }).toEqual({ ...plain, elapsedMs: 0 });
    expect(port.written).toBeGreaterThan(r.statesStored * 4);
    expect(existsSync(port.dir)).toBe(false);
    expect(readdirSync(root)).toEqual([]);
  });

  it('the first counterexample of the unlock-before-remove mutant is the same through files', () => {
    const plain = exploreBitstate(seed(3, 'unlock-before-remove'), { bitstate: { log2Bits: 22 } });
    const port = new FileSpill(root);
    const r = exploreBitstate(seed(3, 'unlock-before-remove'), { bitstate: { log2Bits: 22 }, spill: { port, maxInMemory: 2 } });
    expect(r.counterexample).toEqual(plain.counterexample);
    expect(port.written).toBeGreaterThan(0);
    expect(readdirSync(root)).toEqual([]);
  });

  it('a cancelled search leaves no file', () => {
    const port = new FileSpill(root);
    const cancel = { cancelled: false };
    const r = exploreBitstate(seed(4), {
      bitstate: { log2Bits: 24 },
      spill: { port, maxInMemory: 5 },
      cancel,
      onProgress: () => (cancel.cancelled = true),
    });
    expect(r).toMatchObject({ verdict: 'inconclusive', boundHit: 'cancelled' });
    expect(port.written).toBeGreaterThan(0);
    expect(readdirSync(root)).toEqual([]);
    rmSync(root, { recursive: true, force: true });
  });
});
