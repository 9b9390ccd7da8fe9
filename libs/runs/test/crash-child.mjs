// Records one run into an SQLite store until it completes or is killed. Prints, synchronously:
//   ready                         the store is open, the run starts (or continues)
//   batch <revision> <appended>   after each committed batch
//   done <events> <appended> <verified>
// Usage: node crash-child.mjs <runs index.js> <event-store index.js> <database file> <request JSON>
import { writeSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

const [runsLib, storeLib, file, request] = process.argv.slice(2);
const { RunService } = await import(pathToFileURL(runsLib).href);
const { SqliteEventStore } = await import(pathToFileURL(storeLib).href);
const say = (line) => writeSync(1, `${line}\n`);

const store = await SqliteEventStore.open(file, { lockTimeoutMs: 10_000 });
const service = new RunService(store, { batchSize: 5_000, onProgress: (p) => say(`batch ${p.revision} ${p.appended}`) });
say('ready');
const report = await service.startRun(JSON.parse(request));
say(`done ${report.events} ${report.appended} ${report.verified}`);
await store.close();
