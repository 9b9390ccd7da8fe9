import { parseDocument } from 'yaml';
import { contentHash } from '../hash.js';
import { DomainError } from '../errors.js';
import { COMMON_SWITCHES, type NamedVariant, type Scenario, type ScenarioInput, type WorldDraft } from '../scenarios/scenario.js';
import { invariantScope } from '../invariant-scope.js';
import { resolveInvariant } from '../invariants.js';
import { userInvariantIssues } from '../predicate/user-invariants.js';
import type { World } from '../world.js';
import { parseVariant, InvalidVariantError, type Patch } from '../variants/variant.js';
import { InvalidModelRequestError, resolveScenarioModel, VariantNotApplicableError } from '../scenarios/registry.js';
import { didYouMean } from '../suggest.js';
import { evalExpr, ExprError } from './expr.js';
import { buildDraft, type BuiltDraft } from './build.js';
import { checkDraft } from './checks.js';
import { ExpandError } from './expand.js';
import { DOCUMENT_LIMITS as L } from './limits.js';
import { checkShape } from './shape.js';
import { SCENARIO_SHAPE } from './schema.js';
import type { DocumentProblem, ScenarioDocument } from './types.js';

export type ParseResult =
  | {
      readonly ok: true;
      readonly document: ScenarioDocument;
      readonly scenario: Scenario;
      readonly hash: string;
      readonly problems: readonly [];
      readonly warnings: readonly DocumentProblem[];
    }
  | { readonly ok: false; readonly problems: readonly DocumentProblem[]; readonly warnings: readonly DocumentProblem[] };

/** A document that does not load: every problem with its path (CLI exit 2, HTTP 422). */
export class ScenarioDocumentError extends DomainError {
  readonly kind = 'invalid';
  constructor(
    readonly problems: readonly DocumentProblem[],
    readonly source = 'the scenario document',
  ) {
    super(`${source} has ${problems.length} problem${problems.length === 1 ? '' : 's'}:\n${problems.map((p) => `  ${p.path}: ${p.message}`).join('\n')}`, {
      issues: problems.map((p) => ({ field: p.path, message: p.message })),
    });
  }
}

const DEFAULT_INVARIANTS = ['bug-on', 'I3', 'use-after-free', 'deadlock'];
/** switch combinations checked at load: all of them up to this many, else each switch value alone */
const MAX_COMBINATIONS = 64;

const fail = (problems: DocumentProblem[], warnings: DocumentProblem[] = []): ParseResult => ({ ok: false, problems, warnings });

/** YAML or JSON text (JSON is YAML) to a plain value, with the size limits of DOCUMENT_LIMITS. */
export function parseDocumentText(text: string): { value?: unknown; problems: DocumentProblem[] } {
  const bytes = new TextEncoder().encode(text).length;
  if (bytes > L.bytes) return { problems: [{ path: '(root)', message: `the document is ${bytes} bytes; at most ${L.bytes}` }] };
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true, strict: true });
  if (doc.errors.length) {
    return {
      problems: doc.errors
        .slice(0, 10)
        .map((e) => ({ path: e.linePos ? `(line ${e.linePos[0].line}, column ${e.linePos[0].col})` : '(root)', message: e.message.split('\n')[0] })),
    };
  }
  try {
    // aliases are expanded with a bound, so that a small document cannot expand into a huge one
    return { value: doc.toJS({ maxAliasCount: 100 }), problems: [] };
  } catch (e) {
    return { problems: [{ path: '(root)', message: (e as Error).message.split('\n')[0] }] };
  }
}

/** Nesting depth and node count of a parsed value; -1 for a value that contains itself (a YAML alias loop). */
function sizeOf(v: unknown, limit: number): { depth: number; nodes: number } {
  const onPath = new Set<unknown>();
  let nodes = 0;
  const walk = (x: unknown, d: number): number => {
    nodes++;
    if (typeof x !== 'object' || x === null || d > limit || nodes > 200_000) return d;
    if (onPath.has(x)) return Infinity;
    onPath.add(x);
    let max = d;
    for (const y of Array.isArray(x) ? x : Object.values(x)) {
      max = Math.max(max, walk(y, d + 1));
      if (max > limit || nodes > 200_000) break;
    }
    onPath.delete(x);
    return max;
  };
  return { depth: walk(v, 0), nodes };
}

/**
 * Checks a scenario document (text in YAML or JSON, or an already parsed value) and compiles it
 * to a Scenario that resolveModel, runs, audits and the explorer take like a built-in one.
 */
export interface ParseOptions {
  /**
   * Which switch combinations to build and check: `all` (every one, or each value alone past 64;
   * the default) or `defaults` only, for the built-in catalogue, whose every combination the
   * catalogue tests resolve (catalogue-golden.spec.ts), so that loading it stays cheap.
   */
  readonly combinations?: 'all' | 'defaults';
}

export function parseScenarioDocument(input: string | unknown, options: ParseOptions = {}): ParseResult {
  let value = input;
  if (typeof input === 'string') {
    const parsed = parseDocumentText(input);
    if (parsed.problems.length) return fail(parsed.problems);
    value = parsed.value;
  } else {
    let text: string | undefined;
    try {
      text = JSON.stringify(input);
    } catch {
      return fail([{ path: '(root)', message: 'the document is not JSON data' }]);
    }
    if (text === undefined) return fail([{ path: '(root)', message: 'the document is not JSON data' }]);
    if (new TextEncoder().encode(text).length > L.bytes) return fail([{ path: '(root)', message: `the document is larger than ${L.bytes} bytes` }]);
    value = JSON.parse(text) as unknown;
  }
  const size = sizeOf(value, L.depth);
  if (size.depth > L.depth)
    return fail([
      { path: '(root)', message: size.depth === Infinity ? 'a value contains itself (a YAML alias loop)' : `values nest deeper than ${L.depth} levels` },
    ]);
  if (size.nodes > 200_000) return fail([{ path: '(root)', message: 'the document has more than 200,000 values (YAML aliases expand)' }]);
  const problems: DocumentProblem[] = [];
  checkShape(value, SCENARIO_SHAPE, '', {}, problems);
  if (problems.length) return fail(problems);
  const doc = value as ScenarioDocument;
  checkDeclarations(doc, problems);
  checkUserInvariantDeclarations(doc, problems);
  if (problems.length) return fail(problems);
  const scenario = scenarioFromDocument(doc);
  const warnings: DocumentProblem[] = [];
  const inputs = combinations(scenario);
  for (const input of options.combinations === 'defaults' ? inputs.slice(0, 1) : inputs) {
    const label = describeInput(scenario, input);
    let built: BuiltDraft;
    try {
      built = buildDraft(doc, input);
    } catch (e) {
      if (e instanceof ExpandError) {
        problems.push({ path: e.path, message: `${e.message}${label}` });
        break;
      }
      throw e;
    }
    const f = checkDraft(built);
    for (const p of f.problems)
      if (!problems.some((q) => q.path === p.path && q.message.startsWith(p.message))) problems.push({ path: p.path, message: `${p.message}${label}` });
    for (const p of f.warnings) if (!warnings.some((q) => q.path === p.path)) warnings.push(p);
    if (problems.length) break;
    checkInvariants(doc, built.draft, problems);
    if (problems.length) break;
    if (doc.switches?.some((w) => w.patches)) checkResolves(scenario, { params: input.params, variant: { switches: input.switches } }, label, problems);
    if (problems.length) break;
  }
  if (problems.length) return fail(problems, warnings);
  checkVariants(doc, scenario, problems);
  if (problems.length) return fail(problems, warnings);
  return { ok: true, document: doc, scenario, hash: scenarioDocumentHash(doc), problems: [], warnings };
}

/** The content hash of a document (canonical JSON: key order and formatting do not matter). */
export function scenarioDocumentHash(doc: ScenarioDocument): string {
  return contentHash(doc);
}

function describeInput(s: Scenario, input: ScenarioInput): string {
  const changed = s.switches.filter((w) => input.switches[w.name] !== w.default).map((w) => `${w.name}=${input.switches[w.name]}`);
  return changed.length ? ` (with ${changed.join(', ')})` : '';
}

/** The parameter defaults with every switch combination (or, when too many, each value alone). */
function combinations(s: Scenario): ScenarioInput[] {
  const params = Object.fromEntries(s.params.map((p) => [p.name, p.default]));
  const defaults = Object.fromEntries(s.switches.map((w) => [w.name, w.default]));
  const total = s.switches.reduce((n, w) => n * w.values.length, 1);
  if (total <= MAX_COMBINATIONS) {
    let combos: Record<string, string>[] = [defaults];
    for (const w of s.switches) combos = combos.flatMap((c) => w.values.map((v) => ({ ...c, [w.name]: v })));
    combos.sort((a, b) => Number(JSON.stringify(b) === JSON.stringify(defaults)) - Number(JSON.stringify(a) === JSON.stringify(defaults)));
    return combos.map((switches) => ({ params, switches }));
  }
  const out: ScenarioInput[] = [{ params, switches: defaults }];
  for (const w of s.switches) for (const v of w.values) if (v !== w.default) out.push({ params, switches: { ...defaults, [w.name]: v } });
  return out;
}

/** Names declared once, defaults within ranges, `when` naming real switches, expressions that parse. */
function checkDeclarations(doc: ScenarioDocument, problems: DocumentProblem[]): void {
  const p = (path: string, message: string) => problems.push({ path, message });
  const params = doc.params ?? [];
  const switches = doc.switches ?? [];
  const seen = new Set<string>();
  params.forEach((x, i) => {
    if (seen.has(x.name)) p(`params[${i}].name`, `two parameters named '${x.name}'`);
    seen.add(x.name);
    if (x.min > x.max) p(`params[${i}]`, `min ${x.min} is above max ${x.max}`);
    else if (x.default < x.min || x.default > x.max) p(`params[${i}].default`, `must be from ${x.min} to ${x.max}`);
  });
  const common = COMMON_SWITCHES.map((w) => w.name);
  switches.forEach((w, i) => {
    if (seen.has(w.name)) p(`switches[${i}].name`, `'${w.name}' is already a parameter or a switch`);
    if (common.includes(w.name)) p(`switches[${i}].name`, `'${w.name}' is a switch every scenario has`);
    seen.add(w.name);
    if (new Set(w.values).size !== w.values.length) p(`switches[${i}].values`, 'a value is listed twice');
    if (!w.values.includes(w.default)) p(`switches[${i}].default`, `'${w.default}' is not one of its values${didYouMean(w.default, w.values)}`);
    for (const [v, patches] of Object.entries(w.patches ?? {})) {
      if (!w.values.includes(v)) p(`switches[${i}].patches.${v}`, `'${v}' is not a value of ${w.name}${didYouMean(v, w.values)}`);
      try {
        parseVariant({ patches });
      } catch (e) {
        if (e instanceof InvalidVariantError) for (const is of e.issues) p(`switches[${i}].patches.${v}.${is.field}`, is.message);
        else throw e;
      }
    }
  });
  const env = Object.fromEntries(params.map((x) => [x.name, x.default]));
  const checkItems = (list: readonly unknown[] | undefined, at: string) =>
    (list ?? []).forEach((raw, i) => {
      if (typeof raw !== 'object' || raw === null) return;
      const item = raw as { when?: Record<string, unknown>; if?: string; repeat?: { as: string } };
      for (const [k, v] of Object.entries(item.when ?? {})) {
        const w = switches.find((x) => x.name === k);
        if (!w) {
          p(
            `${at}[${i}].when.${k}`,
            `no switch '${k}'${didYouMean(
              k,
              switches.map((x) => x.name),
            )}`,
          );
          continue;
        }
        for (const val of typeof v === 'string' ? [v] : (v as string[]))
          if (!w.values.includes(val)) p(`${at}[${i}].when.${k}`, `'${val}' is not a value of ${k}${didYouMean(val, w.values)}`);
      }
      if (item.if !== undefined) {
        try {
          evalExpr(item.if, { ...env, ...(item.repeat ? { [item.repeat.as]: 0 } : {}) });
        } catch (e) {
          if (e instanceof ExprError) p(`${at}[${i}].if`, e.message);
          else throw e;
        }
      }
    });
  checkItems(doc.pages, 'pages');
  checkItems(doc.vmas, 'vmas');
  checkItems(doc.ptes, 'ptes');
  checkItems(doc.ptls, 'ptls');
  checkItems(doc.threads, 'threads');
  checkItems(doc.symmetry, 'symmetry');
  for (const [name, path] of Object.entries(doc.paths)) if (!('builtin' in path)) checkItems(path.steps, `paths.${name}.steps`);
  const variants = new Set<string>();
  (doc.variants ?? []).forEach((v, i) => {
    if (variants.has(v.name)) p(`variants[${i}].name`, `two variants named '${v.name}'`);
    if (v.name === 'kernel') p(`variants[${i}].name`, "'kernel' names the scenario's own protocol");
    variants.add(v.name);
  });
  for (const k of Object.keys(doc.catalogueParams ?? {}))
    if (!params.some((x) => x.name === k))
      p(
        `catalogueParams.${k}`,
        `no parameter '${k}'${didYouMean(
          k,
          params.map((x) => x.name),
        )}`,
      );
}

function checkInvariants(doc: ScenarioDocument, draft: WorldDraft, problems: DocumentProblem[]): void {
  const users: number[] = [];
  (doc.invariants ?? []).forEach((n, i) => {
    if (typeof n !== 'string') return void users.push(i);
    const name = resolveInvariant(n);
    if (!name) return;
    const scope = invariantScope(draft, name);
    if (!scope.applies) problems.push({ path: `invariants[${i}]`, message: `'${n}' does not apply to this scenario: ${scope.reason}` });
  });
  if (!users.length) return;
  // The predicates name the objects, threads, paths and registers of the built world.
  const world: World = { ...draft, scenario: doc.name, params: {}, invariants: [], memoryModel: 'sc', rmapOrder: draft.rmapOrder ?? 'any' };
  for (const is of userInvariantIssues(world, (k) => `invariants[${users[k]}]`)) problems.push({ path: is.field, message: is.message });
}

/** User invariants: one of `always` / `never`, names of their own. */
function checkUserInvariantDeclarations(doc: ScenarioDocument, problems: DocumentProblem[]): void {
  const names = new Set<string>();
  (doc.invariants ?? []).forEach((x, i) => {
    if (typeof x === 'string') return;
    const at = `invariants[${i}]`;
    if ((x.always === undefined) === (x.never === undefined)) problems.push({ path: at, message: 'a user invariant has exactly one of always and never' });
    const name = x.name ?? `user-${i}`;
    if (resolveInvariant(name)) problems.push({ path: `${at}.name`, message: `'${name}' is a built-in invariant's name` });
    else if (names.has(name)) problems.push({ path: `${at}.name`, message: `two invariants named '${name}'` });
    names.add(name);
  });
}

function checkVariants(doc: ScenarioDocument, s: Scenario, problems: DocumentProblem[]): void {
  (doc.variants ?? []).forEach((v, i) => {
    for (const [k, val] of Object.entries(v.switches ?? {})) {
      const spec = [...s.switches, ...COMMON_SWITCHES].find((w) => w.name === k);
      if (!spec)
        problems.push({
          path: `variants[${i}].switches.${k}`,
          message: `no switch '${k}'${didYouMean(
            k,
            [...s.switches, ...COMMON_SWITCHES].map((w) => w.name),
          )}`,
        });
      else if (!spec.values.includes(val))
        problems.push({ path: `variants[${i}].switches.${k}`, message: `'${val}' is not a value of ${k}${didYouMean(val, spec.values)}` });
    }
    try {
      parseVariant({ patches: v.patches ?? [] });
    } catch (e) {
      if (e instanceof InvalidVariantError) for (const is of e.issues) problems.push({ path: `variants[${i}].${is.field}`, message: is.message });
      else throw e;
    }
  });
  // a named variant's patches pass the checks a document's own paths pass (register kinds, labels, flow)
  if (problems.length === 0) for (const v of doc.variants ?? []) checkResolves(s, { variant: v.name }, ` (variant '${v.name}')`, problems);
}

/** Resolves a scenario as a run would; what does not fit becomes a problem with its field. */
function checkResolves(s: Scenario, req: Parameters<typeof resolveScenarioModel>[1], label: string, problems: DocumentProblem[]): void {
  try {
    resolveScenarioModel(s, req);
  } catch (e) {
    if (!(e instanceof VariantNotApplicableError || e instanceof InvalidModelRequestError)) throw e;
    for (const is of e.issues) if (!problems.some((q) => q.path === is.field)) problems.push({ path: is.field, message: `${is.message}${label}` });
  }
}

/** The Scenario a (checked) document describes: its builder expands the document. */
export function scenarioFromDocument(doc: ScenarioDocument): Scenario {
  const switchPatches = (switches: Readonly<Record<string, string>>): Patch[] =>
    (doc.switches ?? []).flatMap((w) => [...(w.patches?.[switches[w.name]] ?? [])]);
  const variants: NamedVariant[] = (doc.variants ?? []).map((v) => ({
    name: v.name,
    description: v.description ?? '',
    ...(v.switches ? { switches: v.switches } : {}),
    ...(v.patches ? { patches: v.patches } : {}),
    ...(v.expect ? { expect: v.expect } : {}),
  }));
  const scenario: Scenario = {
    name: doc.name,
    title: doc.title,
    row: doc.row ?? 'document',
    description: doc.description ?? '',
    params: (doc.params ?? []).map((p) => ({ name: p.name, default: p.default, min: p.min, max: p.max, description: p.description ?? '' })),
    switches: (doc.switches ?? []).map((w) => ({ name: w.name, values: w.values, default: w.default, description: w.description ?? '' })),
    invariants: doc.invariants ? doc.invariants.filter((x): x is string => typeof x === 'string') : DEFAULT_INVARIANTS,
    variants,
    ...(doc.expect ? { expect: doc.expect } : {}),
    ...(doc.catalogueParams ? { catalogueParams: doc.catalogueParams } : {}),
    document: doc,
    patchesFor: switchPatches,
    build(input: ScenarioInput): WorldDraft {
      try {
        const built = buildDraft(doc, input);
        const f = checkDraft(built);
        if (f.problems.length) throw new VariantNotApplicableError(f.problems.map((p) => ({ field: p.path, message: p.message })));
        return built.draft;
      } catch (e) {
        if (e instanceof ExpandError) throw new VariantNotApplicableError([{ field: e.path, message: e.message }]);
        throw e;
      }
    },
  };
  if (doc.invariants === undefined) {
    // the default invariants that apply to the world the defaults build
    const params = Object.fromEntries(scenario.params.map((p) => [p.name, p.default]));
    const switches = Object.fromEntries(scenario.switches.map((w) => [w.name, w.default]));
    try {
      const draft = buildDraft(doc, { params, switches }).draft;
      return { ...scenario, invariants: DEFAULT_INVARIANTS.filter((n) => invariantScope(draft, resolveInvariant(n)!).applies) };
    } catch {
      return scenario;
    }
  }
  return scenario;
}
