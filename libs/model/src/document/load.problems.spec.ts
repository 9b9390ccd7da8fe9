// What the loader says about a document that does not load (load.ts): the text's size and YAML
// errors, values that nest, loop or expand too far, every declaration check with its field and
// message, which switch combinations are built and how a problem names the one it came from, and
// the Scenario a document compiles to. Written for the survivors of the mutation batch `document`
// (BENCHMARKS.md): the other specs load valid documents, and the fuzz checks only that problems
// have a path.
import { describe, expect, it } from 'vitest';
import { DOCUMENT_LIMITS as L } from './limits.js';
import { parseDocumentText, parseScenarioDocument, ScenarioDocumentError, scenarioDocumentHash, scenarioFromDocument } from './load.js';
import { resolveScenarioModel, VariantNotApplicableError } from '../scenarios/registry.js';
import type { ScenarioDocument } from './types.js';

type Doc = Record<string, unknown>;

/** Two threads on one page lock; a parameter, a switch, a variant. */
const base = (): Doc => ({
  name: 'small',
  title: 'two lockers',
  params: [{ name: 'n', default: 2, min: 1, max: 3 }],
  switches: [{ name: 'ORDER', values: ['a', 'b'], default: 'a' }],
  pages: [{ name: 'P', ref: 1, map: 0, mapping: 'anon' }],
  ptls: ['ptl'],
  ptes: [{ name: 'e${i}', addr: '${16 * (i + 1)}', ptl: 'ptl', init: { kind: 'present', page: 'P' }, repeat: { as: 'i', count: '${n}' } }],
  vmas: [{ name: 'v0', start: 16, pgoff: 0 }],
  threads: [
    { name: 'a', path: 'locker', args: { page: 'P' } },
    { name: 'b', path: 'locker', args: { page: 'P' } },
  ],
  paths: {
    locker: {
      title: 'lock and unlock',
      regs: { page: 'page', n: 'int' },
      steps: [
        { label: 'L1', op: 'lock_page', args: ['page'], src: { file: 'mm/filemap.c', fn: 'folio_lock', version: 'v6.6' } },
        { label: 'L2', op: 'unlock_page', args: ['page'] },
      ],
    },
  },
  invariants: ['bug-on', 'deadlock'],
  variants: [{ name: 'b-first', switches: { ORDER: 'b' } }],
});

const problems = (doc: unknown, options?: Parameters<typeof parseScenarioDocument>[1]): string[] => {
  const r = parseScenarioDocument(doc, options);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
};
const loaded = (doc: unknown) => {
  const r = parseScenarioDocument(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r;
};
const nested = (depth: number): unknown => (depth === 0 ? 1 : [nested(depth - 1)]);

describe('the text', () => {
  it('at most DOCUMENT_LIMITS.bytes of UTF-8', () => {
    const atLimit = `#${'x'.repeat(L.bytes - 1)}`;
    expect(parseDocumentText(atLimit)).toEqual({ value: null, problems: [] });
    // two bytes a character: the limit is on bytes, not characters
    const over = `#${'é'.repeat(L.bytes / 2)}`;
    expect(parseDocumentText(over)).toEqual({ problems: [{ path: '(root)', message: `the document is ${L.bytes + 1} bytes; at most ${L.bytes}` }] });
    expect(problems(over)).toEqual([`(root): the document is ${L.bytes + 1} bytes; at most ${L.bytes}`]);
  });

  it('YAML errors: the position of each, the first line of its message, at most ten', () => {
    expect(parseDocumentText('a: [')).toEqual({
      problems: [
        { path: '(line 1, column 5)', message: 'Flow sequence in block collection must be sufficiently indented and end with a ] at line 1, column 5:' },
      ],
    });
    const duplicates = parseDocumentText(Array.from({ length: 13 }, (_, i) => `a: ${i}`).join('\n'));
    expect(duplicates.problems).toHaveLength(10);
    expect(duplicates.problems[0]).toEqual({ path: '(line 2, column 1)', message: 'Map keys must be unique at line 2, column 1:' });
    expect(duplicates.problems[9].path).toBe('(line 11, column 1)');
  });

  it('aliases: a bounded count, a value that contains itself, an expansion past 200,000 values', () => {
    const aliases = (n: number) => `a: &a [1]\nb: [${Array.from({ length: n }, () => '*a').join(', ')}]`;
    expect(parseDocumentText(aliases(120))).toEqual({
      problems: [{ path: '(root)', message: 'Excessive alias count indicates a resource exhaustion attack' }],
    });
    expect(parseDocumentText(aliases(3)).value).toEqual({ a: [1], b: [[1], [1], [1]] });
    expect(problems('a: &a [x, *a]')).toEqual(['(root): a value contains itself (a YAML alias loop)']);
    const wide = `a: &a [${Array.from({ length: 2100 }, (_, i) => i).join(',')}]\nb: [${Array.from({ length: 99 }, () => '*a').join(', ')}]`;
    expect(problems(wide)).toEqual(['(root): the document has more than 200,000 values (YAML aliases expand)']);
  });
});

describe('a parsed value', () => {
  it('must be JSON data of at most DOCUMENT_LIMITS.bytes', () => {
    const loop: Doc = { name: 'x' };
    loop.self = loop;
    expect(problems(loop)).toEqual(['(root): the document is not JSON data']);
    expect(problems(undefined)).toEqual(['(root): the document is not JSON data']);
    expect(problems(() => 1)).toEqual(['(root): the document is not JSON data']);
    expect(problems({ ...base(), description: 'é'.repeat(L.bytes / 2) })).toEqual([`(root): the document is larger than ${L.bytes} bytes`]);
    // a value is copied before it is checked: the caller's object is not the document
    const doc = base();
    const r = loaded(doc);
    expect(r.document).not.toBe(doc);
    expect(r.document).toEqual(doc);
  });

  it(`nests at most ${L.depth} levels`, () => {
    // depth counts from the document: its field is level 1
    expect(problems({ ...base(), description: nested(L.depth - 1) })).toEqual(['description: must be a string, got a list']);
    expect(problems({ ...base(), description: nested(L.depth) })).toEqual([`(root): values nest deeper than ${L.depth} levels`]);
    expect(problems(nested(L.depth + 1))).toEqual([`(root): values nest deeper than ${L.depth} levels`]);
    expect(problems(nested(L.depth))).toEqual(['(root): must be an object, got a list']);
  });
});

describe('declarations', () => {
  it('parameters: one name each, min <= max, the default within them', () => {
    const d = base();
    d.params = [
      { name: 'n', default: 2, min: 1, max: 3 },
      { name: 'n', default: 1, min: 1, max: 1 },
      { name: 'm', default: 1, min: 2, max: 1 },
      { name: 'k', default: 0, min: 1, max: 3 },
      { name: 'j', default: 4, min: 1, max: 3 },
      { name: 'lo', default: 1, min: 1, max: 3 },
      { name: 'hi', default: 3, min: 1, max: 3 },
      { name: 'one', default: 5, min: 5, max: 5 },
    ];
    expect(problems(d)).toEqual([
      "params[1].name: two parameters named 'n'",
      'params[2]: min 2 is above max 1',
      'params[3].default: must be from 1 to 3',
      'params[4].default: must be from 1 to 3',
    ]);
  });

  it('switches: a name of their own, not a common one; values once; the default and patched values among them', () => {
    const d = base();
    d.switches = [
      { name: 'n', values: ['a'], default: 'a' },
      { name: 'ORDER', values: ['a', 'b'], default: 'a' },
      { name: 'ORDER', values: ['a'], default: 'a' },
      { name: 'MEM', values: ['sc'], default: 'sc' },
      { name: 'WALK', values: ['any'], default: 'any' },
      { name: 'TWICE', values: ['x', 'y', 'x'], default: 'x' },
      { name: 'DEF', values: ['first', 'second'], default: 'secnd' },
      { name: 'PATCHED', values: ['on', 'off'], default: 'off', patches: { of: [], on: [{ op: 'delete', path: 'locker', step: 'L2' }] } },
      { name: 'BADPATCH', values: ['on', 'off'], default: 'off', patches: { on: [{ op: 'delete', path: 'locker' }] } },
    ];
    expect(problems(d)).toEqual([
      "switches[0].name: 'n' is already a parameter or a switch",
      "switches[2].name: 'ORDER' is already a parameter or a switch",
      "switches[3].name: 'MEM' is a switch every scenario has",
      "switches[4].name: 'WALK' is a switch every scenario has",
      'switches[5].values: a value is listed twice',
      "switches[6].default: 'secnd' is not one of its values; did you mean 'second'?",
      "switches[7].patches.of: 'of' is not a value of PATCHED; did you mean 'off' or 'on'?",
      'switches[8].patches.on.patches[0].step: must be a step label',
    ]);
  });

  it('`when` names a switch and its values; `if` parses, with a repeat variable as 0', () => {
    const d = base();
    d.pages = [
      { name: 'P', ref: 1, map: 0, mapping: 'anon' },
      { name: 'Q', ref: 0, map: 0, mapping: 'none', when: { ORDR: 'a' } },
      { name: 'R', ref: 0, map: 0, mapping: 'none', when: { ORDER: 'c' } },
      { name: 'S', ref: 0, map: 0, mapping: 'none', when: { ORDER: ['a', 'd'] } },
      { name: 'T', ref: 0, map: 0, mapping: 'none', if: 'n >' },
      { name: 'U${j}', ref: 0, map: 0, mapping: 'none', if: 'j == 0 && n > 1', repeat: { as: 'j', count: 1 } },
      { name: 'V', ref: 0, map: 0, mapping: 'none', if: 'j == 0' },
    ];
    expect(problems(d)).toEqual([
      "pages[1].when.ORDR: no switch 'ORDR'; did you mean 'ORDER'?",
      "pages[2].when.ORDER: 'c' is not a value of ORDER; did you mean 'a' or 'b'?",
      "pages[3].when.ORDER: 'd' is not a value of ORDER; did you mean 'a' or 'b'?",
      "pages[4].if: 'n >' ends too early",
      "pages[6].if: unknown name 'j' in 'j == 0' (known: n)",
    ]);
  });

  it('every list is checked: pages, VMAs, PTEs, PTLs, threads, symmetry groups and the steps of a path', () => {
    const off = { when: { NOPE: 'x' } };
    const d = base();
    d.pages = [{ ...(d.pages as Doc[])[0], ...off }];
    d.vmas = [{ ...(d.vmas as Doc[])[0], ...off }];
    d.ptes = [{ ...(d.ptes as Doc[])[0], ...off }];
    d.ptls = [{ name: 'ptl', ...off }];
    d.threads = [{ ...(d.threads as Doc[])[0], ...off }];
    d.symmetry = [{ threads: ['a', 'b'], ...off }];
    const locker = (d.paths as Record<string, { steps: Doc[] }>).locker;
    locker.steps = [{ ...locker.steps[0], ...off }, locker.steps[1]];
    expect(problems(d)).toEqual(
      ['pages[0]', 'vmas[0]', 'ptes[0]', 'ptls[0]', 'threads[0]', 'symmetry[0]', 'paths.locker.steps[0]'].map((at) => `${at}.when.NOPE: no switch 'NOPE'`),
    );
    // a builtin path has no steps of its own to check
    const builtin = base();
    builtin.paths = { ...(builtin.paths as Doc), other: { builtin: { scenario: 'seed', path: 'migrate_pages' } } };
    expect(problems(builtin)).toEqual([]);
  });

  it('variants: a name of their own, not kernel; catalogue parameters name parameters', () => {
    const d = base();
    d.variants = [
      { name: 'b-first', switches: { ORDER: 'b' } },
      { name: 'b-first', switches: { ORDER: 'b' } },
      { name: 'kernel', switches: { ORDER: 'b' } },
    ];
    d.catalogueParams = { n: 1, nn: 2, zzz: 1 };
    expect(problems(d)).toEqual([
      "variants[1].name: two variants named 'b-first'",
      "variants[2].name: 'kernel' names the scenario's own protocol",
      "catalogueParams.nn: no parameter 'nn'; did you mean 'n'?",
      "catalogueParams.zzz: no parameter 'zzz'",
    ]);
  });

  it("a variant's switches and patches fit the scenario, and the variant resolves", () => {
    const d = base();
    d.variants = [
      { name: 'v1', switches: { ORDR: 'b', MEM: 'tso', WALK: 'fixd' } },
      { name: 'v2', patches: [{ op: 'delete', path: 'locker' }] },
    ];
    expect(problems(d)).toEqual([
      "variants[0].switches.ORDR: no switch 'ORDR'; did you mean 'ORDER'?",
      "variants[0].switches.WALK: 'fixd' is not a value of WALK; did you mean 'fixed'?",
      'variants[1].patches[0].step: must be a step label',
    ]);
    const unresolved = base();
    unresolved.variants = [{ name: 'gone', patches: [{ op: 'delete', path: 'locker', step: 'L9' }] }];
    expect(problems(unresolved)).toEqual([expect.stringMatching(/^variants\[0\]\.patches\[0\]\.step: .*L9.* \(variant 'gone'\)$/)]);
  });
});

describe('switch combinations', () => {
  /** `n` switches of two values, and a second page P when every switch named is `b` */
  const combos = (n: number, when: Record<string, string>): Doc => ({
    ...base(),
    switches: Array.from({ length: n }, (_, i) => ({ name: `S${i}`, values: ['a', 'b'], default: 'a' })),
    pages: [
      { name: 'P', ref: 1, map: 0, mapping: 'anon' },
      { name: 'P', ref: 0, map: 0, mapping: 'none', when },
    ],
    variants: [],
  });

  it('all of them up to 64, naming the switches a problem needs; past 64, each value alone', () => {
    expect(problems(combos(6, { S0: 'b', S5: 'b' }))).toEqual(["pages[1].name: two pages named 'P' (with S0=b, S5=b)"]);
    expect(problems(combos(7, { S0: 'b', S6: 'b' }))).toEqual([]);
    expect(problems(combos(7, { S6: 'b' }))).toEqual(["pages[1].name: two pages named 'P' (with S6=b)"]);
  });

  it('the defaults first: a problem of every combination names none; `defaults` builds only them', () => {
    const everywhere = combos(1, {});
    (everywhere.switches as Doc[])[0].default = 'b';
    expect(problems(everywhere)).toEqual(["pages[1].name: two pages named 'P'"]);
    const onlyB = combos(1, { S0: 'b' });
    expect(problems(onlyB)).toEqual(["pages[1].name: two pages named 'P' (with S0=b)"]);
    expect(problems(onlyB, { combinations: 'defaults' })).toEqual([]);
    expect(problems(onlyB, { combinations: 'all' })).toEqual(["pages[1].name: two pages named 'P' (with S0=b)"]);
  });

  it('an expression that fails in one combination stops the checks there, with its field', () => {
    const d = combos(2, {});
    d.pages = [
      { name: 'P', ref: 1, map: 0, mapping: 'anon' },
      { name: 'Q', ref: '${1 / 0}', map: 0, mapping: 'none', when: { S1: 'b' } },
      { name: 'R', ref: '${2 % 0}', map: 0, mapping: 'none', when: { S0: 'b' } },
    ];
    // the combinations in order (S1 varies fastest): S0=a S1=b fails first
    expect(problems(d)).toEqual(["pages[1].ref: division by zero in '1 / 0' (with S1=b)"]);
  });

  it('a warning found in several combinations is listed once', () => {
    const d = base();
    (d.paths as Record<string, Doc>).locker.steps = [
      { label: 'L1', op: 'lock_page', args: ['page'] },
      { label: 'L2', op: 'jmp', args: ['L4'] },
      { label: 'L3', op: 'nop', args: [] },
      { label: 'L4', op: 'unlock_page', args: ['page'] },
    ];
    const r = loaded(d);
    expect(r.warnings).toEqual([{ path: 'paths.locker.steps[2]', message: "step 'L3' is unreachable" }]);
  });

  it('an invariant that does not apply to the world is refused, saying why', () => {
    const d = { ...base(), invariants: ['bug-on', 'weak-outcome'] };
    expect(problems(d)).toEqual([expect.stringMatching(/^invariants\[1\]: 'weak-outcome' does not apply to this scenario: .+/)]);
  });
});

describe('the Scenario a document compiles to', () => {
  const VIOLATED = { commit: 'mutant', verdict: 'violated', why: 'the unlock is gone' };
  const HOLDS = { commit: 'ffa65753c431', verdict: 'holds', why: 'the fix' };
  it('names, defaults of the optional fields, variants as written', () => {
    const d = base();
    d.variants = [
      { name: 'b-first', switches: { ORDER: 'b' } },
      { name: 'described', description: 'patched', patches: [{ op: 'delete', path: 'locker', step: 'L2' }], expect: VIOLATED },
    ];
    const s = loaded(d).scenario;
    expect([s.name, s.title, s.row, s.description]).toEqual(['small', 'two lockers', 'document', '']);
    expect(s.params).toEqual([{ name: 'n', default: 2, min: 1, max: 3, description: '' }]);
    expect(s.switches).toEqual([{ name: 'ORDER', values: ['a', 'b'], default: 'a', description: '' }]);
    expect(s.invariants).toEqual(['bug-on', 'deadlock']);
    expect(s.variants).toEqual([
      { name: 'b-first', description: '', switches: { ORDER: 'b' } },
      { name: 'described', description: 'patched', patches: [{ op: 'delete', path: 'locker', step: 'L2' }], expect: VIOLATED },
    ]);
    expect('expect' in s || 'catalogueParams' in s).toBe(false);
    const full = loaded({
      ...d,
      row: 'C9',
      description: 'about',
      params: [{ name: 'n', default: 2, min: 1, max: 3, description: 'count' }],
      switches: [{ name: 'ORDER', values: ['a', 'b'], default: 'a', description: 'order' }],
      expect: HOLDS,
      catalogueParams: { n: 1 },
    }).scenario;
    expect([full.row, full.description, full.params[0].description, full.switches[0].description]).toEqual(['C9', 'about', 'count', 'order']);
    expect([full.expect, full.catalogueParams]).toEqual([HOLDS, { n: 1 }]);
  });

  it('without `invariants`, the default ones that apply to the world the defaults build', () => {
    const { invariants: _, ...d } = base();
    expect(loaded(d).scenario.invariants).toEqual(['bug-on', 'use-after-free', 'deadlock']);
    // when the defaults do not build, all four (the load refuses such a document anyway)
    const broken = { ...d, pages: [{ name: 'P', ref: '${1 / 0}', map: 0, mapping: 'anon' }] } as unknown as ScenarioDocument;
    expect(scenarioFromDocument(broken).invariants).toEqual(['bug-on', 'I3', 'use-after-free', 'deadlock']);
  });

  it('its builder refuses what the checks refuse, as a variant problem with the field', () => {
    const s = loaded(base()).scenario;
    const build = (params: Record<string, number>) => () => s.build({ params, switches: { ORDER: 'a' } });
    expect(build({ n: 2 })().ptes.map((e) => e.name)).toEqual(['e0', 'e1']);
    const bad = { ...base(), pages: [{ name: 'P', ref: '${1 / (n - 3)}', map: 0, mapping: 'anon' }] } as unknown as ScenarioDocument;
    const issues = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        expect(e).toBeInstanceOf(VariantNotApplicableError);
        return (e as VariantNotApplicableError).issues;
      }
      return expect.unreachable('built');
    };
    expect(issues(() => scenarioFromDocument(bad).build({ params: { n: 3 }, switches: { ORDER: 'a' } }))).toEqual([
      { field: 'pages[0].ref', message: "division by zero in '1 / (n - 3)'" },
    ]);
    const negative = { ...base(), pages: [{ name: 'P', ref: '${n - 3}', map: 0, mapping: 'anon' }] } as unknown as ScenarioDocument;
    expect(issues(() => scenarioFromDocument(negative).build({ params: { n: 2 }, switches: { ORDER: 'a' } }))).toEqual([
      { field: 'pages[0]', message: 'refcount and mapcount cannot be negative' },
    ]);
    expect(() => resolveScenarioModel(scenarioFromDocument(negative), {})).toThrow(VariantNotApplicableError);
  });
});

describe('errors and hashes', () => {
  it('ScenarioDocumentError lists every problem, one a line, with its source', () => {
    const one = new ScenarioDocumentError([{ path: 'pages[0].ref', message: 'must be an integer' }]);
    expect(one.message).toBe('the scenario document has 1 problem:\n  pages[0].ref: must be an integer');
    expect(one.issues).toEqual([{ field: 'pages[0].ref', message: 'must be an integer' }]);
    expect(one.kind).toBe('invalid');
    const two = new ScenarioDocumentError(
      [
        { path: 'a', message: 'x' },
        { path: 'b', message: 'y' },
      ],
      'race.yaml',
    );
    expect(two.message).toBe('race.yaml has 2 problems:\n  a: x\n  b: y');
    expect(two.source).toBe('race.yaml');
  });

  it('the hash of a document is that of its content: key order does not matter, any value does', () => {
    const d = base() as unknown as ScenarioDocument;
    const reordered = Object.fromEntries(Object.entries(d).reverse()) as unknown as ScenarioDocument;
    expect(scenarioDocumentHash(reordered)).toBe(scenarioDocumentHash(d));
    expect(scenarioDocumentHash({ ...d, title: 'other' })).not.toBe(scenarioDocumentHash(d));
    expect(loaded(d).hash).toBe(scenarioDocumentHash(d));
    expect(scenarioDocumentHash(d)).toMatch(/^[0-9a-f]{64}$/);
  });
});

describe('fields of several forms', () => {
  it('a value of neither form says which forms are allowed', () => {
    const d = base();
    d.pages = [{ name: 'P', ref: 1, map: 0, mapping: 'anon', when: { ORDER: 3 } }];
    d.ptls = [3];
    d.symmetry = [{ threads: [3], ptes: [], vmas: [] }];
    d.invariants = [3];
    d.paths = {
      locker: { title: 3, regs: { page: 'page' }, steps: [{ label: 'L1', op: 'lock_page', args: [true] }] },
      other: 3,
    };
    expect(problems(d)).toEqual([
      'pages[0].when.ORDER: must be a switch value or a list of them, got 3',
      'ptls[0]: must be a PTL name, or an object with a name and conditions, got 3',
      'paths.locker.title: must be a title, or a list of { text, when } (the first that matches the switches), got 3',
      'paths.locker.steps[0].args[0]: must be a register, a label, an integer or a ${expression}, got true',
      'paths.other: must be steps, or a built-in path, got 3',
      'invariants[0]: must be a built-in invariant by name, or a user invariant {name, always | never, message}, got 3',
      'symmetry[0].threads[0]: must be a name, or an object with a name and conditions, got 3',
    ]);
  });
});
