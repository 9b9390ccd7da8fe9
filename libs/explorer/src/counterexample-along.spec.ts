import { describe, expect, it } from 'vitest';
import { parseScenarioDocument, resolveModel, resolveScenarioModel, type World } from '@mmreplay/model';
import { Machine, ReplayScheduler, Runtime } from '@mmreplay/engine';
import { counterexampleAlong, explore } from './explorer.js';

// How counterexampleAlong re-finds each decision from the concrete state (issue 20: mutants of
// explorer.ts that the other specs' worlds never told apart). It must try only the threads there
// are, only those that can run, and each step from a copy of the state: a finished thread's next
// instruction is no atomic step (stepping it throws), the slot past the last thread is no thread
// (under tso it reads the memory section), and a step taken in place changes the state the next
// decision is tried from.

const src = { file: 'mm/memory.c', fn: 'do_fault', version: 'v6.6' };
const NONE = { symmetry: false, partialOrder: false, deadRegisters: false };

/** Two threads on page Q (its refcount `ref` at first), and an invariant that Q never reaches a refcount of 3. */
function refWorld(ref: number, a: { op: string; args: string[] }[], b: { op: string; args: string[] }[]): World {
  const steps = (ops: { op: string; args: string[] }[], who: string) => ops.map((o, i) => ({ label: `${who}${i + 1}`, op: o.op, args: o.args, src }));
  const r = parseScenarioDocument({
    name: 'ref-three',
    title: 'two threads take and drop references to Q',
    pages: [
      { name: 'P', ref: 1, map: 1, mapping: 'anon', index: 0 },
      { name: 'Q', ref, map: 0, mapping: 'anon', index: 0 },
    ],
    vmas: [{ name: 'vma', start: 16, pgoff: 0 }],
    ptls: ['ptl'],
    ptes: [{ name: 'e', addr: 16, ptl: 'ptl', init: { kind: 'present', page: 'P', writable: true } }],
    threads: [
      { name: 'a', path: 'pa', args: { pte: 'e', page: 'Q' } },
      { name: 'b', path: 'pb', args: { pte: 'e', page: 'Q' } },
    ],
    paths: {
      pa: { regs: { pte: 'pte', page: 'page' }, steps: steps(a, 'A') },
      pb: { regs: { pte: 'pte', page: 'page' }, steps: steps(b, 'B') },
    },
    invariants: [{ name: 'q-three', never: { page: 'Q', ref: 3 }, message: 'Q has three references' }],
  });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return resolveScenarioModel(r.scenario, {}).world;
}

/** The counterexample explore finds without reductions, replayed from the real initial state. */
function replayed(world: World) {
  const cx = explore(world, NONE).counterexample!;
  const run = new Runtime(world).run({ scheduler: new ReplayScheduler(cx.schedule), maxSteps: cx.length + 1 });
  return { cx, run: { steps: run.steps, invariant: run.violation?.invariant, message: run.violation?.message } };
}

describe('counterexampleAlong re-finds each decision', () => {
  it('past a thread that has finished: it is not stepped, on the path or at the violating step', () => {
    // a takes a reference and finishes; b takes the PTL, then the third reference. The shortest
    // path is a, B1, B2, so a has finished both when B1 is re-found and when B2 breaks the invariant.
    const world = refWorld(
      1,
      [{ op: 'get_page', args: ['page'] }],
      [
        { op: 'ptl_lock', args: ['pte'] },
        { op: 'get_page', args: ['page'] },
        { op: 'ptl_unlock', args: ['pte'] },
      ],
    );
    const { cx, run } = replayed(world);
    expect(cx).toMatchObject({ invariant: 'q-three', length: 3, step: 2, thread: 'b', message: 'b: Q has three references' });
    expect(run).toEqual({ steps: 3, invariant: 'q-three', message: cx.message });
  });

  it('each step tried from a copy: a step that does not break the invariant leaves the state the next is tried from', () => {
    // Q starts with two references: a drops one, b takes one (the third). From the initial state a
    // is tried first; b's step must still be tried on Q with two references.
    const world = refWorld(2, [{ op: 'put_page', args: ['page'] }], [{ op: 'get_page', args: ['page'] }]);
    const { cx, run } = replayed(world);
    expect(cx).toMatchObject({ invariant: 'q-three', length: 1, step: 0, thread: 'b', message: 'b: Q has three references' });
    expect(run).toEqual({ steps: 1, invariant: 'q-three', message: cx.message });
  });

  it('only the threads there are: under tso, where the slot past the last thread is the memory section', () => {
    const m = new Machine(resolveModel({ scenario: 'c11-split-order', memoryModel: 'tso' }).world);
    const same = (s: Int32Array) => s;
    // a lost path says so, rather than failing on a thread that does not exist
    const nowhere = new Int32Array(m.initialState().length).fill(1 << 30);
    expect(() => counterexampleAlong(m, same, [nowhere], null, 'deadlock')).toThrow('counterexample reconstruction lost the path at step 1');
    // so does a final decision that no thread's step matches
    expect(counterexampleAlong(m, same, [], { thread: 0, choice: 0 }, 'no-such-invariant')).toEqual({
      schedule: expect.any(String),
      length: 0,
      invariant: 'no-such-invariant',
      step: -1,
      thread: '',
      message: '',
    });
  });
});
