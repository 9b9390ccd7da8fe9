// parseVariant's issues word for word, at the limits of each field, and applyPatches on a small
// path: each patch kind, both anchors, label blocks (`L.*`) and the errors of each.
import { describe, expect, it } from 'vitest';
import type { PathDef, Step } from '../program.js';
import { applyPatches, InvalidVariantError, parseVariant, type Patch, type PatchStep } from './variant.js';

function issuesOf(input: unknown): { field: string; message: string }[] {
  try {
    parseVariant(input);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidVariantError);
    expect((e as InvalidVariantError).at).toBe('variant');
    expect((e as InvalidVariantError).kind).toBe('invalid');
    expect((e as InvalidVariantError).message).toMatch(/^invalid variant: /);
    return (e as InvalidVariantError).issues.map((i) => ({ field: i.field, message: i.message }));
  }
  return [];
}

const step = (label: string, op: PatchStep['op'] = 'nop', args: PatchStep['args'] = []): PatchStep => ({ label, op, args });
const insert = (over: Record<string, unknown>) => ({ patches: [{ op: 'insert', path: 'p', before: 'A', steps: [step('x')], ...over }] });

describe('parseVariant', () => {
  it('accepts a well-formed variant as it is, at every limit', () => {
    const v = {
      name: 'n'.repeat(100),
      base: 'b',
      switches: { WAIT: 'yes' },
      patches: [
        { op: 'delete', path: 'p', step: 'A' },
        { op: 'insert', path: 'p', after: 'A', steps: Array.from({ length: 100 }, () => step('l'.repeat(100), 'mov', ['r', -(2 ** 53 - 1)])) },
        { op: 'replace', path: 'p', step: 'A', steps: [{ ...step('x'), src: { file: 'f.c', fn: 'f', version: 'v1' } }] },
        { op: 'move', path: 'p', step: 'A', before: 'B' },
      ],
    };
    expect(parseVariant(v)).toBe(v);
    expect(issuesOf({ patches: Array.from({ length: 200 }, () => ({ op: 'delete', path: 'p', step: 'A' })) })).toEqual([]);
    expect(issuesOf({})).toEqual([]);
    expect(issuesOf({ patches: [{ op: 'insert', path: 'p', before: 'A', steps: [step('x', 'mov', ['r'.repeat(100), 0])] }] })).toEqual([]);
  });

  it('the root and its fields', () => {
    for (const root of [null, [], 'x', 3]) expect(issuesOf(root)).toEqual([{ field: '(root)', message: 'a variant is a JSON object' }]);
    expect(issuesOf({ colour: 1, name: 'n'.repeat(101), base: 3, switches: [], patches: {} })).toEqual([
      { field: 'colour', message: 'unknown field' },
      { field: 'name', message: 'must be a string of at most 100 characters' },
      { field: 'base', message: 'must be the name of a built-in variant' },
      { field: 'switches', message: 'must be an object of switch names to values' },
      { field: 'patches', message: 'must be an array' },
    ]);
    expect(issuesOf({ name: 5 })).toEqual([{ field: 'name', message: 'must be a string of at most 100 characters' }]);
    expect(issuesOf({ switches: null })).toEqual([{ field: 'switches', message: 'must be an object of switch names to values' }]);
    expect(issuesOf({ switches: { A: 'x', B: 2 } })).toEqual([{ field: 'switches.B', message: 'must be a string' }]);
    expect(issuesOf({ patches: Array.from({ length: 201 }, () => ({ op: 'delete', path: 'p', step: 'A' })) })).toEqual([
      { field: 'patches', message: 'at most 200 patches' },
    ]);
  });

  it('patches: op, fields per op, path, step and anchors', () => {
    expect(issuesOf({ patches: [3, { op: 'swap' }, { op: 7 }] })).toEqual([
      { field: 'patches[0]', message: 'must be an object' },
      { field: 'patches[1].op', message: 'must be one of delete, insert, replace, move' },
      { field: 'patches[2].op', message: 'must be one of delete, insert, replace, move' },
    ]);
    // a name of Object.prototype is no op either (it was a TypeError: a 500 instead of a 400)
    // nor a one-element array, which a property lookup would turn into its element
    for (const op of ['toString', 'constructor', '__proto__', 'hasOwnProperty', ['delete']]) {
      expect(issuesOf({ patches: [{ op, path: 'p' }] }), String(op)).toEqual([
        { field: 'patches[0].op', message: 'must be one of delete, insert, replace, move' },
      ]);
    }
    expect(issuesOf({ patches: [{ op: 'delete', path: 1, step: 2, before: 'A' }] })).toEqual([
      { field: 'patches[0].before', message: "unknown field for 'delete'" },
      { field: 'patches[0].path', message: 'must name a path of the scenario' },
      { field: 'patches[0].step', message: 'must be a step label' },
    ]);
    // insert has no `step`; replace has no anchors
    expect(issuesOf({ patches: [{ op: 'insert', path: 'p', step: 'A', before: 'A', steps: [step('x')] }] })).toEqual([
      { field: 'patches[0].step', message: "unknown field for 'insert'" },
    ]);
    expect(issuesOf({ patches: [{ op: 'replace', path: 'p', step: 'A', after: 'B', steps: [step('x')] }] })).toEqual([
      { field: 'patches[0].after', message: "unknown field for 'replace'" },
    ]);
    const anchor = { field: 'patches[0].before', message: "exactly one of 'before' or 'after' must name a step label" };
    expect(issuesOf(insert({ before: undefined }))).toEqual([anchor]);
    expect(issuesOf(insert({ after: 'B' }))).toEqual([anchor]);
    expect(issuesOf(insert({ before: 3 }))).toEqual([anchor]);
    expect(issuesOf({ patches: [{ op: 'move', path: 'p', step: 'A', after: 3 }] })).toEqual([anchor]);
    expect(issuesOf({ patches: [{ op: 'move', path: 'p', step: 'A', after: 'B' }] })).toEqual([]);
  });

  it('steps: 1 to 100, each {label, op, args, src?} with arguments of the instruction', () => {
    const steps = { field: 'patches[0].steps', message: 'must be an array of 1 to 100 steps' };
    expect(issuesOf(insert({ steps: [] }))).toEqual([steps]);
    expect(issuesOf(insert({ steps: Array.from({ length: 101 }, () => step('x')) }))).toEqual([steps]);
    expect(issuesOf(insert({ steps: 'x' }))).toEqual([steps]);
    expect(issuesOf({ patches: [{ op: 'replace', path: 'p', step: 'A', steps: [] }] })).toEqual([steps]);
    const at = 'patches[0].steps[0]';
    expect(issuesOf(insert({ steps: [null] }))).toEqual([{ field: at, message: 'must be an object {label, op, args, src?}' }]);
    expect(issuesOf(insert({ steps: [{ ...step('x'), extra: 1 }] }))).toEqual([{ field: `${at}.extra`, message: 'unknown field' }]);
    const label = { field: `${at}.label`, message: 'must be a non-empty string' };
    expect(issuesOf(insert({ steps: [step('')] }))).toEqual([label]);
    expect(issuesOf(insert({ steps: [step('l'.repeat(101))] }))).toEqual([label]);
    expect(issuesOf(insert({ steps: [{ label: 4, op: 'nop', args: [] }] }))).toEqual([label]);
    const op = { field: `${at}.op`, message: 'must be an instruction of the instruction set' };
    expect(issuesOf(insert({ steps: [{ label: 'x', op: 'fly', args: [] }] }))).toEqual([op]);
    expect(issuesOf(insert({ steps: [{ label: 'x', op: 3, args: [] }] }))).toEqual([op]);
    expect(issuesOf(insert({ steps: [{ label: 'x', op: ['nop'], args: [] }] }))).toEqual([op]);
    expect(issuesOf(insert({ steps: [step('x', 'mov', [['r'] as never, 0])] }))).toEqual([{ field: `${at}.args[0]`, message: 'must be a reg name' }]);
    const args = { field: `${at}.args`, message: 'mov takes 2 arguments (reg, imm)' };
    expect(issuesOf(insert({ steps: [step('x', 'mov', ['r'])] }))).toEqual([args]);
    expect(issuesOf(insert({ steps: [{ label: 'x', op: 'mov', args: 'r' }] }))).toEqual([args]);
    expect(issuesOf(insert({ steps: [step('x', 'mov', [1, 'r'])] }))).toEqual([
      { field: `${at}.args[0]`, message: 'must be a reg name' },
      { field: `${at}.args[1]`, message: 'must be an integer' },
    ]);
    expect(issuesOf(insert({ steps: [step('x', 'mov', ['r'.repeat(101), 1.5])] }))).toEqual([
      { field: `${at}.args[0]`, message: 'must be a reg name' },
      { field: `${at}.args[1]`, message: 'must be an integer' },
    ]);
    expect(issuesOf(insert({ steps: [step('x', 'mov', ['r', 2 ** 53])] }))).toEqual([{ field: `${at}.args[1]`, message: 'must be an integer' }]);
    const src = { field: `${at}.src`, message: 'must be {file, fn, version}' };
    for (const bad of [null, 'f.c', { fn: 'f', version: 'v' }, { file: 'f', version: 'v' }, { file: 'f', fn: 'f' }, { file: 'f', fn: 'f', version: 1 }]) {
      expect(issuesOf(insert({ steps: [{ ...step('x'), src: bad }] }))).toEqual([src]);
    }
  });
});

describe('applyPatches', () => {
  const src = { file: 'k.c', fn: 'k', version: 'v1' };
  const path: PathDef = {
    name: 'p',
    title: 'P',
    regs: [],
    steps: ['A', 'B.1', 'B.2', 'C', 'BX'].map((label) => ({ label, op: 'nop', args: [], src }) as Step),
  };
  const labels = (patches: Patch[], paths: Record<string, PathDef> = { p: path }) => applyPatches(paths, patches).p.steps.map((s) => s.label);
  const failure = (patches: Patch[], where?: (i: number) => string) => {
    try {
      applyPatches({ p: path, q: path }, patches, where);
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidVariantError);
      return (e as InvalidVariantError).issues;
    }
    return expect.unreachable('applied');
  };

  it('delete, insert, replace and move, by a label or a block of labels `L.*`', () => {
    expect(labels([{ op: 'delete', path: 'p', step: 'B' }])).toEqual(['A', 'C', 'BX']);
    expect(labels([{ op: 'delete', path: 'p', step: 'B.2' }])).toEqual(['A', 'B.1', 'C', 'BX']);
    expect(labels([{ op: 'insert', path: 'p', before: 'B', steps: [step('n')] }])).toEqual(['A', 'n', 'B.1', 'B.2', 'C', 'BX']);
    expect(labels([{ op: 'insert', path: 'p', after: 'B', steps: [step('n'), step('m')] }])).toEqual(['A', 'B.1', 'B.2', 'n', 'm', 'C', 'BX']);
    expect(labels([{ op: 'insert', path: 'p', after: 'BX', steps: [step('n')] }])).toEqual(['A', 'B.1', 'B.2', 'C', 'BX', 'n']);
    expect(labels([{ op: 'replace', path: 'p', step: 'B', steps: [step('n')] }])).toEqual(['A', 'n', 'C', 'BX']);
    expect(labels([{ op: 'move', path: 'p', step: 'B', after: 'C' }])).toEqual(['A', 'C', 'B.1', 'B.2', 'BX']);
    expect(labels([{ op: 'move', path: 'p', step: 'C', before: 'B' }])).toEqual(['A', 'C', 'B.1', 'B.2', 'BX']);
    expect(labels([{ op: 'move', path: 'p', step: 'A', after: 'BX' }])).toEqual(['B.1', 'B.2', 'C', 'BX', 'A']);
    // patches apply in order, each to the result of the one before
    expect(
      labels([
        { op: 'delete', path: 'p', step: 'A' },
        { op: 'insert', path: 'p', before: 'C', steps: [step('A')] },
        { op: 'move', path: 'p', step: 'BX', before: 'B' },
      ]),
    ).toEqual(['BX', 'B.1', 'B.2', 'A', 'C']);
    expect(path.steps).toHaveLength(5);
  });

  it('inserted steps cite the variant unless they give a source; origins learn their fields; other paths are kept', () => {
    const mine = { file: 'm.c', fn: 'm', version: 'v2' };
    const origins = new Map<Step, string>();
    const other: PathDef = { ...path, name: 'q' };
    const out = applyPatches(
      { p: path, q: other },
      [{ op: 'replace', path: 'p', step: 'C', steps: [step('n'), { ...step('m'), src: mine }] }],
      (i) => `variant.patches[${i + 3}]`,
      origins,
    );
    expect(out.q).toBe(other);
    const [n, m] = out.p.steps.filter((s) => s.label === 'n' || s.label === 'm');
    expect(n.src).toEqual({ file: '(variant)', fn: '(patch)', version: '-' });
    expect(m.src).toEqual(mine);
    expect([...origins.entries()].map(([s, f]) => [s.label, f])).toEqual([
      ['n', 'variant.patches[3].steps[0]'],
      ['m', 'variant.patches[3].steps[1]'],
    ]);
    expect(out.p).toMatchObject({ name: 'p', title: 'P' });
  });

  it('errors name the patch field: unknown path, unknown label, a block that is not contiguous', () => {
    expect(failure([{ op: 'delete', path: 'z', step: 'A' }])).toEqual([{ field: 'patches[0].path', message: "the scenario has no path 'z' (it has p, q)" }]);
    expect(
      failure(
        [
          { op: 'delete', path: 'p', step: 'A' },
          { op: 'delete', path: 'p', step: 'A' },
        ],
        (i) => `v[${i}]`,
      ),
    ).toEqual([{ field: 'v[1].step', message: "no step 'A' in path 'p'" }]);
    expect(failure([{ op: 'replace', path: 'p', step: 'Q', steps: [step('n')] }])).toEqual([{ field: 'patches[0].step', message: "no step 'Q' in path 'p'" }]);
    expect(failure([{ op: 'move', path: 'p', step: 'Q', before: 'A' }])).toEqual([{ field: 'patches[0].step', message: "no step 'Q' in path 'p'" }]);
    expect(failure([{ op: 'insert', path: 'p', before: 'Q', steps: [step('n')] }])).toEqual([
      { field: 'patches[0].before', message: "no step 'Q' in path 'p'" },
    ]);
    expect(failure([{ op: 'insert', path: 'p', after: 'Q', steps: [step('n')] }])).toEqual([{ field: 'patches[0].after', message: "no step 'Q' in path 'p'" }]);
    // moving a step to an anchor it just took out of the path
    expect(failure([{ op: 'move', path: 'p', step: 'B', after: 'B.1' }])).toEqual([{ field: 'patches[0].after', message: "no step 'B.1' in path 'p'" }]);
    expect(
      failure([
        { op: 'insert', path: 'p', after: 'C', steps: [step('B.3')] },
        { op: 'delete', path: 'p', step: 'B' },
      ]),
    ).toEqual([{ field: 'patches[1].step', message: "the steps 'B.*' are not contiguous" }]);
    expect(
      failure([
        { op: 'insert', path: 'p', after: 'C', steps: [step('B.9')] },
        { op: 'move', path: 'p', step: 'A', before: 'B' },
      ]),
    ).toEqual([{ field: 'patches[1].before', message: "the steps 'B.*' are not contiguous" }]);
  });
});
