import { describe, expect, it } from 'vitest';
import { litmusPointer } from '@mmreplay/model';
import { litmusEngineWorld, parseLitmus } from '../src/index.js';
import { refusalOf } from './engine-programs.js';

// litmusEngineWorld's pointers (docs/memory-model.md, "Pointers and address dependencies"): what it
// lowers, and what it refuses by construct and line so that the engine never loads through an
// integer, stores through a loaded pointer, or points at a spinlock.

const test = (body: string, init = 'int *p=x; int x; int y;', params = 'int **p, int *x, int *y') =>
  parseLitmus(`C t\n{ ${init} }\nP0(${params})\n{\n${body}\n}\nexists (x=0)\n`);
const refusal = (body: string, init?: string, params?: string): string => refusalOf(test(body, init, params));

describe('litmusEngineWorld with pointers', () => {
  it('starts p at the address of x, names what a pointer may point to, and lowers the load through it to load_ptr', () => {
    const w = litmusEngineWorld(test('int *r0; int r1;\nr0 = rcu_dereference(*p);\nr1 = READ_ONCE(*r0);\nrcu_assign_pointer(*p, y);'), {});
    const lit = w.litmus!;
    expect(lit.init).toEqual([{ name: 'p', value: litmusPointer(lit.vars.indexOf('x')) }]);
    expect([...lit.targets!].sort()).toEqual(['x', 'y']);
    const ops = w.paths['P0'].steps.map((s) => s.op);
    expect(ops).toContain('load_ptr');
    // rcu_assign_pointer is a release store of y's address
    const store = w.paths['P0'].steps.find((s) => s.op === 'store_var')!;
    expect(store.args[2]).toBe(1);
    expect(w.paths['P0'].steps.some((s) => s.op === 'mov' && s.args[1] === litmusPointer(lit.vars.indexOf('y')))).toBe(true);
  });

  it("takes a pointer final value by the location's name", () => {
    const w = litmusEngineWorld(test('int *r0;\nr0 = READ_ONCE(*p);'), { '0:r0': 'x' });
    expect(w.litmus!.exists).toEqual([{ name: '0:r0', value: litmusPointer(w.litmus!.vars.indexOf('x')) }]);
  });

  it('lowers plain accesses and a condition on a load (dep+plain)', () => {
    const w = litmusEngineWorld(test('int a = READ_ONCE(*x);\n*y = a;\n*x = *y;\nif (*x == 1)\n\tWRITE_ONCE(*y, 2);', '', 'int *x, int *y'), {});
    expect(w.paths['P0'].steps.filter((s) => s.op === 'load_var').length).toBe(3);
    expect(w.paths['P0'].steps.filter((s) => s.op === 'store_var').length).toBe(3);
  });

  it.each([
    ['a store through an integer', 'int r0;\nr0 = READ_ONCE(*x);\nWRITE_ONCE(*r0, 1);', 'a store through r0'],
    ['a store through a pointer loaded only in a branch', 'int *r0;\nif (READ_ONCE(*x))\n\tr0 = READ_ONCE(*p);\n*r0 = 1;', 'a store through r0'],
    ['a load through an integer', 'int r0; int r1;\nr0 = READ_ONCE(*x);\nr1 = READ_ONCE(*r0);', 'a load through r0'],
    [
      'a load through a pointer loaded only in a branch',
      'int *r0; int r1;\nif (READ_ONCE(*x))\n\tr0 = READ_ONCE(*p);\nr1 = READ_ONCE(*r0);',
      'a load through r0',
    ],
    ['an integer stored to a pointer location', 'WRITE_ONCE(*p, 1);', 'a store to p, which holds pointers'],
    ['synchronize_rcu() in an RCU read-side section', 'rcu_read_lock();\nsynchronize_rcu();\nrcu_read_unlock();', 'synchronize_rcu() inside an RCU read-side critical section'],
    ['a constant the engine keeps for pointers', 'WRITE_ONCE(*x, 1073741824);', 'the constant 1073741824'],
  ])('refuses %s, naming it and its line', (_, body, what) => {
    const m = refusal(body);
    expect(m).toContain(what);
    expect(m).toMatch(/line \d+/);
  });

  it('lowers a store through a loaded pointer to store_ptr (WRITE_ONCE, a plain store, and smp_store_release as a release)', () => {
    const w = litmusEngineWorld(test('int *r0;\nr0 = READ_ONCE(*p);\nWRITE_ONCE(*r0, 1);\n*r0 = 2;\nsmp_store_release(r0, 3);'), {});
    const stores = w.paths['P0'].steps.filter((s) => s.op === 'store_ptr');
    expect(stores.map((s) => [s.args[0], s.args[2]])).toEqual([
      ['r0', 0],
      ['r0', 0],
      ['r0', 1],
    ]);
    expect(w.paths['P0'].steps.some((s) => s.op === 'store_var')).toBe(false);
  });

  it('refuses a store through a pointer that may name a pointer location, of something other than an address', () => {
    const m = refusal('int *r0;\nr0 = READ_ONCE(*p);\nWRITE_ONCE(*r0, 1);', 'int *p=q; int *q=x; int x;', 'int **p, int **q, int *x');
    expect(m).toContain('a store through a pointer that may name q');
    expect(m).toMatch(/line \d+/);
  });

  it('starts a location at an integer other than 0 (litmus.init), and refuses one the engine keeps for pointers', () => {
    const w = litmusEngineWorld(test('int r0;\nr0 = READ_ONCE(*x);', 'int x=3; int y;', 'int *x, int *y'), {});
    expect(w.litmus!.init).toEqual([{ name: 'x', value: 3 }]);
    expect(refusal('int r0;\nr0 = READ_ONCE(*x);', 'int x=1073741824;', 'int *x')).toContain('the initial value 1073741824 of x');
  });

  it('refuses a pointer to a spinlock', () => {
    expect(refusal('spin_lock(s);\nspin_unlock(s);', 'int *p=s; spinlock_t s;', 'int **p, spinlock_t *s')).toContain('a pointer to spinlock s');
  });
});
