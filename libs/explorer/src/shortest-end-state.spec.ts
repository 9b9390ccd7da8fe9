import { describe, expect, it } from 'vitest';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import { explore, type ExplorationResult } from './explorer.js';
import { explorePartitioned } from './partition.js';
import { exploreParallel } from './parallel.js';
import { exploreBitstate } from './bitstate.js';
import { endAndStepWorld } from '../test/end-and-step.js';
import { referenceBfs } from '../test/reference-bfs.js';

// An end state that breaks an invariant and a head whose step breaks one, in one level (the world
// in test/end-and-step.ts): the end state's counterexample is one step shorter, so every search
// must report it, whichever thread comes first. With b first, each search reported b's two steps,
// having stopped at the first violation of the level (explore, the partitions, the workers, the
// approximate search), and so did the reference breadth-first search that held them to it.

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

    it(`${what}: the partitioned search on one thread, 1 to 3 partitions, with and without gifts`, () => {
      for (const partitions of [1, 2, 3])
        for (const share of [true, false]) isTheDeadlock(explorePartitioned(world, partitions, { maxDepth: 100, share }), world);
    });

    it(`${what}: the parallel search's workers (on this thread), 2 and 3`, async () => {
      for (const workers of [2, 3]) isTheDeadlock(await exploreParallel(world, { workers, onOneThread: true, sequentialFirst: 0, partialOrder: false }), world);
    });

    it(`${what}: the approximate searches`, () => {
      for (const method of ['bitstate', 'hashcompact'] as const) isTheDeadlock(exploreBitstate(world, { bitstate: { method, log2Bits: 16 } }), world);
    });
  }
});
