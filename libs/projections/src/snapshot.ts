import type { JsonValue } from '@mmreplay/events';
import type { RunModel } from './run-model.js';

/**
 * Version of the state projection's snapshot format. Bump it whenever the fold or the snapshot
 * shape changes: snapshots of another version are then ignored (and rebuilt), never misread.
 */
export const PROJECTION_VERSION = 2;

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
  /** `stateChecksum` of the model hash, step and state: a snapshot altered on disk is discarded */
  checksum: string;
}

/** FNV-1a over 32-bit words, two lanes (64 bits): cheap, and catches any change of a value. */
function fnv(words: ArrayLike<number>, text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const mix = (w: number) => {
    for (let k = 0; k < 4; k++) {
      const byte = (w >>> (k * 8)) & 0xff;
      a = Math.imul(a ^ byte, 0x01000193);
      b = Math.imul(b ^ byte, 0x01000193) ^ (b >>> 15);
    }
  };
  for (let i = 0; i < text.length; i++) mix(text.charCodeAt(i));
  mix(words.length);
  for (let i = 0; i < words.length; i++) mix(words[i] | 0);
  return (a >>> 0).toString(16).padStart(8, '0') + (b >>> 0).toString(16).padStart(8, '0');
}

export const stateChecksum = (modelHash: string, step: number, state: ArrayLike<number>): string => fnv(state, `${modelHash}:${step}`);

export function encodeStateSnapshot(model: RunModel, step: number, state: Int32Array): JsonValue {
  const json: StateSnapshotJson = { modelHash: model.modelHash, step, state: Array.from(state), checksum: stateChecksum(model.modelHash, step, state) };
  return json as unknown as JsonValue;
}

/**
 * The state a snapshot holds, or undefined when it cannot be trusted: another projection version,
 * another model, another step than its revision says, a vector of the wrong size, or contents
 * that do not match their checksum (altered on disk). The caller then folds from the events.
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
  if (json.checksum !== stateChecksum(model.modelHash, json.step, out)) return undefined;
  return out;
}
