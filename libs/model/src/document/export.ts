import { Document, isMap, isSeq, visit } from 'yaml';
import { canonicalJson } from '../hash.js';
import type { PathDef } from '../program.js';
import { findScenario } from '../scenarios/registry.js';
import type { Scenario, ScenarioInput, WorldDraft } from '../scenarios/scenario.js';
import type { Patch } from '../variants/variant.js';
import { DOCUMENT_FORMAT, type DocPath, type DocStep, type ScenarioDocument } from './types.js';

// A scenario as a document: every combination of its own switches is built, and the lists of the
// worlds (objects, threads, steps) are merged into one, each item kept `when` the switch values
// that have it. Parameters are fixed at the values given (a document of the scenario at those
// parameters); `mmreplay scenarios export <name>` starts a user's document from it.

type Combo = Readonly<Record<string, string>>;
interface Entry {
  readonly key: string;
  readonly item: unknown;
  readonly combos: Set<number>;
}

/** Merge sequences so that each one is a subsequence of the result (longest common subsequence). */
function mergeSequences(seqs: readonly (readonly unknown[])[]): Entry[] {
  let merged: Entry[] = [];
  seqs.forEach((seq, c) => {
    const keys = seq.map((x) => canonicalJson(x));
    const n = merged.length;
    const m = keys.length;
    const lcs: Int32Array[] = Array.from({ length: n + 1 }, () => new Int32Array(m + 1));
    for (let i = n - 1; i >= 0; i--)
      for (let j = m - 1; j >= 0; j--) lcs[i][j] = merged[i].key === keys[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    const out: Entry[] = [];
    let i = 0;
    let j = 0;
    while (i < n || j < m) {
      if (i < n && j < m && merged[i].key === keys[j]) {
        merged[i].combos.add(c);
        out.push(merged[i]);
        i++;
        j++;
      } else if (i < n && (j >= m || lcs[i + 1][j] >= lcs[i][j + 1])) out.push(merged[i++]);
      else {
        out.push({ key: keys[j], item: seq[j], combos: new Set([c]) });
        j++;
      }
    }
    merged = out;
  });
  return merged;
}

/** `when` conditions equivalent to a set of combinations: one product of value sets, or one entry per combination. */
function conditions(
  set: Set<number>,
  combos: readonly Combo[],
  switches: readonly { name: string; values: readonly string[] }[],
): (Record<string, string | string[]> | null)[] {
  if (set.size === combos.length) return [null];
  const values = switches.map((w) => [...new Set([...set].map((c) => combos[c][w.name]))]);
  const product = values.reduce((n, v) => n * v.length, 1);
  if (product === set.size) {
    const when: Record<string, string | string[]> = {};
    switches.forEach((w, i) => {
      if (values[i].length !== w.values.length) when[w.name] = values[i].length === 1 ? values[i][0] : w.values.filter((v) => values[i].includes(v));
    });
    return [when];
  }
  return [...set].sort((a, b) => a - b).map((c) => Object.fromEntries(switches.map((w) => [w.name, combos[c][w.name]])));
}

function mergedList(
  seqs: readonly (readonly unknown[])[],
  combos: readonly Combo[],
  switches: readonly { name: string; values: readonly string[] }[],
): unknown[] {
  return mergeSequences(seqs).flatMap((e) =>
    conditions(e.combos, combos, switches).map((when) => {
      if (when === null) return e.item;
      if (typeof e.item === 'string') return { name: e.item, when };
      return { ...(e.item as object), when };
    }),
  );
}

export class ExportError extends Error {}

/** A built-in (or registered) scenario as a document, at the given parameters (default: its defaults). */
export function exportScenario(name: string, opts: { readonly params?: Readonly<Record<string, number>> } = {}): ScenarioDocument | undefined {
  const s = findScenario(name);
  if (!s) return undefined;
  if (s.document && !opts.params) return s.document;
  return exportScenarioObject(s, opts.params ?? {});
}

export function exportScenarioObject(s: Scenario, given: Readonly<Record<string, number>>): ScenarioDocument {
  const params = Object.fromEntries(s.params.map((p) => [p.name, given[p.name] ?? p.default]));
  let combos: Record<string, string>[] = [{}];
  for (const w of s.switches) combos = combos.flatMap((c) => w.values.map((v) => ({ ...c, [w.name]: v })));
  const drafts: WorldDraft[] = combos.map((switches) => s.build({ params, switches } satisfies ScenarioInput));
  const list = (f: (d: WorldDraft) => readonly unknown[]) => mergedList(drafts.map(f), combos, s.switches);
  const same = <T>(f: (d: WorldDraft) => T, what: string): T => {
    const first = canonicalJson(f(drafts[0]));
    if (drafts.some((d) => canonicalJson(f(d)) !== first)) throw new ExportError(`${s.name}: ${what} depends on a switch, which a document cannot say`);
    return f(drafts[0]);
  };
  const rmapOrder = same((d) => d.rmapOrder, 'rmapOrder');
  const litmus = same((d) => d.litmus, 'litmus');
  const pathNames = [...new Set(drafts.flatMap((d) => Object.keys(d.paths)))];
  const paths: Record<string, DocPath> = {};
  for (const name of pathNames) {
    const having = drafts.map((d, i) => [d.paths[name], i] as const).filter(([p]) => p !== undefined) as (readonly [PathDef, number])[];
    const regs = canonicalJson(having[0][0].regs);
    if (having.some(([p]) => canonicalJson(p.regs) !== regs)) throw new ExportError(`${s.name}: the registers of path ${name} depend on a switch`);
    const titles = mergedList(
      having.map(([p]) => [p.title]),
      having.map(([, i]) => combos[i]),
      s.switches,
    ).map((t) => (typeof t === 'string' ? { text: t } : { text: (t as { name: string }).name, when: (t as { when: Record<string, string> }).when }));
    const seqs = drafts.map((d) =>
      (d.paths[name]?.steps ?? []).map((st) => ({ label: st.label, op: st.op, args: [...st.args], src: st.src }) satisfies DocStep),
    );
    const present = conditions(new Set(having.map(([, i]) => i)), combos, s.switches);
    if (present.length !== 1) throw new ExportError(`${s.name}: path ${name} exists under switch values a document cannot name in one 'when'`);
    paths[name] = {
      ...(present[0] ? { when: present[0] } : {}),
      title: titles.length === 1 && titles[0].when === undefined ? titles[0].text : titles,
      regs: Object.fromEntries(having[0][0].regs.map((r) => [r.name, r.type])),
      steps: mergedList(seqs, combos, s.switches) as DocStep[],
    };
  }
  const doc: ScenarioDocument = {
    format: DOCUMENT_FORMAT,
    name: s.name,
    title: s.title,
    description: s.description,
    ...(s.expect ? { source: { commit: s.expect.commit } } : {}),
    row: s.row,
    params: s.params.map((p) => ({ name: p.name, default: params[p.name], min: params[p.name], max: params[p.name], description: p.description })),
    switches: s.switches.map((w) => ({
      name: w.name,
      values: [...w.values],
      default: w.default,
      description: w.description,
      ...(s.patchesFor ? patchesOf(s, w) : {}),
    })),
    ...(rmapOrder ? { rmapOrder } : {}),
    pages: list((d) => d.pages) as ScenarioDocument['pages'],
    vmas: list((d) => d.vmas) as ScenarioDocument['vmas'],
    ptes: list((d) => d.ptes) as ScenarioDocument['ptes'],
    ptls: list((d) => d.ptls) as ScenarioDocument['ptls'],
    threads: list((d) => d.threads) as unknown as ScenarioDocument['threads'],
    paths,
    // a document's user invariants are not built from its worlds: they are carried over as written
    invariants: [...s.invariants, ...(s.document?.invariants ?? []).filter((x) => typeof x !== 'string')],
    symmetry: list((d) => d.symmetry) as ScenarioDocument['symmetry'],
    ...(litmus ? { litmus } : {}),
    variants: s.variants.map((v) => ({
      name: v.name,
      description: v.description,
      ...(v.switches ? { switches: v.switches } : {}),
      ...(v.patches ? { patches: v.patches } : {}),
      ...(v.expect ? { expect: v.expect } : {}),
    })),
    ...(s.expect ? { expect: s.expect } : {}),
    ...(s.catalogueParams ? { catalogueParams: Object.fromEntries(Object.entries(s.catalogueParams).filter(([k, v]) => params[k] === v)) } : {}),
  };
  return doc;
}

function patchesOf(s: Scenario, w: { name: string; values: readonly string[]; default: string }): { patches?: Record<string, readonly Patch[]> } {
  // this switch's value alone: with the other switches at their defaults, a default value's own
  // patch set would be copied under every value of this switch (applied twice when reloaded)
  const out: Record<string, readonly Patch[]> = {};
  for (const v of w.values) {
    const p = s.patchesFor!({ [w.name]: v });
    if (p.length) out[v] = p;
  }
  return Object.keys(out).length ? { patches: out } : {};
}

/** YAML text of a document: items of lists and small objects in flow style, one per line. */
export function documentToYaml(doc: ScenarioDocument): string {
  const d = new Document(doc);
  visit(d, {
    Map(_, node, path) {
      const parent = path[path.length - 1];
      // list items of the world and the steps: one line each
      if (isSeq(parent) && path.length >= 4) node.flow = true;
    },
    Seq(_, node) {
      if (node.items.every((x) => !isMap(x) && !isSeq(x))) node.flow = true;
    },
  });
  return d.toString({ lineWidth: 0, flowCollectionPadding: true });
}

/** A template for a number that varies with one parameter, from samples (parameter value, number). */
function fit(param: string, samples: readonly (readonly [number, number])[]): string | null {
  if (samples.every(([p, v]) => v === p)) return `\${${param}}`;
  const c = samples[0][1] - samples[0][0];
  if (samples.every(([p, v]) => v - p === c)) return `\${${param} ${c < 0 ? '-' : '+'} ${Math.abs(c)}}`;
  const values = [...new Set(samples.map(([, v]) => v))];
  if (values.length === 2) {
    // a step: one value from some parameter value on, the other below it
    const sorted = [...samples].sort((a, b) => a[0] - b[0]);
    const changes = sorted.filter((x, i) => i > 0 && x[1] !== sorted[i - 1][1]);
    if (changes.length === 1) {
      const [t, above] = changes[0];
      const below = values.find((v) => v !== above)!;
      return `\${${param} >= ${t} ? ${above} : ${below}}`;
    }
  }
  return null;
}

type Json = unknown;

/** Leaves where b differs from a, or null when they differ in shape or in a non-number. */
function numericDiffs(a: Json, b: Json, at: (string | number)[], out: (string | number)[][]): boolean {
  if (typeof a === 'number' && typeof b === 'number') {
    if (a !== b) out.push(at);
    return true;
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => numericDiffs(x, b[i], [...at, i], out));
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k) => numericDiffs((a as Record<string, Json>)[k], (b as Record<string, Json>)[k], [...at, k], out));
  }
  return a === b;
}

const getAt = (v: Json, path: readonly (string | number)[]): Json => path.reduce<Json>((x, k) => (x as Record<string | number, Json>)[k], v);

/**
 * A scenario as a document with its parameters kept where a number of the document follows one
 * parameter (`${passes}`, `${passes >= 10 ? 2 : 3}`), found by exporting it at several values of
 * each parameter; a parameter that changes the document's shape stays fixed at its value.
 * Returns the document and the parameters it could not express.
 */
export function exportParametric(s: Scenario): { document: ScenarioDocument; fixed: string[] } {
  const defaults = Object.fromEntries(s.params.map((p) => [p.name, p.default]));
  const strip = (d: ScenarioDocument) => ({ ...d, params: [], catalogueParams: undefined });
  let doc = exportScenarioObject(s, defaults) as unknown as Record<string, Json>;
  const fixed: string[] = [];
  const params = [...(doc.params as { name: string; default: number; min: number; max: number; description?: string }[])];
  for (const spec of s.params) {
    const values = [...new Set([spec.min, spec.max, spec.default - 1, spec.default + 1, Math.floor((spec.min + spec.max) / 2)])].filter(
      (v) => v >= spec.min && v <= spec.max && v !== spec.default,
    );
    const others = values.map((v) => [v, strip(exportScenarioObject(s, { ...defaults, [spec.name]: v }))] as const);
    const base = strip(doc as unknown as ScenarioDocument);
    const diffs: (string | number)[][] = [];
    const sameShape = others.every(([, o]) => {
      const d: (string | number)[][] = [];
      const ok = numericDiffs(base, o, [], d);
      for (const x of d) if (!diffs.some((y) => canonicalJson(y) === canonicalJson(x))) diffs.push(x);
      return ok;
    });
    const templates = sameShape
      ? diffs.map(
          (path) =>
            [path, fit(spec.name, [[spec.default, getAt(base, path) as number], ...others.map(([v, o]) => [v, getAt(o, path) as number] as const)])] as const,
        )
      : [];
    if (!sameShape || templates.some(([, t]) => t === null)) {
      fixed.push(spec.name);
      continue;
    }
    const next = JSON.parse(JSON.stringify(doc)) as Record<string, Json>;
    for (const [path, t] of templates) {
      const parent = getAt(next, path.slice(0, -1)) as Record<string | number, Json>;
      parent[path[path.length - 1]] = t;
    }
    doc = next;
    const i = params.findIndex((p) => p.name === spec.name);
    params[i] = { ...params[i], min: spec.min, max: spec.max };
  }
  const out: Record<string, Json> = { ...doc, params };
  delete out.catalogueParams;
  if (s.catalogueParams && Object.keys(s.catalogueParams).every((k) => !fixed.includes(k))) out.catalogueParams = s.catalogueParams;
  // keep the field order of an export
  const ordered = Object.fromEntries(
    Object.keys(doc)
      .filter((k) => k in out)
      .map((k) => [k, out[k]]),
  );
  return { document: { ...ordered, ...out } as unknown as ScenarioDocument, fixed };
}
