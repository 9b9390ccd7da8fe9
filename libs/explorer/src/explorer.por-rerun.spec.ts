import { afterEach, describe, expect, it, vi } from 'vitest';
import { resolveModel } from '@mmreplay/model';
import { explore, exploreOnce, shortestAnswer } from './explorer.js';

// The search explore runs again without partial order after a violation found with it: within the
// caller's bounds (what the first search left of the time, every other bound as given), and its
// time counted with the first's.

/** performance.now() moving `step` ms at each reading, so that every search's times are its readings' */
function clock(step: number): void {
  let t = 1e9;
  vi.spyOn(performance, 'now').mockImplementation(() => (t += step));
}
afterEach(() => vi.restoreAllMocks());

// partial order finds its violation after 4,074 states, the search without it after 4,128
const childFirst = () => resolveModel({ scenario: 'c12-fork', variant: 'c12-child-first' }).world;
// partial order finds a 22-step counterexample, the search without it an 18-step one
const noRef = () => resolveModel({ scenario: 'c5-pmd-wait', variant: 'c5-pmd-no-ref' }).world;

describe('the search for a shortest counterexample after partial order', () => {
  it("keeps the caller's state bound: one the reduced search stays within and the other does not leaves the reduced counterexample, marked", () => {
    const world = childFirst();
    const reduced = exploreOnce(world);
    const plain = exploreOnce(world, { partialOrder: false });
    expect([reduced.statesStored, plain.statesStored]).toEqual([4_074, 4_128]);
    const r = explore(world, { bounds: { maxStates: reduced.statesStored } });
    expect(r.counterexample).toEqual({ ...reduced.counterexample, notShortest: 'states' });
    expect(explore(world, { bounds: { maxStates: plain.statesStored } }).counterexample).toEqual(plain.counterexample);
  });

  it('has what the first search left of the time bound, and its time is added to the first', () => {
    const world = noRef();
    clock(1_000);
    const first = exploreOnce(world).elapsedMs;
    const second = exploreOnce(world, { partialOrder: false }).elapsedMs;
    const r = explore(world);
    expect(r.counterexample?.length).toBe(18);
    expect(r.elapsedMs).toBe(first + second);
    // time enough for the first search, half a second of it left for the second, which reads the clock at its first state
    const bounded = explore(world, { bounds: { maxSeconds: first / 1000 + 0.5 } });
    expect(bounded.counterexample).toMatchObject({ length: 22, notShortest: 'time' });
  });

  it('a search without partial order that ends without a violation, and at no bound, is a contradiction: an error, not an answer', () => {
    const world = noRef();
    const found = exploreOnce(world);
    const nothing = { ...found, verdict: 'holds' as const, boundHit: null, counterexample: null };
    expect(() => shortestAnswer(found, nothing)).toThrow('partial-order reduction found waiter-ref broken, the search without it nothing');
    expect(shortestAnswer(found, { ...nothing, verdict: 'inconclusive', boundHit: 'memory' }).counterexample).toEqual({
      ...found.counterexample,
      notShortest: 'memory',
    });
  });
});
