import { formatPte, litmusPointee, mappingKinds, PageFlag, ThreadField, ThreadStatus, WaitFlag, type RegType } from '@mmreplay/model';
import type { RunModel } from './run-model.js';

// The raw state vector holds small integers; these turn them into what a kernel developer reads:
// `migration(P,write)` rather than 530, `locked|waiters` rather than 3, `flt0` rather than 2.

const pageFlagNames = Object.entries(PageFlag) as [string, number][];
const waitFlagNames = Object.entries(WaitFlag) as [string, number][];
const threadStatusNames = Object.fromEntries(Object.entries(ThreadStatus).map(([k, v]) => [v, k])) as Record<number, string>;

export type ReadableValue = string | number;

function flagsText(v: number, names: readonly [string, number][]): string {
  const set = names.filter(([, bit]) => (v & bit) !== 0).map(([name]) => name);
  return set.length ? set.join('|') : '-';
}

export const pageFlagsText = (v: number): string => flagsText(v, pageFlagNames);
export const waitFlagsText = (v: number): string => flagsText(v, waitFlagNames);
export const threadStatusText = (v: number): string => threadStatusNames[v] ?? String(v);

/** A register value as its declared type reads: page and PTE names, PTE values, VMA sets. */
export function formatRegister(model: RunModel, type: RegType, v: number): ReadableValue {
  const w = model.world;
  switch (type) {
    case 'page':
      return v >= 0 && v < w.pages.length ? w.pages[v].name : '-';
    case 'pte':
      return v >= 0 && v < w.ptes.length ? w.ptes[v].name : '-';
    case 'vma':
      return v >= 0 && v < w.vmas.length ? w.vmas[v].name : '-';
    case 'vmaset':
      return `{${w.vmas
        .filter((_, i) => (v & (1 << i)) !== 0)
        .map((x) => x.name)
        .join(',')}}`;
    case 'pteval':
      return formatPte(v, model.layout.pageName);
    default:
      return litmusValueOf(model, v);
  }
}

/** A litmus value: a pointer (litmusPointer) as the address of the variable it points to, `&x`. */
export function litmusValueOf(model: RunModel, v: number): ReadableValue {
  const vars = model.world.litmus?.vars ?? [];
  const p = litmusPointee(v, vars.length);
  return p < 0 ? v : `&${vars[p]}`;
}

/** One slot's value, readable, from the object and field `Layout.describe` names. */
export function formatField(model: RunModel, object: string, field: string, v: number): ReadableValue {
  const [kind, name] = splitObject(object);
  switch (kind) {
    case 'page':
      if (field === 'flags') return pageFlagsText(v);
      if (field === 'owner') return model.holderName(v) ?? '-';
      if (field === 'mapping') return mappingKinds[v] ?? v;
      if (field === 'head') return model.layout.pageName(v);
      return v;
    case 'pte':
    case 'tlb':
      return formatPte(v, model.layout.pageName);
    case 'ptl':
      return model.holderName(v) ?? '-';
    case 'rmap':
      return v < 0 ? 'write' : v === 0 ? '-' : `read x${v}`;
    case 'thread': {
      const t = model.layout.threadIndex.get(name);
      if (t === undefined) return v;
      if (field === 'pc') return model.stepAt(t, v)?.label ?? 'end';
      if (field === 'status') return threadStatusText(v);
      if (field === 'waitPage') return v >= 0 ? model.layout.pageName(v) : '-';
      if (field === 'waitFlags') return waitFlagsText(v);
      if (field.startsWith('reg.')) {
        const reg = model.regsOf(t).find((r) => r.name === field.slice(4));
        return reg ? formatRegister(model, reg.type, v) : v;
      }
      return v;
    }
    default:
      return litmusValueOf(model, v);
  }
}

/** `page:P` -> ['page', 'P']; `rmap` -> ['rmap', '']. */
export function splitObject(object: string): [string, string] {
  const i = object.indexOf(':');
  return i < 0 ? [object, ''] : [object.slice(0, i), object.slice(i + 1)];
}

/** The thread fields that are bookkeeping of the interpreter rather than kernel state. */
export const INTERNAL_THREAD_FIELDS = new Set(['sp', ...Array.from({ length: ThreadField.regs - ThreadField.stack }, (_, i) => `stack${i}`)]);
