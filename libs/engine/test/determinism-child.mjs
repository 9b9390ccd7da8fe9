// Replays runs in a process of its own and prints one SHA-256 of each run's step events per line.
// The determinism property compares these with the hashes of the test's own process: hidden state
// (a module-level cache, Math.random, iteration order of a shared map) that leaks into events
// shows as a difference, which hashing twice in one process cannot see. Cases are run in reverse
// order so that state carried from one run to the next differs too.
// Usage: node determinism-child.mjs <model index.js> <engine index.js> < cases.json
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [modelEntry, engineEntry] = process.argv.slice(2);
const { resolveModel } = await import(pathToFileURL(modelEntry).href);
const { Runtime, makeScheduler } = await import(pathToFileURL(engineEntry).href);
const cases = JSON.parse(readFileSync(0, 'utf8'));

const hashes = new Array(cases.length);
for (let i = cases.length - 1; i >= 0; i--) {
  const { target, strategy, seed, maxSteps } = cases[i];
  // as the test's own process does: only use-after-free, set on the world (it does not apply to litmus tests)
  const world = { ...resolveModel(target).world, invariants: ['use-after-free'] };
  const events = [];
  new Runtime(world).run({ scheduler: makeScheduler({ strategy, seed }, world, maxSteps), maxSteps, onEvent: (e) => events.push(e) });
  hashes[i] = createHash('sha256').update(JSON.stringify(events)).digest('hex');
}
process.stdout.write(hashes.join('\n') + '\n');
