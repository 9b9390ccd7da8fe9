import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolveModel } from '@mmreplay/model';
import { explore, exploreOnce, type ExploreOptions } from './explorer.js';
import { catalogueRequests, describeRequest } from '../test/worlds.js';

// How much each reduction saves, pinned per world (issue 20: mutants that made a reduction weaker,
// a footprint wider, a register live or a symmetry key finer, survived every test, since the
// other specs only check that the reduced search keeps the verdict and stores no more states than
// the plain one). The figures are the stored states of each reduction alone and all together, for
// every world of the catalogue small enough to explore in a blink. A change that makes a reduction
// stronger or weaker on purpose regenerates them: MMREPLAY_UPDATE_COUNTS=1 npx vitest run
// src/reduction-strength.spec.ts, and the diff of test/reduction-counts.json shows what moved.

const GOLDEN = new URL('../test/reduction-counts.json', import.meta.url);
const CONFIGS: Record<string, ExploreOptions> = {
  none: { symmetry: false, partialOrder: false, deadRegisters: false },
  'partial-order': { symmetry: false, partialOrder: true, deadRegisters: false },
  'dead-registers': { symmetry: false, partialOrder: false, deadRegisters: true },
  symmetry: { symmetry: true, partialOrder: false, deadRegisters: false },
  all: {},
};
// Worlds whose plain search stores more are left out, to keep the test fast.
const MAX_STATES = 4_000;

function measure(): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const req of catalogueRequests()) {
    const world = resolveModel(req).world;
    const plain = explore(world, { ...CONFIGS.none, bounds: { maxStates: MAX_STATES } });
    if (plain.boundHit !== null) continue;
    const row: Record<string, string> = {};
    for (const [name, opts] of Object.entries(CONFIGS)) {
      // the reduced search's own states (explore searches a violation found with partial order
      // again without it, for a shortest counterexample)
      const r = exploreOnce(world, { ...opts, bounds: { maxStates: MAX_STATES } });
      row[name] = `${r.verdict} ${r.statesStored} ${r.reductions.filter((x) => x !== 'state-deduplication' && x !== 'local-steps-merged').join('+')}`;
    }
    out[describeRequest(req)] = row;
  }
  return out;
}

describe('reduction strength', () => {
  it('each reduction alone and all together store the pinned number of states on every small world of the catalogue', () => {
    const got = measure();
    if (process.env.MMREPLAY_UPDATE_COUNTS === '1' || !existsSync(GOLDEN)) writeFileSync(GOLDEN, `${JSON.stringify(got, null, 1)}\n`);
    const want = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, Record<string, string>>;
    expect(Object.keys(got).length).toBeGreaterThan(30);
    expect(got).toEqual(want);
  }, 120_000);
});
