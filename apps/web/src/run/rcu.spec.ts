import { describe, expect, it } from 'vitest';
import { rcuWords } from './rcu';

describe("rcuWords: a CPU's RCU state in the memory table", () => {
  it('says nothing for a thread without RCU steps or outside everything', () => {
    expect(rcuWords(undefined)).toBe('-');
    expect(rcuWords({ section: 0, ending: false, gracePeriod: null })).toBe('-');
  });
  it('names the section, its depth when nested, its end waiting, and the grace period with whom it waits for', () => {
    expect(rcuWords({ section: 1, ending: false, gracePeriod: null })).toBe('in a read-side section');
    expect(rcuWords({ section: 2, ending: true, gracePeriod: null })).toBe('in a read-side section (depth 2); last section ending (accesses outstanding)');
    expect(rcuWords({ section: 0, ending: false, gracePeriod: ['P0', 'P2'] })).toBe('grace period waits for P0, P2');
    expect(rcuWords({ section: 0, ending: false, gracePeriod: [] })).toBe('grace period may end');
  });
});
