import { eventStoreContract } from '../contract/event-store.contract.js';
import { InMemoryEventStore } from './memory-event-store.js';

eventStoreContract('in-memory event store', async () => new InMemoryEventStore());
