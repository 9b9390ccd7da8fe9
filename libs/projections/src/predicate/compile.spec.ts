import { describe, expect, it } from 'vitest';
import { seedCounterexample } from '../../test/seed-counterexample.js';
import { RunModel } from '../run-model.js';
import { compilePredicate } from './compile.js';
import { InvalidPredicateError } from './predicate.js';

const run = seedCounterexample();
const model = new RunModel(run.started);

/** The first step whose state (and event) satisfy the predicate; -1 for the initial state, null for none. */
function first(predicate: unknown): number | null {
  const p = compilePredicate(model, predicate);
  if (p(model.initial, null)) return -1;
  const i = run.steps.findIndex((e, k) => p(run.states[k], e));
  return i < 0 ? null : i;
}

function issues(predicate: unknown): { field: string; message: string }[] {
  try {
    compilePredicate(model, predicate);
  } catch (e) {
    expect(e).toBeInstanceOf(InvalidPredicateError);
    return [...(e as InvalidPredicateError).issues];
  }
  throw new Error('the predicate was accepted');
}

describe('predicates over the seed counterexample', () => {
  it('state only: the migration entry of e0 points to an unlocked page while flt0 holds its PTL (step 19, the PTL taken)', () => {
    expect(
      first({
        all: [
          { pte: 'e0', kind: 'migration' },
          { page: { of: 'pte:e0' }, locked: false },
          { ptl: { of: 'pte:e0' }, heldBy: 'flt0' },
        ],
      }),
    ).toBe(19);
  });

  it('with the step: a fault holding the PTL reads a migration entry whose page is unlocked (step 20)', () => {
    const predicate = {
      exists: 'thread',
      as: '$t',
      where: {
        all: [
          { thread: '$t', path: 'handle_mm_fault' },
          {
            exists: 'pte',
            as: '$e',
            where: {
              all: [
                { event: { thread: '$t', op: 'pte_read', args: { pte: '$e' } } },
                { pte: '$e', kind: 'migration' },
                { page: { of: '$e' }, locked: false },
                { ptl: { of: '$e' }, heldBy: '$t' },
              ],
            },
          },
        ],
      },
    };
    expect(first(predicate)).toBe(20);
  });

  it('evaluates every kind of test', () => {
    expect(first({ page: 'P', locked: true })).toBe(1);
    expect(first({ page: 'page:P', lockedBy: 'mig' })).toBe(1);
    expect(first({ page: 'P', lockedBy: null })).toBe(-1);
    expect(first({ page: 'Q', lockedBy: '*' })).toBe(2);
    expect(first({ page: 'P', ref: { lt: 2 } })).toBe(11);
    expect(first({ page: 'P', map: 0 })).toBe(10);
    expect(first({ page: 'Q', freed: false, mapping: 'anon' })).toBe(16);
    expect(first({ pte: 'e0', kind: ['none', 'migration'] })).toBe(7);
    expect(first({ pte: 'e0', page: 'P', type: 'write', writable: true })).toBe(9);
    expect(first({ pte: 'e0', page: 'Q' })).toBe(null);
    expect(first({ pte: 'e0', kind: 'present', writable: true })).toBe(-1);
    expect(first({ ptl: 'ptl', held: true })).toBe(5);
    expect(first({ thread: 'flt0', at: 'F4.*' })).toBe(20);
    expect(first({ thread: 'mig', in: 'remove_migration_ptes' })).toBe(18);
    expect(first({ thread: 'mig', holdsPageLock: 'Q', holdsPtl: 'ptl' })).toBe(5);
    expect(first({ thread: 'flt0', status: ['sleeping', 'done'] })).toBe(null);
    expect(first({ thread: 'flt0', waitingOn: null })).toBe(-1);
    expect(first({ vma: 'vma0', start: 16, inInterval: true, tempStack: false })).toBe(-1);
    expect(first({ event: { kind: 'PageUnlocked', fn: '__unmap_and_move', label: 'U12.*', args: { src: 'P' } } })).toBe(18);
    expect(first({ not: { page: 'P', locked: false } })).toBe(1);
    expect(first({ any: [{ event: { kind: 'BugOnChecked' } }, { event: { op: 'ptl_unlock' } }] })).toBe(12);
    expect(first({ every: 'page', as: '$p', where: { page: '$p', freed: false } })).toBe(0);
    // The page of a none PTE is no page: a page test on it is false, its negation true.
    expect(first({ all: [{ pte: 'e0', kind: 'none' }, { not: { page: { of: 'e0' }, locked: true } }] })).toBe(7);
  });
});

describe('predicate validation', () => {
  it('names the field of every problem', () => {
    expect(
      issues({
        all: [
          { pte: 'e9', kind: 'migraton' },
          { page: { of: 'pte:e0' }, lockd: false },
        ],
      }),
    ).toEqual([
      { field: 'all[0].pte', message: "the world has no pte 'e9' (it has e0)" },
      { field: 'all[0].kind', message: expect.stringMatching(/must be one of none, present, migration/) },
      { field: 'all[1].lockd', message: expect.stringMatching(/unknown field/) },
    ]);
    expect(issues({ ptl: { of: 'pte:e0' }, heldBy: 'flt7' })).toEqual([{ field: 'heldBy', message: "the world has no thread 'flt7' (it has mig, flt0)" }]);
    expect(issues({ page: 'P', ptl: 'ptl' })[0]).toEqual({ field: '', message: expect.stringMatching(/has page and ptl/) });
    expect(issues({ thread: { of: 'e0' } })[0]).toEqual({ field: 'thread', message: expect.stringMatching(/named by a string/) });
    expect(issues({ exists: 'pte', as: '$e', where: { page: '$e' } })[0]).toEqual({ field: 'where.page', message: '$e is a pte, not a page' });
    expect(issues({ pte: '$e', kind: 'none' })[0]).toEqual({ field: 'pte', message: '$e is not bound by an enclosing exists/every' });
    expect(issues({ exists: 'cpu', as: 'e', where: {} }).map((i) => i.field)).toEqual(['exists']);
    expect(issues({ page: 'P', ref: { around: 3 } })[0].field).toBe('ref.around');
    expect(issues({ all: [] })[0]).toEqual({ field: 'all', message: expect.stringMatching(/list of 1 to/) });
    expect(issues('P.locked')[0]).toEqual({ field: '', message: expect.stringMatching(/must be an object/) });
    expect(issues({ event: { thread: 'mig', args: { src: 3 } } })[0].field).toBe('event.args.src');
  });

  it('never evaluates text as code', () => {
    let touched = false;
    (globalThis as Record<string, unknown>).__touched = () => (touched = true);
    // Text is a name to look up or a label to compare, nothing else.
    expect(issues({ page: 'globalThis.__touched()', locked: true })[0].field).toBe('page');
    expect(first({ thread: 'mig', at: '${__touched()}' })).toBe(null);
    expect(first({ event: { label: '__touched()*', args: { src: '__touched()' } } })).toBe(null);
    expect(issues({ event: { label: { toString: '__touched' } } })[0].field).toBe('event.label');
    expect(touched).toBe(false);
  });

  it('bounds the size of a predicate', () => {
    let deep: unknown = { page: 'P', locked: true };
    for (let i = 0; i < 40; i++) deep = { not: deep };
    expect(issues(deep)[0].message).toMatch(/nests at most 32/);
    expect(issues({ any: Array.from({ length: 65 }, () => ({ page: 'P' })) })[0].field).toBe('any');
  });
});
