import { describe, expect, it, vi } from 'vitest';
import { ReplayScheduler, Runtime } from '@mmreplay/engine';
import { explore, type ExplorationResult } from './explorer.js';
import { Partition } from './partition.js';
import { explorePartitioned } from './partitioned-levels.js';
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

// An end state after the breaking head in one partition: only the partition's look at its heads
// left (Partition.endStateViolation) finds it, and must name it by its global id. Three b threads
// before a, on four partitions, put both in a partition other than 0 (hashing moves them with the
// world's shape, not with its values).
const LATE_END: readonly ('a' | 'b')[] = ['b', 'b', 'b', 'a'];

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
      for (const workers of [2, 3])
        isTheDeadlock(await exploreParallel(world, { algorithm: 'partitions', workers, onOneThread: true, sequentialFirst: 0, partialOrder: false }), world);
    });

    it(`${what}: the approximate searches`, () => {
      for (const method of ['bitstate', 'hashcompact'] as const) isTheDeadlock(exploreBitstate(world, { bitstate: { method, log2Bits: 16 } }), world);
    });
  }

  it('threads b1, b2, b3, a on four partitions: the end state after the breaking head of a partition other than 0', async () => {
    const world = endAndStepWorld(LATE_END);
    expect(referenceBfs(world)).toMatchObject({ violationLength: 1, invariant: 'deadlock' });
    // the case is reached: a partition other than 0 finds the end state among its heads left
    const finders: number[] = [];
    const real = Partition.prototype.endStateViolation;
    const look = vi.spyOn(Partition.prototype, 'endStateViolation').mockImplementation(function (this: Partition, report, closed) {
      const before = report.violationStep;
      real.call(this, report, closed);
      if (before !== null && report.violationStep === null) finders.push(this.self);
    });
    try {
      isTheDeadlock(explorePartitioned(world, 4, { maxDepth: 100, share: true }), world);
    } finally {
      look.mockRestore();
    }
    expect(finders.length).toBe(1);
    expect(finders[0]).not.toBe(0);
    isTheDeadlock(await exploreParallel(world, { algorithm: 'partitions', workers: 4, onOneThread: true, sequentialFirst: 0, partialOrder: false }), world);
  });
});
