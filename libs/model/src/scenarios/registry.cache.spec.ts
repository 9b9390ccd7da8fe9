// The cache of documents given in a request (registry.ts `documentScenario`): a document is
// parsed once per text, whether it comes as text or as a value, and the cache forgets everything
// once it holds 64. Its answers are the same with or without it (registry.requests.spec), so what
// is counted here is how often the loader runs. Written for the mutation batch `registry`
// (BENCHMARKS.md, session 13): the cache's mutants outlived every spec that looks at answers only.
import { describe, expect, it, vi } from 'vitest';

const parsed = vi.hoisted(() => ({ count: 0 }));

vi.mock('../document/load.js', async (importOriginal) => {
  const load = await importOriginal<typeof import('../document/load.js')>();
  return {
    ...load,
    // the catalogue's own documents go through here too, with options; a request's come without
    parseScenarioDocument: (...args: Parameters<typeof load.parseScenarioDocument>) => {
      if (args[1] === undefined) parsed.count++;
      return load.parseScenarioDocument(...args);
    },
  };
});

// imported once: the cache is this file's own and starts empty (a re-import per test would move
// the coverage of the module's top level onto these tests, which a mutation run then trusts alone)
const { resolveModel } = await import('./registry.js');

const doc = (i: number) => ({
  name: `cached-${i}`,
  title: 'cached',
  pages: [{ name: 'P', ref: 1, map: 0, mapping: 'anon' }],
  threads: [{ name: 'a', path: 'p', args: { page: 'P' } }],
  paths: { p: { regs: { page: 'page' }, steps: [{ label: 'L', op: 'lock_page', args: ['page'] }] } },
});
// each call a fresh object of the same text, so that only the text can find it again
const resolve = (i: number) => resolveModel({ scenario: 'x', document: doc(i) }).world.scenario;
const parses = (f: () => void): number => {
  const before = parsed.count;
  f();
  return parsed.count - before;
};

describe('documents given in a request', () => {
  it('are parsed once per text, as a value or as the same text, and forgotten all at once when 64 are kept', () => {
    expect(parses(() => resolve(999))).toBe(1);
    expect(parses(() => resolve(1))).toBe(1);
    expect(parses(() => resolve(1))).toBe(0);
    expect(parses(() => resolve(2))).toBe(1);
    expect(parses(() => expect([resolve(1), resolve(2)]).toEqual(['cached-1', 'cached-2']))).toBe(0);
    const text = JSON.stringify(doc(3));
    expect(parses(() => resolveModel({ scenario: 'x', document: text }))).toBe(1);
    expect(parses(() => resolveModel({ scenario: 'x', document: `${text}` }))).toBe(0);
    // four kept (999, 1, 2, the text of 3): 60 more fill the cache
    expect(parses(() => Array.from({ length: 60 }, (_, i) => resolve(100 + i)))).toBe(60);
    expect(parses(() => [resolve(999), resolve(1), resolve(100), resolve(159)])).toBe(0);
    // the 65th is kept alone
    expect(parses(() => resolve(63))).toBe(1);
    expect(parses(() => resolve(63))).toBe(0);
    expect(parses(() => [resolve(999), resolve(1)])).toBe(2);
  });
});
