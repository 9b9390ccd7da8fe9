// The invariants of reference §2 that mmreplay checks, by name. Some are predicates over the state
// checked after every step (I1, I3); the others are checked at the step that could break them
// (the BUG_ON, I2, I6, I7, ...), or at the end of a run (I9, deadlock).

export interface InvariantInfo {
  readonly name: string;
  readonly ref: string;
  readonly description: string;
  /** liveness properties are about runs that end badly, not about a bad state */
  readonly kind: 'safety' | 'liveness';
}

export const INVARIANTS = [
  {
    name: 'bug-on',
    ref: "I1'",
    kind: 'safety',
    description:
      "The kernel's BUG_ON: a PTL holder that decodes a migration entry finds its page (compound head) locked (pfn_swap_entry_to_page, include/linux/swapops.h)",
  },
  { name: 'I1', ref: 'I1', kind: 'safety', description: 'Every migration entry points to a locked page (checked after every step)' },
  { name: 'I2', ref: 'I2', kind: 'safety', description: 'A PTE is written only by a holder of its PTL' },
  {
    name: 'I3',
    ref: 'I3',
    kind: 'safety',
    description: 'While a migration entry for a page exists, the page is referenced and not freed',
  },
  { name: 'I6', ref: 'I6', kind: 'safety', description: 'A page with migration entries is never unlocked (removal before unlock)' },
  { name: 'I7', ref: 'I7', kind: 'safety', description: 'A migration entry is installed only by the holder of the page lock (lock before install)' },
  { name: 'I9', ref: 'I9', kind: 'liveness', description: 'No lost wakeup: no thread sleeps forever on an unlocked page' },
  {
    name: 'waiter-ref',
    ref: '§5 C5',
    kind: 'safety',
    description: 'No waiter is queued on a page whose reference count is 0 (a freed or frozen page)',
  },
  { name: 'split-unmapped', ref: '§4 #6', kind: 'safety', description: 'VM_BUG_ON(folio_mapped) after unmap_folio: the unmap walk leaves no mapping' },
  {
    name: 'migration-progress',
    ref: 'I5',
    kind: 'liveness',
    description: 'Migration does not fail its refcount expectation on every pass (no livelock within the pass bound)',
  },
  { name: 'use-after-free', ref: 'I3', kind: 'safety', description: 'No reference is taken, and no lock or waiter touches, a freed page' },
  { name: 'deadlock', ref: '-', kind: 'liveness', description: 'Some thread can always run until every thread has finished' },
  {
    name: 'weak-outcome',
    ref: 'litmus',
    kind: 'safety',
    description: "A litmus test's weak outcome (herd's `exists` clause over final variables and recorded registers) is never the final state",
  },
] as const satisfies readonly InvariantInfo[];

export type InvariantName = (typeof INVARIANTS)[number]['name'];
export const invariantNames: readonly InvariantName[] = INVARIANTS.map((i) => i.name);

const aliases: Record<string, InvariantName> = { "I1'": 'bug-on', I1p: 'bug-on', I5: 'migration-progress' };

export function resolveInvariant(name: string): InvariantName | undefined {
  if ((invariantNames as readonly string[]).includes(name)) return name as InvariantName;
  return aliases[name];
}

/** Bit of an invariant in the runtime's enabled mask. */
export const invariantBit = (name: InvariantName): number => 1 << invariantNames.indexOf(name);

export function invariantMask(names: readonly string[]): number {
  let m = 0;
  for (const n of names) {
    const r = resolveInvariant(n);
    if (r) m |= invariantBit(r);
  }
  return m;
}
