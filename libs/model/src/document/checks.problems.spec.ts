// The checks of a built world (checks.ts), each with its field and message: names declared once
// and named right, register kinds of thread arguments and operands, links, control flow that
// cannot end, steps no flow reaches, and symmetry groups that are not one. Written for the
// survivors of the mutation batch `document` (BENCHMARKS.md).
import { describe, expect, it } from 'vitest';
import { DOCUMENT_LIMITS as L } from './limits.js';
import { parseScenarioDocument } from './load.js';
import { checkPaths } from './checks.js';
import { STACK_DEPTH } from '../layout.js';
import { MAX_REGS } from '../program.js';

type Doc = Record<string, unknown>;
type Steps = readonly (readonly [string, string, ...(string | number)[]])[];

const steps = (list: Steps) => list.map(([label, op, ...args]) => ({ label, op, args }));
const LOCK: Steps = [
  ['L1', 'lock_page', 'page'],
  ['L2', 'unlock_page', 'page'],
];

/** Two threads locking one page; `over` replaces top-level fields. */
const doc = (over: Doc = {}): Doc => ({
  name: 'checks',
  title: 'checks',
  pages: [
    { name: 'P', ref: 1, map: 1, mapping: 'anon' },
    { name: 'Q', ref: 0, map: 0, mapping: 'none' },
  ],
  ptls: ['ptl'],
  ptes: [
    { name: 'e0', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P' } },
    { name: 'e1', addr: 32, ptl: 'ptl', init: { kind: 'none' } },
  ],
  vmas: [
    { name: 'v0', start: 16, pgoff: 0 },
    { name: 'v1', start: 32, pgoff: 0 },
  ],
  threads: [
    { name: 'a', path: 'locker', args: { page: 'P' } },
    { name: 'b', path: 'locker', args: { page: 'P' } },
  ],
  paths: { locker: { title: 'lock', regs: { page: 'page', pte: 'pte', vma: 'vma', n: 'int' }, steps: steps(LOCK) } },
  invariants: ['deadlock'],
  symmetry: [],
  ...over,
});
const problems = (d: Doc): string[] => {
  const r = parseScenarioDocument(d);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
};
const warnings = (d: Doc): string[] => parseScenarioDocument(d).warnings.map((p) => `${p.path}: ${p.message}`);
const withPath = (s: Steps, regs: Record<string, string> = { page: 'page', n: 'int' }) => doc({ paths: { locker: { title: 'lock', regs, steps: steps(s) } } });

describe('names', () => {
  it('pages, VMAs, PTEs, PTLs and threads are named once', () => {
    const d = doc();
    expect(
      problems({
        ...d,
        pages: [...(d.pages as Doc[]), { name: 'P', ref: 0, map: 0, mapping: 'none' }],
        vmas: [...(d.vmas as Doc[]), { name: 'v1', start: 64, pgoff: 0 }],
        ptes: [...(d.ptes as Doc[]), { name: 'e0', addr: 64, ptl: 'ptl', init: { kind: 'none' } }],
        ptls: ['ptl', 'ptl'],
        threads: [...(d.threads as Doc[]), { name: 'a', path: 'locker', args: { page: 'Q' } }],
      }),
    ).toEqual([
      "pages[2].name: two pages named 'P'",
      "vmas[2].name: two VMAs named 'v1'",
      "ptes[2].name: two PTEs named 'e0'",
      "ptls[1].name: two PTLs named 'ptl'",
      "threads[2].name: two threads named 'a'",
    ]);
  });

  it('what pages and PTEs name exists; counts are not negative', () => {
    expect(
      problems(
        doc({
          pages: [
            { name: 'P', ref: 1, map: 1, mapping: 'anon', head: 'Q', owner: 'a' },
            { name: 'Q', ref: 0, map: 0, mapping: 'none', head: 'R', owner: 'c' },
            { name: 'S', ref: -1, map: 0, mapping: 'none' },
            { name: 'T', ref: 0, map: -1, mapping: 'none' },
          ],
        }),
      ),
    ).toEqual([
      "pages[1].head: no page 'R'; did you mean 'P' or 'Q' or 'S'?",
      "pages[1].owner: no thread 'c'; did you mean 'a' or 'b'?",
      'pages[2]: refcount and mapcount cannot be negative',
      'pages[3]: refcount and mapcount cannot be negative',
    ]);
    expect(
      problems(
        doc({
          ptes: [
            { name: 'e0', addr: 16, ptl: 'pt', init: { kind: 'present', page: 'P' } },
            { name: 'e1', addr: 32, ptl: 'ptl', init: { kind: 'migration' } },
            { name: 'e2', addr: 48, ptl: 'ptl', init: { kind: 'present', page: 'R' } },
            { name: 'e3', addr: 64, ptl: 'ptl', init: { kind: 'none', page: 'R' } },
          ],
        }),
      ),
    ).toEqual([
      "ptes[0].ptl: no PTL 'pt'; did you mean 'ptl'? (declare it under ptls)",
      'ptes[1].init.page: a migration entry names a page',
      "ptes[2].init.page: no page 'R'; did you mean 'P' or 'Q'?",
    ]);
  });

  it('at most 30 VMAs', () => {
    const vmas = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `v${i}`, start: 16 * (i + 1), pgoff: 0 }));
    expect(problems(doc({ vmas: vmas(30) }))).toEqual([]);
    expect(problems(doc({ vmas: vmas(31) }))).toEqual(['vmas: at most 30 VMAs (the rmap walk keeps its visited set in one register)']);
  });
});

describe('threads', () => {
  it('a path of the world, registers of its path, TLB entries that are PTEs; a repeated thread names its document item', () => {
    expect(
      problems(
        doc({
          threads: [
            { name: 'a', path: 'lockr', args: {} },
            { name: 'r${i}', path: 'nope', args: {}, repeat: { as: 'i', count: 2 } },
            { name: 'b', path: 'locker', args: { pag: 'P', page: 'P' }, tlb: ['e0', 'e9'] },
          ],
        }),
      ),
    ).toEqual([
      "threads[0].path: no path 'lockr'; did you mean 'locker'? (paths: locker)",
      // the two threads of item 1 have one problem (the loader lists a problem once)
      "threads[1].path: no path 'nope' (paths: locker)",
      "threads[2].args.pag: path 'locker' has no register 'pag'; did you mean 'page'?",
      "threads[2].tlb[1]: no PTE 'e9'; did you mean 'e0' or 'e1'?",
    ]);
  });

  it('the paths a missing one could have been: all of them, or none', () => {
    const two = doc({ paths: { locker: (doc().paths as Record<string, Doc>).locker, other: { regs: {}, steps: [{ label: 'O', op: 'nop', args: [] }] } } });
    expect(problems({ ...two, threads: [{ name: 'a', path: 'x', args: {} }] })).toEqual(["threads[0].path: no path 'x' (paths: locker, other)"]);
    expect(problems(doc({ paths: {}, threads: [{ name: 'a', path: 'x', args: {} }] }))).toEqual(["threads[0].path: no path 'x' (paths: none)"]);
  });

  it('an object register takes the name of an object of its kind (or -1), an integer register a number', () => {
    const args = (a: Doc) => problems(doc({ threads: [{ name: 'a', path: 'locker', args: a }] }));
    expect(args({ page: 'P', pte: 'e0', vma: 'v0', n: 3 })).toEqual([]);
    expect(args({ page: -1, pte: -1, vma: -1 })).toEqual([]);
    expect(args({ page: 5, pte: 0, vma: -2, n: 'x' })).toEqual([
      'threads[0].args.page: a page register takes the name of a page, got 5',
      'threads[0].args.pte: a pte register takes the name of a PTE, got 0',
      'threads[0].args.vma: a vma register takes the name of a VMA, got -2',
      'threads[0].args.n: a int register takes an integer, got "x"',
    ]);
    expect(args({ page: 'e0', pte: 'v0', vma: 'P' })).toEqual([
      "threads[0].args.page: 'e0' is a PTE, but this is a page register",
      "threads[0].args.pte: 'v0' is a VMA, but this is a pte register",
      "threads[0].args.vma: 'P' is a page, but this is a vma register",
    ]);
    expect(args({ page: 'R', pte: 'e7', vma: 'v' })).toEqual([
      "threads[0].args.page: no page 'R'; did you mean 'P' or 'Q'?",
      "threads[0].args.pte: no PTE 'e7'; did you mean 'e0' or 'e1'?",
      "threads[0].args.vma: no VMA 'v'; did you mean 'v0' or 'v1'?",
    ]);
  });
});

describe('paths', () => {
  it("a read-modify-write's kind and ordering are ones it has (a document names any immediates)", () => {
    const rmw = (kind: number, ordering: number) =>
      checkPaths(
        {
          p: {
            name: 'p',
            title: 'p',
            regs: [{ name: 'r', type: 'int' as const }],
            steps: [{ label: 'S1', op: 'rmw_var' as const, args: ['r', 0, 'r', 'r', kind, ordering], src: { file: 'x.c', fn: 'x', version: 'v6.6' } }],
          },
        },
        (_, i) => `p[${i}]`,
      ).problems.map((q) => q.path);
    expect(rmw(1, 0)).toEqual([]);
    expect(rmw(2 + 8, 3)).toEqual([]);
    expect(rmw(3, 0)).toEqual(['p[0].args']);
    expect(rmw(0, 4)).toEqual(['p[0].args']);
    expect(rmw(0 + 4, 0)).toEqual(['p[0].args']);
  });

  it(`at most ${MAX_REGS} registers; links with a "did you mean"`, () => {
    const regs = Object.fromEntries(Array.from({ length: MAX_REGS + 1 }, (_, i) => [`r${i}`, 'int']));
    // the document's shape refuses them first; checkPaths also checks the paths a variant makes
    expect(problems(withPath([['S1', 'nop']], regs))).toEqual([`paths.locker.regs: at most ${MAX_REGS} entries, got ${MAX_REGS + 1}`]);
    const def = (n: number) => ({
      name: 'p',
      title: 'p',
      regs: Object.entries(regs)
        .slice(0, n)
        .map(([name]) => ({ name, type: 'int' as const })),
      steps: [],
    });
    expect(checkPaths({ p: def(MAX_REGS + 1) }, () => 'x').problems).toEqual([{ path: 'paths.p.regs', message: `at most ${MAX_REGS} registers` }]);
    expect(checkPaths({ p: def(MAX_REGS) }, () => 'x').problems).toEqual([]);
    expect(problems(withPath([['S1', 'nop']], Object.fromEntries(Object.entries(regs).slice(1))))).toEqual([
      "threads[0].args.page: path 'locker' has no register 'page'",
      "threads[1].args.page: path 'locker' has no register 'page'",
    ]);
    expect(problems(withPath([...LOCK, ['L3', 'jmp', 'L5']]))).toEqual([
      "paths.locker.steps[2].args[0]: 'L5' is not a label of this path; did you mean 'L1' or 'L2' or 'L3'?",
    ]);
    expect(problems(withPath([['L1', 'lock_page', 'pag'], LOCK[1]]))).toEqual([
      "paths.locker.steps[0].args[0]: 'pag' is not a reg of this path; did you mean 'page'?",
    ]);
    expect(problems(withPath([['L1', 'mov', 'n', 'x'], ...LOCK.slice(1)]))).toEqual(["paths.locker.steps[0].args[1]: 'x' is not a integer of this path"]);
    expect(problems(withPath([['L1', 'lock_page', 'page', 3], LOCK[1]]))).toEqual(['paths.locker.steps[0].args: lock_page takes 1 arguments, got 2']);
  });

  it('a link error past step 9 names the document step it came from', () => {
    // steps 0-10 come from item 0 (a repeat), step 11 from item 1
    const d = doc({
      paths: {
        locker: {
          regs: { page: 'page' },
          steps: [
            { label: 'n${i}', op: 'nop', args: [], repeat: { as: 'i', count: 11 } },
            { label: 'J', op: 'jmp', args: ['nowhere'] },
          ],
        },
      },
      threads: [{ name: 'a', path: 'locker', args: { page: 'P' } }],
    });
    expect(problems(d)).toEqual(["paths.locker.steps[1].args[0]: 'nowhere' is not a label of this path"]);
  });

  it(`at most ${L.steps} steps in all paths`, () => {
    const nops = (n: number, tag: string) => ({
      title: tag,
      regs: { page: 'page' },
      steps: Array.from({ length: n }, (_, i) => ({ label: `${tag}${i}`, op: 'nop', args: [] })),
    });
    const paths = (last: number) => ({
      locker: { title: 'lock', regs: { page: 'page' }, steps: steps(LOCK) },
      p1: nops(1000, 'a'),
      p2: nops(1000, 'b'),
      p3: nops(1000, 'c'),
      p4: nops(last, 'd'),
    });
    expect(problems(doc({ paths: paths(1000 - LOCK.length) }))).toEqual([]);
    expect(problems(doc({ paths: paths(1001 - LOCK.length) }))).toEqual([`paths: at most ${L.steps} steps in all paths, got ${L.steps + 1}`]);
  });

  it('operands whose kind the op declares take registers of that kind', () => {
    expect(problems(withPath([['L1', 'lock_page', 'pte'], LOCK[1]], { page: 'page', pte: 'pte' }))).toEqual([
      "paths.locker.steps[0].args[0]: lock_page's operand 'page' is a page register; 'pte' is a pte register",
    ]);
  });

  it('a label or an integer operand is never taken for a register of the same name', () => {
    // the label `n` and the register `n` (an int) are different things
    expect(
      problems(
        withPath([
          ['L1', 'lock_page', 'page'],
          ['B', 'beq', 'n', 0, 'n'],
          ['n', 'unlock_page', 'page'],
        ]),
      ),
    ).toEqual([]);
    // a register named `0` (a patched path's names are not those of a document) and the integer 0
    const src = { file: 'f', fn: 'f', version: '-' };
    const p = {
      name: 'p',
      title: 'p',
      regs: [
        { name: '0', type: 'page' as const },
        { name: 'n', type: 'int' as const },
      ],
      steps: [
        { label: 'L1', op: 'lock_page' as const, args: ['0'], src },
        { label: 'B', op: 'beq' as const, args: ['n', 0, 'L1'], src },
      ],
    };
    expect(checkPaths({ p }, (_, i) => `p[${i}]`).problems).toEqual([]);
  });
});

describe('control flow', () => {
  it('a loop of local steps is refused; one through an atomic step is not', () => {
    expect(
      problems(
        withPath([
          ['L1', 'lock_page', 'page'],
          ['S1', 'add', 'n', 1],
          ['S2', 'jmp', 'S1'],
        ]),
      ),
    ).toEqual([
      "paths.locker.steps[1]: a loop of local steps through 'S1' never reaches an atomic step: the thread could never be scheduled out (put an atomic step in the loop)",
    ]);
    expect(
      problems(
        withPath([
          ['L1', 'lock_page', 'page'],
          ['L2', 'unlock_page', 'page'],
          ['S2', 'jmp', 'L1'],
        ]),
      ),
    ).toEqual([]);
    // a local loop no flow reaches is only unreachable
    const unreached = withPath([
      ['L1', 'lock_page', 'page'],
      ['L2', 'unlock_page', 'page'],
      ['E', 'jmp', 'END'],
      ['S1', 'add', 'n', 1],
      ['S2', 'jmp', 'S1'],
      ['END', 'nop'],
    ]);
    expect(problems(unreached)).toEqual([]);
    // of two loops, the first in step order is named (the search starts at local steps, not at
    // the atomic rmap_next whose branch reaches the second loop first)
    const loops = withPath(
      [
        ['W', 'rmap_next', 'page', 'seen', 'vma', 'pte', 'T', 0],
        ['V', 'unlock_page', 'page'],
        ['S1', 'add', 'n', 1],
        ['S2', 'jmp', 'S1'],
        ['T', 'add', 'n', 1],
        ['T2', 'jmp', 'T'],
      ],
      { page: 'page', seen: 'vmaset', vma: 'vma', pte: 'pte', n: 'int' },
    );
    expect(problems(loops)).toEqual([
      "paths.locker.steps[2]: a loop of local steps through 'S1' never reaches an atomic step: the thread could never be scheduled out (put an atomic step in the loop)",
    ]);
    expect(warnings(unreached)).toEqual(["paths.locker.steps[3]: step 'S1' is unreachable", "paths.locker.steps[4]: step 'S2' is unreachable"]);
  });

  it("`flow: false` (a variant's patched paths) leaves control flow to the run's own check", () => {
    const src = { file: 'f', fn: 'f', version: '-' };
    const loop = {
      name: 'p',
      title: 'p',
      regs: [{ name: 'n', type: 'int' as const }],
      steps: [
        { label: 'S1', op: 'add' as const, args: ['n', 1], src },
        { label: 'S2', op: 'jmp' as const, args: ['S1'], src },
      ],
    };
    expect(checkPaths({ p: loop }, (_, i) => `p[${i}]`).problems.map((p) => p.path)).toEqual(['p[0]']);
    expect(checkPaths({ p: loop }, (_, i) => `p[${i}]`, { flow: true }).problems.map((p) => p.path)).toEqual(['p[0]']);
    expect(checkPaths({ p: loop }, (_, i) => `p[${i}]`, { flow: false })).toEqual({ problems: [], warnings: [] });
  });

  it(`calls nest at most ${STACK_DEPTH} deep, never recursively; a ret needs a call`, () => {
    // a chain of subroutines f0 -> f1 -> ... each with an atomic step, after the main body
    const chain = (depth: number): Steps => [
      ['M', 'call', 'f0'],
      ['END', 'jmp', 'OUT'],
      ...Array.from({ length: depth }, (_, k): Steps => [
        [`f${k}`, 'lock_page', 'page'],
        ...(k + 1 < depth ? ([[`c${k}`, 'call', `f${k + 1}`]] as Steps) : []),
        [`u${k}`, 'unlock_page', 'page'],
        [`r${k}`, 'ret'],
      ]).flat(),
      ['OUT', 'nop'],
    ];
    expect(problems(withPath(chain(STACK_DEPTH)))).toEqual([]);
    // a call goes on after it returns, a branch both ways: no step is unreachable
    expect(warnings(withPath(chain(STACK_DEPTH)))).toEqual([]);
    expect(
      warnings(
        withPath([
          ['L1', 'lock_page', 'page'],
          ['B', 'beq', 'n', 0, 'L3'],
          ['L2', 'unlock_page', 'page'],
          ['L3', 'nop'],
        ]),
      ),
    ).toEqual([]);
    // a step reached only by a branch (its label the third operand, not the first)
    expect(
      warnings(
        withPath([
          ['L1', 'lock_page', 'page'],
          ['B', 'beq', 'n', 0, 'T'],
          ['J', 'jmp', 'OUT'],
          ['T', 'unlock_page', 'page'],
          ['OUT', 'nop'],
        ]),
      ),
    ).toEqual([]);
    // after a ret or the end nothing follows: a step there is reached only by a jump
    expect(
      warnings(
        withPath([
          ['M', 'call', 'F'],
          ['J', 'jmp', 'OUT'],
          ['F', 'lock_page', 'page'],
          ['R', 'ret'],
          ['X', 'nop'],
          ['OUT', 'nop'],
        ]),
      ),
    ).toEqual(["paths.locker.steps[4]: step 'X' is unreachable"]);
    expect(
      warnings(
        withPath([
          ['L1', 'lock_page', 'page'],
          ['D', 'done'],
          ['X', 'unlock_page', 'page'],
        ]),
      ),
    ).toEqual(["paths.locker.steps[2]: step 'X' is unreachable"]);
    expect(problems(withPath(chain(STACK_DEPTH + 1)))).toEqual([
      `paths.locker.steps[0]: calls nest ${STACK_DEPTH + 1} deep; the call stack holds ${STACK_DEPTH}`,
    ]);
    expect(
      problems(
        withPath([
          ['M', 'call', 'F'],
          ['END', 'jmp', 'OUT'],
          ['F', 'lock_page', 'page'],
          ['C', 'call', 'F'],
          ['R', 'ret'],
          ['OUT', 'nop'],
        ]),
      ),
    ).toEqual(['paths.locker.steps[0]: a recursive call: the call stack would overflow']);
    expect(
      problems(
        withPath([
          ['L1', 'lock_page', 'page'],
          ['R', 'ret'],
        ]),
      ),
    ).toEqual(["paths.locker.steps[1]: 'R' returns without a call (it is reached from the start of the path, not only from a call)"]);
    // the same ret reached only from its call is fine
    expect(
      problems(
        withPath([
          ['M', 'call', 'F'],
          ['END', 'jmp', 'OUT'],
          ['F', 'lock_page', 'page'],
          ['R', 'ret'],
          ['OUT', 'nop'],
        ]),
      ),
    ).toEqual([]);
  });
});

describe('the control-flow checks take time linear in the steps', () => {
  it('visits each step once: 24 local branches whose two ways meet again check at once', () => {
    // B_i branches to C_i or falls through A_i into C_i: 2^24 ways through, 72 steps
    const diamonds = Array.from({ length: 24 }, (_, i): Steps => [
      [`B${i}`, 'beq', 'n', 0, `C${i}`],
      [`A${i}`, 'nop'],
      [`C${i}`, 'nop'],
    ]).flat();
    const started = performance.now();
    expect(problems(withPath([['L1', 'lock_page', 'page'], ...diamonds, ['L2', 'unlock_page', 'page']]))).toEqual([]);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('measures the depth of each subroutine once: 14 subroutines, each calling the next twice', () => {
    const depth = 14;
    const subs = Array.from({ length: depth }, (_, k): Steps => [
      [`f${k}`, 'lock_page', 'page'],
      ...(k + 1 < depth
        ? ([
            [`c${k}`, 'call', `f${k + 1}`],
            [`d${k}`, 'call', `f${k + 1}`],
          ] as Steps)
        : []),
      [`u${k}`, 'unlock_page', 'page'],
      [`r${k}`, 'ret'],
    ]).flat();
    const started = performance.now();
    expect(problems(withPath([['M', 'call', 'f0'], ['END', 'jmp', 'OUT'], ...subs, ['OUT', 'nop']]))).toEqual([
      `paths.locker.steps[0]: calls nest ${depth} deep; the call stack holds ${STACK_DEPTH}`,
    ]);
    expect(performance.now() - started).toBeLessThan(2000);
  });
});

describe('symmetry groups', () => {
  const group = (g: Doc, over: Doc = {}) => problems(doc({ symmetry: [g], ...over }));

  it('lists of one length, of names that exist, threads no other thread starts after', () => {
    expect(group({ threads: ['a', 'b'], ptes: ['e0'] })).toEqual(['symmetry[0]: every non-empty list of a group has one member per tuple: the lengths differ']);
    expect(group({ threads: ['a', 'c'], ptes: ['e0', 'e2'], vmas: ['v0', 'v2'], pages: ['P', 'R'] })).toEqual([
      "symmetry[0].threads[1]: no thread 'c'; did you mean 'a' or 'b'?",
      "symmetry[0].ptes[1]: no pte 'e2'; did you mean 'e0' or 'e1'?",
      "symmetry[0].vmas[1]: no vma 'v2'; did you mean 'v0' or 'v1'?",
      "symmetry[0].pages[1]: no page 'R'; did you mean 'P' or 'Q'?",
      expect.stringMatching(/^symmetry\[0\]: tuple 0 and tuple 1 are not identical up to renaming/),
    ]);
    const waits = doc();
    (waits.threads as Doc[])[1] = { name: 'b', path: 'locker', args: { page: 'P' }, start: { after: 'a' } };
    expect(problems({ ...waits, symmetry: [{ threads: ['a', 'b'] }] })).toEqual([
      "symmetry[0].threads[0]: thread 'a' is one another thread starts after: it cannot be renamed",
      // b's path starts with its wait: a's does not
      "symmetry[0]: tuple 0 and tuple 1 are not identical up to renaming: thread 'a' and 'b' differ (path, arguments or TLB)",
    ]);
  });

  it('tuple 0 and each other tuple must be alike under renaming: threads, PTEs, VMAs, pages', () => {
    const diff = (what: string) => `symmetry[0]: tuple 0 and tuple 1 are not identical up to renaming: ${what}`;
    expect(group({ threads: ['a', 'b'] })).toEqual([]);
    expect(
      group(
        { threads: ['a', 'b'] },
        {
          threads: [
            { name: 'a', path: 'locker', args: { page: 'P' } },
            { name: 'b', path: 'locker', args: { page: 'Q' } },
          ],
        },
      ),
    ).toEqual([diff("thread 'a' and 'b' differ (path, arguments or TLB)")]);
    const tlb = [
      { name: 'a', path: 'locker', args: { page: 'P' }, tlb: ['e0'] },
      { name: 'b', path: 'locker', args: { page: 'P' } },
    ];
    expect(group({ threads: ['a', 'b'] }, { threads: tlb })).toEqual([diff("thread 'a' and 'b' differ (path, arguments or TLB)")]);
    const pteThreads = [
      { name: 'a', path: 'locker', args: { pte: 'e0' } },
      { name: 'b', path: 'locker', args: { pte: 'e1' } },
    ];
    // e0 maps P, e1 is none
    expect(group({ threads: ['a', 'b'], ptes: ['e0', 'e1'] }, { threads: pteThreads })).toEqual([
      diff("PTE 'e0' and 'e1' differ (PTL, initial entry or address within its VMA)"),
    ]);
    const twoPtes = (e1: Doc, v1: Doc = {}) => ({
      threads: pteThreads,
      ptes: [
        { name: 'e0', addr: 16, ptl: 'ptl', init: { kind: 'none' } },
        { name: 'e1', addr: 32, ptl: 'ptl', init: { kind: 'none' }, ...e1 },
      ],
      vmas: [
        { name: 'v0', start: 16, pgoff: 0 },
        { name: 'v1', start: 32, pgoff: 0, ...v1 },
      ],
    });
    const tuple = { threads: ['a', 'b'], ptes: ['e0', 'e1'], vmas: ['v0', 'v1'] };
    expect(group(tuple, twoPtes({}))).toEqual([]);
    // the address counts within the tuple's VMA: e1 at 48 in a VMA from 48 is alike
    expect(group(tuple, twoPtes({ addr: 48 }, { start: 48 }))).toEqual([]);
    expect(group(tuple, twoPtes({ addr: 48 }))).toEqual([diff("PTE 'e0' and 'e1' differ (PTL, initial entry or address within its VMA)")]);
    expect(group(tuple, { ...twoPtes({ ptl: 'ptl2' }), ptls: ['ptl', 'ptl2'] })).toEqual([
      diff("PTE 'e0' and 'e1' differ (PTL, initial entry or address within its VMA)"),
    ]);
    for (const v1 of [{ pgoff: 1 }, { tempStack: true }, { nonlinear: true }, { unlinked: true }])
      expect(group(tuple, twoPtes({}, v1)), JSON.stringify(v1)).toEqual([diff("VMA 'v0' and 'v1' differ")]);
  });

  it('pages: counts, mapping, flags, index, head and owner, renamed', () => {
    const diff = "symmetry[0]: tuple 0 and tuple 1 are not identical up to renaming: page 'P' and 'Q' differ";
    const threads = [
      { name: 'a', path: 'locker', args: { page: 'P' } },
      { name: 'b', path: 'locker', args: { page: 'Q' } },
    ];
    const pages = (q: Doc, p: Doc = {}) => ({
      threads,
      pages: [
        { name: 'P', ref: 1, map: 0, mapping: 'anon', ...p },
        { name: 'Q', ref: 1, map: 0, mapping: 'anon', ...q },
        { name: 'H', ref: 1, map: 0, mapping: 'anon' },
      ],
      ptes: [],
    });
    const tuple = { threads: ['a', 'b'], pages: ['P', 'Q'] };
    expect(problems(doc({ ...pages({}), symmetry: [tuple] }))).toEqual([]);
    for (const q of [{ ref: 2 }, { map: 1 }, { mapping: 'file' }, { locked: true }, { free: true }, { index: 1 }, { head: 'H' }, { owner: 'b' }])
      expect(problems(doc({ ...pages(q), symmetry: [tuple] })), JSON.stringify(q)).toEqual([diff]);
    // flags absent and false are alike; index absent is 0; head and owner are renamed with the tuple
    expect(problems(doc({ ...pages({ locked: false, free: false, index: 0 }), symmetry: [tuple] }))).toEqual([]);
    expect(problems(doc({ ...pages({ owner: 'b' }, { owner: 'a' }), symmetry: [tuple] }))).toEqual([]);
    expect(problems(doc({ ...pages({ head: 'H' }, { head: 'H' }), symmetry: [tuple] }))).toEqual([]);
  });

  it('a thread another starts after reaching a label is awaited too; a step whose first operand is a number awaits nothing', () => {
    const waits = doc();
    (waits.threads as Doc[])[1] = { name: 'b', path: 'locker', args: { page: 'P' }, start: { after: 'a', label: 'L2' } };
    expect(problems({ ...waits, symmetry: [{ threads: ['a', 'b'] }] })).toEqual([
      "symmetry[0].threads[0]: thread 'a' is one another thread starts after: it cannot be renamed",
      "symmetry[0]: tuple 0 and tuple 1 are not identical up to renaming: thread 'a' and 'b' differ (path, arguments or TLB)",
    ]);
    // `fence 1` names no thread, though thread 1 is b
    const fenced = withPath([['F', 'fence', 1], ...LOCK]);
    expect(problems({ ...fenced, symmetry: [{ threads: ['a', 'b'] }] })).toEqual([]);
  });

  it('TLB lists are compared as sets; a PTE initial entry is renamed with its page; an initial entry alone differs', () => {
    const diff = (what: string) => `symmetry[0]: tuple 0 and tuple 1 are not identical up to renaming: ${what}`;
    const ptes = [
      { name: 'e0', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P' } },
      { name: 'e1', addr: 32, ptl: 'ptl', init: { kind: 'present', page: 'Q' } },
      { name: 'z', addr: 48, ptl: 'ptl', init: { kind: 'none' } },
    ];
    const vmas = [
      { name: 'v0', start: 16, pgoff: 0 },
      { name: 'v1', start: 32, pgoff: 0 },
      { name: 'v2', start: 48, pgoff: 0 },
    ];
    const pages = [
      { name: 'P', ref: 1, map: 1, mapping: 'anon' },
      { name: 'Q', ref: 1, map: 1, mapping: 'anon' },
    ];
    // a's TLB in one order, b's in the other: alike once renamed
    const threads = [
      { name: 'a', path: 'locker', args: { page: 'P' }, tlb: ['z', 'e0'] },
      { name: 'b', path: 'locker', args: { page: 'Q' }, tlb: ['z', 'e1'] },
    ];
    const tuple = { threads: ['a', 'b'], ptes: ['e0', 'e1'], vmas: ['v0', 'v1'], pages: ['P', 'Q'] };
    expect(problems(doc({ threads, ptes, vmas, pages, symmetry: [tuple] }))).toEqual([]);
    const swapped = [threads[0], { ...threads[1], tlb: ['e1', 'z'] }];
    expect(problems(doc({ threads: swapped, ptes, vmas, pages, symmetry: [tuple] }))).toEqual([]);
    // without the pages in the group, e0 (P) and e1 (Q) differ by their initial entry alone
    const samePage = threads.map((t) => ({ ...t, args: { page: 'P' } }));
    expect(problems(doc({ threads: samePage, ptes, vmas, pages, symmetry: [{ ...tuple, pages: [] }] }))).toEqual([
      diff("PTE 'e0' and 'e1' differ (PTL, initial entry or address within its VMA)"),
    ]);
  });

  it('a group that names an unknown PTE, VMA or page is refused without a crash', () => {
    // the threads name nothing of the group, so that the comparison goes on to the PTEs, VMAs, pages
    const threads = [
      { name: 'a', path: 'locker', args: { page: 'Q' } },
      { name: 'b', path: 'locker', args: { page: 'Q' } },
    ];
    const g = { threads: ['a', 'b'], ptes: ['e0', 'ex'], vmas: ['v0', 'vx'], pages: ['P', 'X'] };
    expect(problems(doc({ threads, symmetry: [g] }))).toEqual([
      "symmetry[0].ptes[1]: no pte 'ex'; did you mean 'e0' or 'e1'?",
      "symmetry[0].vmas[1]: no vma 'vx'; did you mean 'v0' or 'v1'?",
      "symmetry[0].pages[1]: no page 'X'; did you mean 'P' or 'Q'?",
    ]);
  });
});
