import type { InvariantName } from './invariants.js';

// The shape of one instruction's declaration (isa.ts holds the table). Everything outside the
// machine's semantics that needs to know what an op does reads it from here: linking and variant
// checks (operands), dead-register analysis (register accesses, control flow), partial-order
// footprints (state classes), symmetry (operands that name an object by number), event kinds and
// the trace phrase. `declarations.properties.spec.ts` in the explorer holds the declarations to the
// semantics on reachable states of every scenario.

/**
 * Classes of shared state, coarse on purpose (all PTEs are one class, all page lock bits another):
 * the partial-order reduction treats two steps as dependent when one writes a class the other
 * reads or writes, and a coarse class can only make it explore more, never less.
 */
export const StateClass = {
  pte: 1 << 0,
  ptl: 1 << 1,
  /** PG_locked, PG_waiters, the lock owner, the compound head */
  lock: 1 << 2,
  /** the freed state of a page */
  free: 1 << 3,
  /** refcount, mapcount, frozen count and PG_frozen, mapping */
  count: 1 << 4,
  /** VMA start, pgoff and flags */
  vma: 1 << 5,
  /** per-CPU cached translations (TLB=on scenarios) */
  tlb: 1 << 6,
  rmapLock: 1 << 7,
  /** wait-queue entries: a sleeper's own, and a waker's view of all */
  wait: 1 << 8,
  /** relaxed memory: litmus variables and results, store buffers, outstanding loads */
  mem: 1 << 9,
} as const;
export type StateClassName = keyof typeof StateClass;

export const classMask = (names: readonly StateClassName[] = []): number => names.reduce((m, n) => m | StateClass[n], 0);

/**
 * What an operand is. A register operand names the kind of value the register holds (the register
 * types of program.ts: page, PTE, VMA, VMA set, PTE value, plain integer; `reg` is a register of
 * any type, for moves and branches); a PTL is always reached through a PTE register, and no
 * instruction names a thread. `imm` is a constant, `label` a step label of the same path.
 */
export type OperandKind = 'page' | 'pte' | 'vma' | 'vmaset' | 'pteval' | 'int' | 'reg' | 'imm' | 'label';

/**
 * How an instruction uses a register operand:
 * - `read`: may read it;
 * - `write`: writes it on every outcome without reading it (kills liveness);
 * - `update`: reads it and writes it on every outcome;
 * - `readMayWrite`: reads it, writes it on some outcomes;
 * - `writeOnNext`: writes it exactly when execution falls through to the next pc, and leaves it
 *   unchanged when the instruction jumps (rmap_next's VMA and PTE once the walk is done).
 */
export type RegAccess = 'read' | 'write' | 'update' | 'readMayWrite' | 'writeOnNext';

export interface OperandDecl {
  readonly name: string;
  readonly kind: OperandKind;
  /** register operands only; `read` when absent */
  readonly access?: RegAccess;
  /** an immediate that names an object by its number (vma_set's VMA, wait_thread's thread): symmetry must keep it fixed */
  readonly names?: 'vma' | 'thread';
  /**
   * an immediate that is a value of register operand `of`, stored or compared for equality
   * (`equal`: mov, beq, bne), compared for order (`order`: blt) or added (`offset`: add): when that
   * register holds an object, the immediate may name one, and symmetry must keep it fixed
   */
  readonly valueFor?: { readonly of: number; readonly as: 'equal' | 'order' | 'offset' };
  /** a register operand whose value moves to or is compared with register operand i: the same type, or symmetry cannot rename both alike */
  readonly sameTypeAs?: number;
}

/** Where execution goes after the instruction: `branch` falls through or jumps to its label operand. */
export type Flow = 'next' | 'jump' | 'branch' | 'call' | 'ret' | 'end';

/** Classes of shared state an instruction reads and writes. */
export interface StateAccess {
  readonly reads?: readonly StateClassName[];
  readonly writes?: readonly StateClassName[];
}

/** A condition of the trace renderer on a recorded step. */
export type TraceCondition = { readonly kind: string } | { readonly label: string } | { readonly registersWritten: true } | { readonly migrationEntry: number };

/**
 * The phrase a trace shows for the step, a template: `{i}` is the i-th register operand after the
 * step, `{i?yes|no}` picks by whether it is 1, `{ptl}` the PTL of the first register operand's
 * PTE, `{pte}` the PTE value the step wrote, `{ref:i}` / `{map:i}` the refcount / mapcount the step
 * left on register operand i's page, `{freed:i}` " freed" when the step freed it, `{woken}` the
 * threads it woke, `{already}` " (already unlocked)" when the thread's wait entry is WOKEN at once,
 * `{entryPage:i}` the page of the migration entry in register operand i, `{op}` and `{args}` the
 * op's name and every register operand. `cases` are tried in order.
 */
export type TracePhrase = string | { readonly cases: readonly (readonly [TraceCondition, string])[]; readonly otherwise: string };

/** The event kind of a step: fixed, or decided by what the step changed. */
export type EventKindDecl = string | { readonly when: 'page-locked' | 'ref-frozen'; readonly then: string; readonly otherwise: string };

export interface OpDecl extends StateAccess {
  readonly operands: readonly OperandDecl[];
  /** an atomic step (a scheduling point); local instructions touch only the thread's registers */
  readonly visible: boolean;
  /** `next` when absent */
  readonly flow?: Flow;
  /** classes written on every outcome of a step that breaks no invariant */
  readonly mustWrite?: readonly StateClassName[];
  /** classes read only while an invariant is audited (the check is part of the step) */
  readonly readsIf?: Partial<Record<InvariantName, readonly StateClassName[]>>;
  /** a put that leaves the page referenced (refcount above 1 before it) touches only this */
  readonly notLastRef?: StateAccess;
  /** goes through the memory model (docs/memory-model.md): a load, a store, or other bookkeeping */
  readonly relaxed?: 'load' | 'store' | 'other';
  /** the thread spins here while the lock is held: spin_lock of the PTE's page-table lock */
  readonly spinsOnPtl?: boolean;
  readonly event?: EventKindDecl;
  readonly trace?: TracePhrase;
  readonly doc: string;
}

/** The kinds of argument linking resolves: a register by name, a label, an integer. */
export type ArgKind = 'reg' | 'label' | 'imm';

export const argKind = (o: OperandDecl): ArgKind => (o.kind === 'imm' ? 'imm' : o.kind === 'label' ? 'label' : 'reg');
