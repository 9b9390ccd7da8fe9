// Expanding a document list on its own: `when`, `if`, `repeat` and `${expr}`, the limits of a
// repeat count, and the path of every error.
import { describe, expect, it } from 'vitest';
import { deepSubstitute, ExpandError, expandList, matchesWhen } from './expand.js';

const env = { n: 2, k: 5 };

function expandError(f: () => unknown): { path: string; message: string } {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ExpandError);
    return { path: (e as ExpandError).path, message: (e as ExpandError).message };
  }
  return expect.unreachable('expanded');
}

describe('deepSubstitute', () => {
  it('substitutes in strings, arrays and objects; drops the control fields; keeps other values', () => {
    expect(
      deepSubstitute(
        { a: '${n + 1}', b: ['x${k}', { c: '${n}' }], when: { X: 'y' }, if: 'n', repeat: { as: 'i', count: 2 }, d: 3, e: null, f: true },
        env,
        'at',
      ),
    ).toEqual({
      a: 3,
      b: ['x5', { c: 2 }],
      d: 3,
      e: null,
      f: true,
    });
    expect(deepSubstitute(7, env, 'at')).toBe(7);
    expect(deepSubstitute(null, env, 'at')).toBeNull();
  });

  it('names the field of a bad expression; other errors pass through', () => {
    expect(expandError(() => deepSubstitute({ a: [0, { b: '${nope}' }] }, env, 'list[3]'))).toMatchObject({ path: 'list[3].a[1].b' });
    expect(expandError(() => deepSubstitute('${n +}', env, 'top'))).toMatchObject({ path: 'top' });
    const boom = new Error('boom');
    const hostile = {
      get a() {
        throw boom;
      },
    };
    expect(() => deepSubstitute(hostile, env, 'at')).toThrow(boom);
  });
});

describe('matchesWhen', () => {
  it('every condition must hold: a value or one of a list', () => {
    expect(matchesWhen(undefined, {})).toBe(true);
    expect(matchesWhen({}, {})).toBe(true);
    expect(matchesWhen({ A: 'x' }, { A: 'x' })).toBe(true);
    expect(matchesWhen({ A: 'x' }, { A: 'y' })).toBe(false);
    expect(matchesWhen({ A: ['x', 'y'] }, { A: 'y' })).toBe(true);
    expect(matchesWhen({ A: ['x', 'y'] }, { A: 'z' })).toBe(false);
    expect(matchesWhen({ A: 'x', B: 'y' }, { A: 'x', B: 'z' })).toBe(false);
    expect(matchesWhen({ A: 'x', B: ['y'] }, { A: 'x', B: 'y' })).toBe(true);
  });
});

describe('expandList', () => {
  it('keeps, drops and repeats items, each with the index of its document item', () => {
    const list = [
      'plain ${n}',
      { name: 'always' },
      { name: 'when-on', when: { S: 'on' } },
      { name: 'when-off', when: { S: 'off' } },
      { name: 'if-true', if: 'n == 2' },
      { name: 'if-false', if: 'n == 3' },
      { name: 'r${i}', repeat: { as: 'i', count: '${n}' } },
      { name: 's${j}', repeat: { as: 'j', count: 1 } },
      { name: 'none', repeat: { as: 'z', count: 0 } },
      { name: 'gated', if: 'k > 9', repeat: { as: 'q', count: 3 } },
    ];
    expect(expandList(list, env, { S: 'on' }, 'xs', 10)).toEqual([
      { item: 'plain 2', from: 0 },
      { item: { name: 'always' }, from: 1 },
      { item: { name: 'when-on' }, from: 2 },
      { item: { name: 'if-true' }, from: 4 },
      { item: { name: 'r0' }, from: 6 },
      { item: { name: 'r1' }, from: 6 },
      { item: { name: 's0' }, from: 7 },
    ]);
    expect(expandList(undefined, env, {}, 'xs', 10)).toEqual([]);
    expect(expandList([null, 4], env, {}, 'xs', 10)).toEqual([
      { item: null, from: 0 },
      { item: 4, from: 1 },
    ]);
  });

  it('a repeat count from 0 to the limit, an integer, under a name not yet taken', () => {
    const rep = (count: number | string, as = 'i') => [{ repeat: { as, count } }];
    expect(expandList(rep(3), env, {}, 'xs', 3)).toHaveLength(3);
    expect(expandError(() => expandList(rep(4), env, {}, 'xs', 3))).toEqual({ path: 'xs[0].repeat.count', message: 'must be 0 to 3, got 4' });
    expect(expandError(() => expandList(rep(-1), env, {}, 'xs', 3))).toEqual({ path: 'xs[0].repeat.count', message: 'must be 0 to 3, got -1' });
    expect(expandError(() => expandList(rep(1.5), env, {}, 'xs', 3))).toEqual({ path: 'xs[0].repeat.count', message: 'must be 0 to 3, got 1.5' });
    expect(expandError(() => expandList(rep('two'), env, {}, 'xs', 3))).toEqual({ path: 'xs[0].repeat.count', message: 'must be 0 to 3, got NaN' });
    expect(expandError(() => expandList(rep('${nope}'), env, {}, 'xs', 3))).toMatchObject({ path: 'xs[0].repeat.count' });
    expect(expandError(() => expandList(rep(1, 'n'), env, {}, 'xs', 3))).toEqual({
      path: 'xs[0].repeat.as',
      message: "'n' is already a parameter or an outer variable",
    });
    // `hasOwnProperty`, not `in`: a name on Object.prototype is free
    expect(expandList(rep(1, 'toString'), env, {}, 'xs', 3)).toHaveLength(1);
    expect(expandError(() => expandList([{}, { if: 'n +' }], env, {}, 'xs', 3))).toMatchObject({ path: 'xs[1].if' });
    expect(expandError(() => expandList([{ a: '${nope}', repeat: { as: 'i', count: 1 } }], env, {}, 'xs', 3))).toMatchObject({ path: 'xs[0].a' });
  });

  it('errors that are not expression errors pass through', () => {
    const boom = new Error('boom');
    let reads = 0;
    // read once to see that there is a condition, then again to evaluate it (inside the try)
    const item = {
      get if(): string {
        if (reads++ === 0) return 'n';
        throw boom;
      },
    };
    expect(() => expandList([item], env, {}, 'xs', 3)).toThrow(boom);
    const counted = {
      repeat: {
        as: 'i',
        get count(): number {
          throw boom;
        },
      },
    };
    expect(() => expandList([counted], env, {}, 'xs', 3)).toThrow(boom);
  });
});
