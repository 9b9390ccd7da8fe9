// The weak memory models keep bounded state per thread and per location (libs/model layout.ts).
// Where a path needs more than a bound keeps, the engine makes the thread wait (or drops a choice)
// where the model itself would let it go on: the search then misses executions, so a `holds` found
// there is not the model's. The machine records each bound the first time it holds a thread back,
// and a search reports them with its verdict (docs/memory-model.md, "the engine's own bounds").
//
// lkmm also orders some accesses more than the LKMM does (docs/memory-model.md, "Where the
// engine's lkmm still differs"): those are reported the same way, as the engine's orderings
// (MODEL_ORDERINGS), where they held a thread back. A world may name a litmus twin that shows an
// ordering changes none of its final states (CHECKED_ORDERINGS): such a site is reported with the
// twin, and does not make a `holds` the engine's alone.

/** Each bound the engine may hold a thread back at, then each ordering it adds to the LKMM's. */
export const MODEL_BOUNDS = [
  'loads',
  'stores',
  'messages',
  'speculation',
  'wmb',
  'releases',
  'ctrl',
  'page-address',
  'sc-step',
  'lock-word',
  'release',
  'rmw',
  'rcu',
] as const;
export type ModelBoundName = (typeof MODEL_BOUNDS)[number];

/**
 * The orderings lkmm adds to the LKMM's: `ctrl` a store after a speculated branch that depends
 * on the way taken (or a spin_lock in the branch) waits for the branch's load; `page-address` a
 * scenario load or store through a page register whose load is outstanding waits at its pc, and
 * holds up what follows; `sc-step` an SC step (PTE, refcount, BUG_ON check, a lock's release)
 * waits for its CPU's outstanding relaxed accesses and makes what its CPU has seen reach every CPU
 * (a lock's acquire waits for none and publishes nothing, as in the LKMM, except where machine.ts
 * acquireReady says), or, not a release, holds back a relaxed access after it (Machine.scStepFollows); `lock-word` a folio_trylock() of a CPU with relaxed accesses cannot fail on
 * an older, locked store of the page's lock word that the LKMM lets its READ_ONCE() read: the word
 * kept only its newest store, or an SC step made the CPU see it (Machine.staleLock, seeLockWords);
 * `release` a scenario release (ptl_unlock, unlock_page, rmap_unlock, ref_unfreeze) of a CPU with
 * relaxed accesses is left outstanding while the relaxed accesses after it go first
 * (Machine.performRelease), but an acquire, a release store, smp_wmb() or an instruction naming a
 * register it reads after it waits for it to perform, where the LKMM's release orders only what
 * precedes it; `rmw` a litmus read-modify-write that is not fully ordered (or a cmpxchg() that
 * fails) runs at its pc in one step: it waits for what it names and what came before it as
 * Machine.rmwPlan says, and what follows waits for it, where the LKMM orders less; `rcu` a
 * critical section waits to start until the thread's last one has ended.
 */
export const MODEL_ORDERINGS: readonly ModelBoundName[] = ['ctrl', 'page-address', 'sc-step', 'lock-word', 'release', 'rmw', 'rcu'];

/** A bound (or an ordering) that held a thread back, where it did so first. */
export interface ModelBoundMet {
  readonly bound: ModelBoundName;
  readonly thread: string;
  /** the label of the instruction that waited or lost a choice */
  readonly label: string;
  /** what the bound kept there at most (the thread's, or the location's); 0 for an ordering */
  readonly kept: number;
  /** an ordering at a site a litmus twin of the world checked (CHECKED_ORDERINGS): the twin */
  readonly checkedBy?: string;
}

const WHAT: Readonly<Record<ModelBoundName, string>> = {
  loads: 'outstanding loads per thread',
  stores: 'outstanding stores per thread',
  messages: 'older stores a location keeps for CPUs that have not seen newer ones',
  speculation: 'branches speculated on one outstanding load',
  wmb: 'smp_wmb() barriers with stores outstanding before them',
  releases: 'outstanding release stores per thread',
  ctrl: "a store that depends on a speculated branch's way, or a spin_lock in the branch, waits for the branch's load (the LKMM orders only the branch's own stores, and only a lock's write)",
  'page-address':
    'an access through a page register whose load is outstanding waits at its pc, and so do the accesses after it (the LKMM orders only the dependent access)',
  'sc-step':
    "an SC step (a PTE, refcount or BUG_ON step, a lock's release, or an acquire held back while its CPU holds a guess or has an access to the page lock's flags word outstanding) waits for its CPU's outstanding relaxed accesses, makes what its CPU has seen reach every CPU, or holds back a relaxed load or store after it (the LKMM's spin_unlock is a release, set_pte_at() and ptep_get() ONCE accesses, folio_get() a relaxed atomic)",
  'lock-word':
    "a folio_trylock() could not fail on an older, locked store of the page's lock word, which the LKMM lets its READ_ONCE() read while another CPU's folio_unlock() has not reached its CPU: the word kept only its newest store there (an unlock by a CPU without relaxed accesses or with no room left, or a later SC write of the word), or an SC step of its CPU made it see the newest first",
  rmw: "a read-modify-write (xchg(), cmpxchg(), atomic_*()) that is not fully ordered, or a cmpxchg() that failed, ran at its pc in one step: it waited for the registers it names, its CPU's accesses to its location or the loads before an smp_rmb(), and a relaxed access after it waited for it (the LKMM orders only what its ordering and dependencies say)",
  rcu: "an RCU read-side critical section waited to start until the thread's last one had ended, its accesses before rcu_read_unlock() all done (the engine keeps one ended section a thread; the LKMM orders nothing at rcu_read_lock())",
  release:
    "a release (spin_unlock() of a PTL, folio_unlock(), up_read()/up_write(), folio_ref_unfreeze()) was left outstanding, but what came next (an acquire, a release store, smp_wmb(), or an instruction naming a register the release reads) waited for it to perform: the LKMM's release orders only what precedes it (an acquire of another lock, and the loads after smp_wmb(), may go first)",
};

/** Whether `b` is one of the engine's orderings (not a bound on its state). */
export const isModelOrdering = (b: Pick<ModelBoundMet, 'bound'>): boolean => MODEL_ORDERINGS.includes(b.bound);

/** A met bound in words, for summaries and the CLI. */
export function modelBoundWords(b: ModelBoundMet): string {
  if (!isModelOrdering(b)) return `${b.thread} at ${b.label} waited at the engine's bound on ${WHAT[b.bound]} (${b.kept})`;
  const checked = b.checkedBy ? `; checked for this world: the LKMM gives ${b.checkedBy} the same final states` : '';
  return `${b.thread} at ${b.label} waited on the engine's ordering: ${WHAT[b.bound]}${checked}`;
}

/** The bounds and orderings that make a `holds` the engine's rather than the model's: all but the checked orderings. */
export const unchecked = (list: readonly ModelBoundMet[] | undefined): ModelBoundMet[] => (list ?? []).filter((b) => b.checkedBy === undefined);

/** The bounds met by several searches of one world (the workers of a parallel search), the first site of each kept (an unchecked one first). */
export function mergeModelBounds(lists: readonly (readonly ModelBoundMet[] | undefined)[]): ModelBoundMet[] {
  const seen = new Map<ModelBoundName, ModelBoundMet>();
  for (const list of lists)
    for (const b of list ?? []) if (!seen.has(b.bound) || (seen.get(b.bound)!.checkedBy !== undefined && b.checkedBy === undefined)) seen.set(b.bound, b);
  return MODEL_BOUNDS.flatMap((name) => (seen.has(name) ? [seen.get(name)!] : []));
}

/**
 * Sites of the catalogue where an ordering of the engine was checked against the LKMM by a
 * litmus twin of the world: the twin written with the kernel's primitives and the twin written as
 * the engine runs the steps have the same final states under the LKMM (libs/litmus/test/c11/,
 * c11.spec.ts; docs/memory-model.md, "The kernel's locks: acquires and releases").
 */
export interface CheckedOrdering {
  readonly scenario: string;
  /** labels the world must have (the variants the twins were written for) */
  readonly requires: readonly string[];
  readonly ordering: ModelBoundName;
  /** the labels of the sites the twins write out, per thread */
  readonly sites: Readonly<Record<string, readonly string[]>>;
  readonly twin: string;
}

export const CHECKED_ORDERINGS: readonly CheckedOrdering[] = [
  {
    // c11-split-order with smp_wmb() in the split (SPLITBAR wmb+rmb, wmb): the reader's BUG_ON
    // check after its loads of the head and the flags (the zap's decode; the fault variants run the
    // same softleaf_to_folio() code under the PTL), and the split's first PTE read in
    // remove_migration_ptes() after its stores of the tail's flags and head (its PTL lock before
    // that read is an acquire, which waits for nothing: ACQUIRE_SC_OPS in machine.ts; the engine
    // waited there until issue 16's session 12). The twins write them as spinlocks and ONCE
    // accesses, and as smp_mb() pairs (the PTE read after the lock between two): the LKMM gives
    // both the same final states. (Nothing else of these worlds meets an ordering:
    // model-bounds.spec.ts in libs/explorer.)
    scenario: 'c11-split-order',
    requires: ['S4.t1.smp_wmb'],
    ordering: 'sc-step',
    // The reader's PTE read under the PTL (Z2.ptep_get; F3.ptep_get, the fault's in
    // migration_entry_wait()) holds back its loads of the head and the flags after it (an SC step:
    // Machine.scStepFollows); the `+sc` twins write it READ_ONCE() between two smp_mb(), the
    // `+ptl` ones a bare READ_ONCE().
    sites: { split: ['S6.e0.ptep_get'], zap: ['Z2.ptep_get', 'Z4.bug_on'], flt: ['F3.ptep_get', 'F4.bug_on'] },
    twin: 'the litmus twins C11+split-ptl+zap-ptl and C11-wmb-only+ptl (libs/litmus/test/c11/)',
  },
  {
    // The same worlds: the split's PTL unlock in try_to_migrate_one() (S2.pte_unmap_unlock), run
    // as one SC step, holds back its stores of the tails' flags and heads after it (`release`,
    // Machine.scStepFollows), where the LKMM lets them propagate before the unlock. The `+ptl`
    // twins write that unlock as spin_unlock(), a release the stores after it may pass; the `+sc`
    // twins as spin_unlock() followed by smp_mb(), as the engine runs it: the LKMM gives both the
    // same final states (c11.spec.ts). (The split's other releases are followed by SC steps only,
    // and the reader's by none: no site.)
    scenario: 'c11-split-order',
    requires: ['S4.t1.smp_wmb'],
    ordering: 'release',
    sites: { split: ['S2.pte_unmap_unlock'] },
    twin: 'the litmus twins C11+split-ptl+zap-ptl and C11-wmb-only+ptl (libs/litmus/test/c11/)',
  },
];

/** The twin that checked `ordering` at thread `thread`'s `label` in a world of `scenario` with `labels`, if any. */
export function checkedBy(scenario: string, labels: ReadonlySet<string>, ordering: ModelBoundName, thread: string, label: string): string | undefined {
  for (const c of CHECKED_ORDERINGS) {
    if (c.scenario !== scenario || c.ordering !== ordering || c.requires.some((l) => !labels.has(l))) continue;
    if (c.sites[thread]?.includes(label)) return c.twin;
  }
  return undefined;
}
