import { invariantBit, type InvariantName, type Layout, type World } from '@mmreplay/model';
import type { MemAction } from '../machine.js';

// What the semantic files (one per family of instructions) need from the machine. They are plain
// functions over the state vector; the machine (machine.ts) dispatches to them and owns
// enabledness and choices.

export interface StepHost {
  readonly layout: Layout;
  readonly world: World;
  readonly threadCount: number;
  /** enabled invariants (bits of invariantBit), plus use-after-free */
  readonly enabled: number;
  /** page -> page->index, for vma_address() */
  readonly pageIndexOf: Int32Array;
  readonly weak: boolean;
  readonly weakThread: Uint8Array;
  readonly memLog: MemAction[];
  /** set when a step writes the local vector of a thread other than the one stepping (see Machine.wroteOthers) */
  wroteOthers: boolean;
  /** set when a step reads the local vector of a thread other than the one stepping (see Machine.readOthers) */
  readOthers: boolean;
  /** Records a broken invariant if it is enabled; returns whether the step may go on as ok. */
  fail(t: number, invariant: InvariantName, message: string): boolean;
  pageName(p: number): string;
}

export const I = {
  bugOn: invariantBit('bug-on'),
  I1: invariantBit('I1'),
  I2: invariantBit('I2'),
  I3: invariantBit('I3'),
  I6: invariantBit('I6'),
  I7: invariantBit('I7'),
  I9: invariantBit('I9'),
  waiterRef: invariantBit('waiter-ref'),
  splitUnmapped: invariantBit('split-unmapped'),
  progress: invariantBit('migration-progress'),
  uaf: invariantBit('use-after-free'),
  deadlock: invariantBit('deadlock'),
};
