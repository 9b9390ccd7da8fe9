import { eventKind, type StateDelta } from '@mmreplay/engine';
import { didYouMean, opNames, PageFlag } from '@mmreplay/model';
import { InvalidQueryError } from './errors.js';

// The event kinds a step can have, for checking `events --type` / `?type=`: asked of the engine's
// own naming (every op, with and without the page lock taken or the refcount frozen), so the list
// cannot drift from what runs record.
const probes: StateDelta[][] = [
  [],
  [{ slot: 0, object: 'page:_', field: 'flags', before: 0, after: PageFlag.locked }],
  [{ slot: 0, object: 'page:_', field: 'frozen', before: 0, after: 1 }],
];

let known: readonly string[] | undefined;

/** Every event kind a step can be recorded with, sorted. */
export function eventKindNames(): readonly string[] {
  return (known ??= [...new Set(opNames.flatMap((op) => probes.map((d) => eventKind(op, d))))].sort());
}

/** Refuses a filter naming no event kind and no instruction, with the nearest names. */
export function checkEventTypes(types: readonly string[] | undefined): void {
  const kinds = eventKindNames();
  for (const t of types ?? []) {
    if (kinds.includes(t) || (opNames as readonly string[]).includes(t)) continue;
    throw new InvalidQueryError('type', `unknown event kind '${t}'${didYouMean(t, [...kinds, ...opNames])} (kinds: ${kinds.join(', ')})`);
  }
}
