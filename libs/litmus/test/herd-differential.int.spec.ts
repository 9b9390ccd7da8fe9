import { describe, expect, it } from 'vitest';
import { describeDisagreement, differential } from './differential.js';
import { findHerd } from './herd.js';

const herd = findHerd();
// CI runs a small seeded batch; `npm run litmus:differential` runs the full 2,000 (BENCHMARKS.md).
const count = Number(process.env['LITMUS_DIFFERENTIAL_COUNT'] ?? 60);
const first = Number(process.env['LITMUS_DIFFERENTIAL_FIRST'] ?? 1);
const title = herd ? 'differential vs herd7' : 'differential vs herd7: SKIPPED, herd7 not found (set MMREPLAY_HERD7 to its directory)';

describe.skipIf(!herd)(title, () => {
  it(`generated tests, seeds ${first}..${first + count - 1}: same Observation and witness counts as herd7`, () => {
    const r = differential(herd!, first, count);
    const compared = r.tests - r.herdTimeouts.length;
    console.log(
      `litmus differential, seeds ${first}..${first + count - 1}: ${r.agreed}/${compared} agree with herd7` +
        (r.herdTimeouts.length ? ` (${r.herdTimeouts.length} not compared, herd7 timed out: seeds ${r.herdTimeouts.join(', ')})` : '') +
        `; mmreplay ${(r.oursMs / r.tests).toFixed(1)} ms/test, herd7 ${(r.herdMs / r.tests).toFixed(1)} ms/test (total ${(r.oursMs / 1000).toFixed(1)} s / ${(r.herdMs / 1000).toFixed(1)} s)`,
    );
    for (const d of r.disagreements) console.log(`seed ${d.seed}: mmreplay ${d.ours} / herd7 ${d.herd}`);
    expect(r.disagreements.slice(0, 3).map(describeDisagreement).join('\n')).toBe('');
    expect(r.herdTimeouts.length).toBeLessThan(Math.max(1, count / 50));
  }, 3_600_000);
});
