import { PageFlag, RcuField } from '@mmreplay/model';
import { litmusValueOf } from './values.js';
import type { RunModel } from './run-model.js';

// The memory model's objects as a readable view (docs/memory-model.md): litmus variables and
// results, and per thread its store buffer (tso), outstanding loads and stores, and (lkmm) which
// store of each location it has seen and which newer ones have not reached it yet.

export interface ThreadMemoryView {
  /** tso: stores waiting in the store buffer, oldest first (`x := 1`) */
  storeBuffer: string[];
  /** loads issued and not yet satisfied (`r0 <- y`) */
  pendingLoads: string[];
  /** lkmm: stores issued and not yet executed (`y := r0`) */
  pendingStores: string[];
  /** lkmm: per location, the value of the newest store this CPU has seen */
  sees: Record<string, string | number>;
  /** lkmm: per location, the newer stores that have not reached this CPU yet (values, oldest first) */
  notYetSeen: Record<string, (string | number)[]>;
  /** a thread with RCU steps: its read-side section and its grace period */
  rcu?: RcuView;
}

export interface RcuView {
  /** the nesting depth of its RCU read-side critical section (0: outside one) */
  section: number;
  /** its last section has ended but accesses before its rcu_read_unlock() are still outstanding */
  ending: boolean;
  /** its grace period (synchronize_rcu()) in progress: the threads whose sections it still waits for; null when none */
  gracePeriod: string[] | null;
}

export interface MemoryView {
  /** litmus variables: the value of the last store in coherence order (a pointer as `&x`) */
  vars: Record<string, number | string>;
  /** litmus results recorded by the test's `observe` steps; null until recorded */
  results: Record<string, number | string | null>;
  /** per thread with weak-memory state */
  threads: Record<string, ThreadMemoryView>;
  /** lkmm: per location relaxed stores write, its stores some CPU may still read, oldest first */
  locations: Record<string, (string | number)[]>;
}

/** Whether a run's model has memory-model objects to show. */
export function hasMemory(model: RunModel): boolean {
  return model.world.litmus !== undefined || model.layout.weak;
}

/** A location's value as a kernel developer reads it: a page name for a head, flag names for flags. */
export function locationValue(model: RunModel, loc: number, v: number): string | number {
  const L = model.layout;
  if (loc >= L.nPages * 2) return litmusValueOf(model, v);
  if ((loc & 1) === 0) return L.pageName(v);
  const names = Object.entries(PageFlag)
    .filter(([, bit]) => (v & bit) !== 0)
    .map(([n]) => n);
  return names.length ? names.join('|') : 0;
}

export function memoryViewOf(model: RunModel, s: Int32Array): MemoryView {
  const L = model.layout;
  const w = model.world;
  const vars: Record<string, number | string> = {};
  (w.litmus?.vars ?? []).forEach((v, i) => (vars[v] = litmusValueOf(model, s[L.vars + i])));
  const results: Record<string, number | string | null> = {};
  // Runs recorded before the `observed` flags existed show a non-zero value as recorded.
  (w.litmus?.results ?? []).forEach((r, i) => (results[r] = s[L.observed + i] !== 0 || s[L.results + i] !== 0 ? litmusValueOf(model, s[L.results + i]) : null));
  const short = (loc: number) => L.locShort(loc);
  const regName = (t: number, r: number) => model.regsOf(t)[r]?.name ?? `r${r}`;
  const K = L.nMlocs;
  const positions = (k: number) => s[L.msgBase[k]] + 1;
  const valueAt = (k: number, p: number) => (p === s[L.msgBase[k]] ? s[L.locSlot(L.mlocs[k])] : s[L.msg(k, p)]);

  const threads: Record<string, ThreadMemoryView> = {};
  w.threads.forEach((th, t) => {
    if (L.sbCapacity[t] === 0 && L.lqCapacity[t] === 0 && L.rcuBase[t] < 0) return;
    const view: ThreadMemoryView = { storeBuffer: [], pendingLoads: [], pendingStores: [], sees: {}, notYetSeen: {} };
    if (L.rcuBase[t] >= 0) {
      const waits = s[L.rcu(t, RcuField.waits)];
      view.rcu = {
        section: s[L.rcu(t, RcuField.depth)],
        ending: s[L.rcu(t, RcuField.pending)] !== 0,
        gracePeriod: s[L.rcu(t, RcuField.gp)] === 0 ? null : w.threads.filter((_, u) => ((waits >> u) & 1) !== 0).map((u) => u.name),
      };
    }
    for (let i = 0; i < L.lqCapacity[t]; i++) {
      const e = L.lqEntry(t, i);
      if (s[e] === 0) break;
      // lkmm: a load whose address an outstanding load still writes names the pointer: `r1 <- *r0`
      view.pendingLoads.push(`${regName(t, s[e] - 1)} <- ${s[e + 1] < 0 ? `*${regName(t, -s[e + 1] - 1)}` : short(s[e + 1])}`);
    }
    for (let i = 0; i < L.sbCapacity[t]; i++) {
      const e = L.sbEntry(t, i);
      if (s[e] === 0) break;
      const loc = s[e] - 1;
      // lkmm keeps the register an outstanding store takes its value from; tso the value.
      // (a store whose address an outstanding load still writes names the pointer: `*r0 := r1`)
      const where = s[e] < 0 ? `*${regName(t, -s[e] - 1)}` : short(loc);
      if (L.propagation) view.pendingStores.push(`${where} := ${regName(t, s[e + 1])}${(s[e + 2] & 1) !== 0 ? ' (release)' : ''}`);
      else view.storeBuffer.push(`${short(loc)} := ${locationValue(model, loc, s[e + 1])}`);
    }
    if (L.propagation && L.viewBase[t] >= 0 && s[L.finished(t)] === 0) {
      for (let k = 0; k < K; k++) {
        const p = s[L.view(t, k)];
        const loc = L.mlocs[k];
        view.sees[short(loc)] = locationValue(model, loc, valueAt(k, p));
        const newer: (string | number)[] = [];
        for (let q = p + 1; q < positions(k); q++) newer.push(locationValue(model, loc, valueAt(k, q)));
        view.notYetSeen[short(loc)] = newer;
      }
    }
    threads[th.name] = view;
  });

  const locations: Record<string, (string | number)[]> = {};
  if (L.propagation) {
    for (let k = 0; k < K; k++) {
      const loc = L.mlocs[k];
      const all: (string | number)[] = [];
      for (let p = 0; p < positions(k); p++) all.push(locationValue(model, loc, valueAt(k, p)));
      locations[short(loc)] = all;
    }
  }
  return { vars, results, threads, locations };
}
