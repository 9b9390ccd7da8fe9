// A document that declares only what it must (load.ts): no parameters, switches, variants or
// invariants. Written for batch `docA`'s mutants without coverage (BENCHMARKS.md, session 11):
// every other spec's document declares those lists, so their `?? []` defaults were never taken.
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument } from './load.js';
import { exportScenarioObject } from './export.js';
import { resolveScenarioModel } from '../scenarios/registry.js';

type Doc = Record<string, unknown>;

/** One thread locking and unlocking one page: the required fields and the world it needs. */
const bare = (): Doc => ({
  name: 'bare',
  title: 'one locker',
  pages: [{ name: 'P', ref: 1, map: 0, mapping: 'anon' }],
  threads: [{ name: 'a', path: 'locker', args: { page: 'P' } }],
  paths: {
    locker: {
      title: 'lock and unlock',
      regs: { page: 'page' },
      steps: [
        { label: 'L1', op: 'lock_page', args: ['page'] },
        { label: 'L2', op: 'unlock_page', args: ['page'] },
      ],
    },
  },
});

const loaded = (doc: unknown) => {
  const r = parseScenarioDocument(doc);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r;
};

describe('a document without parameters, switches, variants or invariants', () => {
  it('loads to a scenario with none, the default invariants that apply, and resolves', () => {
    const { scenario } = loaded(bare());
    expect(scenario.params).toEqual([]);
    expect(scenario.switches).toEqual([]);
    expect(scenario.variants).toEqual([]);
    expect(scenario.patchesFor?.({})).toEqual([]);
    expect(scenario.invariants.length).toBeGreaterThan(0);
    const m = resolveScenarioModel(scenario, {});
    expect(m.world.threads.map((t) => t.name)).toEqual(['a']);
  });

  it('a variant with patches and no switches loads, resolves and exports without a switches field', () => {
    const doc = {
      ...bare(),
      variants: [{ name: 'no-unlock', patches: [{ op: 'delete', path: 'locker', step: 'L2' }] }],
    };
    const { scenario } = loaded(doc);
    expect(scenario.variants).toEqual([{ name: 'no-unlock', description: '', patches: doc.variants[0].patches }]);
    expect(resolveScenarioModel(scenario, { variant: 'no-unlock' }).world.paths.locker.steps.map((s) => s.label)).not.toContain('L2');
    const exported = exportScenarioObject(scenario, {});
    expect(exported.variants).toEqual([{ name: 'no-unlock', description: '', patches: doc.variants[0].patches }]);
    expect(Object.keys(exported.variants![0])).not.toContain('switches');
  });

  it("a switch's patch sets apply under their value only; a value without patches adds none", () => {
    const doc = {
      ...bare(),
      switches: [{ name: 'UNLOCK', values: ['yes', 'no', 'twice'], default: 'yes', patches: { no: [{ op: 'delete', path: 'locker', step: 'L2' }] } }],
    };
    const { scenario } = loaded(doc);
    expect(scenario.patchesFor?.({ UNLOCK: 'yes' })).toEqual([]);
    expect(scenario.patchesFor?.({ UNLOCK: 'no' })).toEqual([{ op: 'delete', path: 'locker', step: 'L2' }]);
    expect(scenario.patchesFor?.({ UNLOCK: 'twice' })).toEqual([]);
  });
});
