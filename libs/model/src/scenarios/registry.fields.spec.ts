// The field every refusal of resolveModel names (registry.ts): the patch of a switch value, of a
// base variant and of the request that a bad step came from, in a scenario loaded from a document
// and in one registered from code (no document: `patchesFor`, names instead of indexes); the user
// invariant a world built at other parameters does not fit; the checks a patched path goes
// through (operand kinds; not its control flow). Written for the mutation batch `registry`
// (BENCHMARKS.md, session 13): each expectation fails on a mutant that outlived the older specs.
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument } from '../document/load.js';
import type { Scenario } from './scenario.js';
import { resolveModel, resolveScenarioModel, type ResolveRequest } from './registry.js';

const refusal = (f: () => unknown): { kind: string; fields: string[] } => {
  try {
    f();
  } catch (e) {
    return { kind: (e as Error).constructor.name, fields: ((e as { issues?: { field: string }[] }).issues ?? []).map((i) => i.field) };
  }
  return expect.unreachable('resolved');
};

const neverLocked = (page: string, message: string) => ({ never: { page, lockedBy: 'a' }, message });

// One page per `n` (Q0 ...) and one nop per `n` (X0 ...): at n = 0 the variant that deletes X0 and
// the invariants that name Q0 no longer fit. The switch value `on` inserts a jump to M.
const doc = {
  name: 'fields',
  title: 'fields',
  params: [{ name: 'n', default: 1, min: 0, max: 2 }],
  switches: [
    {
      name: 'S',
      values: ['off', 'on'],
      default: 'off',
      description: 's',
      patches: { on: [{ op: 'insert', path: 'p', before: 'M', steps: [{ label: 'J', op: 'jmp', args: ['M'] }] }] },
    },
  ],
  pages: [
    { name: 'P', ref: 1, map: 0, mapping: 'anon' },
    { name: 'Q${i}', ref: 1, map: 0, mapping: 'anon', repeat: { as: 'i', count: '${n}' } },
  ],
  threads: [{ name: 'a', path: 'p', args: { page: 'P' } }],
  paths: {
    p: {
      regs: { page: 'page' },
      steps: [
        { label: 'L', op: 'lock_page', args: ['page'] },
        { label: 'X${i}', op: 'nop', args: [], repeat: { as: 'i', count: '${n}' } },
        { label: 'M', op: 'unlock_page', args: ['page'] },
      ],
    },
  },
  // a string first, a named invariant that always fits, one named like the default name of index
  // 0, one unnamed (user-3)
  invariants: ['deadlock', { name: 'p-held', ...neverLocked('P', 'p') }, { name: 'user-0', ...neverLocked('Q0', 'q0') }, neverLocked('Q0', 'q0 again')],
  variants: [
    { name: 'w', description: 'w', switches: { S: 'on' } },
    { name: 'v', description: 'v', patches: [{ op: 'delete', path: 'p', step: 'X0' }] },
  ],
};

const loaded = (d: unknown): Scenario => {
  const r = parseScenarioDocument(d);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.scenario;
};
const s = loaded(doc);
// the same scenario as if registered from code: no document, its switch patches from `patchesFor`
const code: Scenario = { ...s, name: 'fields-code', document: undefined };
const deleteM = { switches: { S: 'on' }, patches: [{ op: 'delete' as const, path: 'p', step: 'M' }] };

describe('the switches of a request', () => {
  it('an unknown switch names the switches the scenario has', () => {
    expect(() => resolveModel({ scenario: 'seed', variant: { switches: { NOPE: 'x' } } })).toThrow(
      "invalid request: switches.NOPE: scenario 'seed' has no switch 'NOPE' (it has WAIT, MIG, MUTANT, WALK, MEM)",
    );
    expect(refusal(() => resolveModel({ scenario: 'seed', variant: { switches: { NOPE: 'x' } } })).fields).toEqual(['switches.NOPE']);
  });

  it("a base variant's switches, under the request's own", () => {
    const hash = (variant: ResolveRequest['variant']) => resolveModel({ scenario: 'seed', variant }).modelHash;
    expect(hash({ base: 'wait-pre' })).toBe(hash('wait-pre'));
    expect(hash({ base: 'wait-pre' })).not.toBe(hash({}));
    expect(hash({ base: 'wait-pre', switches: { WAIT: 'post' } })).toBe(hash({}));
  });
});

describe('the patch a refusal names', () => {
  it('a named variant and a base variant by their index in the document, or by name without one', () => {
    const at0 = { params: { n: 0 } };
    expect(refusal(() => resolveScenarioModel(s, { ...at0, variant: 'v' }))).toEqual({
      kind: 'VariantNotApplicableError',
      fields: ['variants[1].patches[0].step'],
    });
    expect(refusal(() => resolveScenarioModel(s, { ...at0, variant: { base: 'v' } })).fields).toEqual(['variants[1].patches[0].step']);
    expect(refusal(() => resolveScenarioModel(code, { ...at0, variant: 'v' })).fields).toEqual(['variants.v.patches[0].step']);
    const vFirst = loaded({ ...doc, name: 'v-first', variants: [doc.variants[1]] });
    expect(refusal(() => resolveScenarioModel(vFirst, { ...at0, variant: 'v' })).fields).toEqual(['variants[0].patches[0].step']);
    expect(resolveScenarioModel(s, { variant: 'v' }).variant).toBe('v');
  });

  it("a switch value's patch by its switch and value, or as switches.patches without a document", () => {
    const msg = ["'M' is not a label of this path; did you mean 'J' or 'L'?"];
    expect(refusal(() => resolveScenarioModel(s, { variant: deleteM }))).toEqual({
      kind: 'VariantNotApplicableError',
      fields: ['switches[0].patches.on[0].steps[0].args[0]'],
    });
    expect(refusal(() => resolveScenarioModel(code, { variant: deleteM })).fields).toEqual(['switches.patches[0].steps[0].args[0]']);
    try {
      resolveScenarioModel(s, { variant: deleteM });
    } catch (e) {
      expect((e as { issues: { message: string }[] }).issues.map((i) => i.message)).toEqual(msg);
    }
    // the switch's patch applies with or without a document; a scenario from code without patchesFor has none
    const on = { variant: { switches: { S: 'on' } } };
    const withJump = resolveScenarioModel(s, on).world.paths.p.steps.map((x) => x.label);
    expect(withJump).toEqual(['L', 'X0', 'J', 'M']);
    expect(resolveScenarioModel(code, on).world.paths.p.steps.map((x) => x.label)).toEqual(withJump);
    expect(resolveScenarioModel({ ...code, patchesFor: undefined }, on).world.paths.p.steps.map((x) => x.label)).toEqual(['L', 'X0', 'M']);
  });

  it("the request's own patch by its index; a step no patch brought by its path", () => {
    const seed = (variant: ResolveRequest['variant']) => refusal(() => resolveModel({ scenario: 'seed', variant }));
    expect(seed({ patches: [{ op: 'delete', path: 'nope', step: 'x' }] })).toEqual({ kind: 'VariantNotApplicableError', fields: ['patches[0].path'] });
    // the beq of unmap_and_move~0 jumps to the deleted label
    expect(seed({ patches: [{ op: 'delete', path: 'migrate_pages', step: 'U1.enomem' }] }).fields).toEqual(['paths.migrate_pages.steps[2].args[2]']);
    // an unknown register is a link error; the checks name the step's patch, not its place in the path
    const insert = (op: string, args: (string | number)[]) =>
      seed({ patches: [{ op: 'insert', path: 'migrate_pages', before: 'U2', steps: [{ label: 'new', op: op as never, args }] }] });
    expect(insert('mov', ['nope', 1])).toEqual({ kind: 'VariantNotApplicableError', fields: ['patches[0].steps[0].args[0]'] });
  });
});

describe('what a patched path is checked for', () => {
  it('operand kinds, which linking does not check', () => {
    try {
      resolveModel({
        scenario: 'seed',
        variant: { patches: [{ op: 'insert', path: 'migrate_pages', before: 'U2', steps: [{ label: 'new', op: 'lock_page', args: ['ok'] }] }] },
      });
      expect.unreachable('resolved');
    } catch (e) {
      expect((e as Error).constructor.name).toBe('VariantNotApplicableError');
      expect((e as { issues: unknown }).issues).toEqual([
        { field: 'patches[0].steps[0].args[0]', message: "lock_page's operand 'page' is a page register; 'ok' is a int register" },
      ]);
    }
  });

  it('not control flow: a loop without a way out is the run termination check, not a refusal', () => {
    const spin = { patches: [{ op: 'insert' as const, path: 'migrate_pages', before: 'U2', steps: [{ label: 'spin', op: 'jmp' as never, args: ['spin'] }] }] };
    expect(resolveModel({ scenario: 'seed', variant: spin }).variant).toBe('custom');
  });

  it('a path whose every step a patch deletes is a path of its own final done', () => {
    const two = {
      name: 'two',
      title: 'two',
      pages: [{ name: 'P', ref: 1, map: 0, mapping: 'anon' }],
      threads: [
        { name: 'a', path: 'p', args: { page: 'P' } },
        { name: 'b', path: 'q', args: {} },
      ],
      paths: {
        p: { regs: { page: 'page' }, steps: [{ label: 'L', op: 'lock_page', args: ['page'] }] },
        q: { regs: {}, steps: [{ label: 'N', op: 'nop', args: [] }] },
      },
    };
    const r = resolveModel({ scenario: 'x', document: two, variant: { patches: [{ op: 'delete', path: 'q', step: 'N' }] } });
    expect(r.world.paths.q.steps).toEqual([]);
  });
});

describe('the user invariant a refusal names', () => {
  it('by its index in the document (a string before it, a name like a default one), or by name without a document', () => {
    const at0 = { params: { n: 0 } };
    expect(refusal(() => resolveScenarioModel(s, at0))).toEqual({
      kind: 'InvalidModelRequestError',
      fields: ['invariants[2].never.page', 'invariants[3].never.page'],
    });
    expect(refusal(() => resolveScenarioModel(s, { ...at0, invariants: ['deadlock', 'user-3'] })).fields).toEqual(['invariants[3].never.page']);
    expect(refusal(() => resolveScenarioModel(code, at0)).fields).toEqual(['invariants.user-0.never.page', 'invariants.user-3.never.page']);
    // an unnamed invariant first: user-0, at index 0
    const first = loaded({ ...doc, name: 'first', invariants: [neverLocked('Q0', 'q0')] });
    expect(refusal(() => resolveScenarioModel(first, at0)).fields).toEqual(['invariants[0].never.page']);
    expect(resolveScenarioModel(s, {}).world.userInvariants?.map((u) => u.name)).toEqual(['p-held', 'user-0', 'user-3']);
  });
});
