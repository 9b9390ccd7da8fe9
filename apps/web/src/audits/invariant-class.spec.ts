import { describe, expect, it } from 'vitest';
import { invariantClassWords, type InvariantClass } from './invariant-class';

describe("the class of a counterexample's invariant, in words", () => {
  it("as the CLI prints it; a document's own invariant is a user invariant, never a protocol one", () => {
    expect(invariantClassWords('kernel-assertion')).toBe('kernel assertion');
    expect(invariantClassWords('protocol')).toBe('protocol invariant');
    expect(invariantClassWords('user')).toBe('user invariant');
  });

  it('a class a newer API sends is shown as it is named, not as another class', () => {
    expect(invariantClassWords('speculative' as InvariantClass)).toBe('speculative');
  });
});
