import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { namedVariants, parseScenarioDocument, resolveModel, resolveScenarioModel, scenarios, type World } from '@mmreplay/model';
import { explore } from './explorer.js';
import { explorePartitioned } from './partition.js';
import { exploreBitstate } from './bitstate.js';
import { auditResultOf } from './audit.js';

// A search reports the engine's own bounds on weak-memory state that held a thread back
// (docs/memory-model.md, "the engine's own bounds"): its `holds` is then the engine's within them,
// and the summary says so. libs/litmus engine-bounds.spec.ts holds the report to the LKMM.

const text = readFileSync(fileURLToPath(new URL('../../../examples/scenarios/lb-three-loads.yaml', import.meta.url)), 'utf8');
const parsed = parseScenarioDocument(text);
if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
const lb3 = (memoryModel: 'sc' | 'lkmm') => resolveScenarioModel(parsed.scenario, { memoryModel });
const LOADS = [{ bound: 'loads', thread: 'P0', label: 'P0.read_c', kept: 2 }];

describe("the engine's own bounds, reported by every search", () => {
  it('LB with three loads under lkmm: holds, with the load bound; under sc: no bound', () => {
    const r = explore(lb3('lkmm').world);
    expect(r.verdict).toBe('holds');
    expect(r.modelBounds).toEqual(LOADS);
    expect(explore(lb3('lkmm').world, { partialOrder: false, deadRegisters: false }).modelBounds).toEqual(LOADS);
    expect(explore(lb3('sc').world).modelBounds).toBeUndefined();
  });

  it('the partitioned and the approximate searches report the same', () => {
    const world = lb3('lkmm').world;
    expect(explorePartitioned(world, 2, { maxDepth: 1000 }).modelBounds).toEqual(LOADS);
    expect(exploreBitstate(world, { bitstate: { log2Bits: 20 } }).modelBounds).toEqual(LOADS);
  });

  it("the summary: 'holds within the engine's bounds', the bound in words; a plain holds otherwise", () => {
    const req = { scenario: 'lb-three-loads', strategy: 'exhaustive' as const };
    const within = auditResultOf(req, lb3('lkmm'), { ...explore(lb3('lkmm').world), pctBound: null, sampling: null });
    expect(within.summary).toMatch(
      /^holds within the engine's bounds: no state reached violates weak-outcome, deadlock under lkmm; but the engine held threads back .*: P0 at P0\.read_c waited at the engine's bound on outstanding loads per thread \(2\)/,
    );
    const plain = auditResultOf(req, lb3('sc'), { ...explore(lb3('sc').world), pctBound: null, sampling: null });
    expect(plain.summary).toMatch(/^holds: no reachable state violates/);
  });

  it('no catalogue world under tso or lkmm meets a bound with its default parameters (their holds stand)', () => {
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
    for (const [name, world] of worlds) expect(explore(world).modelBounds, name).toBeUndefined();
  });
});
