import {
  mappingKinds,
  PageField,
  PageFlag,
  pteToJson,
  ThreadField,
  VmaFlag,
  WaitFlag,
  formatPte,
  type MappingKind,
  type PteJson,
  threadState as threadStateOf,
  type ThreadState as ModelThreadState,
} from '@mmreplay/model';
import type { RunModel } from './run-model.js';
import { formatRegister, type ReadableValue } from './values.js';
import { hasMemory, memoryViewOf, type MemoryView } from './memory-view.js';

// The readable view of one state vector: what `mmreplay state` prints and the API returns. Every
// object is keyed by its name, in the model's declaration order.

export interface PageView {
  /** PG_locked of this page (PageLocked() of a THP tail tests its head: see `head`) */
  locked: boolean;
  /** the thread holding the page lock */
  owner: string | null;
  /** PG_waiters */
  waiters: boolean;
  /** threads queued on the page's wait queue */
  waitQueue: string[];
  ref: number;
  map: number;
  mapping: MappingKind | string;
  head: string;
  freed: boolean;
  /** folio_ref_freeze() replaced the refcount by 0; `frozenRef` is the count it froze */
  frozen: boolean;
  frozenRef: number;
}

export interface PteView {
  /** as kernel developers write it: `none`, `present(P,w)`, `migration(P,write)` */
  entry: string;
  decoded: PteJson;
  ptl: string;
  raw: number;
}

export interface PtlView {
  holder: string | null;
  /** the PTEs this page-table lock covers */
  ptes: string[];
}

export interface VmaView {
  start: number;
  pgoff: number;
  /** in the rmap interval tree (a linear VMA) */
  inInterval: boolean;
  tempStack: boolean;
  nonlinear: boolean;
}

export interface WaiterView {
  thread: string;
  exclusive: boolean;
  woken: boolean;
}

/** `runnable`, or why a running thread cannot take its next step; `done` / `crashed` when it ended. */
export type ThreadState = ModelThreadState;

export interface StepRefView {
  label: string;
  op: string;
  fn: string;
  file: string;
  version: string;
}

export interface ThreadView {
  path: string;
  status: ThreadState;
  pc: number;
  /** the step the thread executes next, with the kernel source it models; null once it finished */
  at: StepRefView | null;
  /** the page whose wait queue the thread is on */
  waitingOn: { page: string; exclusive: boolean; woken: boolean } | null;
  holds: { pageLocks: string[]; ptls: string[] };
  regs: Record<string, ReadableValue>;
  /** cached translations (TLB scenarios only) */
  tlb?: Record<string, string>;
}

export interface StateView {
  runId: string;
  /** the state after this step; -1 is the state before the first step */
  step: number;
  pages: Record<string, PageView>;
  ptes: Record<string, PteView>;
  ptls: Record<string, PtlView>;
  vmas: Record<string, VmaView>;
  /** the anon_vma / i_mmap rwsem: `write`, `read xN`, or `-` */
  rmap: string;
  /** page -> its waiters, for pages that have any */
  waitQueues: Record<string, WaiterView[]>;
  threads: Record<string, ThreadView>;
  /** the memory model's objects (litmus tests and worlds under tso/lkmm only) */
  memory?: MemoryView;
}

/** Why a running thread cannot step, from the instruction it is at (the engine's isRunnable, read back). */
export const threadState = (model: RunModel, s: Int32Array, t: number): ThreadState => threadStateOf(model, s, t);

export function pageLocksHeld(model: RunModel, s: Int32Array, t: number): string[] {
  const L = model.layout;
  const out: string[] = [];
  for (let p = 0; p < L.nPages; p++) {
    if ((s[L.page(p, PageField.flags)] & PageFlag.locked) !== 0 && s[L.page(p, PageField.owner)] === t + 1) out.push(L.pageName(p));
  }
  return out;
}

export function ptlsHeld(model: RunModel, s: Int32Array, t: number): string[] {
  const L = model.layout;
  return model.world.ptls.filter((_, i) => s[L.ptl(i)] === t + 1);
}

export function viewOf(model: RunModel, s: Int32Array, step: number): StateView {
  const w = model.world;
  const L = model.layout;
  const pageName = L.pageName;

  const waitQueues: Record<string, WaiterView[]> = {};
  w.threads.forEach((th, t) => {
    const wp = s[L.thread(t, ThreadField.waitPage)];
    if (wp < 0) return;
    const flags = s[L.thread(t, ThreadField.waitFlags)];
    (waitQueues[pageName(wp)] ??= []).push({ thread: th.name, exclusive: (flags & WaitFlag.exclusive) !== 0, woken: (flags & WaitFlag.woken) !== 0 });
  });

  const pages: Record<string, PageView> = {};
  w.pages.forEach((p, i) => {
    const flags = s[L.page(i, PageField.flags)];
    pages[p.name] = {
      locked: (flags & PageFlag.locked) !== 0,
      owner: (flags & PageFlag.locked) !== 0 ? model.holderName(s[L.page(i, PageField.owner)]) : null,
      waiters: (flags & PageFlag.waiters) !== 0,
      waitQueue: (waitQueues[p.name] ?? []).map((x) => x.thread),
      ref: s[L.page(i, PageField.ref)],
      map: s[L.page(i, PageField.map)],
      mapping: mappingKinds[s[L.page(i, PageField.mapping)]] ?? String(s[L.page(i, PageField.mapping)]),
      head: pageName(s[L.page(i, PageField.head)]),
      freed: (flags & PageFlag.freed) !== 0,
      frozen: (flags & PageFlag.frozen) !== 0,
      frozenRef: s[L.page(i, PageField.frozen)],
    };
  });

  const ptes: Record<string, PteView> = {};
  w.ptes.forEach((e, i) => {
    const v = s[L.pte(i)];
    ptes[e.name] = { entry: formatPte(v, pageName), decoded: pteToJson(v, pageName), ptl: e.ptl, raw: v };
  });

  const ptls: Record<string, PtlView> = {};
  w.ptls.forEach((name, i) => {
    ptls[name] = { holder: model.holderName(s[L.ptl(i)]), ptes: w.ptes.filter((e) => e.ptl === name).map((e) => e.name) };
  });

  const vmas: Record<string, VmaView> = {};
  w.vmas.forEach((v, i) => {
    const flags = s[L.vma(i, 2)];
    vmas[v.name] = {
      start: s[L.vma(i, 0)],
      pgoff: s[L.vma(i, 1)],
      inInterval: (flags & VmaFlag.inInterval) !== 0,
      tempStack: (flags & VmaFlag.tempStack) !== 0,
      nonlinear: (flags & VmaFlag.nonlinear) !== 0,
    };
  });

  const threads: Record<string, ThreadView> = {};
  w.threads.forEach((th, t) => {
    const pc = s[L.thread(t, ThreadField.pc)];
    const status = threadState(model, s, t);
    const at = status === 'done' || status === 'crashed' ? null : model.stepAt(t, pc);
    const wp = s[L.thread(t, ThreadField.waitPage)];
    const wf = s[L.thread(t, ThreadField.waitFlags)];
    const regs: Record<string, ReadableValue> = {};
    model.regsOf(t).forEach((r, ri) => (regs[r.name] = formatRegister(model, r.type, s[L.reg(t, ri)])));
    const view: ThreadView = {
      path: th.path,
      status,
      pc,
      at: at ? { label: at.label, op: at.op, fn: at.src.fn, file: at.src.file, version: at.src.version } : null,
      waitingOn: wp >= 0 ? { page: pageName(wp), exclusive: (wf & WaitFlag.exclusive) !== 0, woken: (wf & WaitFlag.woken) !== 0 } : null,
      holds: { pageLocks: pageLocksHeld(model, s, t), ptls: ptlsHeld(model, s, t) },
      regs,
    };
    if (L.hasTlb) {
      const tlb: Record<string, string> = {};
      w.ptes.forEach((e, i) => {
        const v = s[L.tlbEntry(t, i)];
        if (v !== 0) tlb[e.name] = formatPte(v, pageName);
      });
      view.tlb = tlb;
    }
    threads[th.name] = view;
  });

  const rmap = s[L.rmap];
  const view: StateView = {
    runId: model.runId,
    step,
    pages,
    ptes,
    ptls,
    vmas,
    rmap: rmap < 0 ? 'write' : rmap === 0 ? '-' : `read x${rmap}`,
    waitQueues,
    threads,
  };
  if (hasMemory(model)) view.memory = memoryViewOf(model, s);
  return view;
}
