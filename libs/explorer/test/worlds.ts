import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Layout, parseScenarioDocument, resolveModel, resolveScenarioModel, scenarios, type ResolveRequest, type ResolvedModel } from '@mmreplay/model';

/**
 * Every scenario and named variant with small parameters, under each memory model that gives it
 * store buffers or load queues (a world without relaxed accesses is the same machine under all).
 */
export function catalogueRequests(): ResolveRequest[] {
  const out: ResolveRequest[] = [];
  for (const s of scenarios()) {
    for (const variant of [undefined, ...s.variants.map((v) => v.name)]) {
      const params = s.name === 'seed' ? { ptes: 2, faults: 2 } : undefined;
      out.push({ scenario: s.name, params, variant });
      for (const memoryModel of ['tso', 'lkmm'] as const) {
        try {
          const world = resolveModel({ scenario: s.name, params, variant, memoryModel }).world;
          if (world.memoryModel === memoryModel && new Layout(world).weak) out.push({ scenario: s.name, params, variant, memoryModel });
        } catch {
          // no relaxed accesses to put under that model
        }
      }
    }
  }
  return out;
}

export const describeRequest = (r: ResolveRequest): string =>
  [r.scenario, typeof r.variant === 'object' ? JSON.stringify(r.variant) : r.variant, r.memoryModel].filter((x) => x !== undefined).join(' ');

/**
 * Small worlds that a search with symmetry and dead registers still reduces (a violation among
 * them, an end state, a weak model): what the fast reductions specs of the parallel and
 * approximate searches hold to the sequential search with the same reductions.
 */
export const SMALL_REDUCED_WORLDS: readonly ResolveRequest[] = [
  { scenario: 'seed', params: { ptes: 2, faults: 2 } },
  { scenario: 'seed', params: { ptes: 2, faults: 2 }, variant: 'install-before-lock' },
  { scenario: 'seed', params: { ptes: 2, faults: 2 }, variant: 'unlock-before-remove' },
  { scenario: 'c10-device-private' },
  { scenario: 'c6-ttu-sync' },
  { scenario: 'c5-pmd-wait', variant: 'c5-pmd-no-ref' },
  { scenario: 'c11-split-order', variant: 'c11-no-barriers', memoryModel: 'tso' },
];

/** The reductions those specs switch on, each with at least one of the two. */
export const SYMMETRY_DEAD_REDUCTIONS = [
  { symmetry: true, deadRegisters: true },
  { symmetry: true, deadRegisters: false },
  { symmetry: false, deadRegisters: true },
] as const;

/**
 * examples/scenarios/lb-three-loads.yaml resolved under `memoryModel`: under lkmm the engine keeps
 * two of P0's loads (its bound `loads`, model-bounds.spec), under sc none.
 */
export function lbThreeLoads(memoryModel: 'sc' | 'lkmm' = 'lkmm'): ResolvedModel {
  const doc = parseScenarioDocument(readFileSync(fileURLToPath(new URL('../../../examples/scenarios/lb-three-loads.yaml', import.meta.url)), 'utf8'));
  if (!doc.ok) throw new Error(JSON.stringify(doc.problems));
  return resolveScenarioModel(doc.scenario, { memoryModel });
}
