import { OPS, OP, opDecl, type OpName } from './isa.js';
import type { ArgKind } from './op-decl.js';
import { DomainError } from './errors.js';

/** Where in the kernel a step comes from. */
export interface SourceRef {
  readonly file: string;
  readonly fn: string;
  readonly version: string;
}

/** What a register holds: drives symmetry relabelling and how values are shown. */
export type RegType = 'page' | 'pte' | 'vma' | 'vmaset' | 'pteval' | 'int';

export interface RegDecl {
  readonly name: string;
  readonly type: RegType;
}

/** One instruction of a path, in the JSON form that variants patch. */
export interface Step {
  readonly label: string;
  readonly op: OpName;
  /** register names, label names or integers, following OPS[op].args */
  readonly args: readonly (string | number)[];
  readonly src: SourceRef;
}

/** A kernel code path as data. */
export interface PathDef {
  readonly name: string;
  readonly title: string;
  readonly regs: readonly RegDecl[];
  readonly steps: readonly Step[];
}

export const MAX_REGS = 10;
/** Encoded instruction width: opcode + up to 6 arguments. */
export const INSN_WIDTH = 7;

/** A path linked for the interpreter: labels resolved to instruction indexes, registers to numbers. */
export interface LinkedPath {
  readonly def: PathDef;
  readonly code: Int32Array;
  readonly length: number;
  readonly visible: Uint8Array;
  readonly labelIndex: ReadonlyMap<string, number>;
}

/** A path that does not link (a bad register, label or operand): a path of the request does not fit the model. */
export class PathLinkError extends DomainError {
  readonly kind = 'not-applicable';
  constructor(
    readonly path: string,
    readonly field: string,
    message: string,
  ) {
    super(`${path}: ${field}: ${message}`, { issues: [{ field: `paths.${path}.${field}`, message }] });
  }
}

export function linkPath(def: PathDef): LinkedPath {
  if (def.regs.length > MAX_REGS) throw new PathLinkError(def.name, 'regs', `at most ${MAX_REGS} registers`);
  const regIndex = new Map(def.regs.map((r, i) => [r.name, i]));
  const labelIndex = new Map<string, number>();
  def.steps.forEach((s, i) => {
    if (labelIndex.has(s.label)) throw new PathLinkError(def.name, `steps[${i}].label`, `duplicate label '${s.label}'`);
    labelIndex.set(s.label, i);
  });
  const code = new Int32Array((def.steps.length + 1) * INSN_WIDTH);
  const visible = new Uint8Array(def.steps.length + 1);
  def.steps.forEach((s, i) => {
    const spec = OPS[s.op];
    if (!spec) throw new PathLinkError(def.name, `steps[${i}].op`, `unknown op '${s.op}'`);
    if (s.args.length !== spec.args.length) {
      throw new PathLinkError(def.name, `steps[${i}].args`, `${s.op} takes ${spec.args.length} arguments, got ${s.args.length}`);
    }
    code[i * INSN_WIDTH] = OP[s.op];
    visible[i] = spec.visible ? 1 : 0;
    spec.args.forEach((kind: ArgKind, j: number) => {
      const a = s.args[j];
      const field = `steps[${i}].args[${j}]`;
      let v: number | undefined;
      if (kind === 'reg') v = typeof a === 'string' ? regIndex.get(a) : undefined;
      else if (kind === 'label') v = typeof a === 'string' ? labelIndex.get(a) : undefined;
      else v = typeof a === 'number' && Number.isInteger(a) ? a : undefined;
      if (v === undefined) throw new PathLinkError(def.name, field, `'${String(a)}' is not a ${kind === 'imm' ? 'integer' : kind} of this path`);
      code[i * INSN_WIDTH + 1 + j] = v;
    });
  });
  // Falling off the end finishes the thread.
  code[def.steps.length * INSN_WIDTH] = OP.done;
  return { def, code, length: def.steps.length + 1, visible, labelIndex };
}

/**
 * For every pc of a linked path, the pcs execution may go to next, from the ops' declared control
 * flow. A `ret` may return after any call, so it goes everywhere (sound for any analysis that
 * takes a union over successors). The fall-through successor, when there is one, is listed first.
 */
export function successors(path: LinkedPath): number[][] {
  const n = path.length;
  const code = path.code;
  const out: number[][] = [];
  for (let pc = 0; pc < n; pc++) {
    const at = pc * INSN_WIDTH;
    const d = opDecl(code[at]);
    const next = pc + 1 < n ? [pc + 1] : [];
    const target = () => code[at + 1 + d.operands.findIndex((o) => o.kind === 'label')];
    switch (d.flow ?? 'next') {
      case 'end':
        out.push([]);
        break;
      case 'jump':
        out.push([target()]);
        break;
      case 'branch':
      case 'call':
        out.push([...next, target()]);
        break;
      case 'ret':
        out.push(Array.from({ length: n }, (_, i) => i));
        break;
      default:
        out.push(next);
    }
  }
  return out;
}

/**
 * The steps of a path at which a thread has certainly reached step `at`: those every path from the
 * path's start to them passes through `at` (`at` dominates them), `at` included. For a start
 * condition "after thread T reached label X" this must be closed (no step of it leads out of it,
 * so no loop or return goes back before X): reaching X is then for good, read from T's pc alone.
 * Returns the region, or why it is not closed.
 */
export function reachedRegion(path: LinkedPath, at: number): Uint8Array | string {
  const succ = successors(path);
  const n = path.length;
  const reach = (avoid: number): Uint8Array => {
    const seen = new Uint8Array(n);
    if (avoid === 0) return seen;
    const stack = [0];
    seen[0] = 1;
    while (stack.length) {
      for (const s of succ[stack.pop()!]) {
        if (s === avoid || seen[s]) continue;
        seen[s] = 1;
        stack.push(s);
      }
    }
    return seen;
  };
  const all = reach(-1);
  const around = reach(at);
  const region = new Uint8Array(n);
  for (let pc = 0; pc < n; pc++) if (all[pc] && !around[pc]) region[pc] = 1;
  for (let pc = 0; pc < n; pc++) {
    if (!region[pc]) continue;
    const out = succ[pc].find((s) => !region[s]);
    if (out !== undefined) {
      const what = path.def.steps[out]?.label ?? `step ${out}`;
      return `'${path.def.steps[pc]?.label}' can go on to '${what}', which is reached without passing '${path.def.steps[at]?.label}': a thread can leave what follows that label (a loop or a return goes back before it)`;
    }
  }
  return region;
}
