import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { litmusEngineWorld, parseLitmus, type LitmusTest } from '../src/index.js';
import { finalStatesBoth, refusalOf } from './engine-programs.js';

// The engine's grace periods (docs/memory-model.md, "RCU: a grace period waits for the critical
// sections open at its start"): RCU's shapes, each held to the LKMM's final states (this library's
// checker, itself held to herd7), and what litmusEngineWorld refuses around them. The `rcu` mix of
// engine-differential.spec.ts holds generated ones.

const read = (name: string) => readFileSync(new URL(`./extra/${name}.litmus`, import.meta.url), 'utf8');
// RCU-MP: the reader sees the new y, so its whole section follows the grace period's start and sees
// x too. RCU-SB: a section that ended before the grace period started precedes its end all the
// same. RCU-between+nested: a grace period with no section open at its start still has its start
// and end apart, and a (nested) section may run between them (seed 526 of the rcu mix, missed
// when it ended at once). RCU-two-gps: two grace periods against one section (rcu-order).
const NAMES = ['RCU-MP', 'RCU-SB', 'RCU-LB+sync', 'RCU-between+nested', 'RCU-two-gps'];
const SHAPES: Record<string, string> = Object.fromEntries(NAMES.map((n) => [n, read(n)]));

/** The test's final states over the places the checker lists, from the checker and from the engine. */
const both = (test: LitmusTest, memoryModel: 'sc' | 'tso' | 'lkmm' = 'lkmm') => finalStatesBoth(test, litmusEngineWorld(test, {}, memoryModel));

describe('grace periods in the engine: exactly the LKMM final states', () => {
  it.each(Object.keys(SHAPES))('%s', (name) => {
    const { want, got, boundsMet } = both(parseLitmus(SHAPES[name]));
    expect(boundsMet).toEqual([]);
    expect([...got].sort()).toEqual([...want].sort());
  });

  it('the shapes ask what they should: RCU-MP, RCU-LB, RCU-SB and two grace periods are Never; RCU-between Sometimes', () => {
    const obs = (name: string) => both(parseLitmus(SHAPES[name])).observation;
    for (const name of ['RCU-MP', 'RCU-LB+sync', 'RCU-SB', 'RCU-two-gps']) expect(obs(name), name).toBe('Never');
    expect(obs('RCU-between+nested')).toBe('Sometimes');
  });

  it.each(['sc', 'tso'] as const)('%s: a subset of the LKMM states, the forbidden ones never', (memoryModel) => {
    for (const name of Object.keys(SHAPES)) {
      const { want, got } = both(parseLitmus(SHAPES[name]), memoryModel);
      for (const o of got) expect(want.has(o), `${name}: ${o}`).toBe(true);
    }
  });

  it('without synchronize_rcu() the sections are no steps (they order nothing)', () => {
    const w = litmusEngineWorld(
      parseLitmus('C t\n{}\nP0(int *x)\n{\n\tint r0;\n\trcu_read_lock();\n\tr0 = READ_ONCE(*x);\n\trcu_read_unlock();\n}\nexists (0:r0=0)\n'),
      {},
    );
    expect(w.paths['P0'].steps.map((st) => st.op)).not.toContain('rcu_read_lock');
    // (nor are their bounds checked then: a section inside an if is accepted, as before grace periods)
    const inIf = 'C t\n{}\nP0(int *x)\n{\n\tint r0;\n\tr0 = READ_ONCE(*x);\n\tif (r0) {\n\t\trcu_read_lock();\n\t\trcu_read_unlock();\n\t}\n}\nexists (0:r0=0)\n';
    expect(() => litmusEngineWorld(parseLitmus(inIf), {})).not.toThrow();
  });
});

describe('what litmusEngineWorld refuses around RCU, by construct and line', () => {
  const refusal = (p0: string): string =>
    refusalOf(parseLitmus(`C t\n{}\nP0(int *x)\n{\n\tint r0;\n${p0}\n}\nP1(int *x)\n{\n\tsynchronize_rcu();\n}\nexists (0:r0=0)\n`));
  it.each([
    [
      'synchronize_rcu() in a section',
      '\trcu_read_lock();\n\tsynchronize_rcu();\n\trcu_read_unlock();',
      /line 7: synchronize_rcu\(\) inside an RCU read-side critical section/,
    ],
    ['an unlock outside a section', '\trcu_read_unlock();', /line 6: rcu_read_unlock\(\) outside an RCU read-side critical section/],
    [
      'a section opened in an if',
      '\tr0 = READ_ONCE(*x);\n\tif (r0) {\n\t\trcu_read_lock();\n\t}\n\trcu_read_unlock();',
      /line 8: rcu_read_lock\(\) inside an if/,
    ],
    ['a section never closed', '\trcu_read_lock();\n\tr0 = READ_ONCE(*x);', /rcu_read_lock\(\) without its rcu_read_unlock\(\)/],
  ])('%s', (_, body, what) => {
    expect(refusal(body)).toMatch(what);
  });
});
