// One of several processes appending to the same stream with expected revisions.
// After "ready", waits for "go" on stdin, then until the stream holds <target> events:
// appends a batch of 1-3 events expecting the revision it last knew; on WrongExpectedVersion it
// takes the actual revision and races again. Prints one JSON line per attempt, then "done".
// Usage: node race-child.mjs <event-store index.js> <database file> <writer> <target> [delay ms]
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [lib, file, writer, targetText, delayText] = process.argv.slice(2);
const target = BigInt(targetText);
const delayMs = Number(delayText ?? 0);
const { SqliteEventStore, WrongExpectedVersionError } = await import(pathToFileURL(lib).href);
const say = (line) => writeSync(1, `${line}\n`);

const store = await SqliteEventStore.open(file, { lockTimeoutMs: 20_000 });
say('ready');
await new Promise((resolve) => process.stdin.once('data', resolve));
process.stdin.pause();

let expected = 'no-stream';
for (let attempt = 0; expected === 'no-stream' || expected < target - 1n; attempt++) {
  const size = 1 + (attempt % 3);
  const events = Array.from({ length: size }, (_, index) => ({ type: 'RaceProbe', data: { writer, attempt, index, size } }));
  try {
    const result = await store.appendToStream('race', events, { expectedRevision: expected });
    say(JSON.stringify({ writer, attempt, won: true, expected: String(expected), first: String(result.nextExpectedRevision - BigInt(size) + 1n), size }));
    expected = result.nextExpectedRevision;
  } catch (error) {
    if (!(error instanceof WrongExpectedVersionError)) throw error;
    say(JSON.stringify({ writer, attempt, won: false, expected: String(expected), actual: String(error.actual) }));
    expected = error.actual;
  }
  if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
}
await store.close();
say('done');
