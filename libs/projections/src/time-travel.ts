import type { JsonValue, StepRecorded } from '@mmreplay/events';
import { applyStep } from './fold.js';
import { ProjectionMismatchError, StepOutOfRangeError } from './errors.js';
import type { RunModel } from './run-model.js';
import { decodeStateSnapshot, DEFAULT_SNAPSHOT_EVERY, encodeStateSnapshot, isSnapshotRevision, PROJECTION_VERSION } from './snapshot.js';

/** An event of a run's stream as the projection needs it. Revision 0 is RunStarted; revision n + 1 is step n. */
export interface SourceEvent {
  readonly revision: bigint;
  readonly type: string;
  readonly data: unknown;
}

export interface SourceSnapshot {
  readonly revision: bigint;
  readonly version: number;
  readonly state: unknown;
}

/**
 * Where time travel reads one run from: its stream and its snapshots. A small port of its own, so
 * the projection stays free of I/O; the application layer adapts the event store to it.
 */
export interface RunEventSource {
  /** Up to `maxCount` events from `fromRevision` on, in order; fewer at the end of the stream. */
  read(fromRevision: bigint, maxCount: number): Promise<readonly SourceEvent[]>;
  /** The latest snapshot of this projection version at or before the revision. */
  loadSnapshot(atOrBefore: bigint, version: number): Promise<SourceSnapshot | undefined>;
  /** Saves a snapshot; absent for read-only sources. */
  saveSnapshot?(revision: bigint, version: number, state: JsonValue): Promise<void>;
}

export interface TimeTravelOptions {
  /** snapshot spacing, in events (default `DEFAULT_SNAPSHOT_EVERY`, 128); the snapshots crossed by a fold are (re)written */
  snapshotEvery?: number;
  /** events read per round trip when a fold is long (default 5,000) */
  pageSize?: number;
}

export interface StateAt {
  /** the state after `step` (-1: before the first step); the caller owns it */
  state: Int32Array;
  step: number;
  /** the step event that produced this state; null for step -1 */
  event: StepRecorded | null;
  /** the revision of the snapshot the fold started from (0n: RunStarted) */
  fromRevision: bigint;
  /** events folded on top of it */
  folded: number;
}

const STEP_RECORDED = 'StepRecorded';

/**
 * The state of a run after `step`: the nearest snapshot at or before it plus the fold of the events
 * after the snapshot. Snapshots of another projection version (or that do not fit the model) are
 * ignored, and the snapshots that the fold passes are saved again at the current version, so a
 * run's snapshots rebuild themselves as they are used.
 */
export async function stateAt(source: RunEventSource, model: RunModel, step: number, options: TimeTravelOptions = {}): Promise<StateAt> {
  if (!Number.isSafeInteger(step) || step < -1) throw new StepOutOfRangeError(model.runId, step, -1);
  const every = options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
  const pageSize = options.pageSize ?? 5_000;
  const target = BigInt(step) + 1n;
  if (target === 0n) return { state: model.initial.slice(), step: -1, event: null, fromRevision: 0n, folded: 0 };

  // Start strictly before the target, so that the event of the target step is always read.
  let state: Int32Array | undefined;
  let revision = 0n;
  const snapshot = await source.loadSnapshot(target - 1n, PROJECTION_VERSION);
  if (snapshot) {
    state = decodeStateSnapshot(model, snapshot);
    if (state) revision = snapshot.revision;
  }
  state ??= model.initial.slice();
  const fromRevision = revision;

  let event: StepRecorded | null = null;
  let folded = 0;
  while (revision < target) {
    const want = Number(target - revision < BigInt(pageSize) ? target - revision : BigInt(pageSize));
    const events = await source.read(revision + 1n, want);
    for (const e of events) {
      const expected = revision + 1n;
      if (e.revision !== expected) throw new ProjectionMismatchError(`run ${model.runId}: expected revision ${expected}, read ${e.revision}`);
      if (e.type !== STEP_RECORDED) throw new StepOutOfRangeError(model.runId, step, Number(revision) - 1);
      event = e.data as StepRecorded;
      applyStep(state, event, Number(expected) - 1);
      revision = expected;
      folded++;
      // The loaded snapshot is the latest valid one before the target, so every boundary passed
      // here lacks one (the target's own may exist: not rewritten on the read path).
      if (source.saveSnapshot && revision < target && isSnapshotRevision(revision, every)) {
        // A snapshot is a cache: a failed write (disk full, read-only store) never fails the read.
        try {
          await source.saveSnapshot(revision, PROJECTION_VERSION, encodeStateSnapshot(model, Number(revision) - 1, state));
        } catch {
          // the next read that passes here tries again
        }
      }
    }
    if (events.length < want) throw new StepOutOfRangeError(model.runId, step, Number(revision) - 1);
  }
  return { state, step, event, fromRevision, folded };
}
