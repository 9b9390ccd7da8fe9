// Appends batches to an SQLite event store until killed. Prints, synchronously (so a line is in
// the pipe before the next instruction runs):
//   ready
//   begin <batch> <stream> <size>     before each append
//   ack <batch> <stream> <first revision> <size>   after the append has committed
// Usage: node crash-child.mjs <event-store index.js> <database file> <seed>
// The seed fixes the streams and batch sizes (mulberry32), so a failing run can be repeated.
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [lib, file, seed] = process.argv.slice(2);
let state = Number(seed) >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
};
const { SqliteEventStore, StreamNotFoundError } = await import(pathToFileURL(lib).href);
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
