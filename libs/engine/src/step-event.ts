import type { SourceRef } from '@mmreplay/model';

/** One changed slot of the state vector: the unit that projections fold. */
export interface StateDelta {
  readonly slot: number;
  readonly object: string;
  readonly field: string;
  readonly before: number;
  readonly after: number;
}

/** What the engine emits for every atomic step: enough to rebuild the state without the engine. */
export interface StepEvent {
  readonly step: number;
  readonly thread: string;
  readonly threadIndex: number;
  readonly pc: number;
  readonly label: string;
  readonly op: string;
  /** the event type, e.g. PageUnlocked, MigrationEntryInstalled, PteRead */
  readonly kind: string;
  readonly src: SourceRef;
  readonly choice: number;
  /** the step's operands after it ran, as a kernel developer reads them: {page: 'P', value: 'migration(P,write)'} */
  readonly args: Readonly<Record<string, string | number>>;
  readonly deltas: readonly StateDelta[];
}

export interface ViolationRecord {
  readonly invariant: string;
  readonly step: number;
  readonly thread: string;
  readonly message: string;
}
