import { describe, expect, it } from 'vitest';
import { resolveModel, type ResolveRequest } from '@mmreplay/model';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import { exploreBitstate } from './bitstate.js';
import { referenceBfs, REFERENCE_REQUESTS, requestName } from '../test/reference-bfs.js';

// The approximate search (bitstate) with a table roomy enough to miss nothing against the
// reference BFS with its reductions off (issue 20: its own specs compare it with explore, which a
// change to the shared machinery moves in step). The parallel search is held to the same
// reference in parallel-shared.spec.ts, on worker threads and on the calling thread alone.

const REQUESTS = REFERENCE_REQUESTS;
const name = requestName;
const OFF = { symmetry: false, partialOrder: false, deadRegisters: false };

function replays(req: ResolveRequest, schedule: string, length: number, invariant: string): void {
  const run = new Runtime(resolveModel(req).world).run({ scheduler: new ReplayScheduler(schedule), maxSteps: length + 1 });
  expect(run.violation?.invariant).toBe(invariant);
  expect(run.steps).toBe(length);
}

describe('bitstate with a roomy table is the reference BFS', () => {
  for (const req of REQUESTS) {
    it(`${name(req)}: verdict, figures and the shortest counterexample`, () => {
      const world = resolveModel(req).world;
      const ref = referenceBfs(world);
      const r = exploreBitstate(world, { ...OFF, bitstate: { log2Bits: 22 } });
      expect(r.verdict).toBe(ref.violationLength === null ? 'holds' : 'violated');
      expect(r.boundHit).toBeNull();
      expect({ states: r.statesStored, transitions: r.transitions, endStates: r.schedules }).toEqual({
        states: ref.states,
        transitions: ref.transitions,
        endStates: ref.endStates,
      });
      // the depth reached is counted at the end of a level: a violation ends the search in the level
      // of the state it was found at (the end state itself, or the state before the violating step)
      const cx = r.counterexample;
      expect(r.maxDepth).toBe(cx === null ? ref.maxDepth : cx.step < cx.length ? cx.length - 1 : cx.length);
      expect(r.approximate).toMatchObject({ method: 'bitstate', log2Bits: 22, hashes: 3 });
      expect(r.approximate.hashFactor).toBeCloseTo(2 ** 22 / ref.states, 6);
      expect(r.approximate.fill).toBeGreaterThan(0);
      expect(r.approximate.fill).toBeLessThanOrEqual((3 * ref.states) / 2 ** 22);
      if (ref.violationLength === null) return expect(r.counterexample).toBeNull();
      expect(r.counterexample).toMatchObject({ invariant: ref.invariant, length: ref.violationLength });
      replays(req, r.counterexample!.schedule, r.counterexample!.length, ref.invariant!);
    });
  }

  it('bounds: one state fewer than the reachable ones, or a depth bound at the deepest, is inconclusive', () => {
    const world = resolveModel({ scenario: 'c8-shmem-refcount' }).world;
    const ref = referenceBfs(world);
    const at = (bounds: object) => exploreBitstate(world, { ...OFF, bitstate: { log2Bits: 22 }, bounds });
    // the bound is checked before each successor is hashed (a known one is not told apart from a new one first)
    expect(at({ maxStates: ref.states + 1 })).toMatchObject({ verdict: 'holds', statesStored: ref.states });
    expect(at({ maxStates: ref.states - 1 })).toMatchObject({ verdict: 'inconclusive', boundHit: 'states', statesStored: ref.states - 1 });
    expect(at({ maxDepth: ref.maxDepth })).toMatchObject({ verdict: 'inconclusive', boundHit: 'depth' });
    expect(at({ maxDepth: ref.maxDepth + 1 })).toMatchObject({ verdict: 'holds', boundHit: null });
    expect(at({ maxSeconds: 0 })).toMatchObject({ verdict: 'inconclusive', boundHit: 'time' });
    expect(exploreBitstate(world, { ...OFF, bitstate: { log2Bits: 22 }, cancel: { cancelled: true } })).toMatchObject({
      verdict: 'inconclusive',
      boundHit: 'cancelled',
    });
  });
});
