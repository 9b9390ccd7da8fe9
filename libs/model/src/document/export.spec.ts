import { describe, expect, it } from 'vitest';
import { resolveModel, resolveScenarioModel, scenarios, switchesOf, type ResolveRequest } from '../scenarios/registry.js';
import type { Scenario } from '../scenarios/scenario.js';
import { documentToYaml, exportScenarioObject } from './export.js';
import { parseScenarioDocument } from './load.js';

// Issue 13 must-show: every built-in exported as a document and loaded back (through YAML text)
// resolves to the same model, hash for hash, for its kernel protocol, every named variant and
// every single switch value, at its default and its catalogue parameters.

/** Requests covering a scenario: the kernel, each named variant, each value of each switch alone. */
export function coveringRequests(s: Scenario, params: Readonly<Record<string, number>>): ResolveRequest[] {
  const out: ResolveRequest[] = [{ scenario: s.name, params }];
  for (const v of s.variants) out.push({ scenario: s.name, params, variant: v.name });
  for (const w of switchesOf(s))
    for (const value of w.values) if (value !== w.default) out.push({ scenario: s.name, params, variant: { switches: { [w.name]: value } } });
  return out;
}

describe('export -> re-import of every built-in', () => {
  for (const s of scenarios()) {
    const paramSets = [
      Object.fromEntries(s.params.map((p) => [p.name, p.default])),
      ...(s.catalogueParams ? [{ ...Object.fromEntries(s.params.map((p) => [p.name, p.default])), ...s.catalogueParams }] : []),
    ];
    it(`${s.name}: same modelHash for every variant and switch value`, () => {
      for (const params of paramSets) {
        const text = documentToYaml(exportScenarioObject(s, params));
        const loaded = parseScenarioDocument(text);
        expect(loaded.problems, s.name).toEqual([]);
        if (!loaded.ok) return;
        for (const req of coveringRequests(s, params)) {
          let want: string;
          try {
            want = resolveModel(req).modelHash;
          } catch (e) {
            expect(() => resolveScenarioModel(loaded.scenario, req)).toThrow((e as Error).constructor as new () => Error);
            continue;
          }
          expect(resolveScenarioModel(loaded.scenario, req).modelHash, JSON.stringify(req)).toBe(want);
        }
      }
    });
  }
});
