import { describe, expect, it } from 'vitest';
import { KernelPath, type World } from '@mmreplay/model';
import { Runtime } from './runtime.js';
import { makeScheduler } from './simulate.js';

// Under lkmm a thread may guess a branch on an outstanding load (docs/memory-model.md,
// "Speculated branches"); when no store the load may still read agrees with the guess, the path is
// one a CPU would have squashed. A run that ends there is not an execution: it must say so
// (`infeasible`), not `completed` with a thread stuck at the branch.

/** P0: r0 = READ_ONCE(x); if (r0 == 0) nop; r1 = READ_ONCE(y). P1: WRITE_ONCE(x, 1); smp_wmb(); WRITE_ONCE(y, 1). */
function world(): World {
  const p0 = new KernelPath('P0', 'reader', { r0: 'int', r1: 'int' }).at('test', 'P0', '-');
  p0.READ_ONCE('P0.x', 'r0', 0);
  p0.bne('r0', 0, 'P0.y', 'P0.if');
  p0.nop('P0.then');
  p0.READ_ONCE('P0.y', 'r1', 1);
  p0.observe('P0.end', 0, 'r0');
  p0.observe('P0.end1', 1, 'r1');
  const p1 = new KernelPath('P1', 'writer', { one: 'int' }).at('test', 'P1', '-');
  p1.mov('one', 1, 'P1.one');
  p1.WRITE_ONCE('P1.x', 0, 'one');
  p1.smp_wmb('P1.wmb');
  p1.WRITE_ONCE('P1.y', 1, 'one');
  const paths = [p0.build(), p1.build()];
  return {
    scenario: 'test',
    params: {},
    memoryModel: 'lkmm',
    rmapOrder: 'fixed',
    pages: [],
    vmas: [],
    ptes: [],
    ptls: [],
    threads: paths.map((p) => ({ name: p.name, path: p.name, args: {} })),
    paths: Object.fromEntries(paths.map((p) => [p.name, p])),
    invariants: ['deadlock'],
    symmetry: [],
    litmus: { vars: ['x', 'y'], results: ['0:r0', '0:r1'], exists: [] },
  };
}

describe('a run that ends on a wrong branch guess', () => {
  const runtime = new Runtime(world());
  const m = runtime.machine;
  const runs = Array.from({ length: 80 }, (_, seed) => ({
    seed,
    r: runtime.run({ scheduler: makeScheduler({ strategy: 'random', seed }, runtime.world, 10_000), maxSteps: 10_000 }),
  }));

  it('is infeasible, with the speculated load still outstanding and no violation', () => {
    const infeasible = runs.filter(({ r }) => r.outcome === 'infeasible');
    expect(infeasible.length).toBeGreaterThan(0);
    for (const { r } of infeasible) {
      expect(m.infeasible(r.state)).toBe(true);
      expect(r.violation).toBeNull();
    }
  });

  it('and a completed run has every thread finished', () => {
    const completed = runs.filter(({ r }) => r.outcome === 'completed');
    expect(completed.length).toBeGreaterThan(0);
    for (const { seed, r } of completed) for (let t = 0; t < m.threadCount; t++) expect(m.isFinished(r.state, t), `seed ${seed}, thread ${t}`).toBe(true);
  });
});
