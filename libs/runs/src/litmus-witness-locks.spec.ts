import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { checkLitmus, litmusEngineWorld, parseLitmus, type Prop } from '@mmreplay/litmus';
import { explore } from '@mmreplay/explorer';
import { Runtime, makeScheduler, type StepEvent } from '@mmreplay/engine';
import { litmusWitnessRequest } from './litmus-witness.js';

// Spinlocks in the engine (lock.cat: spin_lock an acquire RMW, spin_unlock a release): the
// explorer, with its reductions, must reach every final state the LKMM allows for a lock test (a
// witness of any of them can be recorded as a run) and none it forbids. The reductions see a
// spin_lock as a relaxed access that reads and writes the memory class, so a thread spinning on a
// held lock is woken by the unlock's store.

const litmus = join(dirname(fileURLToPath(import.meta.url)), '../../litmus/test');
const TESTS = [
  'kernel/MP+polocks',
  'kernel/MP+porevlocks',
  'kernel/LB+unlocklockonceonce+poacquireonce',
  'kernel/MP+unlocklockonceonce+fencermbonceonce',
  'kernel/ISA2+pooncelock+pooncelock+pombonce',
  'kernel/Z6.0+pooncelock+pooncelock+pombonce',
  'engine-stronger/SB+lockin',
  'engine-stronger/WRC+unlocklock',
  'engine-stronger/MP+lockout',
  'engine-stronger/MP+unlock-store-lock',
  'engine-stronger/LB+rmb-lock',
  // smp_mb__after_spinlock() right after spin_lock (the instruction fence_after_spinlock)
  'kernel/Z6.0+pooncelock+poonceLock+pombonce',
  // spin_trylock() (the instruction spin_trylock_var: a success, or a failed read of a lock write, maybe left outstanding)
  'engine-stronger/MP+trylock-fail-load',
  'engine-stronger/MP+unlock-trylock',
  'engine-stronger/MP+unlock-once+acquire-trylock',
  'engine-stronger/MP+unlock-release+acquire-trylock',
  // smp_mb__after_unlock_lock() (the instruction fence_after_unlock_lock)
  'engine-stronger/Z6.0+unlocklock-after-unlock-lock',
  'engine-stronger/Z6.0+lockonces+aul-lockonce+mb',
];

describe('the explorer reaches exactly the final states the LKMM allows for lock tests', () => {
  it.each(TESTS)(
    '%s',
    (name) => {
      const test = parseLitmus(readFileSync(join(litmus, `${name}.litmus`), 'utf8'));
      const r = checkLitmus(test);
      for (const st of r.states) {
        const found = explore(litmusEngineWorld(test, st.values, 'lkmm'), { bounds: { maxStates: 200_000, maxSeconds: 60 } });
        expect(found.verdict, `${name}: ${JSON.stringify(st.values)}`).toBe('violated');
      }
      // The test's own condition when the LKMM forbids it (the documented Never): unreachable.
      if (r.observation === 'Never') {
        const forbidden: Record<string, string> = {};
        const walk = (p: Prop): void => {
          if (p.k === 'and') [p.l, p.r].forEach(walk);
          else if (p.k === 'eq') forbidden[p.place.thread === undefined ? p.place.name : `${p.place.thread}:${p.place.name}`] = String(p.value);
          else throw new Error(`${name}: a condition other than a conjunction of equalities`);
        };
        walk(test.condition.prop);
        expect(explore(litmusEngineWorld(test, forbidden, 'lkmm'), { bounds: { maxStates: 200_000, maxSeconds: 60 } }).verdict, name).toBe('holds');
      }
    },
    120_000,
  );
});

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
