import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument, resolveModel, resolveScenarioModel, scenarios, type MemoryModelName, type World } from '@mmreplay/model';
import { Machine } from './machine.js';
import { walkStates } from '../test/walk-states.js';

// The searches tell an end state by no thread being runnable, and take a thread's steps as
// choices 0 .. choiceCount - 1 (explorer.ts, shared-search.ts, the reference searches). That rests on
// a promise of the machine: a runnable thread has at least one choice. A runnable thread with none
// would be a dead end that is not an end state, so neither a deadlock nor an end invariant would be
// looked at there. Under sc it holds by construction (baseChoices is at least 1); under tso and
// lkmm a thread is runnable for its queues too (an outstanding load, a store not yet flushed, an
// issued release), so it is checked on every state of every scenario and document, up to a bound.

const MODELS: readonly MemoryModelName[] = ['sc', 'tso', 'lkmm'];
const STATES_PER_WORLD = 20_000;
const examples = fileURLToPath(new URL('../../../examples/scenarios/', import.meta.url));

const worlds: { name: string; world: (mm: MemoryModelName) => World }[] = [
  ...scenarios().flatMap((s) =>
    [undefined, ...s.variants.map((v) => v.name)].map((variant) => ({
      name: `${s.name} ${variant ?? 'kernel'}`,
      world: (memoryModel: MemoryModelName) => resolveModel({ scenario: s.name, variant, memoryModel }).world,
    })),
  ),
  ...readdirSync(examples)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => ({
      name: f,
      world: (memoryModel: MemoryModelName) => {
        const r = parseScenarioDocument(readFileSync(examples + f, 'utf8'));
        if (!r.ok) throw new Error(`${f}: ${r.problems.map((p) => p.message).join('; ')}`);
        return resolveScenarioModel(r.scenario, { memoryModel }).world;
      },
    })),
];

/** The states of a walk (at most `limit` steps) where a runnable thread has no choice, as "state: thread". */
function runnableWithoutChoice(m: Machine, limit: number): { steps: number; found: string[] } {
  const found: string[] = [];
  let steps = 0;
  const look = (s: Int32Array) => {
    for (let t = 0; t < m.threadCount; t++) if (m.isRunnable(s, t) && m.choiceCount(s, t) === 0) found.push(`${s.join(',')}: thread ${t}`);
  };
  look(m.initialState());
  walkStates(m, {
    step: (next, kept) => {
      if (kept) look(next);
      return ++steps >= limit;
    },
  });
  return { steps, found };
}

describe('Machine: a runnable thread has a step to take', () => {
  it.each(MODELS)('on every state reached in every scenario, variant and example document under %s', (mm) => {
    let weakSteps = 0;
    for (const w of worlds) {
      const m = new Machine(w.world(mm));
      const { steps, found } = runnableWithoutChoice(m, STATES_PER_WORLD);
      expect(found, `${w.name} under ${mm}`).toEqual([]);
      if (mm !== 'sc') weakSteps += steps;
    }
    // the walks went through the queues' states, not only the first few
    if (mm !== 'sc') expect(weakSteps).toBeGreaterThan(100_000);
  });
});
