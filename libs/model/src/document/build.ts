import { linkPath, PathLinkError, reachedRegion, type PathDef, type RegDecl, type SourceRef, type Step } from '../program.js';
import type { OpName } from '../isa.js';
import type { PageDecl, PteDecl, SymmetryGroup, ThreadDecl, VmaDecl } from '../world.js';
import type { UserInvariant } from '../predicate/user-invariants.js';
import type { ScenarioInput, WorldDraft } from '../scenarios/scenario.js';
import { findScenario } from '../scenarios/registry.js';
import { didYouMean } from '../suggest.js';
import { DOCUMENT_LIMITS as L } from './limits.js';
import { deriveSymmetry } from './derive.js';
import { ExpandError, expandList, deepSubstitute, matchesWhen, type Env } from './expand.js';
import type { DocBuiltinPath, DocMember, DocPage, DocPte, DocPtl, DocStep, DocStepsPath, DocThread, DocVma, ScenarioDocument } from './types.js';

// A document, for one choice of parameters and switches, as the world a scenario's builder gives.
// Where each built item came from is kept (`origin`), so that checks on the built world can name
// the document field.

export interface BuiltDraft {
  readonly draft: WorldDraft;
  /** path name -> for each built step, its index in the document's `steps` (-1: added by the loader) */
  readonly stepOrigin: Readonly<Record<string, readonly number[]>>;
  /** thread index -> index in the document's `threads` */
  readonly threadOrigin: readonly number[];
}

const NO_SRC: SourceRef = { file: '?', fn: '?', version: '?' };
/** The step the loader puts first in a path whose threads start after another thread finished. */
export const START_LABEL = 'start.after';

function num(v: unknown, at: string): number {
  if (typeof v !== 'number' || !Number.isSafeInteger(v)) throw new ExpandError(at, `must be an integer, got ${JSON.stringify(v)}`);
  return v;
}

function stepsPath(name: string, p: DocStepsPath, env: Env, switches: Readonly<Record<string, string>>): { def: PathDef; origin: number[] } {
  const at = `paths.${name}.steps`;
  const items = expandList<DocStep>(p.steps, env, switches, at, L.repeat);
  if (items.length > L.stepsPerPath) throw new ExpandError(at, `at most ${L.stepsPerPath} steps, got ${items.length}`);
  let src = NO_SRC;
  const steps: Step[] = items.map(({ item }, k) => {
    if (item.src) src = item.src;
    const label = typeof item.label === 'string' ? item.label : `s${k}`;
    return { label, op: item.op as OpName, args: [...(item.args ?? [])], src };
  });
  const regs: RegDecl[] = Object.entries(p.regs).map(([n, type]) => ({ name: n, type }));
  const title = typeof p.title === 'string' ? p.title : (p.title?.find((t) => matchesWhen(t.when, switches))?.text ?? name);
  return { def: { name, title, regs, steps }, origin: items.map((x) => x.from) };
}

function builtinPath(name: string, p: DocBuiltinPath, env: Env): PathDef {
  const at = `paths.${name}.builtin`;
  const b = p.builtin;
  const s = findScenario(b.scenario);
  if (!s) throw new ExpandError(`${at}.scenario`, `no built-in scenario '${b.scenario}'`);
  const params: Record<string, number> = Object.fromEntries(s.params.map((x) => [x.name, x.default]));
  for (const [k, v] of Object.entries(b.params ?? {})) {
    const spec = s.params.find((x) => x.name === k);
    if (!spec)
      throw new ExpandError(
        `${at}.params.${k}`,
        `scenario '${s.name}' has no parameter '${k}'${didYouMean(
          k,
          s.params.map((x) => x.name),
        )}`,
      );
    const value = num(deepSubstitute(v, env, `${at}.params.${k}`), `${at}.params.${k}`);
    if (value < spec.min || value > spec.max) throw new ExpandError(`${at}.params.${k}`, `must be from ${spec.min} to ${spec.max}`);
    params[k] = value;
  }
  const switches: Record<string, string> = Object.fromEntries(s.switches.map((x) => [x.name, x.default]));
  for (const [k, v] of Object.entries(b.switches ?? {})) {
    const spec = s.switches.find((x) => x.name === k);
    if (!spec)
      throw new ExpandError(
        `${at}.switches.${k}`,
        `scenario '${s.name}' has no switch '${k}'${didYouMean(
          k,
          s.switches.map((x) => x.name),
        )}`,
      );
    if (!spec.values.includes(v))
      throw new ExpandError(`${at}.switches.${k}`, `'${v}' is not a value of ${k}${didYouMean(v, spec.values)}: one of ${spec.values.join(', ')}`);
    switches[k] = v;
  }
  const paths = s.build({ params, switches }).paths;
  const def = paths[b.path];
  if (!def)
    throw new ExpandError(
      `${at}.path`,
      `scenario '${s.name}' has no path '${b.path}'${didYouMean(b.path, Object.keys(paths))} (it has ${Object.keys(paths).join(', ')})`,
    );
  return { ...def, name };
}

export function buildDraft(doc: ScenarioDocument, input: ScenarioInput): BuiltDraft {
  const env: Env = input.params;
  const sw = input.switches;
  const list = <T>(items: readonly unknown[] | undefined, at: string) => expandList<T>(items, env, sw, at, L.repeat);

  const pages = list<DocPage>(doc.pages, 'pages').map(({ item: p, from }): PageDecl => {
    const at = `pages[${from}]`;
    return {
      name: p.name,
      ref: num(p.ref, `${at}.ref`),
      map: num(p.map, `${at}.map`),
      mapping: p.mapping,
      ...(p.locked !== undefined ? { locked: p.locked } : {}),
      ...(p.head !== undefined ? { head: p.head } : {}),
      ...(p.index !== undefined ? { index: num(p.index, `${at}.index`) } : {}),
      ...(p.free !== undefined ? { free: p.free } : {}),
      ...(p.owner !== undefined ? { owner: p.owner } : {}),
    };
  });
  const vmas = list<DocVma>(doc.vmas, 'vmas').map(({ item: v, from }): VmaDecl => ({
    name: v.name,
    start: num(v.start, `vmas[${from}].start`),
    pgoff: num(v.pgoff, `vmas[${from}].pgoff`),
    ...(v.tempStack !== undefined ? { tempStack: v.tempStack } : {}),
    ...(v.nonlinear !== undefined ? { nonlinear: v.nonlinear } : {}),
    ...(v.unlinked !== undefined ? { unlinked: v.unlinked } : {}),
  }));
  const ptes = list<DocPte>(doc.ptes, 'ptes').map(({ item: e, from }): PteDecl => ({
    name: e.name,
    addr: num(e.addr, `ptes[${from}].addr`),
    ptl: e.ptl,
    init: e.init,
  }));
  const ptls = list<string | DocPtl>(doc.ptls, 'ptls').map(({ item }) => (typeof item === 'string' ? item : item.name));
  const objects = pages.length + vmas.length + ptes.length + ptls.length;
  if (objects > L.objects) throw new ExpandError('(root)', `at most ${L.objects} pages, VMAs, PTEs and PTLs together, got ${objects}`);

  const threadItems = list<DocThread>(doc.threads, 'threads');
  if (threadItems.length > L.threads) throw new ExpandError('threads', `at most ${L.threads} threads, got ${threadItems.length}`);
  const threadNames = threadItems.map((t) => t.item.name);

  const paths: Record<string, PathDef> = {};
  const stepOrigin: Record<string, number[]> = {};
  for (const [name, p] of Object.entries(doc.paths)) {
    if ('builtin' in p) {
      paths[name] = builtinPath(name, p, env);
      stepOrigin[name] = paths[name].steps.map(() => -1);
    } else {
      if (!matchesWhen(p.when, sw)) continue;
      const { def, origin } = stepsPath(name, p, env, sw);
      paths[name] = def;
      stepOrigin[name] = origin;
    }
  }

  // Start conditions: a thread that starts after another has finished (or reached a label) first
  // runs wait_thread (wait_label). The threads of one path share it when they share the condition;
  // otherwise the thread gets a copy.
  const sameStart = (a: DocThread['start'], b: DocThread['start']) => a?.after === b?.after && a?.label === b?.label;
  const threads: ThreadDecl[] = threadItems.map(({ item: t, from }) => {
    const args: Record<string, string | number> = {};
    for (const [k, v] of Object.entries(t.args ?? {})) args[k] = v as string | number;
    let path = t.path;
    if (t.start) {
      const target = threadNames.indexOf(t.start.after);
      if (target < 0) throw new ExpandError(`threads[${from}].start.after`, `no thread '${t.start.after}'${didYouMean(t.start.after, threadNames)}`);
      if (target === threadNames.indexOf(t.name)) throw new ExpandError(`threads[${from}].start.after`, 'a thread cannot wait for itself');
      const def = paths[t.path];
      if (def) {
        const sharedAlike = threadItems.every(({ item: u }) => u.path !== t.path || sameStart(u.start, t.start));
        const name = sharedAlike ? t.path : `${t.path}@${t.name}`;
        if (!paths[name] || paths[name].steps[0]?.label !== START_LABEL) {
          const label = t.start.label;
          const wait: Step = {
            label: START_LABEL,
            // the label's step index in the awaited thread's path is filled in below, once every path is final
            op: label === undefined ? 'wait_thread' : 'wait_label',
            args: label === undefined ? [target] : [target, label],
            src: { file: 'mmreplay', fn: label === undefined ? `start after ${t.start.after}` : `start after ${t.start.after} reached ${label}`, version: '-' },
          };
          paths[name] = { ...def, name, steps: [wait, ...def.steps] };
          stepOrigin[name] = [-1, ...(stepOrigin[t.path] ?? [])];
        }
        path = name;
      }
    }
    return { name: t.name, path, args, ...(t.tlb ? { tlb: [...t.tlb] } : {}) };
  });
  threadItems.forEach(({ item: t, from }, i) => {
    const label = t.start?.label;
    const waiter = paths[threads[i].path];
    if (label === undefined || waiter?.steps[0]?.op !== 'wait_label' || typeof waiter.steps[0].args[1] !== 'string') return;
    const target = waiter.steps[0].args[0] as number;
    const awaited = paths[threads[target].path];
    if (!awaited) return;
    const at = awaited.steps.findIndex((st) => st.label === label);
    const field = `threads[${from}].start.label`;
    if (at < 0) {
      const labels = awaited.steps.map((st) => st.label);
      throw new ExpandError(field, `no label '${label}' in path ${awaited.name} of thread ${threads[target].name}${didYouMean(label, labels)}`);
    }
    let region: Uint8Array | string = '';
    try {
      region = reachedRegion(linkPath(awaited), at);
    } catch (e) {
      if (!(e instanceof PathLinkError)) throw e;
      return; // the awaited path's own problem is reported where it is
    }
    if (typeof region === 'string') throw new ExpandError(field, `thread ${threads[target].name} does not reach '${label}' for good: ${region}`);
    paths[threads[i].path] = { ...waiter, steps: [{ ...waiter.steps[0], args: [target, at] }, ...waiter.steps.slice(1)] };
  });
  const threadOrigin = threadItems.map((t) => t.from);

  // A group's members are lists of their own (a member may repeat): the group's conditions are
  // applied first, then each member list is expanded with the group's variables.
  const symmetry: SymmetryGroup[] = [];
  (doc.symmetry ?? []).forEach((g, gi) => {
    const at = `symmetry[${gi}]`;
    const { threads, ptes: gptes, vmas: gvmas, pages: gpages, ...control } = g;
    // `k` carries the group's repeat variable out of the expansion
    for (const { item } of list<{ k: number }>([{ ...control, k: g.repeat ? `\${${g.repeat.as}}` : 0 }], at)) {
      const genv: Env = g.repeat ? { ...env, [g.repeat.as]: item.k } : env;
      const members = (raw: readonly unknown[] | undefined, m: string) =>
        expandList<DocMember>(raw, genv, sw, `${at}.${m}`, L.repeat).map(({ item: x }) => (typeof x === 'string' ? x : x.name));
      symmetry.push({ threads: members(threads, 'threads'), ptes: members(gptes, 'ptes'), vmas: members(gvmas, 'vmas'), pages: members(gpages, 'pages') });
    }
  });

  const world = {
    pages,
    vmas,
    ptes,
    ptls,
    threads,
    paths,
    ...(doc.litmus ? { litmus: doc.litmus } : {}),
    ...(doc.rmapOrder ? { rmapOrder: doc.rmapOrder } : {}),
    // absent rather than empty: a world without them keeps the hash it had before they existed
    ...(userInvariantsOf(doc).length ? { userInvariants: userInvariantsOf(doc) } : {}),
  };
  // no `symmetry` at all: derived from the world (derive.ts); `symmetry: []` declares none
  const draft: WorldDraft = { ...world, symmetry: doc.symmetry === undefined ? deriveSymmetry(world, sw) : symmetry };
  return { draft, stepOrigin, threadOrigin };
}

/** The document's user invariants (its `invariants` items that are not a built-in's name). */
export function userInvariantsOf(doc: ScenarioDocument): UserInvariant[] {
  const out: UserInvariant[] = [];
  (doc.invariants ?? []).forEach((x, i) => {
    if (typeof x === 'string') return;
    const kind = x.never !== undefined ? 'never' : 'always';
    out.push({ name: x.name ?? `user-${i}`, kind, predicate: kind === 'never' ? x.never : x.always, message: x.message });
  });
  return out;
}

/** A scenario's user invariants: the document's it was loaded from (a built-in scenario has none). */
export const scenarioUserInvariants = (s: { readonly document?: ScenarioDocument }): UserInvariant[] => (s.document ? userInvariantsOf(s.document) : []);

/**
 * One line for people about a user invariant: its kind and what its violation says. The predicate
 * itself stays in the document (it is JSON, often many lines).
 */
export const describeUserInvariant = (u: UserInvariant): string =>
  `${u.kind === 'never' ? 'never' : 'always'} (predicate language); a violation says: ${u.message}`;
