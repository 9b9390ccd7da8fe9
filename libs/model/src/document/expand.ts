import { evalExpr, ExprError, substitute } from './expr.js';
import type { Conditional } from './types.js';

// Expanding a document's lists for one choice of parameters and switches: `when` and `if` keep or
// drop an item, `repeat` replicates it, and `${expr}` inside its fields is substituted.

export type Env = Readonly<Record<string, number>>;

/** An item after expansion, with the index of the document item it came from. */
export interface Expanded<T> {
  readonly item: T;
  readonly from: number;
}

export class ExpandError extends Error {
  constructor(
    readonly path: string,
    message: string,
  ) {
    super(message);
  }
}

const CONTROL = new Set(['when', 'if', 'repeat']);

/** Substitutes `${expr}` in every string of a JSON value (the item's control fields removed). */
export function deepSubstitute(v: unknown, env: Env, at: string): unknown {
  try {
    if (typeof v === 'string') return substitute(v, env);
    if (Array.isArray(v)) return v.map((x, i) => deepSubstitute(x, env, `${at}[${i}]`));
    if (typeof v === 'object' && v !== null) {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) if (!CONTROL.has(k)) out[k] = deepSubstitute(x, env, `${at}.${k}`);
      return out;
    }
    return v;
  } catch (e) {
    if (e instanceof ExprError) throw new ExpandError(at, e.message);
    throw e;
  }
}

export function matchesWhen(when: Conditional['when'], switches: Readonly<Record<string, string>>): boolean {
  if (!when) return true;
  return Object.entries(when).every(([k, v]) => (typeof v === 'string' ? switches[k] === v : v.includes(switches[k])));
}

/** The items of a list for one choice of parameters and switches. */
export function expandList<T>(
  list: readonly unknown[] | undefined,
  env: Env,
  switches: Readonly<Record<string, string>>,
  at: string,
  limit: number,
): Expanded<T>[] {
  const out: Expanded<T>[] = [];
  (list ?? []).forEach((raw, i) => {
    const p = `${at}[${i}]`;
    const item = raw as Conditional & Record<string, unknown>;
    if (typeof raw !== 'object' || raw === null) {
      out.push({ item: deepSubstitute(raw, env, p) as T, from: i });
      return;
    }
    if (!matchesWhen(item.when, switches)) return;
    if (item.if !== undefined) {
      try {
        if (evalExpr(item.if, env) === 0) return;
      } catch (e) {
        if (e instanceof ExprError) throw new ExpandError(`${p}.if`, e.message);
        throw e;
      }
    }
    if (item.repeat) {
      let count: number;
      try {
        count = typeof item.repeat.count === 'number' ? item.repeat.count : Number(substitute(item.repeat.count, env));
      } catch (e) {
        if (e instanceof ExprError) throw new ExpandError(`${p}.repeat.count`, e.message);
        throw e;
      }
      if (!Number.isSafeInteger(count) || count < 0 || count > limit) throw new ExpandError(`${p}.repeat.count`, `must be 0 to ${limit}, got ${count}`);
      if (Object.prototype.hasOwnProperty.call(env, item.repeat.as))
        throw new ExpandError(`${p}.repeat.as`, `'${item.repeat.as}' is already a parameter or an outer variable`);
      for (let k = 0; k < count; k++) out.push({ item: deepSubstitute(item, { ...env, [item.repeat.as]: k }, p) as T, from: i });
      return;
    }
    out.push({ item: deepSubstitute(item, env, p) as T, from: i });
  });
  return out;
}
