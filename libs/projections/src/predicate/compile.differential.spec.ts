// The compiled predicates checked against a second reading of the same states: the readable view
// (`viewOf`), field by field, at every step of the seed counterexample. Each test form is tried with
// values on both sides of the truth (a refcount and the integers next to it under every operator,
// each thread as a lock owner and none), so a test that answers the wrong way at any step fails.
import { describe, expect, it } from 'vitest';
import { seedCounterexample } from '../../test/seed-counterexample.js';
import { RunModel } from '../run-model.js';
import { viewOf, type StateView } from '../view.js';
import { compilePredicate } from './compile.js';

const run = seedCounterexample();
const model = new RunModel(run.started);
const states = [model.initial, ...run.states];
const views: StateView[] = states.map((s, k) => viewOf(model, s, k - 1));
const threads = Object.keys(views[0].threads);
const pages = Object.keys(views[0].pages);
const ptls = Object.keys(views[0].ptls);

const NUMBER_OPS = {
  eq: (x: number, n: number) => x === n,
  ne: (x: number, n: number) => x !== n,
  lt: (x: number, n: number) => x < n,
  le: (x: number, n: number) => x <= n,
  gt: (x: number, n: number) => x > n,
  ge: (x: number, n: number) => x >= n,
} as const;

/** Evaluates `predicate` at every state and compares with `expected(view)`. */
function agrees(predicate: unknown, expected: (v: StateView) => boolean): void {
  const p = compilePredicate(model, predicate);
  states.forEach((s, k) => {
    const event = k === 0 ? null : run.steps[k - 1];
    expect(p(s, event), `${JSON.stringify(predicate)} at step ${k - 1}`).toBe(expected(views[k]));
  });
}

describe('compiled predicates agree with the readable view at every step', () => {
  it('page refcounts and mapcounts, under every comparison, at and beside each value taken', () => {
    for (const page of pages) {
      for (const field of ['ref', 'map'] as const) {
        const values = new Set(views.flatMap((v) => [v.pages[page][field] - 1, v.pages[page][field], v.pages[page][field] + 1]));
        for (const n of values) {
          agrees({ page, [field]: n }, (v) => v.pages[page][field] === n);
          for (const [op, holds] of Object.entries(NUMBER_OPS)) agrees({ page, [field]: { [op]: n } }, (v) => holds(v.pages[page][field], n));
          // several operators: all of them must hold
          agrees({ page, [field]: { gt: n - 2, lt: n + 1 } }, (v) => v.pages[page][field] > n - 2 && v.pages[page][field] < n + 1);
        }
      }
    }
  });

  it('page flags and lock owners', () => {
    for (const page of pages) {
      for (const b of [true, false]) {
        agrees({ page, locked: b }, (v) => v.pages[page].locked === b);
        agrees({ page, waiters: b }, (v) => v.pages[page].waiters === b);
        agrees({ page, freed: b }, (v) => v.pages[page].freed === b);
        agrees({ page, frozen: b }, (v) => v.pages[page].frozen === b);
      }
      for (const t of threads) agrees({ page, lockedBy: t }, (v) => v.pages[page].locked && v.pages[page].owner === t);
      agrees({ page, lockedBy: null }, (v) => !v.pages[page].locked);
    }
  });

  it('PTL holders', () => {
    for (const ptl of ptls) {
      for (const b of [true, false]) agrees({ ptl, held: b }, (v) => (v.ptls[ptl].holder !== null) === b);
      for (const t of threads) agrees({ ptl, heldBy: t }, (v) => v.ptls[ptl].holder === t);
      agrees({ ptl, heldBy: null }, (v) => v.ptls[ptl].holder === null);
    }
  });

  it('thread status, locks held and waits', () => {
    for (const thread of threads) {
      for (const status of ['runnable', 'sleeping', 'spinning', 'done', 'crashed']) agrees({ thread, status }, (v) => v.threads[thread].status === status);
      agrees({ thread, status: ['done', 'crashed'] }, (v) => ['done', 'crashed'].includes(v.threads[thread].status));
      for (const page of pages) {
        agrees({ thread, holdsPageLock: page }, (v) => v.threads[thread].holds.pageLocks.includes(page));
        agrees({ thread, waitingOn: page }, (v) => v.threads[thread].waitingOn?.page === page);
      }
      agrees({ thread, waitingOn: null }, (v) => v.threads[thread].waitingOn === null);
      for (const ptl of ptls) agrees({ thread, holdsPtl: ptl }, (v) => v.threads[thread].holds.ptls.includes(ptl));
      agrees({ thread, path: v0(thread) }, () => true);
    }
  });

  it('the step just taken: thread, label and function, exact and by prefix', () => {
    const p = (predicate: unknown) => compilePredicate(model, predicate);
    run.steps.forEach((e, k) => {
      const s = run.states[k];
      expect(p({ event: { thread: e.thread } })(s, e)).toBe(true);
      for (const other of threads.filter((t) => t !== e.thread)) expect(p({ event: { thread: other } })(s, e)).toBe(false);
      expect(p({ event: { label: e.label } })(s, e)).toBe(true);
      expect(p({ event: { label: `${e.label.slice(0, 2)}*` } })(s, e)).toBe(true);
      expect(p({ event: { label: `${e.label}x` } })(s, e)).toBe(false);
      expect(p({ event: { kind: e.kind } })(s, e)).toBe(true);
    });
    // before the first step there is no step
    expect(p({ event: { thread: threads[0] } })(model.initial, null)).toBe(false);
  });

  it('connectives: not, all, any over the tests above', () => {
    const [page] = pages;
    const [t] = threads;
    agrees({ not: { page, locked: true } }, (v) => !v.pages[page].locked);
    agrees(
      {
        all: [
          { page, locked: true },
          { page, lockedBy: t },
        ],
      },
      (v) => v.pages[page].locked && v.pages[page].owner === t,
    );
    agrees(
      {
        any: [
          { page, locked: false },
          { page, lockedBy: t },
        ],
      },
      (v) => !v.pages[page].locked || v.pages[page].owner === t,
    );
    agrees({ exists: 'thread', as: '$t', where: { page, lockedBy: '$t' } }, (v) => v.pages[page].locked);
    agrees({ every: 'page', as: '$p', where: { page: '$p', freed: false } }, (v) => Object.values(v.pages).every((x) => !x.freed));
  });
});

/** A thread's kernel path, from the model document. */
function v0(thread: string): string {
  return model.world.threads.find((t) => t.name === thread)!.path;
}
