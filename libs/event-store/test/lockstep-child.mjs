// One of two processes racing in lockstep: for every line "expect <revision|no-stream>" on stdin
// it appends one event expecting exactly that, and prints the outcome as one JSON line. Both
// processes get the same expectation, so exactly one of them must win each round, however the
// machine schedules them.
// Usage: node lockstep-child.mjs <event-store index.js> <database file> <writer>
import { createInterface } from 'node:readline';
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [lib, file, writer] = process.argv.slice(2);
const { SqliteEventStore, WrongExpectedVersionError } = await import(pathToFileURL(lib).href);
const say = (line) => writeSync(1, `${line}\n`);
const store = await SqliteEventStore.open(file, { lockTimeoutMs: 20_000 });
say('ready');
for await (const line of createInterface({ input: process.stdin })) {
  const text = line.replace(/^expect /, '');
  const expected = text === 'no-stream' ? 'no-stream' : BigInt(text);
  try {
    const r = await store.appendToStream('lockstep', [{ type: 'RaceProbe', data: { writer } }], { expectedRevision: expected });
    say(JSON.stringify({ writer, won: true, revision: String(r.nextExpectedRevision) }));
  } catch (error) {
    if (!(error instanceof WrongExpectedVersionError)) throw error;
    say(JSON.stringify({ writer, won: false, actual: String(error.actual) }));
  }
}
await store.close();
