// The invariants of reference §2 that mmreplay checks, by name. Some are predicates over the state
// checked after every step (I1, I3); the others are checked at the step that could break them
// (the BUG_ON, I2, I6, I7, ...), or at the end of a run (I9, deadlock).

/**
 * What an invariant is. A `kernel-assertion` is a check the kernel itself makes (a BUG_ON, a
 * VM_BUG_ON, a bad-page report): when it fails, the kernel would crash or complain, and `source`
 * says where. A `protocol` invariant is a property the locking protocol is argued to keep: the
 * kernel does not check it, and `argument` says which argument it encodes, so that a violation
 * reads as "this step of the argument is wrong", not as "the kernel crashes". These two are the
 * classes of mmreplay's own (built-in) invariants.
 */
export type BuiltinInvariantClass = 'kernel-assertion' | 'protocol';

/**
 * The class a verdict gives the invariant it found broken: a built-in's class, or `user` for an
 * invariant the scenario document's author wrote in the predicate language. A `user` invariant is
 * neither a kernel check nor one of mmreplay's protocol arguments: a kernel developer quoting a
 * verdict must not attribute the author's claim to mmreplay's model.
 */
export type InvariantClass = BuiltinInvariantClass | 'user';

/** Every class, in the order the API's schemas list them. */
export const INVARIANT_CLASSES = ['kernel-assertion', 'protocol', 'user'] as const satisfies readonly InvariantClass[];

export interface InvariantInfo {
  readonly name: string;
  readonly ref: string;
  readonly description: string;
  /** liveness properties are about runs that end badly, not about a bad state */
  readonly kind: 'safety' | 'liveness';
  readonly class: BuiltinInvariantClass;
  /** kernel assertions: the file, function, version and the line of the check */
  readonly source?: { readonly file: string; readonly fn: string; readonly version: string; readonly line: string };
  /** protocol invariants: the argument the invariant encodes */
  readonly argument?: string;
}

/** migrate_pages gives up on a page after this many passes (v5.15: `pass < 10`; v6: NR_MAX_MIGRATE_PAGES_RETRY). */
export const KERNEL_MIGRATE_PASSES = 10;

export const INVARIANTS = [
  {
    name: 'bug-on',
    ref: "I1'",
    kind: 'safety',
    class: 'kernel-assertion',
    source: {
      file: 'include/linux/swapops.h',
      fn: 'pfn_swap_entry_to_page',
      version: 'v5.15',
      line: 'BUG_ON(is_migration_entry(entry) && !PageLocked(p));',
    },
    description:
      "The kernel's BUG_ON: a PTL holder that decodes a migration entry finds its page (compound head) locked (pfn_swap_entry_to_page in include/linux/swapops.h; pfn_swap_entry_folio from v6.9). Also reports folio_unlock's VM_BUG_ON_FOLIO(!folio_test_locked(folio)) on an unlock of a page the thread does not hold locked",
  },
  {
    name: 'I1',
    ref: 'I1',
    kind: 'safety',
    class: 'protocol',
    argument:
      'include/linux/swapops.h: "any use of migration entries may only occur while the corresponding page is locked" — checked on every entry after every step, not only where a PTL holder decodes one, so it fails earlier and more often than the BUG_ON',
    description: 'Every migration entry points to a locked page (checked after every step)',
  },
  {
    name: 'I2',
    ref: 'I2',
    kind: 'safety',
    class: 'protocol',
    argument:
      'the PTL serialises every transition of a PTE (set_pte_at under pte_offset_map_lock); the kernel has no assertion for it outside lockdep of the PTL itself',
    description: 'A PTE is written only by a holder of its PTL',
  },
  {
    name: 'I3',
    ref: 'I3',
    kind: 'safety',
    class: 'protocol',
    argument:
      "the migrator keeps its isolation reference until its entries are gone; ffa65753c431's corollary: a PTL holder that sees a migration entry can rely on the page not being freed before it drops the PTL",
    description: 'While a migration entry for a page exists, the page is referenced and not freed',
  },
  {
    name: 'I6',
    ref: 'I6',
    kind: 'safety',
    class: 'protocol',
    argument: '__unmap_and_move / migrate_folio_move order: remove_migration_ptes() before folio_unlock(), so no entry ever points to an unlocked page',
    description: 'A page with migration entries is never unlocked (removal before unlock)',
  },
  {
    name: 'I7',
    ref: 'I7',
    kind: 'safety',
    class: 'protocol',
    argument: 'try_to_migrate() runs with the folio locked (it asserts nothing about it in the PTE loop): lock before install',
    description: 'A migration entry is installed only by the holder of the page lock (lock before install)',
  },
  {
    name: 'I9',
    ref: 'I9',
    kind: 'liveness',
    class: 'protocol',
    argument: 'a waiter queues (PG_waiters) while the page is locked, so the unlock that follows sees PG_waiters and wakes it (folio_unlock -> folio_wake_bit)',
    description: 'No lost wakeup: no thread sleeps forever on an unlocked page',
  },
  {
    name: 'waiter-ref',
    ref: '§4 #5, ffa65753c431',
    kind: 'safety',
    class: 'protocol',
    argument:
      "a waiter may hold no reference to the page it sleeps on only while something else keeps the page allocated until it is queued: ffa65753c431 queues under the PTL of a PTE whose migration (or device-private) entry pins the page (I3's corollary). Waiting with no reference after dropping that lock is 3c226c637b69's bug (a waiter on a freed page)",
    description:
      'A waiter that takes no reference (folio_wait_queue_add) queues only while holding the PTL of a PTE whose entry still names the page (ffa65753c431); frozen pages are fine there, pages nothing pins are not',
  },
  {
    name: 'split-unmapped',
    ref: '§4 #6',
    kind: 'safety',
    class: 'kernel-assertion',
    source: { file: 'mm/huge_memory.c', fn: 'unmap_page', version: 'v5.12', line: 'VM_BUG_ON_PAGE(!unmap_success, page);' },
    description:
      "The split's assertion after the unmap walk: try_to_unmap() returns !page_mapcount(page), and unmap_page BUGs if the page is still mapped (a VM_WARN_ON_ONCE_PAGE(page_mapped(page)) from v5.14)",
  },
  {
    name: 'migration-progress',
    ref: 'I5',
    kind: 'liveness',
    class: 'protocol',
    argument:
      "the refcount livelock of §4 #8-#10: migration gives up only after the kernel's 10 passes (migrate_pages), and failing every one of them because another thread keeps pinning the page is the livelock the reports describe. A give-up before 10 passes (a scenario bound below the kernel's) is the bound, not a violation",
    description: "Migration does not fail its refcount expectation on every one of the kernel's 10 passes",
  },
  {
    name: 'use-after-free',
    ref: 'I3',
    kind: 'safety',
    class: 'kernel-assertion',
    source: { file: 'include/linux/mm.h', fn: 'put_page_testzero', version: 'v5.15', line: 'VM_BUG_ON_PAGE(page_ref_count(page) == 0, page);' },
    description:
      'No reference is taken, and no lock or waiter touches, a freed page; no refcount or mapcount underflow (put_page_testzero, bad_page() in the page allocator)',
  },
  {
    name: 'deadlock',
    ref: '-',
    kind: 'liveness',
    class: 'protocol',
    argument: 'every thread eventually finishes: a state where no thread can run and some have not finished is a hang (the hung-task detector)',
    description: 'Some thread can always run until every thread has finished',
  },
  {
    name: 'weak-outcome',
    ref: 'litmus',
    kind: 'safety',
    class: 'protocol',
    argument: "the litmus test's question: herd7's `exists` clause, which the memory model must allow or forbid as documented",
    description: "A litmus test's weak outcome (herd's `exists` clause over final variables and recorded registers) is never the final state",
  },
] as const satisfies readonly InvariantInfo[];

/** The label of a built-in invariant as the CLI and the API show it: its class and what backs it. */
export function invariantBacking(name: string): { class: BuiltinInvariantClass; backing: string } | undefined {
  const i = (INVARIANTS as readonly InvariantInfo[]).find((x) => x.name === name);
  if (!i) return undefined;
  if (i.class === 'kernel-assertion' && i.source) return { class: i.class, backing: `${i.source.file} ${i.source.fn}() ${i.source.version}: ${i.source.line}` };
  return { class: i.class, backing: i.argument ?? '' };
}

/** What backs a user invariant: its author's document, not mmreplay's table. */
export const USER_INVARIANT_BACKING = 'the scenario document, in the predicate language';

/**
 * The label of an invariant a verdict names: a built-in's (invariantBacking), else a user
 * invariant's. A world's checked invariants are its built-ins and its document's user invariants,
 * whose names are never a built-in's (UserInvariant.name), so a name the table lacks is a user's.
 */
export function violatedInvariantLabel(name: string): { class: InvariantClass; backing: string } {
  return invariantBacking(name) ?? { class: 'user', backing: USER_INVARIANT_BACKING };
}

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
