import type { JsonValue, RunStarted, StepRecorded } from '@mmreplay/events';
import type { RunEventSource, SourceEvent, SourceSnapshot } from '../src/time-travel.js';

/** A run's stream and snapshots in memory, counting what time travel reads. */
export class MemorySource implements RunEventSource {
  readonly events: SourceEvent[];
  readonly snapshots = new Map<bigint, SourceSnapshot>();
  reads = 0;
  snapshotLoads = 0;
  eventsRead = 0;
  saves = 0;

  constructor(started: RunStarted, steps: readonly StepRecorded[], completed = true) {
    this.events = [{ revision: 0n, type: 'RunStarted', data: started }];
    steps.forEach((data, i) => this.events.push({ revision: BigInt(i + 1), type: 'StepRecorded', data: JSON.parse(JSON.stringify(data)) }));
    if (completed) this.events.push({ revision: BigInt(steps.length + 1), type: 'RunCompleted', data: {} });
  }

  async read(fromRevision: bigint, maxCount: number): Promise<readonly SourceEvent[]> {
    this.reads++;
    const out = this.events.slice(Number(fromRevision), Number(fromRevision) + maxCount);
    this.eventsRead += out.length;
    return out;
  }

  async loadSnapshot(atOrBefore: bigint, version: number): Promise<SourceSnapshot | undefined> {
    this.snapshotLoads++;
    let best: SourceSnapshot | undefined;
    for (const s of this.snapshots.values()) if (s.revision <= atOrBefore && s.version === version && (!best || s.revision > best.revision)) best = s;
    return best;
  }

  async saveSnapshot(revision: bigint, version: number, state: JsonValue): Promise<void> {
    this.saves++;
    this.snapshots.set(revision, { revision, version, state: JSON.parse(JSON.stringify(state)) });
  }
}
