import { OPS, isRmwKind, opDecl, type OpName } from '../isa.js';
import { INSN_WIDTH, linkPath, MAX_REGS, PathLinkError, type LinkedPath, type PathDef, type RegType } from '../program.js';
import { STACK_DEPTH } from '../layout.js';
import type { WorldDraft } from '../scenarios/scenario.js';
import { didYouMean } from '../suggest.js';
import { DOCUMENT_LIMITS as L } from './limits.js';
import type { BuiltDraft } from './build.js';
import type { DocumentProblem } from './types.js';

// Checks of a built world before anything runs: names that must exist, register kinds, labels,
// loops and calls that could not end, unreachable steps (warnings), symmetry that is not one.

export interface Findings {
  readonly problems: DocumentProblem[];
  readonly warnings: DocumentProblem[];
}

const stepPath = (b: BuiltDraft, path: string, i: number): string => {
  const from = b.stepOrigin[path]?.[i] ?? -1;
  return from >= 0 ? `paths.${path}.steps[${from}]` : `paths.${path}`;
};

export function checkDraft(b: BuiltDraft): Findings {
  const f: Findings = { problems: [], warnings: [] };
  const w = b.draft;
  const problem = (path: string, message: string) => f.problems.push({ path, message });
  const unique = (kind: string, list: readonly { name: string }[], at: string) => {
    const seen = new Set<string>();
    list.forEach((x, i) => {
      if (seen.has(x.name)) problem(`${at}[${i}].name`, `two ${kind} named '${x.name}'`);
      seen.add(x.name);
    });
  };
  unique('pages', w.pages, 'pages');
  unique('VMAs', w.vmas, 'vmas');
  unique('PTEs', w.ptes, 'ptes');
  unique(
    'PTLs',
    w.ptls.map((name) => ({ name })),
    'ptls',
  );
  unique('threads', w.threads, 'threads');
  const names = {
    page: w.pages.map((p) => p.name),
    pte: w.ptes.map((p) => p.name),
    vma: w.vmas.map((p) => p.name),
    thread: w.threads.map((t) => t.name),
  };
  const known = (kind: keyof typeof names, n: string, at: string, what: string) => {
    if (!names[kind].includes(n)) problem(at, `no ${what} '${n}'${didYouMean(n, names[kind])}`);
  };
  w.pages.forEach((p, i) => {
    if (p.head !== undefined) known('page', p.head, `pages[${i}].head`, 'page');
    if (p.owner !== undefined) known('thread', p.owner, `pages[${i}].owner`, 'thread');
    if (p.ref < 0 || p.map < 0) problem(`pages[${i}]`, 'refcount and mapcount cannot be negative');
  });
  w.ptes.forEach((e, i) => {
    if (!w.ptls.includes(e.ptl)) problem(`ptes[${i}].ptl`, `no PTL '${e.ptl}'${didYouMean(e.ptl, w.ptls)} (declare it under ptls)`);
    if (e.init.kind !== 'none') {
      if (e.init.page === undefined) problem(`ptes[${i}].init.page`, `a ${e.init.kind} entry names a page`);
      else known('page', e.init.page, `ptes[${i}].init.page`, 'page');
    }
  });
  if (w.vmas.length > 30) problem('vmas', 'at most 30 VMAs (the rmap walk keeps its visited set in one register)');

  // paths
  const paths = checkPaths(w.paths, (name, i) => stepPath(b, name, i));
  f.problems.push(...paths.problems);
  f.warnings.push(...paths.warnings);
  const pathNames = Object.keys(w.paths);

  // threads
  w.threads.forEach((t, i) => {
    const at = `threads[${b.threadOrigin[i] ?? i}]`;
    const def = w.paths[t.path];
    if (!def) {
      problem(`${at}.path`, `no path '${t.path}'${didYouMean(t.path, pathNames)} (paths: ${pathNames.join(', ') || 'none'})`);
      return;
    }
    for (const [k, v] of Object.entries(t.args)) {
      const reg = def.regs.find((r) => r.name === k);
      if (!reg) {
        problem(
          `${at}.args.${k}`,
          `path '${t.path}' has no register '${k}'${didYouMean(
            k,
            def.regs.map((r) => r.name),
          )}`,
        );
        continue;
      }
      checkArg(reg.type, v, `${at}.args.${k}`, names, problem);
    }
    for (const [j, e] of (t.tlb ?? []).entries()) known('pte', e, `${at}.tlb[${j}]`, 'PTE');
  });
  checkSymmetry(w, problem);
  return f;
}

/** Where a step of a path is in the input: `paths.P.steps[3]`, or the patch a variant inserted it with. */
export type StepLocator = (path: string, i: number) => string;

/**
 * The checks of paths alone, one definition for documents and for the paths a variant's patches
 * produce: links (labels, registers, arity), operand register kinds as the instruction declares
 * them, loops and calls that cannot end, unreachable steps (warnings), the total size. `flow: false`
 * leaves control flow to the run's own termination check (libs/model termination.ts, which runs and audits apply), as for variants.
 */
export function checkPaths(paths: Readonly<Record<string, PathDef>>, at: StepLocator, opts: { readonly flow?: boolean } = {}): Findings {
  const f: Findings = { problems: [], warnings: [] };
  const problem = (path: string, message: string) => f.problems.push({ path, message });
  const linked = new Map<string, LinkedPath>();
  let total = 0;
  for (const [name, def] of Object.entries(paths)) {
    total += def.steps.length;
    if (def.regs.length > MAX_REGS) {
      problem(`paths.${name}.regs`, `at most ${MAX_REGS} registers`);
      continue;
    }
    try {
      linked.set(name, linkPath(def));
    } catch (e) {
      if (!(e instanceof PathLinkError)) throw e;
      const m = /^steps\[(\d+)\](.*)$/.exec(e.field);
      const where = m ? `${at(name, Number(m[1]))}${m[2]}` : `paths.${name}.${e.field}`;
      const msg = e.message.slice(`${e.path}: ${e.field}: `.length);
      const labels = def.steps.map((s) => s.label);
      const regs = def.regs.map((r) => r.name);
      const typo = /'([^']*)' is not a (label|reg) of this path/.exec(msg);
      problem(where, typo ? `${msg}${didYouMean(typo[1], typo[2] === 'label' ? labels : regs)}` : msg);
      continue;
    }
    checkKinds(def, (i) => at(name, i), problem);
    checkImmediates(def, (i) => at(name, i), problem);
  }
  if (total > L.steps) problem('paths', `at most ${L.steps} steps in all paths, got ${total}`);
  if (opts.flow !== false) for (const [name, p] of linked) checkFlow(p, (i) => at(name, i), f);
  return f;
}

function checkArg(
  type: RegType,
  v: unknown,
  at: string,
  names: Record<'page' | 'pte' | 'vma' | 'thread', string[]>,
  problem: (p: string, m: string) => void,
): void {
  if (type === 'page' || type === 'pte' || type === 'vma') {
    const what = type === 'pte' ? 'PTE' : type === 'vma' ? 'VMA' : 'page';
    if (typeof v !== 'string') {
      if (v !== -1) problem(at, `a ${type} register takes the name of a ${what}, got ${JSON.stringify(v)}`);
      return;
    }
    if (!names[type].includes(v)) {
      const other = (['page', 'pte', 'vma'] as const).find((k) => names[k].includes(v));
      problem(
        at,
        other
          ? `'${v}' is a ${other === 'pte' ? 'PTE' : other === 'vma' ? 'VMA' : 'page'}, but this is a ${type} register`
          : `no ${what} '${v}'${didYouMean(v, names[type])}`,
      );
    }
    return;
  }
  if (typeof v !== 'number') problem(at, `a ${type} register takes an integer, got ${JSON.stringify(v)}`);
}

/** Register operands whose kind the declaration fixes must be registers of that kind. */
function checkKinds(def: PathDef, at: (i: number) => string, problem: (p: string, m: string) => void): void {
  const types = new Map(def.regs.map((r) => [r.name, r.type]));
  def.steps.forEach((st, i) => {
    const d = OPS[st.op];
    d.operands.forEach((o, j) => {
      if (o.kind === 'imm' || o.kind === 'label' || o.kind === 'reg') return;
      const t = types.get(String(st.args[j]));
      if (t !== undefined && t !== o.kind) {
        problem(`${at(i)}.args[${j}]`, `${st.op}'s operand '${o.name}' is a ${o.kind} register; '${st.args[j]}' is a ${t} register`);
      }
    });
  });
}

/** Immediates that select what an instruction does: a read-modify-write's kind and ordering (RmwKind, RmwOrdering). */
function checkImmediates(def: PathDef, at: (i: number) => string, problem: (p: string, m: string) => void): void {
  def.steps.forEach((st, i) => {
    if (st.op !== 'rmw_var' || isRmwKind(Number(st.args[4]), Number(st.args[5]))) return;
    problem(
      `${at(i)}.args`,
      `rmw_var's kind (${JSON.stringify(st.args[4])}) and ordering (${JSON.stringify(st.args[5])}) are none it has: kind xchg 0, add 1 (+4 to subtract), cmpxchg 2, plus what the result register gets (+0 the old value, +8 the new, +16 whether the new is 0, +24 whether it is negative); ordering relaxed 0, acquire 1, release 2, fully ordered 3`,
    );
  });
}

/**
 * Control flow that cannot end: a cycle of local steps (the thread would spin without a
 * scheduling point), calls nested deeper than the stack or recursive; steps no flow reaches are
 * warnings. A `ret` goes back to the step after its call, which the call's fall-through covers.
 */
function checkFlow(p: LinkedPath, at: (pc: number) => string, f: Findings): void {
  const n = p.length;
  const code = p.code;
  const succ: number[][] = [];
  const calls: number[][] = [];
  for (let pc = 0; pc < n; pc++) {
    const at = pc * INSN_WIDTH;
    const d = opDecl(code[at]);
    const target = () => code[at + 1 + d.operands.findIndex((o) => o.kind === 'label')];
    const next = pc + 1 < n ? [pc + 1] : [];
    const flow = d.flow ?? 'next';
    succ.push(flow === 'end' || flow === 'ret' ? [] : flow === 'jump' ? [target()] : flow === 'branch' || flow === 'call' ? [...next, target()] : next);
    calls.push(flow === 'call' ? [target()] : []);
  }
  // reachability from pc 0
  const seen = new Uint8Array(n);
  const stack = [0];
  seen[0] = 1;
  while (stack.length) {
    for (const s of succ[stack.pop()!]) {
      if (seen[s]) continue;
      seen[s] = 1;
      stack.push(s);
    }
  }
  for (let pc = 0; pc < n - 1; pc++) {
    if (!seen[pc]) f.warnings.push({ path: at(pc), message: `step '${p.def.steps[pc].label}' is unreachable` });
  }
  // a cycle through local steps only (Tarjan-free: DFS colouring over the local subgraph)
  const colour = new Uint8Array(n);
  const local = (pc: number) => !p.visible[pc];
  const dfs = (start: number): number => {
    const path: [number, number][] = [[start, 0]];
    colour[start] = 1;
    while (path.length) {
      const top = path[path.length - 1];
      const [pc, k] = top;
      if (k < succ[pc].length) {
        top[1]++;
        const s = succ[pc][k];
        if (!local(s)) continue;
        if (colour[s] === 1) return s;
        if (colour[s] === 0) {
          colour[s] = 1;
          path.push([s, 0]);
        }
      } else {
        colour[pc] = 2;
        path.pop();
      }
    }
    return -1;
  };
  for (let pc = 0; pc < n; pc++) {
    if (!local(pc) || colour[pc] !== 0 || !seen[pc]) continue;
    const c = dfs(pc);
    if (c >= 0) {
      f.problems.push({
        path: at(c),
        message: `a loop of local steps through '${p.def.steps[c].label}' never reaches an atomic step: the thread could never be scheduled out (put an atomic step in the loop)`,
      });
      break;
    }
  }
  // call depth: the subroutine at a call target runs until a ret; nested calls in it add depth
  const depthOf = new Map<number, number>();
  const visiting = new Set<number>();
  const depth = (entry: number): number => {
    if (depthOf.has(entry)) return depthOf.get(entry)!;
    if (visiting.has(entry)) return Infinity;
    visiting.add(entry);
    let d = 1;
    const mark = new Uint8Array(n);
    const st = [entry];
    mark[entry] = 1;
    while (st.length) {
      const pc = st.pop()!;
      for (const c of calls[pc]) d = Math.max(d, 1 + depth(c));
      for (const s of succ[pc]) {
        if (mark[s]) continue;
        mark[s] = 1;
        st.push(s);
      }
    }
    visiting.delete(entry);
    depthOf.set(entry, d);
    return d;
  };
  for (let pc = 0; pc < n; pc++) {
    if (!seen[pc] || calls[pc].length === 0) continue;
    const d = depth(calls[pc][0]);
    if (d > STACK_DEPTH) {
      f.problems.push({
        path: at(pc),
        message: d === Infinity ? 'a recursive call: the call stack would overflow' : `calls nest ${d} deep; the call stack holds ${STACK_DEPTH}`,
      });
      break;
    }
  }
  // a ret reachable with no call on the stack
  for (let pc = 0; pc < n; pc++) {
    const isRet = (opDecl(code[pc * INSN_WIDTH]).flow ?? 'next') === 'ret';
    if (isRet && seen[pc] && reachableWithoutCall(succ, calls, pc)) {
      f.problems.push({
        path: at(pc),
        message: `'${p.def.steps[pc].label}' returns without a call (it is reached from the start of the path, not only from a call)`,
      });
      break;
    }
  }
}

/** Whether pc is reachable from 0 along top-level flow (calls fall through, their bodies are not entered). */
function reachableWithoutCall(succ: number[][], calls: number[][], pc: number): boolean {
  const n = succ.length;
  const mark = new Uint8Array(n);
  const st = [0];
  mark[0] = 1;
  while (st.length) {
    const x = st.pop()!;
    if (x === pc) return true;
    for (const s of succ[x]) {
      if (mark[s] || calls[x].includes(s)) continue;
      mark[s] = 1;
      st.push(s);
    }
  }
  return false;
}

/**
 * A symmetry group: the tuples (threads[i], ptes[i], vmas[i], pages[i]) are identical up to
 * renaming. Checked by renaming tuple 0 to tuple k in every declaration that mentions them.
 */
function checkSymmetry(w: WorldDraft, problem: (p: string, m: string) => void): void {
  const targets = new Set<number>();
  for (const def of Object.values(w.paths))
    for (const st of def.steps) if (st.op === ('wait_thread' as OpName) || st.op === ('wait_label' as OpName)) targets.add(Number(st.args[0]));
  w.symmetry.forEach((g, gi) => {
    const at = `symmetry[${gi}]`;
    const lists = { threads: g.threads, ptes: g.ptes, vmas: g.vmas, pages: g.pages ?? [] };
    const sizes = Object.values(lists)
      .filter((l) => l.length > 0)
      .map((l) => l.length);
    if (sizes.some((s) => s !== sizes[0])) {
      problem(at, 'every non-empty list of a group has one member per tuple: the lengths differ');
      return;
    }
    const size = sizes[0] ?? 0;
    const known = {
      threads: w.threads.map((t) => t.name),
      ptes: w.ptes.map((e) => e.name),
      vmas: w.vmas.map((v) => v.name),
      pages: w.pages.map((p) => p.name),
    };
    for (const [k, l] of Object.entries(lists) as [keyof typeof lists, readonly string[]][]) {
      l.forEach((n, i) => {
        if (!known[k].includes(n)) problem(`${at}.${k}[${i}]`, `no ${k.slice(0, -1)} '${n}'${didYouMean(n, known[k])}`);
      });
    }
    lists.threads.forEach((n, i) => {
      if (targets.has(w.threads.findIndex((t) => t.name === n)))
        problem(`${at}.threads[${i}]`, `thread '${n}' is one another thread starts after: it cannot be renamed`);
    });
    for (let k = 1; k < size; k++) {
      const rename = new Map<string, string>();
      for (const l of Object.values(lists)) {
        if (l.length === 0) continue;
        rename.set(l[0], l[k]);
        rename.set(l[k], l[0]);
      }
      const r = (x: string) => rename.get(x) ?? x;
      const diff = symmetryDiff(w, lists, r);
      if (diff) problem(at, `tuple 0 and tuple ${k} are not identical up to renaming: ${diff}`);
    }
  });
}

export function symmetryDiff(
  w: WorldDraft,
  lists: { threads: readonly string[]; ptes: readonly string[]; vmas: readonly string[]; pages: readonly string[] },
  r: (x: string) => string,
): string | null {
  const renameArgs = (args: Readonly<Record<string, unknown>>) =>
    Object.fromEntries(Object.entries(args).map(([a, v]) => [a, typeof v === 'string' ? r(v) : v]));
  for (const t of w.threads) {
    const img = w.threads.find((u) => u.name === r(t.name));
    if (!img) continue;
    if (
      img.path !== t.path ||
      JSON.stringify(renameArgs(t.args)) !== JSON.stringify(img.args) ||
      JSON.stringify((t.tlb ?? []).map(r).sort()) !== JSON.stringify([...(img.tlb ?? [])].sort())
    ) {
      return `thread '${t.name}' and '${img.name}' differ (path, arguments or TLB)`;
    }
  }
  // a PTE's address matters relative to the VMA of its tuple
  const vmaOfTuple = (i: number) => w.vmas.find((v) => v.name === lists.vmas[i]);
  const base = (pteName: string) => {
    const i = lists.ptes.indexOf(pteName);
    const v = i >= 0 ? vmaOfTuple(i) : undefined;
    return v ? v.start : 0;
  };
  for (const e of w.ptes) {
    const img = w.ptes.find((u) => u.name === r(e.name));
    if (!img) continue;
    const init = { ...e.init, ...(e.init.page ? { page: r(e.init.page) } : {}) };
    if (img.ptl !== r(e.ptl) || JSON.stringify(init) !== JSON.stringify(img.init) || e.addr - base(e.name) !== img.addr - base(img.name)) {
      return `PTE '${e.name}' and '${img.name}' differ (PTL, initial entry or address within its VMA)`;
    }
  }
  for (const v of w.vmas) {
    const img = w.vmas.find((u) => u.name === r(v.name));
    if (!img) continue;
    if (v.pgoff !== img.pgoff || !!v.tempStack !== !!img.tempStack || !!v.nonlinear !== !!img.nonlinear || !!v.unlinked !== !!img.unlinked)
      return `VMA '${v.name}' and '${img.name}' differ`;
  }
  for (const p of w.pages) {
    const img = w.pages.find((u) => u.name === r(p.name));
    if (!img) continue;
    const same =
      p.ref === img.ref &&
      p.map === img.map &&
      p.mapping === img.mapping &&
      !!p.locked === !!img.locked &&
      !!p.free === !!img.free &&
      (p.index ?? 0) === (img.index ?? 0);
    if (!same || (p.head ? r(p.head) : undefined) !== img.head || (p.owner ? r(p.owner) : undefined) !== img.owner)
      return `page '${p.name}' and '${img.name}' differ`;
  }
  return null;
}
