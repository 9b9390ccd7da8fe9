import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import type { Progress } from './explorer.js';
import { exploreBitstate } from './bitstate.js';

// The approximate search's clock mocked, one reading a level (c8's levels have fewer than 1,024
// states) besides the start and the end, so that the time bound and the progress reports fall at
// known levels. Mutation testing of bitstate.ts (issue 20, session 20) found the time bound's
// `>` and the reports' `> 100` untested at their edges, and the start time added, not subtracted,
// undetected by a clock near 0.

const c8 = () => resolveModel({ scenario: 'c8-shmem-refcount' }).world;

/** performance.now() from `from`, `step` ms later at each reading */
const clock = (from: number, step: number) => {
  let t = from;
  vi.spyOn(performance, 'now').mockImplementation(() => (t += step));
};

afterEach(() => vi.restoreAllMocks());

describe('the approximate search against a mocked clock', () => {
  it('the time bound is passed only when more time than it has gone by: a bound equal to the time at the last level holds', () => {
    const at = (maxSeconds: number) => {
      // far from 0: the elapsed time is the difference of two readings
      clock(1e9, 1000);
      return exploreBitstate(c8(), { bitstate: { log2Bits: 20 }, bounds: { maxSeconds } });
    };
    const all = at(1e6);
    expect(all.verdict).toBe('holds');
    // readings: the start, one at each level's first state (depths 0 to the deepest), the end
    expect(all.elapsedMs).toBe(1000 * (all.maxDepth + 2));
    const last = all.maxDepth + 1;
    expect(at(last)).toMatchObject({ verdict: 'holds', boundHit: null, statesStored: all.statesStored });
    expect(at(last - 1)).toMatchObject({ verdict: 'inconclusive', boundHit: 'time', statesStored: all.statesStored });
    expect(at(1)).toMatchObject({ verdict: 'inconclusive', boundHit: 'time' });
  });

  it('progress is reported once more than 100 ms have gone by since the last report: every third level at 50 ms a level', () => {
    clock(0, 50);
    const progress: Progress[] = [];
    const r = exploreBitstate(c8(), { bitstate: { log2Bits: 20 }, bounds: { maxSeconds: 1e6 }, onProgress: (p) => progress.push({ ...p }) });
    expect(r.verdict).toBe('holds');
    const every3 = Array.from({ length: Math.floor((r.maxDepth + 1) / 3) }, (_, i) => 3 * i + 2);
    expect(progress.map((p) => p.depth)).toEqual(every3);
    expect(progress.map((p) => p.elapsedMs)).toEqual(every3.map((d) => 50 * (d + 1)));
  });
});
