import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument } from './load.js';
import { resolveScenarioModel, InvalidModelRequestError } from '../scenarios/registry.js';
import { contentHash } from '../hash.js';
import { compilePredicateReads } from '../predicate/compile.js';
import { worldPredicateModel } from '../predicate/context.js';
import { StateClass } from '../op-decl.js';
import type { ScenarioDocument } from './types.js';

// User invariants in a scenario document (docs/scenarios.md): the predicate language's `always` /
// `never` with a message, checked before anything runs with the field path of every problem.

const text = readFileSync(fileURLToPath(new URL('../../../../examples/scenarios/user-invariant.yaml', import.meta.url)), 'utf8');
const base = parse(text) as ScenarioDocument;
const withInvariants = (invariants: unknown[]): unknown => ({ ...base, invariants });
const problemsOf = (doc: unknown) => {
  const r = parseScenarioDocument(doc);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
};
const neverEntry = { exists: 'pte', as: '$e', where: { all: [{ pte: '$e', kind: 'migration' }, { not: { page: { of: '$e' }, lockedBy: 'mig' } }] } };

describe('user invariants in a scenario document', () => {
  it('the example loads: its world carries the invariant, named and as written', () => {
    const r = parseScenarioDocument(text);
    expect(r.problems).toEqual([]);
    if (!r.ok) return;
    expect(r.scenario.invariants).toEqual(['deadlock']);
    const { world } = resolveScenarioModel(r.scenario, {});
    expect(world.invariants).toEqual(['deadlock']);
    expect(world.userInvariants).toEqual([
      { name: 'entry-under-page-lock', kind: 'never', predicate: neverEntry, message: "a migration entry exists while mig does not hold its page's lock" },
    ]);
  });

  it('a world without user invariants has no field for them (model hashes stay what they were)', () => {
    const r = parseScenarioDocument(withInvariants(['deadlock']));
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    const { world, modelHash } = resolveScenarioModel(r.scenario, {});
    expect('userInvariants' in world).toBe(false);
    expect(modelHash).toBe(contentHash(world));
  });

  it('a predicate with errors is refused with the path of each problem in the document', () => {
    const problems = problemsOf(
      withInvariants([
        'deadlock',
        {
          never: {
            all: [
              { pte: 'e', kind: 'migrated' },
              { thread: 'flt', at: 'F1.decode', regs: { nope: 1 } },
            ],
          },
          message: 'm',
        },
        { always: { page: 'Q', locked: true }, message: 'm' },
      ]),
    );
    expect(problems).toEqual([
      'invariants[1].never.all[0].kind: must be one of none, present, migration, swap, devicePrivate, marker (or a list of them)',
      "invariants[1].never.all[1].regs.nope: no thread of the run has a register 'nope'",
      "invariants[2].always.page: the world has no page 'Q' (it has P)",
    ]);
  });

  it('exactly one of always and never; names of their own; event tests refused (an invariant is about states)', () => {
    expect(problemsOf(withInvariants([{ message: 'm' }]))).toEqual(['invariants[0]: a user invariant has exactly one of always and never']);
    expect(problemsOf(withInvariants([{ always: { page: 'P' }, never: { page: 'P' }, message: 'm' }]))).toEqual([
      'invariants[0]: a user invariant has exactly one of always and never',
    ]);
    expect(problemsOf(withInvariants([{ name: 'bug-on', never: { page: 'P' }, message: 'm' }]))).toEqual([
      "invariants[0].name: 'bug-on' is a built-in invariant's name",
    ]);
    expect(
      problemsOf(
        withInvariants([
          { name: 'x', never: { page: 'P' }, message: 'm' },
          { name: 'x', never: { page: 'P' }, message: 'm' },
        ]),
      ),
    ).toEqual(["invariants[1].name: two invariants named 'x'"]);
    expect(problemsOf(withInvariants([{ never: { event: { op: 'unlock_page' } }, message: 'm' }]))).toEqual([
      "invariants[0].never.event: an invariant is checked on states, not on steps: test where a thread is instead ({thread: T, at: 'LABEL'})",
    ]);
    expect(problemsOf(withInvariants([{ never: 'P', message: 'm' }]))).toEqual(["invariants[0].never: must be an object, got 'P'"]);
    expect(problemsOf(withInvariants([{ never: { page: 'P' } }]))).toEqual(['invariants[0].message: is required']);
  });

  it('an unnamed invariant is user-<index>; a request naming invariants keeps the user invariants it names', () => {
    const r = parseScenarioDocument(withInvariants(['deadlock', { never: { page: 'P', freed: true }, message: 'P is freed' }]));
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(resolveScenarioModel(r.scenario, {}).world.userInvariants?.map((u) => u.name)).toEqual(['user-1']);
    const named = resolveScenarioModel(r.scenario, { invariants: ['bug-on', 'user-1'] }).world;
    expect([named.invariants, named.userInvariants?.map((u) => u.name)]).toEqual([['bug-on'], ['user-1']]);
    const without = resolveScenarioModel(r.scenario, { invariants: ['bug-on'] }).world;
    expect([without.invariants, without.userInvariants]).toEqual([['bug-on'], undefined]);
    expect(() => resolveScenarioModel(r.scenario, { invariants: ['user-9'] })).toThrow(/unknown invariant 'user-9'/);
  });

  it('parameters that build a world the predicate does not fit are refused when the model is resolved, with the path', () => {
    const doc = {
      ...base,
      params: [{ name: 'ptes', default: 2, min: 1, max: 4 }],
      ptes: [{ name: 'e${i}', addr: '${16 + i}', ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true }, repeat: { as: 'i', count: '${ptes}' } }],
      threads: [
        { name: 'mig', path: 'migrate', args: { page: 'P', pte: 'e0' } },
        { name: 'flt', path: 'fault', args: { pte: 'e0' } },
      ],
      invariants: ['deadlock', { name: 'e1-present', always: { pte: 'e1', kind: 'present' }, message: 'e1 stays mapped' }],
    };
    const r = parseScenarioDocument(doc);
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(() => resolveScenarioModel(r.scenario, { params: { ptes: 1 } })).toThrow(InvalidModelRequestError);
    try {
      resolveScenarioModel(r.scenario, { params: { ptes: 1 } });
    } catch (e) {
      expect((e as InvalidModelRequestError).issues).toEqual([{ field: 'invariants[1].always.pte', message: "the world has no pte 'e1' (it has e0)" }]);
    }
  });
});

describe('what a predicate reads (for the explorer reductions)', () => {
  const r = parseScenarioDocument(text);
  if (!r.ok) throw new Error('example');
  const model = worldPredicateModel(resolveScenarioModel(r.scenario, {}).world);
  const reads = (p: unknown) => compilePredicateReads(model, p).reads;

  it('shared state by class; a thread own state by thread (a bound thread: every thread)', () => {
    expect(reads({ pte: 'e', kind: 'migration' })).toMatchObject({ classes: StateClass.pte, threads: [false, false], regs: false, asymmetric: true });
    expect(reads({ thread: 'flt', at: 'F1.decode' }).threads).toEqual([false, true]);
    expect(reads({ exists: 'thread', as: '$t', where: { thread: '$t', status: 'sleeping' } })).toMatchObject({ threads: [true, true], asymmetric: false });
    expect(reads({ thread: 'mig', path: 'migrate' }).threads).toEqual([false, false]);
    expect(reads({ thread: 'mig', regs: { old: 0 } })).toMatchObject({ regs: true, threads: [true, false] });
    expect(reads(neverEntry).classes & (StateClass.pte | StateClass.lock)).toBe(StateClass.pte | StateClass.lock);
  });

  it('only names and identity-bound values make a predicate asymmetric', () => {
    expect(
      reads({
        exists: 'pte',
        as: '$e',
        where: {
          all: [
            { pte: '$e', kind: 'migration' },
            { page: { of: '$e' }, locked: false },
          ],
        },
      }).asymmetric,
    ).toBe(false);
    expect(reads({ exists: 'vma', as: '$v', where: { vma: '$v', start: 16 } }).asymmetric).toBe(true);
    expect(reads({ exists: 'page', as: '$p', where: { page: '$p', lockedBy: 'mig' } }).asymmetric).toBe(true);
    expect(reads({ exists: 'page', as: '$p', where: { page: '$p', lockedBy: '*' } }).asymmetric).toBe(false);
  });
});
