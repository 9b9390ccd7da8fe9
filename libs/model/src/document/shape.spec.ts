// checkShape (shape.ts) on small shapes: each kind's message with its path, the bounds at and
// past their limits, how a value is shown, field paths of odd keys, and the JSON Schema of each
// kind. The document's own shape is held to libs/model/schema by schema.spec.ts.
import { describe, expect, it } from 'vitest';
import { checkShape, fieldPath, toJsonSchema, type Shape } from './shape.js';
import type { DocumentProblem } from './types.js';

const check = (v: unknown, shape: Shape, defs: Record<string, Shape> = {}, at = ''): string[] => {
  const out: DocumentProblem[] = [];
  checkShape(v, shape, at, defs, out);
  return out.map((p) => `${p.path}: ${p.message}`);
};

describe('checkShape', () => {
  it('strings: type, length, enum with a "did you mean", pattern; values shown by kind', () => {
    const s: Shape = { t: 'string', max: 5 };
    expect(check('abcde', s)).toEqual([]);
    expect(check('abcdef', s)).toEqual(['(root): at most 5 characters']);
    expect(check(3, s)).toEqual(['(root): must be a string, got 3']);
    expect(check(null, s)).toEqual(['(root): must be a string, got null']);
    expect(check([1], s)).toEqual(['(root): must be a string, got a list']);
    expect(check({}, s)).toEqual(['(root): must be a string, got an object']);
    expect(check(true, s)).toEqual(['(root): must be a string, got true']);
    const e: Shape = { t: 'string', enum: ['anon', 'file'] };
    expect(check(1, e)).toEqual(['(root): must be a string (one of anon, file), got 1']);
    expect(check('anno', e)).toEqual(["(root): 'anno' is not one of anon, file; did you mean 'anon'?"]);
    expect(check('file', e)).toEqual([]);
    const p: Shape = { t: 'string', pattern: '^[a-z]+$' };
    expect(check('ab1', p)).toEqual(["(root): 'ab1' must match ^[a-z]+$"]);
    expect(check('ab', p)).toEqual([]);
    // long strings are shown cut at 40 characters
    expect(check('X'.repeat(41), p)).toEqual([`(root): '${'X'.repeat(40)}...' must match ^[a-z]+$`]);
    expect(check('X'.repeat(40), p)).toEqual([`(root): '${'X'.repeat(40)}' must match ^[a-z]+$`]);
  });

  it('integers: safe integers within min and max', () => {
    const s: Shape = { t: 'int', min: 1, max: 3 };
    expect([check(1, s), check(3, s)]).toEqual([[], []]);
    expect(check(0, s)).toEqual(['(root): must be at least 1']);
    expect(check(4, s)).toEqual(['(root): must be at most 3']);
    expect(check(1.5, s)).toEqual(['(root): must be an integer, got 1.5']);
    expect(check(2 ** 53, s)).toEqual([`(root): must be an integer, got ${2 ** 53}`]);
    expect(check('2', s)).toEqual(["(root): must be an integer, got '2'"]);
    expect(check(-5, { t: 'int' })).toEqual([]);
  });

  it('integer expressions: an integer or one `${...}` of at most 400 characters', () => {
    const s: Shape = { t: 'intExpr' };
    expect([check(-3, s), check('${n}', s), check(`\${${'n'.repeat(397)}}`, s)]).toEqual([[], [], []]);
    const bad = "must be an integer or a '${expression}', got";
    expect(check(`\${${'n'.repeat(398)}}`, s)).toEqual([`(root): ${bad} '\${${'n'.repeat(38)}...'`]);
    expect(check('n', s)).toEqual([`(root): ${bad} 'n'`]);
    expect(check('x${n}', s)).toEqual([`(root): ${bad} 'x\${n}'`]);
    expect(check('${n}}', s)).toEqual([`(root): ${bad} '\${n}}'`]);
    expect(check('${a}${b}', s)).toEqual([`(root): ${bad} '\${a}\${b}'`]);
    expect(check(0.5, s)).toEqual([`(root): ${bad} 0.5`]);
    // a list whose one item is an expression is not one (its text would be)
    expect(check(['${n}'], s)).toEqual([`(root): ${bad} a list`]);
  });

  it('booleans and records', () => {
    expect(check(true, { t: 'boolean' })).toEqual([]);
    expect(check(0, { t: 'boolean' })).toEqual(['(root): must be true or false, got 0']);
    expect(check({ a: 1 }, { t: 'record' })).toEqual([]);
    expect(check([], { t: 'record' })).toEqual(['(root): must be an object, got a list']);
    expect(check(null, { t: 'record' })).toEqual(['(root): must be an object, got null']);
  });

  it('arrays: a list, at most max, at least min, each item at its index', () => {
    const s: Shape = { t: 'array', of: { t: 'int' }, max: 3, min: 1 };
    expect(check([1, 2, 3], s)).toEqual([]);
    expect(check([1, 2, 3, 4], s)).toEqual(['(root): at most 3 items, got 4']);
    expect(check([], s)).toEqual(['(root): at least 1 item']);
    expect(check([1], { t: 'array', of: { t: 'int' }, max: 3, min: 2 })).toEqual(['(root): at least 2 items']);
    expect(check([], { t: 'array', of: { t: 'int' }, max: 3 })).toEqual([]);
    expect(check([1, 'x', 2, null], { t: 'array', of: { t: 'int' }, max: 9 }, {}, 'xs')).toEqual([
      "xs[1]: must be an integer, got 'x'",
      'xs[3]: must be an integer, got null',
    ]);
    expect(check({}, s)).toEqual(['(root): must be a list, got an object']);
  });

  it('maps: an object of at most max entries, keys matching, values checked at their key', () => {
    const s: Shape = { t: 'map', key: '^[a-z]+$', of: { t: 'int' }, max: 2 };
    expect(check({ a: 1, b: 2 }, s, {}, 'regs')).toEqual([]);
    expect(check({ a: 1, b: 2, c: 3 }, s)).toEqual(['(root): at most 2 entries, got 3']);
    expect(check({ a: 'x', B: 1 }, s, {}, 'regs')).toEqual(["regs.a: must be an integer, got 'x'", "regs.B: 'B' is not a valid name (^[a-z]+$)"]);
    expect(check({ [`${'Z'.repeat(45)}`]: 1 }, s, {}, 'regs')).toEqual([`regs.${'Z'.repeat(45)}: '${'Z'.repeat(40)}' is not a valid name (^[a-z]+$)`]);
    expect(check([], s)).toEqual(['(root): must be an object, got a list']);
  });

  it('objects: unknown fields with a "did you mean", required fields, known ones checked', () => {
    const s: Shape = { t: 'object', props: { name: { t: 'string' }, count: { t: 'int' } }, required: ['name'] };
    expect(check({ name: 'x' }, s, {}, 'threads[0]')).toEqual([]);
    expect(check({ nmae: 'x', count: 'y' }, s, {}, 'threads[0]')).toEqual([
      "threads[0].nmae: unknown field; did you mean 'name'?",
      "threads[0].count: must be an integer, got 'y'",
      'threads[0].name: is required',
    ]);
    expect(check({ count: 1 }, s)).toEqual(['name: is required']);
    expect(check({ 'odd key': 1, name: 'x' }, s)).toEqual(['["odd key"]: unknown field']);
    expect(check('x', s)).toEqual(["(root): must be an object, got 'x'"]);
  });

  it('oneOf picks a form or says which are allowed; refs resolve in the definitions', () => {
    const s: Shape = {
      t: 'oneOf',
      of: [{ t: 'int', max: 1 }, { t: 'string' }],
      pick: (v) => (typeof v === 'number' ? 0 : typeof v === 'string' ? 1 : -1),
      doc: 'a number or a text',
    };
    expect([check(1, s), check('x', s)]).toEqual([[], []]);
    expect(check(2, s)).toEqual(['(root): must be at most 1']);
    expect(check(true, s)).toEqual(['(root): must be a number or a text, got true']);
    expect(check(true, { ...s, doc: undefined })).toEqual(['(root): must be one of the allowed forms, got true']);
    expect(check(5, { t: 'ref', name: 'small' }, { small: { t: 'int', max: 1 } }, 'x')).toEqual(['x: must be at most 1']);
  });
});

describe('fieldPath', () => {
  it('a.b for plain names, a["odd key"] (cut at 40) for others', () => {
    expect([fieldPath('', 'a'), fieldPath('x', 'a_b$~+-1'), fieldPath('x', '1a'), fieldPath('', 'a b')]).toEqual(['a', 'x.a_b$~+-1', 'x["1a"]', '["a b"]']);
    expect(fieldPath('x', ' '.repeat(50))).toBe(`x[${JSON.stringify(' '.repeat(40))}]`);
  });
});

describe('toJsonSchema', () => {
  it('each kind with its bounds and description', () => {
    expect(toJsonSchema({ t: 'string', max: 4, pattern: '^a$', enum: ['a'], doc: 'd' })).toEqual({
      type: 'string',
      maxLength: 4,
      pattern: '^a$',
      enum: ['a'],
      description: 'd',
    });
    expect(toJsonSchema({ t: 'string' })).toEqual({ type: 'string' });
    expect(toJsonSchema({ t: 'int', min: 0, max: 0 })).toEqual({ type: 'integer', minimum: 0, maximum: 0 });
    expect(toJsonSchema({ t: 'int' })).toEqual({ type: 'integer' });
    // no bound is no key (not a key holding undefined)
    expect(toJsonSchema({ t: 'int' })).toStrictEqual({ type: 'integer' });
    expect(toJsonSchema({ t: 'array', of: { t: 'boolean' }, max: 2 })).toStrictEqual({ type: 'array', items: { type: 'boolean' }, maxItems: 2 });
    expect(toJsonSchema({ t: 'intExpr', doc: 'n' })).toEqual({
      oneOf: [{ type: 'integer' }, { type: 'string', pattern: '^\\$\\{[^{}]*\\}$', maxLength: 400 }],
      description: 'n',
    });
    expect(toJsonSchema({ t: 'boolean' })).toEqual({ type: 'boolean' });
    expect(toJsonSchema({ t: 'record', doc: 'r' })).toEqual({ type: 'object', description: 'r' });
    expect(toJsonSchema({ t: 'array', of: { t: 'boolean' }, max: 2, min: 0 })).toEqual({ type: 'array', items: { type: 'boolean' }, maxItems: 2, minItems: 0 });
    expect(toJsonSchema({ t: 'array', of: { t: 'boolean' }, max: 2 })).toEqual({ type: 'array', items: { type: 'boolean' }, maxItems: 2 });
    expect(toJsonSchema({ t: 'map', key: '^k$', of: { t: 'int' }, max: 3 })).toEqual({
      type: 'object',
      propertyNames: { pattern: '^k$' },
      additionalProperties: { type: 'integer' },
      maxProperties: 3,
    });
    expect(toJsonSchema({ t: 'object', props: { a: { t: 'boolean' } }, required: ['a'] })).toEqual({
      type: 'object',
      properties: { a: { type: 'boolean' } },
      required: ['a'],
      additionalProperties: false,
    });
    expect(toJsonSchema({ t: 'object', props: {}, required: [] })).toEqual({ type: 'object', properties: {}, additionalProperties: false });
    expect(toJsonSchema({ t: 'oneOf', of: [{ t: 'boolean' }, { t: 'int' }], pick: () => 0 })).toEqual({ oneOf: [{ type: 'boolean' }, { type: 'integer' }] });
    expect(toJsonSchema({ t: 'ref', name: 'x', doc: 'see x' })).toEqual({ $ref: '#/$defs/x', description: 'see x' });
  });
});
