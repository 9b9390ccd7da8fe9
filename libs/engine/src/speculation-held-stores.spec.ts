import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument, resolveScenarioModel, type MemoryModelName } from '@mmreplay/model';
import { Machine } from './machine.js';
import { walkStates } from '../test/walk-states.js';

// lkmm speculates a branch on an outstanding load (docs/memory-model.md, "Speculated branches").
// What the guess decides must reach no other CPU before the guess is confirmed: the invariants are
// checked after every step, so a store made visible on a wrong guess breaks one in a state that no
// execution reaches. Each world below stores 1 to y only on a way that needs x = 1, and the user
// invariant says y is never 1 while x is 0: it holds under sc, tso and the LKMM. Every step of
// every state is checked here. The first three failed on the engine that held only the stores of
// the region and those reading a register the region wrote (a later branch on such a register, a
// copy of one, and a spin_lock in the region went first); the last is the precision guard: a
// register the region wrote and that is then overwritten holds nothing back.

const doc = (steps: unknown[], watched = 'y') => {
  const r = parseScenarioDocument({
    name: 'held-store',
    title: 'a store behind a guessed branch',
    threads: [
      { name: 'P0', path: 'reader', args: {} },
      { name: 'P1', path: 'writer', args: {} },
    ],
    paths: {
      reader: { regs: { one: 'int', r0: 'int', r1: 'int', r2: 'int' }, steps: [{ label: 'P0.init', op: 'mov', args: ['one', 1] }, ...steps] },
      writer: {
        regs: { one: 'int' },
        steps: [
          { label: 'P1.init', op: 'mov', args: ['one', 1] },
          { label: 'P1.write_x', op: 'store_var', args: [0, 'one', 0] },
        ],
      },
    },
    invariants: [
      'deadlock',
      {
        name: `${watched}-after-x`,
        never: {
          all: [
            { var: watched, value: 1 },
            { var: 'x', value: 0 },
          ],
        },
        message: `${watched} is 1 while x is 0`,
      },
    ],
    litmus: { vars: ['x', 'y', 's'], results: [], exists: [] },
  });
  if (!r.ok) throw new Error(r.problems.map((p) => `${p.path}: ${p.message}`).join('\n'));
  return r.scenario;
};

/** Every step of every reachable state; the first that breaks an invariant, or null. */
function firstViolation(scenario: ReturnType<typeof doc>, memoryModel: MemoryModelName): string | null {
  const m = new Machine(resolveScenarioModel(scenario, { memoryModel }).world);
  let found: string | null = null;
  walkStates(m, {
    step: (_, kept) => {
      if (!kept) found = m.violation!.message;
      return !kept;
    },
  });
  return found;
}

const read = { label: 'P0.read_x', op: 'load_var', args: ['r0', 0, 0] };
const guess = [
  read,
  { label: 'P0.if_r0', op: 'bne', args: ['r0', 1, 'P0.endif_r0'] },
  { label: 'P0.set_r1', op: 'mov', args: ['r1', 1] },
  { label: 'P0.endif_r0', op: 'nop', args: [] },
];
const storeY = (reg: string) => ({ label: 'P0.write_y', op: 'store_var', args: [1, reg, 0] });

const worlds: Record<string, [steps: unknown[], watched?: string]> = {
  // the example document: if (r0 == 1) r1 = 1; if (r1 == 1) WRITE_ONCE(y, 1);
  'a store in a later branch on a register the region wrote': [
    [...guess, { label: 'P0.if_r1', op: 'bne', args: ['r1', 1, 'P0.end'] }, storeY('one'), { label: 'P0.end', op: 'nop', args: [] }],
  ],
  // if (r0 == 1) r1 = 1; r2 = r1; WRITE_ONCE(y, r2);
  'a store of a copy of a register the region wrote': [[...guess, { label: 'P0.copy', op: 'copy', args: ['r2', 'r1'] }, storeY('r2')]],
  // if (r0 == 1) spin_lock(s); (the lock write is a store of the region; s is 1 only once taken)
  'a spin_lock in the region': [
    [
      read,
      { label: 'P0.if_r0', op: 'bne', args: ['r0', 1, 'P0.end'] },
      { label: 'P0.lock', op: 'spin_lock_var', args: [2] },
      { label: 'P0.end', op: 'nop', args: [] },
    ],
    's',
  ],
};

describe('lkmm: nothing a guess decides is seen before the guess is confirmed', () => {
  it('the example document lkmm-wrong-guess.yaml holds under every model', () => {
    const text = readFileSync(fileURLToPath(new URL('../../../examples/scenarios/lkmm-wrong-guess.yaml', import.meta.url)), 'utf8');
    const r = parseScenarioDocument(text);
    if (!r.ok) throw new Error(r.problems.map((p) => p.message).join('\n'));
    for (const mm of ['sc', 'tso', 'lkmm'] as const) expect(firstViolation(r.scenario, mm), mm).toBeNull();
  });

  it.each(Object.keys(worlds))('%s', (name) => {
    const [steps, watched] = worlds[name];
    for (const mm of ['sc', 'tso', 'lkmm'] as const) expect(firstViolation(doc(steps, watched), mm), mm).toBeNull();
  });

  it('a register the region wrote and then overwritten holds nothing back: the store goes before the load', () => {
    // if (r0 == 1) r1 = 1; r1 = 2; WRITE_ONCE(y, r1);
    const m = new Machine(resolveScenarioModel(doc([...guess, { label: 'P0.two', op: 'mov', args: ['r1', 2] }, storeY('r1')]), { memoryModel: 'lkmm' }).world);
    const y = m.layout.locSlot(m.layout.varLoc(1));
    const seen = new Set<string>();
    const stack = [m.initialState()];
    let early = false;
    while (stack.length > 0 && !early) {
      const s = stack.pop()!;
      early = s[y] === 2 && m.lqCount(s, 0) > 0;
      for (let t = 0; t < m.threadCount; t++) {
        if (!m.isRunnable(s, t)) continue;
        for (let c = 0, n = m.choiceCount(s, t); c < n; c++) {
          const next = s.slice();
          m.step(next, t, c);
          const key = next.join(',');
          if (!seen.has(key)) {
            seen.add(key);
            stack.push(next);
          }
        }
      }
    }
    expect(early).toBe(true);
  });
});
