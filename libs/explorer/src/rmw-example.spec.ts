import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument, resolveScenarioModel } from '@mmreplay/model';
import { explore } from './explorer.js';

// examples/scenarios/rmw-two-increments.yaml (docs/memory-model.md, "Read-modify-writes run at
// their pc"): a scenario document with rmw_var steps, audited as a user would. Two atomic_inc()s
// never lose an update, under every model and every reduction; the same increments written as a
// load and a store do.

const text = readFileSync(fileURLToPath(new URL('../../../examples/scenarios/rmw-two-increments.yaml', import.meta.url)), 'utf8');
const parsed = parseScenarioDocument(text);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const world = (memoryModel: 'sc' | 'tso' | 'lkmm', variant?: string) => resolveScenarioModel(parsed.scenario, { memoryModel, variant }).world;

describe('a scenario document with read-modify-writes', () => {
  it.each(['sc', 'tso', 'lkmm'] as const)(
    '%s: two atomic_inc() hold (x is never 1), with and without reductions, no ordering of the engine met',
    (memoryModel) => {
      for (const opts of [{}, { partialOrder: false, deadRegisters: false }]) {
        const r = explore(world(memoryModel), opts);
        expect(r.verdict).toBe('holds');
        expect(r.modelBounds).toBeUndefined();
      }
    },
  );

  it.each(['sc', 'tso', 'lkmm'] as const)('%s: the racy variant (a load, then a store of the value plus one) loses an update', (memoryModel) => {
    expect(explore(world(memoryModel, 'racy')).verdict).toBe('violated');
  });
});
