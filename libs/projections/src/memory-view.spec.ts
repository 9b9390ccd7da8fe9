import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { PageFlag } from '@mmreplay/model';
import { everyTarget, recordRun, type Target } from '../test/engine-runs.js';
import { RunModel } from './run-model.js';
import { hasMemory, locationValue, memoryViewOf, type MemoryView } from './memory-view.js';
import { objectsOf } from './objects.js';
import { viewOf } from './view.js';

// The memory model's objects as the state view shows them (issue 20: the mutation run found
// memory-view.ts 94 mutants without a test of the library reaching them: only libs/runs and the
// API read it). The litmus tests and the c11 world under each memory model, run by the engine:
// relations the view must keep with the run (results recorded exactly by the `observe` steps, an
// lkmm CPU's view a suffix of its location's stores, variables the newest store) and, pinned, a
// digest of the memory view of every state of one seeded run each.

const weakTargets: Target[] = everyTarget
  .filter((t) => t.scenario.startsWith('litmus-') || t.scenario === 'c11-split-order')
  .flatMap((t) => (['sc', 'tso', 'lkmm'] as const).map((memoryModel) => ({ ...t, memoryModel })));
const nameOf = (t: Target) => `${t.scenario} ${t.variant ?? ''} ${t.memoryModel}`.replace(/ +/g, ' ');

const GOLDEN = new URL('../test/memory-view-golden.json', import.meta.url);

describe('the memory view', () => {
  it('is shown for litmus tests under every model and for kernel worlds under tso and lkmm only', () => {
    const shown = weakTargets.filter((t) => hasMemory(new RunModel(recordRun(t, 'random', 1, 0).started))).map(nameOf);
    expect(shown).toEqual(weakTargets.filter((t) => t.scenario.startsWith('litmus-') || t.memoryModel !== 'sc').map(nameOf));
    const c11 = recordRun({ scenario: 'c11-split-order', memoryModel: 'sc' }, 'random', 1, 10);
    expect(viewOf(new RunModel(c11.started), c11.states[5], 5).memory).toBeUndefined();
  });

  it('reads a location as a kernel developer does: a head as a page, flags by name, a litmus variable as its number', () => {
    const model = new RunModel(recordRun({ scenario: 'c11-split-order', memoryModel: 'lkmm' }, 'random', 1, 0).started);
    const L = model.layout;
    expect(locationValue(model, 0, 1)).toBe(L.pageName(1));
    expect(locationValue(model, 2, 0)).toBe(L.pageName(0));
    expect(locationValue(model, 1, PageFlag.locked | PageFlag.waiters)).toBe('locked|waiters');
    expect(locationValue(model, 3, PageFlag.freed)).toBe('freed');
    expect(locationValue(model, 1, 0)).toBe(0);
    const litmus = new RunModel(recordRun({ scenario: 'litmus-mp', memoryModel: 'lkmm' }, 'random', 1, 0).started);
    expect(litmus.layout.nPages).toBe(0);
    expect(locationValue(litmus, 0, 1)).toBe(1);
    expect(locationValue(litmus, 1, 3)).toBe(3);
  });

  it('keeps its relations with the run at every step of seeded runs of every litmus test and the c11 world under every model', () => {
    const seen = new Set<string>();
    for (const target of weakTargets) {
      for (const seed of [1, 2, 3]) {
        const run = recordRun(target, 'random', seed, 200);
        const model = new RunModel(run.started);
        if (!hasMemory(model)) continue;
        const L = model.layout;
        const w = model.world;
        const where = (i: number) => `${nameOf(target)} seed ${seed} step ${i - 1}`;
        const views: MemoryView[] = [model.initial, ...run.states].map((s) => memoryViewOf(model, s));
        views.forEach((m, i) => {
          // variables by name, in declaration order, with the value of their slot
          expect(Object.keys(m.vars), where(i)).toEqual(w.litmus?.vars ?? []);
          // a result is recorded by its `observe` step and not before
          const observed = new Set(run.steps.slice(0, i).flatMap((e) => (e.op === 'observe' ? e.deltas.map((d) => d.field) : [])));
          for (const r of w.litmus?.results ?? []) {
            expect(m.results[r] !== null, `${where(i)} result ${r}`).toBe([...observed].some((f) => f.startsWith(`${r}`)));
          }
          // threads with a store buffer or a load queue, and no others
          expect(Object.keys(m.threads), where(i)).toEqual(w.threads.filter((_, t) => L.sbCapacity[t] > 0 || L.lqCapacity[t] > 0).map((t) => t.name));
          expect(Object.keys(m.locations), where(i)).toEqual(L.propagation ? Array.from(L.mlocs, (loc) => L.locShort(loc)) : []);
          for (const [loc, stores] of Object.entries(m.locations)) {
            // the newest store of a litmus variable is its value
            if (loc in m.vars) expect(stores.at(-1), `${where(i)} ${loc}`).toBe(m.vars[loc]);
          }
          for (const [name, t] of Object.entries(m.threads)) {
            if (!L.propagation) {
              expect([t.pendingStores, t.sees, t.notYetSeen], where(i)).toEqual([[], {}, {}]);
              for (const e of t.storeBuffer) expect(e, where(i)).toMatch(/^[\w.]+ := [\w|]+$/);
              if (t.storeBuffer.length > 0) seen.add('store buffer');
            } else {
              expect(t.storeBuffer, where(i)).toEqual([]);
              for (const e of t.pendingStores) expect(e, where(i)).toMatch(/^[\w.]+ := \w+( \(release\))?$/);
              if (t.pendingStores.length > 0) seen.add('pending store');
              // what a CPU sees of a location, then what has not reached it, are the newest of its stores
              for (const [loc, value] of Object.entries(t.sees)) {
                const mine = [value, ...t.notYetSeen[loc]];
                expect(m.locations[loc].slice(-mine.length), `${where(i)} ${name} ${loc}`).toEqual(mine);
                if (t.notYetSeen[loc].length > 0) seen.add('not yet seen');
              }
              if (Object.keys(t.sees).length > 0) {
                expect(Object.keys(t.sees), where(i)).toEqual(Object.keys(m.locations));
                seen.add('sees');
              }
            }
            for (const e of t.pendingLoads) expect(e, where(i)).toMatch(/^\w+ <- [\w.]+$/);
            if (t.pendingLoads.length > 0) seen.add('pending load');
          }
        });
        // a run that ended has every result recorded, and a CPU that finished sees nothing more
        const last = views.at(-1)!;
        if (run.steps.length < 200) {
          expect(
            Object.values(last.results).every((v) => typeof v === 'number'),
            where(views.length - 1),
          ).toBe(true);
          for (const t of Object.values(last.threads))
            expect([t.pendingStores, t.pendingLoads, t.storeBuffer, t.sees], where(views.length - 1)).toEqual([[], [], [], {}]);
        }
      }
    }
    // (no run of these reaches an lkmm store still outstanding: its form is checked when one is)
    expect([...seen].sort()).toEqual(['not yet seen', 'pending load', 'sees', 'store buffer']);
  });

  it('lists the memory objects a history can follow', () => {
    const tso = new RunModel(recordRun({ scenario: 'litmus-sb', memoryModel: 'tso' }, 'random', 1, 0).started);
    const lkmm = new RunModel(recordRun({ scenario: 'litmus-sb', memoryModel: 'lkmm' }, 'random', 1, 0).started);
    const sc = new RunModel(recordRun({ scenario: 'litmus-sb', memoryModel: 'sc' }, 'random', 1, 0).started);
    const memory = (m: RunModel) => objectsOf(m).filter((o) => !o.startsWith('thread:'));
    const threads = tso.world.threads.map((t) => t.name);
    const vars = tso.world.litmus!.vars;
    expect(vars.length).toBeGreaterThan(1);
    expect(memory(sc)).toEqual([...vars.map((v) => `var:${v}`), 'litmus']);
    // tso: a store buffer per CPU, loads are never outstanding
    expect(memory(tso)).toEqual([...vars.map((v) => `var:${v}`), 'litmus', ...threads.map((t) => `storebuf:${t}`)]);
    expect(memory(lkmm)).toEqual([
      ...vars.map((v) => `var:${v}`),
      'litmus',
      ...threads.flatMap((t) => [`storebuf:${t}`, `loadq:${t}`, `view:${t}`]),
      ...vars.map((v) => `msgs:${v}`),
    ]);
    // a kernel world under sc has no memory objects
    const seed = new RunModel(recordRun({ scenario: 'seed' }, 'random', 1, 0).started);
    expect(objectsOf(seed).every((o) => /^(page|pte|ptl|vma|thread):/.test(o))).toBe(true);
  });

  it('reads as pinned at every state of a seeded run of every litmus test and the c11 world under every model', () => {
    const got: Record<string, string> = {};
    for (const target of weakTargets) {
      const run = recordRun(target, 'random', 7, 200);
      const model = new RunModel(run.started);
      if (!hasMemory(model)) continue;
      const hash = createHash('sha256');
      for (const s of [model.initial, ...run.states]) hash.update(`${JSON.stringify(memoryViewOf(model, s))}\n`);
      got[nameOf(target)] = hash.digest('hex').slice(0, 16);
    }
    // A change of the readable form on purpose regenerates the file: MMREPLAY_UPDATE_VIEWS=1 npx vitest run src/memory-view.spec.ts
    if (process.env.MMREPLAY_UPDATE_VIEWS === '1' || !existsSync(GOLDEN)) writeFileSync(GOLDEN, `${JSON.stringify(got, null, 1)}\n`);
    expect(got).toEqual(JSON.parse(readFileSync(GOLDEN, 'utf8')));
  });
});
