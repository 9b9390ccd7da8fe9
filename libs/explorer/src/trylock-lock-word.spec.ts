import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument, resolveScenarioModel } from '@mmreplay/model';
import { explore } from './explorer.js';

// docs/memory-model.md, "A failed folio_trylock()" and "The engine's own bounds" (`lock-word`):
// under lkmm a failed folio_trylock() of a CPU with relaxed accesses is a read with no ordering
// (lkmm-trylock-fail-load: the weak outcome is reached, `violated`), and it may fail on a lock state
// older than the lock word's newest (lkmm-trylock-stale: `violated`); where the engine's SC steps
// keep it from that, it says so: the audit says `holds within the engine's bounds`, not `holds`.
// Each failed on the engine before issue 16's session 13 (`holds`, with no bound).

const world = (name: string, memoryModel: 'sc' | 'lkmm') => {
  const text = readFileSync(fileURLToPath(new URL(`../../../examples/scenarios/${name}.yaml`, import.meta.url)), 'utf8');
  const parsed = parseScenarioDocument(text);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return resolveScenarioModel(parsed.scenario, { memoryModel });
};

describe('folio_trylock() under lkmm: audits', () => {
  it('lkmm-trylock-fail-load: violated under lkmm, with and without reductions; holds under sc', () => {
    expect(explore(world('lkmm-trylock-fail-load', 'lkmm').world).verdict).toBe('violated');
    expect(explore(world('lkmm-trylock-fail-load', 'lkmm').world, { partialOrder: false, deadRegisters: false }).verdict).toBe('violated');
    expect(explore(world('lkmm-trylock-fail-load', 'sc').world).verdict).toBe('holds');
  });

  it('lkmm-trylock-stale: violated under lkmm (the failure on the lock state before the unlock), holds under sc', () => {
    expect(explore(world('lkmm-trylock-stale', 'lkmm').world).verdict).toBe('violated');
    expect(explore(world('lkmm-trylock-stale', 'lkmm').world, { partialOrder: false, deadRegisters: false }).verdict).toBe('violated');
    expect(explore(world('lkmm-trylock-stale', 'sc').world).verdict).toBe('holds');
  });

  it("with an SC step (folio_get()) before P1's trylock: violated under lkmm (P0's folio_unlock() is still outstanding when P1 tries)", () => {
    // folio_get() is atomic_inc(), which orders nothing: the LKMM still allows the failure. The
    // SC step makes P1 see the lock word's newest store (Machine.seeLockWords), but P0's
    // folio_unlock() need not have performed yet: it is left outstanding while P0's store of y goes
    // first (Machine.performRelease), and the trylock fails on the lock P0 still holds. Before
    // issue 16's outstanding scenario releases this was `holds within the engine's bounds`
    // (lock-word at P1.folio_get).
    const text = readFileSync(fileURLToPath(new URL('../../../examples/scenarios/lkmm-trylock-stale.yaml', import.meta.url)), 'utf8').replace(
      '      - { label: P1.folio_trylock,',
      '      - { label: P1.folio_get, op: get_page, args: [lk] }\n      - { label: P1.folio_trylock,',
    );
    const parsed = parseScenarioDocument(text);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
    const lkmm = resolveScenarioModel(parsed.scenario, { memoryModel: 'lkmm' });
    for (const options of [{}, { partialOrder: false, deadRegisters: false }]) expect(explore(lkmm.world, options).verdict).toBe('violated');
  });
});
