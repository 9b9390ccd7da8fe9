// vitest-isolate: registerScenario adds to the process-wide catalogue, which other files list.
// What resolveModel answers to a request, field by field (registry.ts): unknown scenarios and
// parameters, parameter values at and past their range, variants by name and as objects, a
// variant's name that claims another protocol, documents given inline (and their cache), the
// memory model and walk order, and the operands of memory-model instructions a patch brings.
// Written for the mutation batch `core` (BENCHMARKS.md).
import { describe, expect, it } from 'vitest';
import { contentHash } from '../hash.js';
import {
  findScenario,
  InvalidModelRequestError,
  InvalidParamsError,
  namedVariants,
  registerScenario,
  resolveModel,
  resolveScenarioModel,
  scenarios,
  switchesOf,
  UnknownScenarioError,
  VariantNotApplicableError,
  type ResolveRequest,
} from './registry.js';
import { ScenarioDocumentError } from '../document/load.js';
import type { FieldIssue } from '../errors.js';

const issuesOf = (req: ResolveRequest): { kind: string; issues: readonly FieldIssue[] } => {
  try {
    resolveModel(req);
  } catch (e) {
    return { kind: (e as Error).constructor.name, issues: (e as { issues: readonly FieldIssue[] }).issues };
  }
  return expect.unreachable('resolved');
};

describe('scenarios and parameters', () => {
  it('an unknown scenario names the known ones, with a suggestion', () => {
    const e = issuesOf({ scenario: 'sed' });
    expect(e.kind).toBe('UnknownScenarioError');
    const names = scenarios().map((s) => s.name);
    expect(e.issues).toEqual([{ field: 'scenario', message: `unknown scenario 'sed'; did you mean 'seed'? (known: ${names.join(', ')})` }]);
    expect(new UnknownScenarioError('zzz').message).toBe(`unknown scenario 'zzz' (known: ${names.join(', ')})`);
    expect(new UnknownScenarioError('zzz').kind).toBe('invalid');
  });

  it('parameters: known names, integers or integer strings, within their range', () => {
    expect(issuesOf({ scenario: 'seed', params: { ptes: 2, pte: 1 } })).toEqual({
      kind: 'InvalidParamsError',
      issues: [{ field: 'params.pte', message: 'unknown parameter (known: ptes, faults, rounds, accesses, passes)' }],
    });
    expect(issuesOf({ scenario: 'litmus-mp', params: { n: 1 } }).issues).toEqual([{ field: 'params.n', message: 'unknown parameter (known: none)' }]);
    const range = { field: 'params.ptes', message: 'must be an integer from 1 to 16' };
    for (const ptes of [0, 17, 1.5, '2x', '', ' 2', Number.NaN, 2 ** 53])
      expect(issuesOf({ scenario: 'seed', params: { ptes } }).issues, String(ptes)).toEqual([range]);
    const ok = (ptes: number | string) => resolveModel({ scenario: 'seed', params: { ptes } }).world.ptes.length;
    expect([ok(1), ok(16), ok('3'), ok('12')]).toEqual([1, 16, 3, 12]);
    expect(issuesOf({ scenario: 'seed', params: { ptes: '-1' } }).issues).toEqual([range]);
    expect(resolveModel({ scenario: 'seed', params: { faults: '0' } }).world.params).toEqual({ ptes: 1, faults: 0, rounds: 1, accesses: 0, passes: 10 });
    expect(new InvalidParamsError([range]).message).toBe('invalid parameters: params.ptes: must be an integer from 1 to 16');
    // both are the caller's malformed requests (kind invalid), not requests the model cannot apply
    expect([new InvalidParamsError([range]).kind, new InvalidModelRequestError([range]).kind]).toEqual(['invalid', 'invalid']);
  });
});

describe('variants', () => {
  it('by name: the named variant, or the known ones with a suggestion', () => {
    const seed = findScenario('seed')!;
    expect(namedVariants(seed).map((v) => v.name)).toEqual(seed.variants.map((v) => v.name));
    const known = seed.variants.map((v) => v.name).join(', ');
    expect(issuesOf({ scenario: 'seed', variant: 'unlock-before-remov' })).toEqual({
      kind: 'VariantNotApplicableError',
      issues: [{ field: 'variant', message: `scenario 'seed' has no variant 'unlock-before-remov'; did you mean 'unlock-before-remove'? (known: ${known})` }],
    });
    expect(issuesOf({ scenario: 'litmus-sb', variant: 'x' }).issues[0].message).toMatch(/^scenario 'litmus-sb' has no variant 'x' \(known: .+\)$/);
    const none = { ...seed, name: 'novariants', variants: [] };
    expect(() => resolveScenarioModel(none, { variant: 'x' })).toThrow("scenario 'novariants' has no variant 'x' (known: none)");
    expect(resolveModel({ scenario: 'seed', variant: 'unlock-before-remove' }).variant).toBe('unlock-before-remove');
  });

  it('as an object: named after itself, custom when it changes something, kernel when it does not', () => {
    expect(resolveModel({ scenario: 'seed' }).variant).toBe('kernel');
    expect(resolveModel({ scenario: 'seed', variant: {} }).variant).toBe('kernel');
    expect(resolveModel({ scenario: 'seed', variant: { switches: { WAIT: 'pre' } } }).variant).toBe('custom');
    expect(resolveModel({ scenario: 'seed', variant: { patches: [{ op: 'delete', path: 'migrate_pages', step: 'U13.put_page' }] } }).variant).toBe('custom');
    expect(resolveModel({ scenario: 'seed', variant: { name: 'mine', switches: { WAIT: 'pre' } } }).variant).toBe('mine');
    // a base variant plus changes
    const based = resolveModel({ scenario: 'seed', variant: { base: 'unlock-before-remove', switches: { WAIT: 'pre' } } });
    expect(based.variant).toBe('custom');
    expect(based.world.params).toEqual(resolveModel({ scenario: 'seed' }).world.params);
    expect(based.modelHash).not.toBe(resolveModel({ scenario: 'seed', variant: 'unlock-before-remove' }).modelHash);
    expect(issuesOf({ scenario: 'seed', variant: { base: 'nope' } }).issues[0].field).toBe('variant');
  });

  it('a variant named kernel or after a named variant must be exactly that protocol (its memory model aside)', () => {
    const claim = (variant: ResolveRequest['variant']) => issuesOf({ scenario: 'seed', variant });
    expect(claim({ name: 'kernel', switches: { WAIT: 'pre' } })).toEqual({
      kind: 'InvalidModelRequestError',
      issues: [{ field: 'name', message: "'kernel' names the unmodified kernel protocol, which this variant changes: give it a name of its own" }],
    });
    expect(claim({ name: 'kernel', base: 'unlock-before-remove' }).issues[0].field).toBe('name');
    expect(claim({ name: 'kernel', patches: [{ op: 'delete', path: 'migrate_pages', step: 'U13.put_page' }] }).issues[0].field).toBe('name');
    expect(claim({ name: 'unlock-before-remove' })).toEqual({
      kind: 'InvalidModelRequestError',
      issues: [
        {
          field: 'name',
          message:
            "'unlock-before-remove' names the named variant 'unlock-before-remove' of scenario 'seed', which this variant changes: give it a name of its own",
        },
      ],
    });
    expect(claim({ name: 'unlock-before-remove', base: 'unlock-before-remove', switches: { WAIT: 'pre' } }).issues[0].field).toBe('name');
    // allowed: the protocol itself with only its memory model changed, as --memory-model sends it
    expect(resolveModel({ scenario: 'seed', variant: { name: 'kernel', switches: { MEM: 'tso' } } }).variant).toBe('kernel');
    expect(resolveModel({ scenario: 'seed', variant: { name: 'kernel' } }).modelHash).toBe(resolveModel({ scenario: 'seed' }).modelHash);
    const same = resolveModel({ scenario: 'seed', variant: { name: 'unlock-before-remove', base: 'unlock-before-remove', switches: { MEM: 'lkmm' } } });
    expect(same.variant).toBe('unlock-before-remove');
    expect(same.world.memoryModel).toBe('lkmm');
  });

  it('switches: a scenario switch, a common one, the memory model of the request over them', () => {
    const w = (req: Partial<ResolveRequest>) => resolveModel({ scenario: 'seed', ...req }).world;
    expect([w({}).memoryModel, w({}).rmapOrder]).toEqual(['sc', 'any']);
    expect(w({ variant: { switches: { WALK: 'fixed' } } }).rmapOrder).toBe('fixed');
    expect(w({ variant: { switches: { MEM: 'tso' } } }).memoryModel).toBe('tso');
    expect(w({ variant: { switches: { MEM: 'tso' } }, memoryModel: 'lkmm' }).memoryModel).toBe('lkmm');
    expect(switchesOf(findScenario('seed')!).map((s) => s.name)).toEqual(['WAIT', 'MIG', 'MUTANT', 'WALK', 'MEM']);
    expect(issuesOf({ scenario: 'seed', variant: { switches: { MEM: 'arm' } } }).issues).toEqual([
      { field: 'switches.MEM', message: "'arm' is not a value of MEM: must be one of sc, tso, lkmm" },
    ]);
    // the world's parameters and invariants come from the scenario and the request
    expect(w({ invariants: ['deadlock'] }).invariants).toEqual(['deadlock']);
    expect(w({ invariants: [] }).invariants).toEqual(findScenario('seed')!.invariants);
    expect(new InvalidModelRequestError([{ field: 'a', message: 'b' }]).message).toBe('invalid request: a: b');
    expect(new VariantNotApplicableError([{ field: 'a', message: 'b' }]).message).toBe('variant does not apply: a: b');
    expect(new VariantNotApplicableError([]).kind).toBe('not-applicable');
  });
});

describe('documents in a request', () => {
  const doc = {
    name: 'inline',
    title: 'inline',
    pages: [{ name: 'P', ref: 1, map: 0, mapping: 'anon' }],
    threads: [{ name: 'a', path: 'p', args: { page: 'P' } }],
    paths: { p: { regs: { page: 'page' }, steps: [{ label: 'L', op: 'lock_page', args: ['page'] }] } },
  };

  it('resolved instead of the scenario named, as text or a value, the same hash either way; problems thrown', () => {
    const byValue = resolveModel({ scenario: 'seed', document: doc });
    expect(byValue.world.scenario).toBe('inline');
    const byText = resolveModel({ scenario: 'ignored', document: JSON.stringify(doc) });
    expect(byText.modelHash).toBe(byValue.modelHash);
    expect(byValue.modelHash).toBe(contentHash(byValue.world));
    // a second request for it: the same answer (from the cache)
    expect(resolveModel({ scenario: 'x', document: doc }).modelHash).toBe(byValue.modelHash);
    expect(() => resolveModel({ scenario: 'seed', document: { ...doc, pages: 3 } })).toThrow(ScenarioDocumentError);
    expect(findScenario('inline')).toBeUndefined();
  });

  it('the cache keeps at most 64 documents and answers each from its own text', () => {
    const hashes = new Set<string>();
    for (let i = 0; i < 70; i++) hashes.add(resolveModel({ scenario: 'x', document: { ...doc, title: `t${i}`, name: `inline-${i}` } }).modelHash);
    expect(hashes.size).toBe(70);
    for (let i = 0; i < 70; i += 23)
      expect(resolveModel({ scenario: 'x', document: { ...doc, title: `t${i}`, name: `inline-${i}` } }).world.scenario).toBe(`inline-${i}`);
  });

  it('registerScenario adds a scenario once; resolveModel then finds it', () => {
    const s = { ...findScenario('litmus-sb')!, name: 'sb-again' };
    const n = scenarios().length;
    registerScenario(s);
    registerScenario({ ...s });
    expect(scenarios().length).toBe(n + 1);
    expect(resolveModel({ scenario: 'sb-again' }).world.scenario).toBe('sb-again');
    expect(findScenario('sb-again')).toBe(s);
  });
});

describe('memory-model operands a patch brings', () => {
  const insert = (scenario: string, path: string, before: string, op: string, args: (string | number)[]) =>
    resolveModel({ scenario, variant: { patches: [{ op: 'insert', path, before, steps: [{ label: 'new', op: op as never, args }] }] } });
  const refused = (scenario: string, path: string, before: string, op: string, args: (string | number)[]) => {
    try {
      insert(scenario, path, before, op, args);
    } catch (e) {
      expect(e).toBeInstanceOf(VariantNotApplicableError);
      return (e as VariantNotApplicableError).issues.map((i) => `${i.field}: ${i.message}`);
    }
    return expect.unreachable('resolved');
  };

  it('litmus variables, results, orderings and barriers within range', () => {
    const at = (i: number) => `paths.P0.steps[${i}].args`;
    expect(refused('litmus-mp', 'P0', 'P0.write_x', 'load_var', ['r0', 2, 2])).toEqual([
      `${at(1)}[1]: the scenario has 2 litmus variables`,
      `${at(1)}[2]: the ordering is 0 (READ_ONCE) or 1 (acquire)`,
    ]);
    expect(refused('litmus-mp', 'P0', 'P0.write_x', 'load_var', ['r0', -1, 0])).toEqual([`${at(1)}[1]: the scenario has 2 litmus variables`]);
    expect(refused('litmus-mp', 'P0', 'P0.write_x', 'store_var', [2, 'one', 2])).toEqual([
      `${at(1)}[0]: the scenario has 2 litmus variables`,
      `${at(1)}[2]: the ordering is 0 (WRITE_ONCE) or 1 (release)`,
    ]);
    expect(refused('litmus-mp', 'P0', 'P0.write_x', 'store_var', [-1, 'one', 0])).toEqual([`${at(1)}[0]: the scenario has 2 litmus variables`]);
    expect(refused('litmus-mp', 'P0', 'P0.write_x', 'load_ptr', ['r0', 'one', 2])).toEqual([`${at(1)}[2]: the ordering is 0 (READ_ONCE) or 1 (acquire)`]);
    expect(refused('litmus-mp', 'P0', 'P0.write_x', 'store_ptr', ['one', 'one', -1])).toEqual([`${at(1)}[2]: the ordering is 0 (WRITE_ONCE) or 1 (release)`]);
    expect(refused('litmus-mp', 'P0', 'P0.write_x', 'observe', [2, 'one'])).toEqual([`${at(1)}[0]: the scenario records 2 litmus results`]);
    expect(refused('litmus-mp', 'P0', 'P0.write_x', 'observe', [-1, 'one'])).toEqual([`${at(1)}[0]: the scenario records 2 litmus results`]);
    expect(refused('litmus-mp', 'P0', 'P0.write_x', 'fence', [0])).toEqual([`${at(1)}[0]: the barrier is 1 (smp_rmb), 2 (smp_wmb) or 3 (smp_mb)`]);
    expect(refused('litmus-mp', 'P0', 'P0.write_x', 'fence', [4])).toEqual([`${at(1)}[0]: the barrier is 1 (smp_rmb), 2 (smp_wmb) or 3 (smp_mb)`]);
    for (const [op, args] of [
      ['load_var', ['r0', 0, 0]],
      ['load_var', ['r0', 1, 1]],
      ['store_var', [0, 'one', 0]],
      ['store_var', [1, 'one', 1]],
      ['load_ptr', ['r0', 'one', 0]],
      ['load_ptr', ['r0', 'one', 1]],
      ['store_ptr', ['one', 'one', 0]],
      ['store_ptr', ['one', 'one', 1]],
      ['observe', [0, 'one']],
      ['observe', [1, 'one']],
      ['fence', [1]],
      ['fence', [3]],
    ] as const)
      expect(insert('litmus-mp', 'P0', 'P0.write_x', op, [...args]).variant, `${op} ${args.join(',')}`).toBe('custom');
  });

  it('the fields and orderings of load and store on a page', () => {
    const at = 'paths.zap_pte_range.steps[14].args';
    const zap = (op: string, args: (string | number)[]) => refused('c11-split-order', 'zap_pte_range', 'Z4.bug_on', op, args);
    expect(zap('load', ['f', 2, 'page', 2])).toEqual([
      `${at}[1]: the field is 0 (compound head) or 1 (flags)`,
      `${at}[3]: the ordering is 0 (READ_ONCE) or 1 (acquire)`,
    ]);
    expect(zap('load', ['f', -1, 'page', -1])).toEqual([
      `${at}[1]: the field is 0 (compound head) or 1 (flags)`,
      `${at}[3]: the ordering is 0 (READ_ONCE) or 1 (acquire)`,
    ]);
    expect(zap('store', [2, 'page', 'f', 2])).toEqual([
      `${at}[0]: the field is 0 (compound head) or 1 (flags)`,
      `${at}[3]: the ordering is 0 (WRITE_ONCE) or 1 (release)`,
    ]);
    const ok = (op: string, args: (string | number)[]) =>
      resolveModel({
        scenario: 'c11-split-order',
        variant: { patches: [{ op: 'insert', path: 'zap_pte_range', before: 'Z4.bug_on', steps: [{ label: 'new', op: op as never, args }] }] },
      }).variant;
    expect([ok('load', ['f', 0, 'page', 0]), ok('load', ['f', 1, 'page', 1]), ok('store', [0, 'page', 'f', 0]), ok('store', [1, 'page', 'f', 1])]).toEqual([
      'custom',
      'custom',
      'custom',
      'custom',
    ]);
  });
});
