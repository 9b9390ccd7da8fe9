import { describe, expect, it } from 'vitest';
import { parseLitmus } from './parser.js';
import { LitmusSyntaxError, UnsupportedConstructError } from './errors.js';

const MP = `C MP+test

(*
 * Result: Never
 *)

{
	int *p=y;
	int x;
	0:r9=3;
}

P0(int *x, int **p)
{
	WRITE_ONCE(*x, 1);
	rcu_assign_pointer(*p, x);
}

P1(int *x, int **p)
{
	int *r0;
	int r1 = 2, r2;

	r0 = rcu_dereference(*p);
	if (r0 == x && !r1)
		r1 = READ_ONCE(*r0);
	else {
		r2 = *x;
	}
}

locations [0:r9; x]
filter (1:r1=0 \\/ 1:r1=1)
exists (1:r0=x /\\ ~(1:r1=1)) (* trailing comment *)
`;

/** The construct and line a refusal names. */
function refusal(text: string): { construct: string; line: number } {
  try {
    parseLitmus(text);
  } catch (e) {
    if (e instanceof UnsupportedConstructError) return { construct: e.construct, line: e.line };
    throw e;
  }
  throw new Error('accepted');
}

const wrap = (body: string) => `C t\n{}\nP0(int *x, spinlock_t *l)\n{\n${body}\n}\nexists (x=1)\n`;

describe('parseLitmus', () => {
  it('reads the name, the documented result, the initial state, processes, locations, filter and condition', () => {
    const t = parseLitmus(MP);
    expect(t.name).toBe('MP+test');
    expect(t.documentedResult).toBe('Never');
    expect(t.init).toEqual([
      { place: { name: 'p' }, type: 'int *', value: { addr: 'y' } },
      { place: { name: 'x' }, type: 'int', value: undefined },
      { place: { thread: 0, name: 'r9' }, value: 3 },
    ]);
    expect(t.processes.map((p) => p.params.map((q) => `${q.type} ${q.name}`))).toEqual([
      ['int * x', 'int ** p'],
      ['int * x', 'int ** p'],
    ]);
    expect(t.processes[1].body.map((s) => s.k)).toEqual(['decl', 'decl', 'decl', 'assign', 'if']);
    expect(t.locations).toEqual([{ thread: 0, name: 'r9' }, { name: 'x' }]);
    expect(t.filter?.k).toBe('or');
    expect(t.condition.quantifier).toBe('exists');
    expect(t.condition.prop).toEqual({
      k: 'and',
      l: { k: 'eq', place: { thread: 1, name: 'r0' }, value: { addr: 'x' } },
      r: { k: 'not', p: { k: 'eq', place: { thread: 1, name: 'r1' }, value: 1 } },
    });
  });

  it("reads an atomic_t's ATOMIC_INIT(n) as its initial integer, and refuses one of no integer", () => {
    const t = parseLitmus('C t\n{ atomic_t x = ATOMIC_INIT(2); atomic_t y = ATOMIC_INIT(-1); }\nP0(atomic_t *x) { atomic_inc(x); }\nexists (x=3)\n');
    expect(t.init).toEqual([
      { place: { name: 'x' }, type: 'atomic_t', value: 2 },
      { place: { name: 'y' }, type: 'atomic_t', value: -1 },
    ]);
    expect(() => parseLitmus('C t\n{ int z = 0; atomic_t x = ATOMIC_INIT(z); }\nP0(atomic_t *x) { atomic_inc(x); }\nexists (x=3)\n')).toThrow(
      /line 2: ATOMIC_INIT takes an integer/,
    );
  });

  it('reads ~exists and forall, and /\\ binding tighter than \\/', () => {
    const t = parseLitmus(wrap('WRITE_ONCE(*x, 1);').replace('exists (x=1)', '~exists (x=1 \\/ x=2 /\\ x=3)'));
    expect(t.condition.quantifier).toBe('~exists');
    expect(t.condition.prop.k).toBe('or');
    expect(parseLitmus(wrap('WRITE_ONCE(*x, 1);').replace('exists', 'forall')).condition.quantifier).toBe('forall');
  });

  it('refuses what it does not model, naming the construct and its line', () => {
    expect(refusal(wrap('\twhile (1) WRITE_ONCE(*x, 1);'))).toEqual({ construct: "'while'", line: 5 });
    expect(refusal(wrap('\tWRITE_ONCE(*x, 1);\n\tsrcu_read_lock(x);'))).toEqual({ construct: 'srcu_read_lock()', line: 6 });
    expect(refusal(wrap('\tint r0;\n\n\tr0 = READ_ONCE(*x) ? 1 : 2;'))).toEqual({ construct: "'?:'", line: 7 });
    expect(refusal(wrap('\tint r0;\n\tr0 += 1;'))).toEqual({ construct: "'+='", line: 6 });
    expect(refusal(wrap('\tx[1] = 2;'))).toEqual({ construct: "'['", line: 5 });
    expect(refusal(wrap('\tsmp_mb__after_srcu_read_unlock();'))).toEqual({ construct: 'smp_mb__after_srcu_read_unlock()', line: 5 });
    expect(refusal(`X86 SB\n{}\n P0 | P1 ;\nexists (x=1)`)).toEqual({ construct: 'architecture X86', line: 1 });
  });

  it('rejects malformed tests with the line of the error', () => {
    expect(() => parseLitmus(wrap('\tWRITE_ONCE(*x, 1)'))).toThrow(LitmusSyntaxError);
    expect(() => parseLitmus(wrap('\tWRITE_ONCE(*x, 1)'))).toThrow(/line 6: expected ';'/);
    expect(() => parseLitmus(wrap('\tWRITE_ONCE(*x);'))).toThrow(/WRITE_ONCE\(\) takes 2 argument/);
    expect(() => parseLitmus(wrap('\tWRITE_ONCE(*x, 1);').replace('exists (x=1)\n', ''))).toThrow(/missing final condition/);
    expect(() => parseLitmus('C t\n{}\nP1(int *x) { WRITE_ONCE(*x, 1); }\nexists (x=1)')).toThrow(/expected P0/);
  });
});
