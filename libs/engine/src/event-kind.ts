import { OPS, PageFlag, isOpName, type OpName } from '@mmreplay/model';
import type { StateDelta } from './step-event.js';

// The event type of a step comes from its op's declaration (libs/model/src/isa.ts): a fixed kind,
// or one of two decided by what the step changed.

const tests = {
  /**
   * the step took PG_locked of a page: set the bit, or (folio_lock after a handoff) found it set for
   * it by the unlocker and left the wait queue, its wait entry cleared
   */
  'page-locked': (deltas: readonly StateDelta[]) =>
    deltas.some(
      (d) =>
        (d.field === 'flags' && (d.after & PageFlag.locked) !== 0 && (d.before & PageFlag.locked) === 0) ||
        (d.field === 'waitPage' && d.object.startsWith('thread:') && d.after === -1),
    ),
  /** the step froze a refcount */
  'ref-frozen': (deltas: readonly StateDelta[]) => deltas.some((d) => d.field === 'frozen' && d.after !== 0),
} as const;

/** The event type of a step, from its op and what it changed. */
export function eventKind(op: OpName, deltas: readonly StateDelta[]): string {
  if (!isOpName(op)) return 'Step';
  const e = OPS[op].event;
  if (e === undefined) return op;
  if (typeof e === 'string') return e;
  return tests[e.when](deltas) ? e.then : e.otherwise;
}
