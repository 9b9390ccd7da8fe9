import type { UserInvariant } from './predicate/user-invariants.js';
import type { PathDef } from './program.js';
import type { PteJson } from './pte.js';

export type MappingKind = 'none' | 'anon' | 'file' | 'shmem' | 'swapcache' | 'device';
export const mappingKinds: readonly MappingKind[] = ['none', 'anon', 'file', 'shmem', 'swapcache', 'device'];

export type MemoryModelName = 'sc' | 'tso' | 'lkmm';

export interface PageDecl {
  readonly name: string;
  readonly ref: number;
  readonly map: number;
  readonly mapping: MappingKind;
  readonly locked?: boolean;
  /** compound_head of a THP tail; the page itself when absent */
  readonly head?: string;
  /** page->index, for vma_address() */
  readonly index?: number;
  /** a page not yet allocated (get_new_page hands it out) */
  readonly free?: boolean;
  /**
   * The thread that holds the page lock: with `locked`, or, for a THP tail, the holder of its
   * head's lock, which a split hands over when it copies PG_locked into the tail (reference §1h S4)
   */
  readonly owner?: string;
}

export interface VmaDecl {
  readonly name: string;
  readonly start: number;
  readonly pgoff: number;
  readonly tempStack?: boolean;
  readonly nonlinear?: boolean;
  /** not yet in the rmap at the start (fork's child, mremap's new VMA): a thread links it with vma_set */
  readonly unlinked?: boolean;
}

export interface PteDecl {
  readonly name: string;
  readonly addr: number;
  readonly ptl: string;
  readonly init: PteJson;
}

export interface ThreadDecl {
  readonly name: string;
  readonly path: string;
  /** initial register values: page, PTE and VMA registers take object names, others integers */
  readonly args: Readonly<Record<string, string | number | undefined>>;
  /** PTEs whose translation this CPU has cached at the start (TLB=on scenarios) */
  readonly tlb?: readonly string[];
}

/**
 * Threads, PTEs and VMAs that play the same role. Element i of each group is one tuple
 * (threads[i], ptes[i], vmas[i]); any permutation of the tuples maps the world onto itself.
 */
export interface SymmetryGroup {
  readonly threads: readonly string[];
  readonly ptes: readonly string[];
  readonly vmas: readonly string[];
  readonly pages: readonly string[];
}

/**
 * A litmus test's shared state and its question (herd's `exists` clause), for the litmus scenarios
 * that check the memory models against the kernel's documented results.
 */
export interface LitmusDecl {
  /** shared variables (READ_ONCE / WRITE_ONCE locations), 0 at the start unless `init` says otherwise */
  readonly vars: readonly string[];
  /** initial values other than 0 (a pointer `int *p = &x;` is litmusPointer(x's index)); absent: all 0 */
  readonly init?: readonly { readonly name: string; readonly value: number }[];
  /** the variables whose address the test takes: what a loaded pointer may point to (absent: none) */
  readonly targets?: readonly string[];
  /** registers the threads record with `observe` for the final condition, e.g. `1:r0` */
  readonly results: readonly string[];
  /** the weak outcome: a conjunction over the final values of variables and recorded results */
  readonly exists: readonly { readonly name: string; readonly value: number }[];
}

/** A fully resolved model: everything a run needs, and what its hash covers. */
export interface World {
  readonly scenario: string;
  readonly params: Readonly<Record<string, number | string>>;
  readonly memoryModel: MemoryModelName;
  /** `fixed`: the rmap walk visits VMAs in declaration order; `any`: in every possible order */
  readonly rmapOrder: 'fixed' | 'any';
  readonly pages: readonly PageDecl[];
  readonly vmas: readonly VmaDecl[];
  readonly ptes: readonly PteDecl[];
  readonly ptls: readonly string[];
  readonly threads: readonly ThreadDecl[];
  readonly paths: Readonly<Record<string, PathDef>>;
  readonly invariants: readonly string[];
  /** a document's own invariants in the predicate language, checked after every step (absent: none) */
  readonly userInvariants?: readonly UserInvariant[];
  readonly symmetry: readonly SymmetryGroup[];
  /** litmus variables and the weak outcome (the litmus scenarios only) */
  readonly litmus?: LitmusDecl;
}
