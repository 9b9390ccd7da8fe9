import { DomainError, formatIssues, type FieldIssue } from '../errors.js';
import { isOpName, OPS } from '../isa.js';
import type { PathDef, SourceRef, Step } from '../program.js';

/** A step as a variant supplies it: the source reference is optional. */
export type PatchStep = Omit<Step, 'src'> & { readonly src?: SourceRef };

/** A change to a built-in path, addressed by stable step labels. */
export type Patch =
  | { readonly op: 'delete'; readonly path: string; readonly step: string }
  | { readonly op: 'insert'; readonly path: string; readonly before?: string; readonly after?: string; readonly steps: readonly PatchStep[] }
  | { readonly op: 'replace'; readonly path: string; readonly step: string; readonly steps: readonly PatchStep[] }
  | { readonly op: 'move'; readonly path: string; readonly step: string; readonly before?: string; readonly after?: string };

/** A protocol variant as users submit it: switch values and patches, never code. */
export interface Variant {
  readonly name?: string;
  /** a named built-in variant this one starts from */
  readonly base?: string;
  readonly switches?: Readonly<Record<string, string>>;
  readonly patches?: readonly Patch[];
}

/** A variant document that is not well formed; its issues are relative to the request's `variant`. */
export class InvalidVariantError extends DomainError {
  readonly kind = 'invalid';
  constructor(issues: readonly FieldIssue[]) {
    super(`invalid variant: ${formatIssues(issues)}`, { issues, at: 'variant' });
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Checks the JSON shape of a variant; every problem is reported with the field it is in. */
export function parseVariant(input: unknown): Variant {
  const issues: FieldIssue[] = [];
  if (!isRecord(input)) throw new InvalidVariantError([{ field: '(root)', message: 'a variant is a JSON object' }]);
  for (const key of Object.keys(input)) {
    if (!['name', 'base', 'switches', 'patches'].includes(key)) issues.push({ field: key, message: 'unknown field' });
  }
  if (input.name !== undefined && (typeof input.name !== 'string' || input.name.length > 100)) {
    issues.push({ field: 'name', message: 'must be a string of at most 100 characters' });
  }
  if (input.base !== undefined && typeof input.base !== 'string') issues.push({ field: 'base', message: 'must be the name of a built-in variant' });
  if (input.switches !== undefined) {
    if (!isRecord(input.switches)) issues.push({ field: 'switches', message: 'must be an object of switch names to values' });
    else {
      for (const [k, v] of Object.entries(input.switches)) {
        if (typeof v !== 'string') issues.push({ field: `switches.${k}`, message: 'must be a string' });
      }
    }
  }
  if (input.patches !== undefined) {
    if (!Array.isArray(input.patches)) issues.push({ field: 'patches', message: 'must be an array' });
    else if (input.patches.length > 200) issues.push({ field: 'patches', message: 'at most 200 patches' });
    else input.patches.forEach((p, i) => checkPatch(p, `patches[${i}]`, issues));
  }
  if (issues.length) throw new InvalidVariantError(issues);
  return input as Variant;
}

function checkPatch(p: unknown, at: string, issues: FieldIssue[]): void {
  if (!isRecord(p)) {
    issues.push({ field: at, message: 'must be an object' });
    return;
  }
  const allowed: Record<string, string[]> = {
    delete: ['op', 'path', 'step'],
    insert: ['op', 'path', 'before', 'after', 'steps'],
    replace: ['op', 'path', 'step', 'steps'],
    move: ['op', 'path', 'step', 'before', 'after'],
  };
  // own keys only: `toString` or `constructor` as an op would find Object.prototype's functions
  const fields = typeof p.op === 'string' && Object.prototype.hasOwnProperty.call(allowed, p.op) ? allowed[p.op] : undefined;
  if (!fields) {
    issues.push({ field: `${at}.op`, message: 'must be one of delete, insert, replace, move' });
    return;
  }
  for (const key of Object.keys(p)) if (!fields.includes(key)) issues.push({ field: `${at}.${key}`, message: `unknown field for '${p.op}'` });
  if (typeof p.path !== 'string') issues.push({ field: `${at}.path`, message: 'must name a path of the scenario' });
  if (fields.includes('step') && typeof p.step !== 'string') issues.push({ field: `${at}.step`, message: 'must be a step label' });
  if (p.op === 'insert' || p.op === 'move') {
    const anchors = [p.before, p.after].filter((x) => x !== undefined);
    if (anchors.length !== 1 || typeof anchors[0] !== 'string') {
      issues.push({ field: `${at}.before`, message: "exactly one of 'before' or 'after' must name a step label" });
    }
  }
  if (p.op === 'insert' || p.op === 'replace') {
    if (!Array.isArray(p.steps) || p.steps.length === 0 || p.steps.length > 100) {
      issues.push({ field: `${at}.steps`, message: 'must be an array of 1 to 100 steps' });
    } else p.steps.forEach((s, j) => checkStep(s, `${at}.steps[${j}]`, issues));
  }
}

function checkStep(s: unknown, at: string, issues: FieldIssue[]): void {
  if (!isRecord(s)) {
    issues.push({ field: at, message: 'must be an object {label, op, args, src?}' });
    return;
  }
  for (const key of Object.keys(s)) if (!['label', 'op', 'args', 'src'].includes(key)) issues.push({ field: `${at}.${key}`, message: 'unknown field' });
  if (typeof s.label !== 'string' || s.label.length === 0 || s.label.length > 100) issues.push({ field: `${at}.label`, message: 'must be a non-empty string' });
  if (typeof s.op !== 'string' || !isOpName(s.op)) {
    issues.push({ field: `${at}.op`, message: 'must be an instruction of the instruction set' });
    return;
  }
  const spec = OPS[s.op];
  if (!Array.isArray(s.args) || s.args.length !== spec.args.length) {
    issues.push({ field: `${at}.args`, message: `${s.op} takes ${spec.args.length} arguments (${spec.args.join(', ')})` });
    return;
  }
  s.args.forEach((a, j) => {
    const want = spec.args[j];
    const ok = want === 'imm' ? Number.isSafeInteger(a) : typeof a === 'string' && a.length <= 100;
    if (!ok) issues.push({ field: `${at}.args[${j}]`, message: `must be ${want === 'imm' ? 'an integer' : `a ${want} name`}` });
  });
  if (s.src !== undefined) {
    const src = s.src;
    if (!isRecord(src) || typeof src.file !== 'string' || typeof src.fn !== 'string' || typeof src.version !== 'string') {
      issues.push({ field: `${at}.src`, message: 'must be {file, fn, version}' });
    }
  }
}

/** The index range of a step label, or of a block of labels `L.*`; it must be contiguous. */
function block(def: PathDef, label: string, field: string): [number, number] {
  const idx: number[] = [];
  def.steps.forEach((s, i) => {
    if (s.label === label || s.label.startsWith(`${label}.`)) idx.push(i);
  });
  if (idx.length === 0) throw new InvalidVariantError([{ field, message: `no step '${label}' in path '${def.name}'` }]);
  const [first, last] = [idx[0], idx[idx.length - 1]];
  if (last - first + 1 !== idx.length) throw new InvalidVariantError([{ field, message: `the steps '${label}.*' are not contiguous` }]);
  return [first, last + 1];
}

const userSrc = { file: '(variant)', fn: '(patch)', version: '-' };

/**
 * Applies patches to the paths they name; patches to a path the scenario lacks are an error.
 * `where(i)` is patch i's field in the input (default `patches[i]`); `origins`, when given, learns
 * the field of every step a patch inserts, so later checks name the patch rather than the path.
 */
export function applyPatches(
  paths: Record<string, PathDef>,
  patches: readonly Patch[],
  where: (i: number) => string = (i) => `patches[${i}]`,
  origins?: Map<Step, string>,
): Record<string, PathDef> {
  const out = { ...paths };
  patches.forEach((p, i) => {
    const at = where(i);
    const def = out[p.path];
    if (!def) throw new InvalidVariantError([{ field: `${at}.path`, message: `the scenario has no path '${p.path}' (it has ${Object.keys(out).join(', ')})` }]);
    const steps = [...def.steps];
    const anchor = (q: { before?: string; after?: string }, list: Step[]): number => {
      const where = q.before ?? q.after ?? '';
      const probe: PathDef = { ...def, steps: list };
      const [s, e] = block(probe, where, `${at}.${q.before !== undefined ? 'before' : 'after'}`);
      return q.before !== undefined ? s : e;
    };
    const fresh = (list: readonly PatchStep[]): Step[] =>
      list.map((s, j) => {
        const step = { ...s, src: s.src ?? userSrc };
        origins?.set(step, `${at}.steps[${j}]`);
        return step;
      });
    switch (p.op) {
      case 'delete': {
        const [s, e] = block(def, p.step, `${at}.step`);
        steps.splice(s, e - s);
        break;
      }
      case 'insert':
        steps.splice(anchor(p, steps), 0, ...fresh(p.steps));
        break;
      case 'replace': {
        const [s, e] = block(def, p.step, `${at}.step`);
        steps.splice(s, e - s, ...fresh(p.steps));
        break;
      }
      case 'move': {
        const [s, e] = block(def, p.step, `${at}.step`);
        const moved = steps.splice(s, e - s);
        steps.splice(anchor(p, steps), 0, ...moved);
        break;
      }
    }
    out[p.path] = { ...def, steps };
  });
  return out;
}
