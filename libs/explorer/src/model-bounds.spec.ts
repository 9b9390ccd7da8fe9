import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { namedVariants, parseScenarioDocument, resolveModel, resolveScenarioModel, scenarios, type World } from '@mmreplay/model';
import { lbThreeLoads } from '../test/worlds.js';
import { explore } from './explorer.js';
import { exploreSharedAlone } from './parallel.js';
import { exploreBitstate } from './bitstate.js';
import { auditResultOf } from './audit.js';
import { isModelOrdering, unchecked } from '@mmreplay/engine';

// A search reports the engine's own bounds on weak-memory state that held a thread back
// (docs/memory-model.md, "the engine's own bounds"), and the orderings it adds to the LKMM's where
// they did: its `holds` is then the engine's within them, and the summary says so, unless a litmus
// twin of the world checked the ordering there (CHECKED_ORDERINGS). libs/litmus
// engine-bounds.spec.ts holds the report to the LKMM.

const LOADS = [{ bound: 'loads', thread: 'P0', label: 'P0.read_c', kept: 2 }];

describe("the engine's own bounds, reported by every search", () => {
  it('LB with three loads under lkmm: holds, with the load bound; under sc: no bound', () => {
    const r = explore(lbThreeLoads('lkmm').world);
    expect(r.verdict).toBe('holds');
    expect(r.modelBounds).toEqual(LOADS);
    expect(explore(lbThreeLoads('lkmm').world, { partialOrder: false, deadRegisters: false }).modelBounds).toEqual(LOADS);
    expect(explore(lbThreeLoads('sc').world).modelBounds).toBeUndefined();
  });

  it('the shared-set (alone) and the approximate searches report the same', () => {
    const world = lbThreeLoads('lkmm').world;
    expect(exploreSharedAlone(world).modelBounds).toEqual(LOADS);
    expect(exploreBitstate(world, { bitstate: { log2Bits: 20 } }).modelBounds).toEqual(LOADS);
  });

  it("the summary: 'holds within the engine's bounds', the bound in words; a plain holds otherwise", () => {
    const req = { scenario: 'lb-three-loads', strategy: 'exhaustive' as const };
    const within = auditResultOf(req, lbThreeLoads('lkmm'), { ...explore(lbThreeLoads('lkmm').world), pctBound: null, sampling: null });
    expect(within.summary).toMatch(
      /^holds within the engine's bounds: no state reached violates weak-outcome, deadlock under lkmm; but the engine held threads back .*: P0 at P0\.read_c waited at the engine's bound on outstanding loads per thread \(2\)/,
    );
    const plain = auditResultOf(req, lbThreeLoads('sc'), { ...explore(lbThreeLoads('sc').world), pctBound: null, sampling: null });
    expect(plain.summary).toMatch(/^holds: no reachable state violates/);
  });

  it('no catalogue world under tso or lkmm meets a bound with its default parameters; a holds meets no ordering but one its litmus twin checked', () => {
    const worlds: [string, World][] = [];
    for (const s of scenarios())
      for (const variant of [undefined, ...namedVariants(s).map((v) => v.name)])
        for (const memoryModel of ['tso', 'lkmm'] as const) {
          let world: World;
          try {
            world = resolveModel({ scenario: s.name, variant, memoryModel }).world;
          } catch {
            continue; // no relaxed accesses to put under that model
          }
          if (world.memoryModel !== 'sc') worlds.push([`${s.name} ${variant ?? ''} ${memoryModel}`, world]);
        }
    expect(worlds.length).toBeGreaterThan(20);
    const ordered: string[] = [];
    for (const [name, world] of worlds) {
      const r = explore(world);
      // the engine's bounds on weak-memory state: none
      expect(
        (r.modelBounds ?? []).filter((b) => !isModelOrdering(b)),
        name,
      ).toEqual([]);
      // its orderings beyond the LKMM's: a holds only with those a twin checked
      if (r.verdict === 'holds') expect(unchecked(r.modelBounds), name).toEqual([]);
      if (r.modelBounds?.length) ordered.push(name);
    }
    // only the C11 worlds have relaxed accesses next to SC steps (and only under lkmm)
    expect(
      ordered.every((n) => n.startsWith('c11-split-order') && n.endsWith('lkmm')),
      ordered.join(', '),
    ).toBe(true);
  });

  it("c11-split-order under lkmm: the reader's SC step after its loads, checked by the litmus twins; its summary a plain holds that says so", () => {
    const resolved = resolveModel({ scenario: 'c11-split-order', memoryModel: 'lkmm' });
    const r = explore(resolved.world);
    expect(r.verdict).toBe('holds');
    // (333 before issue 16's outstanding scenario releases: the split's PTL unlock is issued, then
    // performs, one step more, on the paths where the stores after it go first)
    expect(r.statesStored).toBe(337);
    expect(r.modelBounds).toEqual([
      // (the first site met of each: the reader's PTE read holds back its loads after it)
      { bound: 'sc-step', thread: 'zap', label: 'Z2.ptep_get', kept: 0, checkedBy: expect.stringContaining('C11+split-ptl+zap-ptl') },
      // (the split's smp_wmb() after its PTL unlock waits for the unlock to perform, and holds back
      // what follows: the twins write it out too)
      { bound: 'release', thread: 'split', label: 'S2.pte_unmap_unlock', kept: 0, checkedBy: expect.stringContaining('C11+split-ptl+zap-ptl') },
    ]);
    const a = auditResultOf({ scenario: 'c11-split-order', strategy: 'exhaustive' }, resolved, { ...r, pctBound: null, sampling: null });
    expect(a.summary).toMatch(
      /^holds: no reachable state violates .*; the engine's orderings beyond the model's were used where checked: zap at Z2\.ptep_get waited on the engine's ordering: an SC step .*; checked for this world: the LKMM gives the litmus twins C11\+split-ptl\+zap-ptl/,
    );
    // without smp_wmb() in the split no twin was written: the site is reported unchecked (the verdict
    // is violated); the stores after the split's PTL unlock go before it, so no `release` (it was
    // reported there before issue 16's outstanding scenario releases)
    const none = explore(resolveModel({ scenario: 'c11-split-order', variant: 'c11-no-barriers', memoryModel: 'lkmm' }).world);
    expect(none.verdict).toBe('violated');
    expect(none.modelBounds).toEqual([{ bound: 'sc-step', thread: 'zap', label: 'Z2.ptep_get', kept: 0 }]);
  });

  it("lkmm-wrong-guess.yaml: the store held behind the guessed branch's register is the engine's ordering, and the holds says so", () => {
    const doc = parseScenarioDocument(readFileSync(fileURLToPath(new URL('../../../examples/scenarios/lkmm-wrong-guess.yaml', import.meta.url)), 'utf8'));
    if (!doc.ok) throw new Error(JSON.stringify(doc.problems));
    const resolved = resolveScenarioModel(doc.scenario, { memoryModel: 'lkmm' });
    const r = explore(resolved.world);
    expect(r.verdict).toBe('holds');
    expect(r.modelBounds).toEqual([{ bound: 'ctrl', thread: 'P0', label: 'P0.write_y', kept: 0 }]);
    const a = auditResultOf({ scenario: 'lkmm-wrong-guess', strategy: 'exhaustive' }, resolved, { ...r, pctBound: null, sampling: null });
    expect(a.summary).toMatch(
      /^holds within the engine's bounds: .*P0 at P0\.write_y waited on the engine's ordering: a store that depends on a speculated branch's way/,
    );
  });
});
