import { describe, expect, it } from 'vitest';
import { LITMUS_EXPECTATIONS } from './litmus-expectations.js';
import { resolveModel, scenarios } from './registry.js';

// The verdict table and the litmus documents (libs/model/catalogue/litmus-*.yaml) name the same
// scenarios, barriers and kernel tests: a barrier added to a document without its verdict, a
// variant renamed, or steps citing another test fail here.

const litmusScenarios = () => scenarios().filter((s) => s.row === 'litmus');

describe('LITMUS_EXPECTATIONS and the litmus documents', () => {
  it('one row per litmus scenario and BARRIER value, in catalogue and switch order, the default first', () => {
    expect(litmusScenarios().map((s) => s.name)).toEqual(['litmus-mp', 'litmus-sb', 'litmus-lb', 'litmus-2+2w']);
    expect(LITMUS_EXPECTATIONS.map((e) => [e.scenario, e.barrier])).toEqual(
      litmusScenarios().flatMap((s) => {
        const barrier = s.switches.find((w) => w.name === 'BARRIER')!;
        expect(barrier.default, s.name).toBe(barrier.values[0]);
        return barrier.values.map((v) => [s.name, v]);
      }),
    );
  });

  it("each barrier but the default is the named variant called after the kernel's test, its description ending in the verdict", () => {
    for (const s of litmusScenarios()) {
      const rows = LITMUS_EXPECTATIONS.filter((e) => e.scenario === s.name).slice(1);
      expect(
        s.variants.map((v) => ({ name: v.name, switches: v.switches, verdict: /\(LKMM: (\w+)\)$/.exec(v.description)?.[1] })),
        s.name,
      ).toEqual(rows.map((e) => ({ name: e.test, switches: { BARRIER: e.barrier }, verdict: e.lkmm })));
    }
  });

  it("every step of a barrier's world cites that barrier's test", () => {
    for (const e of LITMUS_EXPECTATIONS) {
      const { world } = resolveModel({ scenario: e.scenario, variant: { switches: { BARRIER: e.barrier } } });
      const steps = Object.values(world.paths).flatMap((p) => p.steps);
      expect(steps.length, e.test).toBeGreaterThan(0);
      for (const step of steps)
        expect(step.src, `${e.test} ${step.label}`).toEqual({ file: `tools/memory-model/litmus-tests/${e.test}.litmus`, fn: e.test, version: 'LKMM' });
    }
  });

  it("a verdict cites the test's Result line when the tree has the test, linux-kernel.cat otherwise", () => {
    for (const e of LITMUS_EXPECTATIONS) {
      if (e.source.startsWith('tools/')) expect(e.source).toBe(`tools/memory-model/litmus-tests/${e.test}.litmus, "Result: ${e.lkmm}"`);
      else expect(e.source, e.test).toMatch(/^linux-kernel\.cat\b/);
    }
    expect(LITMUS_EXPECTATIONS.filter((e) => e.lkmm === 'Never').map((e) => e.test)).toEqual([
      'MP+fencewmbonceonce+fencermbonceonce',
      'MP+pooncerelease+poacquireonce',
      'SB+fencembonceonces',
      'LB+fencembonceonce+ctrlonceonce',
      'LB+poacquireonce+pooncerelease',
      '2+2W+fencembonceonces',
    ]);
  });
});
