import { UnknownObjectError } from './errors.js';
import type { RunModel } from './run-model.js';

/**
 * The kinds of object a history can follow, as `Layout.describe` names them: the kernel's, then
 * the memory model's (a litmus variable, the recorded litmus results, a thread's store buffer or
 * outstanding stores, its outstanding loads, its lkmm view, a location's stores not yet seen by
 * every CPU, a thread's RCU read-side section and grace period).
 */
export const OBJECT_KINDS = ['page', 'pte', 'ptl', 'vma', 'thread', 'var', 'litmus', 'storebuf', 'loadq', 'view', 'msgs', 'rcu'] as const;

/** Every object of the run's model, as `kind:name`. */
export function objectsOf(model: RunModel): string[] {
  const w = model.world;
  return [
    ...w.pages.map((p) => `page:${p.name}`),
    ...w.ptes.map((e) => `pte:${e.name}`),
    ...w.ptls.map((l) => `ptl:${l}`),
    ...w.vmas.map((v) => `vma:${v.name}`),
    ...w.threads.map((t) => `thread:${t.name}`),
    ...memoryObjects(model),
  ];
}

function memoryObjects(model: RunModel): string[] {
  const L = model.layout;
  const w = model.world;
  const out = (w.litmus?.vars ?? []).map((v) => `var:${v}`);
  if ((w.litmus?.results.length ?? 0) > 0) out.push('litmus');
  w.threads.forEach((t, i) => {
    if (L.sbCapacity[i] > 0) out.push(`storebuf:${t.name}`);
    if (L.lqCapacity[i] > 0) out.push(`loadq:${t.name}`);
    if (L.viewBase[i] >= 0) out.push(`view:${t.name}`);
    if (L.rcuBase[i] >= 0) out.push(`rcu:${t.name}`);
  });
  for (const loc of L.mlocs) out.push(`msgs:${L.locShort(loc)}`);
  return out;
}

/**
 * `page:P` as is, or a bare name (`P`, `e0`, `flt0`) when exactly one object has it. Unknown and
 * ambiguous names are an `UnknownObjectError` that lists the candidates.
 */
export function resolveObject(model: RunModel, text: string): string {
  const all = objectsOf(model);
  if (all.includes(text)) return text;
  const matches = all.filter((o) => o.slice(o.indexOf(':') + 1) === text);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw new UnknownObjectError(text, `'${text}' is ambiguous: say ${matches.join(' or ')}`);
  throw new UnknownObjectError(text, `run ${model.runId} has no object '${text}' (it has ${all.join(', ')})`);
}
