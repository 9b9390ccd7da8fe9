import { describe, expect, it } from 'vitest';
import { parseScenarioDocument, resolveScenarioModel, type ScenarioDocument } from '@mmreplay/model';
import { ProgramFaultError } from '@mmreplay/engine';
import { explore } from './explorer.js';
import { referenceEnumerate } from './reference-enumerator.js';

// Issue 13: a thread that starts once another has reached a label (`start: {after: a, label: A2}`),
// not only once it has finished. The loader puts wait_label first in its path; the engine enables
// it once the other thread's pc is at a step every path to which passes the label. Checked with a
// user invariant that says where the threads may be at once.

const src = { file: 'mm/memory.c', fn: 'do_fault', version: 'v6.6' };
const doc = (start: unknown, extra: Partial<ScenarioDocument> = {}): unknown => ({
  name: 'start-label',
  title: 'b starts once a has taken the PTL',
  pages: [
    { name: 'P', ref: 1, map: 1, mapping: 'anon', index: 0 },
    { name: 'Q', ref: 1, map: 0, mapping: 'anon', index: 0 },
  ],
  vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
  ptls: ['ptl'],
  ptes: [{ name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true } }],
  threads: [
    { name: 'a', path: 'a', args: { pte: 'e' } },
    { name: 'b', path: 'b', args: { page: 'Q' }, ...(start ? { start } : {}) },
  ],
  paths: {
    a: {
      regs: { pte: 'pte' },
      steps: [
        { label: 'A1', op: 'ptl_lock', args: ['pte'], src },
        { label: 'A2', op: 'ptl_unlock', args: ['pte'] },
        { label: 'A3', op: 'ptl_lock', args: ['pte'] },
        { label: 'A4', op: 'ptl_unlock', args: ['pte'] },
      ],
    },
    b: {
      regs: { page: 'page' },
      steps: [
        { label: 'B1', op: 'get_page', args: ['page'], src },
        { label: 'B2', op: 'put_page', args: ['page'] },
      ],
    },
  },
  // b holds its reference (at B2) while a has not yet taken the PTL once
  invariants: [
    'deadlock',
    {
      name: 'b-after-a',
      never: {
        all: [
          { thread: 'b', at: 'B2' },
          { thread: 'a', at: 'A1' },
        ],
      },
      message: 'b ran before a took the PTL',
    },
  ],
  ...extra,
});

const load = (d: unknown) => {
  const r = parseScenarioDocument(d);
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.scenario;
};
const problems = (d: unknown) => {
  const r = parseScenarioDocument(d);
  return r.ok ? [] : r.problems.map((p) => `${p.path}: ${p.message}`);
};

describe('start: {after: thread, label}', () => {
  it('b waits until a has reached A2: the invariant holds; at once it breaks; after a finished it holds too', () => {
    const world = resolveScenarioModel(load(doc({ after: 'a', label: 'A2' })), {}).world;
    expect(world.paths.b.steps[0]).toMatchObject({ label: 'start.after', op: 'wait_label', args: [0, 1] });
    expect(explore(world).verdict).toBe('holds');
    expect(explore(resolveScenarioModel(load(doc(undefined)), {}).world)).toMatchObject({ verdict: 'violated', counterexample: { invariant: 'b-after-a' } });
    expect(explore(resolveScenarioModel(load(doc({ after: 'a' })), {}).world).verdict).toBe('holds');
  });

  it('reaching a label is weaker than finishing: more interleavings, every reduction agrees with the reference enumerator', () => {
    const label = resolveScenarioModel(load(doc({ after: 'a', label: 'A2' })), {}).world;
    const finished = resolveScenarioModel(load(doc({ after: 'a' })), {}).world;
    const none = { symmetry: false, partialOrder: false, deadRegisters: false };
    expect(explore(label, none).statesStored).toBeGreaterThan(explore(finished, none).statesStored);
    const scenario = load(doc({ after: 'a', label: 'A3' }));
    // b may hold its reference while a holds the PTL the second time (A3 done, at A4), not the first
    const second = {
      ...resolveScenarioModel(scenario, {}).world,
      userInvariants: [
        {
          name: 'ref-under-ptl',
          kind: 'never' as const,
          predicate: {
            all: [
              { thread: 'b', at: 'B2' },
              { thread: 'a', at: 'A4' },
            ],
          },
          message: 'm',
        },
        {
          name: 'not-first',
          kind: 'never' as const,
          predicate: {
            all: [
              { thread: 'b', at: 'B2' },
              { thread: 'a', at: 'A2' },
            ],
          },
          message: 'm',
        },
      ],
    };
    expect(explore(second)).toMatchObject({ verdict: 'violated', counterexample: { invariant: 'ref-under-ptl' } });
    expect(explore(second, none).verdict).toBe('violated');
    const ref = referenceEnumerate({ scenario: 'start-label', document: doc({ after: 'a', label: 'A2' }) });
    expect(ref).toMatchObject({ violated: false, complete: true, states: explore(label, none).statesStored });
  });

  it('a variant that moves steps of the awaited path keeps the label; one that deletes it is refused', () => {
    const scenario = load(doc({ after: 'a', label: 'A3' }));
    const inserted = resolveScenarioModel(scenario, {
      variant: {
        patches: [
          {
            op: 'insert',
            path: 'a',
            before: 'A1',
            steps: [
              { label: 'A0', op: 'ptl_lock', args: ['pte'] },
              { label: 'A0u', op: 'ptl_unlock', args: ['pte'] },
            ],
          },
        ],
      },
    }).world;
    expect(inserted.paths.b.steps[0].args).toEqual([0, 4]);
    expect(() => resolveScenarioModel(scenario, { variant: { patches: [{ op: 'delete', path: 'a', step: 'A3' }] } })).toThrow(
      /removes 'A3', the label thread a must reach first/,
    );
  });

  it('an unknown label, or one the thread can leave again (a loop back before it), is refused with its path', () => {
    expect(problems(doc({ after: 'a', label: 'A9' }))).toEqual([
      "threads[1].start.label: no label 'A9' in path a of thread a; did you mean 'A1' or 'A2' or 'A3'?",
    ]);
    expect(problems(doc({ after: 'c', label: 'A1' }))).toEqual(["threads[1].start.after: no thread 'c'; did you mean 'a' or 'b'?"]);
    const loop = doc({ after: 'a', label: 'A2' }) as ScenarioDocument;
    const a = loop.paths.a as { regs: Record<string, string>; steps: unknown[] };
    const looping = {
      ...loop,
      paths: {
        ...loop.paths,
        a: { regs: { ...a.regs, n: 'int' }, steps: [...a.steps, { label: 'A5', op: 'add', args: ['n', 1] }, { label: 'A6', op: 'blt', args: ['n', 2, 'A1'] }] },
      },
    };
    expect(problems(looping)[0]).toMatch(
      /^threads\[1\]\.start\.label: thread a does not reach 'A2' for good: 'A6' can go on to 'A1', which is reached without passing 'A2'/,
    );
  });

  it('a wait_label written by hand that names no thread is refused by the machine as a program fault, not a crash', () => {
    const d = doc(undefined) as ScenarioDocument;
    const b = d.paths.b as { regs: Record<string, string>; steps: unknown[] };
    const world = resolveScenarioModel(
      load({ ...d, paths: { ...d.paths, b: { ...b, steps: [{ label: 'W', op: 'wait_label', args: [7, 0], src }, ...b.steps] } } }),
      {},
    ).world;
    expect(() => explore(world)).toThrow(ProgramFaultError);
  });
});
