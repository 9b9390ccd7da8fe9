import { describe, expect, it } from 'vitest';
import { describeDisagreement, differential } from './differential.js';
import { findHerd } from './herd.js';

const herd = findHerd();
// CI runs a seeded batch; `npm run litmus:differential` runs the full 2,000 (BENCHMARKS.md).
const count = Number(process.env['LITMUS_DIFFERENTIAL_COUNT'] ?? 120);
const first = Number(process.env['LITMUS_DIFFERENTIAL_FIRST'] ?? 1);

describe.skipIf(!herd)('differential vs herd7 (skipped: herd7 not found; set MMREPLAY_HERD7)', () => {
  it(`generated tests, seeds ${first}..${first + count - 1}: same Observation and witness counts as herd7`, () => {
    const r = differential(herd!, first, count);
    console.log(
      `litmus differential: ${r.agreed}/${r.tests} agree; mmreplay ${(r.oursMs / r.tests).toFixed(1)} ms/test, herd7 ${(r.herdMs / r.tests).toFixed(1)} ms/test`,
    );
    for (const d of r.disagreements) console.log(`seed ${d.seed}: mmreplay ${d.ours} / herd7 ${d.herd}`);
    expect(r.disagreements.slice(0, 3).map(describeDisagreement).join('\n')).toBe('');
  }, 1_800_000);
});
