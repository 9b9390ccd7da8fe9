// Edges of the loader (load.ts) that batch `docA` left alive (BENCHMARKS.md, session 11): the
// size limits at their exact values, the warnings of a refused document, and which switch
// combination a problem is reported for.
import { describe, expect, it } from 'vitest';
import { DOCUMENT_LIMITS as L } from './limits.js';
import { parseScenarioDocument } from './load.js';

const paths = (steps: unknown[]) => ({ locker: { title: 'lock and unlock', regs: { page: 'page', n: 'int' }, steps } });
const doc = (extra: Record<string, unknown> = {}) => ({
  name: 'edges',
  title: 'one locker',
  pages: [{ name: 'P', ref: 1, map: 0, mapping: 'anon' }],
  threads: [{ name: 'a', path: 'locker', args: { page: 'P' } }],
  paths: paths([
    { label: 'L1', op: 'lock_page', args: ['page'] },
    { label: 'L2', op: 'unlock_page', args: ['page'] },
  ]),
  ...extra,
});
const problems = (input: unknown) => {
  const r = parseScenarioDocument(input);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
};

describe('the size limits at their values', () => {
  it('a parsed value of exactly DOCUMENT_LIMITS.bytes bytes of JSON is not refused for its size', () => {
    const exact = { name: 'x'.repeat(L.bytes - '{"name":""}'.length) };
    expect(new TextEncoder().encode(JSON.stringify(exact)).length).toBe(L.bytes);
    expect(problems(exact).some((p) => p.includes('larger than'))).toBe(false);
    expect(problems({ name: `${exact.name}x` })).toEqual([`(root): the document is larger than ${L.bytes} bytes`]);
  });

  it('exactly 200,000 values (aliases expanded) are not refused for their count; one more is', () => {
    // the root list (1) holds the anchored list and its 6 aliases, each itself and 28,570 numbers, then `extra` numbers
    const text = (extra: number) => `- &a [${Array(28_570).fill(0).join(',')}]\n${'- *a\n'.repeat(6)}${'- 0\n'.repeat(extra)}`;
    expect(1 + 7 * (28_570 + 1) + 2).toBe(200_000);
    expect(problems(text(2)).some((p) => p.includes('200,000'))).toBe(false);
    expect(problems(text(3))).toEqual(['(root): the document has more than 200,000 values (YAML aliases expand)']);
  });
});

describe('a refused document', () => {
  it('has no warnings', () => {
    for (const input of ['a: [', { name: 'x' }, doc({ pages: 'P' })]) {
      const r = parseScenarioDocument(input);
      expect(r.ok).toBe(false);
      expect(r.warnings).toEqual([]);
    }
  });
});

describe('which switch combination a problem comes from', () => {
  const bad = (reg: string, when: Record<string, string>, op = 'lock_page') => ({ label: `bad_${when.S}`, op, args: [reg], when });
  const withSwitch = (steps: unknown[]) =>
    doc({
      switches: [{ name: 'S', values: ['b', 'a', 'c'], default: 'a' }],
      paths: paths([{ label: 'L1', op: 'lock_page', args: ['page'] }, ...steps, { label: 'L2', op: 'unlock_page', args: ['page'] }]),
    });

  it('the defaults are checked first, and the first combination with problems is the only one reported', () => {
    const both = problems(withSwitch([bad('n', { S: 'a' }), bad('n', { S: 'b' }, 'unlock_page')]));
    expect(both).toHaveLength(1);
    expect(both[0]).toMatch(/^paths\.locker\.steps\[1\]\.args\[0\]: lock_page's operand 'page' is a page register; 'n' is a int register/);
    expect(both[0]).not.toMatch(/S=/);
    const onlyB = problems(withSwitch([bad('n', { S: 'b' })]));
    expect(onlyB).toHaveLength(1);
    expect(onlyB[0]).toMatch(/S=b/);
  });

  it('a problem only under the default value is found', () => {
    expect(problems(withSwitch([bad('n', { S: 'a' })]))).toHaveLength(1);
  });

  it('the checks of one combination stop at the first that finds problems: a bad step, and not also an invariant that does not apply', () => {
    const twoKinds = doc({
      invariants: ['I3'],
      paths: paths([{ label: 'L1', op: 'lock_page', args: ['n'] }]),
    });
    expect(problems(twoKinds)).toEqual([expect.stringMatching(/^paths\.locker\.steps\[0\]\.args\[0\]: lock_page's operand/)]);
    expect(problems(doc({ invariants: ['I3'] }))).toEqual([expect.stringMatching(/^invariants\[0\]: 'I3' does not apply to this scenario/)]);
  });
});
