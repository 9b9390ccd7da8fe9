import { describe } from 'vitest';
import { eventStoreContract } from '../contract/event-store.contract.js';
import { EsdbEventStore } from './esdb-event-store.js';

// Needs a running EventStoreDB / KurrentDB, e.g.
//   EVENTSTORE_CONNECTION_STRING='esdb://localhost:2113?tls=false' npx vitest run esdb
// (see docker/ for a server). Without the variable the suite is reported as skipped.
const connectionString = process.env['EVENTSTORE_CONNECTION_STRING'];

describe.skipIf(!connectionString)('EventStoreDB contract (set EVENTSTORE_CONNECTION_STRING to run)', () => {
  eventStoreContract('EventStoreDB event store', () => EsdbEventStore.connect(connectionString!), { liveTimeoutMs: 20_000, expectOverlap: false });
});
