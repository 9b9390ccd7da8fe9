import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { resolveModel, scenarios, switchesOf, type ResolveRequest } from './registry.js';
import type { Scenario } from './scenario.js';

// Issue 13: the built-in catalogue keeps its model hashes. catalogue-hashes.json holds, for every
// scenario x parameters x variant or switch combination the catalogue and the tests use, the
// modelHash the TypeScript builders gave before the catalogue moved to documents (recorded with
// MMREPLAY_WRITE_GOLDEN=1 on f562602). Equal hashes are equal worlds, so verdicts and state
// counts are equal too (the explorer's catalogue test checks the state counts besides).

const file = fileURLToPath(new URL('./catalogue-hashes.json', import.meta.url));

/** Parameter sets the catalogue and the tests use, per scenario (beyond defaults and catalogueParams). */
const EXTRA_PARAMS: Readonly<Record<string, readonly Record<string, number>[]>> = {
  seed: [
    { ptes: 2, faults: 2 },
    { ptes: 3, faults: 3 },
    { ptes: 1, faults: 0 },
    { ptes: 2, faults: 3, rounds: 3 },
    { ptes: 2, faults: 2, rounds: 20 },
    { ptes: 13, faults: 2 },
    { ptes: 1, faults: 1, passes: 3 },
    { ptes: 1, faults: 1, rounds: 2 },
    { ptes: 2, faults: 1, rounds: 3, accesses: 2 },
    { ptes: 6, faults: 6 },
  ],
  'c1-exec-stack': [{ passes: 1 }, { passes: 3 }],
  'c3-remap-file-pages': [{ passes: 1 }, { passes: 3 }],
  'c8-shmem-refcount': [{ passes: 1 }, { passes: 3 }],
  'c10-device-private': [{ passes: 1 }, { passes: 3 }],
};

function requests(s: Scenario): ResolveRequest[] {
  const defaults = Object.fromEntries(s.params.map((p) => [p.name, p.default]));
  const sets = [defaults, { ...defaults, ...(s.catalogueParams ?? {}) }, ...(EXTRA_PARAMS[s.name] ?? []).map((p) => ({ ...defaults, ...p }))];
  const out: ResolveRequest[] = [];
  for (const params of sets) {
    out.push({ scenario: s.name, params });
    for (const v of s.variants) out.push({ scenario: s.name, params, variant: v.name });
    // every combination of the scenario's own switches, and each common switch value alone
    let combos: Record<string, string>[] = [{}];
    for (const w of s.switches) combos = combos.flatMap((c) => w.values.map((v) => ({ ...c, [w.name]: v })));
    for (const c of combos) out.push({ scenario: s.name, params, variant: { switches: c } });
    for (const w of switchesOf(s).slice(s.switches.length))
      for (const v of w.values) out.push({ scenario: s.name, params, variant: { switches: { [w.name]: v } } });
  }
  return out;
}

const key = (r: ResolveRequest) => `${r.scenario} ${JSON.stringify(r.params)} ${JSON.stringify(r.variant ?? 'kernel')}`;

function hashes(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const s of scenarios()) {
    for (const r of requests(s)) {
      try {
        out[key(r)] = resolveModel(r).modelHash;
      } catch (e) {
        out[key(r)] = `error: ${(e as Error).constructor.name}`;
      }
    }
  }
  return out;
}

describe('the catalogue keeps its model hashes', () => {
  it('every scenario x parameters x variant and switch combination resolves to the recorded modelHash', () => {
    const now = hashes();
    if (process.env.MMREPLAY_WRITE_GOLDEN === '1') writeFileSync(file, `${JSON.stringify(now, null, 1)}\n`);
    const recorded = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
    expect(Object.keys(now).length).toBeGreaterThan(500);
    expect(now).toEqual(recorded);
  }, 120_000);
});
