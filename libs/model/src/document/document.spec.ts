import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseScenarioDocument } from './load.js';
import { resolveScenarioModel } from '../scenarios/registry.js';

const example = (name: string) => readFileSync(fileURLToPath(new URL(`../../../../examples/scenarios/${name}`, import.meta.url)), 'utf8');

describe('scenario documents', () => {
  it('loads the mremap example and resolves every variant', () => {
    const r = parseScenarioDocument(example('mremap-vs-migration.yaml'));
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    for (const v of [undefined, ...r.scenario.variants.map((x) => x.name)]) {
      const m = resolveScenarioModel(r.scenario, { variant: v });
      expect(m.world.scenario).toBe('mremap-vs-migration');
      expect(m.world.paths.handle_mm_fault.steps[0].op).toBe('wait_thread');
    }
  });
});
