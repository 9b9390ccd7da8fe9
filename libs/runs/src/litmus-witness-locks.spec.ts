import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Runtime, makeScheduler, type StepEvent } from '@mmreplay/engine';
import { litmusWitnessRequest } from './litmus-witness.js';

// Spinlocks in the engine (lock.cat: spin_lock an acquire RMW, spin_unlock a release): lock tests'
// witnesses recorded as runs and replayed, with their events. (That the explorer, with its
// reductions, reaches every final state the LKMM allows for each lock test and none it forbids is
// litmus-witness-all.spec.ts; the reductions see a spin_lock as a relaxed access that reads and
// writes the memory class, so a thread spinning on a held lock is woken by the unlock's store.)

const litmus = join(dirname(fileURLToPath(import.meta.url)), '../../litmus/test');

describe('a lock test recorded as a run', () => {
  it('replays its witness with events: each spin_lock a step that read the last unlock', () => {
    const text = readFileSync(join(litmus, 'engine-stronger/SB+lockin.litmus'), 'utf8');
    const req = litmusWitnessRequest(text);
    const events: StepEvent[] = [];
    const runtime = new Runtime(req.world!);
    const r = runtime.run({
      scheduler: makeScheduler({ strategy: 'replay', seed: 0, schedule: req.schedule }, req.world!, 10_000),
      maxSteps: 10_000,
      onEvent: (e) => events.push(e),
    });
    expect(r.outcome).toBe('violation');
    expect(r.violation?.invariant).toBe('weak-outcome');
    const locks = events.filter((e) => e.op === 'spin_lock_var');
    expect(locks.map((e) => e.kind)).toEqual(['SpinLocked']);
    expect(locks[0].memory?.map((a) => [a.access, a.location, a.value])).toEqual([
      ['load', 'var:s', 0],
      ['store', 'var:s', 1],
    ]);
  });

  it('replays a failed spin_trylock() whose read of the lock was left outstanding and satisfied by the lock write', () => {
    const text = readFileSync(join(litmus, 'engine-stronger/MP+trylock-fail-load.litmus'), 'utf8');
    const req = litmusWitnessRequest(text);
    const events: StepEvent[] = [];
    const runtime = new Runtime(req.world!);
    const r = runtime.run({
      scheduler: makeScheduler({ strategy: 'replay', seed: 0, schedule: req.schedule }, req.world!, 10_000),
      maxSteps: 10_000,
      onEvent: (e) => events.push(e),
    });
    expect(r.outcome).toBe('violation');
    expect(r.violation?.invariant).toBe('weak-outcome');
    // The witness (P1's trylock fails and its load of x reads 0) needs the trylock's read to wait:
    // issued, then satisfied by P0's lock write after P1 read x.
    const tries = events.filter((e) => e.op === 'spin_trylock_var');
    expect(tries.map((e) => e.memory?.map((a) => a.access))).toEqual([['load-issued']]);
    const late = events.filter((e) => e.op === 'load_satisfy' && e.pc === tries[0].pc);
    expect(late.map((e) => e.memory?.map((a) => [a.access, a.location, a.value]))).toEqual([[['load-satisfied', 'var:s', 1]]]);
    const x = events.findIndex((e) => e.memory?.some((a) => a.access === 'load' && a.location === 'var:x' && a.value === 0));
    expect(x).toBeGreaterThan(events.indexOf(tries[0]));
    expect(x).toBeLessThan(events.indexOf(late[0]));
  });
});
