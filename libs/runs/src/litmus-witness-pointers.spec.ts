import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { World } from '@mmreplay/model';
import { ENGINE_VERSION, makeScheduler, Runtime, type StepEvent } from '@mmreplay/engine';
import type { JsonObject } from '@mmreplay/events';
import { checkLitmus, litmusEngineWorld, parseLitmus } from '@mmreplay/litmus';
import { explore } from '@mmreplay/explorer';
import { RunModel, viewOf } from '@mmreplay/projections';
import { litmusWitnessRequest } from './litmus-witness.js';

// Pointers in the engine (docs/memory-model.md, "Pointers and address dependencies"): the
// explorer, with every reduction, reaches each final state the LKMM allows of the kernel's two
// pointer tests and of the engine-stronger pointer tests, and not the documented Never; and a
// recorded witness shows a pointer as the address of the location it points to (`&x`).

const litmus = join(dirname(fileURLToPath(import.meta.url)), '../../litmus/test');
const read = (name: string) => readFileSync(join(litmus, `${name}.litmus`), 'utf8');
const NEVER: Record<string, Record<string, string>> = {
  'kernel/MP+onceassign+derefonce': { '1:r0': 'x', '1:r1': '0' },
  'kernel/dep+plain': { x: '1', y: '1' },
  'engine-stronger/CoRR+addr': { '1:r1': '1', '1:r2': '0' },
};
const TESTS = ['engine-stronger/LB+addr-then-store', 'engine-stronger/MP+wmb+addr-store', ...Object.keys(NEVER)];
const bounds = { bounds: { maxStates: 200_000, maxSeconds: 60 } };

describe('the explorer reaches exactly the final states the LKMM allows through pointers and address dependencies', () => {
  it.each(TESTS)(
    '%s',
    (name) => {
      const test = parseLitmus(read(name));
      const r = checkLitmus(test);
      for (const st of r.states)
        expect(explore(litmusEngineWorld(test, st.values, 'lkmm'), bounds).verdict, `${name}: ${JSON.stringify(st.values)}`).toBe('violated');
      const never = NEVER[name];
      if (never) {
        expect(r.observation).toBe('Never');
        expect(explore(litmusEngineWorld(test, never, 'lkmm'), bounds).verdict, name).toBe('holds');
      } else expect(r.observation).toBe('Sometimes');
    },
    120_000,
  );
});

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
      schedule: req.schedule ?? null,
      depth: null,
      maxSteps: 1000,
      initialDeltas: [],
      actor: 'test',
      team: 'test',
    });
    const views = states.map((s, i) => viewOf(model, s, i).memory!);
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
});
