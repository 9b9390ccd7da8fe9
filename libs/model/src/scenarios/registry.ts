import { DomainError, formatIssues, type FieldIssue } from '../errors.js';
import { COMMON_SWITCHES, type NamedVariant, type Scenario, type SwitchSpec, type WorldDraft } from './scenario.js';
import { applyPatches, InvalidVariantError, parseVariant, type Patch, type Variant } from '../variants/variant.js';
import { linkPath, PathLinkError, reachedRegion, type PathDef, type Step } from '../program.js';
import { checkPaths } from '../document/checks.js';
import { contentHash } from '../hash.js';
import type { MemoryModelName, World } from '../world.js';
import { checkInvariantNames } from '../invariant-scope.js';
import { userInvariantIssues } from '../predicate/user-invariants.js';
import { didYouMean } from '../suggest.js';
import { parseScenarioDocument, ScenarioDocumentError } from '../document/load.js';
import { CATALOGUE_DOCUMENTS } from './catalogue-files.js';

// The built-in catalogue is libs/model/catalogue/*.yaml (catalogue-files.ts carries them as parsed
// YAML), loaded by the parser every scenario document goes through; nothing of it is written in code.
// Loaded on first use, not at import (the loader itself looks built-in paths up here).

let all: Scenario[] | null = null;

function catalogue(): Scenario[] {
  if (all) return all;
  const loaded: Scenario[] = [];
  for (const [file, value] of CATALOGUE_DOCUMENTS) {
    const r = parseScenarioDocument(value, { combinations: 'defaults' });
    if (!r.ok) throw new Error(`built-in scenario ${file}: ${r.problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`);
    loaded.push(r.scenario);
  }
  all = loaded;
  return all;
}

export function registerScenario(s: Scenario): void {
  const list = catalogue();
  if (!list.some((x) => x.name === s.name)) list.push(s);
}

export const scenarios = (): readonly Scenario[] => catalogue();
export const findScenario = (name: string): Scenario | undefined => catalogue().find((s) => s.name === name);

/** Every switch a scenario accepts, its own and the common ones. */
export const switchesOf = (s: Scenario): readonly SwitchSpec[] => [...s.switches, ...COMMON_SWITCHES];

export class UnknownScenarioError extends DomainError {
  readonly kind = 'invalid';
  constructor(readonly scenario: string) {
    const message = `unknown scenario '${scenario}'${didYouMean(
      scenario,
      catalogue().map((s) => s.name),
    )} (known: ${catalogue()
      .map((s) => s.name)
      .join(', ')})`;
    super(message, { issues: [{ field: 'scenario', message }] });
  }
}

export class InvalidParamsError extends DomainError {
  readonly kind = 'invalid';
  constructor(issues: readonly FieldIssue[]) {
    super(`invalid parameters: ${formatIssues(issues)}`, { issues });
  }
}

/**
 * A request that names something the model does not have or that does not apply to it: an unknown
 * or inapplicable invariant, an unknown switch or switch value (an HTTP 400; `issues` names every
 * field and the valid names).
 */
export class InvalidModelRequestError extends DomainError {
  readonly kind = 'invalid';
  constructor(issues: readonly FieldIssue[]) {
    super(`invalid request: ${formatIssues(issues)}`, { issues });
  }
}

/** A variant that is well formed but does not fit the scenario (an HTTP 422, not a 400). */
export class VariantNotApplicableError extends DomainError {
  readonly kind = 'not-applicable';
  constructor(issues: readonly FieldIssue[]) {
    super(`variant does not apply: ${formatIssues(issues)}`, { issues });
  }
}

export interface ResolvedModel {
  readonly world: World;
  readonly modelHash: string;
  readonly variant: string;
}

export interface ResolveRequest {
  readonly scenario: string;
  readonly params?: Readonly<Record<string, number | string>>;
  /** a named variant, or a variant object */
  readonly variant?: string | Variant;
  /** overrides the invariants the scenario audits by default */
  readonly invariants?: readonly string[];
  readonly memoryModel?: MemoryModelName;
  /**
   * The scenario as a document (a team's published version, or inline): resolved instead of the
   * catalogue's `scenario`, so a request carries the exact world it names across worker threads
   * and into the events, without registering it anywhere.
   */
  readonly document?: unknown;
}

function resolveParams(s: Scenario, given: Readonly<Record<string, number | string>>): Record<string, number> {
  const issues: FieldIssue[] = [];
  const out: Record<string, number> = {};
  for (const key of Object.keys(given)) {
    if (!s.params.some((p) => p.name === key)) {
      issues.push({ field: `params.${key}`, message: `unknown parameter (known: ${s.params.map((p) => p.name).join(', ') || 'none'})` });
    }
  }
  for (const p of s.params) {
    const raw = given[p.name];
    const v = raw === undefined ? p.default : typeof raw === 'number' ? raw : /^-?\d+$/.test(raw) ? Number(raw) : NaN;
    if (!Number.isSafeInteger(v) || v < p.min || v > p.max) {
      issues.push({ field: `params.${p.name}`, message: `must be an integer from ${p.min} to ${p.max}` });
    } else out[p.name] = v;
  }
  if (issues.length) throw new InvalidParamsError(issues);
  return out;
}

/** Named built-in variants of a scenario: its own, plus the MUTANTs where it has a migration path. */
export function namedVariants(s: Scenario): readonly NamedVariant[] {
  return s.variants;
}

function lookupVariant(s: Scenario, name: string): NamedVariant {
  const v = s.variants.find((x) => x.name === name);
  if (!v) {
    const known = s.variants.map((x) => x.name).join(', ') || 'none';
    throw new VariantNotApplicableError([
      {
        field: 'variant',
        message: `scenario '${s.name}' has no variant '${name}'${didYouMean(
          name,
          s.variants.map((x) => x.name),
        )} (known: ${known})`,
      },
    ]);
  }
  return v;
}

/** Scenario + parameters + variant -> the exact model a run executes, and its content hash. */
export function resolveModel(req: ResolveRequest): ResolvedModel {
  if (req.document !== undefined) return resolveScenarioModel(documentScenario(req.document), req);
  const s = findScenario(req.scenario);
  if (!s) throw new UnknownScenarioError(req.scenario);
  return resolveScenarioModel(s, req);
}

// Parsed documents by their text: checking a document expands it for every parameter value, and a
// service resolves the same published version for every request that names it.
const parsedDocuments = new Map<string, Scenario>();

/** The scenario a request's document stands for; a document with problems throws ScenarioDocumentError. */
function documentScenario(document: unknown): Scenario {
  const key = typeof document === 'string' ? document : JSON.stringify(document);
  const known = key === undefined ? undefined : parsedDocuments.get(key);
  if (known) return known;
  const r = parseScenarioDocument(document);
  if (!r.ok) throw new ScenarioDocumentError(r.problems);
  if (parsedDocuments.size >= 64) parsedDocuments.clear();
  if (key !== undefined) parsedDocuments.set(key, r.scenario);
  return r.scenario;
}

/** resolveModel for a scenario given as an object (a loaded document): `req.scenario` is ignored. */
export function resolveScenarioModel(s: Scenario, req: Omit<ResolveRequest, 'scenario'> & { readonly scenario?: string }): ResolvedModel {
  const params = resolveParams(s, req.params ?? {});
  const variant: Variant = typeof req.variant === 'string' ? lookupVariant(s, req.variant) : parseVariant(req.variant ?? {});
  const base = variant.base !== undefined ? lookupVariant(s, variant.base) : undefined;

  const specs = switchesOf(s);
  const switches: Record<string, string> = Object.fromEntries(specs.map((sw) => [sw.name, sw.default]));
  const issues: FieldIssue[] = [];
  for (const [k, v] of Object.entries({ ...(base?.switches ?? {}), ...(variant.switches ?? {}) })) {
    const spec = specs.find((x) => x.name === k);
    const names = specs.map((x) => x.name);
    if (!spec)
      issues.push({ field: `switches.${k}`, message: `scenario '${s.name}' has no switch '${k}'${didYouMean(k, names)} (it has ${names.join(', ')})` });
    else if (!spec.values.includes(v))
      issues.push({ field: `switches.${k}`, message: `'${v}' is not a value of ${k}${didYouMean(v, spec.values)}: must be one of ${spec.values.join(', ')}` });
    else switches[k] = v;
  }
  if (req.memoryModel) switches.MEM = req.memoryModel;
  if (issues.length) throw new InvalidModelRequestError(issues);

  const draft = s.build({ params, switches });
  // the patch sets the switch values select (a document's switches[].patches), the base's, the variant's
  const sets = [
    ...switchPatchSets(s, switches),
    { at: base ? baseVariantField(s, base.name) : '', patches: base?.patches ?? [] },
    { at: typeof req.variant === 'string' ? baseVariantField(s, req.variant) : 'patches', patches: variant.patches ?? [] },
  ];
  const patches: Patch[] = sets.flatMap((x) => x.patches);
  const fields = sets.flatMap((x) => x.patches.map((_, j) => `${x.at}[${j}]`));
  let paths = draft.paths;
  try {
    const origins = new Map<Step, string>();
    paths = applyPatches(draft.paths, patches, (i) => fields[i], origins);
    if (patches.length) {
      // patched paths pass the checks a document's paths pass, naming the patch a bad step came from
      // control flow that cannot end is the run's and the audit's own check (termination.ts, with its messages)
      const f = checkPaths(paths, (name, i) => origins.get(paths[name].steps[i]) ?? `paths.${name}.steps[${i}]`, { flow: false });
      if (f.problems.length) throw new VariantNotApplicableError(f.problems.map((p) => ({ field: p.path, message: p.message })));
    }
    if (patches.length) paths = relocateLabelWaits(draft, paths);
    for (const def of Object.values(paths)) linkPath(def);
    const bad = memoryOperandIssues(paths, draft.litmus?.vars.length ?? 0, draft.litmus?.results.length ?? 0);
    if (bad.length) throw new VariantNotApplicableError(bad);
  } catch (e) {
    if (e instanceof InvalidVariantError) throw new VariantNotApplicableError(e.issues);
    if (e instanceof PathLinkError) throw new VariantNotApplicableError([{ field: `paths.${e.path}.${e.field}`, message: e.message }]);
    throw e;
  }
  let invariants: string[] = [...s.invariants];
  let userInvariants = draft.userInvariants ?? [];
  if (req.invariants?.length) {
    // A request may name the document's user invariants too: those it names are kept.
    const users = new Set(userInvariants.map((u) => u.name));
    const checked = checkInvariantNames(
      req.invariants.filter((n) => !users.has(n)),
      { ...draft, paths },
      s.name,
    );
    if (checked.issues.length) throw new InvalidModelRequestError(checked.issues);
    invariants = checked.names;
    userInvariants = userInvariants.filter((u) => req.invariants!.includes(u.name));
  }
  const { userInvariants: _all, ...rest } = draft;
  const world: World = {
    ...rest,
    ...(userInvariants.length ? { userInvariants } : {}),
    scenario: s.name,
    params,
    invariants,
    memoryModel: (switches.MEM ?? 'sc') as MemoryModelName,
    rmapOrder: draft.rmapOrder ?? (switches.WALK === 'fixed' ? 'fixed' : 'any'),
    paths,
  };
  if (userInvariants.length) {
    // Checked at load for the defaults and switch combinations; other parameters or a variant may
    // build a world the predicates do not fit.
    const docIndex = (name: string) => (s.document?.invariants ?? []).findIndex((x, j) => typeof x !== 'string' && (x.name ?? `user-${j}`) === name);
    const issues = userInvariantIssues(world, (k) => {
      const i = docIndex(userInvariants[k].name);
      return i >= 0 ? `invariants[${i}]` : `invariants.${userInvariants[k].name}`;
    });
    if (issues.length) throw new InvalidModelRequestError(issues);
  }
  const name = typeof req.variant === 'string' ? req.variant : (variant.name ?? (patches.length || variant.switches ? 'custom' : 'kernel'));
  if (typeof req.variant !== 'string') checkVariantName(s, variant);
  return { world, modelHash: contentHash(world), variant: name };
}

/** The patch sets a scenario's switch values select, each with its field in the document. */
function switchPatchSets(s: Scenario, switches: Readonly<Record<string, string>>): { at: string; patches: readonly Patch[] }[] {
  const doc = s.document;
  if (!doc) return [{ at: 'switches.patches', patches: s.patchesFor?.(switches) ?? [] }];
  return (doc.switches ?? []).map((w, k) => ({ at: `switches[${k}].patches.${switches[w.name]}`, patches: w.patches?.[switches[w.name]] ?? [] }));
}

function baseVariantField(s: Scenario, name: string): string {
  const k = s.document?.variants?.findIndex((v) => v.name === name) ?? -1;
  return k >= 0 ? `variants[${k}].patches` : `variants.${name}.patches`;
}

/**
 * A submitted variant must not pass for the unmodified protocol or for a named variant it is not:
 * `kernel`, or a named variant's name, is refused unless the variant is exactly that protocol with
 * at most its memory model changed (how `--memory-model` travels).
 */
function checkVariantName(s: Scenario, v: Variant): void {
  if (v.name === undefined) return;
  const onlyMem = !v.patches?.length && Object.keys(v.switches ?? {}).every((k) => k === 'MEM');
  const named = s.variants.some((x) => x.name === v.name);
  const ok = v.name === 'kernel' ? onlyMem && v.base === undefined : !named || (v.base === v.name && onlyMem);
  if (!ok) {
    const what = v.name === 'kernel' ? 'the unmodified kernel protocol' : `the named variant '${v.name}' of scenario '${s.name}'`;
    throw new InvalidModelRequestError([{ field: 'name', message: `'${v.name}' names ${what}, which this variant changes: give it a name of its own` }]);
  }
}

/**
 * A start condition "after T reached label X" names X by its step index in T's path (wait_label's
 * immediate): after patches moved, inserted or deleted steps of that path, the index is found again
 * by the label, and the region after it checked again.
 */
function relocateLabelWaits(draft: WorldDraft, patched: Record<string, PathDef>): Record<string, PathDef> {
  const out = { ...patched };
  for (const [name, def] of Object.entries(patched)) {
    const first = def.steps[0];
    if (first?.op !== 'wait_label') continue;
    const target = Number(first.args[0]);
    const awaited = draft.threads[target]?.path;
    const label = draft.paths[awaited]?.steps[Number(first.args[1])]?.label;
    const at = label === undefined ? -1 : (patched[awaited]?.steps.findIndex((st) => st.label === label) ?? -1);
    const field = `paths.${name}.steps[0]`;
    if (at < 0)
      throw new VariantNotApplicableError([
        { field, message: `the variant removes '${label}', the label thread ${draft.threads[target]?.name} must reach first` },
      ]);
    const region = reachedRegion(linkPath(patched[awaited]), at);
    if (typeof region === 'string')
      throw new VariantNotApplicableError([{ field, message: `thread ${draft.threads[target].name} does not reach '${label}' for good: ${region}` }]);
    out[name] = { ...def, steps: [{ ...first, args: [target, at] }, ...def.steps.slice(1)] };
  }
  return out;
}

/** Immediate operands of the memory-model instructions that name something the world must have. */
function memoryOperandIssues(paths: Record<string, PathDef>, vars: number, results: number): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const check = (ok: boolean, field: string, message: string) => {
    if (!ok) issues.push({ field, message });
  };
  for (const def of Object.values(paths)) {
    def.steps.forEach((st, i) => {
      const at = `paths.${def.name}.steps[${i}].args`;
      const a = st.args as number[];
      switch (st.op) {
        case 'load':
          check(a[1] === 0 || a[1] === 1, `${at}[1]`, 'the field is 0 (compound head) or 1 (flags)');
          check(a[3] === 0 || a[3] === 1, `${at}[3]`, 'the ordering is 0 (READ_ONCE) or 1 (acquire)');
          break;
        case 'store':
          check(a[0] === 0 || a[0] === 1, `${at}[0]`, 'the field is 0 (compound head) or 1 (flags)');
          check(a[3] === 0 || a[3] === 1, `${at}[3]`, 'the ordering is 0 (WRITE_ONCE) or 1 (release)');
          break;
        case 'load_var':
          check(a[1] >= 0 && a[1] < vars, `${at}[1]`, `the scenario has ${vars} litmus variables`);
          check(a[2] === 0 || a[2] === 1, `${at}[2]`, 'the ordering is 0 (READ_ONCE) or 1 (acquire)');
          break;
        case 'store_var':
          check(a[0] >= 0 && a[0] < vars, `${at}[0]`, `the scenario has ${vars} litmus variables`);
          check(a[2] === 0 || a[2] === 1, `${at}[2]`, 'the ordering is 0 (WRITE_ONCE) or 1 (release)');
          break;
        case 'load_ptr':
          check(a[2] === 0 || a[2] === 1, `${at}[2]`, 'the ordering is 0 (READ_ONCE) or 1 (acquire)');
          break;
        case 'store_ptr':
          check(a[2] === 0 || a[2] === 1, `${at}[2]`, 'the ordering is 0 (WRITE_ONCE) or 1 (release)');
          break;
        case 'observe':
          check(a[0] >= 0 && a[0] < results, `${at}[0]`, `the scenario records ${results} litmus results`);
          break;
        case 'fence':
          check(a[0] >= 1 && a[0] <= 3, `${at}[0]`, 'the barrier is 1 (smp_rmb), 2 (smp_wmb) or 3 (smp_mb)');
          break;
      }
    });
  }
  return issues;
}
