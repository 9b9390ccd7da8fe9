import type { OpName } from '../isa.js';
import type { RegType } from '../program.js';
import type { WorldDraft } from '../scenarios/scenario.js';
import type { SymmetryGroup } from '../world.js';
import { symmetryDiff } from './checks.js';

// Symmetry derived from the world when a document declares none (`symmetry` absent; `[]` means
// none): groups of threads that run one path on objects of their own, and groups of objects no
// thread names. A candidate is kept only when it passes the check a declared group passes (every
// tuple identical to the first up to renaming), so a derived group is one a user could have
// declared. Off where tuples are not interchangeable whatever their declarations say: a fixed rmap
// walk order (VMA i is visited before VMA j), and litmus worlds and memory models other than sc
// (the CPUs' views are not part of the renaming).

type ObjKind = 'page' | 'pte' | 'vma';
const isObj = (t: RegType | undefined): t is ObjKind => t === 'page' || t === 'pte' || t === 'vma';

export function deriveSymmetry(w: Omit<WorldDraft, 'symmetry'>, switches: Readonly<Record<string, string>>): SymmetryGroup[] {
  if (w.rmapOrder === 'fixed' || switches.WALK === 'fixed') return [];
  if (w.litmus || (switches.MEM !== undefined && switches.MEM !== 'sc')) return [];
  const world: WorldDraft = { ...w, symmetry: [] };
  const groups: SymmetryGroup[] = [];
  const verified = (g: SymmetryGroup): boolean => {
    const lists = { threads: g.threads, ptes: g.ptes, vmas: g.vmas, pages: g.pages ?? [] };
    for (let k = 1; k < g.threads.length || k < g.ptes.length; k++) {
      const rename = new Map<string, string>();
      for (const l of Object.values(lists)) {
        if (l.length === 0) continue;
        rename.set(l[0], l[k]);
        rename.set(l[k], l[0]);
      }
      if (symmetryDiff(world, lists, (x) => rename.get(x) ?? x)) return false;
    }
    return true;
  };

  // the VMA a PTE lies in (the last one starting at or below it), when that VMA holds no other PTE
  const vmaOf = (pte: string): string | undefined => {
    const e = w.ptes.find((p) => p.name === pte);
    if (!e) return undefined;
    let best: { name: string; start: number } | undefined;
    for (const v of w.vmas) if (v.start <= e.addr && (!best || v.start > best.start)) best = v;
    if (!best) return undefined;
    const owner = best;
    const sharing = w.ptes.filter((p) => p.addr >= owner.start && !w.vmas.some((v) => v.start > owner.start && v.start <= p.addr));
    return sharing.length === 1 ? owner.name : undefined;
  };
  const allDistinct = (xs: readonly (string | undefined)[]): xs is string[] => xs.every((x) => x !== undefined) && new Set(xs).size === xs.length;

  // threads another thread starts after (finished or at a label) are named by number: they cannot be renamed
  const targets = new Set<number>();
  for (const def of Object.values(w.paths))
    for (const st of def.steps) if (st.op === ('wait_thread' as OpName) || st.op === ('wait_label' as OpName)) targets.add(Number(st.args[0]));

  // 1. threads running one path, tuple i = (thread i, the objects its arguments name)
  const byPath = new Map<string, string[]>();
  w.threads.forEach((t, i) => {
    if (targets.has(i)) return;
    byPath.set(t.path, [...(byPath.get(t.path) ?? []), t.name]);
  });
  for (const [path, names] of byPath) {
    if (names.length < 2) continue;
    const threads = names.map((n) => w.threads.find((t) => t.name === n)!);
    const regs = new Map((w.paths[path]?.regs ?? []).map((r) => [r.name, r.type]));
    const varying: Partial<Record<ObjKind, string[]>> = {};
    let ok = true;
    for (const key of new Set(threads.flatMap((t) => Object.keys(t.args)))) {
      const values = threads.map((t) => t.args[key]);
      if (values.every((v) => v === values[0])) continue;
      const type = regs.get(key);
      if (!isObj(type) || varying[type] || !allDistinct(values.map((v) => (typeof v === 'string' ? v : undefined)))) {
        ok = false;
        break;
      }
      varying[type] = values as string[];
    }
    if (!ok) continue;
    const ptes = varying.pte ?? [];
    const vmas = varying.vma ?? (ptes.length ? ptes.map(vmaOf) : []);
    const initPages = ptes.map((e) => w.ptes.find((p) => p.name === e)?.init.page);
    const pages = varying.page ?? (allDistinct(initPages) ? initPages : []);
    if (!allDistinct(vmas)) continue;
    const g: SymmetryGroup = { threads: names, ptes, vmas, pages };
    if (verified(g)) groups.push(g);
  }

  // 2. PTEs (each alone in its VMA) that no thread and no group names, alike up to renaming
  const named = new Set<string>();
  for (const t of w.threads) {
    for (const v of Object.values(t.args)) if (typeof v === 'string') named.add(v);
    for (const e of t.tlb ?? []) named.add(e);
  }
  for (const g of groups) for (const n of [...g.ptes, ...g.vmas, ...(g.pages ?? [])]) named.add(n);
  const classes = new Map<string, { ptes: string[]; vmas: string[] }>();
  for (const e of w.ptes) {
    const vma = vmaOf(e.name);
    if (named.has(e.name) || vma === undefined || named.has(vma)) continue;
    const v = w.vmas.find((x) => x.name === vma)!;
    const key = JSON.stringify([e.ptl, e.init, e.addr - v.start, v.pgoff, !!v.tempStack, !!v.nonlinear, !!v.unlinked]);
    const c = classes.get(key) ?? { ptes: [], vmas: [] };
    c.ptes.push(e.name);
    c.vmas.push(vma);
    classes.set(key, c);
  }
  for (const c of classes.values()) {
    if (c.ptes.length < 2) continue;
    const g: SymmetryGroup = { threads: [], ptes: c.ptes, vmas: c.vmas, pages: [] };
    if (verified(g)) groups.push(g);
  }
  return groups;
}
