// The kernel's documented verdicts for the built-in litmus scenarios (libs/model/catalogue/litmus-*.yaml):
// one row per scenario and BARRIER value. The scenarios themselves are documents; this table is
// what they are checked against (the explorer's memory-models.spec, libs/litmus'
// builtin-expectations.spec), and litmus-expectations.spec keeps its rows and the documents'
// switches, variants and sources in step.

/** What the kernel documents for one litmus test, and where. */
export interface LitmusExpectation {
  readonly scenario: string;
  readonly barrier: string;
  /** the kernel's name of this shape with these barriers (the scenario's named variant, and the file name of its steps' `src`) */
  readonly test: string;
  /** LKMM's verdict: the test's `Result:` line, or, where the tree has no such test, linux-kernel.cat's */
  readonly lkmm: 'Never' | 'Sometimes';
  readonly source: string;
}

/** A test of tools/memory-model/litmus-tests/ (torvalds/linux) and its `Result:` line. */
const inTree = (scenario: string, barrier: string, test: string, lkmm: 'Never' | 'Sometimes'): LitmusExpectation => ({
  scenario,
  barrier,
  test,
  lkmm,
  source: `tools/memory-model/litmus-tests/${test}.litmus, "Result: ${lkmm}"`,
});

/** Every litmus scenario and barrier, with the kernel's documented verdict, in catalogue order. */
export const LITMUS_EXPECTATIONS: readonly LitmusExpectation[] = [
  inTree('litmus-mp', 'wmb+rmb', 'MP+fencewmbonceonce+fencermbonceonce', 'Never'),
  inTree('litmus-mp', 'rel+acq', 'MP+pooncerelease+poacquireonce', 'Never'),
  {
    scenario: 'litmus-mp',
    barrier: 'wmb',
    test: 'MP+fencewmbonceonce+poonceonces',
    lkmm: 'Sometimes',
    source: 'linux-kernel.cat (no such test in the tree): the reads are not ordered',
  },
  {
    scenario: 'litmus-mp',
    barrier: 'rmb',
    test: 'MP+poonceonces+fencermbonceonce',
    lkmm: 'Sometimes',
    source: 'linux-kernel.cat (no such test in the tree): the writes are not ordered',
  },
  inTree('litmus-mp', 'none', 'MP+poonceonces', 'Sometimes'),
  inTree('litmus-sb', 'mb', 'SB+fencembonceonces', 'Never'),
  {
    scenario: 'litmus-sb',
    barrier: 'rel+acq',
    test: 'SB+poreleaseonces+poacquireonces',
    lkmm: 'Sometimes',
    source: 'linux-kernel.cat (no such test in the tree); recipes.txt: two from-read links need smp_mb()',
  },
  inTree('litmus-sb', 'none', 'SB+poonceonces', 'Sometimes'),
  inTree('litmus-lb', 'ctrl+mb', 'LB+fencembonceonce+ctrlonceonce', 'Never'),
  inTree('litmus-lb', 'rel+acq', 'LB+poacquireonce+pooncerelease', 'Never'),
  inTree('litmus-lb', 'none', 'LB+poonceonces', 'Sometimes'),
  {
    scenario: 'litmus-2+2w',
    barrier: 'mb',
    test: '2+2W+fencembonceonces',
    lkmm: 'Never',
    source: 'linux-kernel.cat, propagation axiom (two coherence links need strong fences; recipes.txt "rules of thumb")',
  },
  {
    scenario: 'litmus-2+2w',
    barrier: 'wmb',
    test: '2+2W+fencewmbonceonces',
    lkmm: 'Sometimes',
    source:
      "linux-kernel.cat: smp_wmb() is not a strong fence, so the propagation axiom does not forbid the cycle (every real CPU forbids it; the engine's lkmm, like the LKMM, allows it)",
  },
  { scenario: 'litmus-2+2w', barrier: 'none', test: '2+2W+poonceonces', lkmm: 'Sometimes', source: 'linux-kernel.cat' },
];
