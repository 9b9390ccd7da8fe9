// A start condition "after thread a reached label X" under a variant's patches (registry.ts
// relocateLabelWaits): wait_label names X by its step index in a's path, so that after patches
// insert, move or delete steps of that path the index is found again by the label, and the region
// after it is checked again. The explorer's start-label.spec runs such worlds; this is the model's
// own check, which a per-library mutation run executes alone (BENCHMARKS.md, batch `coreB`).
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument } from '../document/load.js';
import { resolveScenarioModel, VariantNotApplicableError } from './registry.js';
import type { Scenario } from './scenario.js';
import type { Patch } from '../variants/variant.js';

const src = { file: 'mm/memory.c', fn: 'do_fault', version: 'v6.6' };

/** b starts once a has reached `label` of a's path (A1-A4: lock, unlock, lock, unlock). */
function scenario(label: string): Scenario {
  const r = parseScenarioDocument({
    name: 'waits',
    title: 'b starts after a reached a label',
    pages: [{ name: 'Q', ref: 1, map: 0, mapping: 'anon', index: 0 }],
    vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
    ptls: ['ptl'],
    ptes: [{ name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'none' } }],
    threads: [
      { name: 'a', path: 'a', args: { pte: 'e' } },
      { name: 'b', path: 'b', args: { page: 'Q' }, start: { after: 'a', label } },
    ],
    paths: {
      a: {
        regs: { pte: 'pte', n: 'int' },
        steps: [
          { label: 'A1', op: 'ptl_lock', args: ['pte'], src },
          { label: 'A2', op: 'ptl_unlock', args: ['pte'] },
          { label: 'A3', op: 'ptl_lock', args: ['pte'] },
          { label: 'A4', op: 'ptl_unlock', args: ['pte'] },
        ],
      },
      b: {
        regs: { page: 'page' },
        steps: [
          { label: 'B1', op: 'get_page', args: ['page'], src },
          { label: 'B2', op: 'put_page', args: ['page'] },
        ],
      },
    },
    invariants: ['deadlock'],
  });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('; '));
  return r.scenario;
}

const waitOf = (s: Scenario, patches: Patch[]) => resolveScenarioModel(s, { variant: { patches } }).world.paths.b.steps[0];
const refusal = (s: Scenario, patches: Patch[]): unknown => {
  try {
    resolveScenarioModel(s, { variant: { patches } });
  } catch (e) {
    expect(e).toBeInstanceOf(VariantNotApplicableError);
    return (e as VariantNotApplicableError).issues;
  }
  return expect.unreachable('resolved');
};

describe('a wait for a label under a variant', () => {
  it('without patches the wait is the loaded one: thread 0, the label at step 2', () => {
    const s = scenario('A3');
    const wait = resolveScenarioModel(s, {}).world.paths.b.steps[0];
    expect([wait.op, wait.args]).toEqual(['wait_label', [0, 2]]);
  });

  it('follows its label when steps are inserted before it or it moves; other paths keep their steps', () => {
    const s = scenario('A3');
    const insert: Patch = { op: 'insert', path: 'a', before: 'A1', steps: [{ label: 'A0', op: 'add', args: ['n', 1] }] };
    const wait = waitOf(s, [insert]);
    expect([wait.op, wait.args, wait.label]).toEqual(['wait_label', [0, 3], 'start.after']);
    const world = resolveScenarioModel(s, { variant: { patches: [insert] } }).world;
    expect(world.paths.b.steps.slice(1).map((st) => st.label)).toEqual(['B1', 'B2']);
    expect(world.paths.a.steps.map((st) => st.label)).toEqual(['A0', 'A1', 'A2', 'A3', 'A4']);
    // A4 moved before A3: A3 is now the last step, index 3
    expect(waitOf(s, [{ op: 'move', path: 'a', step: 'A4', before: 'A3' }]).args).toEqual([0, 3]);
    // a patch of b alone leaves the index where it was
    const inB: Patch = { op: 'insert', path: 'b', before: 'B2', steps: [{ label: 'B1b', op: 'get_page', args: ['page'] }] };
    expect(waitOf(s, [inB]).args).toEqual([0, 2]);
    // the first step of the path is a label like any other
    expect(waitOf(scenario('A1'), [inB]).args).toEqual([0, 0]);
  });

  it('a variant that deletes the label, or loops back before it, is refused at the wait', () => {
    const s = scenario('A3');
    expect(refusal(s, [{ op: 'delete', path: 'a', step: 'A3' }])).toEqual([
      { field: 'paths.b.steps[0]', message: "the variant removes 'A3', the label thread a must reach first" },
    ]);
    const loop: Patch = { op: 'insert', path: 'a', before: 'A4', steps: [{ label: 'A3j', op: 'jmp', args: ['A1'] }] };
    expect(refusal(s, [loop])).toEqual([
      {
        field: 'paths.b.steps[0]',
        message:
          "thread a does not reach 'A3' for good: 'A3j' can go on to 'A1', which is reached without passing 'A3': a thread can leave what follows that label (a loop or a return goes back before it)",
      },
    ]);
  });
});
