import type { StateView } from './view.js';

export type Scalar = string | number | boolean | null;

export interface StateChange {
  /** e.g. `pages.P.locked`, `ptes.e0.entry`, `threads.flt0.at.label` */
  path: string;
  a: Scalar;
  b: Scalar;
}

/** The parts of a view that describe where it was taken, not the state. */
const SKIP = new Set(['runId', 'step']);
/** Raw encodings that the readable fields next to them already say (`entry`, `decoded`). */
const REDUNDANT = new Set(['raw']);

/** The view as `path -> value`: lists of names become one comma-separated value. */
export function flattenView(view: StateView): Map<string, Scalar> {
  const out = new Map<string, Scalar>();
  const walk = (value: unknown, path: string) => {
    if (value === null || typeof value !== 'object') {
      out.set(path, value as Scalar);
      return;
    }
    if (Array.isArray(value)) {
      out.set(path, value.map((v) => (typeof v === 'object' && v !== null ? JSON.stringify(v) : String(v))).join(','));
      return;
    }
    for (const [k, v] of Object.entries(value)) {
      if (path === '' && SKIP.has(k)) continue;
      if (REDUNDANT.has(k)) continue;
      walk(v, path ? `${path}.${k}` : k);
    }
  };
  walk(view, '');
  return out;
}

/**
 * What differs between two views (of one run at two steps, or of two runs): every leaf whose value
 * differs, in the order of `a` then the leaves only `b` has. A leaf missing on one side is null.
 */
export function diffViews(a: StateView, b: StateView): StateChange[] {
  const fa = flattenView(a);
  const fb = flattenView(b);
  const changes: StateChange[] = [];
  for (const [path, va] of fa) {
    const vb = fb.has(path) ? fb.get(path)! : null;
    if (va !== vb) changes.push({ path, a: va, b: vb });
  }
  for (const [path, vb] of fb) if (!fa.has(path) && vb !== null) changes.push({ path, a: null, b: vb });
  return changes;
}
