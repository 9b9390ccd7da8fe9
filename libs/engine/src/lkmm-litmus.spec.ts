import { KernelPath, litmusPointee, litmusPointer, type PathDef, type World } from '@mmreplay/model';
import { describe, expect, it } from 'vitest';
import { walkStates } from '../test/walk-states.js';
import { Machine } from './machine.js';
import { litmusWorld } from './test-helpers.js';

// lkmm's propagation (semantics/propagation.ts) judged by what it lets a small litmus test end
// with: every final state the engine reaches, walked without reduction, against the final states
// herd7 7.56 with the kernel's LKMM lists for the same test (run by hand on the C form of each,
// /work/shared/tools/herd7). libs/litmus's engine differential does this over whole litmus
// catalogues; these few, in the engine's own suite, make its mutation runs see what each ordering
// rule is for (a wmb that stops ordering, a release that stops carrying what its CPU saw, a load
// reading a message its view has passed), which the engine's step-level specs did not (issue 20).
//
// A thread is a list of accesses: `x=1` WRITE_ONCE, `x=rel 1` smp_store_release, `x=&z` a
// pointer store, `*r0=2` a store through a loaded pointer, `r0=x` READ_ONCE, `r0=acq x` smp_load_acquire, `r1=*r0` a load through a
// loaded pointer, and the fences `wmb`, `rmb`, `mb`.

type Test = { threads: string[][]; states: string[]; count: number };

const TESTS: Record<string, Test> = {
  MP: {
    threads: [
      ['x=1', 'y=1'],
      ['r0=y', 'r1=x'],
    ],
    states: ['1:r0=0; 1:r1=0; x=1; y=1;', '1:r0=0; 1:r1=1; x=1; y=1;', '1:r0=1; 1:r1=0; x=1; y=1;', '1:r0=1; 1:r1=1; x=1; y=1;'],
    count: 46,
  },
  'MP+wmb+rmb': {
    threads: [
      ['x=1', 'wmb', 'y=1'],
      ['r0=y', 'rmb', 'r1=x'],
    ],
    states: ['1:r0=0; 1:r1=0; x=1; y=1;', '1:r0=0; 1:r1=1; x=1; y=1;', '1:r0=1; 1:r1=1; x=1; y=1;'],
    count: 59,
  },
  'MP+wmb': {
    threads: [
      ['x=1', 'wmb', 'y=1'],
      ['r0=y', 'r1=x'],
    ],
    states: ['1:r0=0; 1:r1=0; x=1; y=1;', '1:r0=0; 1:r1=1; x=1; y=1;', '1:r0=1; 1:r1=0; x=1; y=1;', '1:r0=1; 1:r1=1; x=1; y=1;'],
    count: 60,
  },
  'MP+rmb': {
    threads: [
      ['x=1', 'y=1'],
      ['r0=y', 'rmb', 'r1=x'],
    ],
    states: ['1:r0=0; 1:r1=0; x=1; y=1;', '1:r0=0; 1:r1=1; x=1; y=1;', '1:r0=1; 1:r1=0; x=1; y=1;', '1:r0=1; 1:r1=1; x=1; y=1;'],
    count: 48,
  },
  'MP+rel+acq': {
    threads: [
      ['x=1', 'y=rel 1'],
      ['r0=acq y', 'r1=x'],
    ],
    states: ['1:r0=0; 1:r1=0; x=1; y=1;', '1:r0=0; 1:r1=1; x=1; y=1;', '1:r0=1; 1:r1=1; x=1; y=1;'],
    count: 32,
  },
  'MP+mb+rmb': {
    threads: [
      ['x=1', 'mb', 'y=1'],
      ['r0=y', 'rmb', 'r1=x'],
    ],
    states: ['1:r0=0; 1:r1=0; x=1; y=1;', '1:r0=0; 1:r1=1; x=1; y=1;', '1:r0=1; 1:r1=1; x=1; y=1;'],
    count: 59,
  },
  'MP+wmb+addr': {
    threads: [
      ['x=1', 'wmb', 'y=&x'],
      ['r0=y', 'r1=*r0'],
    ],
    states: ['1:r0=x; 1:r1=1; x=1; y=x;', '1:r0=z; 1:r1=0; x=1; y=x;'],
    count: 41,
  },
  SB: {
    threads: [
      ['x=1', 'r0=y'],
      ['y=1', 'r1=x'],
    ],
    states: ['0:r0=0; 1:r1=0; x=1; y=1;', '0:r0=0; 1:r1=1; x=1; y=1;', '0:r0=1; 1:r1=0; x=1; y=1;', '0:r0=1; 1:r1=1; x=1; y=1;'],
    count: 44,
  },
  'SB+mbs': {
    threads: [
      ['x=1', 'mb', 'r0=y'],
      ['y=1', 'mb', 'r1=x'],
    ],
    states: ['0:r0=0; 1:r1=1; x=1; y=1;', '0:r0=1; 1:r1=0; x=1; y=1;', '0:r0=1; 1:r1=1; x=1; y=1;'],
    count: 55,
  },
  'SB+rel+acq': {
    threads: [
      ['x=rel 1', 'r0=acq y'],
      ['y=rel 1', 'r1=acq x'],
    ],
    states: ['0:r0=0; 1:r1=0; x=1; y=1;', '0:r0=0; 1:r1=1; x=1; y=1;', '0:r0=1; 1:r1=0; x=1; y=1;', '0:r0=1; 1:r1=1; x=1; y=1;'],
    count: 31,
  },
  LB: {
    threads: [
      ['r0=x', 'y=1'],
      ['r1=y', 'x=1'],
    ],
    states: ['0:r0=0; 1:r1=0; x=1; y=1;', '0:r0=0; 1:r1=1; x=1; y=1;', '0:r0=1; 1:r1=0; x=1; y=1;', '0:r0=1; 1:r1=1; x=1; y=1;'],
    count: 57,
  },
  'LB+mbs': {
    threads: [
      ['r0=x', 'mb', 'y=1'],
      ['r1=y', 'mb', 'x=1'],
    ],
    states: ['0:r0=0; 1:r1=0; x=1; y=1;', '0:r0=0; 1:r1=1; x=1; y=1;', '0:r0=1; 1:r1=0; x=1; y=1;'],
    count: 51,
  },
  'LB+acq+rel': {
    threads: [
      ['r0=acq x', 'y=1'],
      ['r1=y', 'x=rel 1'],
    ],
    states: ['0:r0=0; 1:r1=0; x=1; y=1;', '0:r0=0; 1:r1=1; x=1; y=1;', '0:r0=1; 1:r1=0; x=1; y=1;'],
    count: 47,
  },
  '2+2W': {
    threads: [
      ['x=1', 'y=2'],
      ['y=1', 'x=2'],
    ],
    states: ['x=1; y=1;', 'x=1; y=2;', 'x=2; y=1;', 'x=2; y=2;'],
    count: 13,
  },
  '2+2W+wmbs': {
    threads: [
      ['x=1', 'wmb', 'y=2'],
      ['y=1', 'wmb', 'x=2'],
    ],
    states: ['x=1; y=1;', 'x=1; y=2;', 'x=2; y=1;', 'x=2; y=2;'],
    count: 22,
  },
  'R+mbs': {
    threads: [
      ['x=1', 'mb', 'y=1'],
      ['y=2', 'mb', 'r0=x'],
    ],
    states: ['1:r0=0; x=1; y=1;', '1:r0=1; x=1; y=1;', '1:r0=1; x=1; y=2;'],
    count: 34,
  },
  'R+wmb+mb': {
    threads: [
      ['x=1', 'wmb', 'y=1'],
      ['y=2', 'mb', 'r0=x'],
    ],
    states: ['1:r0=0; x=1; y=1;', '1:r0=0; x=1; y=2;', '1:r0=1; x=1; y=1;', '1:r0=1; x=1; y=2;'],
    count: 36,
  },
  'S+wmb+acq': {
    threads: [
      ['x=2', 'wmb', 'y=1'],
      ['r0=acq y', 'x=1'],
    ],
    states: ['1:r0=0; x=1; y=1;', '1:r0=0; x=2; y=1;', '1:r0=1; x=1; y=1;'],
    count: 24,
  },
  'S+wmb': {
    threads: [
      ['x=2', 'wmb', 'y=1'],
      ['r0=y', 'x=1'],
    ],
    states: ['1:r0=0; x=1; y=1;', '1:r0=0; x=2; y=1;', '1:r0=1; x=1; y=1;', '1:r0=1; x=2; y=1;'],
    count: 37,
  },
  'WRC+rel+acq': {
    threads: [['x=1'], ['r0=x', 'y=rel 1'], ['r1=acq y', 'r2=x']],
    states: [
      '1:r0=0; 2:r1=0; 2:r2=0; x=1; y=1;',
      '1:r0=0; 2:r1=0; 2:r2=1; x=1; y=1;',
      '1:r0=0; 2:r1=1; 2:r2=0; x=1; y=1;',
      '1:r0=0; 2:r1=1; 2:r2=1; x=1; y=1;',
      '1:r0=1; 2:r1=0; 2:r2=0; x=1; y=1;',
      '1:r0=1; 2:r1=0; 2:r2=1; x=1; y=1;',
      '1:r0=1; 2:r1=1; 2:r2=1; x=1; y=1;',
    ],
    count: 227,
  },
  'WRC+wmb+rmb': {
    threads: [['x=1'], ['r0=x', 'wmb', 'y=1'], ['r1=y', 'rmb', 'r2=x']],
    states: [
      '1:r0=0; 2:r1=0; 2:r2=0; x=1; y=1;',
      '1:r0=0; 2:r1=0; 2:r2=1; x=1; y=1;',
      '1:r0=0; 2:r1=1; 2:r2=0; x=1; y=1;',
      '1:r0=0; 2:r1=1; 2:r2=1; x=1; y=1;',
      '1:r0=1; 2:r1=0; 2:r2=0; x=1; y=1;',
      '1:r0=1; 2:r1=0; 2:r2=1; x=1; y=1;',
      '1:r0=1; 2:r1=1; 2:r2=0; x=1; y=1;',
      '1:r0=1; 2:r1=1; 2:r2=1; x=1; y=1;',
    ],
    count: 326,
  },
  'WRC+mb+rmb': {
    threads: [['x=1'], ['r0=x', 'mb', 'y=1'], ['r1=y', 'rmb', 'r2=x']],
    states: [
      '1:r0=0; 2:r1=0; 2:r2=0; x=1; y=1;',
      '1:r0=0; 2:r1=0; 2:r2=1; x=1; y=1;',
      '1:r0=0; 2:r1=1; 2:r2=0; x=1; y=1;',
      '1:r0=0; 2:r1=1; 2:r2=1; x=1; y=1;',
      '1:r0=1; 2:r1=0; 2:r2=0; x=1; y=1;',
      '1:r0=1; 2:r1=0; 2:r2=1; x=1; y=1;',
      '1:r0=1; 2:r1=1; 2:r2=1; x=1; y=1;',
    ],
    count: 253,
  },
  'MP+wmb2+rmb': {
    threads: [
      ['x=1', 'wmb', 'y=1', 'z=1'],
      ['r0=z', 'rmb', 'r1=x'],
    ],
    states: ['1:r0=0; 1:r1=0; x=1; y=1; z=1;', '1:r0=0; 1:r1=1; x=1; y=1; z=1;', '1:r0=1; 1:r1=1; x=1; y=1; z=1;'],
    count: 73,
  },
  'MP+po-wmb+rmb': {
    threads: [
      ['x=1', 'y=1', 'wmb', 'z=1'],
      ['r0=z', 'rmb', 'r1=y', 'r2=x'],
    ],
    states: [
      '1:r0=0; 1:r1=0; 1:r2=0; x=1; y=1; z=1;',
      '1:r0=0; 1:r1=0; 1:r2=1; x=1; y=1; z=1;',
      '1:r0=0; 1:r1=1; 1:r2=0; x=1; y=1; z=1;',
      '1:r0=0; 1:r1=1; 1:r2=1; x=1; y=1; z=1;',
      '1:r0=1; 1:r1=1; 1:r2=1; x=1; y=1; z=1;',
    ],
    count: 169,
  },
  'MP+rel-po+rmb': {
    threads: [
      ['x=1', 'y=rel 1', 'z=1'],
      ['r0=z', 'rmb', 'r1=x'],
    ],
    states: ['1:r0=0; 1:r1=0; x=1; y=1; z=1;', '1:r0=0; 1:r1=1; x=1; y=1; z=1;', '1:r0=1; 1:r1=0; x=1; y=1; z=1;', '1:r0=1; 1:r1=1; x=1; y=1; z=1;'],
    count: 62,
  },
  'CoRW+wmb': {
    threads: [
      ['x=1', 'wmb', 'x=2', 'y=1'],
      ['r0=y', 'rmb', 'r1=x', 'r2=x'],
    ],
    states: [
      '1:r0=0; 1:r1=0; 1:r2=0; x=2; y=1;',
      '1:r0=0; 1:r1=0; 1:r2=1; x=2; y=1;',
      '1:r0=0; 1:r1=0; 1:r2=2; x=2; y=1;',
      '1:r0=0; 1:r1=1; 1:r2=1; x=2; y=1;',
      '1:r0=0; 1:r1=1; 1:r2=2; x=2; y=1;',
      '1:r0=0; 1:r1=2; 1:r2=2; x=2; y=1;',
      '1:r0=1; 1:r1=1; 1:r2=1; x=2; y=1;',
      '1:r0=1; 1:r1=1; 1:r2=2; x=2; y=1;',
      '1:r0=1; 1:r1=2; 1:r2=2; x=2; y=1;',
    ],
    count: 189,
  },
  'MP+rel-wmb+rmb': {
    threads: [
      ['r0=w', 'y=rel 1', 'wmb', 'z=1'],
      ['r1=z', 'rmb', 'r2=y'],
    ],
    states: ['0:r0=0; 1:r1=0; 1:r2=0; w=0; y=1; z=1;', '0:r0=0; 1:r1=0; 1:r2=1; w=0; y=1; z=1;', '0:r0=0; 1:r1=1; 1:r2=1; w=0; y=1; z=1;'],
    count: 146,
  },
  'MP+wmb-rel+rmb': {
    threads: [
      ['x=1', 'wmb', 'r0=w', 'y=rel 1'],
      ['r1=y', 'rmb', 'r2=x'],
    ],
    states: ['0:r0=0; 1:r1=0; 1:r2=0; w=0; x=1; y=1;', '0:r0=0; 1:r1=0; 1:r2=1; w=0; x=1; y=1;', '0:r0=0; 1:r1=1; 1:r2=1; w=0; x=1; y=1;'],
    count: 150,
  },
  'ISA2+rel+acq+acq': {
    threads: [
      ['x=1', 'y=rel 1'],
      ['r0=acq y', 'z=rel 1'],
      ['r1=acq z', 'r2=x'],
    ],
    states: [
      '1:r0=0; 2:r1=0; 2:r2=0; x=1; y=1; z=1;',
      '1:r0=0; 2:r1=0; 2:r2=1; x=1; y=1; z=1;',
      '1:r0=0; 2:r1=1; 2:r2=0; x=1; y=1; z=1;',
      '1:r0=0; 2:r1=1; 2:r2=1; x=1; y=1; z=1;',
      '1:r0=1; 2:r1=0; 2:r2=0; x=1; y=1; z=1;',
      '1:r0=1; 2:r1=0; 2:r2=1; x=1; y=1; z=1;',
      '1:r0=1; 2:r1=1; 2:r2=1; x=1; y=1; z=1;',
    ],
    count: 197,
  },
  'MP+wmb+addr-CoWR': {
    threads: [
      ['x=1', 'wmb', 'y=&x'],
      ['r0=y', 'x=2', 'r1=*r0'],
    ],
    states: ['1:r0=x; 1:r1=1; x=1; y=x;', '1:r0=x; 1:r1=2; x=2; y=x;', '1:r0=z; 1:r1=0; x=1; y=x;', '1:r0=z; 1:r1=0; x=2; y=x;'],
    count: 80,
  },
  'S+wmb+addr': {
    threads: [
      ['x=2', 'wmb', 'y=&x'],
      ['r0=y', '*r0=1'],
    ],
    states: ['1:r0=x; x=1; y=x;', '1:r0=z; x=2; y=x;'],
    count: 36,
  },
  'MP+wmb+addr-st': {
    threads: [
      ['x=1', 'wmb', 'y=&x'],
      ['r0=y', '*r0=2', 'r1=x'],
    ],
    states: ['1:r0=x; 1:r1=2; x=2; y=x;', '1:r0=z; 1:r1=0; x=1; y=x;', '1:r0=z; 1:r1=1; x=1; y=x;'],
    count: 113,
  },
};

const REGS = { r0: 'int', r1: 'int', r2: 'int', c1: 'int', c2: 'int', p: 'int' } as const;

function world(threads: string[][]): World {
  const names = new Set<string>();
  const pointers = threads.flat().some((op) => op.includes('&') || op.includes('*'));
  for (const op of threads.flat()) for (const v of op.match(/\b[wxyz]\b/g) ?? []) names.add(v);
  if (pointers) names.add('z');
  const vars = [...names].sort();
  const at = (v: string) => vars.indexOf(v);
  const results: string[] = [];
  const paths: PathDef[] = threads.map((ops, t) => {
    const k = new KernelPath(`P${t}`, `P${t}`, REGS).at('test', `P${t}`, '-');
    k.mov('c1', 1, 'c1');
    k.mov('c2', 2, 'c2');
    const regs = new Set<string>();
    // each access's pattern and what it emits; a loaded register is recorded as a result
    const load = (r: string) => void regs.add(r);
    const forms: [RegExp, (l: string, a: string, b: string) => void][] = [
      [/^(wmb)$/, (l) => k.smp_wmb(l)],
      [/^(rmb)$/, (l) => k.smp_rmb(l)],
      [/^(mb)$/, (l) => k.smp_mb(l)],
      [/^(r\d)=\*(r\d)$/, (l, r, p) => (load(r), k.READ_ONCE_PTR(l, r, p))],
      [/^(r\d)=acq ([wxyz])$/, (l, r, v) => (load(r), k.smp_load_acquire(l, r, at(v)))],
      [/^(r\d)=([wxyz])$/, (l, r, v) => (load(r), k.READ_ONCE(l, r, at(v)))],
      [/^\*(r\d)=(\d)$/, (l, p, c) => k.WRITE_ONCE_PTR(l, p, `c${c}`)],
      [/^([xyz])=rel (\d)$/, (l, v, c) => k.smp_store_release(l, at(v), `c${c}`)],
      [/^([xyz])=&([xyz])$/, (l, v, to) => (k.mov('p', litmusPointer(at(to)), `${l}.p`), k.WRITE_ONCE(l, at(v), 'p'))],
      [/^([xyz])=(\d)$/, (l, v, c) => k.WRITE_ONCE(l, at(v), `c${c}`)],
    ];
    ops.forEach((op, i) => {
      const form = forms.find(([re]) => re.test(op));
      if (!form) throw new Error(`no such access: ${op}`);
      const [, a = '', b = ''] = op.match(form[0])!;
      form[1](`s${i}`, a, b);
    });
    for (const r of [...regs].sort()) {
      k.observe(`o.${r}`, results.length, r);
      results.push(`${t}:${r}`);
    }
    return k.build();
  });
  const pointerInit = pointers ? { init: [{ name: 'y', value: litmusPointer(at('z')) }], targets: ['x', 'z'] } : {};
  return litmusWorld('lkmm', paths, results, { vars, ...pointerInit });
}

/**
 * Every final state of the test, written as herd7 writes its states (names sorted, pointers as the
 * variable), and how many distinct states the walk reached.
 */
function walk(threads: string[][]): { finals: string[]; count: number } {
  const w = world(threads);
  const m = new Machine(w);
  const L = m.layout;
  const lit = w.litmus!;
  const pointers = lit.init !== undefined;
  const show = (v: number) => (litmusPointee(v, lit.vars.length) >= 0 ? lit.vars[litmusPointee(v, lit.vars.length)] : String(v));
  const out = new Set<string>();
  const states = new Set<string>();
  walkStates(m, {
    step: (next) => void states.add(next.join(',')),
    end: (s) => {
      // herd7 lists the variables the test names (the pointer tests' z is only pointed to)
      const vars = lit.vars.map((v, i) => [v, s[L.vars + i]] as const).filter(([v]) => !(pointers && v === 'z'));
      const values = [...lit.results.map((r, i) => [r, s[L.results + i]] as const), ...vars];
      out.add(values.map(([n, v]) => `${n}=${show(v)};`).join(' '));
    },
  });
  return { finals: [...out].sort(), count: states.size };
}

describe('lkmm: the final states of small litmus tests are those herd7 gives', () => {
  for (const [name, t] of Object.entries(TESTS)) {
    it(name, () => {
      const { finals, count } = walk(t.threads);
      expect(finals).toEqual(t.states);
      // The state words are canonical (epochs relative to the oldest outstanding load, message
      // positions renumbered as messages go), so equal situations are equal words: a rule that
      // stops normalising shows as more states, one that merges different situations as fewer.
      // The counts are the engine's own, taken when every final state above agreed with herd7.
      expect(count).toBe(t.count);
    });
  }
});
