import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { everyTarget, recordRun } from '../test/engine-runs.js';
import { RunModel } from './run-model.js';
import { viewOf } from './view.js';
import { formatField } from './values.js';

// How a state reads, pinned for one run of every scenario (issue 20: the mutation run over
// projections left the readable formatting of values.ts and view.ts untested inside the library:
// `locked|waiters`, `read x2`, `{vma0,vma1}`, a sleeper's wait entry, TLB entries, THP heads...,
// which only the CLI and trace goldens of other projects read). For each scenario, a seeded random
// run: the readable view of its middle and last states and every slot of it as `formatField` prints it. A
// change of the readable form on purpose regenerates the file: MMREPLAY_UPDATE_VIEWS=1 npx vitest
// run src/view.golden.spec.ts, and its diff shows what moved.

const GOLDEN = new URL('../test/view-golden.json', import.meta.url);
const STEPS = 40;

function measure(): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const seen = new Set<string>();
  for (const target of everyTarget) {
    // one run per scenario, and the named variants of the seed (locks and waits differ there)
    if (seen.has(target.scenario) && target.scenario !== 'seed') continue;
    seen.add(target.scenario);
    const run = recordRun(target, 'random', 7, STEPS);
    const model = new RunModel(run.started);
    const last = run.states.length - 1;
    const s = last >= 0 ? run.states[last] : model.initial;
    const slots = Array.from(s, (v, i) => {
      const { object, field } = model.layout.describe(i);
      return `${object}.${field}=${formatField(model, object, field, v)}`;
    });
    const mid = Math.floor(last / 2);
    out[`${target.scenario} ${target.variant ?? ''}`.trim()] = {
      view: viewOf(model, s, last),
      slots: slots.join(' '),
      midway: mid >= 0 ? viewOf(model, run.states[mid], mid) : null,
    };
  }
  return out;
}

describe('the readable view, pinned', () => {
  it('the middle and last states of a seeded run of every scenario reads as pinned', () => {
    const got = JSON.parse(JSON.stringify(measure())) as Record<string, unknown>;
    if (process.env.MMREPLAY_UPDATE_VIEWS === '1' || !existsSync(GOLDEN)) writeFileSync(GOLDEN, `${JSON.stringify(got, null, 1)}\n`);
    const want = JSON.parse(readFileSync(GOLDEN, 'utf8')) as Record<string, unknown>;
    expect(Object.keys(got).length).toBeGreaterThan(15);
    for (const key of Object.keys(want)) expect(got[key], key).toEqual(want[key]);
    expect(Object.keys(got)).toEqual(Object.keys(want));
  });
});
