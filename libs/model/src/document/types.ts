import type { RegType, SourceRef } from '../program.js';
import type { PteJson } from '../pte.js';
import type { LitmusDecl, MappingKind } from '../world.js';
import type { Patch } from '../variants/variant.js';
import type { Expectation } from '../scenarios/scenario.js';

// The scenario document (docs/scenarios.md): a world, its threads and their paths as data, in
// YAML or JSON. Numbers may be written as `${expr}` over the parameters; names as `e${i}`.

/** An integer, or a `${expr}` string that evaluates to one. */
export type IntExpr = number | string;

/**
 * What any list item (page, VMA, PTE, PTL, thread, step, symmetry group) may carry: `when` keeps
 * it only under the given switch values (all must match; a list is any of), `if` only when the
 * expression is non-zero, `repeat` replicates it `count` times with `as` = 0, 1, ...
 */
export interface Conditional {
  readonly when?: Readonly<Record<string, string | readonly string[]>>;
  readonly if?: string;
  readonly repeat?: { readonly as: string; readonly count: IntExpr };
}

export interface DocParam {
  readonly name: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly description?: string;
}

export interface DocSwitch {
  readonly name: string;
  readonly values: readonly string[];
  readonly default: string;
  readonly description?: string;
  /** patch sets a value selects, applied to the paths after they are built */
  readonly patches?: Readonly<Record<string, readonly Patch[]>>;
}

export interface DocPage extends Conditional {
  readonly name: string;
  readonly ref: IntExpr;
  readonly map: IntExpr;
  readonly mapping: MappingKind;
  readonly locked?: boolean;
  readonly head?: string;
  readonly index?: IntExpr;
  readonly free?: boolean;
  readonly owner?: string;
}

export interface DocVma extends Conditional {
  readonly name: string;
  readonly start: IntExpr;
  readonly pgoff: IntExpr;
  readonly tempStack?: boolean;
  readonly nonlinear?: boolean;
  readonly unlinked?: boolean;
}

export interface DocPte extends Conditional {
  readonly name: string;
  readonly addr: IntExpr;
  readonly ptl: string;
  readonly init: PteJson;
}

export interface DocPtl extends Conditional {
  readonly name: string;
}

/** When a thread starts: at once (absent), or after another thread has finished (or, with `label`, reached that label). */
export interface DocStart {
  readonly after: string;
  /** a label of the other thread's path: start once it has reached it (rather than finished) */
  readonly label?: string;
}

export interface DocThread extends Conditional {
  readonly name: string;
  readonly path: string;
  readonly args?: Readonly<Record<string, string | IntExpr>>;
  readonly tlb?: readonly string[];
  readonly start?: DocStart;
}

export interface DocStep extends Conditional {
  readonly label?: string;
  readonly op: string;
  readonly args?: readonly (string | number)[];
  /** the kernel source; absent: the previous step's (as the builder's `at()`) */
  readonly src?: SourceRef;
}

/** A path written out step by step. */
export interface DocStepsPath {
  /** the path's title, or titles that depend on switches (the first whose `when` matches) */
  readonly title?: string | readonly { readonly text: string; readonly when?: Conditional['when'] }[];
  readonly regs: Readonly<Record<string, RegType>>;
  readonly steps: readonly DocStep[];
  /** the path exists only under these switch values */
  readonly when?: Conditional['when'];
}

/** A built-in kernel path reused by name: the path `path` of built-in scenario `scenario`. */
export interface DocBuiltinPath {
  readonly builtin: {
    readonly scenario: string;
    readonly path: string;
    readonly params?: Readonly<Record<string, IntExpr>>;
    readonly switches?: Readonly<Record<string, string>>;
  };
}

export type DocPath = DocStepsPath | DocBuiltinPath;

/** A member of a symmetry group: a name, or a name with conditions (`repeat` for N members). */
export type DocMember = string | (Conditional & { readonly name: string });

export interface DocSymmetry extends Conditional {
  readonly threads?: readonly DocMember[];
  readonly ptes?: readonly DocMember[];
  readonly vmas?: readonly DocMember[];
  readonly pages?: readonly DocMember[];
}

export interface DocVariant {
  readonly name: string;
  readonly description?: string;
  readonly switches?: Readonly<Record<string, string>>;
  readonly patches?: readonly Patch[];
  readonly expect?: Expectation;
}

/** A user invariant: a predicate that holds after every step (`always`) or after none (`never`). */
export interface DocUserInvariant {
  /** default: `user-<index in invariants>` */
  readonly name?: string;
  readonly always?: unknown;
  readonly never?: unknown;
  readonly message: string;
}

export interface ScenarioDocument {
  /** `mmreplay/scenario@1` */
  readonly format?: string;
  readonly name: string;
  readonly title: string;
  readonly description?: string;
  /** the kernel commit, mail thread or URL the race comes from */
  readonly source?: { readonly commit?: string; readonly thread?: string; readonly url?: string };
  /** the reference §5 row, for built-ins */
  readonly row?: string;
  readonly params?: readonly DocParam[];
  readonly switches?: readonly DocSwitch[];
  /** `fixed`: the rmap walk visits VMAs in declaration order, whatever WALK says */
  readonly rmapOrder?: 'fixed';
  readonly pages?: readonly DocPage[];
  readonly vmas?: readonly DocVma[];
  readonly ptes?: readonly DocPte[];
  readonly ptls?: readonly (string | DocPtl)[];
  readonly threads: readonly DocThread[];
  readonly paths: Readonly<Record<string, DocPath>>;
  /** built-in invariants by name, and user invariants */
  readonly invariants?: readonly (string | DocUserInvariant)[];
  /** interchangeable threads and objects, verified at load; `derive` finds them */
  readonly symmetry?: readonly DocSymmetry[];
  readonly litmus?: LitmusDecl;
  readonly variants?: readonly DocVariant[];
  readonly expect?: Expectation;
  readonly catalogueParams?: Readonly<Record<string, number>>;
}

export const DOCUMENT_FORMAT = 'mmreplay/scenario@1';

/** One finding about a document, with where it is (`threads[2].path`). */
export interface DocumentProblem {
  readonly path: string;
  readonly message: string;
}
