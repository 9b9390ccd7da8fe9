import type { PathDef } from '../program.js';
import type { Patch, Variant } from '../variants/variant.js';
import type { World } from '../world.js';
import type { ScenarioDocument } from '../document/types.js';

export interface ParamSpec {
  readonly name: string;
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly description: string;
}

export interface SwitchSpec {
  readonly name: string;
  readonly values: readonly string[];
  readonly default: string;
  readonly description: string;
}

/** What a scenario's builder gets: validated parameters and switch values. */
export interface ScenarioInput {
  readonly params: Readonly<Record<string, number>>;
  readonly switches: Readonly<Record<string, string>>;
}

/** The world without the parts that resolution fills in (name, params, invariants, patches). */
export type WorldDraft = Omit<World, 'scenario' | 'params' | 'invariants' | 'paths' | 'memoryModel' | 'rmapOrder'> & {
  readonly paths: Record<string, PathDef>;
  /**
   * A scenario whose question is the rmap traversal order itself (fork, mremap) fixes it: the
   * VMAs are walked in declaration order, whatever WALK says.
   */
  readonly rmapOrder?: 'fixed';
};

/** What the kernel's history says a variant (or the scenario's kernel protocol) must give. */
export interface Expectation {
  /** the kernel commit the protocol or the bug comes from (`mutant` for a deliberately broken one) */
  readonly commit: string;
  readonly verdict: 'holds' | 'violated';
  /** the invariant a violation breaks first under the scenario's default invariants */
  readonly invariant?: string;
  /** why the history implies this verdict */
  readonly why: string;
}

export interface NamedVariant extends Variant {
  readonly name: string;
  readonly description: string;
  /** the catalogue's answer for this variant (mmreplay audit --catalogue) */
  readonly expect?: Expectation;
  readonly switches?: Readonly<Record<string, string>>;
  readonly patches?: readonly Patch[];
}

export interface Scenario {
  readonly name: string;
  readonly title: string;
  /** reference §5 row */
  readonly row: string;
  readonly description: string;
  readonly params: readonly ParamSpec[];
  readonly switches: readonly SwitchSpec[];
  /** invariants audited when the caller names none */
  readonly invariants: readonly string[];
  /** the row's buggy variants (the scenario itself runs the fixed protocol) */
  readonly variants: readonly NamedVariant[];
  /** the catalogue's answer for the scenario's own (kernel) protocol */
  readonly expect?: Expectation;
  /** parameters `mmreplay audit --catalogue` uses: small enough to run in seconds */
  readonly catalogueParams?: Readonly<Record<string, number>>;
  build(input: ScenarioInput): WorldDraft;
  /** patch sets the switch values select (a document's `switches[].patches`); a switch not named selects none */
  patchesFor?(switches: Readonly<Record<string, string>>): readonly Patch[];
  /** the document a scenario was loaded from (libs/model/src/document) */
  readonly document?: ScenarioDocument;
}

/** Switches every scenario understands. */
export const COMMON_SWITCHES: readonly SwitchSpec[] = [
  {
    name: 'WALK',
    values: ['any', 'fixed'],
    default: 'any',
    description:
      'rmap walk order: `any` explores every order in which a walk can visit the VMAs (sound for every VMA layout, and what lets symmetric PTEs be explored once); `fixed` visits them in declaration order',
  },
  { name: 'MEM', values: ['sc', 'tso', 'lkmm'], default: 'sc', description: 'memory model for the relaxed loads and stores (reference §4 #11)' },
];
