#!/usr/bin/env node
// Differential soundness fuzzing of the explorer's reductions (issue 11 item 3), beyond the 500
// variants `npm test` checks: `npm run fuzz:reductions -- --count 20000 [--first 1]`. Each seed
// generates a random well-typed variant of a scenario; its verdict with every reduction, with none
// and with one more combination must equal the reference enumerator's, and every counterexample
// must replay (`--alone`: and the parallel search's code on this thread alone, states equal;
// `--threads N`: and the parallel search itself on N worker threads sharing one visited set, states
// equal, about 0.3 s a variant for starting the threads). A failure prints the seed and the variant
// as JSON (re-run it with --first SEED --count 1) and the exit status is 1.

import { fuzzReductions, fuzzReductionsOnWorkers } from '@mmreplay/explorer';

function option(name, dflt) {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isSafeInteger(v) || v < 0) {
    console.error(`--${name} takes a non-negative integer`);
    process.exit(2);
  }
  return v;
}

const first = option('first', 1);
const count = option('count', 2000);
// --alone: also the parallel search's code on this thread alone (exploreSharedAlone)
const alone = process.argv.includes('--alone');
// --threads N: also exploreParallel on N worker threads
const threads = option('threads', 1);
const started = Date.now();
let done = 0;
const onCase = (seed, o) => {
  done++;
  if (o.kind === 'failed') console.log(`FAILED seed ${seed}: ${o.reason}`);
  if (done % 500 === 0) console.log(`${done}/${count} variants, ${((Date.now() - started) / 1000).toFixed(0)} s`);
};
const report = threads > 1 ? await fuzzReductionsOnWorkers(first, count, threads, onCase) : fuzzReductions(first, count, onCase, alone);
const seconds = (Date.now() - started) / 1000;
console.log(
  `${report.checked} variants (seeds ${first}..${first + count - 1}) in ${seconds.toFixed(1)} s: ${report.agreed.holds} holds and ${report.agreed.violated} violated agree, ${report.skipped} skipped (the machine refuses the program, or too large for the reference), ${report.failures.length} failed`,
);
for (const f of report.failures) console.log(JSON.stringify({ seed: f.seed, reason: f.reason, request: f.request }));
process.exit(report.failures.length ? 1 : 0);
