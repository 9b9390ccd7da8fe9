import { describe, expect, it } from 'vitest';
import { RmwKind, RmwOrdering } from '@mmreplay/model';
import { litmusEngineWorld, parseLitmus } from '../src/index.js';
import { refusalOf } from './engine-programs.js';

// litmusEngineWorld's read-modify-writes (docs/memory-model.md, "Read-modify-writes run at their
// pc"): each primitive's kind and ordering, the barriers next to one, the loads and stores of the
// atomic_t API, and what it refuses by construct and line. What the lowered RMWs do is held to the
// LKMM by engine-differential.spec.ts (the `rmw` mix).

const test = (body: string, init = 'int x; int y; spinlock_t s;', params = 'int *x, int *y, spinlock_t *s') =>
  parseLitmus(`C t\n{ ${init} }\nP0(${params})\n{\n${body}\n}\nexists (x=0)\n`);
const steps = (body: string) => litmusEngineWorld(test(body), {}).paths['P0'].steps;
const refusal = (body: string, init?: string, params?: string): string => refusalOf(test(body, init, params));

/** The RMW step of a one-statement body: [kind, ordering]. */
const rmwOf = (body: string): [number, number] => {
  const st = steps(body).find((s) => s.op === 'rmw_var')!;
  return [st.args[4] as number, st.args[5] as number];
};

describe('litmusEngineWorld: read-modify-writes', () => {
  it.each([
    ['int r0;\nr0 = xchg(x, 1);', RmwKind.xchg, RmwOrdering.mb],
    ['int r0;\nr0 = xchg_relaxed(x, 1);', RmwKind.xchg, RmwOrdering.relaxed],
    ['int r0;\nr0 = atomic_xchg_acquire(x, 1);', RmwKind.xchg, RmwOrdering.acquire],
    ['int r0;\nr0 = cmpxchg_release(x, 0, 1);', RmwKind.cmpxchg, RmwOrdering.release],
    ['int r0;\nr0 = atomic_fetch_add(2, x);', RmwKind.add, RmwOrdering.mb],
    ['int r0;\nr0 = atomic_add_return_relaxed(2, x);', RmwKind.add | RmwKind.new, RmwOrdering.relaxed],
    ['int r0;\nr0 = atomic_fetch_sub_acquire(2, x);', RmwKind.add | RmwKind.sub, RmwOrdering.acquire],
    ['int r0;\nr0 = atomic_dec_and_test(x);', RmwKind.add | RmwKind.sub | RmwKind.zero, RmwOrdering.mb],
    ['int r0;\nr0 = atomic_add_negative(1, x);', RmwKind.add | RmwKind.negative, RmwOrdering.mb],
    ['atomic_inc(x);', RmwKind.add, RmwOrdering.relaxed],
    ['atomic_sub(3, x);', RmwKind.add | RmwKind.sub, RmwOrdering.relaxed],
  ])('%s', (body, kind, ordering) => {
    expect(rmwOf(body)).toEqual([kind, ordering]);
  });

  it("a cmpxchg()'s expected value and new value are its own registers; the result goes to r0", () => {
    const body = steps('int r0;\nr0 = cmpxchg(x, 3, 4);');
    const rmw = body.find((s) => s.op === 'rmw_var')!;
    const value = (reg: unknown) => body.find((s) => s.op === 'mov' && s.args[0] === reg)?.args[1];
    expect(rmw.args[0]).toBe('r0');
    expect(value(rmw.args[2])).toBe(4);
    expect(value(rmw.args[3])).toBe(3);
  });

  it('smp_mb__before_atomic() right before one and smp_mb__after_atomic() right after one are smp_mb()', () => {
    const ops = steps('smp_mb__before_atomic();\natomic_inc(x);\nsmp_mb__after_atomic();').filter((s) => s.op !== 'mov' && s.op !== 'nop' && s.op !== 'observe');
    expect(ops.map((s) => [s.op, s.args[0]])).toEqual([
      ['fence', 3],
      ['rmw_var', 'c1'],
      ['fence', 3],
    ]);
    // with no RMW in the process they order nothing
    expect(steps('smp_mb__before_atomic();\nWRITE_ONCE(*x, 1);').some((s) => s.op === 'fence')).toBe(false);
  });

  it('atomic_read(), atomic_set() and their acquire and release forms, and smp_store_mb()', () => {
    const ops = steps('int r0;\nr0 = atomic_read_acquire(x);\natomic_set_release(y, 1);\natomic_set(x, 2);\nr0 = atomic_read(y);\nsmp_store_mb(*x, 3);').filter(
      (s) => s.op === 'load_var' || s.op === 'store_var' || s.op === 'fence',
    );
    expect(ops.map((s) => `${s.op} ${s.op === 'fence' ? s.args[0] : s.args[s.args.length - 1]}`)).toEqual([
      'load_var 1',
      'store_var 1',
      'store_var 0',
      'load_var 0',
      'store_var 0',
      'fence 3',
    ]);
  });

  it.each([
    ['before a cmpxchg()', 'int r0;\nsmp_mb__before_atomic();\nr0 = cmpxchg(x, 0, 1);', /line 6: smp_mb__before_atomic\(\) next to a cmpxchg\(\)/],
    ['after a cmpxchg()', 'int r0;\nr0 = cmpxchg_relaxed(x, 0, 1);\nsmp_mb__after_atomic();', /line 7: smp_mb__after_atomic\(\) next to a cmpxchg\(\)/],
    ['apart from its RMW', 'smp_mb__before_atomic();\nWRITE_ONCE(*y, 1);\natomic_inc(x);', /line 5: smp_mb__before_atomic\(\) other than right before/],
    ['apart from a lock', 'smp_mb__after_atomic();\nspin_lock(s);\nspin_unlock(s);', /line 5: smp_mb__after_atomic\(\) other than right after/],
    ['an RMW of a spinlock', 'int r0;\nr0 = xchg(s, 1);\nspin_lock(s);', /line 6: a read-modify-write of spinlock s/],
  ])('refuses smp_mb__*_atomic() %s, naming it and its line', (_, body, what) => {
    expect(refusal(body)).toMatch(what);
  });

  it('refuses an RMW of a location a pointer may name', () => {
    expect(refusal('int r0;\nr0 = xchg(x, 1);', 'int *p=x; int x;', 'int **p, int *x')).toMatch(/line 6: a read-modify-write of x, a location that holds a pointer or that a pointer may name/);
  });
});
