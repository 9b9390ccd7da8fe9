import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { World } from '@mmreplay/model';
import { ENGINE_VERSION, makeScheduler, Runtime, type StepEvent } from '@mmreplay/engine';
import type { JsonObject } from '@mmreplay/events';
import { RunModel, viewOf } from '@mmreplay/projections';
import { litmusWitnessRequest } from './litmus-witness.js';

// Pointers in the engine (docs/memory-model.md, "Pointers and address dependencies"): a recorded
// witness shows a pointer as the address of the location it points to (`&x`), and a store through
// a pointer not loaded yet as `*r0`. (That the explorer reaches each final state the LKMM allows of
// every pointer test is litmus-witness-all.spec.ts.)

const litmus = join(dirname(fileURLToPath(import.meta.url)), '../../litmus/test');
const read = (name: string) => readFileSync(join(litmus, `${name}.litmus`), 'utf8');

/** The memory views of a replayed run's states, as the projections show them. */
const viewsOf = (world: World, schedule: string | undefined, states: Int32Array[]) => {
  const model = new RunModel({
    runId: 'r1',
    scenario: world.scenario,
    params: world.params,
    variant: null,
    model: world as unknown as JsonObject,
    modelHash: 'h',
    engineVersion: ENGINE_VERSION,
    strategy: 'replay',
    seed: 0,
    schedule: schedule ?? null,
    depth: null,
    maxSteps: 1000,
    initialDeltas: [],
    actor: 'test',
    team: 'test',
  });
  return states.map((s, i) => viewOf(model, s, i).memory!);
};

describe('a recorded pointer witness in time travel', () => {
  it('shows pointers as &x in the variables, the results, what each CPU sees, and a load through a pointer not loaded yet as *r0', () => {
    const req = litmusWitnessRequest(read('engine-stronger/LB+addr-then-store'));
    const world = req.world as World;
    const steps: StepEvent[] = [];
    const states: Int32Array[] = [];
    new Runtime(world).run({
      scheduler: makeScheduler({ strategy: 'replay', seed: 0, schedule: req.schedule }, world, 1000),
      maxSteps: 1000,
      onEvent: (e) => steps.push(e),
      onState: (s) => states.push(s.slice()),
    });
    const views = viewsOf(world, req.schedule, states);
    const last = views[views.length - 1];
    // the witness: P0 loaded p = &x, and P1 read y = 1 before its release store of &x
    expect(last.results['0:r0']).toBe('&x');
    expect(last.results['1:r2']).toBe(1);
    expect(last.vars['p']).toBe('&x');
    // the dependent load was issued before the load of p was satisfied, naming the pointer register
    expect(views.some((v) => v.threads['P0'].pendingLoads.includes('r1 <- *r0'))).toBe(true);
    // P0's CPU saw p's first value, the initial &z, while P1's &x had not reached it
    expect(views.some((v) => v.threads['P0'].sees['p'] === '&z')).toBe(true);
    // the events name the pointer too
    const notes = steps.flatMap((e) => (e.memory ?? []).map((a) => a.note ?? ''));
    expect(notes.some((n) => n.includes('issues its load of *r0'))).toBe(true);
    expect(notes.some((n) => n.includes('read var:p = &x'))).toBe(true);
  });

  it('shows a store through a pointer not loaded yet queued as *r0, made visible at the location it names once the pointer is loaded', () => {
    const req = litmusWitnessRequest(read('engine-stronger/LB+addr-store-then-store'));
    const world = req.world as World;
    const steps: StepEvent[] = [];
    const states: Int32Array[] = [];
    const r = new Runtime(world).run({
      scheduler: makeScheduler({ strategy: 'replay', seed: 0, schedule: req.schedule }, world, 1000),
      maxSteps: 1000,
      onEvent: (e) => steps.push(e),
      onState: (s) => states.push(s.slice()),
    });
    expect(r.outcome).toBe('violation');
    const at = (test: (a: NonNullable<StepEvent['memory']>[number]) => boolean) => steps.findIndex((e) => (e.memory ?? []).some(test));
    const queued = at((a) => a.access === 'store-buffered' && a.location === '*r0');
    const y = at((a) => a.access === 'store' && a.location === 'var:y');
    const p = at((a) => (a.access === 'load-satisfied' || a.access === 'load') && a.location === 'var:p' && a.value !== undefined);
    const x = at((a) => a.access === 'store' && a.location === 'var:x' && a.value === 1);
    // the witness: P0's store to y goes first, P1 reads it and publishes &x, P0 loads p = &x, and
    // only then does its store through r0 reach x (it was issued before its address was known)
    expect(queued).toBeGreaterThanOrEqual(0);
    expect(y).toBeGreaterThan(queued);
    expect(p).toBeGreaterThan(y);
    expect(x).toBeGreaterThan(p);
    expect(steps[queued].kind).toBe('StoreBuffered');
    expect(steps[queued].args['r0']).toBe('(outstanding)');
    expect(steps[x].kind).toBe('StoreVisible');
    expect(steps[x].memory?.find((a) => a.location === 'var:x')?.note).toContain('stores var:x = 1');
    // the state view names the pointer while the store waits for it
    expect(viewsOf(world, req.schedule, states).some((v) => v.threads['P0'].pendingStores.some((st) => st.startsWith('*r0 := ')))).toBe(true);
  });
});
