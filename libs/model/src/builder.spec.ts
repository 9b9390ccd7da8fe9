// KernelPath (builder.ts): each method emits the step it names, with its arguments in the order
// the ISA declares them. libs/litmus builds its engine worlds with it and the engine's specs their
// hand-made paths; since the catalogue became documents no model spec called most methods, so a
// misspelt op or swapped operands would surface only in another library's run.
import { describe, expect, it } from 'vitest';
import { KernelPath } from './builder.js';
import { argKind, type OperandDecl } from './op-decl.js';
import { OPS, isOpName } from './isa.js';
import type { Step } from './program.js';

type Row = readonly [method: string, call: (k: KernelPath) => unknown, op: string, args: readonly (string | number)[]];

/** Every method, called with its arguments named after its parameters (numbers from 11 up), and the step it must emit. */
const ROWS: readonly Row[] = [
  ['nop', (k) => k.nop('L'), 'nop', []],
  ['mov', (k) => k.mov('r', 11, 'L'), 'mov', ['r', 11]],
  ['copy', (k) => k.copy('dst', 'src', 'L'), 'copy', ['dst', 'src']],
  ['swap', (k) => k.swap('a', 'b', 'L'), 'swap', ['a', 'b']],
  ['add', (k) => k.add('r', 11, 'L'), 'add', ['r', 11]],
  ['goto', (k) => k.goto('target', 'L'), 'jmp', ['target']],
  ['beq', (k) => k.beq('r', 11, 'target', 'L'), 'beq', ['r', 11, 'target']],
  ['bne', (k) => k.bne('r', 11, 'target', 'L'), 'bne', ['r', 11, 'target']],
  ['blt', (k) => k.blt('r', 11, 'target', 'L'), 'blt', ['r', 11, 'target']],
  ['bkind', (k) => k.bkind('pteval', 11, 'target', 'L'), 'bkind', ['pteval', 11, 'target']],
  ['bsame', (k) => k.bsame('a', 'b', 'target', 'L'), 'bsame', ['a', 'b', 'target']],
  ['bpfn', (k) => k.bpfn('pteval', 'page', 'target', 'L'), 'bpfn', ['pteval', 'page', 'target']],
  ['pfn', (k) => k.pfn('page', 'pteval', 'L'), 'pfn', ['page', 'pteval']],
  ['call', (k) => k.call('target', 'L'), 'call', ['target']],
  ['ret', (k) => k.ret('L'), 'ret', []],
  ['done', (k) => k.done('L'), 'done', []],
  ['folio_trylock', (k) => k.folio_trylock('L', 'page', 'ok'), 'trylock_page', ['page', 'ok']],
  ['folio_lock', (k) => k.folio_lock('L', 'page'), 'lock_page', ['page']],
  ['folio_unlock', (k) => k.folio_unlock('L', 'page'), 'unlock_page', ['page']],
  ['folio_wait_queue_add', (k) => k.folio_wait_queue_add('L', 'page'), 'waitq_add', ['page']],
  ['put_and_wait_on_page_locked', (k) => k.put_and_wait_on_page_locked('L', 'page'), 'put_and_wait', ['page']],
  ['io_schedule', (k) => k.io_schedule('L'), 'sleep', []],
  ['spin_lock_ptl', (k) => k.spin_lock_ptl('L', 'pte'), 'ptl_lock', ['pte']],
  ['spin_unlock_ptl', (k) => k.spin_unlock_ptl('L', 'pte'), 'ptl_unlock', ['pte']],
  ['ptep_get', (k) => k.ptep_get('L', 'pte', 'out'), 'pte_read', ['pte', 'out']],
  ['ptep_get_lockless', (k) => k.ptep_get_lockless('L', 'pte', 'out'), 'pte_read_lockless', ['pte', 'out']],
  ['user_access', (k) => k.user_access('L', 'pte', 'out'), 'hw_access', ['pte', 'out']],
  ['ptep_get_and_clear', (k) => k.ptep_get_and_clear('L', 'pte', 'out'), 'pte_clear', ['pte', 'out']],
  ['flush_tlb_page', (k) => k.flush_tlb_page('L', 'pte'), 'tlb_flush', ['pte']],
  ['set_pte_migration', (k) => k.set_pte_migration('L', 'pte', 'page', 'old'), 'set_migration_pte', ['pte', 'page', 'old']],
  ['set_pte_present', (k) => k.set_pte_present('L', 'pte', 'page', 'entry'), 'set_present_pte', ['pte', 'page', 'entry']],
  ['move_pte', (k) => k.move_pte('L', 'from', 'to'), 'pte_move', ['from', 'to']],
  ['copy_pte', (k) => k.copy_pte('L', 'from', 'to'), 'pte_copy', ['from', 'to']],
  ['try_to_unmap_flush', (k) => k.try_to_unmap_flush('L'), 'tlb_flush_batched', []],
  ['compound_head', (k) => k.compound_head('L', 'head', 'page'), 'compound_head', ['head', 'page']],
  ['folio_get', (k) => k.folio_get('L', 'page'), 'get_page', ['page']],
  ['folio_put', (k) => k.folio_put('L', 'page'), 'put_page', ['page']],
  ['folio_try_get', (k) => k.folio_try_get('L', 'page', 'ok'), 'try_get_page', ['page', 'ok']],
  ['folio_ref_check', (k) => k.folio_ref_check('L', 'page', 11, 'ok'), 'ref_check', ['page', 11, 'ok']],
  ['folio_ref_freeze', (k) => k.folio_ref_freeze('L', 'page', 11, 'ok'), 'ref_freeze', ['page', 11, 'ok']],
  ['folio_ref_unfreeze', (k) => k.folio_ref_unfreeze('L', 'page', 11), 'ref_unfreeze', ['page', 11]],
  ['folio_add_rmap', (k) => k.folio_add_rmap('L', 'page'), 'rmap_add', ['page']],
  ['folio_remove_rmap_pte', (k) => k.folio_remove_rmap_pte('L', 'page'), 'rmap_remove', ['page']],
  ['folio_mapped', (k) => k.folio_mapped('L', 'page', 'out'), 'page_mapped', ['page', 'out']],
  ['rmap_lock', (k) => k.rmap_lock('L', 'page', true), 'rmap_lock', ['page', 1]],
  ['rmap_unlock', (k) => k.rmap_unlock('L', 'page', true), 'rmap_unlock', ['page', 1]],
  [
    'rmap_walk_next',
    (k) => k.rmap_walk_next('L', 'page', 'visited', 'vma', 'pte', 'whenDone', 11),
    'rmap_next',
    ['page', 'visited', 'vma', 'pte', 'whenDone', 11],
  ],
  ['vma_set', (k) => k.vma_set('L', 11, 12, 13), 'vma_set', [11, 12, 13]],
  ['get_new_page', (k) => k.get_new_page('L', 'dst', 'src'), 'alloc_page', ['dst', 'src']],
  ['folio_migrate_mapping', (k) => k.folio_migrate_mapping('L', 'src', 'dst'), 'migrate_mapping', ['src', 'dst']],
  ['migrate_result', (k) => k.migrate_result('L', 'page', 3), 'migrate_result', ['page', 3]],
  ['check_locked', (k) => k.check_locked('L', 'pteval'), 'check_locked', ['pteval']],
  ['vm_bug_on_folio_mapped', (k) => k.vm_bug_on_folio_mapped('L', 'page'), 'vm_bug_on_mapped', ['page']],
  ['load', (k) => k.load('L', 'out', 11, 'page', 12), 'load', ['out', 11, 'page', 12]],
  ['store', (k) => k.store('L', 11, 'page', 'value', 12), 'store', [11, 'page', 'value', 12]],
  ['fence', (k) => k.fence('L', 11), 'fence', [11]],
  ['check_locked_loaded', (k) => k.check_locked_loaded('L', 'pteval', 'flags'), 'check_locked_loaded', ['pteval', 'flags']],
  ['smp_rmb', (k) => k.smp_rmb('L'), 'fence', [1]],
  ['smp_wmb', (k) => k.smp_wmb('L'), 'fence', [2]],
  ['smp_mb', (k) => k.smp_mb('L'), 'fence', [3]],
  ['READ_ONCE', (k) => k.READ_ONCE('L', 'out', 11), 'load_var', ['out', 11, 0]],
  ['smp_load_acquire', (k) => k.smp_load_acquire('L', 'out', 11), 'load_var', ['out', 11, 1]],
  ['WRITE_ONCE', (k) => k.WRITE_ONCE('L', 11, 'value'), 'store_var', [11, 'value', 0]],
  ['smp_store_release', (k) => k.smp_store_release('L', 11, 'value'), 'store_var', [11, 'value', 1]],
  ['spin_lock', (k) => k.spin_lock('L', 11), 'spin_lock_var', [11]],
  ['spin_unlock', (k) => k.spin_unlock('L', 11, 'zero'), 'store_var', [11, 'zero', 1]],
  ['smp_mb__after_spinlock', (k) => k.smp_mb__after_spinlock('L'), 'fence_after_spinlock', []],
  ['READ_ONCE_PTR', (k) => k.READ_ONCE_PTR('L', 'out', 'ptr'), 'load_ptr', ['out', 'ptr', 0]],
  ['smp_load_acquire_ptr', (k) => k.smp_load_acquire_ptr('L', 'out', 'ptr'), 'load_ptr', ['out', 'ptr', 1]],
  ['WRITE_ONCE_PTR', (k) => k.WRITE_ONCE_PTR('L', 'ptr', 'value'), 'store_ptr', ['ptr', 'value', 0]],
  ['smp_store_release_ptr', (k) => k.smp_store_release_ptr('L', 'ptr', 'value'), 'store_ptr', ['ptr', 'value', 1]],
  ['spin_trylock', (k) => k.spin_trylock('L', 'out', 11), 'spin_trylock_var', ['out', 11]],
  ['smp_mb__after_unlock_lock', (k) => k.smp_mb__after_unlock_lock('L'), 'fence_after_unlock_lock', []],
  ['rmw', (k) => k.rmw('L', 'out', 11, 'value', 'expected', 6, 2), 'rmw_var', ['out', 11, 'value', 'expected', 6, 2]],
  ['rcu_read_lock', (k) => k.rcu_read_lock('L'), 'rcu_read_lock', []],
  ['rcu_read_unlock', (k) => k.rcu_read_unlock('L'), 'rcu_read_unlock', []],
  ['synchronize_rcu', (k) => k.synchronize_rcu('L'), 'synchronize_rcu', []],
  ['observe', (k) => k.observe('L', 11, 'reg'), 'observe', [11, 'reg']],
];

const emitted = (call: (k: KernelPath) => unknown): readonly Step[] => {
  const k = new KernelPath('p', 'a path', { r: 'int' }).at('mm/x.c', 'x_fn', 'v6.6');
  call(k);
  return k.build().steps;
};

describe('KernelPath', () => {
  it('has a row here for every method', () => {
    const k = new KernelPath('p', 't', {});
    const methods = Object.keys(k).filter((n) => typeof (k as unknown as Record<string, unknown>)[n] === 'function');
    expect(methods.sort()).toEqual(ROWS.map(([m]) => m).sort());
  });

  it.each(ROWS)('%s emits its step, labelled and cited', (_, call, op, args) => {
    expect(emitted(call)).toEqual([{ label: 'L', op, args, src: { file: 'mm/x.c', fn: 'x_fn', version: 'v6.6' } }]);
  });

  it.each(ROWS)('%s: an op of the ISA, with as many arguments as it declares operands, each of its kind', (_, call) => {
    const [step] = emitted(call);
    expect(isOpName(step.op)).toBe(true);
    const operands: readonly OperandDecl[] = OPS[step.op].operands;
    expect(step.args.map((a) => typeof a)).toEqual(operands.map((o) => (argKind(o) === 'imm' ? 'number' : 'string')));
  });

  it('optional arguments: a generated label after the function cited, counted per path; ordering and flags 0; read or write rmap locks', () => {
    const k = new KernelPath('p', 't', {}).at('mm/x.c', 'x_fn', 'v6.6');
    k.mov('r', 1).goto('out').load('L1', 'v', 2, 'page').store('L2', 2, 'page', 'v').rmap_walk_next('L3', 'page', 'seen', 'vma', 'pte', 'out');
    k.rmap_lock('L4', 'page', false).rmap_unlock('L5', 'page', false);
    k.at('mm/y.c', 'y_fn', 'v6.7').ret().done();
    const steps = k.build().steps;
    expect(steps.map((s) => [s.label, ...s.args])).toEqual([
      ['x_fn~0', 'r', 1],
      ['x_fn~1', 'out'],
      ['L1', 'v', 2, 'page', 0],
      ['L2', 2, 'page', 'v', 0],
      ['L3', 'page', 'seen', 'vma', 'pte', 'out', 0],
      ['L4', 'page', 0],
      ['L5', 'page', 0],
      ['y_fn~2'],
      ['y_fn~3'],
    ]);
    expect(steps[7].src).toEqual({ file: 'mm/y.c', fn: 'y_fn', version: 'v6.7' });
  });

  it("before at(), steps cite '?'; build() lists the registers and copies the steps; inline() runs a fragment on the same builder", () => {
    const k = new KernelPath('p', 'a path', { page: 'page', n: 'int' });
    k.nop('start');
    expect(k.build().steps[0].src).toEqual({ file: '?', fn: '?', version: '?' });
    const first = k.build();
    k.inline((b) => b.folio_lock('L', 'page').folio_unlock('U', 'page'));
    expect(first).toEqual({
      name: 'p',
      title: 'a path',
      regs: [
        { name: 'page', type: 'page' },
        { name: 'n', type: 'int' },
      ],
      steps: [first.steps[0]],
    });
    expect(k.build().steps.map((s) => s.label)).toEqual(['start', 'L', 'U']);
  });
});
