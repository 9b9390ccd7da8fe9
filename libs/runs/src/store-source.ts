import { runStream } from '@mmreplay/events';
import { StreamNotFoundError, type EventStore } from '@mmreplay/event-store';
import { snapshotKey, type RunEventSource } from '@mmreplay/projections';
import { UnknownRunError } from './errors.js';

/** The projection's view of one run in the event store: its stream and its state snapshots. */
export function storeSource(store: EventStore, runId: string, options: { writeSnapshots?: boolean } = {}): RunEventSource {
  const stream = runStream(runId);
  const key = snapshotKey(stream);
  return {
    read: async (fromRevision, maxCount) => {
      try {
        return await store.readStream(stream, { fromRevision, maxCount });
      } catch (e) {
        if (e instanceof StreamNotFoundError) throw new UnknownRunError(runId);
        throw e;
      }
    },
    loadSnapshot: (atOrBefore, version) => store.snapshots.load(key, { atOrBefore, version }),
    saveSnapshot: options.writeSnapshots === false ? undefined : (revision, version, state) => store.snapshots.save(key, { revision, version, state }),
  };
}
