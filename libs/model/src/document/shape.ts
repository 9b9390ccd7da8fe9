import { didYouMean } from '../suggest.js';
import type { DocumentProblem } from './types.js';

// One description of the document's shape that both checks a parsed document (every problem
// with its path, unknown fields with a "did you mean") and prints the JSON Schema editors use
// (libs/model/schema/scenario.schema.json, kept equal to it by a test). Checking never throws.

export type Shape =
  | { readonly t: 'string'; readonly max?: number; readonly pattern?: string; readonly enum?: readonly string[]; readonly doc?: string }
  | { readonly t: 'int'; readonly min?: number; readonly max?: number; readonly doc?: string }
  /** an integer or a `${expr}` string */
  | { readonly t: 'intExpr'; readonly doc?: string }
  | { readonly t: 'boolean'; readonly doc?: string }
  | { readonly t: 'array'; readonly of: Shape; readonly max: number; readonly min?: number; readonly doc?: string }
  | { readonly t: 'object'; readonly props: Readonly<Record<string, Shape>>; readonly required?: readonly string[]; readonly doc?: string }
  | { readonly t: 'map'; readonly key: string; readonly of: Shape; readonly max: number; readonly doc?: string }
  | { readonly t: 'oneOf'; readonly of: readonly Shape[]; readonly pick: (v: unknown) => number; readonly doc?: string }
  | { readonly t: 'ref'; readonly name: string; readonly doc?: string }
  /** any object: its contents are checked elsewhere (a predicate, by the predicate compiler) */
  | { readonly t: 'record'; readonly doc?: string };

/** The path of a field: `a.b`, or `a["odd key"]` for a key that is not a plain name. */
export const fieldPath = (at: string, k: string): string =>
  /^[A-Za-z_$][\w$~+-]*$/.test(k) ? (at ? `${at}.${k}` : k) : `${at}[${JSON.stringify(k.slice(0, 40))}]`;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const show = (v: unknown): string => {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'an object';
  if (typeof v === 'string') return `'${v.length > 40 ? `${v.slice(0, 40)}...` : v}'`;
  return String(v);
};

export function checkShape(v: unknown, shape: Shape, at: string, defs: Readonly<Record<string, Shape>>, out: DocumentProblem[]): void {
  const bad = (message: string): void => void out.push({ path: at || '(root)', message });
  switch (shape.t) {
    case 'ref':
      return checkShape(v, defs[shape.name], at, defs, out);
    case 'string':
      if (typeof v !== 'string') return bad(`must be a string${shape.enum ? ` (one of ${shape.enum.join(', ')})` : ''}, got ${show(v)}`);
      if (shape.max !== undefined && v.length > shape.max) return bad(`at most ${shape.max} characters`);
      if (shape.enum && !shape.enum.includes(v)) return bad(`${show(v)} is not one of ${shape.enum.join(', ')}${didYouMean(v, shape.enum)}`);
      if (shape.pattern && !new RegExp(shape.pattern).test(v)) return bad(`${show(v)} must match ${shape.pattern}`);
      return;
    case 'int':
      if (typeof v !== 'number' || !Number.isSafeInteger(v)) return bad(`must be an integer, got ${show(v)}`);
      if (shape.min !== undefined && v < shape.min) return bad(`must be at least ${shape.min}`);
      if (shape.max !== undefined && v > shape.max) return bad(`must be at most ${shape.max}`);
      return;
    case 'intExpr':
      if (typeof v === 'number' && Number.isSafeInteger(v)) return;
      if (typeof v === 'string' && /^\$\{[^{}]*\}$/.test(v) && v.length <= 400) return;
      return bad(`must be an integer or a '\${expression}', got ${show(v)}`);
    case 'boolean':
      if (typeof v !== 'boolean') bad(`must be true or false, got ${show(v)}`);
      return;
    case 'record':
      if (!isRecord(v)) bad(`must be an object, got ${show(v)}`);
      return;
    case 'array':
      if (!Array.isArray(v)) return bad(`must be a list, got ${show(v)}`);
      if (v.length > shape.max) return bad(`at most ${shape.max} items, got ${v.length}`);
      if (shape.min !== undefined && v.length < shape.min) return bad(`at least ${shape.min} item${shape.min === 1 ? '' : 's'}`);
      v.forEach((x, i) => checkShape(x, shape.of, `${at}[${i}]`, defs, out));
      return;
    case 'map': {
      if (!isRecord(v)) return bad(`must be an object, got ${show(v)}`);
      const keys = Object.keys(v);
      if (keys.length > shape.max) return bad(`at most ${shape.max} entries, got ${keys.length}`);
      const re = new RegExp(shape.key);
      for (const k of keys) {
        const p = fieldPath(at, k);
        if (!re.test(k)) out.push({ path: p, message: `'${k.slice(0, 40)}' is not a valid name (${shape.key})` });
        else checkShape(v[k], shape.of, p, defs, out);
      }
      return;
    }
    case 'object': {
      if (!isRecord(v)) return bad(`must be an object, got ${show(v)}`);
      const known = Object.keys(shape.props);
      for (const k of Object.keys(v)) {
        const p = fieldPath(at, k);
        if (!known.includes(k)) out.push({ path: p, message: `unknown field${didYouMean(k, known)}` });
        else checkShape(v[k], shape.props[k], p, defs, out);
      }
      for (const r of shape.required ?? []) if (v[r] === undefined) out.push({ path: at ? `${at}.${r}` : r, message: 'is required' });
      return;
    }
    case 'oneOf': {
      const i = shape.pick(v);
      if (i < 0) return bad(`must be ${shape.doc ?? 'one of the allowed forms'}, got ${show(v)}`);
      return checkShape(v, shape.of[i], at, defs, out);
    }
  }
}

/** The JSON Schema (draft 2020-12) of a shape. */
export function toJsonSchema(shape: Shape): Record<string, unknown> {
  const doc = shape.doc ? { description: shape.doc } : {};
  switch (shape.t) {
    case 'ref':
      return { $ref: `#/$defs/${shape.name}`, ...doc };
    case 'string':
      return {
        type: 'string',
        ...(shape.max ? { maxLength: shape.max } : {}),
        ...(shape.pattern ? { pattern: shape.pattern } : {}),
        ...(shape.enum ? { enum: shape.enum } : {}),
        ...doc,
      };
    case 'int':
      return {
        type: 'integer',
        ...(shape.min !== undefined ? { minimum: shape.min } : {}),
        ...(shape.max !== undefined ? { maximum: shape.max } : {}),
        ...doc,
      };
    case 'intExpr':
      return { oneOf: [{ type: 'integer' }, { type: 'string', pattern: '^\\$\\{[^{}]*\\}$', maxLength: 400 }], ...doc };
    case 'boolean':
      return { type: 'boolean', ...doc };
    case 'record':
      return { type: 'object', ...doc };
    case 'array':
      return { type: 'array', items: toJsonSchema(shape.of), maxItems: shape.max, ...(shape.min !== undefined ? { minItems: shape.min } : {}), ...doc };
    case 'map':
      return { type: 'object', propertyNames: { pattern: shape.key }, additionalProperties: toJsonSchema(shape.of), maxProperties: shape.max, ...doc };
    case 'object':
      return {
        type: 'object',
        properties: Object.fromEntries(Object.entries(shape.props).map(([k, s]) => [k, toJsonSchema(s)])),
        ...(shape.required?.length ? { required: shape.required } : {}),
        additionalProperties: false,
        ...doc,
      };
    case 'oneOf':
      return { oneOf: shape.of.map(toJsonSchema), ...doc };
  }
}
