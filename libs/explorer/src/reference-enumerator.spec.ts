import { describe, expect, it } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { referenceEnumerate } from './reference-enumerator.js';
import { referenceBfs, REFERENCE_REQUESTS, requestName } from '../test/reference-bfs.js';
import { selfDeadlockRequest } from '../test/self-deadlock.js';
import { backToStartRequest, digitRunsRequest } from '../test/state-keys.js';

// The depth-first reference enumerator that explorer specs hold the explorer to, held itself to the
// breadth-first reference (test/reference-bfs.ts), which shares nothing with it but the machine
// (issue 20: a mutation of the enumerator survived every spec that uses it only as a yardstick).

describe('the reference enumerator is the reference BFS', () => {
  for (const req of [
    ...REFERENCE_REQUESTS,
    { scenario: 'seed', params: { ptes: 2, faults: 2 } },
    selfDeadlockRequest(['deadlock']),
    selfDeadlockRequest([]),
    digitRunsRequest,
    backToStartRequest,
  ]) {
    it(`${requestName(req)} ${JSON.stringify(req.params ?? (req.document as { invariants: string[] } | undefined)?.invariants ?? {})}`, () => {
      const ref = referenceBfs(resolveModel(req).world);
      const r = referenceEnumerate(req);
      expect(r.violated).toBe(ref.violationLength !== null);
      expect(r.complete).toBe(true);
      // the BFS stops at its first violation; the enumerator (not asked to stop) goes on to every state
      if (ref.violationLength === null) expect(r.states).toBe(ref.states);
      else expect(r.states).toBeGreaterThanOrEqual(ref.states);
    });
  }

  it('a state bound: incomplete once past it, the states seen so far', () => {
    const req = { scenario: 'c8-shmem-refcount' };
    const all = referenceEnumerate(req);
    expect(all).toEqual({ states: referenceBfs(resolveModel(req).world).states, violated: false, complete: true });
    expect(referenceEnumerate(req, all.states)).toEqual(all);
    expect(referenceEnumerate(req, all.states - 1)).toEqual({ states: all.states, violated: false, complete: false });
    expect(referenceEnumerate(req, 10)).toMatchObject({ states: 11, complete: false });
  });

  it('stopAtViolation: stops at the first violation, with fewer states; off by default', () => {
    const req = REFERENCE_REQUESTS.find((r) => r.variant === 'install-before-lock')!;
    const all = referenceEnumerate(req);
    const first = referenceEnumerate(req, Infinity, true);
    expect([all.violated, first.violated, first.complete]).toEqual([true, true, true]);
    expect(first.states).toBeLessThan(all.states);
    expect(referenceEnumerate(req, Infinity)).toEqual(all);
  });
});
