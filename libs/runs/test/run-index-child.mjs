// One of several processes opening the run table of one SQLite file and folding the same log into
// it, as API processes on one store do. After "ready", waits for "go" on stdin, then for each round
// opens a fresh file's table (every process racing to create it) and folds positions 1..folds
// into it one event at a time (every process racing to move the position). Prints "done".
// Usage: node run-index-child.mjs <run-index.js> <file prefix> <rounds> <folds>
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [lib, prefix, roundsText, foldsText] = process.argv.slice(2);
const { RunIndex } = await import(pathToFileURL(lib).href);
const say = (line) => writeSync(1, `${line}\n`);

say('ready');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();

for (let round = 0; round < Number(roundsText); round++) {
  const table = new RunIndex(`${prefix}-${round}.db`);
  for (let p = 1; p <= Number(foldsText); p++) {
    // an event the catalogue does not fold: only the position moves
    table.fold([{ streamId: 'probe', type: 'Probe', revision: BigInt(p), position: BigInt(p), data: {}, metadata: {}, id: String(p) }]);
  }
  table.close();
}
say('done');
