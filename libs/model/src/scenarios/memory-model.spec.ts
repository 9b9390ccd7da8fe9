import { describe, expect, it } from 'vitest';
import { Layout } from '../layout.js';
import { resolveModel, VariantNotApplicableError } from './registry.js';

describe('memory section of the state and memory-model operands', () => {
  it('a world without relaxed accesses has no memory section under any model', () => {
    for (const memoryModel of ['sc', 'tso', 'lkmm'] as const) {
      const L = new Layout(resolveModel({ scenario: 'seed', params: { ptes: 2, faults: 2 }, memoryModel }).world);
      expect(L.size).toBe(L.mem);
      expect(L.weak).toBe(false);
    }
  });
  it('tso gives the storing threads a store buffer, lkmm also the loading threads a load queue', () => {
    const layout = (memoryModel: 'sc' | 'tso' | 'lkmm') => new Layout(resolveModel({ scenario: 'c11-split-order', memoryModel }).world);
    expect([...layout('sc').sbCapacity, ...layout('sc').lqCapacity]).toEqual([0, 0, 0, 0]);
    expect([...layout('tso').sbCapacity, ...layout('tso').lqCapacity]).toEqual([6, 0, 0, 0]);
    expect([...layout('lkmm').sbCapacity, ...layout('lkmm').lqCapacity]).toEqual([6, 0, 0, 2]);
    const L = layout('lkmm');
    expect(L.describe(L.sbBase[0])).toEqual({ object: 'storebuf:split', field: 'epoch' });
    expect(L.describe(L.lqEntry(1, 1) + 1)).toEqual({ object: 'loadq:zap', field: 'l1.loc' });
    expect(L.locName(L.pageLoc(L.pageIndex.get('t1')!, 1))).toBe('page:t1.flags');
  });
  it('litmus variables and results are named slots, 0 at the start', () => {
    const L = new Layout(resolveModel({ scenario: 'litmus-mp' }).world);
    expect(L.describe(L.vars + 1)).toEqual({ object: 'var:y', field: 'value' });
    expect(L.describe(L.results)).toEqual({ object: 'litmus', field: '1:r0' });
    expect([...L.initialState().subarray(L.vars, L.results + 2)]).toEqual([0, 0, 0, 0]);
  });
  it('rejects operands that name no variable, result, field, ordering or barrier', () => {
    const patch = (path: string, before: string, op: string, args: (string | number)[]) => ({
      patches: [{ op: 'insert' as const, path, before, steps: [{ label: 'bad', op: op as never, args }] }],
    });
    expect(() => resolveModel({ scenario: 'litmus-mp', variant: patch('P0', 'P0.write_x', 'store_var', [2, 'one', 0]) })).toThrow(VariantNotApplicableError);
    expect(() => resolveModel({ scenario: 'litmus-mp', variant: patch('P1', 'P1.read_x', 'observe', [5, 'r0']) })).toThrow(/litmus results/);
    expect(() => resolveModel({ scenario: 'litmus-mp', variant: patch('P0', 'P0.write_x', 'fence', [4]) })).toThrow(/smp_rmb/);
    expect(() => resolveModel({ scenario: 'c11-split-order', variant: patch('zap_pte_range', 'Z4.bug_on', 'load', ['f', 2, 'page', 0]) })).toThrow(
      /compound head/,
    );
    expect(resolveModel({ scenario: 'litmus-mp', variant: patch('P0', 'P0.write_x', 'fence', [3]) }).variant).toBe('custom');
  });
});
