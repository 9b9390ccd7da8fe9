// Appends batches to an SQLite event store until killed. Prints, synchronously (so a line is in
// the pipe before the next instruction runs):
//   ready
//   begin <batch> <stream> <size>     before each append
//   ack <batch> <stream> <first revision> <size>   after the append has committed
// Usage: node crash-child.mjs <event-store index.js> <model index.js> <database file> <seed>
// The seed fixes the streams and batch sizes (the model's mulberry32, the one definition), so a
// failing run can be repeated.
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [lib, modelLib, file, seed] = process.argv.slice(2);
const { SqliteEventStore, StreamNotFoundError } = await import(pathToFileURL(lib).href);
const { mulberry32 } = await import(pathToFileURL(modelLib).href);
const random = mulberry32(Number(seed));
const say = (line) => writeSync(1, `${line}\n`);

const store = await SqliteEventStore.open(file, { lockTimeoutMs: 10_000 });
const streams = ['crash-a', 'crash-b', 'crash-c'];
const heads = new Map();
for (const stream of streams) {
  try {
    const [last] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
    heads.set(stream, last.revision);
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
    heads.set(stream, 'no-stream');
  }
}
say('ready');

const pad = 'x'.repeat(120);
for (let n = 0; ; n++) {
  const stream = streams[Math.floor(random() * streams.length)];
  // Mostly large batches (a transaction of several milliseconds), some single events.
  const size = random() < 0.2 ? 1 : 200 + Math.floor(random() * 3_000);
  const batch = `${process.pid}.${n}`;
  const events = Array.from({ length: size }, (_, index) => ({ type: 'CrashProbe', data: { batch, index, size, pad } }));
  say(`begin ${batch} ${stream} ${size}`);
  const result = await store.appendToStream(stream, events, { expectedRevision: heads.get(stream) });
  heads.set(stream, result.nextExpectedRevision);
  say(`ack ${batch} ${stream} ${result.nextExpectedRevision - BigInt(size) + 1n} ${size}`);
}
