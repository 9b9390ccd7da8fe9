import { Layout, resolveModel, scenarios, type ResolveRequest } from '@mmreplay/model';

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
