import { describe, expect, it } from 'vitest';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import { explore, type ExplorationResult } from './explorer.js';
import { exploreSharedAlone } from './parallel.js';
import { exploreBitstate } from './bitstate.js';
import { endAndStepWorld } from '../test/end-and-step.js';
import { referenceBfs } from '../test/reference-bfs.js';

// An end state that breaks an invariant and a head whose step breaks one, in one level (the world
// in test/end-and-step.ts): the end state's counterexample is one step shorter, so every search
// must report it, whichever thread comes first. With b first, each search reported b's two steps,
// having stopped at the first violation of the level (explore, the parallel search, the
// approximate search), and so did the reference breadth-first search that held them to it. The
// parallel search on worker threads: parallel-shared.spec.ts.

const NONE = { symmetry: false, partialOrder: false, deadRegisters: false };

function isTheDeadlock(r: Pick<ExplorationResult, 'verdict' | 'counterexample'>, world: ReturnType<typeof endAndStepWorld>): void {
  expect(r.verdict).toBe('violated');
  expect(r.counterexample).toMatchObject({ invariant: 'deadlock', length: 1, step: 1 });
  const run = new Runtime(world).run({ scheduler: new ReplayScheduler(r.counterexample!.schedule), maxSteps: 2 });
  expect({ outcome: run.outcome, steps: run.steps, invariant: run.violation?.invariant, thread: run.violation?.thread }).toEqual({
    outcome: 'deadlock',
    steps: 1,
    invariant: 'deadlock',
    thread: r.counterexample!.thread,
  });
}

describe('a shorter end state beats a step that breaks an invariant in the same level', () => {
  for (const order of [
    ['a', 'b'],
    ['b', 'a'],
  ] as const) {
    const world = endAndStepWorld(order);
    const what = `threads ${order.join(', ')}`;

    it(`${what}: the reference breadth-first search finds the one-step deadlock`, () => {
      expect(referenceBfs(world)).toMatchObject({ violationLength: 1, invariant: 'deadlock' });
    });

    it(`${what}: explore, with every reduction and with none`, () => {
      isTheDeadlock(explore(world), world);
      isTheDeadlock(explore(world, NONE), world);
      isTheDeadlock(explore(world, { partialOrderWithSymmetry: true }), world);
    });

    it(`${what}: the parallel search's code on this thread alone, with every reduction and with none`, () => {
      isTheDeadlock(exploreSharedAlone(world), world);
      isTheDeadlock(exploreSharedAlone(world, NONE), world);
    });

    it(`${what}: the approximate searches`, () => {
      for (const method of ['bitstate', 'hashcompact'] as const) isTheDeadlock(exploreBitstate(world, { bitstate: { method, log2Bits: 16 } }), world);
    });
  }
});
