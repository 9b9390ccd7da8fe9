// Memory-models section: what an exhaustive audit of reference §5 row C11 costs under each memory
// model (docs/memory-model.md). For every SPLITBAR value, both PTL holders (zap, fault) and sc,
// tso and lkmm: the verdict, states stored, transitions and the median time of 21 audits (after one warm-up), with
// every reduction and with none.
//
// After a build: `node bench/memory-models.js` (prints a table and a Markdown table). It has the
// shape of a bench/run.js section (`export async function memoryModels()`), but is not one of
// bench/run.js's SECTIONS; add it there with one line if it should run with `npm run bench`.

import { fileURLToPath } from 'node:url';
import { explore } from '@mmreplay/explorer';
import { resolveModel } from '@mmreplay/model';

const MODELS = ['sc', 'tso', 'lkmm'];
const BARRIERS = ['none', 'wmb', 'wmb+rmb'];
const CHECKS = ['zap', 'fault'];
const RUNS = 21;

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

function measure(world, opts) {
  explore(world, opts); // warm-up
  const times = [];
  let last;
  for (let i = 0; i < RUNS; i++) {
    const t0 = process.hrtime.bigint();
    last = explore(world, opts);
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { result: last, ms: median(times) };
}

export async function memoryModels() {
  const rows = [];
  for (const check of CHECKS) {
    for (const bar of BARRIERS) {
      for (const memoryModel of MODELS) {
        const { world } = resolveModel({ scenario: 'c11-split-order', variant: { switches: { SPLITBAR: bar, CHECK: check } }, memoryModel });
        const all = measure(world, {});
        const none = measure(world, { symmetry: false, partialOrder: false, deadRegisters: false });
        rows.push({
          check,
          splitbar: bar,
          model: memoryModel,
          verdict: all.result.verdict,
          states: all.result.statesStored,
          transitions: all.result.transitions,
          ms: Number(all.ms.toFixed(1)),
          statesNoReduction: none.result.statesStored,
          msNoReduction: Number(none.ms.toFixed(1)),
          counterexampleSteps: all.result.counterexample?.length ?? null,
        });
      }
    }
  }
  return rows;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const rows = await memoryModels();
  console.table(rows);
  console.log('| check | SPLITBAR | model | verdict | states | transitions | time (median of 21) | states, no reduction | time, no reduction |');
  console.log('|---|---|---|---|---:|---:|---:|---:|---:|');
  for (const r of rows) {
    console.log(
      `| ${r.check} | ${r.splitbar} | ${r.model} | ${r.verdict} | ${r.states.toLocaleString('en-US')} | ${r.transitions.toLocaleString('en-US')} | ${r.ms} ms | ${r.statesNoReduction.toLocaleString('en-US')} | ${r.msNoReduction} ms |`,
    );
  }
}
