import { describe, expect, it } from 'vitest';
import { seedCounterexample } from '../test/seed-counterexample.js';
import { recordRun } from '../test/engine-runs.js';
import { RunModel } from './run-model.js';
import { PageField, PageFlag, ThreadField, ThreadStatus } from '@mmreplay/model';
import { pageLocksHeld, viewOf } from './view.js';
import { diffViews } from './diff.js';
import { formatField } from './values.js';
import { resolveObject } from './objects.js';

describe('the readable view', () => {
  const run = seedCounterexample();
  const model = new RunModel(run.started);

  it('shows the seed BUG_ON state: the PTL held by the fault, a migration entry for an unlocked page', () => {
    const v = viewOf(model, run.states[20], 20);
    expect(v.ptes.e0).toMatchObject({ entry: 'migration(P,write)', decoded: { kind: 'migration', page: 'P', type: 'write' }, ptl: 'ptl' });
    expect(v.pages.P).toMatchObject({ locked: false, owner: null, ref: 1, map: 0, mapping: 'anon' });
    expect(v.pages.Q).toMatchObject({ locked: true, owner: 'mig' });
    expect(v.ptls.ptl).toEqual({ holder: 'flt0', ptes: ['e0'] });
    expect(v.threads.flt0).toMatchObject({
      status: 'runnable',
      at: { label: 'F4.pfn_swap_entry_to_page', op: 'check_locked', fn: 'migration_entry_wait_on_locked', file: 'mm/filemap.c' },
      holds: { pageLocks: [], ptls: ['ptl'] },
      regs: { pte: 'e0', orig: 'migration(P,write)' },
    });
    expect(v.threads.mig.holds).toEqual({ pageLocks: ['Q'], ptls: [] });
  });

  it('starts from the engine initial state: threads at their first atomic step', () => {
    const v = viewOf(model, model.initial, -1);
    expect(v.threads.mig.at?.label).toBe('U1.get_new_page');
    expect(v.threads.flt0.at?.label).toBe('F1.access');
    expect(v.pages.Q.freed).toBe(true);
  });

  it('names spinners and sleepers', () => {
    // Seeded runs with three faults on two PTEs: some fault sleeps on P's wait queue, some spins on the PTL.
    const views = [1, 2, 3, 4, 5, 6, 7, 8].flatMap((seed) => {
      const r = recordRun({ scenario: 'seed', params: { ptes: 2, faults: 3, rounds: 3 } }, 'random', seed);
      const m = new RunModel(r.started);
      return r.states.map((s, i) => viewOf(m, s, i));
    });
    const sleeping = views.find((v) => Object.values(v.threads).some((t) => t.status === 'sleeping'));
    expect(sleeping).toBeDefined();
    const [name, t] = Object.entries(sleeping!.threads).find(([, t]) => t.status === 'sleeping')!;
    expect(t.waitingOn?.woken).toBe(false);
    expect(sleeping!.waitQueues[t.waitingOn!.page].map((w) => w.thread)).toContain(name);
    const spinning = views.find((v) => Object.values(v.threads).some((t) => t.status === 'spinning'));
    const spinner = Object.values(spinning!.threads).find((t) => t.status === 'spinning')!;
    expect(spinner.at?.op).toBe('ptl_lock');
  });

  it('diffs two states by readable path', () => {
    const changes = diffViews(viewOf(model, run.states[17], 17), viewOf(model, run.states[19], 19));
    expect(changes).toEqual(
      expect.arrayContaining([
        { path: 'pages.P.locked', a: true, b: false },
        { path: 'pages.P.owner', a: 'mig', b: null },
        { path: 'ptls.ptl.holder', a: null, b: 'flt0' },
        { path: 'threads.flt0.holds.ptls', a: '', b: 'ptl' },
        { path: 'threads.flt0.at.label', a: 'F3.do_swap_page', b: 'F3.ptep_get' },
      ]),
    );
    expect(changes.some((c) => c.path.startsWith('ptes.'))).toBe(false);
    expect(diffViews(viewOf(model, run.states[5], 5), viewOf(model, run.states[5], 5))).toEqual([]);
  });

  it('formats raw values as kernel developers read them', () => {
    expect(formatField(model, 'pte:e0', 'entry', 18)).toBe('migration(P,write)');
    expect(formatField(model, 'page:P', 'flags', 3)).toBe('locked|waiters');
    expect(formatField(model, 'page:P', 'owner', 2)).toBe('flt0');
    expect(formatField(model, 'ptl:ptl', 'holder', 0)).toBe('-');
    expect(formatField(model, 'thread:flt0', 'pc', 7)).toBe('F4.pfn_swap_entry_to_page');
    expect(formatField(model, 'thread:flt0', 'reg.orig', 9)).toBe('present(P,w)');
  });

  it('resolves object names', () => {
    expect(resolveObject(model, 'P')).toBe('page:P');
    expect(resolveObject(model, 'pte:e0')).toBe('pte:e0');
    expect(resolveObject(model, 'flt0')).toBe('thread:flt0');
    expect(() => resolveObject(model, 'e9')).toThrow(/no object 'e9'.*pte:e0/);
  });

  it('a crashed thread, like a finished one, is at no step, wherever its pc stopped', () => {
    // No engine path crashes a thread yet, but the layout has the status and the view must not
    // show the step at a crashed thread's pc as its next one.
    const L = model.layout;
    const s = model.initial.slice();
    s[L.thread(1, ThreadField.status)] = ThreadStatus.crashed;
    const v = viewOf(model, s, -1);
    const name = model.world.threads[1].name;
    expect(v.threads[name]).toMatchObject({ status: 'crashed', at: null, pc: 0 });
    expect(viewOf(model, model.initial, -1).threads[name].at).not.toBeNull();
  });

  it('reads page locks from the pages only: the slots after the last page are not a page', () => {
    // The slots after the pages (the first VMA's start and pgoff) set to what a page locked by
    // thread 0 would hold there.
    const L = model.layout;
    const s = model.initial.slice();
    s[L.page(L.nPages, PageField.flags)] = PageFlag.locked;
    s[L.page(L.nPages, PageField.owner)] = 1;
    expect(pageLocksHeld(model, s, 0)).toEqual([]);
    s[L.page(0, PageField.flags)] |= PageFlag.locked;
    s[L.page(0, PageField.owner)] = 1;
    expect(pageLocksHeld(model, s, 0)).toEqual([L.pageName(0)]);
  });
});
