import type { JsonValue } from '@mmreplay/events';
import type { RunModel } from './run-model.js';

/**
 * Version of the state projection's snapshot format. Bump it whenever the fold or the snapshot
 * shape changes: snapshots of another version are then ignored (and rebuilt), never misread.
 */
export const PROJECTION_VERSION = 1;

/** How often a run's state is snapshotted, in events: small enough that `stateAt` folds few events. */
export const DEFAULT_SNAPSHOT_EVERY = 128;

/** Snapshots of a run's state are keyed by its stream and the projection (`run-<id>/state`). */
export const snapshotKey = (stream: string): string => `${stream}/state`;

/** Snapshot revisions are the stream revisions of the event after which the state was taken. */
export const isSnapshotRevision = (revision: bigint, every: number): boolean => revision > 0n && revision % BigInt(every) === 0n;

interface StateSnapshotJson {
  /** the content hash of the run's model, so that a snapshot is never read against another model */
  modelHash: string;
  step: number;
  state: number[];
}

export function encodeStateSnapshot(model: RunModel, step: number, state: Int32Array): JsonValue {
  const json: StateSnapshotJson = { modelHash: model.modelHash, step, state: Array.from(state) };
  return json as unknown as JsonValue;
}

/**
 * The state a snapshot holds, or undefined when it cannot be trusted: another projection version,
 * another model, another step than its revision says, or a vector of the wrong size.
 */
export function decodeStateSnapshot(model: RunModel, snapshot: { revision: bigint; version: number; state: unknown }): Int32Array | undefined {
  if (snapshot.version !== PROJECTION_VERSION) return undefined;
  const json = snapshot.state as Partial<StateSnapshotJson> | null;
  if (typeof json !== 'object' || json === null) return undefined;
  if (json.modelHash !== model.modelHash || json.step !== Number(snapshot.revision) - 1) return undefined;
  const state = json.state;
  if (!Array.isArray(state) || state.length !== model.size) return undefined;
  const out = new Int32Array(state.length);
  for (let i = 0; i < state.length; i++) {
    const v = state[i];
    if (!Number.isInteger(v) || (v | 0) !== v) return undefined;
    out[i] = v;
  }
  return out;
}
