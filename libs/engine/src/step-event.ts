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
  /**
   * Relaxed-memory accesses of the step (absent when it made none): which write a load read and
   * which newer writes it missed, when a buffered store became visible, which fence ran.
   */
  readonly memory?: readonly MemoryAccess[];
}

/** A write to a relaxed location, as loads and checks cite it. */
export interface WriteRef {
  /** the step that issued the write (its instruction); null for the initial value */
  readonly step: number | null;
  readonly thread: string | null;
  readonly label: string | null;
  readonly value: number;
  /** the step at which it became visible to other threads (null: still in a store buffer) */
  readonly visibleAt: number | null;
}

/**
 * One relaxed-memory access of a step (docs/memory-model.md):
 * - `load`: a load satisfied now, with the write it read (`readFrom`, `forwarded` when from the
 *   thread's own store buffer) and the `newer` writes to the location it did not see;
 * - `load-issued`: a load left outstanding (lkmm), satisfied by a later `load-satisfied` step
 *   (`issuedAt` names the issuing step);
 * - `store` (sc: straight to memory), `store-buffered`, `store-visible` (a flush, `issuedAt`);
 * - `fence`: `smp_rmb`, `smp_wmb`, `smp_mb`;
 * - `check`: a check on a value loaded earlier (`loadedAt`), with what that load read and the newer
 *   writes by the time of the check: how stale the checked value is.
 */
export interface MemoryAccess {
  readonly access: 'load' | 'load-issued' | 'load-satisfied' | 'store' | 'store-buffered' | 'store-visible' | 'fence' | 'check';
  /** `page:t1.flags`, `page:t1.head`, `var:x` */
  readonly location?: string;
  readonly value?: number;
  readonly fence?: string;
  /** `acquire` / `release` for marked accesses */
  readonly ordering?: string;
  readonly readFrom?: WriteRef;
  readonly forwarded?: boolean;
  readonly newer?: readonly WriteRef[];
  readonly issuedAt?: number;
  readonly loadedAt?: number;
  /** the same in a sentence: "zap read page:t1.flags = 0 (the initial value); newer: split's store at step 12 ..." */
  readonly note?: string;
}

export interface ViolationRecord {
  readonly invariant: string;
  readonly step: number;
  readonly thread: string;
  readonly message: string;
}
