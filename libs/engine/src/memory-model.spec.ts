import { describe, expect, it } from 'vitest';
import { KernelPath, linkPath, resolveModel, scenarios, type MemoryModelName, type PathDef, type World } from '@mmreplay/model';
import { Machine } from './machine.js';
import { walkStates } from '../test/walk-states.js';
import { Runtime } from './runtime.js';
import { ReplayScheduler } from './schedulers/replay.js';
import { encodeSchedule } from './schedule-token.js';
import type { StepEvent } from './step-event.js';
import { litmusWorld } from './test-helpers.js';

// The operational memory models of the machine (docs/memory-model.md): what sc keeps exactly as it
// was, and the per-location coherence that tso and lkmm keep while they reorder.

const MODELS: readonly MemoryModelName[] = ['sc', 'tso', 'lkmm'];

const path = (name: string, body: (k: KernelPath) => void): PathDef => {
  const k = new KernelPath(name, name, { one: 'int', two: 'int', r0: 'int', r1: 'int' }).at('test', name, '-');
  k.mov('one', 1, `${name}.one`);
  k.mov('two', 2, `${name}.two`);
  body(k);
  return k.build();
};

/** Every final state (variables and recorded results), over every interleaving and choice. */
function outcomes(w: World): Set<string> {
  const m = new Machine(w);
  const L = m.layout;
  const names = [...(w.litmus?.vars ?? []), ...(w.litmus?.results ?? [])];
  const out = new Set<string>();
  walkStates(m, {
    step: (_, kept) => void expect(kept).toBe(true),
    end: (s) => {
      expect(m.endState(s).outcome).toBe('completed');
      out.add(names.map((n, i) => `${n}=${s[i < L.varIndex.size ? L.vars + i : L.results + (i - L.varIndex.size)]}`).join(' '));
    },
  });
  return out;
}

describe('sc stays what it was', () => {
  it('no memory section, no code change and no choices added for the scenarios without relaxed accesses, under every MEM', () => {
    for (const s of scenarios()) {
      if (s.row === 'litmus' || s.row === 'C11') continue;
      for (const memoryModel of MODELS) {
        const m = new Machine(resolveModel({ scenario: s.name, memoryModel }).world);
        expect(m.layout.size).toBe(m.layout.mem);
        expect(m.weak).toBe(false);
        m.paths.forEach((p, t) => expect([...p.code]).toEqual([...linkPath(m.world.paths[m.world.threads[t].path]).code]));
      }
    }
  });
  it('sc load/store read and write the page slots directly, as before', () => {
    const w = resolveModel({ scenario: 'c11-split-order', memoryModel: 'sc' }).world;
    const m = new Machine(w);
    expect(m.weak).toBe(false);
    expect(m.layout.size).toBe(m.layout.mem);
  });
});

describe('coherence under every model (CoWR, CoRR, CoWW, CoRW)', () => {
  for (const model of MODELS) {
    it(`${model}: a thread reads its own write; reads of one location never go back; writes of one thread keep their order`, () => {
      // CoWR: P0 writes x then reads it: it sees its write (store forwarding), never 0.
      const cowr = outcomes(
        litmusWorld(model, [path('P0', (k) => (k.WRITE_ONCE('w', 0, 'one'), k.READ_ONCE('r', 'r0', 0), k.observe('o', 0, 'r0')))], ['0:r0']),
      );
      expect([...cowr]).toEqual(['x=1 y=0 0:r0=1']);
      // CoRR: P1 reads x twice while P0 writes it: never 1 then 0.
      const corr = outcomes(
        litmusWorld(
          model,
          [
            path('P0', (k) => k.WRITE_ONCE('w', 0, 'one')),
            path('P1', (k) => (k.READ_ONCE('a', 'r0', 0), k.READ_ONCE('b', 'r1', 0), k.observe('o0', 0, 'r0'), k.observe('o1', 1, 'r1'))),
          ],
          ['1:r0', '1:r1'],
        ),
      );
      expect([...corr].sort()).toEqual(['x=1 y=0 1:r0=0 1:r1=0', 'x=1 y=0 1:r0=0 1:r1=1', 'x=1 y=0 1:r0=1 1:r1=1']);
      // CoWW: x = 1 then x = 2 ends with 2, whatever buffers and flush orders.
      const coww = outcomes(litmusWorld(model, [path('P0', (k) => (k.WRITE_ONCE('a', 0, 'one'), k.WRITE_ONCE('b', 0, 'two')))], []));
      expect([...coww]).toEqual(['x=2 y=0']);
      // CoRW: a read never sees the thread's own later write.
      const corw = outcomes(
        litmusWorld(model, [path('P0', (k) => (k.READ_ONCE('r', 'r0', 0), k.WRITE_ONCE('w', 0, 'one'), k.observe('o', 0, 'r0')))], ['0:r0']),
      );
      expect([...corw]).toEqual(['x=1 y=0 0:r0=0']);
    });
  }
});

describe('what the weak models add', () => {
  const mp = (model: MemoryModelName) =>
    litmusWorld(
      model,
      [
        path('P0', (k) => (k.WRITE_ONCE('wx', 0, 'one'), k.WRITE_ONCE('wy', 1, 'one'))),
        path('P1', (k) => (k.READ_ONCE('ry', 'r0', 1), k.READ_ONCE('rx', 'r1', 0), k.observe('o0', 0, 'r0'), k.observe('o1', 1, 'r1'))),
      ],
      ['1:r0', '1:r1'],
    );

  it('tso: a store waits in the FIFO store buffer, one flush choice at a time; lkmm: a load may be left outstanding', () => {
    const tso = new Machine(mp('tso'));
    const s = tso.initialState();
    expect(tso.step(s, 0, 0)).toBe(true); // x = 1 buffered
    expect(tso.step(s, 0, 0)).toBe(true); // y = 1 buffered
    expect(tso.sbCount(s, 0)).toBe(2);
    expect(tso.choiceCount(s, 0)).toBe(1); // only the oldest may flush
    const lkmm = new Machine(mp('lkmm'));
    const l = lkmm.initialState();
    expect(lkmm.choiceCount(l, 1)).toBe(2); // P1's load of y: the initial value now, or outstanding
    lkmm.step(l, 0, 0);
    lkmm.step(l, 0, 0);
    // Under lkmm P0's stores are in the coherence order at once, but have not reached P1: its load
    // of y may read y = 1, or still the initial value, or be left outstanding.
    expect(lkmm.choiceCount(l, 1)).toBe(3);
  });

  it('events (lkmm): a late load with the store it read, the newer stores a CPU had not seen, and the step that issued it', () => {
    // P1 leaves its load of y outstanding, reads x = 0; P0 writes x and y; P1's load of y is satisfied with y = 1.
    const w = mp('lkmm');
    const threads = [1, 1, 0, 0, 1, 1, 1];
    const choices = [1, 0, 0];
    const events: StepEvent[] = [];
    const schedule = encodeSchedule({ threads, choices });
    const r = new Runtime(w).run({ scheduler: new ReplayScheduler(schedule), maxSteps: threads.length, onEvent: (e) => events.push(e) });
    expect(r.outcome).toBe('completed');
    expect(events.map((e) => e.kind)).toEqual(['LoadIssued', 'Loaded', 'Stored', 'Stored', 'LoadSatisfied', 'Observed', 'Observed']);
    expect(events[0].args.r0).toBe('(outstanding)');
    expect(events[1].memory?.[0]).toMatchObject({ access: 'load', location: 'var:x', value: 0, readFrom: { step: null }, newer: [] });
    expect(events[4]).toMatchObject({
      op: 'load_satisfy',
      label: 'ry',
      memory: [{ access: 'load-satisfied', location: 'var:y', value: 1, issuedAt: 0, readFrom: { step: 3, thread: 'P0', label: 'wy' } }],
    });
    const L = new Machine(w).layout;
    expect([r.state[L.results], r.state[L.results + 1]]).toEqual([1, 0]); // the weak MP outcome
  });

  it('events (lkmm): a load of an older store names the newer ones that had not reached its CPU', () => {
    // P0 writes x and y; P1 reads y = 1 but x = 0: P0's store of x had not reached P1.
    const w = mp('lkmm');
    const events: StepEvent[] = [];
    const schedule = encodeSchedule({ threads: [0, 0, 1, 1, 1, 1], choices: [0, 1] });
    const r = new Runtime(w).run({ scheduler: new ReplayScheduler(schedule), maxSteps: 6, onEvent: (e) => events.push(e) });
    expect(r.outcome).toBe('completed');
    expect(events[3].memory?.[0]).toMatchObject({
      access: 'load',
      location: 'var:x',
      value: 0,
      readFrom: { step: null },
      newer: [{ step: 0, thread: 'P0', label: 'wx' }],
    });
    const L = new Machine(w).layout;
    expect([r.state[L.results], r.state[L.results + 1]]).toEqual([1, 0]);
  });

  it('a store forwarded from the own buffer names the store it read', () => {
    const w = litmusWorld('tso', [path('P0', (k) => (k.WRITE_ONCE('w', 0, 'one'), k.READ_ONCE('r', 'r0', 0), k.observe('o', 0, 'r0')))], ['0:r0']);
    const events: StepEvent[] = [];
    new Runtime(w).run({
      scheduler: new ReplayScheduler(encodeSchedule({ threads: [0, 0, 0, 0], choices: [0, 0] })),
      maxSteps: 4,
      onEvent: (e) => events.push(e),
    });
    expect(events[1].memory?.[0]).toMatchObject({ access: 'load', value: 1, forwarded: true, readFrom: { step: 0, thread: 'P0', visibleAt: null } });
  });
});
