import { KernelPath } from '../builder.js';
import type { PathDef } from '../program.js';
import type { LitmusDecl } from '../world.js';
import type { NamedVariant, Scenario } from './scenario.js';

// The classic litmus shapes, written as the Linux kernel memory model's own tests
// (tools/memory-model/litmus-tests/ in torvalds/linux), to check the memory models against the
// kernel's documented results: each shape once with the barriers that forbid its weak outcome, once
// without. The weak outcome is herd's `exists` clause, audited as the invariant `weak-outcome`:
// `violated` means the outcome is reachable ("Sometimes"), `holds` that it is not ("Never").

/** What the kernel documents for one litmus test, and where. */
export interface LitmusExpectation {
  readonly scenario: string;
  readonly barrier: string;
  /** the kernel's test of this shape and these barriers, when there is one */
  readonly test: string;
  /** LKMM's verdict: the test's `Result:` line, or, where the tree has no such test, linux-kernel.cat's */
  readonly lkmm: 'Never' | 'Sometimes';
  readonly source: string;
}

const X = 0;
const Y = 1;
const VARS = ['x', 'y'];
const src = (k: KernelPath, test: string) => k.at(`tools/memory-model/litmus-tests/${test}.litmus`, test, 'LKMM');

const litmus = (results: string[], exists: [string, number][]): LitmusDecl => ({
  vars: VARS,
  results,
  exists: exists.map(([name, value]) => ({ name, value })),
});

interface Shape {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly barriers: readonly { value: string; test: string; lkmm: 'Never' | 'Sometimes'; source?: string; description: string }[];
  readonly decl: LitmusDecl;
  build(barrier: string, test: string): PathDef[];
}

function scenarioOf(shape: Shape): Scenario {
  const [fixed, ...weaker] = shape.barriers;
  const variants: NamedVariant[] = weaker.map((b) => ({ name: b.test, description: `${b.description} (LKMM: ${b.lkmm})`, switches: { BARRIER: b.value } }));
  return {
    name: shape.name,
    title: shape.title,
    row: 'litmus',
    description: shape.description,
    params: [],
    switches: [
      {
        name: 'BARRIER',
        values: shape.barriers.map((b) => b.value),
        default: fixed.value,
        description: shape.barriers.map((b) => `${b.value}: ${b.description}`).join('; '),
      },
    ],
    invariants: ['weak-outcome', 'deadlock'],
    variants,
    build: ({ switches }) => {
      const b = shape.barriers.find((x) => x.value === switches.BARRIER) ?? fixed;
      const paths = shape.build(b.value, b.test);
      return {
        pages: [],
        vmas: [],
        ptes: [],
        ptls: [],
        threads: paths.map((p) => ({ name: p.name, path: p.name, args: {} })),
        paths: Object.fromEntries(paths.map((p) => [p.name, p])),
        symmetry: [],
        litmus: shape.decl,
      };
    },
  };
}

const REGS = { one: 'int', two: 'int', r0: 'int', r1: 'int' } as const;

/** MP: P0 writes data then flag; P1 reads flag then data. exists (1:r0=1 /\ 1:r1=0). */
const mp: Shape = {
  name: 'litmus-mp',
  title: 'Litmus MP (message passing): can the reader see the flag but not the data?',
  description: 'P0: WRITE_ONCE(x, 1); WRITE_ONCE(y, 1). P1: r0 = READ_ONCE(y); r1 = READ_ONCE(x). exists (1:r0=1 /\\ 1:r1=0).',
  barriers: [
    { value: 'wmb+rmb', test: 'MP+fencewmbonceonce+fencermbonceonce', lkmm: 'Never', description: 'smp_wmb() between the writes, smp_rmb() between the reads' },
    { value: 'rel+acq', test: 'MP+pooncerelease+poacquireonce', lkmm: 'Never', description: 'smp_store_release(y) and smp_load_acquire(y)' },
    {
      value: 'wmb',
      test: 'MP+fencewmbonceonce+poonceonces',
      lkmm: 'Sometimes',
      source: 'linux-kernel.cat (no such test in the tree): the reads are not ordered',
      description: 'smp_wmb() in the writer only',
    },
    {
      value: 'rmb',
      test: 'MP+poonceonces+fencermbonceonce',
      lkmm: 'Sometimes',
      source: 'linux-kernel.cat (no such test in the tree): the writes are not ordered',
      description: 'smp_rmb() in the reader only',
    },
    { value: 'none', test: 'MP+poonceonces', lkmm: 'Sometimes', description: 'no ordering' },
  ],
  decl: litmus(
    ['1:r0', '1:r1'],
    [
      ['1:r0', 1],
      ['1:r1', 0],
    ],
  ),
  build: (b, test) => {
    const p0 = src(new KernelPath('P0', 'MP writer', REGS), test);
    p0.mov('one', 1, 'P0.init');
    p0.WRITE_ONCE('P0.write_x', X, 'one');
    if (b === 'wmb+rmb' || b === 'wmb') p0.smp_wmb('P0.smp_wmb');
    if (b === 'rel+acq') p0.smp_store_release('P0.release_y', Y, 'one');
    else p0.WRITE_ONCE('P0.write_y', Y, 'one');
    const p1 = src(new KernelPath('P1', 'MP reader', REGS), test);
    if (b === 'rel+acq') p1.smp_load_acquire('P1.acquire_y', 'r0', Y);
    else p1.READ_ONCE('P1.read_y', 'r0', Y);
    if (b === 'wmb+rmb' || b === 'rmb') p1.smp_rmb('P1.smp_rmb');
    p1.READ_ONCE('P1.read_x', 'r1', X);
    p1.observe('P1.exists_r0', 0, 'r0');
    p1.observe('P1.exists_r1', 1, 'r1');
    return [p0.build(), p1.build()];
  },
};

/** SB: each writes one variable then reads the other. exists (0:r0=0 /\ 1:r0=0). */
const sb: Shape = {
  name: 'litmus-sb',
  title: "Litmus SB (store buffering): can both threads miss the other's write?",
  description:
    'P0: WRITE_ONCE(x, 1); r0 = READ_ONCE(y). P1: WRITE_ONCE(y, 1); r0 = READ_ONCE(x). exists (0:r0=0 /\\ 1:r0=0). The one weak outcome x86-TSO allows.',
  barriers: [
    { value: 'mb', test: 'SB+fencembonceonces', lkmm: 'Never', description: 'smp_mb() between the write and the read' },
    {
      value: 'rel+acq',
      test: 'SB+poreleaseonces+poacquireonces',
      lkmm: 'Sometimes',
      source: 'linux-kernel.cat (no such test in the tree); recipes.txt: two from-read links need smp_mb()',
      description: 'smp_store_release() and smp_load_acquire(): not enough',
    },
    { value: 'none', test: 'SB+poonceonces', lkmm: 'Sometimes', description: 'no ordering' },
  ],
  decl: litmus(
    ['0:r0', '1:r0'],
    [
      ['0:r0', 0],
      ['1:r0', 0],
    ],
  ),
  build: (b, test) =>
    [
      ['P0', X, Y],
      ['P1', Y, X],
    ].map(([name, mine, other]) => {
      const p = src(new KernelPath(name as string, 'SB', REGS), test);
      p.mov('one', 1, `${name}.init`);
      if (b === 'rel+acq') p.smp_store_release(`${name}.release`, mine as number, 'one');
      else p.WRITE_ONCE(`${name}.write`, mine as number, 'one');
      if (b === 'mb') p.smp_mb(`${name}.smp_mb`);
      if (b === 'rel+acq') p.smp_load_acquire(`${name}.acquire`, 'r0', other as number);
      else p.READ_ONCE(`${name}.read`, 'r0', other as number);
      p.observe(`${name}.exists_r0`, name === 'P0' ? 0 : 1, 'r0');
      return p.build();
    }),
};

/** LB: each reads one variable then writes the other. exists (0:r0=1 /\ 1:r0=1). */
const lb: Shape = {
  name: 'litmus-lb',
  title: "Litmus LB (load buffering): can both threads read the other's later write?",
  description: 'P0: r0 = READ_ONCE(x); WRITE_ONCE(y, 1). P1: r0 = READ_ONCE(y); WRITE_ONCE(x, 1). exists (0:r0=1 /\\ 1:r0=1).',
  barriers: [
    {
      value: 'ctrl+mb',
      test: 'LB+fencembonceonce+ctrlonceonce',
      lkmm: 'Never',
      description: 'P0 writes only if it read 1 (a control dependency), P1 has smp_mb()',
    },
    {
      value: 'rel+acq',
      test: 'LB+poacquireonce+pooncerelease',
      lkmm: 'Never',
      description: 'P0 writes with smp_store_release(), P1 reads with smp_load_acquire()',
    },
    { value: 'none', test: 'LB+poonceonces', lkmm: 'Sometimes', description: 'no ordering' },
  ],
  decl: litmus(
    ['0:r0', '1:r0'],
    [
      ['0:r0', 1],
      ['1:r0', 1],
    ],
  ),
  build: (b, test) => {
    const p0 = src(new KernelPath('P0', 'LB', REGS), test);
    p0.mov('one', 1, 'P0.init');
    p0.READ_ONCE('P0.read_x', 'r0', X);
    if (b === 'ctrl+mb') p0.beq('r0', 0, 'P0.exists_r0', 'P0.if_r0');
    if (b === 'rel+acq') p0.smp_store_release('P0.release_y', Y, 'one');
    else p0.WRITE_ONCE('P0.write_y', Y, 'one');
    p0.observe('P0.exists_r0', 0, 'r0');
    const p1 = src(new KernelPath('P1', 'LB', REGS), test);
    p1.mov('one', 1, 'P1.init');
    if (b === 'rel+acq') p1.smp_load_acquire('P1.acquire_y', 'r0', Y);
    else p1.READ_ONCE('P1.read_y', 'r0', Y);
    if (b === 'ctrl+mb') p1.smp_mb('P1.smp_mb');
    p1.WRITE_ONCE('P1.write_x', X, 'one');
    p1.observe('P1.exists_r0', 1, 'r0');
    return [p0.build(), p1.build()];
  },
};

/** 2+2W: each writes both variables, in opposite orders. exists (x=1 /\ y=1): both first writes win. */
const twoPlusTwoW: Shape = {
  name: 'litmus-2+2w',
  title: "Litmus 2+2W: can both threads' first writes be the last?",
  description: 'P0: WRITE_ONCE(x, 1); WRITE_ONCE(y, 2). P1: WRITE_ONCE(y, 1); WRITE_ONCE(x, 2). exists (x=1 /\\ y=1).',
  barriers: [
    {
      value: 'mb',
      test: '2+2W+fencembonceonces',
      lkmm: 'Never',
      source: 'linux-kernel.cat, propagation axiom (two coherence links need strong fences; recipes.txt "rules of thumb")',
      description: 'smp_mb() between the writes',
    },
    {
      value: 'wmb',
      test: '2+2W+fencewmbonceonces',
      lkmm: 'Sometimes',
      source:
        "linux-kernel.cat: smp_wmb() is not a strong fence, so the propagation axiom does not forbid the cycle (every real CPU forbids it; the engine's lkmm, like the LKMM, allows it)",
      description: 'smp_wmb() between the writes',
    },
    { value: 'none', test: '2+2W+poonceonces', lkmm: 'Sometimes', source: 'linux-kernel.cat', description: 'no ordering' },
  ],
  decl: litmus(
    [],
    [
      ['x', 1],
      ['y', 1],
    ],
  ),
  build: (b, test) =>
    [
      ['P0', X, Y],
      ['P1', Y, X],
    ].map(([name, first, second]) => {
      const p = src(new KernelPath(name as string, '2+2W', REGS), test);
      p.mov('one', 1, `${name}.init`);
      p.mov('two', 2);
      p.WRITE_ONCE(`${name}.write_first`, first as number, 'one');
      if (b === 'mb') p.smp_mb(`${name}.smp_mb`);
      if (b === 'wmb') p.smp_wmb(`${name}.smp_wmb`);
      p.WRITE_ONCE(`${name}.write_second`, second as number, 'two');
      return p.build();
    }),
};

const SHAPES = [mp, sb, lb, twoPlusTwoW];

export const litmusScenarios: readonly Scenario[] = SHAPES.map(scenarioOf);

/** Every litmus scenario and barrier, with the kernel's documented verdict. */
export const LITMUS_EXPECTATIONS: readonly LitmusExpectation[] = SHAPES.flatMap((shape) =>
  shape.barriers.map((b) => ({
    scenario: shape.name,
    barrier: b.value,
    test: b.test,
    lkmm: b.lkmm,
    source: b.source ?? `tools/memory-model/litmus-tests/${b.test}.litmus, "Result: ${b.lkmm}"`,
  })),
);
