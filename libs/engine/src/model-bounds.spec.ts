import { describe, expect, it } from 'vitest';
import {
  CHECKED_ORDERINGS,
  MODEL_BOUNDS,
  MODEL_ORDERINGS,
  checkedBy,
  isModelOrdering,
  mergeModelBounds,
  modelBoundWords,
  unchecked,
  type ModelBoundMet,
} from './model-bounds.js';

// The pure helpers of model-bounds.ts, which the explorer and the audits quote in their verdicts:
// which names are orderings, the words of a met bound or ordering, which bounds make a `holds`
// the engine's, how several searches' bounds merge, and which catalogue sites a litmus twin checked.

const met = (bound: ModelBoundMet['bound'], label: string, checked?: string, kept = 0): ModelBoundMet => ({
  bound,
  thread: 'zap',
  label,
  kept,
  ...(checked ? { checkedBy: checked } : {}),
});

describe('model bounds', () => {
  it('the orderings are the last seven names; the others are bounds on state', () => {
    expect(MODEL_ORDERINGS).toEqual(['ctrl', 'page-address', 'sc-step', 'lock-word', 'release', 'rmw', 'rcu']);
    for (const bound of MODEL_BOUNDS) expect(isModelOrdering({ bound }), bound).toBe(MODEL_ORDERINGS.includes(bound));
    expect(isModelOrdering({ bound: 'loads' })).toBe(false);
    expect(isModelOrdering({ bound: 'release' })).toBe(true);
  });

  it('a bound in words names the thread, the label, what it keeps and how many', () => {
    expect(modelBoundWords(met('stores', 'Z3.store', undefined, 2))).toBe("zap at Z3.store waited at the engine's bound on outstanding stores per thread (2)");
  });

  it('an ordering in words names it, and the twin that checked it when there is one', () => {
    expect(modelBoundWords(met('page-address', 'Z4.load'))).toBe(
      "zap at Z4.load waited on the engine's ordering: an access through a page register whose load is outstanding waits at its pc, and so do the accesses after it (the LKMM orders only the dependent access)",
    );
    const words = modelBoundWords(met('sc-step', 'Z2.ptep_get', 'the twin T'));
    expect(words.startsWith("zap at Z2.ptep_get waited on the engine's ordering: an SC step (a PTE, refcount or BUG_ON step")).toBe(true);
    expect(words.endsWith('; checked for this world: the LKMM gives the twin T the same final states')).toBe(true);
    expect(modelBoundWords(met('sc-step', 'Z2.ptep_get'))).not.toContain('checked for this world');
  });

  it('unchecked keeps the bounds no twin checked, and takes a missing list as empty', () => {
    const a = met('loads', 'A');
    const b = met('sc-step', 'B', 'twin');
    const c = met('release', 'C');
    expect(unchecked([a, b, c])).toEqual([a, c]);
    expect(unchecked(undefined)).toEqual([]);
  });

  it('merging keeps the first site of each bound, prefers an unchecked one, and orders by MODEL_BOUNDS', () => {
    const rel1 = met('release', 'R1', 'twin');
    const rel2 = met('release', 'R2');
    const rel3 = met('release', 'R3');
    const loads1 = met('loads', 'L1');
    const loads2 = met('loads', 'L2');
    const ctrl = met('ctrl', 'C1', 'twin');
    const ctrl2 = met('ctrl', 'C2', 'twin');
    expect(mergeModelBounds([[rel1, ctrl], undefined, [loads1, rel2, ctrl2], [rel3, loads2]])).toEqual([loads1, ctrl, rel2]);
    expect(mergeModelBounds([])).toEqual([]);
    expect(mergeModelBounds([undefined])).toEqual([]);
  });

  it('checkedBy finds the twin of a catalogue site only for its scenario, ordering, thread, label and required labels', () => {
    const twin = CHECKED_ORDERINGS[0].twin;
    const labels = new Set(['S4.t1.smp_wmb', 'Z2.ptep_get']);
    expect(checkedBy('c11-split-order', labels, 'sc-step', 'zap', 'Z2.ptep_get')).toBe(twin);
    expect(checkedBy('c11-split-order', labels, 'sc-step', 'flt', 'F4.bug_on')).toBe(twin);
    expect(checkedBy('c11-split-order', labels, 'release', 'split', 'S2.pte_unmap_unlock')).toBe(CHECKED_ORDERINGS[1].twin);
    // the split's unlock is checked as a release, not as an SC step
    expect(checkedBy('c11-split-order', labels, 'sc-step', 'split', 'S2.pte_unmap_unlock')).toBeUndefined();
    expect(checkedBy('c11-split-order', new Set(['Z2.ptep_get']), 'sc-step', 'zap', 'Z2.ptep_get')).toBeUndefined();
    expect(checkedBy('c1-zap-vs-migrate', labels, 'sc-step', 'zap', 'Z2.ptep_get')).toBeUndefined();
    expect(checkedBy('c11-split-order', labels, 'ctrl', 'zap', 'Z2.ptep_get')).toBeUndefined();
    expect(checkedBy('c11-split-order', labels, 'sc-step', 'nobody', 'Z2.ptep_get')).toBeUndefined();
    expect(checkedBy('c11-split-order', labels, 'sc-step', 'zap', 'Z9.other')).toBeUndefined();
  });
});
