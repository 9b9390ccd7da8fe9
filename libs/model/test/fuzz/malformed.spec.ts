import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { parseScenarioDocument } from '../../src/document/load.js';
import { resolveScenarioModel, VariantNotApplicableError, InvalidModelRequestError } from '../../src/scenarios/registry.js';
import { mutate, mutationsArb, SMALL_DOCUMENT } from './malformed.js';

// Issue 13 must-show: generated malformed documents get problems with a field path, never a throw.
// Mutations of valid documents (a field deleted, an unknown field, a value replaced by another
// JSON value or a known-bad one), then arbitrary text. A mutated document may happen to be valid:
// then it must resolve, or be refused as a variant problem, never crash.

const example = fileURLToPath(new URL('../../../../examples/scenarios/mremap-vs-migration.yaml', import.meta.url));
const RUNS = 6000;

function check(input: unknown): boolean {
  const r = parseScenarioDocument(input);
  if (r.ok) {
    try {
      resolveScenarioModel(r.scenario, {});
    } catch (e) {
      if (!(e instanceof VariantNotApplicableError || e instanceof InvalidModelRequestError)) throw e;
    }
    return false;
  }
  expect(r.problems.length).toBeGreaterThan(0);
  for (const p of r.problems) {
    expect(typeof p.path).toBe('string');
    expect(p.path.length).toBeGreaterThan(0);
    expect(p.message.length).toBeGreaterThan(0);
    expect(p.message).not.toMatch(/\n\s+at /);
  }
  return true;
}

describe('malformed scenario documents (fast-check)', () => {
  it(`${RUNS} mutated documents: each refused one has problems with paths, none throws`, () => {
    let refused = 0;
    fc.assert(
      fc.property(mutationsArb, fc.boolean(), (ms, asText) => {
        const doc = mutate(SMALL_DOCUMENT, ms);
        if (check(asText ? stringify(doc) : doc)) refused++;
      }),
      { numRuns: RUNS, seed: 13 },
    );
    console.log(`refused ${refused} of ${RUNS}`);
    expect(refused).toBeGreaterThanOrEqual(5000);
  }, 120_000);

  it('mutations of a real race document (builtin paths, start conditions, switches)', () => {
    const base = parseScenarioDocument(readFileSync(example, 'utf8'));
    if (!base.ok) throw new Error('the example must load');
    fc.assert(
      fc.property(mutationsArb, (ms) => {
        check(mutate(JSON.parse(JSON.stringify(base.document)), ms));
      }),
      { numRuns: 300, seed: 13 },
    );
  }, 120_000);

  it('arbitrary text is refused with a position or a path', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ maxLength: 300 }), fc.constantFrom('{', 'a: [', 'name: x\nname: y\n', '- 1\n- 2', '&a [*a, *a]', 'a: !!binary x'), fc.json()),
        (text) => {
          const r = parseScenarioDocument(text);
          expect(r.ok).toBe(false);
          for (const p of r.problems) expect(p.path.length).toBeGreaterThan(0);
        },
      ),
      { numRuns: 500, seed: 13 },
    );
  });
});
