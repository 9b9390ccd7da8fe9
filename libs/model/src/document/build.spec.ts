// Building a document into a world (build.ts): built-in paths and their parameters and switches,
// default labels and sources of steps, titles by switch, the size limits, start conditions (a
// wait step shared by the threads that start alike, a copy for the others, a label found again),
// symmetry groups with `repeat`, user invariants. Each error with its field. Written for the
// survivors of the mutation batch `document` (BENCHMARKS.md).
import { describe, expect, it } from 'vitest';
import { DOCUMENT_LIMITS as L } from './limits.js';
import { buildDraft, describeUserInvariant, scenarioUserInvariants, START_LABEL, userInvariantsOf } from './build.js';
import { ExpandError } from './expand.js';
import { parseScenarioDocument } from './load.js';
import { findScenario } from '../scenarios/registry.js';
import type { ScenarioDocument } from './types.js';

type Doc = Record<string, unknown>;

const doc = (over: Doc = {}): ScenarioDocument =>
  ({
    name: 'build',
    title: 'build',
    pages: [{ name: 'P', ref: 1, map: 0, mapping: 'anon' }],
    ptls: ['ptl'],
    ptes: [],
    vmas: [],
    threads: [
      { name: 'a', path: 'locker', args: { page: 'P' } },
      { name: 'b', path: 'locker', args: { page: 'P' } },
    ],
    paths: {
      locker: {
        title: 'lock',
        regs: { page: 'page' },
        steps: [
          { label: 'L1', op: 'lock_page', args: ['page'], src: { file: 'mm/filemap.c', fn: 'folio_lock', version: 'v6.6' } },
          { op: 'unlock_page', args: ['page'] },
          { label: 'L3', op: 'nop', args: [], src: { file: 'mm/x.c', fn: 'x', version: 'v1' } },
          { op: 'nop', args: [] },
        ],
      },
    },
    symmetry: [],
    ...over,
  }) as unknown as ScenarioDocument;

const build = (d: ScenarioDocument, params: Record<string, number> = {}, switches: Record<string, string> = {}) => buildDraft(d, { params, switches });
const expandError = (f: () => unknown): string => {
  try {
    f();
  } catch (e) {
    expect(e).toBeInstanceOf(ExpandError);
    return `${(e as ExpandError).path}: ${(e as Error).message}`;
  }
  return expect.unreachable('built');
};

describe('steps', () => {
  it('a step without a label is s<index>; a step without a source has the one before it, the first none', () => {
    const { draft, stepOrigin } = build(doc());
    const steps = draft.paths.locker.steps;
    expect(steps.map((s) => s.label)).toEqual(['L1', 's1', 'L3', 's3']);
    expect(steps.map((s) => s.src.file)).toEqual(['mm/filemap.c', 'mm/filemap.c', 'mm/x.c', 'mm/x.c']);
    const first = build(doc({ paths: { locker: { regs: { page: 'page' }, steps: [{ op: 'nop' }] } } })).draft.paths.locker;
    expect(first.steps).toEqual([{ label: 's0', op: 'nop', args: [], src: { file: '?', fn: '?', version: '?' } }]);
    // no title: the path's name
    expect(first.title).toBe('locker');
    expect(stepOrigin.locker).toEqual([0, 1, 2, 3]);
    expect(draft.paths.locker.regs).toEqual([{ name: 'page', type: 'page' }]);
  });

  it('a title by switch value, else the name; a path whose `when` fails is left out', () => {
    const d = doc({
      paths: {
        locker: {
          title: [
            { text: 'one', when: { S: 'one' } },
            { text: 'two', when: { S: 'two' } },
          ],
          regs: {},
          steps: [{ op: 'nop' }],
        },
        other: { when: { S: 'two' }, regs: {}, steps: [{ op: 'nop' }] },
      },
    });
    expect(build(d, {}, { S: 'two' }).draft.paths.locker.title).toBe('two');
    expect(Object.keys(build(d, {}, { S: 'two' }).draft.paths)).toEqual(['locker', 'other']);
    expect(build(d, {}, { S: 'one' }).draft.paths.locker.title).toBe('one');
    expect(Object.keys(build(d, {}, { S: 'one' }).draft.paths)).toEqual(['locker']);
    expect(build(d, {}, { S: 'three' }).draft.paths.locker.title).toBe('locker');
  });

  it(`at most ${L.stepsPerPath} steps a path`, () => {
    // a repeat is at most 256: four items
    const d = (n: number) => doc({ paths: { locker: { regs: {}, steps: Array.from({ length: 4 }, () => ({ op: 'nop', repeat: { as: 'i', count: n } })) } } });
    expect(build(d(250)).draft.paths.locker.steps).toHaveLength(L.stepsPerPath);
    expect(expandError(() => build(d(251)))).toBe(`paths.locker.steps: at most ${L.stepsPerPath} steps, got 1004`);
  });
});

describe('objects and threads', () => {
  it('optional page and VMA fields are copied only when given; integers are checked', () => {
    const d = doc({
      pages: [
        { name: 'P', ref: 1, map: 0, mapping: 'anon' },
        { name: 'Q', ref: 0, map: 0, mapping: 'file', locked: false, head: 'P', index: '${1 + 1}', free: true, owner: 'a' },
      ],
      vmas: [
        { name: 'v0', start: 16, pgoff: 0 },
        { name: 'v1', start: 32, pgoff: 1, tempStack: false, nonlinear: true, unlinked: false },
      ],
      ptes: [{ name: 'e0', addr: 16, ptl: 'ptl', init: { kind: 'none' } }],
      ptls: ['ptl', { name: 'ptl2' }],
    });
    const w = build(d).draft;
    expect(w.pages).toStrictEqual([
      { name: 'P', ref: 1, map: 0, mapping: 'anon' },
      { name: 'Q', ref: 0, map: 0, mapping: 'file', locked: false, head: 'P', index: 2, free: true, owner: 'a' },
    ]);
    expect(w.vmas).toStrictEqual([
      { name: 'v0', start: 16, pgoff: 0 },
      { name: 'v1', start: 32, pgoff: 1, tempStack: false, nonlinear: true, unlinked: false },
    ]);
    expect(w.ptes).toEqual([{ name: 'e0', addr: 16, ptl: 'ptl', init: { kind: 'none' } }]);
    expect(w.ptls).toEqual(['ptl', 'ptl2']);
    expect(expandError(() => build(doc({ pages: [{ name: 'P', ref: 'x', map: 0, mapping: 'anon' }] })))).toBe('pages[0].ref: must be an integer, got "x"');
    expect(expandError(() => build(doc({ pages: [{ name: 'P', ref: 0, map: 0.5, mapping: 'anon' }] })))).toBe('pages[0].map: must be an integer, got 0.5');
    expect(expandError(() => build(doc({ vmas: [{ name: 'v', start: 0, pgoff: '${2 ** 3}' }] })))).toMatch(/^vmas\[0\]\.pgoff: /);
    expect(expandError(() => build(doc({ ptes: [{ name: 'e', addr: null, ptl: 'ptl', init: { kind: 'none' } }] })))).toBe(
      'ptes[0].addr: must be an integer, got null',
    );
    expect(expandError(() => build(doc({ pages: [{ name: 'P', ref: 0, map: 0, mapping: 'anon', index: true }] })))).toBe(
      'pages[0].index: must be an integer, got true',
    );
    expect(expandError(() => build(doc({ vmas: [{ name: 'v', start: 's', pgoff: 0 }] })))).toBe('vmas[0].start: must be an integer, got "s"');
    expect(expandError(() => build(doc({ vmas: [{ name: 'v', start: 0, pgoff: 'p' }] })))).toBe('vmas[0].pgoff: must be an integer, got "p"');
    // an expression's error names the item of its list
    const bad = '${1 / 0}';
    expect(expandError(() => build(doc({ ptes: [{ name: 'e', addr: bad, ptl: 'ptl', init: { kind: 'none' } }] })))).toBe(
      "ptes[0].addr: division by zero in '1 / 0'",
    );
    expect(expandError(() => build(doc({ ptls: ['ptl', { name: `l${bad}` }] })))).toBe("ptls[1].name: division by zero in '1 / 0'");
    expect(expandError(() => build(doc({ threads: [{ name: `t${bad}`, path: 'locker', args: {} }] })))).toBe("threads[0].name: division by zero in '1 / 0'");
  });

  it(`at most ${L.objects} objects together and ${L.threads} threads`, () => {
    const pages = (n: number) => [{ name: 'P${i}', ref: 0, map: 0, mapping: 'none', repeat: { as: 'i', count: n } }];
    // 1 PTL besides
    expect(build(doc({ pages: [...pages(255)], threads: [] })).draft.pages).toHaveLength(255);
    expect(expandError(() => build(doc({ pages: [...pages(255), { name: 'X', ref: 0, map: 0, mapping: 'none' }], threads: [] })))).toBe(
      `(root): at most ${L.objects} pages, VMAs, PTEs and PTLs together, got 257`,
    );
    const threads = (n: number) => [{ name: 't${i}', path: 'locker', args: { page: 'P' }, repeat: { as: 'i', count: n } }];
    expect(build(doc({ threads: threads(L.threads) })).draft.threads).toHaveLength(L.threads);
    expect(expandError(() => build(doc({ threads: threads(L.threads + 1) })))).toBe(`threads: at most ${L.threads} threads, got ${L.threads + 1}`);
    // every kind counts: 100 pages, 100 VMAs, 56 PTEs and the PTL
    const many = (n: number, f: (i: number) => Doc) => Array.from({ length: n }, (_, i) => f(i));
    const mixed = (ptes: number) =>
      doc({
        threads: [],
        pages: many(100, (i) => ({ name: `P${i}`, ref: 0, map: 0, mapping: 'none' })),
        vmas: many(100, (i) => ({ name: `v${i}`, start: 16 * (i + 1), pgoff: 0 })),
        ptes: many(ptes, (i) => ({ name: `e${i}`, addr: 16 * (i + 1), ptl: 'ptl', init: { kind: 'none' } })),
      });
    expect(build(mixed(55)).draft.ptes).toHaveLength(55);
    expect(expandError(() => build(mixed(56)))).toBe(`(root): at most ${L.objects} pages, VMAs, PTEs and PTLs together, got 257`);
  });

  it('thread arguments and TLBs are copied; the origin of each thread is its document item', () => {
    const d = doc({
      threads: [
        { name: 'a', path: 'locker', args: { page: 'P' }, tlb: ['e0'] },
        { name: 'r${i}', path: 'locker', args: { page: 'P' }, repeat: { as: 'i', count: 2 } },
      ],
    });
    const b = build(d);
    expect(b.draft.threads).toEqual([
      { name: 'a', path: 'locker', args: { page: 'P' }, tlb: ['e0'] },
      { name: 'r0', path: 'locker', args: { page: 'P' } },
      { name: 'r1', path: 'locker', args: { page: 'P' } },
    ]);
    expect(b.threadOrigin).toEqual([0, 1, 1]);
  });
});

describe('built-in paths', () => {
  const builtin = (b: Doc) => doc({ paths: { locker: { builtin: b } } });

  it("a path of a built-in scenario at its defaults or the parameters and switches given, named as the document's", () => {
    const seed = findScenario('seed')!;
    const want = seed.build({ params: { ptes: 1, faults: 1, rounds: 1, accesses: 0, passes: 10 }, switches: { WAIT: 'post', MIG: 'v5', MUTANT: 'none' } }).paths
      .migrate_pages;
    const b = build(builtin({ scenario: 'seed', path: 'migrate_pages' }));
    expect(b.draft.paths.locker).toEqual({ ...want, name: 'locker' });
    expect(b.stepOrigin.locker).toEqual(want.steps.map(() => -1));
    const v6 = seed.build({ params: { ptes: 1, faults: 1, rounds: 1, accesses: 0, passes: 3 }, switches: { WAIT: 'post', MIG: 'v6batch', MUTANT: 'none' } })
      .paths.migrate_pages;
    expect(
      build(builtin({ scenario: 'seed', path: 'migrate_pages', params: { passes: '${n}' }, switches: { MIG: 'v6batch' } }), { n: 3 }).draft.paths.locker,
    ).toEqual({
      ...v6,
      name: 'locker',
    });
    expect(v6).not.toEqual(want);
  });

  it('names a scenario, parameters within their range, switches and values, and a path it has', () => {
    expect(expandError(() => build(builtin({ scenario: 'sed', path: 'x' })))).toBe("paths.locker.builtin.scenario: no built-in scenario 'sed'");
    expect(expandError(() => build(builtin({ scenario: 'seed', path: 'migrate_pages', params: { pases: 1 } })))).toBe(
      "paths.locker.builtin.params.pases: scenario 'seed' has no parameter 'pases'; did you mean 'passes'?",
    );
    expect(expandError(() => build(builtin({ scenario: 'seed', path: 'migrate_pages', params: { passes: 11 } })))).toBe(
      'paths.locker.builtin.params.passes: must be from 1 to 10',
    );
    expect(expandError(() => build(builtin({ scenario: 'seed', path: 'migrate_pages', params: { passes: 0 } })))).toBe(
      'paths.locker.builtin.params.passes: must be from 1 to 10',
    );
    expect(build(builtin({ scenario: 'seed', path: 'migrate_pages', params: { passes: 10 } })).draft.paths.locker.steps.length).toBeGreaterThan(0);
    expect(build(builtin({ scenario: 'seed', path: 'migrate_pages', params: { passes: 1 } })).draft.paths.locker.steps.length).toBeGreaterThan(0);
    expect(expandError(() => build(builtin({ scenario: 'seed', path: 'migrate_pages', params: { passes: 'x' } })))).toBe(
      'paths.locker.builtin.params.passes: must be an integer, got "x"',
    );
    expect(expandError(() => build(builtin({ scenario: 'seed', path: 'migrate_pages', switches: { MGI: 'v5' } })))).toBe(
      "paths.locker.builtin.switches.MGI: scenario 'seed' has no switch 'MGI'; did you mean 'MIG'?",
    );
    expect(expandError(() => build(builtin({ scenario: 'seed', path: 'migrate_pages', switches: { MIG: 'v7' } })))).toBe(
      "paths.locker.builtin.switches.MIG: 'v7' is not a value of MIG; did you mean 'v5'?: one of v5, v6batch, v6async, reorder",
    );
    expect(expandError(() => build(builtin({ scenario: 'seed', path: 'migrate_page' })))).toBe(
      "paths.locker.builtin.path: scenario 'seed' has no path 'migrate_page'; did you mean 'migrate_pages'? (it has migrate_pages, handle_mm_fault)",
    );
  });
});

describe('start conditions', () => {
  const three = (starts: (Doc | undefined)[]) =>
    doc({
      threads: starts.map((start, i) => ({ name: `t${i}`, path: 'locker', args: { page: 'P' }, ...(start ? { start } : {}) })),
    });

  it('threads that start alike share one path with the wait first; others get a copy of their own', () => {
    const alike = build(three([undefined, { after: 't0' }, { after: 't0' }]));
    // t0 does not start after anyone: the path is shared only when every thread of it starts alike
    expect(alike.draft.threads.map((t) => t.path)).toEqual(['locker', 'locker@t1', 'locker@t2']);
    const shared = build(
      doc({
        threads: [
          { name: 'm', path: 'main', args: {} },
          { name: 'w1', path: 'locker', args: { page: 'P' }, start: { after: 'm' } },
          { name: 'w2', path: 'locker', args: { page: 'P' }, start: { after: 'm' } },
        ],
        paths: {
          ...(doc().paths as Doc),
          main: {
            regs: {},
            steps: [
              { label: 'M1', op: 'nop' },
              { label: 'M2', op: 'nop' },
            ],
          },
        },
      }),
    );
    expect(shared.draft.threads.map((t) => t.path)).toEqual(['main', 'locker', 'locker']);
    const wait = shared.draft.paths.locker.steps[0];
    expect(wait).toEqual({ label: START_LABEL, op: 'wait_thread', args: [0], src: { file: 'mmreplay', fn: 'start after m', version: '-' } });
    expect(shared.draft.paths.locker.steps.slice(1).map((s) => s.label)).toEqual(['L1', 's1', 'L3', 's3']);
    expect(shared.stepOrigin.locker).toEqual([-1, 0, 1, 2, 3]);
    // different conditions on one path: a copy each, named path@thread
    const split = build(
      doc({
        threads: [
          { name: 'm', path: 'main', args: {} },
          { name: 'w1', path: 'locker', args: { page: 'P' }, start: { after: 'm' } },
          { name: 'w2', path: 'locker', args: { page: 'P' }, start: { after: 'm', label: 'M2' } },
        ],
        paths: {
          ...(doc().paths as Doc),
          main: {
            regs: {},
            steps: [
              { label: 'M1', op: 'nop' },
              { label: 'M2', op: 'nop' },
            ],
          },
        },
      }),
    );
    expect(split.draft.threads.map((t) => t.path)).toEqual(['main', 'locker@w1', 'locker@w2']);
    expect(split.draft.paths['locker@w2'].steps[0]).toEqual({
      label: START_LABEL,
      op: 'wait_label',
      args: [0, 1],
      src: { file: 'mmreplay', fn: 'start after m reached M2', version: '-' },
    });
    expect(split.stepOrigin['locker@w2']).toEqual([-1, 0, 1, 2, 3]);
    expect(split.draft.paths['locker@w2'].steps.map((s) => s.label)).toEqual([START_LABEL, 'L1', 's1', 'L3', 's3']);
    expect(split.draft.paths.locker.steps[0].label).toBe('L1');
  });

  it('names a thread other than itself, and a label its path reaches for good', () => {
    expect(expandError(() => build(three([{ after: 't9' }])))).toBe("threads[0].start.after: no thread 't9'; did you mean 't0'?");
    expect(expandError(() => build(three([{ after: 't0' }])))).toBe('threads[0].start.after: a thread cannot wait for itself');
    expect(expandError(() => build(three([undefined, { after: 't0', label: 'L9' }])))).toBe(
      "threads[1].start.label: no label 'L9' in path locker of thread t0; did you mean 'L1' or 'L3'?",
    );
    const loop = doc({
      threads: [
        { name: 't0', path: 'loop', args: {} },
        { name: 't1', path: 'locker', args: { page: 'P' }, start: { after: 't0', label: 'B' } },
      ],
      paths: {
        ...(doc().paths as Doc),
        loop: {
          regs: { n: 'int' },
          steps: [
            { label: 'A', op: 'nop' },
            { label: 'B', op: 'add', args: ['n', 1] },
            { label: 'C', op: 'blt', args: ['n', 3, 'A'] },
          ],
        },
      },
    });
    expect(expandError(() => build(loop))).toMatch(/^threads\[1\]\.start\.label: thread t0 does not reach 'B' for good: .+/);
    // an awaited path that does not link is reported where it is, not here
    const broken = doc({
      threads: [
        { name: 't0', path: 'bad', args: {} },
        { name: 't1', path: 'locker', args: { page: 'P' }, start: { after: 't0', label: 'A' } },
      ],
      paths: { ...(doc().paths as Doc), bad: { regs: {}, steps: [{ label: 'A', op: 'jmp', args: ['Z'] }] } },
    });
    expect(build(broken).draft.paths['locker'].steps[0]).toMatchObject({ op: 'wait_label', args: [0, 'A'] });
  });
});

describe('symmetry and user invariants', () => {
  it('a group with repeat gives a group per value, its members expanded with the variable; names or objects', () => {
    const d = doc({
      threads: [],
      symmetry: [
        { threads: ['a${g}', { name: 'b${g}' }], ptes: [], vmas: [{ name: 'v${g}', if: 'g == 1' }], repeat: { as: 'g', count: 2 } },
        { threads: ['x'], ptes: ['e'], vmas: [], pages: ['P'] },
        { threads: ['y'], ptes: [], vmas: [], when: { S: 'on' } },
      ],
    });
    expect(build(d, {}, { S: 'off' }).draft.symmetry).toEqual([
      { threads: ['a0', 'b0'], ptes: [], vmas: [], pages: [] },
      { threads: ['a1', 'b1'], ptes: [], vmas: ['v1'], pages: [] },
      { threads: ['x'], ptes: ['e'], vmas: [], pages: ['P'] },
    ]);
    expect(build(d, {}, { S: 'on' }).draft.symmetry).toHaveLength(4);
  });

  it('an expression error in a group names its member list; no `symmetry` at all derives it', () => {
    const bad = 't${1 / 0}';
    for (const list of ['threads', 'ptes', 'vmas', 'pages'])
      expect(
        expandError(() => build(doc({ symmetry: [{ threads: [], ptes: [], vmas: [], [list]: ['x', bad] }] }))),
        list,
      ).toBe(`symmetry[0].${list}[1]: division by zero in '1 / 0'`);
    expect(
      expandError(() =>
        build(
          doc({
            symmetry: [
              { threads: ['a'], ptes: [], vmas: [] },
              { threads: [], ptes: [], vmas: [], if: '1 / 0' },
            ],
          }),
        ),
      ),
    ).toBe("symmetry[1][0].if: division by zero in '1 / 0'");
    const { symmetry: _, ...undeclared } = doc() as unknown as Doc;
    expect(build(undeclared as unknown as ScenarioDocument).draft.symmetry).toEqual([{ threads: ['a', 'b'], ptes: [], vmas: [], pages: [] }]);
    expect(build(doc()).draft.symmetry).toEqual([]);
  });

  it('litmus, rmapOrder and user invariants are carried only when present', () => {
    const plain = build(doc()).draft;
    expect(['litmus' in plain, 'rmapOrder' in plain, 'userInvariants' in plain]).toEqual([false, false, false]);
    const litmus = { vars: ['x'], results: [], exists: [] };
    const full = build(
      doc({ litmus, rmapOrder: 'fixed', invariants: ['deadlock', { name: 'n', never: { page: 'P' }, message: 'm' }, { always: { page: 'P' }, message: 'k' }] }),
    ).draft;
    expect([full.litmus, full.rmapOrder]).toEqual([litmus, 'fixed']);
    expect(full.userInvariants).toEqual([
      { name: 'n', kind: 'never', predicate: { page: 'P' }, message: 'm' },
      { name: 'user-2', kind: 'always', predicate: { page: 'P' }, message: 'k' },
    ]);
    expect(userInvariantsOf(doc({ invariants: ['deadlock'] }))).toEqual([]);
    expect(userInvariantsOf(doc())).toEqual([]);
  });

  it("a scenario's user invariants are its document's, each described by its kind and its violation's message", () => {
    const d = doc({ invariants: ['deadlock', { name: 'n', never: { page: 'P' }, message: 'm' }, { always: { page: 'P' }, message: 'k' }] });
    expect(scenarioUserInvariants({ document: d }).map((u) => u.name)).toEqual(['n', 'user-2']);
    expect(scenarioUserInvariants({})).toEqual([]);
    expect(scenarioUserInvariants({ document: doc() })).toEqual([]);
    const [never, always] = scenarioUserInvariants({ document: d }).map(describeUserInvariant);
    expect(never).toBe('never (predicate language); a violation says: m');
    expect(always).toBe('always (predicate language); a violation says: k');
  });
});

describe('start conditions on paths that do not exist or are empty', () => {
  const problems = (d: ScenarioDocument) => {
    const r = parseScenarioDocument(d);
    return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
  };

  it('a waiting thread on a missing path, or waiting for a thread on one, is a problem of the path, not a crash', () => {
    const own = doc({
      threads: [
        { name: 'a', path: 'locker', args: { page: 'P' } },
        { name: 'b', path: 'lockr', args: { page: 'P' }, start: { after: 'a' } },
        { name: 'c', path: 'lockr', args: { page: 'P' }, start: { after: 'a', label: 'L1' } },
      ],
    });
    expect(build(own).draft.threads.map((t) => t.path)).toEqual(['locker', 'lockr', 'lockr']);
    expect(problems(own)).toEqual([
      "threads[1].path: no path 'lockr'; did you mean 'locker'? (paths: locker)",
      "threads[2].path: no path 'lockr'; did you mean 'locker'? (paths: locker)",
    ]);
    const awaited = doc({
      threads: [
        { name: 'a', path: 'gone', args: {} },
        { name: 'b', path: 'locker', args: { page: 'P' }, start: { after: 'a', label: 'L1' } },
      ],
    });
    expect(build(awaited).draft.paths.locker.steps[0]).toMatchObject({ op: 'wait_label', args: [0, 'L1'] });
    // the label stays unresolved (the awaited path is not there): the wait does not link either
    expect(problems(awaited)).toEqual(["paths.locker.args[1]: 'L1' is not a integer of this path", "threads[0].path: no path 'gone' (paths: locker)"]);
  });

  it('a path without steps still gets its wait', () => {
    const d = doc({
      threads: [
        { name: 'a', path: 'locker', args: { page: 'P' } },
        { name: 'b', path: 'empty', args: {}, start: { after: 'a' } },
      ],
      paths: { ...(doc().paths as Doc), empty: { regs: {}, steps: [] } },
    });
    expect(build(d).draft.paths.empty.steps.map((s) => s.op)).toEqual(['wait_thread']);
  });

  it('an expression in a built-in path parameter names its field', () => {
    const d = doc({ paths: { locker: { builtin: { scenario: 'seed', path: 'migrate_pages', params: { passes: '${nope}' } } } } });
    expect(expandError(() => build(d))).toBe("paths.locker.builtin.params.passes: unknown name 'nope' in 'nope' (known: none)");
  });
});
